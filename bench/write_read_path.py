"""The project's write and read paths side by side with a bare DRF app, in one run.

    .venv/bin/python bench/write_read_path.py        (or `make bench`)

Creates its own PostgreSQL database (BENCH_DATABASE, default kpu_bench, dropped first and
at the end) on BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432, trust auth),
migrates it and loads the demo (`manage.py seed_demo`: Kaltim's real regions and its
11,441 Pemilu 2024 TPS). Then it starts two gunicorn servers with the same worker count
and CONN_MAX_AGE, on 127.0.0.1 only:

- the project under production settings (port BENCH_PORT, default 8765);
- a bare DRF app on the same database (bench/bare: plain ModelSerializers, DRF's
  TokenAuthentication, no middleware; port BENCH_BARE_PORT, default 8766).

It drives each endpoint from a few client threads and prints requests/s:

- write: the project's ``POST /api/v1/risks/<id>/reviews/`` (Token from
  ``POST /api/v1/auth/token/``) against a bare CreateAPIView inserting one row;
- list: the project's ``GET /api/v1/polling-stations/?page=N`` for the province-wide
  ``kpu.kaltim`` against a bare ListAPIView of the same rows, page size 50; both walk the
  same page numbers, spread over the whole list the way a script reading it all would.

Each figure is measured in BENCH_ROUNDS rounds (4) that alternate the two sides, so a
change in the machine's load during the run falls on both; the throughput is over all
rounds and the spread of the per-round ratios is printed with it. Both servers are
stopped by process id and the database is dropped, also on failure. Other knobs:
BENCH_WORKERS (gunicorn workers per side, 3 as in the Dockerfile), BENCH_THREADS (4),
BENCH_REQUESTS (requests per figure and side, 2000) and BENCH_SECONDS (a time cap per
figure and side, 12).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8766"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "12"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
WARMUP = 10  # requests per thread and round before the clock starts
CONN_MAX_AGE = "60"  # the project's default, given to both sides
USER = "kpu.kaltim"  # KPU staff of the province: sees every TPS, may review every risk
PASSWORD = os.environ.get("DEMO_PASSWORD", "pemilu-damai-2024")
GOALS = {"write": 0.6, "list": 0.7}


def sql(database: str, *statements: str) -> list:
    connection = psycopg2.connect(f"{POSTGRES}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ((version,),) = sql("postgres", "SHOW server_version")
    return (f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, PostgreSQL {version}")


def run(env: dict, *args: str) -> str:
    done = subprocess.run([str(BIN / "python"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return done.stdout.strip()


class Server:
    """One gunicorn master on 127.0.0.1:port, started and stopped by its process id."""

    def __init__(self, name: str, app: str, port: int, env: dict, log: Path):
        self.name, self.port, self.log = name, port, log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                 "--chdir", str(ROOT)],
                env=env, stdout=output, stderr=subprocess.STDOUT,
            )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.3)
        sys.exit(f"{self.name} did not start:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def call(port: int, method: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if data else {}


@dataclass
class Load:
    """Calls of ``make(n) -> (method, path, body)`` from THREADS threads, each on its own
    keep-alive connection, each expected to answer ``expect``; ``n`` runs on over rounds."""

    port: int
    token: str
    expect: int
    make: Callable[[int], tuple[str, str, dict | None]]
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


def main() -> None:
    print(machine_line())
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="kpu-bench-"))
    base_env = {**os.environ, "DATABASE_URL": f"{POSTGRES}/{DATABASE}", "VAR_DIR": str(workdir),
                "CONN_MAX_AGE": CONN_MAX_AGE, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("REDIS_URL", "CLOCK_START", "CLOCK_ANCHOR", "DJANGO_SETTINGS_MODULE", "DEBUG"):
        base_env.pop(name, None)
    servers: list[Server] = []
    try:
        sql("postgres", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"',
            # The load makes many small commits; reset before the servers start.
            f'ALTER DATABASE "{DATABASE}" SET synchronous_commit = off')
        local = {**base_env, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.local", "DEBUG": "0"}
        run(local, "manage.py", "migrate", "--noinput")
        print("data:", run(local, "manage.py", "seed_demo").splitlines()[-1])
        sql("postgres", f'ALTER DATABASE "{DATABASE}" RESET synchronous_commit')
        sql(DATABASE, "VACUUM ANALYZE")
        bare_env = {**base_env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
                    "SECRET_KEY": secrets.token_urlsafe(50)}
        bare_token = run(bare_env, "-m", "bench.bare.prepare", USER).splitlines()[-1]

        project_env = {**base_env, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.production",
                       "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
                       "SECURE_SSL_REDIRECT": "0"}
        servers.append(Server("project", "kpu_polda.wsgi:application", PORT, project_env, workdir / "project.log"))
        servers.append(Server("bare", "django.core.wsgi:get_wsgi_application()", BARE_PORT, bare_env,
                              workdir / "bare.log"))
        servers[0].wait_ready("/api/v1/me/")
        servers[1].wait_ready("/polling-stations/")
        print(f"setup {time.monotonic() - began:.0f} s")

        status, issued = call(PORT, "POST", "/api/v1/auth/token/",
                              body={"username": USER, "password": PASSWORD, "name": "bench"})
        if status != 201:
            sys.exit(f"POST /api/v1/auth/token/: {status} {issued}")
        token = issued["key"]
        _, risks = call(PORT, "GET", "/api/v1/risks/?page_size=500", token)
        risk_ids = [risk["id"] for risk in risks["results"] if risk["status"] != "closed"]
        _, first = call(PORT, "GET", "/api/v1/polling-stations/", token)
        _, bare_first = call(BARE_PORT, "GET", "/polling-stations/", bare_token)
        tps = first["count"]
        if not risk_ids or tps != bare_first["count"]:
            sys.exit(f"{USER} sees {tps} TPS (bare {bare_first['count']}) and {len(risk_ids)} open risks")
        pages = (tps + 49) // 50
        print(f"{USER} sees {tps:,} TPS ({pages} pages of 50) and may review {len(risk_ids)} open risks")
        print(f"gunicorn: {WORKERS} sync workers per side, CONN_MAX_AGE {CONN_MAX_AGE}; {THREADS} client threads; "
              f"{ROUNDS} rounds per figure, up to {REQUESTS} requests or {SECONDS:g} s per side")

        def review(n: int):
            # Spread over the open risks, as confirmations spread over escorts.
            body = {"likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5, "note": f"bench review {n}"}
            return "POST", f"/api/v1/risks/{risk_ids[n % len(risk_ids)]}/reviews/", body

        def insert(n: int):
            body = {"risk_id": risk_ids[n % len(risk_ids)], "likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5,
                    "note": f"bench review {n}"}
            return "POST", "/rows/", body

        def page(prefix: str):
            return lambda n: ("GET", f"{prefix}?page={1 + (n * 37) % pages}", None)

        figures = {
            "write": ("POST /api/v1/risks/<id>/reviews/", Load(PORT, token, 201, review),
                      "bare insert of one row", Load(BARE_PORT, bare_token, 201, insert)),
            "list": ("GET /api/v1/polling-stations/?page=N", Load(PORT, token, 200, page("/api/v1/polling-stations/")),
                     "bare ListAPIView, page size 50", Load(BARE_PORT, bare_token, 200, page("/polling-stations/"))),
        }
        for kind, (label, project, bare_label, bare) in figures.items():
            ratios = []
            for round_ in range(ROUNDS):
                # ABBA: a change in the machine's load during the run falls on both sides.
                first_side, second_side = (project, bare) if round_ % 2 == 0 else (bare, project)
                rates = {id(first_side): first_side.measure(REQUESTS // ROUNDS, SECONDS / ROUNDS)}
                rates[id(second_side)] = second_side.measure(REQUESTS // ROUNDS, SECONDS / ROUNDS)
                ratios.append(rates[id(project)] / rates[id(bare)])
            ratio = project.throughput / bare.throughput
            verdict = "ok" if ratio >= GOALS[kind] else "below goal"
            print(f"{kind:5}  project {label:38} {project.throughput:7.1f} req/s   {bare_label:31} "
                  f"{bare.throughput:7.1f} req/s   ratio {ratio:.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}; "
                  f"goal {GOALS[kind]}x: {verdict})")
    finally:
        for server in servers:
            server.stop()
        try:
            sql("postgres", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"total {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
