"""The escort board: one level of the region tree at a time, per region below the one in
view, the escorts by status, the overdue ones, open discrepancies, and the TPS of the
election not yet supplied (the legal deadline: every TPS holds its logistics by H-1).

Counts come from GROUP BY on the region-code prefix (``Substr(area_code, 1, n)``): a
fixed number of queries whatever the number of legs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from coordination import policies as ground
from coordination.choices import CODE_LENGTH, LEVEL_ORDER, RegionLevel
from coordination.models import Election, PollingStation, Region
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope

from .. import policies
from ..choices import Direction, DiscrepancyStatus, EscortStatus, PlaceKind
from ..models import Discrepancy, EscortRequest
from .overdue import overdue_q

SUPPLIED = [EscortStatus.HANDED_OVER, EscortStatus.CLOSED]
# The board's status columns, in the order an escort goes through them.
BOARD_STATUSES = [EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED, EscortStatus.DEPARTED,
            EscortStatus.ARRIVED, EscortStatus.HANDED_OVER, EscortStatus.CLOSED, EscortStatus.REJECTED,
            EscortStatus.CANCELLED]
# From this many days before H-1 on, the TPS not yet supplied are the board's first message.
DEADLINE_WARNING_DAYS = 7


@dataclass
class BoardRow:
    """One region below the one in view: its escorts by status, late and disputed ones,
    and its TPS not yet supplied."""

    code: str
    name: str
    statuses: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    discrepancies: int = 0
    tps: int = 0
    supplied: int = 0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def not_supplied(self) -> int:
        return max(self.tps - self.supplied, 0)

    @property
    def status_counts(self) -> list[int]:
        return [self.statuses.get(status, 0) for status in BOARD_STATUSES]

    @property
    def status_cells(self) -> list[tuple[str, int]]:
        return [(status.label, self.statuses.get(status, 0)) for status in BOARD_STATUSES]


@dataclass
class Board:
    """The board of one region in view for one election."""

    region: Region | None  # None: the whole country (a superuser's top level)
    level: str  # the level of the rows
    election: Election | None
    rows: list[BoardRow]
    total: BoardRow
    deadline: date | None  # H-1 of voting day
    days_left: int | None  # to H-1 on the app's clock (negative once past)
    parents: list[Region] = field(default_factory=list)

    @property
    def deadline_near(self) -> bool:
        return self.days_left is not None and self.days_left <= DEADLINE_WARNING_DAYS \
            and self.total.not_supplied > 0

    @property
    def drills_down(self) -> bool:
        return self.level != RegionLevel.VILLAGE


def board_region(user, code: str | None) -> Region | None:
    """The region the board is about: ``code`` (inside the user's scope, else OutOfScope)
    or the user's own region; None for a whole-country user asking for no region."""
    scope = ground.scope_code(user)
    if scope is None:
        raise OutOfScope(_("Region not found."))
    code = (code or "").strip() or scope
    if code == ground.ALL:
        return None
    if not ground.code_in_scope(code, scope):
        raise OutOfScope(_("Region not found."))
    region = Region.objects.defer("boundary").filter(code=code).first()
    if region is None:
        raise OutOfScope(_("Region not found."))
    return region


def _child_level(region: Region | None) -> str:
    if region is None:
        return RegionLevel.PROVINCE
    index = LEVEL_ORDER.index(region.level)
    return LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)]


def _under(region: Region | None, field_name: str) -> Q:
    return Q() if region is None else ground.code_in_scope_q(field_name, region.code)


