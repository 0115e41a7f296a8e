"""Draining 10,000 due reminders of the national month with 2 workers, from the parent.

The month's meetings planned about 60 reminders per kab/kota; the 10,000 due first are
left unsent and every other unsent row of the outbox is marked sent beforehand (the
bench's SQL), so that exactly 10,000 are due. Then 2 real Celery workers (bench/
reminder_drain.py's Worker: pool solo, the local settings, Django's file email backend,
one folder per worker) on Redis (BENCH_NATIONAL_REDIS, default DB 14, a queue of this run's
own) drain them, and the time runs until none is left unsent. The anchor, measured just
before on the same rows: one process writing the same 10,000 messages (their subjects and
bodies, to their recipients) through Django's file backend on one connection, with no
claim, no bookkeeping and no calendar attachment.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from bench import common
from bench.national.report import figure, show

REDIS = os.environ.get("BENCH_NATIONAL_REDIS", "redis://127.0.0.1:6379/14")
ROWS, WORKERS, GOAL_SECONDS = 10_000, 2, 20
SENDER = "KPU-Polda <notifikasi@bench.example>"
TASK = "coordination.tasks.drain_notifications"
KEPT = ("SELECT id FROM coordination_notification WHERE kind = 'meeting_reminder' AND sent_at IS NULL "
        "AND cancelled_at IS NULL ORDER BY due_at, id LIMIT {rows}")


def mail_anchor() -> None:
    """In a child: the bare writing of the kept rows' messages; prints its seconds."""
    from django.core.mail import EmailMessage, get_connection
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute(f"SELECT n.subject, n.body, u.email FROM coordination_notification n JOIN coordination_user u "
                       f"ON u.id = n.recipient_id WHERE n.id IN ({KEPT.format(rows=ROWS)}) AND u.email <> ''")
        rows = cursor.fetchall()
    began = time.perf_counter()
    with get_connection() as mail:
        mail.send_messages([EmailMessage(subject, body, SENDER, [email]) for subject, body, email in rows])
    print(f"mail-anchor {time.perf_counter() - began:.3f} {len(rows)}")


def _forget_asked_again(client) -> None:
    """A drain still full after its rounds asks again on the outbox (or default) queue,
    which these workers do not read: those messages are taken off it (others stay)."""
    for name in ("outbox", "default", "celery"):
        for message in client.lrange(name, 0, -1):
            if json.loads(message).get("headers", {}).get("task") == TASK:
                client.lrem(name, 1, message)


def _unsent(database: str) -> int:
    ((count,),) = common.sql(database, "SELECT count(*) FROM coordination_notification "
                                       "WHERE kind = 'meeting_reminder' AND sent_at IS NULL")
    return count


def measure(env: dict, database: str, workdir: Path, figures: list[dict], log: Path) -> None:
    from celery import Celery
    from kombu import Exchange, Queue

    from bench.national.report import stream
    from bench.reminder_drain import Worker

    common.sql(database, f"UPDATE coordination_notification SET sent_at = now() WHERE sent_at IS NULL "
                         f"AND id NOT IN ({KEPT.format(rows=ROWS)})")
    due = _unsent(database)
    env = {**env, "REDIS_URL": REDIS, "DEFAULT_FROM_EMAIL": SENDER}
    line = stream({**env, "EMAIL_FILE_PATH": str(workdir / "mail-anchor")},
                  ["-m", "bench.national.child", "mail-anchor"], log, figures, common.ROOT)
    anchor, written = float(line.split()[1]), int(line.split()[2])
    queue = f"bench-national-{uuid.uuid4().hex}"
    broker = Celery(broker=REDIS)
    per_task = 1000  # coordination.tasks: DRAIN_ROUNDS x DRAIN_BATCH
    tasks = math.ceil(due / per_task) + WORKERS
    workers = [Worker(f"worker-{n + 1}", queue, env, workdir) for n in range(WORKERS)]
    try:
        for worker in workers:
            worker.wait_ready()
        began = time.monotonic()
        for _ in range(tasks):
            broker.send_task(TASK, queue=queue)
        left = due
        while left and time.monotonic() - began < 300:
            time.sleep(0.05)
            left = _unsent(database)
        seconds = time.monotonic() - began
    finally:
        for worker in workers:
            worker.stop()
        with broker.connection_for_write() as connection:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()
            bound.delete()
            _forget_asked_again(connection.default_channel.client)
    if left:
        sys.exit(f"{left:,} reminders still unsent after {seconds:.0f} s")
    sent = Counter(message_id for worker in workers for message_id in worker.message_ids())
    duplicates = sum(times - 1 for times in sent.values() if times > 1)
    show(figures, figure("drain", f"{due:,} due reminders, {WORKERS} Celery workers", f"{seconds:.1f} s",
                         anchor=f"bare file-backend write of {written:,} messages {anchor:.1f} s",
                         ratio=seconds / anchor if anchor else None, goal=f"< {GOAL_SECONDS} s, no duplicates",
                         ok=seconds < GOAL_SECONDS and duplicates == 0 and due == ROWS,
                         note=f"{due / seconds:,.0f} rows/s; emails written {sum(sent.values()):,}, duplicates "
                         f"{duplicates}; " + "; ".join(f"{w.name}: {w.tasks()} tasks" for w in workers)
                         + "; the outbox's other unsent rows were marked sent first (bench SQL)"))
