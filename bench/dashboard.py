"""How long the dashboard (the home page with every panel) takes at the demo volume.

    .venv/bin/python bench/dashboard.py

Builds its own PostgreSQL database (BENCH_DATABASE, default kpu_bench_dashboard, on
BENCH_POSTGRES: bench/common.py), or reuses it when BENCH_REUSE=1 and it exists: migrate,
`manage.py seed_demo` (regions, 11,441 Pemilu 2024 TPS, agencies, risks, the cooperation
records), then the logistics and meetings demos. Then it GETs `/` through Django's test
Client (BENCH_REPEAT times, 15, after one warm-up) as `kpu.kaltim` (the province),
`kpu.samarinda` and `polresta.samarinda`, and one panel refresh, and prints the median
and worst time and the query count of each, beside the anchor: the same Client's GET of
/healthz (one SELECT 1), the cost of a request that does nothing. The goal is a median
under 300 ms at the demo volume on 2 cores. The database is dropped at the end unless
BENCH_KEEP=1.
"""

from __future__ import annotations

import os
import statistics
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_dashboard")
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
DEMO_MOMENT = "2024-02-08T09:00+08:00"


def measure() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kpu_polda.base import clock
    from logistics.models import EscortRequest
    from meetings.models import Meeting

    if not EscortRequest.objects.exists():
        call_command("seed_logistics_demo", verbosity=0)
    if not Meeting.objects.exists():
        call_command("seed_meetings_demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"escorts {EscortRequest.objects.count():,}, meetings {Meeting.objects.count():,}; "
          f"{REPEAT} GETs each, test Client, DEBUG off", flush=True)
    anchor = Client()
    timings, queries, _ = common.timed("GET /healthz", lambda: anchor.get("/healthz"), REPEAT)
    print(f"{'anchor':18} GET {'/healthz':28} median {statistics.median(timings):7.1f} ms  "
          f"max {max(timings):7.1f} ms  {queries:2} queries", flush=True)
    # The demo's own moment (the Makefile's CLOCK_START): six days before voting day.
    with clock.travel_to(datetime.fromisoformat(DEMO_MOMENT)):
        _pages()


def _pages() -> None:
    from django.test import Client

    from coordination.models import User

    for username, path in [("kpu.kaltim", "/"), ("kpu.samarinda", "/"), ("polresta.samarinda", "/"),
                           ("kpu.kaltim", "/dashboard/panels/inbox/")]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        timings, queries, _ = common.timed(f"{username} GET {path}", lambda c=client, p=path: c.get(p), REPEAT)
        print(f"{username:18} GET {path:28} median {statistics.median(timings):7.1f} ms  "
              f"max {max(timings):7.1f} ms  {queries:2} queries", flush=True)


if __name__ == "__main__":
    common.main_in_child(__file__, measure, DATABASE, keep=KEEP, reuse=REUSE, settings="kpu_polda.settings.test")
