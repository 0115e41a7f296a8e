"""Escort legs for the whole country, in a child process with Django set up.

First the planning service (logistics.services.escort_plan_outbound, one transaction per
kab/kota, with items, history and clause evidence), as the whole-country user, kab/kota
after kab/kota (Kaltim first) for at most BENCH_NATIONAL_PLAN_SECONDS: its rate is a
figure, and so is the time it would take for the whole country at that rate. The kab/kota
it had no time for get the same legs (one warehouse -> PPK leg per kecamatan, PPK -> PPS
per desa/kelurahan, PPS -> TPS per TPS, with the service's plan keys, numbers, names and
transport; the ordinary legs' departure times) from one set-based INSERT ... SELECT of the
bench's own, without items or history. Then, as
bench/escort_board.py does, copies of those legs (one INSERT ... SELECT, no history)
spread over every status and a week of departures, up to BENCH_NATIONAL_LEGS, and a tenth
of the TPS legs handed over, so that the board has every column to count.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

from bench.national.report import emit

ELECTION = "pemilu-2024"
STATUSES = ["submitted", "accepted", "assigned", "departed", "arrived", "handed_over", "closed", "rejected",
            "cancelled"]

_FILL = """
WITH t AS (
    SELECT t.id, t.number, t.access_mode, t.village_id, v.code AS vcode, v.name AS vname, v.parent_id AS district_id,
           d.code AS dcode, d.name AS dname, substr(t.village_code, 1, 5) AS regency
    FROM coordination_pollingstation t
    JOIN coordination_region v ON v.id = t.village_id JOIN coordination_region d ON d.id = v.parent_id
    WHERE t.election_id = %(election)s AND substr(t.village_code, 1, 5) = ANY(%(regencies)s)
), legs AS (
    SELECT regency, 0 AS ord, dcode AS code, 'ppk' AS kind, 'warehouse' AS origin_kind,
           NULL AS origin_name, NULL::bigint AS origin_region, 'PPK ' || dname AS dest_name,
           district_id AS dest_region, NULL::bigint AS tps, dcode AS area_code, {mode} AS mode,
           %(ppk)s::timestamptz AS departure, %(prefix)s || ':ppk:' || district_id AS plan_key
    FROM t GROUP BY regency, dcode, dname, district_id
    UNION ALL
    SELECT regency, 1, vcode, 'pps', 'ppk', 'PPK ' || dname, district_id, 'PPS ' || vname, village_id, NULL, vcode,
           {mode}, %(pps)s::timestamptz, %(prefix)s || ':pps:' || village_id
    FROM t GROUP BY regency, vcode, vname, village_id, district_id, dname
    UNION ALL
    SELECT regency, 2, vcode, 'tps', 'pps', 'PPS ' || vname, village_id,
           'TPS ' || lpad(number::text, 3, '0') || ' ' || vname, village_id, id, vcode, access_mode,
           %(tps)s::timestamptz, %(prefix)s || ':tps:' || id
    FROM t
), numbered AS (
    SELECT legs.*, row_number() OVER (PARTITION BY regency ORDER BY ord, code, plan_key) AS serial FROM legs
)
INSERT INTO logistics_escortrequest (
    created_at, updated_at, number, regency_code, year, serial, election_id, requested_by_id, police_unit_id,
    cargo, direction, origin_kind, origin_name, origin_region_id, destination_kind, destination_name,
    destination_region_id, destination_tps_id, area_id, area_code, transport_mode, planned_departure,
    planned_arrival, notes, team_purpose, team_members, status, commander_name, commander_nrp, vehicles, plan_key)
SELECT now(), now(), 'ESC/' || n.regency || '/' || %(year)s || '/' || lpad(n.serial::text, 6, '0'), n.regency,
       %(year)s, n.serial, %(election)s,
       (SELECT min(a.id) FROM coordination_agency a WHERE a.jurisdiction_id = rg.id AND a.kind = 'kpu'),
       (SELECT min(a.id) FROM coordination_agency a WHERE a.jurisdiction_id = rg.id AND a.kind = 'polri'),
       'goods', 'outbound', n.origin_kind, coalesce(n.origin_name, 'Gudang KPU ' || rg.name),
       coalesce(n.origin_region, rg.id), n.kind, n.dest_name,
       n.dest_region, n.tps, n.dest_region, n.area_code, n.mode, n.departure, n.departure + interval '3 hours',
       '', '', '', 'submitted', '', '', '', n.plan_key
