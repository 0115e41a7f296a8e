"""Bulk planning of the outbound legs of one kab/kota: warehouse -> PPK -> PPS -> TPS.

From the TPS register (coordination.PollingStation) it makes, for one election, one leg
from the KPU kab/kota warehouse to each PPK (kecamatan having TPS), one from each PPK to
each PPS (desa/kelurahan having TPS) and one from each PPS to each TPS, with the goods
each TPS needs and the sums of them on the legs above. Each leg carries a ``plan_key``,
so planning again creates only what is missing.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import services as ground
from coordination.choices import AccessMode, ElectionKind, RegionLevel
from coordination.models import Election, ElectionStage, PollingStation, Region, User
from kpu_polda.base import clock
from kpu_polda.base.history import bulk_create_with_history

from .. import policies
from ..choices import BALLOTS, Direction, EscortStatus, ItemKind, PlaceKind
from ..models import EscortItem, EscortRequest
from .escorts import (
    DEFAULT_UNITS,
    escort_clause_default,
    escort_number,
    escort_serials_take,
    escort_stage_check,
    kpu_office_for,
    police_unit_for,
)

# Pemilihan 2024 (kind "regional") has its own ballots (governor, regent/mayor) that the
# item kinds do not name yet: its legs carry one ballot type, the executive pair's ballot.
REGIONAL_BALLOTS = [ItemKind.BALLOT_PRESIDENT]
# Ballots per voter: the DPT plus 2% reserve (UU 7/2017 art. 344), rounded up per TPS.
RESERVE_PERCENT = 2
# Whole units each TPS receives whatever its DPT (PKPU 14/2023's voting equipment).
PER_TPS = {ItemKind.VOTING_BOOTH: 4, ItemKind.INK: 2, ItemKind.FORMS: 1}
# Seals per ballot box (its lid and its four sides' padlock holes are sealed).
SEALS_PER_BOX = 5
# Where a TPS is reached by river or air (or is flagged 4T), its logistics leave first.
REMOTE_MODES = frozenset({AccessMode.RIVER, AccessMode.AIR})
DEFAULT_TRAVEL_MINUTES = 120

# (days before voting day, departure hour WITA) of each level, for ordinary and remote legs.
SCHEDULE = {
    PlaceKind.PPK: {False: (2, 8), True: (6, 8)},
    PlaceKind.PPS: {False: (1, 6), True: (5, 8)},
    PlaceKind.TPS: {False: (1, 12), True: (4, 8)},
}
# The share of the warehouse-to-TPS travel time each level's leg takes.
TRAVEL_SHARE = {PlaceKind.PPK: 0.5, PlaceKind.PPS: 0.25, PlaceKind.TPS: 0.25}
BATCH = 2000  # rows per INSERT: large enough that the statements stay few, small enough for SQLite's limits


@dataclass
class PlanResult:
    """What one planning run did: legs created, legs found already planned, items created."""

    created: int = 0
    existing: int = 0
    items: int = 0


def ballot_kinds(election: Election) -> list[str]:
    """The ballot types of ``election``: Pemilu's five, or Pemilihan's one (REGIONAL_BALLOTS)."""
    return list(BALLOTS) if election.kind == ElectionKind.GENERAL else list(REGIONAL_BALLOTS)


def ballots_for(voters: int) -> int:
    """Ballots of one type a TPS receives: its DPT plus 2%, rounded up."""
    return -(-voters * (100 + RESERVE_PERCENT) // 100)


def tps_goods(voters: int, ballots: list[str]) -> dict[str, int]:
    """The goods one TPS receives, by item kind."""
    goods = {kind: ballots_for(voters) for kind in ballots}
    goods[ItemKind.BALLOT_BOX] = len(ballots)
    goods.update(PER_TPS)
    goods[ItemKind.SEAL] = SEALS_PER_BOX * len(ballots)
    return goods


def _moment(day: date, days_before: int, hour: int) -> datetime:
    # In the settings' zone (WITA): the hours are the kab/kota's.
    return datetime.combine(day - timedelta(days=days_before), time(hour), tzinfo=timezone.get_default_timezone())


@dataclass
class _Leg:
    key: str
    kind: str  # the destination's PlaceKind
    origin_kind: str
    origin_region: Region
    origin_name: str
    destination_region: Region
    destination_name: str
    tps: PollingStation | None
    remote: bool
    travel: int
    mode: str
    goods: Counter


def _legs(election: Election, regency: Region, stations: list[PollingStation], regions: dict[int, Region]
          ) -> list[_Leg]:
    """Every leg of the plan, TPS legs first summed up into their PPS and PPK legs."""
    ballots = ballot_kinds(election)
    warehouse = _("KPU warehouse %(name)s") % {"name": regency.name}
    legs: dict[str, _Leg] = {}
    modes: dict[str, Counter] = defaultdict(Counter)
    prefix = election.code
    for tps in stations:
        village = regions[tps.village_id]
        district = regions[village.parent_id]
        remote = tps.is_remote or tps.access_mode in REMOTE_MODES
        travel = tps.travel_minutes or DEFAULT_TRAVEL_MINUTES
        goods = Counter(tps_goods(tps.voters, ballots))
        tps.village = village  # the label names the village, read from the map above
        legs[f"{prefix}:tps:{tps.pk}"] = _Leg(
            f"{prefix}:tps:{tps.pk}", PlaceKind.TPS, PlaceKind.PPS, village, f"PPS {village.name}", village,
            tps.label, tps, remote, travel, tps.access_mode, goods)
        for kind, region, origin_kind, origin_region, origin_name in (
                (PlaceKind.PPS, village, PlaceKind.PPK, district, f"PPK {district.name}"),
                (PlaceKind.PPK, district, PlaceKind.WAREHOUSE, regency, warehouse)):
            key = f"{prefix}:{kind}:{region.pk}"
            leg = legs.get(key)
            if leg is None:
                leg = legs[key] = _Leg(key, kind, origin_kind, origin_region, origin_name, region,
                                       f"{kind.upper()} {region.name}", None, False, 0, "", Counter())
            leg.goods.update(goods)
            leg.remote = leg.remote or remote
            leg.travel = max(leg.travel, travel)
            # A feeding leg needs the vehicles most of the places it serves need.
            modes[key][tps.access_mode] += 1
    for key, counted in modes.items():
        legs[key].mode = max(counted.items(), key=lambda pair: (pair[1], pair[0] == AccessMode.ROAD))[0]
    order = {PlaceKind.PPK: 0, PlaceKind.PPS: 1, PlaceKind.TPS: 2}
    return sorted(legs.values(), key=lambda leg: (order[leg.kind], leg.destination_region.code, leg.key))


def escort_plan_outbound(*, actor: User, election: Election, regency: Region,
                         stage: ElectionStage | None = None) -> PlanResult:
    """Plan the outbound escort legs of one kab/kota for ``election`` from its TPS register.

    Preconditions: ``regency`` is a kab/kota inside the actor's scope (OutOfScope) and the
    actor acts for a KPU office (PermissionDenied); ``stage``, when given, belongs to the
    election (ValidationError).

    Creates, in status submitted and numbered without gaps in one reservation: a leg from
    the KPU kab/kota warehouse to each PPK (kecamatan having TPS) on H-2, from each PPK to
    each PPS on H-1 morning, from each PPS to each TPS on H-1; legs to a TPS reached by
    river or air or flagged remote, and the legs feeding them, leave on H-6 to H-4. Each
    TPS gets its DPT + 2% (rounded up) of every ballot type, a box per ballot type, seals
    for them, booths, ink and forms; the legs above carry the sums. Legs already planned
    (same ``plan_key``) are left alone and counted as existing. History rows name the
    actor; the escort clause's evidence is recorded for every new leg. A fixed number of
    statements whatever the number of TPS.
    """
    if regency.level != RegionLevel.REGENCY:
        raise ValidationError({"regency": [_("Choose a kab/kota.")]})
    escort_stage_check(stage, election)
    policies.ensure_can_request(actor, regency.code)
    stations = list(PollingStation.objects.filter(election=election, village_code__startswith=regency.code + ".")
                    .only("id", "village_id", "number", "voters", "access_mode", "is_remote", "travel_minutes")
                    .order_by("village_code", "number"))
    if not stations:
        return PlanResult()
    regions = {region.pk: region for region in Region.objects.filter(code__startswith=regency.code + ".",
                                                                     level__in=[RegionLevel.DISTRICT,
                                                                                RegionLevel.VILLAGE])
               .defer("boundary")}
    planned = _legs(election, regency, stations, regions)
    requested_by = kpu_office_for(actor, regency.code)
    police_unit = police_unit_for(regency.code)
    clause = escort_clause_default(regency)
    year = timezone.localtime(clock.now()).year
    day = election.voting_day
    with transaction.atomic():
        # Taking no serials still locks the kab/kota's counter: a second run waits here
        # until this one commits, then finds its legs (no duplicate plan_key).
        escort_serials_take(regency_code=regency.code, year=year, count=0)
        # Every planned leg lies in the kab/kota: its legs already planned are one prefix scan.
        existing = set(EscortRequest.objects.filter(election=election, area_code__startswith=regency.code + ".",
                                                    plan_key__isnull=False).values_list("plan_key", flat=True))
        new = [leg for leg in planned if leg.key not in existing]
        found = len(planned) - len(new)
        if not new:
            return PlanResult(existing=found)
        first = escort_serials_take(regency_code=regency.code, year=year, count=len(new))
        escorts, goods = [], []
        for offset, leg in enumerate(new):
            days_before, hour = SCHEDULE[leg.kind][leg.remote]
            departure = _moment(day, days_before, hour)
            minutes = max(30, round(leg.travel * TRAVEL_SHARE[leg.kind]))
            serial = first + offset
            escort = EscortRequest(
                election=election, stage=stage, direction=Direction.OUTBOUND, origin_kind=leg.origin_kind,
                origin_name=leg.origin_name, origin_region=leg.origin_region, destination_kind=leg.kind,
                destination_name=leg.destination_name, destination_region=leg.destination_region,
                destination_tps=leg.tps, area=leg.destination_region, area_code=leg.destination_region.code,
                transport_mode=leg.mode, planned_departure=departure,
                planned_arrival=departure + timedelta(minutes=minutes), requested_by=requested_by,
                police_unit=police_unit, clause=clause, regency_code=regency.code, year=year, serial=serial,
                number=escort_number(regency.code, year, serial), status=EscortStatus.SUBMITTED,
                plan_key=leg.key,
            )
            escorts.append(escort)
            goods.append(leg.goods)
        _insert_with_history(escorts, EscortRequest, actor)
        items = [{"escort_id": escort.pk, "kind": kind, "quantity": quantity,
                  "unit": DEFAULT_UNITS.get(kind, "lembar"), "seal_numbers": "", "box_label": ""}
                 for escort, counted in zip(escorts, goods, strict=True) for kind, quantity in counted.items()]
        _insert_with_history(items, EscortItem, actor)
        ground.clause_evidence_sync_many(sources=escorts, actor=actor)
    return PlanResult(created=len(escorts), existing=found, items=len(items))


# --- the insert: COPY on PostgreSQL, bulk_create elsewhere ------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _insert_with_history(rows: list, model, actor: User) -> None:
    """Insert ``rows`` (model instances, or dicts of attribute values for rows nobody reads
    back) and their "created" history rows naming ``actor``, dated on the app's clock;
    instances get their ids.

    On PostgreSQL by COPY: planned at Kaltim's scale (12,600 legs, 126,000 items) the ORM's
    bulk_create spent most of the run preparing values field by field, 45 s on two cores;
    COPY takes a few seconds. The ids are drawn from the table's sequence first (one
    statement), so the items can point at their escort. Elsewhere (SQLite, the tests)
    simple-history's bulk helper does the same.
    """
    if not rows:
        return
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        objs = [model(**row) if isinstance(row, dict) else row for row in rows]
        bulk_create_with_history(objs, model, default_user=actor, batch_size=BATCH)
        return
    now = clock.now()
    fields = list(model._meta.concrete_fields)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(rows)])
        ids = [pk for (pk,) in cursor.fetchall()]
        values = []
        for row, pk in zip(rows, ids, strict=True):
            if isinstance(row, dict):
                row = {**row, "id": pk, "created_at": now, "updated_at": now}
                values.append([row.get(field.attname) for field in fields])
            else:
                row.pk = pk
                row.created_at = row.updated_at = now
                row._state.adding = False
                values.append([getattr(row, field.attname) for field in fields])
        _copy(cursor, table, [field.column for field in fields], values)
        extra = [now, None, "+", actor.pk]
        _copy(cursor, model.history.model._meta.db_table,
              [*[field.column for field in fields], "history_date", "history_change_reason", "history_type",
               "history_user_id"],
              ([*row, *extra] for row in values))
