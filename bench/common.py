"""What the bench scripts share: the bench database, its environment, subprocesses, the
machine line and gunicorn servers (bench/load.py has the HTTP load that compares a
project side with a bare side).

Every bench database lives on BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432,
trust auth); BENCH_WORKERS sets the gunicorn sync workers per server (3, as in the
Dockerfile).
"""

from __future__ import annotations

import http.client
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
CONN_MAX_AGE = "60"  # the project's default, given to both sides
LOCAL = "kpu_polda.settings.local"
# Variables of a developer's shell that would point a bench at other services or another
# clock than the one its settings choose.
FOREIGN = ("REDIS_URL", "CLOCK_START", "CLOCK_ANCHOR", "DJANGO_SETTINGS_MODULE", "DEBUG")


def sql(database: str, *statements: str) -> list:
    """Run ``statements`` on ``database`` of BENCH_POSTGRES in autocommit; the last one's rows."""
    import psycopg2  # not needed by the benches that stay on SQLite

    connection = psycopg2.connect(f"{POSTGRES}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def machine_line(postgres: bool = True, extra: str = "") -> str:
    """CPU, cores, RAM, kernel, Python and (unless ``postgres`` is off) the server version."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = f", {int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    parts = [f"machine: {cpu}, {os.cpu_count()} cores{memory}", f"{platform.system()} {platform.release()}",
             f"Python {platform.python_version()}"]
    if postgres:
        ((version,),) = sql("postgres", "SHOW server_version")
        parts.append(f"PostgreSQL {version}")
    if extra:
        parts.append(extra)
    return ", ".join(parts)


def environment(database: str, workdir: Path, settings: str = LOCAL) -> dict:
    """The environment of a manage.py or gunicorn child on ``database`` (a database name on
    BENCH_POSTGRES, or a whole URL), with ``workdir`` as its VAR_DIR."""
    env = {**os.environ, "DATABASE_URL": database if "://" in database else f"{POSTGRES}/{database}",
           "VAR_DIR": str(workdir), "CONN_MAX_AGE": CONN_MAX_AGE, "PYTHONPATH": str(ROOT),
           "PYTHONDONTWRITEBYTECODE": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    for name in FOREIGN:
        env.pop(name, None)
    return {**env, "DJANGO_SETTINGS_MODULE": settings, "DEBUG": "0"}


def production(env: dict, settings: str = "kpu_polda.settings.production") -> dict:
    """``env`` under production settings for a loopback run: a fresh secret, 127.0.0.1, no TLS redirect."""
    return {**env, "DJANGO_SETTINGS_MODULE": settings, "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}


def run(env: dict, *args: str) -> str:
    """``python *args`` in the checkout; its stdout, or exit with its output's tail on failure."""
    done = subprocess.run([str(BIN / "python"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return done.stdout.strip()


def run_measure(script: str, env: dict) -> None:
    """``script --measure`` in a child: Django is set up there, on the bench database that
    ``env`` names, never in the parent that creates and drops it."""
    subprocess.run([str(BIN / "python"), str(Path(script).resolve()), "--measure"], cwd=ROOT, env=env, check=True)


@contextmanager
def workspace(prefix: str) -> Iterator[Path]:
    """A temporary folder (VAR_DIR, logs, collected static), removed at the end."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def database_exists(database: str) -> bool:
    return bool(sql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"))


@contextmanager
def bench_database(database: str, keep: bool = False, reuse: bool = False) -> Iterator[bool]:
    """``database`` created afresh (dropped first), or kept as it is when ``reuse`` and it
    exists; dropped at the end, also on failure, unless ``keep``. Yields whether it is new:
    a new one commits asynchronously until ``settle``, since loading makes many small commits."""
    fresh = not (reuse and database_exists(database))
    if fresh:
        sql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"',
            f'ALTER DATABASE "{database}" SET synchronous_commit = off')
    try:
        yield fresh
    finally:
        if not keep:
            sql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def load_demo(env: dict) -> None:
    """Migrate and load the demo (Kaltim's regions and its 11,441 Pemilu 2024 TPS)."""
    run(env, "manage.py", "migrate", "--noinput")
    print("data:", run(env, "manage.py", "seed_demo").splitlines()[-1], flush=True)


def settle(database: str) -> None:
    """Durable commits again and fresh statistics, before anything is measured."""
    sql("postgres", f'ALTER DATABASE "{database}" RESET synchronous_commit')
    sql(database, "VACUUM ANALYZE")


def build(env: dict, database: str) -> None:
    """The demo loaded into the new ``database`` and settled."""
    load_demo(env)
    settle(database)


def main_in_child(script: str, measure: Callable[[], None], database: str, *, keep: bool = False,
                  reuse: bool = False, settings: str = LOCAL) -> None:
    """The main of a bench that measures inside Django: run as ``script --measure`` it is
    the child and calls ``measure``; otherwise it prints the machine, builds ``database``
    with the demo (see ``bench_database`` for ``keep`` and ``reuse``), runs the child on it
    under ``settings`` and prints the total time."""
    if "--measure" in sys.argv:
        measure()
        return
    print(machine_line(), flush=True)
    began = time.monotonic()
    with workspace(f"{database}-") as workdir, bench_database(database, keep=keep, reuse=reuse) as fresh:
        env = environment(database, workdir)
        if fresh:
            build(env, database)
        print(f"setup {time.monotonic() - began:.0f} s", flush=True)
        run_measure(script, {**env, "DJANGO_SETTINGS_MODULE": settings})
    print(f"total {time.monotonic() - began:.0f} s")


def timed(label: str, action: Callable[[], object], repeat: int) -> tuple[list[float], int, object]:
    """``action`` once to warm caches, then ``repeat`` timed runs (Django set up by the
    caller); (milliseconds of each run, queries of the last, its result). A result with a
    status code other than 200 stops the bench: a read must answer, not just be quick."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def answered(result: object) -> object:
        if getattr(result, "status_code", 200) != 200:
            sys.exit(f"{label}: answered {result.status_code}")
        return result

    answered(action())
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = action()
            timings.append((time.perf_counter() - start) * 1000)
        answered(result)
    return timings, len(captured), result


BENCH_USER = """
from coordination import services
from coordination.models import User
like = User.objects.get(username={like!r})
user = User.objects.create_user(username={username!r}, first_name="Bench", role=like.role, agency=like.agency)
print(services.api_token_create(actor=user, name="bench")[1])
"""


def bench_user(env: dict, username: str, like: str) -> str:
    """A user ``username`` with the role and agency of the demo account ``like``, and an API
    token for it; returns the key. Production settings refuse the demo accounts (their
    password is published in the README), so a load under them acts as this one."""
    return run(env, "manage.py", "shell", "-c", BENCH_USER.format(username=username, like=like)).splitlines()[-1]


class Server:
    """One gunicorn master on 127.0.0.1:port, started and stopped by its process id."""

    def __init__(self, name: str, app: str, port: int, env: dict, log: Path, workers: int = WORKERS):
        self.name, self.port, self.log = name, port, log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                 "--chdir", str(ROOT)],
                env=env, stdout=output, stderr=subprocess.STDOUT,
            )

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def wait_ready(self, path: str) -> None:
        """Until ``path`` answers anything at all (or exit after a minute)."""
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
        self.stop()
        sys.exit(f"{self.name} did not start:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
