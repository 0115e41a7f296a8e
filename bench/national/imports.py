"""The imports of the national bench and their anchors, run from the parent.

The import of each file goes through the project's own import job, ``manage.py import_file
--kind K --file PATH [--election ID] --actor USERNAME``, which runs the job to its end in
the process and prints one JSON line (job, status, rows, created, updated, unchanged,
seconds). Until that command exists, BENCH_NATIONAL_IMPORT=service (or "auto", the default,
when it is missing) runs the synchronous services instead, the same way
(bench/national/service_import.py), at a small scale only.

The anchor of each import is measured just before it, in the same database: a bare
``COPY ... FROM STDIN`` (psycopg2's copy_expert) of the same file into a plain scratch
table, and the join that resolving its codes needs (TPS to their village, regions to
their parent, classes to their TPS) written into a second one, in one transaction.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import common
from bench.national.report import figure, show

SERVICE_MAX_SCALE = 0.1
GOAL_RATIO = 3.0

# kind: (scratch table columns, the join that resolves it, written into bench_anchor_resolved)
ANCHORS = {
    "regions": (
        "code varchar(13), name varchar(120), level varchar(10), parent_code varchar(13), kind varchar(10), "
        "lat numeric(9,6), lon numeric(9,6)",
        "SELECT c.*, p.code AS parent FROM bench_anchor c LEFT JOIN bench_anchor p ON p.code = c.parent_code",
    ),
    "polling_stations": (
        "village_code varchar(13), number integer, voters integer, address varchar(255), latitude numeric(9,6), "
        "longitude numeric(9,6), access_mode varchar(8), travel_minutes integer, is_remote boolean, "
        "is_special_location boolean",
        "SELECT r.id AS village_id, t.* FROM bench_anchor t JOIN coordination_region r ON r.code = t.village_code",
    ),
    "tps_classes": (
        "village_code varchar(13), number integer, polri_class varchar(20), voter_rights boolean, security boolean, "
        "campaign boolean, neutrality boolean, logistics boolean, location boolean, power_internet boolean, "
        "evidence text, assessed_on date",
        "SELECT p.id AS polling_station_id, c.* FROM bench_anchor c JOIN coordination_pollingstation p "
        "ON p.village_code = c.village_code AND p.number = c.number AND p.election_id = {election}",
    ),
}
LABELS = {"regions": "region tree", "polling_stations": "national TPS register", "tps_classes": "TPS classes"}


def copy_anchor(database: str, kind: str, path: Path, election: int) -> tuple[float, int]:
    """Seconds of the bare COPY and join of ``path``, and the rows they resolved."""
    import psycopg2

    columns, resolve = ANCHORS[kind]
    connection = psycopg2.connect(f"{common.POSTGRES}/{database}")
    try:
        with connection.cursor() as cursor:
            began = time.perf_counter()
            cursor.execute(f"CREATE TABLE bench_anchor ({columns})")
            with path.open(encoding="utf-8") as stream:
                cursor.copy_expert("COPY bench_anchor FROM STDIN WITH (FORMAT csv, HEADER true)", stream)
            cursor.execute(f"CREATE TABLE bench_anchor_resolved AS {resolve.format(election=election)}")
            rows = cursor.rowcount
            connection.commit()
            seconds = time.perf_counter() - began
            cursor.execute("DROP TABLE bench_anchor, bench_anchor_resolved")
            connection.commit()
    finally:
        connection.close()
    return seconds, rows


def mode() -> str:
    """"job" (the project's import_file command) or "service" (the synchronous services)."""
    wanted = os.environ.get("BENCH_NATIONAL_IMPORT", "auto")
    if wanted in ("job", "service"):
        return wanted
    found = [p for p in common.ROOT.glob("*/**/management/commands/import_file.py") if ".venv" not in p.parts]
    return "job" if found else "service"


def run_import(env: dict, how: str, kind: str, path: Path, election: int, actor: str, log: Path) -> dict:
    """One import run to its end; its JSON line, with ``wall`` (seconds of the whole child)."""
    if how == "job":
        args = ["manage.py", "import_file", "--kind", kind, "--file", str(path), "--actor", actor]
    else:
        args = ["-m", "bench.national.service_import", "--kind", kind, "--file", str(path), "--actor", actor]
    if kind != "regions":
        args += ["--election", str(election)]
    began = time.perf_counter()
    with log.open("a") as errors:
        done = subprocess.run([sys.executable, *args], cwd=common.ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=errors, text=True)
    wall = time.perf_counter() - began
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"import {kind} failed ({done.returncode}):\n{done.stdout[-2000:]}{log.read_text()[-3000:]}")
    result = json.loads(lines[-1])
    if result.get("status") not in ("succeeded", "done"):
        sys.exit(f"import {kind}: {result}")
    return {**result, "wall": wall}


def seconds_text(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def _counts(result: dict) -> str:
    return (f"{result.get('rows', 0):,} rows: {result.get('created', 0):,} created, "
            f"{result.get('updated', 0):,} updated, {result.get('unchanged', 0):,} unchanged")


def import_and_anchor(env: dict, database: str, how: str, kind: str, path: Path, election: int, actor: str,
                      log: Path, figures: list[dict]) -> None:
    """The anchor, the import and the re-import of the same unchanged file, as figures."""
    anchor, resolved = copy_anchor(database, kind, path, election)
    anchor_text = f"COPY + join {seconds_text(anchor)} ({resolved:,} rows)"
    first = run_import(env, how, kind, path, election, actor, log)
    seconds = float(first["seconds"])
    via = "import job" if how == "job" else "synchronous service (import job not available yet)"
    show(figures, figure("import", f"{LABELS[kind]}: import", seconds_text(seconds), anchor=anchor_text,
                         ratio=seconds / anchor, goal=f"<= {GOAL_RATIO:g}x", ok=seconds <= GOAL_RATIO * anchor,
                         note=f"{via}; {_counts(first)}; whole child {first['wall']:.1f} s"))
    again = run_import(env, how, kind, path, election, actor, log)
    again_seconds = float(again["seconds"])
    show(figures, figure("import", f"{LABELS[kind]}: re-import, unchanged", seconds_text(again_seconds),
                         anchor=anchor_text, ratio=again_seconds / anchor,
                         goal=f"< the import ({seconds_text(seconds)})",
                         ok=again_seconds < seconds and not again.get("created") and not again.get("updated"),
                         note=f"{_counts(again)}; whole child {again['wall']:.1f} s"))
