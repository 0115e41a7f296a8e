"""Reads of regions, TPS, agencies and the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from coordination import policies
from coordination.choices import CODE_LENGTH, LEVEL_ORDER, RegionLevel
from coordination.models import Agency, Election, PollingStation, Region
from kpu_polda.base.queries import one_in_scope

from .elections import default_election


def regions_for(user) -> QuerySet[Region]:
    return policies.scope_regions(Region.objects.all(), user)


def polling_stations_for(user) -> QuerySet[PollingStation]:
    return policies.scope_polling_stations(
        PollingStation.objects.select_related("village__parent__parent", "election"), user
    )


def region_picker_options(user) -> list[tuple[str, str]]:
    """(code, name) of the province, kab/kota and kecamatan in the user's scope, for a region
    filter's name search. Villages are left out to keep every page light: about 115 options
    for the whole province. One query."""
    levels = [RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]
    return list(regions_for(user).filter(level__in=levels).order_by("code").values_list("code", "name"))


def agencies_for(user) -> QuerySet[Agency]:
    return policies.scope_agencies(Agency.objects.select_related("jurisdiction", "counterpart", "parent"), user)


def region_get(user, code: str) -> Region:
    return one_in_scope(regions_for(user).select_related("parent"), f"Region {code}", code=code)


def region_breadcrumbs(region: Region) -> list[Region]:
    """The regions above ``region``, top first (one query)."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("code"))


@dataclass
class RegionRow:
    region: Region
    polling_stations: int
    voters: int


def _tps_totals_by_prefix(user, election: Election | None, length: int, under: str | None) -> dict[str, tuple]:
    qs = polling_stations_for(user).order_by()
    if election is not None:
        qs = qs.filter(election=election)
    if under:
        qs = qs.filter(policies.code_in_scope_q("village_code", under))
    rows = (
        qs.annotate(prefix=Substr("village_code", 1, length))
        .values("prefix")
        .annotate(n=Count("id"), voters=Sum("voters"))
    )
    return {row["prefix"]: (row["n"], row["voters"] or 0) for row in rows}


def region_children(user, region: Region, election: Election | None) -> list[RegionRow]:
    """The regions directly under ``region`` that the user may see, each with its TPS
    and voter totals for ``election``. Two queries whatever the number of rows."""
    children = list(regions_for(user).filter(parent=region).order_by("code"))
    if not children:
        return []
    totals = _tps_totals_by_prefix(user, election, CODE_LENGTH[children[0].level], region.code)
    return [RegionRow(child, *totals.get(child.code, (0, 0))) for child in children]


@dataclass
class ScopeSummary:
    scope_code: str | None
    root: Region | None
    regions_by_level: dict[str, int]
    polling_stations: int
    voters: int
    election: Election | None


def scope_summary(user) -> ScopeSummary:
    """What the home page says of the user's scope: a bounded number of queries."""
    prefix = policies.scope_code(user)
    counts = dict(regions_for(user).order_by().values_list("level").annotate(n=Count("id")))
    election = default_election(user)
    tps = polling_stations_for(user).order_by()
    if election is not None:
        tps = tps.filter(election=election)
    totals = tps.aggregate(n=Count("id"), voters=Sum("voters"))
    root = None
    if prefix is not None:
        roots = regions_for(user).filter(code=prefix) if prefix else Region.objects.filter(parent__isnull=True)
        root = roots.order_by("code").first()
    return ScopeSummary(
        scope_code=prefix,
        root=root,
        regions_by_level={level: counts.get(level, 0) for level in LEVEL_ORDER},
        polling_stations=totals["n"] or 0,
        voters=totals["voters"] or 0,
        election=election,
    )
