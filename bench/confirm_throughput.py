"""Checkpoint confirmations side by side with a bare DRF insert, in one run.

    .venv/bin/python bench/confirm_throughput.py

Built like bench/write_read_path.py, on bench/common.py: its own PostgreSQL database
(BENCH_DATABASE, default kpu_bench_confirm, dropped first and at the end), migrated and
loaded with the demo (`manage.py seed_demo`), plus BENCH_ESCORTS (40) escort requests to
Samarinda's TPS raised by ``kpu.samarinda`` and taken to "departed" by
``polresta.samarinda`` through the services, and ``bench.polresta``, an officer of
Polresta Samarinda with an API token (production settings refuse the demo accounts).
Then two gunicorn servers with the same worker count and CONN_MAX_AGE, on 127.0.0.1 only:

- the project under production settings (port BENCH_PORT, default 8112): ``POST
  /api/v1/escorts/<id>/checkpoint/`` as ``bench.polresta``, spread over the escorts,
  each with a fresh ``Idempotency-Key``: the whole confirmation (scope, row lock, chain
  tail, the hash, the insert);
- the bare DRF app of bench/bare on the same database (port BENCH_BARE_PORT, default
  8113): a CreateAPIView inserting one row the size of a custody event (escort id,
  sequence, kind, counts JSON, note, key, two hashes, time), DRF's TokenAuthentication,
  no middleware.

Rounds alternate the two sides (ABBA); the figures are over all rounds. Prints both req/s,
the ratio (goal >= 0.8x) and the machine. The load knobs (BENCH_WORKERS, BENCH_THREADS,
BENCH_REQUESTS, BENCH_SECONDS, BENCH_ROUNDS)
are described in bench/common.py (workers) and bench/load.py (the load).
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import (
    common,  # noqa: E402
    load,  # noqa: E402
)
from bench.load import Load  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_confirm")
PORT = int(os.environ.get("BENCH_PORT", "8112"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8113"))
ESCORTS = int(os.environ.get("BENCH_ESCORTS", "40"))
POLICE, KPU = "polresta.samarinda", "kpu.samarinda"
OFFICER = "bench.polresta"  # the officer the load confirms as
GOAL = 0.8

# The escorts the load confirms on: raised and moved through the real services.
SETUP = f"""
from datetime import timedelta
from coordination.models import PollingStation, User
from kpu_polda.base import clock
from logistics import services
kpu, police = User.objects.get(username="{KPU}"), User.objects.get(username="{POLICE}")
stations = list(PollingStation.objects.filter(village__code__startswith="64.72.").select_related("election",
                "village__parent__parent").order_by("id")[:{ESCORTS}])
ids = []
for station in stations:
    start = clock.now() + timedelta(days=1)
    escort = services.escort_request_create(
        actor=kpu, election=station.election, origin_kind="warehouse", origin_name="Gudang KPU Samarinda",
        origin_region=station.village.parent.parent, destination_kind="tps", destination_tps=station,
        planned_departure=start, planned_arrival=start + timedelta(hours=3),
        items=[{{"kind": "ballot_president", "quantity": 204}}, {{"kind": "ballot_box", "quantity": 5}}])
    escort = services.escort_decide(actor=police, escort=escort, action="accept")
    escort = services.escort_decide(actor=police, escort=escort, action="assign", commander_name="Iptu Bench",
                                    commander_nrp="85010123", personnel_count=4)
    escort = services.custody_confirm(actor=police, escort=escort, action="depart").escort
    ids.append(escort.pk)
print(",".join(map(str, ids)))
"""


def main() -> None:
    print(common.machine_line())
    escort_ids: list[int] = []

    def prepare(env: dict) -> None:
        escort_ids.extend(int(pk) for pk in common.run(env, "manage.py", "shell", "-c", SETUP).splitlines()[-1]
                          .split(","))

    with load.project_and_bare(DATABASE, OFFICER, POLICE, PORT, BARE_PORT, "/events/", prepare) as pair:
        print(f"setup {time.monotonic() - pair.began:.0f} s; {len(escort_ids)} escorts under way")
        print(load.load_line())

        def checkpoint(n: int):
            return "POST", f"/api/v1/escorts/{escort_ids[n % len(escort_ids)]}/checkpoint/", {
                "note": f"bench checkpoint {n}", "latitude": "-0.502106", "longitude": "117.153709"}

        def insert(n: int):
            return "POST", "/events/", {"escort_id": escort_ids[n % len(escort_ids)], "sequence": n,
                                        "kind": "checkpoint", "counts": [], "note": f"bench checkpoint {n}",
                                        "idempotency_key": uuid.uuid4().hex, "previous_hash": "0" * 64,
                                        "hash": "f" * 64}

        # Both sides carry a fresh key, so both send the same headers.
        project = Load(PORT, pair.token, 201, checkpoint, keyed=True)
        bare = Load(BARE_PORT, pair.bare_token, 201, insert, keyed=True)
        verdict = load.compare(project, bare, GOAL)
        print(f"confirm  project POST /api/v1/escorts/<id>/checkpoint/ {project.throughput:7.1f} req/s   "
              f"bare insert of one event-sized row {bare.throughput:7.1f} req/s   {verdict}")
    print(f"total {time.monotonic() - pair.began:.0f} s")


if __name__ == "__main__":
    main()
