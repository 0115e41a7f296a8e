"""The national bench: the whole country's data through the project's own imports, and
every figure beside its anchor measured in the same run.

    .venv/bin/python -m bench.national        (or `make bench-national`)

Knobs: BENCH_NATIONAL_DB (the database, default kpu_national, on BENCH_POSTGRES; created
afresh and dropped at the end unless BENCH_KEEP=1), BENCH_NATIONAL_SCALE (1.0: the whole
country; 0.02-0.05 to develop), BENCH_NATIONAL_IMPORT (job, service or auto: see
bench/national/imports.py), BENCH_NATIONAL_PLAN_SECONDS (the planning service's time,
180), BENCH_NATIONAL_LEGS (escort legs in all, 2.5 million x scale), BENCH_NATIONAL_REDIS
(redis://127.0.0.1:6379/14), BENCH_NATIONAL_PORT (8122 and the next one), BENCH_REPEAT
(requests per page, 20) and bench/load.py's load knobs.

The steps: migrate and the demo (Kaltim's regions and its 11,441 TPS, agencies, people);
the national files (bench/national/data.py, Kaltim's TPS dumped from the demo); the
whole-country user; each import after its bare COPY anchor, then again unchanged; the
national agencies and staff; escort legs for the whole country (bench/national/escorts.py);
a month of meetings; the pages and the escort board; the API and the confirmation under
HTTP load against the bare DRF app; the reminder drain. Then one table per section.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import common  # noqa: E402
from bench.national import data, drain, imports, serve  # noqa: E402
from bench.national.report import figure, show, stream, tables  # noqa: E402
from bench.national.setup import NATIONAL_USER  # noqa: E402

DATABASE = os.environ.get("BENCH_NATIONAL_DB", "kpu_national")
SCALE = float(os.environ.get("BENCH_NATIONAL_SCALE", "1.0"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
GOAL_MINUTES = 30
KALTIM_TPS = """COPY (SELECT p.village_code, p.number, p.voters, p.address, p.latitude, p.longitude, p.access_mode,
    p.travel_minutes, p.is_remote::int, p.is_special_location::int FROM coordination_pollingstation p
    JOIN coordination_election e ON e.id = p.election_id WHERE e.code = 'pemilu-2024'
    ORDER BY p.village_code, p.number) TO STDOUT WITH (FORMAT csv)"""


class Steps:
    """Prints each step with the time since the start."""

    def __init__(self):
        self.began = time.monotonic()

    def __call__(self, name: str) -> None:
        elapsed = time.monotonic() - self.began
        print(f"[{int(elapsed // 60):02d}:{int(elapsed % 60):02d}] {name}", flush=True)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.began


def _dump_kaltim(path: Path) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{common.POSTGRES}/{DATABASE}")
    try:
        with connection.cursor() as cursor, path.open("w", encoding="utf-8") as out:
            cursor.copy_expert(KALTIM_TPS, out)
    finally:
        connection.close()


def _digest(path: Path) -> str:
    """The start of the file's SHA-256: the same at the same scale on every run."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def _generate(workdir: Path, figures: list[dict]) -> Path:
    dump = workdir / "kaltim-tps.csv"
    _dump_kaltim(dump)
    files = workdir / "files"
    made = data.generate(files, SCALE, dump)
    sizes = ", ".join(f"{name} {size / 1e6:.1f} MB sha256 {_digest(files / name)}"
                      for name, size in made.files.items())
    show(figures, figure("setup", f"national files at scale {SCALE:g} (bench/national/data.py)",
                         f"{made.seconds:.1f} s", goal="< 60 s", ok=made.seconds < 60,
                         note=f"{made.rows['province']} provinces, {made.rows['regency']:,} kab/kota, "
                         f"{made.rows['district']:,} kecamatan, {made.rows['village']:,} desa/kelurahan, "
                         f"{made.rows['tps']:,} TPS ({made.voters:,} voters), {made.classes:,} TPS classes; {sizes}"))
    return files


def main() -> None:
    import redis

    version = redis.Redis.from_url(drain.REDIS).info("server")["redis_version"]
    machine = common.machine_line(extra=f"Redis {version}")
    print(machine, flush=True)
    how = imports.mode()
    if how == "service" and SCALE > imports.SERVICE_MAX_SCALE:
        sys.exit(f"the import job (manage.py import_file) is not there; the synchronous services stand in for it "
                 f"at BENCH_NATIONAL_SCALE <= {imports.SERVICE_MAX_SCALE} only")
    step, figures = Steps(), []
    with common.workspace(f"{DATABASE}-") as workdir, common.bench_database(DATABASE, keep=KEEP):
        log = workdir / "children.log"
        env = {**common.environment(DATABASE, workdir), "CSV_IMPORT_MAX_BYTES": str(4 << 30),
               "BENCH_NATIONAL_SCALE": str(SCALE)}
        pages_env = {**env, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.test"}

        def child(name: str, environment: dict = env) -> str:
            return stream(environment, ["-m", "bench.national.child", name], log, figures, common.ROOT)

        finished = False
        try:
            step("migrate and the demo")
            common.load_demo(env)
            common.settle(DATABASE)  # durable commits from here: the imports commit as in production
            step("the national files")
            files = _generate(workdir, figures)
            step("the whole-country user")
            child("user")
            ((election,),) = common.sql(DATABASE, "SELECT id FROM coordination_election WHERE code = 'pemilu-2024'")
            for kind, name in (("regions", "regions.csv"), ("polling_stations", "tps.csv"),
                               ("tps_classes", "tps_classes.csv")):
                step(f"import {kind}: the anchor, the import, the re-import ({how})")
                imports.import_and_anchor(env, DATABASE, how, kind, files / name, election, NATIONAL_USER, log, figures)
            step("national agencies and staff")
            child("agencies")
            step("escort legs for the whole country")
            child("plan")
            step("a month of meetings")
            child("meetings")
            step("VACUUM ANALYZE")
            common.sql(DATABASE, "VACUUM ANALYZE")
            step("pages and the escort board")
            child("pages", pages_env)
            step("the API and the confirmation under load")
            serve.measure(env, workdir, NATIONAL_USER, figures, log)
            step("the reminder drain")
            drain.measure(env, DATABASE, workdir, figures, log)
            finished = True
        finally:
            seconds = step.seconds
            figures.append(figure("setup", "the whole bench, wall time", f"{seconds / 60:.1f} min",
                                  goal=f"< {GOAL_MINUTES} min", ok=seconds < GOAL_MINUTES * 60,
                                  note=("" if finished else "INCOMPLETE: a step failed; ")
                                  + ("" if KEEP else "the database is dropped next")))
            print(f"\n{machine}\nscale {SCALE:g}, database {DATABASE}, imports by the {how}; the whole-country user "
                  f"is {NATIONAL_USER}, a superuser: no agency can have the whole country as its jurisdiction "
                  "(Agency.jurisdiction is a required region and the region tree has no country node)")
            print(tables(figures), flush=True)
    step("done")


if __name__ == "__main__":
    main()
