"""The information exchange register: every request for, or sharing of, information
between two agencies, who saw the restricted ones, and what was attached."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import ClockDateTimeField, StatusChange, TimeStampedModel

from ..choices import AccessOutcome, Classification, ExchangeKind, ExchangeStatus
from .agreements import ClauseActivity
from .regions import Agency, Region


class InformationExchange(ClauseActivity, TimeStampedModel):
    """One entry of the register: ``from_agency`` asks ``to_agency`` for information (a
    request, answered by a deadline) or shares information with it (acknowledged on
    receipt). Limited and confidential entries are seen by the two parties and the
    secretariat only; each view of a confidential one is logged (ExchangeAccess).
    ``area`` is the requesting agency's jurisdiction, where the entry counts as evidence."""

    kind = models.CharField(_("kind"), max_length=10, choices=ExchangeKind.choices, default=ExchangeKind.REQUEST)
    from_agency = models.ForeignKey(Agency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    classification = models.CharField(_("classification"), max_length=12, choices=Classification.choices,
                                      default=Classification.PUBLIC)
    content = models.TextField(_("information shared"), blank=True,
                               help_text=_("For information shared: what is given."))
    response_due_on = models.DateField(_("answer due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ExchangeStatus.choices,
                              default=ExchangeStatus.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT,
                                related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("information exchange")
        verbose_name_plural = _("information exchanges")
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_agency=models.F("to_agency")),
                                   name="exchange_between_two_agencies"),
        ]
        indexes = [
            # The receiver's open entries (the inbox, the dashboard's open requests).
            models.Index(fields=["to_agency", "status"], name="exchange_to_status"),
            # The sender's register.
            models.Index(fields=["from_agency", "-created_at"], name="exchange_from_created"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_restricted(self) -> bool:
        return self.classification != Classification.PUBLIC

    def evidence_facts(self) -> dict:
        """A request counts when answered, shared information when acknowledged.

        The clause page shows its evidence to everyone whose scope holds the sender's region
        (Bawaslu, the province's staff), who may not read a limited or confidential entry:
        its row says what kind of entry passed between which agencies (stored text, in the
        app's default language), never what it was about."""
        fulfilled = self.answered_at if self.kind == ExchangeKind.REQUEST else self.acknowledged_at
        description = self.subject
        if self.is_restricted:
            with translation.override(settings.LANGUAGE_CODE):
                description = gettext("%(kind)s (%(classification)s): %(sender)s to %(receiver)s") % {
                    "kind": ExchangeKind(self.kind).label, "classification": Classification(self.classification).label,
                    "sender": self.from_agency.short_name, "receiver": self.to_agency.short_name}
        return {
            "kind": "information_exchange",
            "occurred_on": timezone.localtime(self.created_at).date(),
            "description": description,
            "region": self.area,
            "requested_at": self.created_at,
            "fulfilled_at": fulfilled,
        }


class ExchangeStatusChange(StatusChange):
    """A move of a register entry: acknowledged, answered, withdrawn."""

    exchange = models.ForeignKey(InformationExchange, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=ExchangeStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ExchangeStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("information exchange status change")
        verbose_name_plural = _("information exchange status changes")

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.from_status} -> {self.to_status}"


class ExchangeAttachment(models.Model):
    """A file sent with a register entry (the letter, the data asked for)."""

    exchange = models.ForeignKey(InformationExchange, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="exchanges/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = ClockDateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["exchange", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class ExchangeAccess(models.Model):
    """One look at a confidential entry (page, API, admin or file), or one refused
    attempt to look at a restricted entry by someone outside the two parties: who, when,
    through what. Append-only; shown to the owning party. Its own record, so no history."""

    exchange = models.ForeignKey(InformationExchange, on_delete=models.CASCADE, related_name="accesses")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("viewer"), on_delete=models.PROTECT,
                               related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    channel = models.CharField(_("through"), max_length=10)
    outcome = models.CharField(_("outcome"), max_length=8, choices=AccessOutcome.choices,
                               default=AccessOutcome.SHOWN)
    at = ClockDateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access to a confidential entry")
        verbose_name_plural = _("accesses to confidential entries")
        indexes = [models.Index(fields=["exchange", "-at"], name="exchange_access_by_entry")]  # the entry's log

    def __str__(self) -> str:
        return f"{self.exchange_id}: {self.viewer_id} {self.outcome}"
