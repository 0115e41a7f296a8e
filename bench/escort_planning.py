"""How long bulk planning of the outbound escort legs takes for all of Kaltim.

    .venv/bin/python bench/escort_planning.py

Creates its own PostgreSQL database (BENCH_DATABASE, default kpu_bench_planning, dropped
first and at the end unless BENCH_KEEP=1) on BENCH_POSTGRES (bench/common.py), migrates
it and loads the demo (`manage.py seed_demo`: Kaltim's regions and its 11,441 Pemilu 2024
TPS). Then it plans
the legs warehouse -> PPK -> PPS -> TPS of each of the 10 kab/kota for pemilu-2024 as the
province's KPU staff (logistics.services.escort_plan_outbound, one transaction per
kab/kota, history rows and clause evidence included) and prints legs, items, seconds,
legs/s and the machine. A second run over the same data is timed too: it must create
nothing. Goal: all of Kaltim in under 30 s on 2 cores.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_planning")
KEEP = os.environ.get("BENCH_KEEP") == "1"
USER = "kpu.kaltim"
ELECTION = "pemilu-2024"
GOAL_SECONDS = 30


def plan_all(verbose: bool = True) -> tuple[int, int, float]:
    """Plan every kab/kota of Kaltim (Django set up by the caller); (legs, items, seconds)."""
    from coordination.choices import RegionLevel
    from coordination.models import Election, Region, User
    from logistics import services

    actor = User.objects.get(username=USER)
    election = Election.objects.get(code=ELECTION)
    regencies = list(Region.objects.filter(level=RegionLevel.REGENCY, code__startswith="64.").defer("boundary")
                     .order_by("code"))
    legs = items = 0
    began = time.perf_counter()
    for regency in regencies:
        start = time.perf_counter()
        result = services.escort_plan_outbound(actor=actor, election=election, regency=regency)
        legs += result.created
        items += result.items
        if verbose:
            print(f"  {regency.code} {regency.name:32} {result.created:6,} legs {result.items:7,} items "
                  f"{time.perf_counter() - start:6.2f} s", flush=True)
    return legs, items, time.perf_counter() - began


def measure() -> None:
    """Runs in a child process whose environment names the bench database."""
    import django

    django.setup()
    from django.db import connection

    from coordination.models import PollingStation
    from logistics.models import EscortItem, EscortRequest

    tps = PollingStation.objects.filter(election__code=ELECTION).count()
    print(f"TPS of {ELECTION}: {tps:,}; planning as {USER}, one transaction per kab/kota", flush=True)
    legs, items, seconds = plan_all()
    history = EscortRequest.history.count()
    print(f"first run: {legs:,} legs, {items:,} items in {seconds:.1f} s = {legs / seconds:,.0f} legs/s "
          f"({items / seconds:,.0f} items/s); history rows: {history:,} legs, {EscortItem.history.count():,} items"
          f" (goal < {GOAL_SECONDS} s: {'ok' if seconds < GOAL_SECONDS else 'below goal'})")
    again, _, seconds_again = plan_all(verbose=False)
    print(f"second run: {again} legs created in {seconds_again:.1f} s (nothing new expected)")
    assert again == 0 and EscortRequest.objects.count() == legs
    assert connection.vendor == "postgresql"


if __name__ == "__main__":
    common.main_in_child(__file__, measure, DATABASE, keep=KEEP)
