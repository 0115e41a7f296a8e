"""Custody confirmations (the append-only chain), the discrepancies they reveal, the
hand-over by two parties, and the check of a chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from coordination.models import User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, TransitionNotAllowed
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import transition

from .. import policies
from ..choices import (
    COUNTED_EVENTS,
    ESCORT_STEPS,
    FINAL_STATUSES,
    HANDOVER_EVENTS,
    SEVERE,
    DiscrepancyReason,
    EscortStatus,
    EventKind,
    IncidentType,
    Severity,
    Side,
)
from ..models import CustodyEvent, Discrepancy, EscortItem, EscortRequest
from ..models.custody import GENESIS
from ..models.escorts import seal_list
from ..selectors.escorts import arrival_sequence, handover_state
from .discrepancies import discrepancies_found, discrepancies_open
from .escorts import ESCORT_WORKFLOW
from .notices import notify_discrepancies, notify_incident

INCIDENT = "incident"  # the action that reports an incident (not a move of the workflow)
# An incident can be reported from the assignment until the goods are handed over.
INCIDENT_STATUSES = frozenset({EscortStatus.ASSIGNED, EscortStatus.DEPARTED, EscortStatus.ARRIVED})
KEY_MAX = CustodyEvent._meta.get_field("idempotency_key").max_length
# Reports a party may file by hand with a confirmation (counts and seals are compared by the service).
REPORTED_REASONS = {DiscrepancyReason.DAMAGED, DiscrepancyReason.WRONG_ITEM}


@dataclass
class Confirmation:
    """What one confirmation did: the event (the first one, for a replay), whether it was a
    replay of an earlier request with the same key, the escort after it, the discrepancies
    it opened and whether it completed the hand-over."""

    event: CustodyEvent
    escort: EscortRequest
    replayed: bool = False
    discrepancies: list[Discrepancy] = field(default_factory=list)
    handed_over: bool = False
    # Both hand-over confirmations are in and differ: each party may confirm again.
    disagreement: bool = False


def event_kind_of(action: str) -> str:
    """The custody event an action writes (ValidationError for an action that writes none)."""
    if action == INCIDENT:
        return EventKind.INCIDENT
    step = ESCORT_STEPS.get(action)
    if step is None or not step.event:
        raise ValidationError({"action": [_("Unknown confirmation.")]})
    return step.event


def request_fingerprint(action: str, data: Mapping[str, Any]) -> str:
    """A hash of what a confirmation asked for, the same for the same content whatever the
    order of its fields or how a number was written (a retry must match the first)."""

    def plain(value):
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, Decimal):
            return f"{value:.6f}"
        if isinstance(value, datetime):
            return value.isoformat()
        if hasattr(value, "pk"):
            return value.pk
        if hasattr(value, "read"):  # an upload: its content
            value.seek(0)
            digest = hashlib.sha256(value.read()).hexdigest()
            value.seek(0)
            return digest
        return value

    body = {k: v for k, v in data.items() if v not in (None, "", [], ())}
    text = json.dumps({"action": action, **plain(body)}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _counts(kind: str, counts, items: list[EscortItem]) -> list[dict]:
    """Counts per item, in item order: every item counted once, nothing else."""
    by_id = {item.pk: item for item in items}
    if counts is None:
        if kind in HANDOVER_EVENTS:
            raise ValidationError({"counts": [_("Count every item you hand over or receive.")]})
        return [{"item": item.pk, "quantity": item.quantity} for item in items]  # as listed
    if isinstance(counts, Mapping):
        counts = [{"item": k, "quantity": v} for k, v in counts.items()]
    seen: dict[int, int] = {}
    for entry in counts:
        try:
            item, quantity = int(entry["item"]), int(entry["quantity"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"counts": [_("Each count names an item and a quantity.")]}) from None
        if item not in by_id:
            raise ValidationError({"counts": [_("Item %(item)s is not part of this escort.") % {"item": item}]})
        if quantity < 0:
            raise ValidationError({"counts": [_("A count cannot be negative.")]})
        if item in seen:
            raise ValidationError({"counts": [_("Item %(item)s is counted twice.") % {"item": item}]})
        seen[item] = quantity
    missing = [str(pk) for pk in by_id if pk not in seen]
    if missing:
        raise ValidationError({"counts": [_("Count every item (missing: %(items)s).") % {"items": ", ".join(missing)}]})
    return [{"item": item.pk, "quantity": seen[item.pk]} for item in items]


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_input(*, kind: str, idempotency_key: str, latitude, longitude, incident_type: str, severity: str,
                 corrects: CustodyEvent | None, reason: str, reports) -> None:
    errors: dict[str, list[str]] = {}
    if len(idempotency_key) > KEY_MAX:
        errors["idempotency_key"] = [_("At most %(n)s characters.") % {"n": KEY_MAX}]
    if (latitude is None) != (longitude is None):
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = [_("Not a place on earth.")]
    if kind == EventKind.INCIDENT:
        if incident_type not in IncidentType.values:
            errors["incident_type"] = [_("Choose what happened.")]
        if severity not in Severity.values:
            errors["severity"] = [_("Choose how severe it is.")]
    elif incident_type or severity:
        errors["incident_type"] = [_("Only an incident report has a type and a severity.")]
    if corrects is not None and not reason.strip():
        errors["reason"] = [_("A correction needs a reason.")]
    for report in reports:
        if report.get("reason") not in REPORTED_REASONS:
            errors["reports"] = [_("A report is of damaged goods or a wrong item.")]
    if errors:
        raise ValidationError(errors)


# The tail of one escort's chain (its last sequence number and hash) and the id of the
# actor's event with a given idempotency key.
CHAIN_TAIL_SQL = (
    "SELECT (SELECT sequence FROM logistics_custodyevent WHERE escort_id = %s ORDER BY sequence DESC LIMIT 1), "
    "(SELECT hash FROM logistics_custodyevent WHERE escort_id = %s ORDER BY sequence DESC LIMIT 1), "
    "(SELECT id FROM logistics_custodyevent WHERE actor_id = %s AND idempotency_key = %s "
    "AND idempotency_key <> '' LIMIT 1)"
)


def _locked(actor: User, escort: EscortRequest, key: str) -> EscortRequest:
    """The escort, locked, with the tail of its chain (``last_sequence``, ``last_hash``)
    and, for a key, the actor's earlier event with that key (``replay_id``). Out of scope
    reads as missing."""
    rows = EscortRequest.objects.select_for_update(of=("self",))
    locked = one_in_scope(policies.scope_escorts(rows, actor), ESCORT_WORKFLOW.what, pk=escort.pk)
    # Read once the lock is held, in a statement of its own: under READ COMMITTED a
    # statement sees what was committed when it began, so subqueries of the locking
    # statement would still see the chain as it was before a concurrent confirmation
    # that the lock waited for (a retry would miss its first event, a checkpoint would
    # take a sequence number already used).
    # Plain SQL: built by the ORM (three subqueries) its compilation cost more than the
    # lock itself, on the path every confirmation takes (bench/confirm_throughput.py).
    with connection.cursor() as cursor:
        cursor.execute(CHAIN_TAIL_SQL, [locked.pk, locked.pk, actor.pk, key])
        last_sequence, last_hash, replay_id = cursor.fetchone()
    facts = {"last_sequence": last_sequence, "last_hash": last_hash, "replay_id": replay_id}
    for name, value in facts.items():
        setattr(locked, name, value)
    return locked


def _ensure_step(locked: EscortRequest, action: str, kind: str, corrects: CustodyEvent | None
                 ) -> CustodyEvent | None:
    """The step must be open now; a step already taken is a clear 409, not a second event.
    Returns the event this one corrects: ``corrects``, or for a hand-over confirmed again
    after the two parties disagreed, the party's own earlier confirmation."""
    if corrects is not None:
        if corrects.escort_id != locked.pk or corrects.kind != kind or kind not in COUNTED_EVENTS:
            raise ValidationError({"corrects": [_("Correct an earlier count of the same kind on this escort.")]})
        if locked.status in FINAL_STATUSES or locked.status == EscortStatus.HANDED_OVER:
            raise Conflict(_("This escort is finished; its events can no longer be corrected."), code="escort_finished")
        return corrects
    if action == INCIDENT:
        if locked.status not in INCIDENT_STATUSES:
            raise TransitionNotAllowed(_("Incidents are reported while the escort is assigned or under way."))
        return None
    step = ESCORT_STEPS[action]
    taken = locked.events.filter(kind=kind)
    if kind in HANDOVER_EVENTS and locked.status in step.sources:
        state = handover_state(locked)
        if kind not in state.closed_kinds:
            # A first confirmation, or a second one after the parties disagreed: the
            # latter corrects the party's own earlier one (and needs a reason).
            return state.latest.get(kind)
        taken = taken.filter(sequence__gt=arrival_sequence(locked))
    elif locked.status in step.sources:
        return None
    if kind != EventKind.CHECKPOINT:
        first = taken.select_related("actor").order_by("sequence").first()
        if first is not None:
            raise Conflict(_("%(step)s was already confirmed by %(who)s.") % {"step": step.label, "who": first.actor},
                           code="already_confirmed")
    raise TransitionNotAllowed(_("%(step)s is not possible while the escort is %(status)s.") % {
        "step": step.label, "status": locked.get_status_display().lower()})


