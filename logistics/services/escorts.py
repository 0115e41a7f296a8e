"""Raising escort requests, changing them before departure, and the decision steps
(accept, reject, assign, cancel, close) of the escort workflow."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies as ground_policies
from coordination import selectors as ground_selectors
from coordination import services as ground
from coordination.choices import AccessMode, AgencyKind, ClauseCategory
from coordination.models import Agency, Clause, Election, ElectionStage, PollingStation, Region, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.history import bulk_create_with_history
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

from .. import policies
from ..choices import (
    EDITABLE_STATUSES,
    ESCORT_STEPS,
    ESCORT_TRANSITIONS,
    Cargo,
    Direction,
    DiscrepancyStatus,
    EscortStatus,
    ItemKind,
    PlaceKind,
    Side,
)
from ..models import EscortItem, EscortNumberCounter, EscortRequest, EscortStatusChange

ESCORT_WORKFLOW = Workflow(model=EscortRequest, table=ESCORT_TRANSITIONS, change_model=EscortStatusChange,
                           subject_field="escort", what=gettext_lazy("escort request"),
                           labels=dict(EscortStatus.choices), scope=policies.scope_escorts)

ESCORT_EDITABLE = ["stage", "planned_departure", "planned_arrival", "transport_mode", "notes", "team_purpose",
                   "team_members", "clause", "origin_name", "destination_name"]
ITEM_FIELDS = ("kind", "quantity", "unit", "seal_numbers", "box_label")
DEFAULT_UNITS = {ItemKind.TEAM: "orang", ItemKind.BALLOT_BOX: "buah", ItemKind.VOTING_BOOTH: "buah",
                 ItemKind.INK: "botol", ItemKind.SEAL: "lembar", ItemKind.FORMS: "set"}


def escort_number(regency_code: str, year: int, serial: int) -> str:
    """The KPU-style number of a request: ESC/64.72/2024/000123."""
    return f"ESC/{regency_code}/{year}/{serial:06d}"


def escort_serials_take(*, regency_code: str, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive serials of one kab/kota and year; returns the first.

    Must run inside the transaction that creates the requests: the counter row stays
    locked until it commits (a concurrent request waits, then continues after it), and a
    rollback gives the numbers back, so there are no gaps and no repeats.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("escort_serials_take must run inside the creating transaction")
    # Insert-if-missing first: two first requests of a year race on the insert, and the
    # loser waits for the winner's row instead of failing.
    EscortNumberCounter.objects.bulk_create([EscortNumberCounter(regency_code=regency_code, year=year)],
                                            ignore_conflicts=True)
    counter = EscortNumberCounter.objects.select_for_update().get(regency_code=regency_code, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def police_unit_for(regency_code: str) -> Agency:
    """The police unit with jurisdiction over a kab/kota: its Polres/Polresta, else the Polda."""
    units = {a.jurisdiction.code: a for a in Agency.objects.select_related("jurisdiction")
             .filter(kind=AgencyKind.POLRI, jurisdiction__code__in=[regency_code, regency_code[:2]])}
    unit = units.get(regency_code) or units.get(regency_code[:2])
    if unit is None:
        raise ValidationError({"destination_region": [_("No police unit has jurisdiction over this region.")]})
    return unit


def kpu_office_for(actor: User, regency_code: str) -> Agency:
    """The KPU office a request is raised for: the kab/kota's, else the actor's own."""
    office = Agency.objects.filter(kind=AgencyKind.KPU, jurisdiction__code=regency_code).first()
    if office is not None:
        return office
    if actor.agency_id is not None and actor.agency.kind == AgencyKind.KPU:
        return actor.agency
    raise ValidationError({"destination_region": [_("No KPU office is recorded for this kab/kota.")]})


def escort_clause_default(region: Region) -> Clause | None:
    """The escort clause of the active agreement binding ``region`` (evidence goes there)."""
    return ground_selectors.clause_in_force(region, ClauseCategory.ESCORT)


def escort_times_check(departure: datetime | None, arrival: datetime | None) -> None:
    """ValidationError (on planned_arrival) for an arrival before the departure: said in
    the field's words before the database's constraint would say it in its own. Forms
    call it too, to show it with their other errors."""
    if departure is not None and arrival is not None and arrival < departure:
        raise ValidationError({"planned_arrival": [_("The arrival cannot be before the departure.")]})


def escort_stage_check(stage: ElectionStage | None, election: Election | None) -> None:
    """ValidationError (on stage) for a stage of another election than the escort's."""
    if stage is not None and election is not None and stage.election_id != election.pk:
        raise ValidationError({"stage": [_("The stage belongs to another election.")]})


def _place(kind: str, region: Region | None, tps: PollingStation | None, name: str, which: str
           ) -> tuple[Region, PollingStation | None, str]:
    if kind == PlaceKind.TPS:
        if tps is None:
            raise ValidationError({f"{which}_tps": [_("Choose the TPS.")]})
        return tps.village, tps, name or tps.label
    if tps is not None:
        raise ValidationError({f"{which}_tps": [_("Only a TPS place names a TPS.")]})
    if region is None:
        raise ValidationError({f"{which}_region": [_("Choose the region of this place.")]})
    if not name.strip():
        raise ValidationError({f"{which}_name": [_("Name the place.")]})
    return region, None, name.strip()


