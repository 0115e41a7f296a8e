"""Every page and API route, for every persona: anonymous, own region, other region,
read-only roles, and object URLs that carry another region's ids.

The owning region of every object below is Samarinda. Out of scope reads as 404, the same
as missing. A route added without a row here fails test_every_route_is_covered.
"""

from io import BytesIO

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from coordination import services
from tests.conftest import PERSONAS

ANON = "anonymous"
ALL = [ANON, *PERSONAS]
OTHER = "balikpapan_operator"
KPU_WRITERS = {"samarinda_operator", "province_staff", "secretariat"}


def expect(default, **overrides):
    return {persona: overrides.get(persona, default) for persona in ALL}


def page(default=200, **overrides):
    """A page: anonymous visitors are sent to the login page."""
    return expect(default, **{ANON: 302, **overrides})


def api(default=200, **overrides):
    return expect(default, **{ANON: 401, **overrides})


def scoped_page(**overrides):
    return page(**{OTHER: 404, **overrides})


def scoped_api(**overrides):
    return api(**{OTHER: 404, **overrides})


def tps_import_csv():
    return {"election": "pemilu-2024",
            "file": BytesIO(b"village_code,number,voters\n64.72.01.1001,9,10\n")}


def import_outcome(ok, anon):
    return expect(403, **{ANON: anon, **{p: ok for p in KPU_WRITERS}})


# name -> list of (method, path builder, data builder or None, expected status per persona)
ROUTES = {
    "home": [("get", lambda c: "/", None, page())],
    "healthz": [("get", lambda c: "/healthz", None, expect(200))],
    "login": [("get", lambda c: "/accounts/login/", None, expect(302, **{ANON: 200}))],
    "logout": [("post", lambda c: "/accounts/logout/", None, expect(302))],
    "password_change": [("get", lambda c: "/accounts/password/", None, page())],
    "password_change_done": [("get", lambda c: "/accounts/password/done/", None, page())],
    "set_language": [("post", lambda c: "/i18n/setlang/", lambda c: {"language": "en"}, expect(302))],
    "coordination:region-root": [("get", lambda c: "/regions/", None, page(302))],
    "coordination:region-detail": [
        ("get", lambda c: "/regions/64.72.01/", None, scoped_page()),
        ("get", lambda c: "/regions/64.72.01.1001/", None, scoped_page()),
        ("get", lambda c: "/regions/64.99/", None, page(404)),
    ],
    "coordination:polling-station-list": [
        ("get", lambda c: "/polling-stations/?region=64.72", None, page()),
    ],
    "coordination:polling-station-detail": [
        ("get", lambda c: f"/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_page()),
    ],
    "coordination:polling-station-import": [
        ("get", lambda c: "/polling-stations/import/", None,
         page(403, samarinda_operator=200, balikpapan_operator=200, province_staff=200, secretariat=200)),
    ],
    "coordination:agency-list": [("get", lambda c: "/agencies/", None, page())],
    "coordination:agency-detail": [
        ("get", lambda c: "/agencies/kpu-samarinda/", None, scoped_page()),
        ("get", lambda c: "/agencies/kpu-kaltim/", None, page()),
    ],
    "coordination:profile": [("get", lambda c: "/profile/", None, page())],
    "coordination:api-token-revoke": [
        # Samarinda operator's token: only its holder may revoke it on this page.
        ("post", lambda c: f"/profile/tokens/{c['token'].pk}/revoke/", None,
         expect(404, **{ANON: 302, "samarinda_operator": 302})),
    ],
    "auth-token": [
        ("post", lambda c: "/api/v1/auth/token/", lambda c: {"username": "nobody", "password": "x"}, expect(400)),
    ],
    "me": [("get", lambda c: "/api/v1/me/", None, api())],
    "schema": [("get", lambda c: "/api/schema/", None, api())],
    "api-docs": [("get", lambda c: "/api/docs/", None, api())],
    "region-list": [("get", lambda c: "/api/v1/regions/?code_prefix=64.72", None, api())],
    "region-detail": [
        ("get", lambda c: "/api/v1/regions/64.72.01.1001/", None, scoped_api()),
        ("get", lambda c: "/api/v1/regions/64.72/", None, scoped_api()),
    ],
    "polling-station-list": [("get", lambda c: "/api/v1/polling-stations/?region=64.72", None, api())],
    "polling-station-detail": [
        ("get", lambda c: f"/api/v1/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_api()),
    ],
    "polling-station-import-csv": [
        # The Balikpapan operator may import, but a Samarinda village is unknown to it: 400.
        ("post", lambda c: "/api/v1/polling-stations/import/", lambda c: tps_import_csv(),
         {**import_outcome(200, 401), OTHER: 400}),
    ],
    "agency-list": [("get", lambda c: "/api/v1/agencies/", None, api())],
    "agency-detail": [
        ("get", lambda c: "/api/v1/agencies/kpu-samarinda/", None, scoped_api()),
        ("get", lambda c: "/api/v1/agencies/polda-kaltim/", None, api()),
    ],
    "api-token-list": [("get", lambda c: "/api/v1/tokens/", None, api())],
    "api-token-detail": [
        ("get", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=200)),
        ("delete", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=204)),
    ],
}

# Routes that are not ours to police: Django's admin (covered by tests/platform/test_admin.py)
# and DRF's browsable-API login helpers.
EXEMPT_NAMESPACES = {"admin"}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                raise AssertionError(f"unnamed route {pattern.pattern}")
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_covered():
    assert _names(get_resolver()) == set(ROUTES)


CASES = [
    pytest.param(name, index, persona, id=f"{name}[{index}]-{persona}")
    for name, cases in ROUTES.items()
    for index in range(len(cases))
    for persona in ALL
]


@pytest.mark.parametrize(("name", "index", "persona"), CASES)
def test_route_access(name, index, persona, personas, stations, client):
    method, path_for, data_for, expected = ROUTES[name][index]
    token, _ = services.api_token_create(actor=personas["samarinda_operator"], name="script")
    context = {"stations": stations, "token": token}
    if persona != ANON:
        client.force_login(personas[persona])
    data = data_for(context) if data_for else None
    call = getattr(client, method)
    response = call(path_for(context), data=data) if data else call(path_for(context))
    assert response.status_code == expected[persona], response.content[:300]
