"""How long the region-scope reads take on the demo data (or whatever DATABASE_URL holds).

Run with `make bench` after `make run` has loaded the demo (or against PostgreSQL with
DATABASE_URL set and `manage.py seed_demo` run once). Prints the machine and, per read,
the median of repeated runs and the SQL query count.
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpu_polda.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from coordination import selectors  # noqa: E402
from coordination.models import PollingStation, User  # noqa: E402

REPEAT = 20


def measure(label, action):
    action()  # warm caches
    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            timings.append((time.perf_counter() - start) * 1000)
    p95 = sorted(timings)[int(REPEAT * 0.95) - 1]
    print(f"{label:52} median {statistics.median(timings):7.2f} ms   p95 {p95:7.2f} ms   {len(captured):3} queries")


def main():
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"database {connection.vendor}")
    print(f"TPS in database: {PollingStation.objects.count():,}")
    if not User.objects.filter(username="kpu.samarinda").exists():
        sys.exit("run `manage.py seed_demo` first")
    samarinda = User.objects.get(username="kpu.samarinda")
    province = User.objects.get(username="kpu.kaltim")
    for user in (samarinda, province):
        region = selectors.scope_summary(user).root
        measure(f"{user.username}: scope summary",
                lambda u=user: selectors.scope_summary(u))
        measure(f"{user.username}: children of {region.code} with TPS totals",
                lambda u=user, r=region: selectors.region_children(u, r, selectors.election_for(u, None)))
        election = selectors.election_for(user, None)
        measure(f"{user.username}: personnel plan", lambda u=user, e=election: selectors.personnel_plan(u, e))
        measure(f"{user.username}: heat map", lambda u=user, e=election: selectors.heat_map(u, e))
        client = Client()
        client.force_login(user)
        for path in ("/polling-stations/?page=3", f"/regions/{region.code}/", "/api/v1/polling-stations/?page=3",
                     "/personnel-plan/", "/agreements/2/", "/risks/heat-map/"):
            measure(f"{user.username}: GET {path}", lambda c=client, p=path: c.get(p, HTTP_HOST="127.0.0.1"))


if __name__ == "__main__":
    main()
