"""The national bench's figures under HTTP load, from the parent: the project under
production settings and the bare DRF app of bench/bare on the national database,
with the same gunicorn workers and CONN_MAX_AGE, on 127.0.0.1 only (ports
BENCH_NATIONAL_PORT, default 8122, and the next one), driven by bench/load.py's
alternating rounds.

- the polling-station API as the whole-country user (an API token) against the bare
  ListAPIView, page 1 and the deep page (bench/national/deep.py: a page number, or a cursor
  made in a child under the server's own settings and checked to open there; the bare
  side's ?page=N);
- the checkpoint confirmation of bench/confirm_throughput.py (escorts under way in
  Samarinda, raised and moved through the services; an officer of Polresta Samarinda)
  against the bare insert of one event-sized row.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from bench import common, load
from bench.load import Load
from bench.national.report import figure, show

PORT = int(os.environ.get("BENCH_NATIONAL_PORT", "8122"))
BARE_PORT = PORT + 1
LIST_GOAL, CONFIRM_GOAL = 0.7, 0.8  # bench/write_read_path.py's and bench/confirm_throughput.py's goals
OFFICER, POLICE = "bench.polresta", "polresta.samarinda"

TOKEN = """
from coordination import services
from coordination.models import User
print(services.api_token_create(actor=User.objects.get(username={username!r}), name="bench national")[1])
"""


def _compare(section: str, name: str, project: Load, bare: Load, goal: float, bare_label: str,
             figures: list[dict], note: str = "") -> None:
    verdict = load.compare(project, bare, goal)
    ratio = project.throughput / bare.throughput
    show(figures, figure(section, name, f"{project.throughput:.1f} req/s",
                         anchor=f"{bare_label} {bare.throughput:.1f} req/s", ratio=ratio, goal=f">= {goal:g}x",
                         ok=ratio >= goal, note=f"{verdict.split('(', 1)[1].split(';')[0]}; {note}".strip("; ")))


def _deep(env: dict, token: str, national: str, first: dict, count: int, log: Path,
          figures: list[dict]) -> tuple[str, int] | None:
    """The project's deep page (a page number, or a cursor made in a child with the
    server's settings and checked to open there) and its page number."""
    from urllib.parse import quote

    from bench.national import deep
    from bench.national.report import stream

    page = deep.deep_page(count)
    cursor = deep.cursor_of(first.get("next"))
    if cursor is None:
        return f"/api/v1/polling-stations/?page={page}", page
    made = stream(env, ["-m", "bench.national.child", "deep-cursor", national, cursor], log, figures, common.ROOT)
    if made.split()[1:2] == ["none"]:
        return None
    _, made_cursor, number, first_id = made.split()
    path = f"/api/v1/polling-stations/?cursor={quote(made_cursor)}"
    status, body = load.call(PORT, "GET", path, token)
    if status != 200 or (body.get("results") or [{}])[0].get("id") != int(first_id):
        return None
    return path, int(number)


def measure(env: dict, workdir: Path, national: str, figures: list[dict], log: Path) -> None:
    """Both servers, the list figures, the confirmation figures; both servers stopped by id."""
    from bench.confirm_throughput import SETUP

    token = common.run(env, "manage.py", "shell", "-c", TOKEN.format(username=national)).splitlines()[-1]
    escort_ids = [int(pk) for pk in common.run(env, "manage.py", "shell", "-c", SETUP).splitlines()[-1].split(",")]
    officer = common.bench_user(env, OFFICER, POLICE)
    project_env = common.production(env)  # one secret key: the server's cursors and the bench's agree
    bare_env = common.production(env, "bench.bare.settings")
    bare_token = common.run(bare_env, "-m", "bench.bare.prepare", national).splitlines()[-1]
    print(f"  {load.load_line()}", flush=True)
    with (common.Server("project", "kpu_polda.wsgi:application", PORT, project_env,
                        workdir / "project.log") as project_server,
          common.Server("bare", "django.core.wsgi:get_wsgi_application()", BARE_PORT, bare_env,
                        workdir / "bare.log") as bare_server):
        project_server.wait_ready("/api/v1/me/")
        bare_server.wait_ready("/polling-stations/")
        status, first = load.call(PORT, "GET", "/api/v1/polling-stations/", token)
        bare_status, bare_first = load.call(BARE_PORT, "GET", "/polling-stations/", bare_token)
        if status != 200 or bare_status != 200:
            sys.exit(f"polling-station lists answered {status} and {bare_status}")
        count = bare_first["count"]
        lists = [("page 1", "/api/v1/polling-stations/", "/polling-stations/")]
        found = _deep(project_env, token, national, first, count, log, figures)
        if found is None:
            show(figures, figure("api", "GET /api/v1/polling-stations/ deep", "not measured",
                                 note="no cursor for the deep page could be made and checked"))
        else:
            path, page = found
            lists.append((f"page {page:,} ({'cursor' if 'cursor=' in path else '?page='})", path,
                          f"/polling-stations/?page={page}"))
        for label, path, bare_path in lists:
            _compare("api", f"GET /api/v1/polling-stations/ {label}, whole-country user",
                     Load(PORT, token, 200, lambda _n, p=path: ("GET", p, None)),
                     Load(BARE_PORT, bare_token, 200, lambda _n, p=bare_path: ("GET", p, None)), LIST_GOAL,
                     f"bare ListAPIView {bare_path}", figures, note=f"{count:,} TPS")

        def checkpoint(n: int):
            return "POST", f"/api/v1/escorts/{escort_ids[n % len(escort_ids)]}/checkpoint/", {
                "note": f"bench checkpoint {n}", "latitude": "-0.502106", "longitude": "117.153709"}

        def insert(n: int):
            return "POST", "/events/", {"escort_id": escort_ids[n % len(escort_ids)], "sequence": n,
                                        "kind": "checkpoint", "counts": [], "note": f"bench checkpoint {n}",
                                        "idempotency_key": uuid.uuid4().hex, "previous_hash": "0" * 64,
                                        "hash": "f" * 64}

        _compare("confirm", f"POST /api/v1/escorts/<id>/checkpoint/ as {OFFICER}",
                 Load(PORT, officer, 201, checkpoint, keyed=True), Load(BARE_PORT, bare_token, 201, insert, keyed=True),
                 CONFIRM_GOAL, "bare insert of one event-sized row", figures,
                 note=f"{len(escort_ids)} escorts under way in Samarinda")
