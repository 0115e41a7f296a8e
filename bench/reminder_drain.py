"""How long two Celery workers take to email 10,000 due meeting reminders, and whether any
goes out twice.

    .venv/bin/python bench/reminder_drain.py

Creates its own PostgreSQL database (BENCH_DATABASE, default kpu_bench_drain, dropped first
and at the end unless BENCH_KEEP=1) on BENCH_POSTGRES (bench/common.py) and migrates it.
A child then plans the reminders through the meetings services: 10 meetings
(meetings.services.meeting_create), each inviting KPU Kaltim, whose 200 acting members get
5 reminders each, planned on 1 Feb 2024 for meetings in March 2024, so all 10,000 are due.
Then 2 real Celery workers (``celery -A kpu_polda worker``, pool solo, the demo's settings)
on Redis (BENCH_REDIS, default DB 12, a queue of this run's own) drain them; each email is
written whole, with its .ics, by Django's file backend (one folder per worker, no network).
The drain tasks the rows need are sent at once (one task drains at most
DRAIN_ROUNDS x DRAIN_BATCH rows) and the time runs until every row has sent_at. Prints the
seconds, rows/s, each worker's share and the duplicates (Message-IDs written more than
once). Goal: all 10,000 in under 20 s.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_drain")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
KEEP = os.environ.get("BENCH_KEEP") == "1"
MEETINGS, PEOPLE, OFFSETS = 10, 200, [3 * 24 * 60, 24 * 60, 240, 120, 30]
ROWS = MEETINGS * PEOPLE * len(OFFSETS)
WORKERS = 2
SENDER = "KPU-Polda Kaltim <notifikasi@bench.example>"
GOAL_SECONDS = 20
TASK = "coordination.tasks.drain_notifications"


def plan() -> None:
    """Runs in a child whose environment names the bench database: the ground (a province,
    its KPU and Polda, 200 KPU staff with addresses) and the meetings with their reminders."""
    import django

    django.setup()
    from datetime import datetime, timedelta

    from django.utils import timezone

    from coordination.choices import AgencyKind, RegionKind, RegionLevel, Role
    from coordination.models import Agency, Notification, Region, User
    from kpu_polda.base import clock
    from meetings import services
    from meetings.choices import REMINDER_KIND

    province = Region.objects.create(code="64", name="Kalimantan Timur", level=RegionLevel.PROVINCE,
                                     kind=RegionKind.PROVINSI)
    kpu = Agency.objects.create(code="kpu-kaltim", name="KPU Provinsi Kalimantan Timur", short_name="KPU Kaltim",
                                kind=AgencyKind.KPU, jurisdiction=province)
    polda = Agency.objects.create(code="polda-kaltim", name="Polda Kalimantan Timur", short_name="Polda Kaltim",
                                  kind=AgencyKind.POLRI, jurisdiction=province)
    User.objects.bulk_create([User(username=f"staf-{i:03d}", first_name=f"Staf {i}", email=f"staf-{i:03d}@kpu.example",
                                   role=Role.KPU_STAFF, agency=kpu, language="id" if i % 4 else "en")
                              for i in range(PEOPLE)])
    actor = User.objects.get(username="staf-000")
    began = time.perf_counter()
    with clock.travel_to(timezone.make_aware(datetime(2024, 2, 1, 8))):
        for number in range(MEETINGS):
            start = timezone.make_aware(datetime(2024, 3, 4 + number, 9))
            services.meeting_create(actor=actor, title=f"Rapat koordinasi pengamanan {number + 1}", organiser=kpu,
                                    co_organiser=polda, starts_at=start, ends_at=start + timedelta(hours=2),
                                    place="Aula KPU Provinsi Kalimantan Timur, Samarinda",
                                    invited_agencies=[kpu], reminder_offsets=OFFSETS)
    planned = Notification.objects.filter(kind=REMINDER_KIND, sent_at=None, due_at__lte=clock.now()).count()
    print(f"planned {planned:,} due reminders ({MEETINGS} meetings x {PEOPLE} invitees x {len(OFFSETS)}) "
          f"in {time.perf_counter() - began:.1f} s", flush=True)
    assert planned == ROWS, planned
    from coordination.tasks import DRAIN_BATCH, DRAIN_ROUNDS

    print(DRAIN_BATCH * DRAIN_ROUNDS)  # the most one drain task sends, read by the parent


class Worker:
    """One worker process, started and stopped by its process id, logging to a file."""

    def __init__(self, name: str, queue: str, env: dict, workdir: Path):
        self.name, self.mail = name, workdir / f"mail-{name}"
        self.log = workdir / f"{name}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [str(common.BIN / "celery"), "-A", "kpu_polda", "worker", "-Q", queue, "-P", "solo", "-c", "1",
                 "-n", f"{name}-{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-l", "info"],
                cwd=common.ROOT, env={**env, "EMAIL_FILE_PATH": str(self.mail)}, stdout=output,
                stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                sys.exit(f"worker {self.name} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Warm shutdown: the task under way finishes and is acknowledged."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def cpu(self) -> float:
        """CPU seconds the process has used so far (Linux), so the figures can be read
        apart from whatever else the machine runs."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def message_ids(self) -> list[str]:
        return [match.decode() for path in self.mail.glob("*.log")
                for match in re.findall(rb"^Message-ID: (\S+)$", path.read_bytes(), flags=re.MULTILINE)]

    def tasks(self) -> int:
        return self.log.read_text().count("] received")


