"""Elections and their stages (tahapan)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import TimeStampedModel

from ..choices import ElectionKind


def top_stage_id(pk: int, parent: dict[int, int | None]) -> int:
    """The top-level ancestor of stage ``pk``; stops on a loop instead of spinning."""
    seen = {pk}
    while parent.get(pk) and parent[pk] not in seen:
        pk = parent[pk]
        seen.add(pk)
    return pk


class Election(TimeStampedModel):
    """One election event: Pemilu 2024 (voting 14 Feb 2024) or Pemilihan serentak 2024
    (voting 27 Nov 2024). TPS, stages and risks belong to an election."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=ElectionKind.choices)
    voting_day = models.DateField(_("voting day"))
    max_voters_per_tps = models.PositiveIntegerField(
        _("maximum voters per TPS"),
        help_text=_("300 for Pemilu 2024, 600 for Pemilihan 2024."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-voting_day"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.name


class ElectionStage(TimeStampedModel):
    """One stage (tahapan) or sub-stage of an election, with its official dates and the
    regulation they come from. A stage whose end is a rule, not a date (result
    determination after the Constitutional Court), has no end date and an end rule."""

    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="stages")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent stage"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    end_rule = models.CharField(
        _("end rule"), max_length=300, blank=True, help_text=_("When the end is a rule rather than a date.")
    )
    regulation = models.CharField(_("regulation"), max_length=120, blank=True)
    source = models.URLField(_("source"), max_length=400, blank=True)
    is_uncertain = models.BooleanField(
        _("uncertain"), default=False, help_text=_("Single source, conflicting sources or inferred: check it.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "starts_on", "order"]
        verbose_name = _("election stage")
        verbose_name_plural = _("election stages")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stage_code_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="stage_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """A parent must be another stage of the same election, and no stage may sit
        below itself (the tree is walked by the timeline, heat map and clause health)."""
        from django.core.exceptions import ValidationError

        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A stage cannot be its own parent.")})
        parent = self.parent
        if parent.election_id != self.election_id:
            raise ValidationError({"parent": _("The parent stage belongs to another election.")})
        seen = {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("This parent would put the stage below itself.")})
            seen.add(parent.pk)
            parent = parent.parent
