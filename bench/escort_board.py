"""How long the escort board takes over 100,000 legs, for a province and a kab/kota user.

    .venv/bin/python bench/escort_board.py

Builds its own PostgreSQL database (BENCH_DATABASE, default kpu_bench_board, on
BENCH_POSTGRES: bench/common.py), or reuses it when BENCH_REUSE=1 and it exists (grown
when it holds fewer than BENCH_LEGS): migrate, `manage.py seed_demo` (11,441 TPS of
Pemilu 2024), bulk planning of all of Kaltim through the service (~12,600 legs), then copies of those legs
by one INSERT ... SELECT (set-based, the bench's own shortcut: no history for the copies)
up to BENCH_LEGS (100,000), spread over every status and a week of departures, and a
tenth of the TPS legs handed over. Then it GETs the board through Django's test Client
(BENCH_REPEAT times, 9) as the province's KPU staff (kab/kota rows) and as KPU Samarinda
(kecamatan rows), plus the CSV, and prints the median and worst time and the query
count of each. The database is dropped at the end unless BENCH_KEEP=1.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402
from bench.escort_planning import plan_all  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_board")
LEGS = int(os.environ.get("BENCH_LEGS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
STATUSES = ["submitted", "accepted", "assigned", "departed", "arrived", "handed_over", "closed", "rejected",
            "cancelled"]


def grow() -> None:
    """Plan Kaltim through the service, then copy its legs set-based up to LEGS."""
    from django.db import connection, transaction

    from logistics.models import EscortRequest

    planned, _, seconds = plan_all(verbose=False)
    print(f"planned {planned:,} legs through the service in {seconds:.1f} s", flush=True)
    legs = EscortRequest.objects.count()  # a reused database may hold them already
    columns = [f.column for f in EscortRequest._meta.concrete_fields if f.column != "id"]
    replaced = {
        "number": "'B/' || e.id || '/' || g",
        "serial": "1000000 + e.id * 100 + g",
        "plan_key": "NULL",
        "status": f"(ARRAY{STATUSES!r})[1 + mod(e.id + g, {len(STATUSES)})]",
        "planned_departure": "e.planned_departure - mod(g, 7) * interval '1 day'",
        "planned_arrival": "e.planned_arrival - mod(g, 7) * interval '1 day'",
    }
    copies = -(-(LEGS - legs) // legs)
    select = ", ".join(replaced.get(column, f"e.{column}") for column in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {EscortRequest._meta.db_table} ({', '.join(columns)}) "
                       f"SELECT {select} FROM {EscortRequest._meta.db_table} e, generate_series(1, %s) g "
                       f"ORDER BY e.id, g LIMIT %s", [copies, LEGS - legs])
        # A tenth of the planned TPS legs handed over: the board's "not yet supplied" has work to do.
        cursor.execute(f"UPDATE {EscortRequest._meta.db_table} SET status = 'handed_over' "
                       "WHERE plan_key LIKE '%%:tps:%%' AND id %% 10 = 0", [])
    print(f"legs now: {EscortRequest.objects.count():,}", flush=True)


def measure() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the responses carry their context: the rows shown are printed

    from coordination.models import User
    from logistics.models import EscortRequest

    if EscortRequest.objects.count() < LEGS:
        grow()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"legs in the database: {EscortRequest.objects.count():,}; {REPEAT} GETs each, test Client, "
          "DEBUG off (test settings: in-memory cache)", flush=True)
    # The legs are Pemilu 2024's (the default election is the next or the latest one).
    for username, path in [("kpu.kaltim", "/logistics/board/?election=pemilu-2024"),
                           ("kpu.kaltim", "/logistics/board/?election=pemilu-2024&region=64.72"),
                           ("kpu.samarinda", "/logistics/board/?election=pemilu-2024"),
                           ("kpu.samarinda", "/logistics/board/?election=pemilu-2024&direction=outbound"
                                             "&departs_from=2024-02-08"),
                           ("kpu.samarinda", "/logistics/board/export.csv?election=pemilu-2024")]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        timings, queries, response = common.timed(f"{username} GET {path}", lambda c=client, p=path: c.get(p), REPEAT)
        board = response.context["board"] if response.context else None
        shown = f"{board.total.total:,} legs in {len(board.rows)} rows" if board else "CSV"
        print(f"{username:14} GET {path:58} median {statistics.median(timings):7.1f} ms  "
              f"max {max(timings):7.1f} ms  {queries:2} queries  ({shown})", flush=True)


if __name__ == "__main__":
    # The test settings serve static files without a collected manifest (the local settings
    # with DEBUG off want collectstatic); the database and the code are the same.
    common.main_in_child(__file__, measure, DATABASE, keep=KEEP, reuse=REUSE, settings="kpu_polda.settings.test")
