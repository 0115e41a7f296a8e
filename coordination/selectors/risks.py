"""Reads of risk assessments, the matrix, the heat map and the map."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import CODE_LENGTH, RegionLevel, RiskLevel, RiskStatus, risk_level
from coordination.models import (
    Election,
    ElectionStage,
    IkpScore,
    Region,
    RiskAssessment,
    SecurityPattern,
    TpsVulnerability,
)
from coordination.models.elections import top_stage_id
from kpu_polda.base.queries import one_in_scope

OPEN = [RiskStatus.OPEN, RiskStatus.MITIGATING]
OPEN_RISK_STATUSES = OPEN


def risks_for(user) -> QuerySet[RiskAssessment]:
    return policies.scope_risks(
        RiskAssessment.objects.select_related("stage__election", "region", "owner"), user
    )


def risk_get(user, pk: int) -> RiskAssessment:
    return one_in_scope(risks_for(user), "Risk", pk=pk)


@dataclass
class MatrixCell:
    likelihood: int
    impact: int
    count: int

    @property
    def level(self) -> str:
        return risk_level(self.likelihood * self.impact)


def risk_matrix(risks: QuerySet[RiskAssessment]) -> list[list[MatrixCell]]:
    """Counts of ``risks`` per likelihood x impact: rows impact 5..1, columns
    likelihood 1..5 (one query)."""
    counts = {(row["likelihood"], row["impact"]): row["n"]
              for row in risks.order_by().values("likelihood", "impact").annotate(n=Count("id"))}
    return [[MatrixCell(lk, im, counts.get((lk, im), 0)) for lk in range(1, 6)] for im in range(5, 0, -1)]


def _top_stage_of(stages: list[ElectionStage]) -> dict[int, int]:
    parent = {s.pk: s.parent_id for s in stages}
    return {pk: top_stage_id(pk, parent) for pk in parent}


@dataclass
class HeatRow:
    region: Region
    cells: list[int | None]  # highest open score per top-level stage, None when no risk


def heat_map(user, election: Election) -> tuple[list[ElectionStage], list[HeatRow]]:
    """Regions (the province row, then each kab/kota in scope) x the election's top-level
    stages; each cell holds the highest score among open and mitigating risks of that
    stage (or its sub-stages) in that region or below it. Three queries."""
    stages = list(election.stages.order_by("starts_on", "order"))
    tops = _top_stage_of(stages)
    columns = [s for s in stages if s.parent_id is None]
    regions = list(policies.scope_regions(
        Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]), user).order_by("code"))
    grid: dict[tuple[str, int], int] = {}
    aggregates = (
        risks_for(user).filter(stage__election=election, status__in=OPEN).order_by()
        .annotate(regency=Substr("region__code", 1, CODE_LENGTH[RegionLevel.REGENCY]))
        .values("regency", "stage_id").annotate(top=Max("score"))
    )
    for row in aggregates:
        # A province-wide risk (code "64") counts on the province row only.
        key = (row["regency"], tops.get(row["stage_id"], row["stage_id"]))
        grid[key] = max(grid.get(key, 0), row["top"])
    def cell(region: Region, column: ElectionStage) -> int | None:
        if region.level == RegionLevel.PROVINCE:  # the province row: the highest anywhere in it
            scores = [score for (code, stage), score in grid.items() if stage == column.pk
                      and policies.code_in_scope(code, region.code)]
            return max(scores) if scores else None
        return grid.get((region.code, column.pk))

    rows = [HeatRow(region, [cell(region, column) for column in columns]) for region in regions]
    return columns, rows


def regency_risk_levels(user, election: Election) -> dict[str, dict]:
    """Per kab/kota in scope: its highest open risk score and level, and how many open
    risks it has (one query). Province-wide risks are not spread over the regencies."""
    result: dict[str, dict] = {}
    rows = (
        risks_for(user).filter(stage__election=election, status__in=OPEN, region__level__in=[
            RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE]).order_by()
        .annotate(regency=Substr("region__code", 1, CODE_LENGTH[RegionLevel.REGENCY]))
        .values("regency").annotate(top=Max("score"), n=Count("id"))
    )
    for row in rows:
        result[row["regency"]] = {"score": row["top"], "level": risk_level(row["top"]), "open": row["n"]}
    return result


def regency_risk_map(user, election: Election, link) -> dict:
    """A GeoJSON FeatureCollection of the kab/kota in scope (the outlines stored by the
    region loader), each with its highest open risk and ``link(code)`` to its risks.
    Two queries."""
    levels = regency_risk_levels(user, election)
    regencies = policies.scope_regions(
        Region.objects.filter(level=RegionLevel.REGENCY, boundary__isnull=False), user).order_by("code")
    features = [
        {"type": "Feature", "geometry": region.boundary, "properties": {
            "code": region.code, "name": region.name, "kind": region.kind, "url": link(region.code),
            **levels.get(region.code, {"score": None, "level": None, "open": 0}),
        }}
        for region in regencies
    ]
    return {"type": "FeatureCollection", "features": features}


def ikp_scores_for(user) -> QuerySet[IkpScore]:
    return policies.scope_ikp_scores(
        IkpScore.objects.select_related("region", "election").prefetch_related("dimensions"), user)


def tps_vulnerabilities_for(user) -> QuerySet[TpsVulnerability]:
    return policies.scope_tps_vulnerabilities(
        TpsVulnerability.objects.select_related("polling_station__village__parent", "polling_station__election",
                                                "assessed_by"), user)


def security_patterns_for(user) -> QuerySet[SecurityPattern]:
    return policies.scope_security_patterns(SecurityPattern.objects.select_related("police_unit__jurisdiction"), user)


# Column headings of the risk export, in the request's language (gettext_lazy: resolved when
# the response is written).
RISK_EXPORT_HEADER = [_("ID"), _("Election"), _("Stage"), _("Region code"), _("Region"), _("Category"), _("Title"),
                      _("Likelihood"), _("Impact"), _("Score"), _("Level"), _("Status"), _("Owner agency"),
                      _("Due date"), _("Mitigation plan")]


def risk_export_rows(risks: QuerySet[RiskAssessment]):
    """One CSV row per risk, streamed from one query, with labels rather than codes."""
    for risk in risks.iterator(chunk_size=2000):
        yield [risk.pk, risk.stage.election.code, risk.stage.name, risk.region.code, risk.region.name,
               risk.get_category_display(), risk.title, risk.likelihood, risk.impact, risk.score,
               RiskLevel(risk.level).label, risk.get_status_display(),
               risk.owner.short_name if risk.owner else "", risk.due_on, risk.mitigation]
