"""Risk assessments per stage and region, the two official vulnerability vocabularies
(Bawaslu's IKP per region, Polri's class per TPS), and the TPS security patterns."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import StatusChange, TimeStampedModel

from ..choices import IkpCategory, IkpDimension, PolriClass, RegionLevel, RiskCategory, RiskStatus, risk_level
from .elections import Election, ElectionStage
from .regions import Agency, PollingStation, Region

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskAssessment(TimeStampedModel):
    """One risk to one election stage in one region: how likely, how bad, and what is
    being done about it. Likelihood x impact gives the score and level."""

    stage = models.ForeignKey(
        ElectionStage, verbose_name=_("election stage"), on_delete=models.PROTECT, related_name="risks"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="risks")
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1-5)"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=ONE_TO_FIVE)
    score = models.GeneratedField(
        expression=models.F("likelihood") * models.F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    mitigation = models.TextField(_("mitigation plan"), blank=True)
    owner = models.ForeignKey(
        Agency, verbose_name=_("owner agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    history = HistoricalRecords(excluded_fields=["score"])

    class Meta:
        ordering = ["-score", "region__code"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"),
        ]
        indexes = [models.Index(fields=["status", "stage"], name="risk_status_stage")]  # heat map, open risks

    def __str__(self) -> str:
        return self.title

    @property
    def level(self) -> str:
        return risk_level(self.likelihood * self.impact)


class RiskReview(models.Model):
    """A re-assessment of a risk: who looked again, when, and what they concluded."""

    risk = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1-5)"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=ONE_TO_FIVE)
    note = models.TextField(_("note"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")

    def __str__(self) -> str:
        return f"{self.risk_id}: {self.likelihood}x{self.impact}"


class RiskStatusChange(StatusChange):
    """A move of a risk between open, mitigating and closed, with the reason."""

    risk = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=12, choices=RiskStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=RiskStatus.choices)
    history = HistoricalRecords()

    class Meta(StatusChange.Meta):
        verbose_name = _("risk status change")
        verbose_name_plural = _("risk status changes")

    def __str__(self) -> str:
        return f"{self.risk_id}: {self.from_status} -> {self.to_status}"


class IkpThreshold(models.Model):
    """Bawaslu's category bands for one region level: a score at or above ``high_from`` is
    rawan tinggi, at or above ``medium_from`` rawan sedang, else rawan rendah."""

    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    valid_from = models.DateField(_("valid from"))
    high_from = models.DecimalField(_("tinggi from"), max_digits=5, decimal_places=2)
    medium_from = models.DecimalField(_("sedang from"), max_digits=5, decimal_places=2)
    source = models.URLField(_("source"), max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "-valid_from"]
        verbose_name = _("IKP threshold")
        verbose_name_plural = _("IKP thresholds")
        constraints = [
            models.UniqueConstraint(fields=["level", "valid_from"], name="ikp_threshold_unique"),
            models.CheckConstraint(
                condition=models.Q(medium_from__lt=models.F("high_from")), name="ikp_bands_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.medium_from}/{self.high_from}"

    def category(self, score) -> str:
        if score >= self.high_from:
            return IkpCategory.HIGH
        return IkpCategory.MEDIUM if score >= self.medium_from else IkpCategory.LOW


class IkpScore(TimeStampedModel):
    """Bawaslu's Indeks Kerawanan Pemilu (0-100) for one region, as published."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="ikp_scores")
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="ikp_scores"
    )
    score = models.DecimalField(
        _("score (0-100)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    category = models.CharField(_("category"), max_length=8, choices=IkpCategory.choices)
    published_on = models.DateField(_("published on"))
    method_version = models.CharField(_("method"), max_length=60, blank=True)
    source = models.URLField(_("source"), max_length=400)
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "region__code"]
        verbose_name = _("IKP score")
        verbose_name_plural = _("IKP scores")
        constraints = [
            models.UniqueConstraint(fields=["region", "election", "published_on"], name="ikp_score_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="ikp_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"IKP {self.region.name} {self.score}"


class IkpDimensionScore(models.Model):
    """One dimension's score within an IKP publication (may be unreported)."""

    ikp = models.ForeignKey(IkpScore, on_delete=models.CASCADE, related_name="dimensions")
    dimension = models.CharField(_("dimension"), max_length=20, choices=IkpDimension.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["ikp", "dimension"]
        constraints = [models.UniqueConstraint(fields=["ikp", "dimension"], name="ikp_dimension_unique")]
        verbose_name = _("IKP dimension score")
        verbose_name_plural = _("IKP dimension scores")

    def __str__(self) -> str:
        return f"{self.dimension}: {self.score}"


class TpsVulnerability(TimeStampedModel):
    """Polri's class for one TPS of one election, with the Bawaslu TPS indicator flags
    that justify it (the 7 variables). The two vocabularies are never converted."""

    polling_station = models.OneToOneField(
        PollingStation, verbose_name=_("TPS"), on_delete=models.CASCADE, related_name="vulnerability"
    )
    polri_class = models.CharField(_("Polri class"), max_length=14, choices=PolriClass.choices)
    voter_rights = models.BooleanField(_("voting rights"), default=False)
    security = models.BooleanField(_("security"), default=False)
    campaign = models.BooleanField(_("campaign"), default=False)
    neutrality = models.BooleanField(_("neutrality"), default=False)
    logistics = models.BooleanField(_("logistics"), default=False)
    location = models.BooleanField(_("location"), default=False)
    power_internet = models.BooleanField(_("power/internet"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        Agency, verbose_name=_("assessed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["polling_station__village__code", "polling_station__number"]
        verbose_name = _("TPS vulnerability")
        verbose_name_plural = _("TPS vulnerabilities")
        indexes = [models.Index(fields=["polri_class"], name="tps_vulnerability_class")]  # personnel plan

    def __str__(self) -> str:
        return f"{self.polling_station_id}: {self.polri_class}"


class SecurityPattern(TimeStampedModel):
    """Pola pengamanan TPS: ``police`` officers guard ``tps`` polling stations with
    ``linmas`` linmas among them, for one Polri class, over a validity period. A pattern
    for one Polres overrides the general one (N of 2-N-2N is set per Polres)."""

    polri_class = models.CharField(_("Polri class"), max_length=14, choices=PolriClass.choices)
    police = models.PositiveSmallIntegerField(_("police officers"), validators=[MinValueValidator(1)])
    tps = models.PositiveSmallIntegerField(_("TPS"), validators=[MinValueValidator(1)])
    linmas = models.PositiveSmallIntegerField(_("linmas"))
    police_unit = models.ForeignKey(
        Agency,
        verbose_name=_("Polres (empty: all)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="security_patterns",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["polri_class", "-valid_from"]
        verbose_name = _("security pattern")
        verbose_name_plural = _("security patterns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="pattern_validity_in_order",
            ),
            models.CheckConstraint(condition=models.Q(police__gte=1, tps__gte=1), name="pattern_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_polri_class_display()} {self.police}-{self.tps}-{self.linmas}"