def custody_confirm(*, actor: User, escort: EscortRequest, action: str, idempotency_key: str = "",
                    counts: Iterable[Mapping[str, Any]] | Mapping[int, int] | None = None,
                    seals_intact: bool | None = None, seals_seen: str = "", note: str = "",
                    latitude: Decimal | None = None, longitude: Decimal | None = None,
                    device_time: datetime | None = None, photo=None, acting_as: str = "", signer_name: str = "",
                    witnesses: str = "", corrects: CustodyEvent | None = None, reason: str = "",
                    incident_type: str = "", severity: str = "",
                    reports: Iterable[Mapping[str, Any]] = ()) -> Confirmation:
    """Record one custody confirmation of ``action`` (depart, checkpoint, arrive,
    handover-escort, handover-receipt, or incident) and make the move it stands for.

    Preconditions: the escort lies in the actor's scope (else OutOfScope) and the actor
    acts for the step's party (police, or for the receipt the KPU custodian's office;
    PermissionDenied). The step must be open in the escort's status: a step already
    confirmed is Conflict ``already_confirmed`` (409), another refused move
    TransitionNotAllowed. Counted events (departure, arrival, both hand-over sides) carry
    a count for every item (departure and arrival default to the listed quantities) and
    the seals seen.

    Idempotency: with ``idempotency_key`` a retried request (same actor, key and content)
    returns the first event and writes nothing; the same key with other content is
    Conflict ``idempotency_key_reused``. Two confirmations at once are serialised by the
    escort's row lock: the second sees the first.

    Effects, in one transaction: the event (next in the escort's chain, hashed with the
    previous event's hash); discrepancies for counts and seals that differ from what was
    sent (one open per item and reason), notified to both agencies; a severe incident
    notified to both; departure and arrival move the escort; the second hand-over
    confirmation that agrees with the first moves it to handed over.
    """
    kind = event_kind_of(action)
    reports = list(reports)
    _check_input(kind=kind, idempotency_key=idempotency_key, latitude=latitude, longitude=longitude,
                 incident_type=incident_type, severity=severity, corrects=corrects, reason=reason, reports=reports)
    fingerprint = request_fingerprint(action, {
        "escort": escort.pk, "counts": counts, "seals_intact": seals_intact, "seals_seen": seals_seen, "note": note,
        "latitude": latitude, "longitude": longitude, "device_time": device_time, "photo": photo,
        "acting_as": acting_as, "signer_name": signer_name, "witnesses": witnesses, "corrects": corrects,
        "reason": reason, "incident_type": incident_type, "severity": severity, "reports": reports,
    }) if idempotency_key else ""
    side = Side.KPU if action == "handover-receipt" else Side.POLICE
    try:
        with transaction.atomic():
            locked = _locked(actor, escort, idempotency_key)
            if action == INCIDENT:
                side = policies.ensure_can_report_incident(actor, locked)
            else:
                policies.ensure_can_act(actor, locked, side)
            if idempotency_key and locked.replay_id is not None:
                first = CustodyEvent.objects.get(pk=locked.replay_id)
                if first.request_fingerprint != fingerprint:
                    raise Conflict(_("This idempotency key was used for a different confirmation."),
                                   code="idempotency_key_reused")
                return Confirmation(event=first, escort=locked, replayed=True)
            corrects = _ensure_step(locked, action, kind, corrects)
            if corrects is not None and not reason.strip():
                raise ValidationError({"reason": [_("Your earlier confirmation and the other party's differ: say why "
                                                    "you confirm again.")]})
            items = list(locked.items.all()) if kind in COUNTED_EVENTS or reports else []
            known = {item.pk for item in items}
            for report in reports:
                if report.get("item") is not None and _as_int(report["item"]) not in known:
                    raise ValidationError({"reports": [_("Item %(item)s is not part of this escort.") % {
                        "item": report["item"]}]})
            counted = _counts(kind, counts, items) if kind in COUNTED_EVENTS else []
            if kind in HANDOVER_EVENTS and seals_intact is None and any(item.seals for item in items):
                raise ValidationError({"seals_intact": [_("Say whether the seals are intact.")]})
            if kind not in COUNTED_EVENTS and counts:
                raise ValidationError({"counts": [_("Only departure, arrival and hand-over carry counts.")]})
            event = CustodyEvent(
                escort=locked, sequence=(locked.last_sequence or 0) + 1, kind=kind, actor=actor, side=side,
                actor_agency_id=actor.agency_id, acting_as=acting_as.strip(),
                signer_name=(signer_name.strip() or actor.get_full_name() or actor.username),
                device_time=device_time, recorded_at=clock.now(), latitude=latitude, longitude=longitude,
                counts=counted, seals_intact=seals_intact, seals_seen=" ".join(seal_list(seals_seen)),
                witnesses=witnesses.strip(), note=note.strip(), corrects=corrects, reason=reason.strip(),
                incident_type=incident_type, severity=severity, idempotency_key=idempotency_key,
                request_fingerprint=fingerprint, previous_hash=locked.last_hash or GENESIS,
            )
            if photo is not None:
                # The name goes into the hash: store the file first (a rollback leaves an
                # unreferenced file, never a row pointing at nothing).
                event.photo.name = default_storage.save(f"custody/{locked.pk}/{photo.name}", photo)
            event.full_clean(exclude=["escort", "actor", "actor_agency", "corrects", "hash"])
            event.hash = event.compute_hash()
            event.save(force_insert=True)
            opened = discrepancies_open(actor, locked, discrepancies_found(event, items, reports))
            result = Confirmation(event=event, escort=locked, discrepancies=opened)
            step = ESCORT_STEPS.get(action)
            if corrects is None and step is not None and step.target != locked.status:
                result.escort = transition(ESCORT_WORKFLOW, locked, actor=actor, to_status=step.target, reason=note)
            elif kind in HANDOVER_EVENTS:
                state = handover_state(locked)
                if state.agree:
                    result.escort = transition(ESCORT_WORKFLOW, locked, actor=actor,
                                               to_status=EscortStatus.HANDED_OVER,
                                               changes={"handed_over_at": event.recorded_at})
                    result.handed_over = True
                result.disagreement = state.complete and not state.agree
            if opened:
                notify_discrepancies(result.escort, opened)
            if kind == EventKind.INCIDENT and severity in SEVERE:
                notify_incident(result.escort, event)

    except IntegrityError as exc:
        # The escort's row lock orders the confirmations of one escort; the same key sent
        # at the same moment for two escorts meets the unique key instead (the whole
        # confirmation is rolled back: no savepoint on the path every confirmation takes).
        if "idempotency" not in str(exc):  # the key's unique constraint, by name (PostgreSQL) or column
            raise
        raise Conflict(_("This idempotency key was used for a different confirmation."),
                       code="idempotency_key_reused") from exc
    return result
