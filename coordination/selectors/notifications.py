"""Reads of the notification outbox: a person's bell and list, their delivery choices,
and who hears of a breach."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from coordination import policies
from coordination.choices import Delivery, Role
from coordination.models import Agreement, Notification, NotificationPreference, User
from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope

# The bell counts up to this many unread rows and then shows "99+": the count stays one
# short indexed read however many rows a person has.
UNREAD_CAP = 100


def due_notifications(queryset: QuerySet[Notification], user) -> QuerySet[Notification]:
    """The rows of ``queryset`` that are the user's own and due (a reminder for next week
    stays hidden until then): what the bell, the list page and the API show."""
    return policies.scope_notifications(queryset.filter(due_at__lte=clock.now(), cancelled_at__isnull=True), user)


def _due(user) -> QuerySet[Notification]:
    return due_notifications(Notification.objects.all(), user)


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications that are due (a reminder for next week stays hidden
    until then), newest first."""
    return _due(user).select_related("target_type").order_by("-due_at", "-id")


def notification_get(user, pk: int) -> Notification:
    return one_in_scope(notifications_for(user), "Notification", pk=pk)


def unread_count(user) -> int:
    """Unread due notifications of ``user``, counted up to UNREAD_CAP; 0 without a query
    for a visitor who is not signed in."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _due(user).filter(read_at__isnull=True).order_by()[:UNREAD_CAP].count()


def agreement_party_members(agreement_ids: set[int]) -> dict[int, list[User]]:
    """The people who hear of a clause breach, per agreement: every active member of each
    party agency, in two queries.

    Observers are left out: a breach asks its readers to act (hold the meeting, record the
    evidence) and an observer's role may do neither. Members of subordinate offices are
    not parties themselves; their province office is.
    """
    through = Agreement.parties.through
    agencies_of: dict[int, set[int]] = defaultdict(set)
    for agreement_id, agency_id in through.objects.filter(agreement_id__in=agreement_ids).values_list(
            "agreement_id", "agency_id"):
        agencies_of[agreement_id].add(agency_id)
    members: dict[int, list[User]] = defaultdict(list)
    agency_ids = set().union(*agencies_of.values()) if agencies_of else set()
    for user in (User.objects.filter(agency_id__in=agency_ids, is_active=True).exclude(role=Role.OBSERVER)
                 .only("id", "agency_id", "language", "email", "is_active").order_by("id")):
        members[user.agency_id].append(user)
    return {agreement_id: [u for agency_id in sorted(agencies) for u in members[agency_id]]
            for agreement_id, agencies in agencies_of.items()}


# --- delivery preferences -----------------------------------------------------------

# Users whose preference is read per statement when the outbox writes many rows.
PREFERENCE_CHUNK = 500


@dataclass(frozen=True)
class PreferenceRow:
    """One kind of notification as a person sees it on their preferences page: its key,
    its label and how it reaches them now."""

    kind: str
    label: Any
    delivery: str


def deliveries_of(kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """How each of ``user_ids`` wants ``kind`` delivered, for those who chose (the others
    get it at once): one query per PREFERENCE_CHUNK users, on the (user, kind) key."""
    ids = sorted(set(user_ids))
    chosen: dict[int, str] = {}
    for start in range(0, len(ids), PREFERENCE_CHUNK):
        chosen.update(NotificationPreference.objects.filter(kind=kind, user_id__in=ids[start:start + PREFERENCE_CHUNK])
                      .values_list("user_id", "delivery"))
    return chosen


def notification_preferences_for(user, kinds: dict[str, Any]) -> list[PreferenceRow]:
    """Every kind of ``kinds`` (key -> label, the registry) with ``user``'s delivery for it,
    in label order: one query, however many kinds and choices. A kind the person never
    chose is emailed at once."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery"))
    rows = [PreferenceRow(kind=kind, label=label, delivery=chosen.get(kind, Delivery.IMMEDIATE))
            for kind, label in kinds.items()]
    return sorted(rows, key=lambda row: (str(row.label).casefold(), row.kind))


def preferences_in_scope(queryset: QuerySet[NotificationPreference], user) -> QuerySet[NotificationPreference]:
    """The preferences of the people in the user's scope: what the secretariat's admin
    lists (the people themselves set them, on their own page)."""
    return queryset.filter(user__in=policies.scope_users(User.objects.all(), user))
