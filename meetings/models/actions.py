"""Follow-ups (tindak lanjut) agreed at meetings, and their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency
from kpu_polda.base import clock
from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel

from ..choices import OPEN_ACTION_STATUSES, ActionStatus
from .meetings import Meeting


class ActionItem(TimeStampedModel):
    """A follow-up agreed at a meeting: what, which agency owns it (and who), by when.
    Open until done or dropped (with a reason); while open it is carried onto the next
    meeting of the series. ``area_code`` is the meeting's, for scope."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("agreed at"), on_delete=models.PROTECT,
                                related_name="action_items")
    obstacle = models.ForeignKey("Obstacle", verbose_name=_("obstacle"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="action_items")
    title = models.CharField(_("follow-up"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_agency = models.ForeignKey(Agency, verbose_name=_("owner agency"), on_delete=models.PROTECT,
                                     related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person in charge"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    area_code = models.CharField(_("region code"), max_length=13, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["status", "due_on"], name="action_open_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Still open past its due date on the app's clock (selectors.overdue_q, as a row)."""
        return self.status in OPEN_ACTION_STATUSES and self.due_on < clock.today()


class ActionStatusChange(StatusChange):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=ActionStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ActionStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("follow-up status change")
        verbose_name_plural = _("follow-up status changes")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_status} -> {self.to_status}"


class ActionProgress(models.Model):
    """A dated note on how a follow-up is going."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                               related_name="+")
    written_at = models.DateTimeField(_("written"))
    note = models.TextField(_("progress"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "written_at", "id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.note[:40]}"


class CalendarFeed(models.Model):
    """A person's secret calendar feed address: only the key's hash is kept; making a new
    one or revoking it stops the old address at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="calendar_feeds")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(revoked_at__isnull=True),
                                               name="calendar_feed_one_active")]

    def __str__(self) -> str:
        return f"{self.user}"
