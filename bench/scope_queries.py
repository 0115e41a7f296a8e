"""How long the region-scope reads take on the demo data, for a kab/kota and a province user.

    .venv/bin/python bench/scope_queries.py        (or `make bench`)

Builds its own PostgreSQL database (BENCH_DATABASE, default kpu_bench_scope, on
BENCH_POSTGRES: bench/common.py; dropped at the end unless BENCH_KEEP=1) with the demo
(`manage.py seed_demo`), then, in a child process under the test settings (static files
without a collected manifest, in-memory cache), times each read BENCH_REPEAT times (20)
as ``kpu.samarinda`` and ``kpu.kaltim``: the selectors directly and the pages and API
lists through Django's test Client. Prints the machine and, per read, the median, the
95th percentile and the SQL query count.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_scope")
KEEP = os.environ.get("BENCH_KEEP") == "1"
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def timed(label, action):
    timings, queries, _ = common.timed(label, action, REPEAT)
    p95 = sorted(timings)[max(int(REPEAT * 0.95) - 1, 0)]
    print(f"{label:52} median {statistics.median(timings):7.2f} ms   p95 {p95:7.2f} ms   {queries:3} queries",
          flush=True)


def measure() -> None:
    import django

    django.setup()
    from django.test import Client

    from coordination import selectors
    from coordination.models import PollingStation, User

    print(f"TPS in database: {PollingStation.objects.count():,}; {REPEAT} runs each", flush=True)
    for username in ("kpu.samarinda", "kpu.kaltim"):
        user = User.objects.get(username=username)
        region = selectors.scope_summary(user).root
        election = selectors.election_for(user, None)
        timed(f"{username}: scope summary", lambda u=user: selectors.scope_summary(u))
        timed(f"{username}: children of {region.code} with TPS totals",
              lambda u=user, r=region, e=election: selectors.region_children(u, r, e))
        timed(f"{username}: personnel plan", lambda u=user, e=election: selectors.personnel_plan(u, e))
        timed(f"{username}: heat map", lambda u=user, e=election: selectors.heat_map(u, e))
        client = Client()
        client.force_login(user)
        for path in ("/polling-stations/?page=3", f"/regions/{region.code}/", "/api/v1/polling-stations/?page=3",
                     "/personnel-plan/", "/agreements/2/", "/risks/heat-map/"):
            timed(f"{username}: GET {path}", lambda c=client, p=path: c.get(p, HTTP_HOST="127.0.0.1"))


if __name__ == "__main__":
    common.main_in_child(__file__, measure, DATABASE, keep=KEEP, settings="kpu_polda.settings.test")