def unsent() -> int:
    ((count,),) = common.sql(DATABASE, "SELECT count(*) FROM coordination_notification "
                                       "WHERE kind = 'meeting_reminder' AND sent_at IS NULL")
    return count


def expected_ids() -> set[str]:
    """The Message-ID of every reminder, worked out from its dedupe key."""
    domain = SENDER.rpartition("@")[2].rstrip(">")
    keys = common.sql(DATABASE, "SELECT dedupe_key FROM coordination_notification WHERE kind = 'meeting_reminder'")
    return {f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>" for (key,) in keys}


def drain(env: dict, workdir: Path, per_task: int) -> None:
    """Start the workers, send the drain tasks, time until nothing is unsent; print the figures."""
    from celery import Celery
    from kombu import Exchange, Queue

    queue = f"bench-drain-{uuid.uuid4().hex}"
    broker = Celery(broker=REDIS)
    tasks = math.ceil(ROWS / per_task) + WORKERS  # enough, with one spare per worker
    workers = [Worker(f"worker-{n + 1}", queue, env, workdir) for n in range(WORKERS)]
    try:
        for worker in workers:
            worker.wait_ready()
        idle = [worker.cpu() for worker in workers]
        began = time.monotonic()
        for _ in range(tasks):
            broker.send_task(TASK, queue=queue)
        left = ROWS
        while left and time.monotonic() - began < 300:
            time.sleep(0.05)
            left = unsent()
        seconds = time.monotonic() - began
        cpu = sum(worker.cpu() for worker in workers) - sum(idle)
    finally:
        for worker in workers:
            worker.stop()
        with broker.connection_for_write() as connection:
            waiting = connection.default_channel.client.llen(queue)
            # A new channel knows no bindings: declared again, the delete drops them too.
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()
            bound.delete()
    if left:
        sys.exit(f"{left:,} reminders still unsent after {seconds:.0f} s")
    written = [worker.message_ids() for worker in workers]
    counted = Counter(message_id for ids in written for message_id in ids)
    duplicates = sum(times - 1 for times in counted.values() if times > 1)
    missing = len(expected_ids() - set(counted))
    goal = "ok" if seconds < GOAL_SECONDS else "below goal"
    print(f"drained {ROWS:,} reminders in {seconds:.1f} s = {ROWS / seconds:,.0f} rows/s with {WORKERS} workers "
          f"(goal < {GOAL_SECONDS} s: {goal})")
    print(f"worker CPU: {cpu:.1f} s in all = {cpu / ROWS * 1000:.1f} ms per reminder "
          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"emails written: {sum(map(len, written)):,}; duplicates (Message-IDs written more than once): "
          f"{duplicates}; reminders without an email: {missing}")
    print(f"tasks sent: {tasks} (each drains at most {per_task:,}); "
          + "; ".join(f"{worker.name}: {worker.tasks()} tasks, {len(ids):,} emails"
                      for worker, ids in zip(workers, written, strict=True))
          + f"; left on the queue: {waiting}")


def main() -> None:
    if "--plan" in sys.argv:
        plan()
        return
    import redis

    version = redis.Redis.from_url(REDIS).info("server")["redis_version"]
    print(common.machine_line(extra=f"Redis {version}"), flush=True)
    began = time.monotonic()
    with common.workspace(f"{DATABASE}-") as workdir, common.bench_database(DATABASE, keep=KEEP):
        env = {**common.environment(DATABASE, workdir), "REDIS_URL": REDIS, "DEFAULT_FROM_EMAIL": SENDER}
        common.run(env, "manage.py", "migrate", "--noinput")
        *planned, per_task = common.run(env, str(Path(__file__).resolve()), "--plan").splitlines()
        print(*planned, sep="\n", flush=True)
        common.settle(DATABASE)  # durable commits from here: the drain commits as in production
        drain(env, workdir, int(per_task))
    print(f"total {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
