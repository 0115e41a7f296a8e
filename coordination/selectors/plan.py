"""The police and linmas needed to guard every TPS, from the TPS classes and the
security patterns in force on voting day."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import CODE_LENGTH, PolriClass, RegionLevel
from coordination.models import Election, PollingStation, Region, SecurityPattern

UNCLASSIFIED = "unclassified"


@dataclass
class PlanRow:
    """One region's TPS per Polri class and the personnel they need."""

    code: str
    name: str
    tps: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    police: int = 0
    linmas: int = 0
    patterns: dict[str, str] = field(default_factory=dict)
    children: list[PlanRow] = field(default_factory=list)

    @property
    def total_tps(self) -> int:
        return sum(self.tps.values())

    def add(self, other: PlanRow) -> None:
        for cls, count in other.tps.items():
            self.tps[cls] += count
        self.police += other.police
        self.linmas += other.linmas


@dataclass
class Plan:
    election: Election
    districts: list[PlanRow]
    regencies: list[PlanRow]
    total: PlanRow


def _patterns_on(election: Election) -> tuple[dict[str, SecurityPattern], dict[tuple[str, str], SecurityPattern]]:
    day = election.voting_day
    general: dict[str, SecurityPattern] = {}
    by_regency: dict[tuple[str, str], SecurityPattern] = {}
    valid = (SecurityPattern.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
             .select_related("police_unit__jurisdiction").order_by("valid_from", "id"))
    for pattern in valid:  # the latest valid_from wins (the latest entered on a tie)
        if pattern.police_unit is None:
            general[pattern.polri_class] = pattern
        else:
            by_regency[(pattern.police_unit.jurisdiction.code, pattern.polri_class)] = pattern
    return general, by_regency


def personnel_plan(user, election: Election, under: str | None = None) -> Plan:
    """Police and linmas per kecamatan, kab/kota and in total for the TPS of
    ``election`` in the user's scope (optionally only under region code ``under``).

    A pattern p-n-l means p officers guard a cluster of n TPS, with l linmas across those
    n TPS. Clusters are formed within a kecamatan (one Polsek's area), so a kecamatan with
    c TPS of a class needs ceil(c / n) x p officers and ceil(c x l / n) linmas. A Polres's
    own pattern for a class overrides its Polda's, which overrides the general one. Unclassified TPS are counted and
    need no one until classified. Four queries whatever the number of TPS.
    """
    district_length = CODE_LENGTH[RegionLevel.DISTRICT]
    regency_length = CODE_LENGTH[RegionLevel.REGENCY]
    stations = policies.scope_polling_stations(PollingStation.objects.filter(election=election), user)
    if under:
        stations = stations.filter(policies.code_in_scope_q("village_code", under))
    counts = (
        stations.order_by()
        .annotate(district=Substr("village_code", 1, district_length),
                  cls=Coalesce("vulnerability__polri_class", Value(UNCLASSIFIED)))
        .values("district", "cls").annotate(n=Count("id"))
    )
    general, by_regency = _patterns_on(election)
    districts: dict[str, PlanRow] = {}
    for row in counts:
        plan = districts.setdefault(row["district"], PlanRow(row["district"], ""))
        plan.tps[row["cls"]] += row["n"]
    for plan in districts.values():
        for cls, count in plan.tps.items():
            # The Polres's own pattern, else its Polda's, else the general one.
            pattern = (by_regency.get((plan.code[:regency_length], cls))
                       or by_regency.get((plan.code.split(".")[0], cls)) or general.get(cls))
            if cls == UNCLASSIFIED or pattern is None:
                continue
            plan.police += math.ceil(count / pattern.tps) * pattern.police
            plan.linmas += math.ceil(count * pattern.linmas / pattern.tps)
            plan.patterns[cls] = f"{pattern.police}-{pattern.tps}-{pattern.linmas}"
    codes = set(districts) | {code[:regency_length] for code in districts}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    regencies: dict[str, PlanRow] = {}
    for code, plan in sorted(districts.items()):
        plan.name = names.get(code, code)
        regency = regencies.setdefault(code[:regency_length],
                                       PlanRow(code[:regency_length], names.get(code[:regency_length], "")))
        regency.add(plan)
        regency.children.append(plan)
    total = PlanRow("", "")
    for regency in regencies.values():
        total.add(regency)
    return Plan(election, [districts[c] for c in sorted(districts)], [regencies[c] for c in sorted(regencies)], total)


CLASS_ORDER = [*PolriClass.values, UNCLASSIFIED]


def plan_export(plan: Plan) -> tuple[list, list[list]]:
    """The plan as CSV rows: every kecamatan, then every kab/kota, then the total, with
    headings and labels in the request's language."""
    classes = [PolriClass(cls).label if cls in PolriClass.values else _("Unclassified") for cls in CLASS_ORDER]
    header = [_("Level"), _("Code"), _("Name"), *[f"TPS {label}" for label in classes], _("TPS"), _("Police"),
              _("Linmas")]
    rows = []
    for level, items in ((_("Kecamatan"), plan.districts), (RegionLevel.REGENCY.label, plan.regencies),
                         (_("Total"), [plan.total])):
        for row in items:
            rows.append([level, row.code, row.name, *[row.tps.get(cls, 0) for cls in CLASS_ORDER], row.total_tps,
                         row.police, row.linmas])
    return header, rows
