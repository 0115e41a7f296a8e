"""Escort requests, their chain and discrepancies, as the caller may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination import policies as ground
from coordination.models import PollingStation
from kpu_polda.base import clock
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


def arrival_sequence(escort: EscortRequest) -> int:
    """The sequence number of the escort's (latest) arrival event; 0 before it arrived."""
    return (escort.events.filter(kind=EventKind.ARRIVAL).order_by("-sequence")
            .values_list("sequence", flat=True).first() or 0)


def handover_state(escort: EscortRequest) -> HandoverState:
    """The hand-over state of one escort, read from its chain (two queries at most)."""
    arrival = arrival_sequence(escort)
    if not arrival:
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
        if not policies.can_see(user, escort):
            continue
        steps.append(step)
    return steps


def station_for(user, key: tuple[str, int], election) -> PollingStation | None:
    """The TPS a form names by ``key`` (its village's code and number in ``election``,
    or ``("#id", pk)``) among those ``user`` may see (all, for no user)."""
    rows = PollingStation.objects.select_related("village")
    if user is not None:
        rows = ground.scope_polling_stations(rows, user)
    code, number = key
    if code == "#id":
        return rows.filter(pk=number).first()
    if election is None:
        return None
    return rows.filter(village_code=code, number=number, election=election).first()


ON_THE_ROAD = [EscortStatus.DEPARTED, EscortStatus.ARRIVED]
NOT_TODAY = [EscortStatus.REJECTED, EscortStatus.CANCELLED]


def field_escorts(user) -> QuerySet[EscortRequest]:
    """The officers' list: escorts of the user's region that depart today (WITA, on the
    app's clock; not rejected or cancelled) or are under way or arrived, by departure."""
    start = timezone.make_aware(datetime.combine(clock.today(), time.min))
    today = Q(planned_departure__gte=start, planned_departure__lt=start + timedelta(days=1)) \
        & ~Q(status__in=NOT_TODAY)
    return escorts_for(user).filter(today | Q(status__in=ON_THE_ROAD)).order_by("planned_departure", "id")


def handover_closed_kinds(escorts: list[EscortRequest]) -> dict[int, set[str]]:
    """HandoverState.closed_kinds of each arrived escort of ``escorts``, from one read of
    their arrival and hand-over events."""
    arrived = [escort.pk for escort in escorts if escort.status == EscortStatus.ARRIVED]
    events: dict[int, list[CustodyEvent]] = {pk: [] for pk in arrived}
    if arrived:
        for event in CustodyEvent.objects.filter(escort_id__in=arrived,
                                                 kind__in=[EventKind.ARRIVAL, *HANDOVER_EVENTS]).order_by("sequence"):
            if event.kind == EventKind.ARRIVAL:
                events[event.escort_id] = []  # what came before the (latest) arrival does not count
            else:
                events[event.escort_id].append(event)
    return {pk: handover_state_of(rows).closed_kinds for pk, rows in events.items()}
