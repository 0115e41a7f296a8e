"""Escort requests, their chain and discrepancies, as the caller may see them."""

from __future__ import annotations

from django.db.models import QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import ESCORT_STEPS, HANDOVER_EVENTS, EscortStatus, EventKind, Step
from ..models import CustodyEvent, Discrepancy, EscortRequest


def escorts_for(user) -> QuerySet[EscortRequest]:
    """The escorts in the user's region, with what a list row shows (one query)."""
    rows = EscortRequest.objects.select_related("requested_by", "police_unit", "election", "stage")
    return policies.scope_escorts(rows, user)


def escort_get(user, pk) -> EscortRequest:
    """One escort in the user's scope (OutOfScope, read as 404, when missing or outside)."""
    rows = escorts_for(user).select_related("assigned_unit", "area", "destination_tps", "origin_tps", "clause")
    return one_in_scope(rows.defer("area__boundary"), _("escort request"), pk=pk)


def custody_events_for(user) -> QuerySet[CustodyEvent]:
    return policies.scope_escort_rows(
        CustodyEvent.objects.select_related("escort", "actor", "actor_agency"), user)


def discrepancies_for(user) -> QuerySet[Discrepancy]:
    return policies.scope_escort_rows(
        Discrepancy.objects.select_related("escort", "item", "event", "resolved_by"), user)


def escort_trail(escort: EscortRequest):
    """The escort's custody events in order, with who confirmed each."""
    return escort.events.select_related("actor", "actor_agency").order_by("sequence")


def handover_confirmed(escort: EscortRequest) -> set[str]:
    """The hand-over confirmations (event kinds) recorded since the escort's arrival: the
    rule custody_confirm applies to refuse a second one."""
    arrival = (escort.events.filter(kind=EventKind.ARRIVAL).order_by("-sequence")
               .values_list("sequence", flat=True)[:1])
    return set(escort.events.filter(kind__in=HANDOVER_EVENTS, sequence__gt=Subquery(arrival))
               .values_list("kind", flat=True))


def escort_next_steps(user, escort: EscortRequest, confirmed: set[str] | None = None) -> list[Step]:
    """The steps ``user`` may take on ``escort`` now, in the table's order: what the
    page's buttons and the field page's "next action" offer. ``confirmed`` is the set of
    hand-over event kinds already recorded since arrival (read when not given)."""
    if escort.status == EscortStatus.ARRIVED and confirmed is None:
        confirmed = handover_confirmed(escort)
    steps = []
    for step in ESCORT_STEPS.values():
        if escort.status not in step.sources or not policies.may_act(user, step.side):
            continue
        if step.event in HANDOVER_EVENTS and step.event in (confirmed or set()):
            continue
        if not policies.ground.code_in_scope(escort.area_code, policies.ground.scope_code(user)):
            continue
        steps.append(step)
    return steps
