"""Notulen: what was discussed and decided, the obstacles found, who was there; approved
by one representative of KPU and one of the police, then locked (later corrections are
amendments with a reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency, ElectionStage, Region
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import TimeStampedModel

from .meetings import AgendaItem, Meeting


class Minutes(TimeStampedModel):
    """The notulen of one meeting. Editable until both parties approved; from then on
    ``locked_at`` is set and a change is an Amendment with its reason."""

    meeting = models.OneToOneField(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                   related_name="minutes")
    chair_name = models.CharField(_("chair"), max_length=160)
    notulis = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("notulis"), on_delete=models.PROTECT,
                                related_name="+")
    opening = models.TextField(_("opening"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True, editable=False)
    kpu_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved for KPU by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+", editable=False)
    kpu_approved_at = models.DateTimeField(_("approved for KPU at"), null=True, blank=True, editable=False)
    police_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved for the police by"),
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                           editable=False)
    police_approved_at = models.DateTimeField(_("approved for the police at"), null=True, blank=True, editable=False)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True, editable=False)
    area_code = models.CharField(_("region code"), max_length=13, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            # Locked only once both parties approved.
            models.CheckConstraint(
                condition=models.Q(locked_at__isnull=True)
                | models.Q(kpu_approved_at__isnull=False, police_approved_at__isnull=False),
                name="minutes_locked_when_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MinutesEntry(TimeStampedModel):
    """The discussion of one agenda item (or of a point raised outside the agenda)."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    topic = models.CharField(_("topic"), max_length=300)
    speaker = models.CharField(_("speaker"), max_length=160, blank=True)
    discussion = models.TextField(_("discussion"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "position", "id"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self) -> str:
        return self.topic


class Obstacle(TimeStampedModel):
    """A kendala found at the meeting, with the solution proposed."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE,
                                related_name="obstacles")
    description = models.TextField(_("obstacle"))
    proposed_solution = models.TextField(_("proposed solution"))
    stage = models.ForeignKey(ElectionStage, verbose_name=_("stage"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "id"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return self.description[:60]


class Amendment(models.Model):
    """A correction of locked minutes: which part, before and after, why, by whom."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT,
                                related_name="amendments")
    field = models.CharField(_("part"), max_length=40)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    reason = models.TextField(_("reason"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField(_("at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["minutes", "made_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.minutes_id}: {self.field}"


class Attendance(TimeStampedModel):
    """Who was at the meeting, per agency and person: a user of the system, or a name
    written in (a guest without an account). The daftar hadir is printed from these."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendance")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=160)
    position = models.CharField(_("position"), max_length=160, blank=True)
    present = models.BooleanField(_("present"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agency__name", "name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], condition=models.Q(person__isnull=False),
                                    name="attendance_person_once"),
            models.UniqueConstraint(fields=["meeting", "agency", "name"], name="attendance_name_once"),
        ]

    def __str__(self) -> str:
        return self.name
