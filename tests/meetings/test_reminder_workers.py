"""Meeting reminders under real concurrency, on PostgreSQL (and Redis for the workers):
two drains at once, a retried drain task, a doubled beat taken by two worker processes,
and a worker killed with SIGKILL in the middle of a batch. Every reminder goes out, each
once; after the kill at most the one message being sent at that moment goes out twice,
with one Message-ID.

The worker processes run the project's Celery app (``celery -A kpu_polda worker``) under
the settings the demo's worker uses (kpu_polda.settings.local), on this test's database
and a queue of this test's own, writing each email into a folder (Django's file backend,
which flushes after every message, so what a killed worker had handed over is on disk).
"""

from __future__ import annotations

import email
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from unittest import mock

import pytest
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, connections
from django.utils import timezone

from coordination import services as ground
from coordination.choices import Role
from coordination.models import Notification, User
from coordination.services import notifications as outbox
from coordination.tasks import DRAIN_BATCH, drain_notifications
from kpu_polda.base import clock
from meetings import services
from meetings.choices import DEFAULT_REMINDER_OFFSETS, REMINDER_KIND
from tests.conftest import need_service
from tests.factories import AgencyFactory

from .conftest import NOW, wita

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group("meetings-reminder-workers")]

AFTER = wita(2024, 3, 10)  # every reminder planned here is due by then
FIVE_OFFSETS = [3 * 24 * 60, 24 * 60, 240, 120, 30]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


@pytest.fixture(autouse=True)
def _postgres_only():
    need_service("PostgreSQL", connection.vendor == "postgresql")


def _redis() -> str:
    need_service("Redis", bool(os.environ.get("REDIS_URL")))
    return os.environ["REDIS_URL"]


def plan(personas, agencies, *, meetings: int, people: int, offsets=None) -> list[Notification]:
    """``meetings`` meetings in March 2024 through meeting_create, scheduled on 5 Feb, each
    inviting an agency of ``people`` staff: their reminders are all due by AFTER and by
    the real clock a worker runs on."""
    staff = AgencyFactory(code="kpu-biro-umum", jurisdiction=agencies["kpu"].jurisdiction)
    User.objects.bulk_create([User(username=f"staf-{i:04d}", first_name=f"Staf {i}", email=f"staf-{i:04d}@example.id",
                                   role=Role.KPU_STAFF, agency=staff) for i in range(people)])
    with clock.travel_to(NOW):
        for day in range(meetings):
            start = wita(2024, 3, 4 + day)
            services.meeting_create(actor=personas["province_staff"], title=f"Rapat koordinasi {day + 1}",
                                    organiser=agencies["kpu"], co_organiser=agencies["polda"], starts_at=start,
                                    ends_at=start + timedelta(hours=2), place="Aula KPU Provinsi, Samarinda",
                                    invited_agencies=[staff], reminder_offsets=offsets)
    rows = list(Notification.objects.filter(kind=REMINDER_KIND, sent_at=None))
    assert len(rows) == meetings * people * len(offsets or DEFAULT_REMINDER_OFFSETS)
    assert all(row.due_at <= AFTER and row.due_at < timezone.now() for row in rows)
    return rows


def expected_ids(rows) -> dict[str, Notification]:
    """Message-ID -> row, worked out here from the dedupe key (not by the outbox's helper)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    ids = {f"<{hashlib.sha256(row.dedupe_key.encode()).hexdigest()[:32]}@{domain}>": row for row in rows}
    assert len(ids) == len(rows)
    return ids


def in_threads(*targets) -> None:
    """Run each target in its own thread (its own database connection), released together."""
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(target):
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # Eager applies interleaved in threads can leave Celery's process-wide "joining would
    # block" flag set, and every later result.get() of this process would refuse to run.
    _set_task_join_will_block(False)
    assert not any(thread.is_alive() for thread in threads), "a drain hung"
    assert not errors, errors


def slow_locmem(fail_at: int | None = None):
    """Sends that take a moment (so two drains overlap) and record the thread that made
    them; with ``fail_at``, that send dies with a BaseException, as a killed worker would."""
    real = locmem.EmailBackend.send_messages
    senders: list[int] = []

    def send(self, messages):
        time.sleep(0.001)
        if fail_at is not None and len(mail.outbox) + 1 == fail_at:
            raise WorkerLost
        senders.append(threading.get_ident())
        return real(self, messages)

    return mock.patch.object(locmem.EmailBackend, "send_messages", send), senders


class WorkerLost(BaseException):
    """Not an Exception: the drain's per-row error handling must not catch it."""


def check_outbox(rows) -> None:
    """Each row in django's outbox exactly once, with the .ics of its meeting; every row sent."""
    ids = expected_ids(rows)
    counted = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert set(counted) == set(ids)
    assert set(counted.values()) == {1}
    for message in mail.outbox:
        row = ids[message.extra_headers["Message-ID"]]
        assert [(name, kind) for name, _content, kind in message.attachments] == [
            (f"rapat-{row.target_id}.ics", "text/calendar")]
    assert not Notification.objects.filter(kind=REMINDER_KIND, sent_at=None).exists()


