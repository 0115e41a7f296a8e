"""The one notification outbox: every alert, reminder and digest of every app is a row here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import ClockDateTimeField

from ..choices import Delivery


class Notification(models.Model):
    """One message to one person about one thing, due at a moment.

    Written by a service inside the transaction that caused it (so it exists only if that
    change committed); ``dedupe_key`` is unique, so the same event never makes two rows.
    The drain task (coordination.tasks.drain_notifications) delivers due rows by email
    and marks them sent; the bell shows due rows in-app until the person reads them.
    The row is its own record (sent, read, attempts), so it carries no history table.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8)
    dedupe_key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField(_("due at"))
    # How it reaches the person, from their preference for its kind when it was written
    # (and rewritten when they change it while it waits): the drain emails "immediate"
    # rows, the daily digest gathers "digest" rows, "in_app" rows only show in the bell.
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A planned reminder whose reason went away (its meeting was cancelled or moved):
    # kept as a record, never sent nor shown.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The drain: unsent rows that are due.
            models.Index(fields=["due_at"], condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True),
                         name="notification_pending_due"),
            # The digest: one person's unsent digest rows.
            models.Index(fields=["recipient", "due_at"],
                         condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True, delivery="digest"),
                         name="notification_digest_pending"),
            # Cancelling or re-planning the pending reminders about one thing (a meeting).
            models.Index(fields=["target_type", "target_id"],
                         condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True),
                         name="notification_pending_target"),
            # The bell and the list: one person's rows, newest first.
            models.Index(fields=["recipient", "-due_at"], name="notification_recipient_due"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """How one person wants one kind of notification: an email at once, in the daily
    digest, or in the app only. A kind without a row is emailed at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    updated_at = ClockDateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
