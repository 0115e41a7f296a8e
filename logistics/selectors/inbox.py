"""What in logistics waits on one person now: the escort steps their party takes next and
the discrepancies their office must resolve (the dashboard's "needs my action")."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from kpu_polda.base import clock

from .. import policies
from ..choices import ESCORT_STEPS, DiscrepancyStatus, EscortStatus, EventKind, Side
from ..models import CustodyEvent, Discrepancy, EscortRequest
from .overdue import overdue_q

# The statuses in which the party takes the next step (the step table, read once): a
# police unit accepts, assigns, departs, arrives and confirms the hand-over; the KPU office
# confirms receipt and closes. Cancel and reject are possible but never waited for.
NOT_AWAITED = {"cancel", "reject", "checkpoint"}
WAITING_STATUSES = {
    side: {source for step in ESCORT_STEPS.values() if step.side == side and step.action not in NOT_AWAITED
           for source in step.sources}
    for side in (Side.POLICE, Side.KPU)
}
OWN_HANDOVER = {Side.POLICE: EventKind.HANDOVER_ESCORT, Side.KPU: EventKind.HANDOVER_RECEIPT}


def _handover_pending(side: str) -> Q:
    """An arrived escort waits on ``side`` until it confirmed the hand-over, and again
    when both confirmed and they disagree (it is then still arrived)."""
    other = Side.KPU if side == Side.POLICE else Side.POLICE
    own = Exists(CustodyEvent.objects.filter(escort=OuterRef("pk"), kind=OWN_HANDOVER[side]))
    theirs = Exists(CustodyEvent.objects.filter(escort=OuterRef("pk"), kind=OWN_HANDOVER[other]))
    return ~own | theirs


def escorts_awaiting(user) -> QuerySet[EscortRequest]:
    """Escorts in the user's scope whose next step is their office's: for a police officer,
    those of their unit (with jurisdiction, or assigned to escort); for KPU staff, those
    their office requested. Soonest departure first; each marked ``late`` by the one
    lateness rule (overdue_q). Empty for anyone who does not act."""
    side = policies.side_of(user)
    if side is None:
        return EscortRequest.objects.none()
    own = Q(police_unit_id=user.agency_id) | Q(assigned_unit_id=user.agency_id) if side == Side.POLICE \
        else Q(requested_by_id=user.agency_id)
    statuses = WAITING_STATUSES[side] - {EscortStatus.ARRIVED}
    waiting = Q(status__in=statuses) | (Q(status=EscortStatus.ARRIVED) & _handover_pending(side))
    late = Case(When(overdue_q(clock.now()), then=Value(True)), default=Value(False), output_field=BooleanField())
    return (policies.scope_escorts(EscortRequest.objects.filter(own).filter(waiting), user)
            .select_related("origin_region", "destination_region").annotate(late=late)
            .order_by("planned_departure", "id"))


def discrepancies_awaiting(user) -> QuerySet[Discrepancy]:
    """Open discrepancies of escorts the user's KPU office requested: the KPU side
    resolves them (logistics.services.discrepancy_resolve)."""
    if policies.side_of(user) != Side.KPU:
        return Discrepancy.objects.none()
    rows = Discrepancy.objects.filter(status=DiscrepancyStatus.OPEN, escort__requested_by_id=user.agency_id)
    return policies.scope_escort_rows(rows, user).select_related("escort").order_by("id")
