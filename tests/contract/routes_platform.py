"""The project's own routes (kpu_polda/urls.py, kpu_polda/api.py): the dashboard, its
panels and the inbox, the health check, accounts, language and the API's schema and docs."""

from .harness import ANON, api, expect, page

ROUTES = {
    "home": [("get", lambda c: "/", None, page())],
    "dashboard-panel": [
        *[("get", lambda c, key=key: f"/dashboard/panels/{key}/", None, page())
          for key in ("inbox", "stage", "region", "clauses", "risks", "escorts", "meetings", "exchanges",
                      "bookings")],
        ("get", lambda c: "/dashboard/panels/unknown/", None, page(404)),
    ],
    "inbox": [("get", lambda c: "/api/v1/inbox/", None, api())],
    "healthz": [("get", lambda c: "/healthz", None, expect(200))],
    "login": [("get", lambda c: "/accounts/login/", None, expect(302, **{ANON: 200}))],
    "logout": [("post", lambda c: "/accounts/logout/", None, expect(302))],
    "password_change": [("get", lambda c: "/accounts/password/", None, page())],
    "password_change_done": [("get", lambda c: "/accounts/password/done/", None, page())],
    "set_language": [("post", lambda c: "/i18n/setlang/", lambda c: {"language": "en"}, expect(302))],
    "schema": [("get", lambda c: "/api/schema/", None, api())],
    "api-docs": [("get", lambda c: "/api/docs/", None, page())],
}

HISTORY_EXEMPT = {
    "logout": "ends the session; no record of the domain changes",
    "set_language": "stores the language in a cookie; no record of the domain changes",
}


def world(stations, personas):
    """These routes read nothing of the domain beyond the personas."""
    return {}
