"""The HTTP load of the scripts that compare the project with a bare side on the same
PostgreSQL (write_read_path.py, confirm_throughput.py): both servers, the alternating
rounds and the comparison.

The knobs, read once here: BENCH_THREADS (client threads, 4), BENCH_REQUESTS (requests
per figure and side, 2000), BENCH_SECONDS (a time cap per figure and side, 12) and
BENCH_ROUNDS (4).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    CONN_MAX_AGE,
    WORKERS,
    Server,
    bench_database,
    bench_user,
    environment,
    load_demo,
    production,
    run,
    settle,
    workspace,
)

THREADS = int(os.environ.get("BENCH_THREADS", "4"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "12"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
WARMUP = 10  # requests per thread and round before the clock starts


@dataclass
class Pair:
    """What a project-versus-bare run has once both servers answer."""

    workdir: Path
    env: dict  # the local settings' environment on the bench database
    token: str  # the bench user's API token on the project
    bare_token: str  # its DRF token on the bare app
    began: float


@contextmanager
def project_and_bare(database: str, user: str, like: str, port: int, bare_port: int, bare_path: str,
                     prepare: Callable[[dict], None] | None = None) -> Iterator[Pair]:
    """``database`` with the demo, ``prepare(env)`` (rows of the bench's own) and ``user``
    (see ``bench_user``), then the project under production settings on ``port`` and the
    bare app of bench/bare on ``bare_port``, with the same workers and CONN_MAX_AGE, on
    127.0.0.1 only. Both servers are stopped by process id and the database dropped at the
    end, also on failure."""
    began = time.monotonic()
    with workspace(f"{database}-") as workdir, bench_database(database):
        env = environment(database, workdir)
        load_demo(env)
        if prepare:
            prepare(env)
        token = bench_user(env, user, like)
        settle(database)
        bare_env = production(env, "bench.bare.settings")
        bare_token = run(bare_env, "-m", "bench.bare.prepare", user).splitlines()[-1]
        with (Server("project", "kpu_polda.wsgi:application", port, production(env), workdir / "project.log")
              as project_server,
              Server("bare", "django.core.wsgi:get_wsgi_application()", bare_port, bare_env, workdir / "bare.log")
              as bare_server):
            project_server.wait_ready("/api/v1/me/")
            bare_server.wait_ready(bare_path)
            status, me = call(port, "GET", "/api/v1/me/", token)
            if status != 200:
                sys.exit(f"GET /api/v1/me/ as {user}: {status} {me}")
            yield Pair(workdir, env, token, bare_token, began)


def call(port: int, method: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    """One JSON request on a connection of its own; (status, decoded body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if data else {}


def load_line() -> str:
    return (f"gunicorn: {WORKERS} sync workers per side, CONN_MAX_AGE {CONN_MAX_AGE}; {THREADS} client threads; "
            f"{ROUNDS} rounds per figure, up to {REQUESTS} requests or {SECONDS:g} s per side")


@dataclass
class Load:
    """Calls of ``make(n) -> (method, path, body)`` from THREADS threads, each on its own
    keep-alive connection, each expected to answer ``expect``; ``n`` runs on over rounds.
    With ``keyed`` every call carries a fresh Idempotency-Key."""

    port: int
    token: str
    expect: int
    make: Callable[[int], tuple[str, str, dict | None]]
    keyed: bool = False
    counter: itertools.count = field(default_factory=itertools.count)
    errors: list = field(default_factory=list)
    done: int = 0
    elapsed: float = 0.0

    def _worker(self, start: threading.Barrier, limit: list, counts: list) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept": "application/json", "Content-Type": "application/json",
                   "Authorization": f"Token {self.token}"}

        def one() -> None:
            method, path, body = self.make(next(self.counter))
            if self.keyed:
                headers["Idempotency-Key"] = uuid.uuid4().hex
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != self.expect:
                self.errors.append(f"{method} {path}: {response.status} {payload[:300]!r}")

        for _ in range(WARMUP):
            one()
        start.wait()
        count = 0
        while not self.errors and count * THREADS < limit[0] and time.perf_counter() < limit[1]:
            one()
            count += 1
        counts.append(count)
        connection.close()

    def measure(self, requests: int, seconds: float) -> float:
        """One round of about ``requests`` calls, cut short after ``seconds``; requests/s."""
        limit = [requests, float("inf")]
        counts: list[int] = []
        start = threading.Barrier(THREADS + 1)
        threads = [threading.Thread(target=self._worker, args=(start, limit, counts)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        limit[1] = began + seconds
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if self.errors:
            sys.exit(f"unexpected answer: {self.errors[0]}")
        self.done += sum(counts)
        self.elapsed += elapsed
        return sum(counts) / elapsed

    @property
    def throughput(self) -> float:
        return self.done / self.elapsed


def compare(project: Load, bare: Load, goal: float) -> str:
    """ROUNDS rounds alternating the sides (ABBA), so that a change in the machine's load
    during the run falls on both; both rates, the ratio over all rounds, the spread of the
    per-round ratios and the verdict against ``goal``, as the tail of a figure's line."""
    ratios = []
    for round_ in range(ROUNDS):
        first, second = (project, bare) if round_ % 2 == 0 else (bare, project)
        rates = {id(first): first.measure(REQUESTS // ROUNDS, SECONDS / ROUNDS)}
        rates[id(second)] = second.measure(REQUESTS // ROUNDS, SECONDS / ROUNDS)
        ratios.append(rates[id(project)] / rates[id(bare)])
    ratio = project.throughput / bare.throughput
    return (f"ratio {ratio:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}; "
            f"goal {goal}x: {'ok' if ratio >= goal else 'below goal'})")
