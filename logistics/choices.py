"""The vocabulary of logistics escort, and the one table of the escort workflow.

ESCORT_STEPS is the workflow: every move an escort can make, who makes it (the police,
the KPU, or the hand-over itself once both parties agree), and whether it is a custody
confirmation (an event in the chain) or a decision. The service, the page buttons, the
API actions and the tests all read it; ESCORT_TRANSITIONS is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse (gudang)")
    KPU_OFFICE = "kpu_office", _("KPU office")
    PPK = "ppk", _("PPK (kecamatan)")
    PPS = "pps", _("PPS (desa/kelurahan)")
    TPS = "tps", _("TPS")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound (to the TPS)")
    RETURN = "return", _("Return (to the warehouse)")


class Cargo(models.TextChoices):
    GOODS = "goods", _("Logistics goods")
    TEAM = "team", _("KPU team")


class ItemKind(models.TextChoices):
    """PKPU 14/2023's voting equipment and its other support, as escorted."""

    BALLOT_PRESIDENT = "ballot_president", _("Ballot: President and Vice-President (grey)")
    BALLOT_DPR = "ballot_dpr", _("Ballot: DPR (yellow)")
    BALLOT_DPD = "ballot_dpd", _("Ballot: DPD (red)")
    BALLOT_DPRD_PROVINCE = "ballot_dprd_prov", _("Ballot: DPRD provinsi (blue)")
    BALLOT_DPRD_REGENCY = "ballot_dprd_kab", _("Ballot: DPRD kabupaten/kota (green)")
    BALLOT_BOX = "ballot_box", _("Kotak suara")
    VOTING_BOOTH = "voting_booth", _("Bilik pemungutan suara")
    INK = "ink", _("Tinta")
    SEAL = "seal", _("Segel")
    FORMS = "forms", _("Formulir (berita acara and sertifikat)")
    MARKING_TOOL = "marking_tool", _("Alat penanda pilihan")
    ENVELOPES = "envelopes", _("Sampul kertas")
    PADLOCK = "padlock", _("Gembok")
    BLIND_AID = "blind_aid", _("Alat bantu tunanetra")
    VOTER_LISTS = "voter_lists", _("Salinan DPT/DPTb")
    TEAM = "team", _("KPU team members")
    OTHER = "other", _("Other")


# The five ballots of Pemilu 2024, each with its own colour and box (DOMAIN.md section 4).
BALLOTS = [ItemKind.BALLOT_PRESIDENT, ItemKind.BALLOT_DPR, ItemKind.BALLOT_DPD, ItemKind.BALLOT_DPRD_PROVINCE,
           ItemKind.BALLOT_DPRD_REGENCY]


class EscortStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Assigned")
    DEPARTED = "departed", _("Under way")
    ARRIVED = "arrived", _("Arrived")
    HANDED_OVER = "handed_over", _("Handed over")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Before departure the goods may still change; from departure on they are frozen.
EDITABLE_STATUSES = frozenset({EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED})
FINAL_STATUSES = frozenset({EscortStatus.REJECTED, EscortStatus.CLOSED, EscortStatus.CANCELLED})
# Still to be carried out: counted by the board as open work.
ACTIVE_STATUSES = frozenset({EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED,
                             EscortStatus.DEPARTED, EscortStatus.ARRIVED})


class Side(models.TextChoices):
    POLICE = "police", _("Police")
    KPU = "kpu", _("KPU")


class EventKind(models.TextChoices):
    """What a custody event confirms."""

    DEPARTURE = "departure", _("Departure")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    ARRIVAL = "arrival", _("Arrival")
    HANDOVER_ESCORT = "handover_escort", _("Hand-over: escorting officer")
    HANDOVER_RECEIPT = "handover_receipt", _("Hand-over: receiving custodian")
    INCIDENT = "incident", _("Incident")


# Events that carry counts per item (and seals seen): compared with the goods, and with
# each other at the hand-over.
COUNTED_EVENTS = frozenset({EventKind.DEPARTURE, EventKind.ARRIVAL, EventKind.HANDOVER_ESCORT,
                            EventKind.HANDOVER_RECEIPT})
