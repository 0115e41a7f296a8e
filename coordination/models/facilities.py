"""Police facilities (sarana prasarana) the KPU may borrow, and the bookings of them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.constraints import PostgresExclusionConstraint, TsTzRange
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel

from ..choices import BookingStatus, FacilityKind
from .agreements import ClauseActivity
from .regions import Agency, Region


class Facility(TimeStampedModel):
    """A hall, warehouse, vehicle or boat of Polda or a Polres that the KPU may borrow:
    its owner, how much it holds and where it is in the region tree."""

    owner = models.ForeignKey(Agency, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=FacilityKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True,
                                     help_text=_("people, m², tonnes, seats"))
    region = models.ForeignKey(Region, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="facility_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class FacilityBooking(ClauseActivity, TimeStampedModel):
    """A KPU office's request to use a facility from ``starts_at`` to ``ends_at``
    (half-open), approved or rejected by the facility's owner. Two approved bookings of
    one facility never overlap: PostgreSQL refuses the second (exclusion constraint), so
    two approvals at the same moment cannot both win."""

    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.PROTECT,
                                 related_name="bookings")
    requester = models.ForeignKey(Agency, verbose_name=_("requested by"), on_delete=models.PROTECT,
                                  related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    purpose = models.TextField(_("purpose"))
    participants = models.PositiveIntegerField(_("people expected"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by (person)"),
                                     on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("facility booking")
        verbose_name_plural = _("facility bookings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="booking_ends_after_start"),
            PostgresExclusionConstraint(
                name="booking_no_overlap_when_approved",
                expressions=[("facility", RangeOperators.EQUAL),
                             (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS)],
                condition=models.Q(status=BookingStatus.APPROVED),
                violation_error_message=_("The facility is already booked for part of that time."),
            ),
        ]
        indexes = [
            # The facility's calendar and the overlap check: its bookings by time.
            models.Index(fields=["facility", "starts_at"], name="booking_facility_start"),
            # The owner's queue: requests waiting for a decision.
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def evidence_facts(self) -> dict:
        """Facility use counts once approved."""
        return {
            "kind": "facility_use",
            "occurred_on": timezone.localtime(self.starts_at).date(),
            "description": f"{self.facility.name}: {self.purpose[:150]}",
            "region": self.facility.region,
            "requested_at": self.created_at,
            "fulfilled_at": self.decided_at if self.status == BookingStatus.APPROVED else None,
        }


class FacilityBookingStatusChange(StatusChange):
    """A move of a booking: approved, rejected, cancelled."""

    booking = models.ForeignKey(FacilityBooking, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=BookingStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=BookingStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("facility booking status change")
        verbose_name_plural = _("facility booking status changes")

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status} -> {self.to_status}"
