"""Reads of the notification outbox: a person's bell and list, and who hears of a breach."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from coordination import policies
from coordination.choices import Role
from coordination.models import Agreement, Notification, User
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
