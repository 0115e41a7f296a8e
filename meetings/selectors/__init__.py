"""Reads in meetings: scoped by the policy and bounded in queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import OPEN_ACTION_STATUSES, UPCOMING_STATUSES
from ..models import ActionItem, AgendaItem, CalendarFeed, Invitation, Meeting, Minutes


def meetings_for(user) -> QuerySet[Meeting]:
    return policies.scope_meetings(Meeting.objects.select_related("organiser", "co_organiser", "series"), user)


def upcoming_meetings(user) -> QuerySet[Meeting]:
    """Meetings still to come in the user's scope (Meeting.is_upcoming, not yet over),
    soonest first: the meeting list's upper half and the dashboard's panel."""
    return meetings_for(user).filter(status__in=UPCOMING_STATUSES, ends_at__gte=clock.now()).order_by("starts_at",
                                                                                                       "id")


def meeting_get(user, pk: int) -> Meeting:
    """A meeting in the user's scope with its agenda, invitations and follow-ups: five
    queries whatever their number."""
    rows = meetings_for(user).select_related("chair", "notulis", "clause").prefetch_related(
        "stages",
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("action_item", "risk")
                 .order_by("position", "id")),
        Prefetch("invitations", queryset=Invitation.objects.select_related("agency", "person")
                 .order_by("agency__name", "id")),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner_agency", "owner")),
    )
    return one_in_scope(rows, gettext_lazy("Meeting"), pk=pk)


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes with their discussions, obstacles and amendments, or None."""
    return (Minutes.objects.filter(meeting=meeting)
            .select_related("notulis", "kpu_approved_by", "police_approved_by")
            .prefetch_related("entries", "obstacles", "amendments__made_by").first())


def action_items_for(user) -> QuerySet[ActionItem]:
    return policies.scope_action_items(ActionItem.objects.select_related("meeting", "owner_agency", "owner"), user)


def feed_owner(key: str):
    """The active user whose feed address has this key, or None."""
    from coordination.tokens import hash_key

    feed = (CalendarFeed.objects.select_related("user", "user__agency")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True).first())
    return feed.user if feed is not None else None


def feed_active(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


FEED_PAST_DAYS = 90
FEED_LIMIT = 500


def feed_entries(user) -> tuple[list[Meeting], list[ActionItem]]:
    """What a person's feed holds: meetings in their scope from FEED_PAST_DAYS ago on, and
    the open follow-ups of their agency (or their own), at most FEED_LIMIT of each. Two
    queries."""
    since = clock.now() - timedelta(days=FEED_PAST_DAYS)
    meetings = list(meetings_for(user).filter(starts_at__gte=since).order_by("starts_at")[:FEED_LIMIT])
    actions = (action_items_for(user).filter(status__in=OPEN_ACTION_STATUSES)
               .filter(Q(owner=user) | Q(owner_agency_id=user.agency_id)).order_by("due_on")[:FEED_LIMIT])
    return meetings, list(actions)


def month_of(user, first: date) -> dict[date, list]:
    """The meetings and open follow-up due dates of one month, by day. Two queries."""
    from calendar import monthrange

    last = first.replace(day=monthrange(first.year, first.month)[1])
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), zone)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone)
    days: dict[date, list] = {}
    for meeting in meetings_for(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"):
        days.setdefault(timezone.localtime(meeting.starts_at, zone).date(), []).append(meeting)
    for action in (action_items_for(user).filter(status__in=OPEN_ACTION_STATUSES, due_on__gte=first,
                                                 due_on__lte=last).order_by("due_on", "id")):
        days.setdefault(action.due_on, []).append(action)
    return days


def overdue_q(today: date | None = None) -> Q:
    """Open follow-ups past their due date (ActionItem.is_overdue, as a query)."""
    return Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today or clock.today())


def overdue_by_agency(user) -> list[tuple]:
    """Open follow-ups past their due date in the user's scope, grouped by owner agency."""
    rows = action_items_for(user).filter(overdue_q())
    groups: dict = {}
    for action in rows.order_by("owner_agency__name", "due_on", "id"):
        groups.setdefault(action.owner_agency, []).append(action)
    return list(groups.items())


def my_action_items(user) -> QuerySet[ActionItem]:
    """The follow-ups the user owns, or their agency owns, open first then by due date."""
    return (action_items_for(user).filter(Q(owner=user) | Q(owner_agency_id=user.agency_id))
            .order_by("closed_at", "due_on", "id"))
