"""The chain of custody: append-only confirmations, the discrepancies they reveal, and
the SLA alerts already raised."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import TimeStampedModel

from ..choices import AlertCondition, DiscrepancyReason, DiscrepancyStatus, EventKind, IncidentType, Severity, Side
from .escorts import EscortItem, EscortRequest

GENESIS = "0" * 64  # the "previous hash" of an escort's first event


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _coordinate(value) -> str | None:
    return f"{Decimal(value):.6f}" if value is not None else None


class CustodyEvent(models.Model):
    """One confirmation in an escort's chain of custody: who confirmed what, in which
    role, when (their device's time and the server's), where, what they counted of each
    item, whether the seals were intact and which numbers they saw.

    Rows are never changed or deleted: on PostgreSQL a trigger refuses UPDATE and DELETE
    whoever asks. A mistake is put right by a new event that ``corrects`` the earlier one,
    with a reason. Each row carries the hash of its own content and of the previous event
    of its escort (``previous_hash``), so an edit made behind the app's back breaks the
    chain at that row (logistics.services.custody_chain_verify). The row is its own record:
    it has no history table.
    """

    # No single-column indexes on escort and actor: the unique constraints below start with
    # them and serve every lookup. With a separate actor index the planner, its statistics
    # taken when an officer had few events, walked all of an officer's events to find one
    # idempotency key (2 ms at 5,000 events, growing with every confirmation).
    escort = models.ForeignKey(EscortRequest, verbose_name=_("escort request"), on_delete=models.PROTECT,
                               related_name="events", db_index=False)
    sequence = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    side = models.CharField(_("party"), max_length=8, choices=Side.choices)
    actor_agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, on_delete=models.PROTECT,
                                     related_name="+")
    acting_as = models.CharField(_("acting as"), max_length=80, blank=True,
                                 help_text=_("For example: komandan pengawalan, ketua PPS, ketua KPPS."))
    signer_name = models.CharField(_("name"), max_length=120)
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # [{"item": <EscortItem id>, "quantity": n}, ...] in item order: what this party counted.
    counts = models.JSONField(_("counted"), default=list, blank=True)
    seals_intact = models.BooleanField(_("seals intact"), null=True, blank=True)
    seals_seen = models.CharField(_("seal numbers seen"), max_length=400, blank=True)
    witnesses = models.CharField(_("witnesses"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to="custody/", blank=True)
    corrects = models.ForeignKey("self", verbose_name=_("corrects"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    reason = models.TextField(_("reason for the correction"), blank=True)
    incident_type = models.CharField(_("incident"), max_length=10, choices=IncidentType.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True, editable=False)
    # What the confirming request said (a hash), so a retry with the same key but other
    # content is refused instead of answered with the first result.
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["escort", "sequence"]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        constraints = [
            # Two confirmations can never take the same place in one chain.
            models.UniqueConstraint(fields=["escort", "sequence"], name="custody_sequence_unique"),
            # A retried confirmation finds the first by its key (the service answers with it).
            models.UniqueConstraint(fields=["actor", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                                    name="custody_idempotency_unique"),
        ]
        indexes = [models.Index(fields=["kind", "recorded_at"], name="custody_kind_time")]  # incident lists
        triggers = [
            pgtrigger.Protect(name="custody_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.escort_id}#{self.sequence} {self.kind}"

    def canonical(self) -> dict:
        """The content the hash covers: every fact of the confirmation and the previous
        event's hash, in a fixed form (UTC moments, six-decimal coordinates)."""
        return {
            "escort": self.escort_id, "sequence": self.sequence, "kind": self.kind, "actor": self.actor_id,
            "side": self.side, "agency": self.actor_agency_id, "acting_as": self.acting_as,
            "signer": self.signer_name, "device_time": _moment(self.device_time),
            "recorded_at": _moment(self.recorded_at), "lat": _coordinate(self.latitude),
            "lon": _coordinate(self.longitude),
            "counts": [[int(c["item"]), int(c["quantity"])] for c in self.counts],
            "seals_intact": self.seals_intact, "seals_seen": self.seals_seen, "witnesses": self.witnesses,
            "note": self.note, "photo": self.photo.name or "", "corrects": self.corrects_id, "reason": self.reason,
            "incident_type": self.incident_type, "severity": self.severity, "previous": self.previous_hash,
        }

    def compute_hash(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def count_by_item(self) -> dict[int, int]:
        return {int(c["item"]): int(c["quantity"]) for c in self.counts}


class Discrepancy(TimeStampedModel):
    """A difference between what was sent and what a party found (a count, a seal, a
    wrong or damaged item). It stays open until the KPU resolves it with a note."""

    escort = models.ForeignKey(EscortRequest, verbose_name=_("escort request"), on_delete=models.PROTECT,
                               related_name="discrepancies")
    item = models.ForeignKey(EscortItem, verbose_name=_("item"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="discrepancies")
    event = models.ForeignKey(CustodyEvent, verbose_name=_("found at"), on_delete=models.PROTECT,
                              related_name="discrepancies")
    reason = models.CharField(_("reason"), max_length=12, choices=DiscrepancyReason.choices)
    expected = models.PositiveIntegerField(_("sent"), null=True, blank=True)
    counted = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DiscrepancyStatus.choices,
                              default=DiscrepancyStatus.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(_("resolution"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        constraints = [
            # One open discrepancy per item and reason: both parties finding the same
            # broken seal make one discrepancy (and one notice), not two.
            models.UniqueConstraint(fields=["escort", "item", "reason"], condition=models.Q(status="open"),
                                    name="discrepancy_one_open"),
            models.CheckConstraint(
                condition=models.Q(status="open") | (models.Q(resolved_at__isnull=False) & ~models.Q(resolution="")),
                name="discrepancy_resolved_with_note"),
        ]
        indexes = [models.Index(fields=["status", "escort"], name="discrepancy_open")]  # board, escort page

    def __str__(self) -> str:
        return f"{self.escort_id}: {self.get_reason_display()}"


class EscortAlert(models.Model):
    """An SLA condition already raised for an escort (not accepted in time, not departed,
    not arrived): the periodic check raises each once."""

    escort = models.ForeignKey(EscortRequest, on_delete=models.CASCADE, related_name="alerts")
    condition = models.CharField(_("condition"), max_length=14, choices=AlertCondition.choices)
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("escort alert")
        verbose_name_plural = _("escort alerts")
        constraints = [models.UniqueConstraint(fields=["escort", "condition"], name="escort_alert_once")]

    def __str__(self) -> str:
        return f"{self.escort_id}: {self.condition}"
