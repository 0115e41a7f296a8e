"""Query bounds of the notification preferences (see test_query_bounds.py): the page and
the API list every registered kind with the person's choice, the admin lists the choices
of the people in the secretariat's region.

The page and the API grow with the kinds registered: the grower registers kinds of its
own ("bounds.kind.<n>") and chooses each for the Samarinda operator. The registry lives
for the process, so those kinds stay registered for the tests that run after (each only
adds a row to a preferences page)."""

from itertools import count as numbers

from django.contrib import admin

from coordination.models import Agency, NotificationPreference, User
from coordination.services import preferences
from coordination.services.notifications import notification_kind_register
from tests.factories import UserFactory

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py

# Numbers of the kinds registered here, across cases: each case adds kinds of its own.
_KIND_NUMBERS = numbers()


def grow_kinds(tree, election, start, count):
    """Kinds registered, each chosen by the Samarinda operator (digest or in the app)."""
    operator = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        kind = f"bounds.kind.{next(_KIND_NUMBERS)}"
        notification_kind_register(kind, f"Jenis uji {index}")
        preferences.notification_preference_set(actor=operator, kind=kind,
                                                delivery="digest" if index % 2 else "in_app")


def grow_chosen(tree, election, start, count):
    """People of KPU Samarinda, each with a choice for meeting reminders."""
    agency = Agency.objects.get(code="kpu-samarinda")
    for index in range(start, start + count):
        user = UserFactory(username=f"pilih-{index}", agency=agency)
        preferences.notification_preference_set(actor=user, kind="meeting_reminder", delivery="digest")


CASES = [
    ("/notifications/preferences/", grow_kinds, "samarinda_operator", 8, lambda r: len(r.context["rows"])),
    ("/api/v1/notification-preferences/", grow_kinds, "samarinda_operator", 6),
]


# The admin list, once coordination/admin/__init__.py imports coordination.admin.notifications
# (test_every_list_has_a_query_bound asks for it from then on).
if NotificationPreference in admin.site._registry:
    CASES.append(("/admin/coordination/notificationpreference/", grow_chosen, SCOPED_SECRETARIAT, 14))


NO_ROWS = {
    "coordination:notification-unsubscribe": "one link's question or answer: the kinds its token names",
}