FROM numbered n JOIN coordination_region rg ON rg.code = n.regency
""".replace("{mode}", "trim(mode() WITHIN GROUP (ORDER BY replace(access_mode, 'road', ' road')))")


def _service(actor, election, regencies, budget: float) -> tuple[list, int, int, float]:
    """Plan kab/kota after kab/kota through the service until ``budget`` seconds have gone;
    (the kab/kota left, legs, items, seconds)."""
    from logistics import services

    legs = items = 0
    began = time.perf_counter()
    for index, regency in enumerate(regencies):
        if time.perf_counter() - began >= budget:
            return regencies[index:], legs, items, time.perf_counter() - began
        result = services.escort_plan_outbound(actor=actor, election=election, regency=regency)
        legs, items = legs + result.created, items + result.items
    return [], legs, items, time.perf_counter() - began


def _fill(election, regencies: list) -> tuple[int, float]:
    """The legs of ``regencies`` in the service's shape, set-based; (legs, seconds)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kpu_polda.base import clock

    if not regencies:
        return 0, 0.0
    day = datetime.combine(election.voting_day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    codes = [r.code for r in regencies]
    year = timezone.localtime(clock.now()).year  # the year the service numbers with
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_FILL, {"election": election.pk, "regencies": codes, "prefix": election.code, "year": year,
                               "ppk": day - timedelta(days=2) + timedelta(hours=8),
                               "pps": day - timedelta(days=1) + timedelta(hours=6),
                               "tps": day - timedelta(days=1) + timedelta(hours=12)})
        made = cursor.rowcount
        # The counters the service reserves from: a later plan numbers after these.
        cursor.execute("INSERT INTO logistics_escortnumbercounter (regency_code, year, last) "
                       "SELECT regency_code, year, max(serial) FROM logistics_escortrequest "
                       "WHERE regency_code = ANY(%s) AND year = %s GROUP BY regency_code, year "
                       "ON CONFLICT (regency_code, year) DO UPDATE SET last = EXCLUDED.last", [codes, year])
    return made, time.perf_counter() - began


def _copies(target: int) -> tuple[int, float]:
    """Copies of the legs up to ``target`` (bench/escort_board.py's shortcut); (copies, seconds)."""
    from django.db import connection, transaction

    from logistics.models import EscortRequest

    legs = EscortRequest.objects.count()
    if legs >= target or not legs:
        return 0, 0.0
    table = EscortRequest._meta.db_table
    columns = [f.column for f in EscortRequest._meta.concrete_fields if f.column != "id"]
    replaced = {
        "number": "'B/' || e.id || '/' || g",
        "serial": "1000000 + e.id * 100 + g",
        "plan_key": "NULL",
        "status": f"(ARRAY{STATUSES!r})[1 + mod(e.id + g, {len(STATUSES)})]",
        "planned_departure": "e.planned_departure - mod(g, 7) * interval '1 day'",
        "planned_arrival": "e.planned_arrival - mod(g, 7) * interval '1 day'",
    }
    select = ", ".join(replaced.get(column, f"e.{column}") for column in columns)
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        copies = -(-(target - legs) // legs)
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} e, "
                       "generate_series(1, %s) g ORDER BY e.id, g LIMIT %s", [copies, target - legs])
        made = cursor.rowcount
        cursor.execute(f"UPDATE {table} SET status = 'handed_over' WHERE plan_key LIKE '%%:tps:%%' "
                       "AND id %% 10 = 0", [])
    return made, time.perf_counter() - began


def plan(national_user: str, scale: float) -> None:
    from django.db import connection

    from coordination.choices import RegionLevel
    from coordination.models import Election, PollingStation, Region, User
    from logistics.models import EscortRequest

    actor = User.objects.get(username=national_user)
    election = Election.objects.get(code=ELECTION)
    budget = float(os.environ.get("BENCH_NATIONAL_PLAN_SECONDS", "180"))
    target = int(os.environ.get("BENCH_NATIONAL_LEGS", str(round(2_500_000 * scale))))
    regencies = sorted(Region.objects.filter(level=RegionLevel.REGENCY).defer("boundary"),
                       key=lambda r: (not r.code.startswith("64."), r.code))
    tps = PollingStation.objects.filter(election=election)
    whole = (tps.count() + tps.values("village_id").distinct().count()
             + tps.values("village__parent_id").distinct().count())
    left, legs, items, seconds = _service(actor, election, regencies, budget)
    rate = legs / seconds if seconds else 0.0
    done = len(regencies) - len(left)
    estimate = whole / rate if rate else float("inf")
    emit("board", "planning service, as the whole-country user", f"{legs:,} legs, {items:,} items in {seconds:.0f} s",
         anchor=f"{rate:,.0f} legs/s", note=f"{done} of {len(regencies)} kab/kota in the time given "
         f"(BENCH_NATIONAL_PLAN_SECONDS={budget:g}); the whole country is {whole:,} legs, "
         f"about {estimate / 60:.0f} min at this rate")
    filled, fill_seconds = _fill(election, left)
    copies, copy_seconds = _copies(target)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE logistics_escortrequest")
    emit("board", "escort legs in the database", f"{EscortRequest.objects.count():,} legs",
         note=f"service {legs:,}; the rest of the country's plan by the bench's set-based SQL {filled:,} "
         f"({fill_seconds:.0f} s, {len(left)} kab/kota, no items or history); copies over every status and a "
         f"week {copies:,} ({copy_seconds:.0f} s) up to BENCH_NATIONAL_LEGS={target:,}")
