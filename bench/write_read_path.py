"""The project's write and read paths side by side with a bare DRF app, in one run.

    .venv/bin/python bench/write_read_path.py        (or `make bench`)

Creates its own PostgreSQL database (BENCH_DATABASE, default kpu_bench, dropped first and
at the end) on BENCH_POSTGRES (bench/common.py), migrates it and loads the demo
(`manage.py seed_demo`: Kaltim's real regions and its 11,441 Pemilu 2024 TPS), and adds
``bench.kpu``, staff of KPU Kaltim like the demo's ``kpu.kaltim``, with an API token
(production settings refuse the demo accounts). Then it starts two gunicorn servers with
the same worker count and CONN_MAX_AGE, on 127.0.0.1 only:

- the project under production settings (port BENCH_PORT, default 8765);
- a bare DRF app on the same database (bench/bare: plain ModelSerializers, DRF's
  TokenAuthentication, no middleware; port BENCH_BARE_PORT, default 8766).

It drives each endpoint from a few client threads and prints requests/s:

- write: the project's ``POST /api/v1/risks/<id>/reviews/`` against a bare CreateAPIView
  inserting one row;
- list: the project's ``GET /api/v1/polling-stations/?page=N`` for the province-wide
  ``bench.kpu`` against a bare ListAPIView of the same rows, page size 50; both walk the
  same page numbers, spread over the whole list the way a script reading it all would.

Each figure is measured in BENCH_ROUNDS rounds that alternate the two sides, so a change
in the machine's load during the run falls on both; the throughput is over all rounds and
the spread of the per-round ratios is printed with it. Both servers are stopped by process
id and the database is dropped, also on failure. The load knobs (BENCH_WORKERS,
BENCH_THREADS, BENCH_REQUESTS, BENCH_SECONDS, BENCH_ROUNDS)
are described in bench/common.py (workers) and bench/load.py (the load).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import (
    common,  # noqa: E402
    load,  # noqa: E402
)
from bench.load import Load  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8766"))
USER, LIKE = "bench.kpu", "kpu.kaltim"  # KPU staff of the province: sees every TPS, may review every risk
GOALS = {"write": 0.6, "list": 0.7}


def main() -> None:
    print(common.machine_line())
    with load.project_and_bare(DATABASE, USER, LIKE, PORT, BARE_PORT, "/polling-stations/") as pair:
        print(f"setup {time.monotonic() - pair.began:.0f} s")
        token, bare_token = pair.token, pair.bare_token
        _, risks = load.call(PORT, "GET", "/api/v1/risks/?page_size=500", token)
        risk_ids = [risk["id"] for risk in risks.get("results", []) if risk["status"] != "closed"]
        _, first = load.call(PORT, "GET", "/api/v1/polling-stations/", token)
        _, bare_first = load.call(BARE_PORT, "GET", "/polling-stations/", bare_token)
        tps = first.get("count")
        if not risk_ids or tps != bare_first["count"]:
            sys.exit(f"{USER} sees {tps} TPS (bare {bare_first['count']}) and {len(risk_ids)} open risks")
        pages = (tps + 49) // 50
        print(f"{USER} sees {tps:,} TPS ({pages} pages of 50) and may review {len(risk_ids)} open risks")
        print(load.load_line())

        def review(n: int):
            # Spread over the open risks, as confirmations spread over escorts.
            body = {"likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5, "note": f"bench review {n}"}
            return "POST", f"/api/v1/risks/{risk_ids[n % len(risk_ids)]}/reviews/", body

        def insert(n: int):
            body = {"risk_id": risk_ids[n % len(risk_ids)], "likelihood": 1 + n % 5,
                    "impact": 1 + (n // 5) % 5, "note": f"bench review {n}"}
            return "POST", "/rows/", body

        def page(prefix: str):
            return lambda n: ("GET", f"{prefix}?page={1 + (n * 37) % pages}", None)

        figures = {
            "write": ("POST /api/v1/risks/<id>/reviews/", Load(PORT, token, 201, review),
                      "bare insert of one row", Load(BARE_PORT, bare_token, 201, insert)),
            "list": ("GET /api/v1/polling-stations/?page=N",
                     Load(PORT, token, 200, page("/api/v1/polling-stations/")),
                     "bare ListAPIView, page size 50",
                     Load(BARE_PORT, bare_token, 200, page("/polling-stations/"))),
        }
        for kind, (label, project, bare_label, bare) in figures.items():
            verdict = load.compare(project, bare, GOALS[kind])
            print(f"{kind:5}  project {label:38} {project.throughput:7.1f} req/s   {bare_label:31} "
                  f"{bare.throughput:7.1f} req/s   {verdict}")
    print(f"total {time.monotonic() - pair.began:.0f} s")


if __name__ == "__main__":
    main()
