"""Series and meetings, their agendas and invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency, ClauseActivity, ElectionStage, Region, RiskAssessment
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel, keep_code_copy

from ..choices import UPCOMING_STATUSES, AgendaSource, MeetingKind, MeetingStatus, Response


class MeetingSeries(TimeStampedModel):
    """Meetings that recur by an RFC 5545 rule (``rrule``, e.g.
    ``FREQ=MONTHLY;BYDAY=1MO``) from ``first_start`` in WITA, each lasting
    ``duration_minutes``. Occurrences are created ahead up to ``horizon_days`` (a rolling
    horizon that a daily task moves on), never the whole rule at once."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.EVALUATION)
    rrule = models.CharField(_("recurrence rule"), max_length=300,
                             help_text=_("RFC 5545, for example FREQ=MONTHLY;BYDAY=1MO;COUNT=12."))
    first_start = models.DateTimeField(_("first meeting starts"))
    until = models.DateField(_("last date"), null=True, blank=True,
                             help_text=_("Needed when the rule itself has no COUNT or UNTIL."))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    organiser = models.ForeignKey(Agency, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    co_organiser = models.ForeignKey(Agency, verbose_name=_("co-organiser"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("region code"), max_length=13, editable=False)
    invited_agencies = models.ManyToManyField(Agency, verbose_name=_("invited agencies"), blank=True,
                                              related_name="+")
    reminder_offsets = models.JSONField(_("reminders (minutes before)"), default=list, blank=True)
    horizon_days = models.PositiveSmallIntegerField(_("created ahead (days)"), default=92)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class Meeting(ClauseActivity, TimeStampedModel):
    """One meeting: what, when (stored in UTC, shown in WITA), where, who organises it,
    the stages it evaluates. Its status follows MEETING_TRANSITIONS; a postponement moves
    it to a new time and bumps ``schedule_version``, which names its reminders, so the
    old ones are cancelled and new ones planned. ``area`` is the organiser's region: who
    may see the meeting follows from it (and from the invitations)."""

    series = models.ForeignKey(MeetingSeries, verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="meetings")
    # The series' own moment for this occurrence, kept when the meeting is postponed, so
    # extending the series never creates it twice.
    occurrence = models.DateTimeField(null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.EVALUATION)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(Agency, verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  related_name="meetings_organised")
    co_organiser = models.ForeignKey(Agency, verbose_name=_("co-organiser"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="meetings_co_organised")
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="meetings")
    area_code = models.CharField(_("region code"), max_length=13, editable=False)
    stages = models.ManyToManyField(ElectionStage, verbose_name=_("stages evaluated"), blank=True,
                                    related_name="meetings")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    notulis = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("notulis"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    reminder_offsets = models.JSONField(_("reminders (minutes before)"), default=list, blank=True)
    schedule_version = models.PositiveSmallIntegerField(default=1, editable=False)
    held_at = models.DateTimeField(_("held"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_start"),
            models.UniqueConstraint(fields=["series", "occurrence"], name="meeting_occurrence_once"),
        ]
        indexes = [models.Index(fields=["area_code", "starts_at"], name="meeting_by_area")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        keep_code_copy(self, "area", "area_code", kwargs)
        super().save(*args, **kwargs)

    @property
    def is_upcoming(self) -> bool:
        """Still to come: scheduled, or moved to a new time (not held, not cancelled)."""
        return self.status in UPCOMING_STATUSES

    def evidence_facts(self) -> dict:
        """The routine-meeting clause's evidence: a meeting counts once it was held."""
        return {
            "kind": "meeting",
            "occurred_on": timezone.localtime(self.starts_at).date(),
            "description": self.title,
            "region": self.area,
            "requested_at": self.created_at,
            "fulfilled_at": self.held_at,
        }


class MeetingStatusChange(StatusChange):
    """A move of a meeting along its workflow, with who made it and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=MeetingStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=MeetingStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.from_status} -> {self.to_status}"


class AgendaItem(TimeStampedModel):
    """One item of a meeting's agenda, in order, optionally under another item. Items the
    seeding carried over point to their source: an open follow-up of an earlier meeting,
    or a risk whose level changed since the last meeting of the series."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    parent = models.ForeignKey("self", verbose_name=_("under"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=300)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    presenter = models.CharField(_("presenter"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=AgendaSource.choices, default=AgendaSource.MANUAL)
    action_item = models.ForeignKey("ActionItem", verbose_name=_("follow-up"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="agenda_items")
    risk = models.ForeignKey(RiskAssessment, verbose_name=_("risk"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # Seeding twice carries each source over once.
            models.UniqueConstraint(fields=["meeting", "action_item"], condition=models.Q(action_item__isnull=False),
                                    name="agenda_action_once"),
            models.UniqueConstraint(fields=["meeting", "risk"], condition=models.Q(risk__isnull=False),
                                    name="agenda_risk_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(TimeStampedModel):
    """An agency, or a named person of it, invited to a meeting, and their reply."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="invitations")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="meeting_invitations")
    response = models.CharField(_("reply"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agency__name", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], condition=models.Q(person__isnull=True),
                                    name="invitation_agency_once"),
            models.UniqueConstraint(fields=["meeting", "person"], condition=models.Q(person__isnull=False),
                                    name="invitation_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person or self.agency}"