def escort_board(user, escorts: QuerySet[EscortRequest], *, region: Region | None,
                 election: Election | None) -> Board:
    """The board of ``region`` for the escorts ``escorts`` (already filtered: election,
    stage, direction, dates) as ``user`` may see them. Six queries, whatever the number
    of legs or TPS: escorts by region and status (with the overdue among them), open
    discrepancies, TPS of the election, TPS supplied, the rows' region names, the
    breadcrumb's regions."""
    level = _child_level(region)
    length = CODE_LENGTH[level]
    if region is not None and region.level == RegionLevel.VILLAGE:
        length = CODE_LENGTH[RegionLevel.VILLAGE]
    scoped = policies.scope_escorts(escorts, user).filter(_under(region, "area_code")).order_by()
    rows: dict[str, BoardRow] = {}

    def row(code: str) -> BoardRow:
        return rows.setdefault(code, BoardRow(code, code))

    counts = (scoped.annotate(part=Substr("area_code", 1, length)).values("part", "status")
              .annotate(n=Count("id"), late=Count("id", filter=overdue_q(clock.now()))))
    for entry in counts:
        target = row(entry["part"])
        target.statuses[entry["status"]] = entry["n"]
        target.overdue += entry["late"]
    disputes = (Discrepancy.objects.filter(status=DiscrepancyStatus.OPEN, escort__in=scoped.values("id"))
                .annotate(part=Substr("escort__area_code", 1, length)).values("part").annotate(n=Count("id")))
    for entry in disputes:
        row(entry["part"]).discrepancies = entry["n"]
    if election is not None:
        stations = ground.scope_polling_stations(PollingStation.objects.filter(election=election), user) \
            .filter(_under(region, "village_code")).order_by()
        for entry in (stations.annotate(part=Substr("village_code", 1, length)).values("part")
                      .annotate(n=Count("id"))):
            row(entry["part"]).tps = entry["n"]
        # Supplied: the TPS's outbound leg is handed over or closed, whatever the filters
        # above (the deadline is about the TPS, not about the legs in view).
        delivered = (policies.scope_escorts(EscortRequest.objects.all(), user)
                     .filter(_under(region, "area_code"), election=election, direction=Direction.OUTBOUND,
                             destination_kind=PlaceKind.TPS, destination_tps__isnull=False, status__in=SUPPLIED)
                     .order_by().annotate(part=Substr("area_code", 1, length)).values("part")
                     .annotate(n=Count("destination_tps", distinct=True)))
        for entry in delivered:
            row(entry["part"]).supplied = entry["n"]
    children = Region.objects.filter(level=level).filter(_under(region, "code"))
    if region is not None and region.level == RegionLevel.VILLAGE:
        children = Region.objects.filter(pk=region.pk)
    names = dict(ground.scope_regions(children, user).values_list("code", "name"))
    if region is not None and region.code in rows:
        # Legs whose region is the one in view itself (a return to its warehouse): a row of their own.
        names.setdefault(region.code, region.name)
    for code, name in names.items():
        row(code).name = name
    total = BoardRow("", _("Total"))
    for entry in rows.values():
        for status, n in entry.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + n
        total.overdue += entry.overdue
        total.discrepancies += entry.discrepancies
        total.tps += entry.tps
        total.supplied += entry.supplied
    deadline = days_left = None
    if election is not None:
        deadline = election.voting_day - timedelta(days=1)
        days_left = (deadline - clock.today()).days
    parents = []
    if region is not None:
        scope = ground.scope_code(user)
        codes = [code for code in region.ancestor_codes if ground.code_in_scope(code, scope)]
        parents = list(Region.objects.filter(code__in=codes).only("code", "name").order_by("code")) if codes else []
    return Board(region, level, election, [rows[code] for code in sorted(rows)], total, deadline, days_left,
                 parents)


def board_export(board: Board) -> tuple[list, list[list]]:
    """The board's rows as CSV, with headings and labels in the request's language."""
    labels = dict(EscortStatus.choices)
    header = [_("Code"), _("Region"), *[str(labels[status]) for status in BOARD_STATUSES], _("Total escorts"),
              _("Overdue"), _("Open discrepancies"), _("TPS"), _("TPS supplied"), _("TPS not yet supplied")]
    rows = [[row.code, row.name, *row.status_counts, row.total, row.overdue, row.discrepancies, row.tps,
             row.supplied, row.not_supplied] for row in [*board.rows, board.total]]
    return header, rows