# --- in this process ------------------------------------------------------------------


def test_two_drains_at_once_send_each_of_300_reminders_exactly_once(personas, agencies):
    rows = plan(personas, agencies, meetings=1, people=100)

    def drain():
        with clock.travel_to(AFTER):  # the clock is pinned per thread
            while ground.notifications_drain(batch=20).claimed:
                pass

    patch, senders = slow_locmem()
    with patch:
        in_threads(drain, drain)
    check_outbox(rows)
    assert len(set(senders)) == 2, "both drains took part"


def test_a_retried_drain_task_sends_nothing_twice(personas, agencies):
    """The first run dies in the middle of its second batch; the retry at once sends what
    it did not claim and leaves its claimed rows alone; once the lease ended a retry sends
    those; a retry after that sends nothing."""
    rows = plan(personas, agencies, meetings=1, people=100)
    cut = DRAIN_BATCH + DRAIN_BATCH // 2
    patch, _senders = slow_locmem(fail_at=cut)
    with clock.travel_to(AFTER):
        with patch, pytest.raises(WorkerLost):
            drain_notifications.apply()
        _set_task_join_will_block(False)
        assert len(mail.outbox) == cut - 1
        leased = Notification.objects.filter(sent_at=None, next_attempt_at__gt=AFTER).count()
        assert leased == 2 * DRAIN_BATCH - (cut - 1)  # the rest of the second batch, the dead send included
        again = drain_notifications.apply()
        assert again.get() == len(rows) - (cut - 1) - leased
    with clock.travel_to(AFTER + outbox.LEASE):
        assert drain_notifications.apply().get() == leased
        assert drain_notifications.apply().get() == 0
    check_outbox(rows)


# --- real worker processes ------------------------------------------------------------


class Worker:
    """``celery -A kpu_polda worker`` as a process of its own, pool solo, consuming only
    ``queue``, on the test database, writing emails into ``mail_dir``; ``ahead`` runs its
    clock that much ahead of real time (CLOCK_START / CLOCK_ANCHOR)."""

    def __init__(self, name: str, queue: str, base: Path, ahead: timedelta | None = None):
        self.mail_dir = base / name
        db = connection.settings_dict
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.local", "REDIS_URL": _redis(),
               "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                               f"{db['PORT'] or 5432}/{db['NAME']}",
               "EMAIL_FILE_PATH": str(self.mail_dir), "VAR_DIR": str(base / f"{name}-var"),
               "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL, "SITE_URL": settings.SITE_URL, "DEBUG": "0"}
        for variable in ("CLOCK_START", "CLOCK_ANCHOR"):
            env.pop(variable, None)
        if ahead is not None:
            anchor = timezone.now()
            env.update(CLOCK_ANCHOR=anchor.isoformat(), CLOCK_START=(anchor + ahead).isoformat())
        self.lines: list[str] = []
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "kpu_polda", "worker", "-Q", queue, "-P", "solo", "-c", "1",
             "-n", f"{name}-{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=settings.BASE_DIR, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)
            if " ready." in line:
                self._ready.set()

    def wait_ready(self) -> None:
        if not self._ready.wait(timeout=40):
            self.kill()
            pytest.fail("the Celery worker did not start:\n" + "".join(self.lines[-30:]))

    def kill(self) -> None:
        """SIGKILL, by the process id: no shutdown, no ack, nothing flushed."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (a task under way finishes), SIGKILL if it does not end."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def received(self) -> int:
        return "".join(self.lines).count("] received")

    def written(self) -> int:
        """Emails handed to the backend so far (the file backend flushes each one)."""
        return sum(path.read_bytes().count(SEPARATOR) for path in self.mail_dir.glob("*.log"))

    def messages(self) -> list[email.message.Message]:
        """Every email this worker handed to its backend."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            found += [email.message_from_bytes(chunk) for chunk in path.read_bytes().split(SEPARATOR)
                      if chunk.strip()]
        return found


def send_drains(queue: str, count: int) -> None:
    """``count`` drain tasks on the broker at the same moment (a beat, doubled)."""
    from celery.exceptions import AlwaysEagerIgnored

    from kpu_polda.celery import app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)  # sent to the broker on purpose
        for _ in range(count):
            app.send_task("coordination.tasks.drain_notifications", queue=queue)


def forget_queue(queue: str) -> int:
    """Delete ``queue``, its binding and the unacknowledged deliveries from it (a killed
    worker's task stays there until the visibility timeout); returns the messages left."""
    import json

    from kombu import Exchange, Queue

    from kpu_polda.celery import app

    with app.connection_for_write() as broker:
        client = broker.default_channel.client
        waiting = client.llen(queue)
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        # A new channel knows no bindings: declared again, the delete drops them too.
        bound = Queue(queue, Exchange(queue), routing_key=queue)(broker.default_channel)
        bound.declare()
        bound.delete()
    return waiting


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)
    return result


