"""Escort requests (one leg each), their goods, and the numbering counter."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.choices import AccessMode
from coordination.models import Agency, ClauseActivity, Election, ElectionStage, PollingStation, Region
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel, keep_code_copy

from ..choices import Cargo, Direction, EscortStatus, ItemKind, PlaceKind


class EscortRequest(ClauseActivity, TimeStampedModel):
    """One leg that a KPU office asks the police to escort: goods (or a KPU team) from one
    place to another, at a planned time. Its status follows the escort workflow
    (logistics.choices.ESCORT_STEPS); what happened on the way is its custody events.

    ``area`` is where the leg takes place (the destination outbound, the origin on a
    return): who may see the escort follows from it, and ``area_code`` is its copy, so
    scope and the board read this table alone.
    """

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    regency_code = models.CharField(_("kab/kota code"), max_length=5, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial"), editable=False)
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT,
                                 related_name="escorts")
    stage = models.ForeignKey(ElectionStage, verbose_name=_("election stage"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="escorts")
    requested_by = models.ForeignKey(Agency, verbose_name=_("requesting KPU office"), on_delete=models.PROTECT,
                                     related_name="escorts_requested")
    police_unit = models.ForeignKey(Agency, verbose_name=_("police unit with jurisdiction"),
                                    on_delete=models.PROTECT, related_name="escorts_to_secure")
    cargo = models.CharField(_("escorts"), max_length=8, choices=Cargo.choices, default=Cargo.GOODS)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.OUTBOUND)
    origin_kind = models.CharField(_("origin"), max_length=12, choices=PlaceKind.choices)
    origin_name = models.CharField(_("origin name"), max_length=160)
    origin_region = models.ForeignKey(Region, verbose_name=_("origin region"), on_delete=models.PROTECT,
                                      related_name="+")
    origin_tps = models.ForeignKey(PollingStation, verbose_name=_("origin TPS"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    destination_kind = models.CharField(_("destination"), max_length=12, choices=PlaceKind.choices)
    destination_name = models.CharField(_("destination name"), max_length=160)
    destination_region = models.ForeignKey(Region, verbose_name=_("destination region"), on_delete=models.PROTECT,
                                           related_name="+")
    destination_tps = models.ForeignKey(PollingStation, verbose_name=_("destination TPS"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="escorts")
    area_code = models.CharField(_("region code"), max_length=13, editable=False)
    transport_mode = models.CharField(_("transport"), max_length=8, choices=AccessMode.choices,
                                      default=AccessMode.ROAD)
    planned_departure = models.DateTimeField(_("planned departure"))
    planned_arrival = models.DateTimeField(_("planned arrival"))
    notes = models.TextField(_("notes"), blank=True)
    team_purpose = models.CharField(_("team's purpose"), max_length=200, blank=True)
    team_members = models.TextField(_("team members"), blank=True, help_text=_("One name per line."))
    status = models.CharField(_("status"), max_length=12, choices=EscortStatus.choices,
                              default=EscortStatus.SUBMITTED)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True, editable=False)
    assigned_unit = models.ForeignKey(Agency, verbose_name=_("escorting unit"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    commander_name = models.CharField(_("commander"), max_length=120, blank=True)
    commander_nrp = models.CharField(_("commander's NRP"), max_length=20, blank=True)
    personnel_count = models.PositiveSmallIntegerField(_("personnel"), null=True, blank=True)
    vehicles = models.CharField(_("vehicles or boats"), max_length=200, blank=True)
    # Bulk planning's own key for the leg it made (election, kind, place): planning again
    # finds it and creates nothing. Empty for a request raised by hand.
    plan_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_departure", "id"]
        verbose_name = _("escort request")
        verbose_name_plural = _("escort requests")
        constraints = [
            models.UniqueConstraint(fields=["regency_code", "year", "serial"], name="escort_number_unique"),
            models.CheckConstraint(condition=models.Q(planned_arrival__gte=models.F("planned_departure")),
                                   name="escort_arrival_after_departure"),
        ]
        indexes = [
            # Every scope by region prefix (LIKE '64.72.%'), the board's grouping by kecamatan.
            models.Index(fields=["area_code", "status"], name="escort_by_area"),
            # The SLA checks: active escorts by when they were due.
            models.Index(fields=["status", "planned_departure"], name="escort_due"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        keep_code_copy(self, "area", "area_code", kwargs)
        super().save(*args, **kwargs)

    @property
    def route(self) -> str:
        return f"{self.origin_name} → {self.destination_name}"

    def evidence_facts(self) -> dict:
        """The escort clause's evidence: requested when submitted, fulfilled when the police
        accepted (the clause's 1x24 hours is the time to follow a request up)."""
        return {
            "kind": "escort",
            "occurred_on": timezone.localtime(self.planned_departure).date(),
            "description": f"{self.number}: {self.route}",
            "region": self.area,
            "stage": self.stage,
            "requested_at": self.created_at,
            "fulfilled_at": self.accepted_at,
        }


class EscortItem(TimeStampedModel):
    """One kind of goods on a leg: how many, in what unit, under which seals. A team
    escort has one item, the team, counted in people."""

    escort = models.ForeignKey(EscortRequest, verbose_name=_("escort request"), on_delete=models.CASCADE,
                               related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=20, default="lembar")
    seal_numbers = models.CharField(_("seal numbers"), max_length=400, blank=True,
                                    help_text=_("Separated by commas or spaces."))
    box_label = models.CharField(_("box label code"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["escort", "id"]
        verbose_name = _("escorted item")
        verbose_name_plural = _("escorted items")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="escort_item_quantity")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity} {self.unit}"

    @property
    def seals(self) -> list[str]:
        return seal_list(self.seal_numbers)


def seal_list(text: str) -> list[str]:
    """Seal numbers as written (commas, spaces or new lines between them), in order, once each."""
    seen: dict[str, None] = {}
    for part in text.replace(",", " ").split():
        seen.setdefault(part.strip().upper(), None)
    return list(seen)


class EscortStatusChange(StatusChange):
    """A move of an escort request along the workflow, with who made it and why."""

    escort = models.ForeignKey(EscortRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=EscortStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=EscortStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("escort status change")
        verbose_name_plural = _("escort status changes")

    def __str__(self) -> str:
        return f"{self.escort_id}: {self.from_status} -> {self.to_status}"


class EscortNumberCounter(models.Model):
    """The last serial given to an escort request of one kab/kota in one year. Taken
    under a row lock in the creating transaction: a rolled-back request gives its number
    back, so the numbers have no gaps and never repeat."""

    regency_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regency_code", "year"], name="escort_counter_unique")]

    def __str__(self) -> str:
        return f"{self.regency_code}/{self.year}: {self.last}"
