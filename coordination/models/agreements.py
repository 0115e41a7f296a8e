"""The cooperation agreement, its clauses, and the evidence that each clause is kept."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel

from ..choices import AgreementStatus, ClauseCategory, EvidenceKind, ExpectationKind, SignatoryRole
from .regions import Agency, Region


class Agreement(TimeStampedModel):
    """A signed cooperation agreement (PKS) or memorandum (MoU) between agencies."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kpu_number = models.CharField(_("KPU document number"), max_length=120, blank=True)
    police_number = models.CharField(_("Police document number"), max_length=120, blank=True)
    parties = models.ManyToManyField(Agency, verbose_name=_("parties"), blank=True, related_name="agreements")
    region = models.ForeignKey(
        Region, verbose_name=_("region covered"), on_delete=models.PROTECT, related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"))
    signed_place = models.CharField(_("signed at"), max_length=200, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agreement (MoU)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    document = models.FileField(_("scanned document (PDF)"), upload_to="agreements/", blank=True)
    source = models.URLField(_("source"), max_length=400, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="agreement_term_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agreement cannot be its own parent.")})


class AgreementStatusChange(StatusChange):
    """A move of an agreement between draft, active, expired and terminated."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=AgreementStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=AgreementStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status} -> {self.to_status}"


class Signatory(models.Model):
    """A person who signed or witnessed an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=160)
    position = models.CharField(_("position"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=SignatoryRole.choices, default=SignatoryRole.SIGNATORY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Addendum(TimeStampedModel):
    """A signed change to an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="addenda")
    number = models.CharField(_("number"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("scanned document (PDF)"), upload_to="agreements/addenda/", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "signed_on"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return self.title


class Clause(TimeStampedModel):
    """One article of an agreement, with an expectation the software can check.

    The expectation reads: at least ``expectation_count`` activities of
    ``evidence_kind`` every ``expectation_value`` days (every_days); every request of
    ``evidence_kind`` fulfilled within ``expectation_value`` hours (within_hours); or at least
    ``expectation_count`` per election stage (per_stage).
    """

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=30, choices=ClauseCategory.choices)
    responsible = models.ForeignKey(
        Agency,
        verbose_name=_("responsible party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when both parties are responsible."),
    )
    expectation_kind = models.CharField(
        _("expectation"), max_length=15, choices=ExpectationKind.choices, blank=True, default=ExpectationKind.NONE
    )
    evidence_kind = models.CharField(_("evidence kind"), max_length=30, choices=EvidenceKind.choices, blank=True)
    expectation_value = models.PositiveIntegerField(_("days or hours"), null=True, blank=True)
    expectation_count = models.PositiveIntegerField(_("minimum count"), default=1, validators=[MinValueValidator(1)])
    is_illustrative = models.BooleanField(
        _("illustrative text"),
        default=False,
        help_text=_("The text was written for the demo, not taken from the signed document."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="clause_number_unique"),
            models.CheckConstraint(condition=models.Q(expectation_count__gte=1), name="clause_count_positive"),
            models.CheckConstraint(
                condition=models.Q(expectation_kind="")
                | (models.Q(expectation_value__gte=1) & ~models.Q(evidence_kind="")),
                name="clause_expectation_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def expectation_text(self) -> str:
        """The expectation in a sentence, for pages."""
        values = {"count": self.expectation_count, "value": self.expectation_value,
                  "kind": self.get_evidence_kind_display().lower()}
        if self.expectation_kind == ExpectationKind.EVERY_DAYS:
            return _("At least %(count)s × %(kind)s every %(value)s days") % values
        if self.expectation_kind == ExpectationKind.WITHIN_HOURS:
            return _("Every %(kind)s request answered within %(value)s hours") % values
        if self.expectation_kind == ExpectationKind.PER_STAGE:
            return _("At least %(count)s × %(kind)s in every election stage") % values
        return ""


class ClauseEvidence(TimeStampedModel):
    """One activity that carries out a clause: recorded by hand, or mirrored from an
    activity in another app (``source``) by coordination.services.clause_evidence_sync,
    which that activity's service calls."""

    clause = models.ForeignKey(Clause, verbose_name=_("clause"), on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=30, choices=EvidenceKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        "coordination.ElectionStage",
        verbose_name=_("election stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    requested_at = models.DateTimeField(
        _("requested at"), null=True, blank=True, help_text=_("For requests that must be answered in time.")
    )
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="evidence/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("clause evidence")
        verbose_name_plural = _("clause evidence")
        constraints = [
            # One evidence row per linked activity: re-syncing updates it.
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="evidence_one_per_source",
            ),
        ]
        indexes = [models.Index(fields=["clause", "occurred_on"], name="evidence_clause_date")]  # clause health

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.description[:60]}"


class ClauseActivity(models.Model):
    """Mixin for activities in other apps that carry out a clause.

    A model declares its link by inheriting this and defining ``evidence_facts()``, which
    returns the evidence fields: kind, occurred_on, description, region, and optionally
    stage, requested_at and fulfilled_at. The activity's own services call
    coordination.services.clause_evidence_sync (after a create or change) and
    clause_evidence_forget (before a delete) with their actor, in their transaction, so
    the clause page and its health see the activity, and the evidence history names who
    did it. A bulk write of activities calls it for each row it changed.
    """

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause carried out"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