def _items(escort: EscortRequest, items: Iterable[Mapping[str, Any]]) -> list[EscortItem]:
    rows = []
    for index, data in enumerate(items):
        data = {k: v for k, v in data.items() if k in ITEM_FIELDS}
        data.setdefault("unit", DEFAULT_UNITS.get(data.get("kind"), "lembar"))
        row = EscortItem(escort=escort, **data)
        try:
            row.full_clean(exclude=["escort"])
        except ValidationError as exc:
            raise ValidationError({"items": [f"{index + 1}: {m}" for m in exc.messages]}) from exc
        rows.append(row)
    return rows


def _team_items(escort: EscortRequest) -> list[dict]:
    members = [line for line in escort.team_members.splitlines() if line.strip()]
    if not members:
        raise ValidationError({"team_members": [_("List the team's members, one per line.")]})
    if not escort.team_purpose.strip():
        raise ValidationError({"team_purpose": [_("Say what the team travels for.")]})
    return [{"kind": ItemKind.TEAM, "quantity": len(members), "unit": "orang"}]


def escort_request_create(*, actor: User, election: Election, origin_kind: str, destination_kind: str,
                          planned_departure: datetime, planned_arrival: datetime,
                          origin_region: Region | None = None, origin_tps: PollingStation | None = None,
                          origin_name: str = "", destination_region: Region | None = None,
                          destination_tps: PollingStation | None = None, destination_name: str = "",
                          direction: str = Direction.OUTBOUND, cargo: str = Cargo.GOODS,
                          stage: ElectionStage | None = None, transport_mode: str = AccessMode.ROAD,
                          items: Iterable[Mapping[str, Any]] = (), notes: str = "", team_purpose: str = "",
                          team_members: str = "", clause: Clause | None = None) -> EscortRequest:
    """Raise a request (status submitted) for one leg, numbered ESC/<kab/kota>/<year>/<serial>.

    The leg's region is its destination (outbound) or origin (return); it must lie in the
    actor's scope (OutOfScope) and the actor must act for a KPU office (PermissionDenied).
    Goods need at least one item; a team escort lists its members and purpose and carries
    the team as its one item. The police unit with jurisdiction and the escort clause of
    the agreement in force are found from the region. ValidationError with field errors
    for bad input, nothing saved.
    """
    origin_region, origin_tps, origin_name = _place(origin_kind, origin_region, origin_tps, origin_name, "origin")
    destination_region, destination_tps, destination_name = _place(
        destination_kind, destination_region, destination_tps, destination_name, "destination")
    area = destination_region if direction == Direction.OUTBOUND else origin_region
    if len(area.code) < 5:
        raise ValidationError({"destination_region" if direction == Direction.OUTBOUND else "origin_region": [
            _("A leg takes place in one kab/kota: choose a region at kab/kota level or below.")]})
    policies.ensure_can_request(actor, area.code)
    regency_code = area.code[:5]
    escort = EscortRequest(
        election=election, stage=stage, cargo=cargo, direction=direction, origin_kind=origin_kind,
        origin_name=origin_name, origin_region=origin_region, origin_tps=origin_tps,
        destination_kind=destination_kind, destination_name=destination_name,
        destination_region=destination_region, destination_tps=destination_tps, area=area,
        transport_mode=transport_mode, planned_departure=planned_departure, planned_arrival=planned_arrival,
        notes=notes, team_purpose=team_purpose, team_members=team_members,
        requested_by=kpu_office_for(actor, regency_code), police_unit=police_unit_for(regency_code),
        clause=clause if clause is not None else escort_clause_default(area),
        regency_code=regency_code, year=timezone.localtime(clock.now()).year, serial=1, number="-",
    )
    escort_times_check(planned_departure, planned_arrival)
    escort_stage_check(stage, election)
    if cargo != Cargo.TEAM and (team_members.strip() or team_purpose.strip()):
        raise ValidationError({"team_members": [_("Only a team escort lists team members and a purpose.")]})
    items = list(items)
    if cargo == Cargo.TEAM:
        if items:
            raise ValidationError({"items": [_("A team escort carries the team, not goods.")]})
        items = _team_items(escort)
    elif not items:
        raise ValidationError({"items": [_("List at least one item.")]})
    escort.full_clean(exclude=["number", "serial", "area_code"])
    rows = _items(escort, items)
    with transaction.atomic():
        escort.serial = escort_serials_take(regency_code=regency_code, year=escort.year)
        escort.number = escort_number(regency_code, escort.year, escort.serial)
        escort._history_user = actor
        escort.save()
        bulk_create_with_history(rows, EscortItem, default_user=actor)
        ground.clause_evidence_sync(source=escort, actor=actor)
    return escort


