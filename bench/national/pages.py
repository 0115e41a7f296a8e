"""The pages of the national bench, in a child process with Django set up (the test
settings: DEBUG off, in-memory cache, static files without a collected manifest, as
bench/dashboard.py reads them).

Each page is fetched through Django's test Client, once to warm up and then BENCH_REPEAT
times (20), as the whole-country user and as a kab/kota user, on the demo's clock
(six days before voting day, so that Pemilu 2024 is the default election). The anchor
of every page is the same Client's GET of /healthz (one SELECT 1): what a request that
does nothing costs. Deep pages of the TPS list are described in bench/national/deep.py.
"""

from __future__ import annotations

import os
from datetime import datetime

from bench import common
from bench.national import deep
from bench.national.report import emit, stats

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
GOAL_MS = 150.0
DEEP_TOLERANCE = 1.5  # "costs the same": a deep page's p95 within this factor of page 1's
DEMO_MOMENT = "2024-02-08T09:00+08:00"
ELECTION = "pemilu-2024"


class Timed:
    """One page for one user: median, p95 and the queries of the last run."""

    def __init__(self, client, path: str):
        timings, self.queries, self.response = common.timed(path, lambda: client.get(path), REPEAT)
        self.median, self.p95 = stats(timings)
        self.path = path

    def text(self) -> str:
        return f"median {self.median:.0f} ms, p95 {self.p95:.0f} ms, {self.queries} queries"


def _client(username: str):
    from django.test import Client

    from coordination.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _root(client) -> tuple[str, str]:
    """The region drill-down's root for the user (where /regions/ sends them) and its first child."""
    response = client.get("/regions/")
    root = response.url if response.status_code == 302 else "/regions/"
    page = client.get(root)
    children = page.context["children"] if page.context and "children" in page.context else []
    return root, f"/regions/{children[0].region.code}/" if children else root


def _pages(client) -> dict[str, str]:
    root, below = _root(client)
    return {
        "home /": "/",
        "region drill-down, root": root,
        "region drill-down, one level down": below,
        "personnel plan": f"/personnel-plan/?election={ELECTION}",
        "heat map": f"/risks/heat-map/?election={ELECTION}",
    }


def measure(national: str, regional: str) -> None:
    from django.test.utils import setup_test_environment

    from kpu_polda.base import clock

    setup_test_environment()  # responses carry their context: the drill-down reads its rows
    with clock.travel_to(datetime.fromisoformat(DEMO_MOMENT)):
        anchor_client = _client(national)
        anchor = Timed(anchor_client, "/healthz")
        anchor_text = f"/healthz p95 {anchor.p95:.1f} ms"
        emit("pages", "anchor: GET /healthz", anchor.text())
        users = {"whole country": national, "kab/kota": regional}
        clients = {who: _client(username) for who, username in users.items()}
        paths = {who: _pages(client) for who, client in clients.items()}
        for name in paths["whole country"]:
            found = {who: Timed(clients[who], paths[who][name]) for who in clients}
            wide, local = found["whole country"], found["kab/kota"]
            emit("pages", f"{name} (whole country: {wide.path})", wide.text(), anchor=anchor_text,
                 ratio=wide.p95 / anchor.p95, goal=f"p95 <= {GOAL_MS:g} ms, <= {local.queries} queries",
                 ok=wide.p95 <= GOAL_MS and wide.queries <= local.queries)
            emit("pages", f"{name} (kab/kota: {local.path})", local.text(), anchor=anchor_text,
                 ratio=local.p95 / anchor.p95)
        for who, client in clients.items():
            for kind, first_path in (("TPS list", "/polling-stations/"), ("TPS API", "/api/v1/polling-stations/")):
                first = Timed(client, first_path)
                target = deep.deep_path(client, first_path, users[who])
                if target.path is None:
                    emit("pages", f"{kind} deep ({who})", "not measured", note=target.note)
                    continue
                far = Timed(client, target.path)
                emit("pages", f"{kind} {target.label} ({who})", far.text(),
                     anchor=f"page 1 p95 {first.p95:.0f} ms, {first.queries} queries", ratio=far.p95 / first.p95,
                     goal=f"<= {DEEP_TOLERANCE:g}x page 1, same queries",
                     ok=far.p95 <= DEEP_TOLERANCE * first.p95 and far.queries == first.queries, note=target.note)
        _board(clients, anchor)


def _board(clients: dict, anchor: Timed) -> None:
    from logistics.models import EscortRequest

    anchor_text = f"/healthz p95 {anchor.p95:.1f} ms"
    base = f"/logistics/board/?election={ELECTION}"
    legs = EscortRequest.objects.count()
    local = Timed(clients["kab/kota"], base)
    for label, path in (("country (provinces)", base), ("one province (kab/kota)", f"{base}&region=64"),
                        ("one kab/kota (kecamatan)", f"{base}&region=64.72")):
        wide = Timed(clients["whole country"], path)
        board = wide.response.context["board"] if wide.response.context else None
        shown = f"; {board.total.total:,} legs in {len(board.rows)} rows" if board else ""
        emit("board", f"escort board, whole country user: {label}", wide.text(), anchor=anchor_text,
             ratio=wide.p95 / anchor.p95, goal=f"<= kab/kota's {local.queries} queries",
             ok=wide.queries <= local.queries, note=f"{path}{shown}; {legs:,} legs in the database")
    board = local.response.context["board"] if local.response.context else None
    emit("board", "escort board, kab/kota user (kecamatan)", local.text(), anchor=anchor_text,
         note=f"{base}" + (f"; {board.total.total:,} legs in {len(board.rows)} rows" if board else ""))