def unsent() -> int:
    return Notification.objects.filter(kind=REMINDER_KIND, sent_at=None).count()


def check_attachment(message, row) -> None:
    parts = [(part.get_content_type(), part.get_filename()) for part in message.walk()
             if part.get_content_maintype() != "multipart"]
    assert ("text/calendar", f"rapat-{row.target_id}.ics") in parts, parts


def test_a_doubled_beat_on_two_worker_processes_sends_each_reminder_once(personas, agencies, tmp_path):
    rows = plan(personas, agencies, meetings=2, people=100)  # 600
    ids = expected_ids(rows)
    queue = f"test-reminders-{uuid.uuid4().hex}"
    workers = []
    try:
        workers = [Worker(name, queue, tmp_path) for name in ("beat-a", "beat-b")]
        for worker in workers:
            worker.wait_ready()
        send_drains(queue, 2)
        wait_for(lambda: unsent() == 0, 30, "every reminder sent")
    finally:
        for worker in workers:
            worker.stop()
        waiting = forget_queue(queue)
    assert waiting == 0 and [worker.received() for worker in workers] == [1, 1]
    per_worker = [Counter(message["Message-ID"] for message in worker.messages()) for worker in workers]
    assert all(per_worker), "both workers sent part of the reminders"
    counted = per_worker[0] + per_worker[1]
    assert set(counted) == set(ids) and set(counted.values()) == {1}


def test_a_worker_killed_mid_batch_loses_no_reminder_and_repeats_at_most_one(personas, agencies, tmp_path):
    """1,000 due reminders; the worker draining them is SIGKILLed part way through a batch.
    Its claimed rows stay hidden by their lease; a second worker, its clock past the end of
    that lease, sends the rest. (LEASE is a constant, so the clock is what moves, through
    CLOCK_START and CLOCK_ANCHOR, which the worker reads: the rows are not touched.)"""
    rows = plan(personas, agencies, meetings=2, people=100, offsets=FIVE_OFFSETS)
    ids = expected_ids(rows)
    queues = [f"test-reminders-{uuid.uuid4().hex}" for _ in range(2)]
    first = second = None
    try:
        # Each on a queue of its own, both started now (a start takes seconds).
        first = Worker("first", queues[0], tmp_path)
        second = Worker("second", queues[1], tmp_path, ahead=outbox.LEASE + timedelta(minutes=1))
        first.wait_ready()
        second.wait_ready()
        send_drains(queues[0], 1)  # one task may drain 1,000 rows: DRAIN_ROUNDS x DRAIN_BATCH

        def mid_batch():  # well inside a batch, so the kill cannot fall between two
            written = first.written()
            return written >= len(rows) // 4 and 0 < written % DRAIN_BATCH < DRAIN_BATCH * 4 // 5

        wait_for(mid_batch, 30, "a quarter of the reminders written")
        first.kill()
        sent_by_first = len(rows) - unsent()
        leased = set(Notification.objects.filter(kind=REMINDER_KIND, sent_at=None, next_attempt_at__gt=timezone.now())
                     .values_list("pk", flat=True))
        assert 0 < sent_by_first < len(rows) and 0 < len(leased) <= DRAIN_BATCH, (sent_by_first, len(leased))
        send_drains(queues[1], 1)  # the next beat
        wait_for(lambda: unsent() == 0, 30, "every reminder sent")
    finally:
        if first is not None:
            first.kill()
        if second is not None:
            second.stop()
        for queue in queues:
            forget_queue(queue)

    by_first = [message["Message-ID"] for message in first.messages()]
    by_second = [message["Message-ID"] for message in second.messages()]
    torn = by_first.count(None)  # a message cut in the middle of its headers by the kill
    counted = Counter(by_first + by_second) - Counter({None: torn})
    assert set(counted) == set(ids), "no reminder missing, none foreign"
    twice = [message_id for message_id, times in counted.items() if times > 1]
    assert set(counted.values()) <= {1, 2} and len(twice) + torn <= 1, (twice, torn)
    # The first worker marked each email sent right after handing it over: it wrote at
    # most the one in flight more than it marked.
    assert len(by_first) - sent_by_first in {0, 1}
    assert len(by_second) == len(rows) - sent_by_first
    for message_id in twice:
        assert by_first.count(message_id) == by_second.count(message_id) == 1
        assert ids[message_id].pk in leased  # it was in the batch the kill cut
    # Each email carries its meeting's .ics (of a repeated one, the copy the second sent).
    for message in [m for m in first.messages() if m["Message-ID"] not in twice] + second.messages():
        check_attachment(message, ids[message["Message-ID"]])
    assert second.received() == 1