HANDOVER_EVENTS = frozenset({EventKind.HANDOVER_ESCORT, EventKind.HANDOVER_RECEIPT})


@dataclass(frozen=True)
class Step:
    """One move of the escort workflow: ``action`` is its name in URLs and forms."""

    action: str
    label: str
    sources: frozenset[str]
    target: str
    side: str
    event: str = ""  # the custody event that makes the move ("" for a decision)
    needs_reason: bool = False


ESCORT_STEPS: dict[str, Step] = {step.action: step for step in [
    Step("accept", _("Accept"), frozenset({EscortStatus.SUBMITTED}), EscortStatus.ACCEPTED, Side.POLICE),
    Step("reject", _("Reject"), frozenset({EscortStatus.SUBMITTED, EscortStatus.ACCEPTED}), EscortStatus.REJECTED,
         Side.POLICE, needs_reason=True),
    Step("assign", _("Assign the escort"), frozenset({EscortStatus.ACCEPTED}), EscortStatus.ASSIGNED, Side.POLICE),
    Step("cancel", _("Cancel"), frozenset({EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED}),
         EscortStatus.CANCELLED, Side.KPU, needs_reason=True),
    Step("depart", _("Confirm departure"), frozenset({EscortStatus.ASSIGNED}), EscortStatus.DEPARTED, Side.POLICE,
         event=EventKind.DEPARTURE),
    Step("checkpoint", _("Report a checkpoint"), frozenset({EscortStatus.DEPARTED}), EscortStatus.DEPARTED,
         Side.POLICE, event=EventKind.CHECKPOINT),
    Step("arrive", _("Confirm arrival"), frozenset({EscortStatus.DEPARTED}), EscortStatus.ARRIVED, Side.POLICE,
         event=EventKind.ARRIVAL),
    # Both hand-over confirmations stay in "arrived" until the second agrees with the first;
    # the service then moves the escort to handed_over.
    Step("handover-escort", _("Confirm hand-over (escorting officer)"), frozenset({EscortStatus.ARRIVED}),
         EscortStatus.ARRIVED, Side.POLICE, event=EventKind.HANDOVER_ESCORT),
    Step("handover-receipt", _("Confirm receipt (custodian)"), frozenset({EscortStatus.ARRIVED}),
         EscortStatus.ARRIVED, Side.KPU, event=EventKind.HANDOVER_RECEIPT),
    Step("close", _("Close"), frozenset({EscortStatus.HANDED_OVER}), EscortStatus.CLOSED, Side.KPU),
]}

# The moves the transition service allows, derived from the steps (plus the hand-over,
# which the second agreeing confirmation makes).
ESCORT_TRANSITIONS: dict[str, set[str]] = {status: set() for status in EscortStatus.values}
for _step in ESCORT_STEPS.values():
    for _source in _step.sources:
        if _step.target != _source:
            ESCORT_TRANSITIONS[_source].add(_step.target)
ESCORT_TRANSITIONS[EscortStatus.ARRIVED].add(EscortStatus.HANDED_OVER)
EVENT_STEP = {step.event: step for step in ESCORT_STEPS.values() if step.event}


class IncidentType(models.TextChoices):
    DELAY = "delay", _("Delay")
    ACCIDENT = "accident", _("Accident")
    WEATHER = "weather", _("Weather")
    THREAT = "threat", _("Threat")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# An incident at or above this severity notifies both agencies at once.
SEVERE = frozenset({Severity.HIGH, Severity.CRITICAL})


class DiscrepancyReason(models.TextChoices):
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing")
    SURPLUS = "surplus", _("Surplus")
    SEAL_BROKEN = "seal_broken", _("Seal broken or different")
    WRONG_ITEM = "wrong_item", _("Wrong item")


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class AlertCondition(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", _("Not accepted in time")
    NOT_DEPARTED = "not_departed", _("Not departed at the planned time")
    NOT_ARRIVED = "not_arrived", _("Not arrived by the planned arrival")
