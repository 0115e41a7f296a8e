"""Joint capacity building, stakeholder facilitation and peace declarations: activities
that carry out the agreement's other clauses."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel

from ..choices import TrainingKind, TrainingStatus
from .agreements import ClauseActivity
from .regions import Agency, Region


class Training(ClauseActivity, TimeStampedModel):
    """A joint training (bimtek, simulation, workshop) for people of both agencies: when,
    where, the materials, who attended, and how the participants rated it (0-100)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=TrainingKind.choices, default=TrainingKind.BIMTEK)
    organiser = models.ForeignKey(Agency, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    co_organiser = models.ForeignKey(Agency, verbose_name=_("co-organiser"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TrainingStatus.choices,
                              default=TrainingStatus.PLANNED)
    evaluation_score = models.DecimalField(_("evaluation score"), max_digits=5, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)],
                                           help_text=_("The participants' average rating, 0 to 100."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("joint training")
        verbose_name_plural = _("joint trainings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="training_ends_after_start"),
            models.CheckConstraint(condition=models.Q(evaluation_score__isnull=True)
                                   | models.Q(evaluation_score__gte=0, evaluation_score__lte=100),
                                   name="training_score_0_100"),
        ]

    def __str__(self) -> str:
        return self.title

    def evidence_facts(self) -> dict:
        """A training counts once it was held."""
        return {
            "kind": "training",
            "occurred_on": timezone.localtime(self.starts_at).date(),
            "description": self.title,
            "region": self.area,
        }


class TrainingStatusChange(StatusChange):
    """A move of a training: held or cancelled."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=TrainingStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=TrainingStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("training status change")
        verbose_name_plural = _("training status changes")

    def __str__(self) -> str:
        return f"{self.training_id}: {self.from_status} -> {self.to_status}"


class TrainingParticipant(models.Model):
    """One person taking part in a training: a user of the app or a named outsider, the
    agency they come from, whether they attended."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=160)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=120, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["training", "agency", "name", "id"]
        verbose_name = _("training participant")
        verbose_name_plural = _("training participants")
        constraints = [
            models.UniqueConstraint(fields=["training", "user"], condition=models.Q(user__isnull=False),
                                    name="training_participant_once"),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingMaterial(models.Model):
    """A handout, slide deck or module used at a training."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="trainings/", blank=True)
    link = models.URLField(_("link"), max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["training", "id"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title


class StakeholderFacilitation(ClauseActivity, TimeStampedModel):
    """A meeting the police arranged between the KPU and others (community and religious
    leaders, parties, campaign teams): who came, when, where, and what came of it."""

    title = models.CharField(_("title"), max_length=200)
    facilitator = models.ForeignKey(Agency, verbose_name=_("facilitated by"), on_delete=models.PROTECT,
                                    related_name="+")
    kpu_office = models.ForeignKey(Agency, verbose_name=_("KPU office"), on_delete=models.PROTECT,
                                   related_name="+")
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    stakeholders = models.TextField(_("stakeholders present"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("stakeholder facilitation")
        verbose_name_plural = _("stakeholder facilitations")

    def __str__(self) -> str:
        return self.title

    def evidence_facts(self) -> dict:
        return {
            "kind": "stakeholder_facilitation",
            "occurred_on": timezone.localtime(self.held_at).date(),
            "description": self.title,
            "region": self.area,
        }


class PeaceDeclaration(ClauseActivity, TimeStampedModel):
    """A declaration of a peaceful election (deklarasi pemilu damai): the event, when and
    where it was signed, by which parties, and the signed document."""

    title = models.CharField(_("title"), max_length=200)
    event = models.CharField(_("event"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    place = models.CharField(_("place"), max_length=200)
    area = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("signed document (PDF)"), upload_to="declarations/", blank=True)
    source = models.URLField(_("source"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("peace declaration")
        verbose_name_plural = _("peace declarations")

    def __str__(self) -> str:
        return self.title

    def evidence_facts(self) -> dict:
        return {
            "kind": "stakeholder_facilitation",
            "occurred_on": self.signed_on,
            "description": self.title,
            "region": self.area,
        }


class DeclarationSignatory(models.Model):
    """A party that signed a peace declaration and the person who signed for it."""

    declaration = models.ForeignKey(PeaceDeclaration, on_delete=models.CASCADE, related_name="signatories")
    party = models.CharField(_("party"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    representative = models.CharField(_("representative"), max_length=160)
    position = models.CharField(_("position"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["declaration", "order", "id"]
        verbose_name = _("declaration signatory")
        verbose_name_plural = _("declaration signatories")

    def __str__(self) -> str:
        return f"{self.party}: {self.representative}"
