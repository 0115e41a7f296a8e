"""How each person takes their notifications (coordination/views/notifications.py and
coordination/api/notifications.py): the preferences page and API, which every signed-in
persona uses for themselves alone, and the unsubscribe link of the emails, which needs no
login: its signed token names the person (here the Samarinda operator) and the kind.
"""

from .harness import ANON, api, expect, page

REMINDER = "meeting_reminder"

ROUTES = {
    "coordination:notification-preferences": [
        ("get", lambda c: "/notifications/preferences/", None, page()),
        ("post", lambda c: "/notifications/preferences/", lambda c: {REMINDER: "digest"}, page(302)),
        # A delivery that does not exist: the form again, with its error.
        ("post", lambda c: "/notifications/preferences/", lambda c: {REMINDER: "merpati"},
         expect(400, **{ANON: 302})),
    ],
    "coordination:notification-unsubscribe": [
        ("get", lambda c: f"/notifications/unsubscribe/{c['token']}/", None, expect(200)),
        ("post", lambda c: f"/notifications/unsubscribe/{c['token']}/",
         lambda c: {"List-Unsubscribe": "One-Click"}, expect(200)),
        ("get", lambda c: f"/notifications/unsubscribe/{c['token']}x/", None, expect(400)),
        ("post", lambda c: f"/notifications/unsubscribe/{c['token']}x/", None, expect(400)),
    ],
    "notification-preferences": [
        ("get", lambda c: "/api/v1/notification-preferences/", None, api()),
        ("patch", lambda c: "/api/v1/notification-preferences/", lambda c: {REMINDER: "digest"}, api()),
        ("put", lambda c: "/api/v1/notification-preferences/", lambda c: {REMINDER: "in_app"}, api()),
        ("patch", lambda c: "/api/v1/notification-preferences/", lambda c: {"tidak_ada": "digest"}, api(400)),
    ],
}

HISTORY_EXEMPT = {
    # The change is the token's person's own, and its history names them (the link came
    # to their mailbox); whoever else holds the link, signed in or not, acts for them.
    "coordination:notification-unsubscribe": "sets the token's person's choice; its history names that person",
}


def world(stations, personas):
    from coordination.services import preferences

    return {"token": preferences.unsubscribe_token(personas["samarinda_operator"].pk, [REMINDER])}