def _locked(actor: User, escort: EscortRequest) -> EscortRequest:
    rows = EscortRequest.objects.select_for_update(of=("self",))
    return one_in_scope(policies.scope_escorts(rows, actor), ESCORT_WORKFLOW.what, pk=escort.pk)


def _ensure_editable(escort: EscortRequest) -> None:
    if escort.status not in EDITABLE_STATUSES:
        raise Conflict(_("The goods are frozen once the escort has departed."), code="escort_frozen")


def escort_request_update(*, actor: User, escort: EscortRequest, items: Iterable[Mapping[str, Any]] | None = None,
                          **changes) -> EscortRequest:
    """Change a request before departure (the requesting KPU office): times, transport,
    notes, team, clause, and (``items``) the whole list of goods. From departure on the
    goods are frozen (Conflict, 409 escort_frozen)."""
    unknown = set(changes) - set(ESCORT_EDITABLE)
    if unknown:
        raise ValidationError({name: [_("Not editable here.")] for name in sorted(unknown)})
    with transaction.atomic():
        locked = _locked(actor, escort)
        policies.ensure_can_act(actor, locked, Side.KPU)
        _ensure_editable(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        escort_times_check(locked.planned_departure, locked.planned_arrival)
        if locked.cargo != Cargo.TEAM and ({"team_members", "team_purpose"} & set(changes)) and (
                locked.team_members.strip() or locked.team_purpose.strip()):
            raise ValidationError({"team_members": [_("Only a team escort lists team members and a purpose.")]})
        escort_stage_check(locked.stage, locked.election)
        if locked.cargo == Cargo.TEAM and ({"team_members", "team_purpose"} & set(changes)):
            items = _team_items(locked)
        locked.full_clean()
        if changes:
            locked._history_user = actor
            locked.save(update_fields=[*changes, "updated_at"])
        if items is not None:
            items = list(items)
            if not items:
                raise ValidationError({"items": [_("List at least one item.")]})
            rows = _items(locked, items)
            for old in locked.items.all():
                old._history_user = actor
                old.delete()
            bulk_create_with_history(rows, EscortItem, default_user=actor)
        ground.clause_evidence_sync(source=locked, actor=actor)
    return locked


def escort_decide(*, actor: User, escort: EscortRequest, action: str, reason: str = "",
                  **assignment) -> EscortRequest:
    """Take one decision step of ESCORT_STEPS: accept, reject (with a reason), assign (the
    escorting unit, commander name and NRP, personnel count, vehicles or boats), cancel
    (the KPU, before departure, with a reason) or close (the KPU, once handed over and no
    discrepancy is open).

    The step's party must be the actor's (PermissionDenied); a step the escort's status
    does not allow is TransitionNotAllowed (409); the escort moves through the one
    transition service, which records the change naming the actor.
    """
    step = ESCORT_STEPS.get(action)
    if step is None or step.event:
        raise ValidationError({"action": [_("Unknown step.")]})
    if step.needs_reason and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    changes: dict[str, Any] = {}
    if action == "accept":
        changes["accepted_at"] = clock.now()
    elif action == "assign":
        changes = _assignment(actor, assignment)
    elif assignment:
        raise ValidationError({name: [_("Only an assignment takes this.")] for name in assignment})

    def rules(locked: EscortRequest, from_status: str) -> None:
        if action == "close" and locked.discrepancies.filter(status=DiscrepancyStatus.OPEN).exists():
            raise Conflict(_("Resolve the open discrepancies before closing."), code="discrepancy_open")

    with transaction.atomic():
        locked = transition(ESCORT_WORKFLOW, escort, actor=actor, to_status=step.target, reason=reason,
                            changes=changes, check=lambda row: policies.ensure_can_act(actor, row, step.side),
                            rules=rules)
        if action == "accept":
            ground.clause_evidence_sync(source=locked, actor=actor)
    return locked


def _assignment(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    required = {"commander_name": _("Name the commander."), "commander_nrp": _("Give the commander's NRP."),
                "personnel_count": _("Say how many officers escort.")}
    errors = {name: [message] for name, message in required.items() if not data.get(name)}
    unknown = set(data) - {"assigned_unit", "commander_name", "commander_nrp", "personnel_count", "vehicles"}
    errors.update({name: [_("Not part of an assignment.")] for name in unknown})
    nrp = str(data.get("commander_nrp") or "")
    if nrp and not nrp.isdigit():
        errors["commander_nrp"] = [_("An NRP is written in digits.")]
    unit = data.get("assigned_unit")
    if unit is not None and (unit.kind != AgencyKind.POLRI or not ground_policies.scope_agencies(
            Agency.objects.filter(pk=unit.pk), actor).exists()):
        errors["assigned_unit"] = [_("Choose a police unit you work with.")]
    if errors:
        raise ValidationError(errors)
    if unit is None and actor.agency_id is not None and actor.agency.kind == AgencyKind.POLRI:
        unit = actor.agency
    return {"assigned_unit": unit, "commander_name": data["commander_name"].strip(),
            "commander_nrp": nrp, "personnel_count": data["personnel_count"],
            "vehicles": (data.get("vehicles") or "").strip()}
