"""Escort requests, their chain and discrepancies, as the caller may see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import ESCORT_STEPS, HANDOVER_EVENTS, EscortStatus, EventKind, Step
from ..models import CustodyEvent, Discrepancy, EscortRequest
from ..models.escorts import seal_list


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


@dataclass(frozen=True)
class HandoverState:
    """The hand-over since arrival: each party's latest confirmation (by event kind) and
    whether they agree (both present, the same count of every item, the same seal facts)."""

    latest: dict[str, CustodyEvent]

    @property
    def complete(self) -> bool:
        return len(self.latest) == len(HANDOVER_EVENTS)

    @property
    def agree(self) -> bool:
        if not self.complete:
            return False
        sender, receiver = self.latest[EventKind.HANDOVER_ESCORT], self.latest[EventKind.HANDOVER_RECEIPT]
        return (sender.count_by_item == receiver.count_by_item and sender.seals_intact == receiver.seals_intact
                and set(seal_list(sender.seals_seen)) == set(seal_list(receiver.seals_seen)))

    @property
    def closed_kinds(self) -> set[str]:
        """The confirmations that may not be made again now: each one given, unless both
        are in and disagree (then each party may confirm again, with a reason)."""
        return set() if self.complete and not self.agree else set(self.latest)


def handover_state_of(events) -> HandoverState:
    """The state from an escort's hand-over events after its arrival (any order)."""
    latest: dict[str, CustodyEvent] = {}
    for event in sorted(events, key=lambda e: e.sequence):
        if event.kind in HANDOVER_EVENTS:
            latest[event.kind] = event
    return HandoverState(latest)


def handover_state(escort: EscortRequest) -> HandoverState:
    """The hand-over state of one escort, read from its chain (two queries at most)."""
    arrival = (escort.events.filter(kind=EventKind.ARRIVAL).order_by("-sequence")
               .values_list("sequence", flat=True).first())
    if arrival is None:
        return HandoverState({})
    return handover_state_of(escort.events.filter(kind__in=HANDOVER_EVENTS, sequence__gt=arrival))


def escort_next_steps(user, escort: EscortRequest, confirmed: set[str] | None = None) -> list[Step]:
    """The steps ``user`` may take on ``escort`` now, in the table's order: what the
    page's buttons and the field page's "next action" offer. ``confirmed`` is the set of
    hand-over confirmations that may not be made again (HandoverState.closed_kinds; read
    when not given)."""
    if escort.status == EscortStatus.ARRIVED and confirmed is None:
        confirmed = handover_state(escort).closed_kinds
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
