"""What in meetings waits on one person now: minutes their party must approve and the
follow-ups they or their agency own that are due (the dashboard's "needs my action")."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from coordination.choices import AgencyKind
from kpu_polda.base import clock

from .. import policies
from ..choices import OPEN_ACTION_STATUSES
from ..models import ActionItem, Invitation, Minutes

# A follow-up shows in the inbox from this many days before its due date.
DUE_SOON_DAYS = 3
APPROVED_AT = {AgencyKind.KPU: "kpu_approved_at", AgencyKind.POLRI: "police_approved_at"}


def minutes_awaiting_approval(user) -> QuerySet[Minutes]:
    """Submitted minutes not yet approved for the user's party, of meetings their agency
    organises or is invited to (meetings.policies.approval_side, as a query)."""
    if not policies.acts(user) or user.agency_id is None or user.agency.kind not in APPROVED_AT:
        return Minutes.objects.none()
    agency = user.agency_id
    invited = Exists(Invitation.objects.filter(meeting=OuterRef("meeting_id"), agency_id=agency))
    party = Q(meeting__organiser_id=agency) | Q(meeting__co_organiser_id=agency) | Q(invited)
    return (Minutes.objects.filter(party, submitted_at__isnull=False, locked_at__isnull=True,
                                   **{f"{APPROVED_AT[user.agency.kind]}__isnull": True})
            .select_related("meeting").order_by("submitted_at", "id"))


def action_items_due(user) -> QuerySet[ActionItem]:
    """Open follow-ups the user or their agency owns that are overdue or due within
    DUE_SOON_DAYS, the earliest first."""
    if not policies.acts(user):
        return ActionItem.objects.none()
    mine = Q(owner_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    horizon = clock.today() + timedelta(days=DUE_SOON_DAYS)
    rows = ActionItem.objects.filter(mine, status__in=OPEN_ACTION_STATUSES, due_on__lte=horizon)
    return policies.scope_action_items(rows, user).select_related("meeting").order_by("due_on", "id")
