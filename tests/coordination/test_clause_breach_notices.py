"""Clause-health breaches notify the agreement's parties once per breach; on PostgreSQL,
two drains, a double beat and two real workers deliver each notification exactly once."""

import threading
from collections import Counter
from datetime import date, timedelta
from unittest import mock

import pytest
from celery._state import _set_task_join_will_block
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coordination import selectors, services
from coordination.choices import Role
from coordination.models import Clause, ClauseEvidence, Notification
from coordination.tasks import drain_notifications, notify_clause_breaches
from kpu_polda.base import clock
from tests.conftest import need_service
from tests.coordination.outbox_support import agreement_with_meetings_clause, at, compose, expected_message_id
from tests.factories import UserFactory

# --- clause breaches -----------------------------------------------------------------


def _meeting(clause, day, region):
    return ClauseEvidence.objects.create(clause=clause, kind="meeting", occurred_on=day, region=region,
                                         description="Rapat koordinasi")


@pytest.fixture
def breach_world(tree, people, agencies):
    clauses = agreement_with_meetings_clause(tree, people)
    _meeting(clauses["meetings"], date(2024, 1, 10), tree["kaltim"])  # next due 9 February
    police = people["province_police"]
    police.language = "en"
    police.save(update_fields=["language"])
    UserFactory(username="pengamat-kpu", role=Role.OBSERVER, agency=agencies["kpu"], email="p@example.org")
    UserFactory(username="mantan-polda", role=Role.POLICE_OFFICER, agency=agencies["polda"], is_active=False)
    return clauses


def test_health_names_the_day_a_breach_began(breach_world, tree, stages):
    meetings, escort = breach_world["meetings"], breach_world["escort"]
    with clock.travel_to(at(2024, 2, 5)):
        assert selectors.clause_row(meetings).health.since is None  # at risk: no breach yet
    with clock.travel_to(at(2024, 2, 20)):
        assert selectors.clause_row(meetings).health.since == date(2024, 2, 10)  # the day after 9 February
    ClauseEvidence.objects.create(clause=escort, kind="escort", occurred_on=date(2024, 2, 1), region=tree["kaltim"],
                                  description="x", requested_at=at(2024, 2, 1, 8))
    with clock.travel_to(at(2024, 2, 20)):
        assert selectors.clause_row(escort).health.since == date(2024, 2, 2)  # 24 hours after the request
    training = Clause.objects.create(agreement=meetings.agreement, number=7, title="Pelatihan", text="...",
                                     category="capacity_building", expectation_kind="per_stage",
                                     evidence_kind="training", expectation_value=1)
    with clock.travel_to(at(2024, 2, 14)):  # the campaign (to 10 Feb) and the quiet days (to 13 Feb) passed
        assert selectors.clause_row(training).health.since == date(2024, 2, 14)


def test_a_breach_notifies_both_parties_once(breach_world, people):
    meetings = breach_world["meetings"]
    with clock.travel_to(at(2024, 2, 5)):  # at risk, not breached
        assert services.clause_breaches_notify() == 0
    with clock.travel_to(at(2024, 2, 10)):
        assert services.clause_breaches_notify() == 3
        assert services.clause_breaches_notify() == 0  # a second run
        assert notify_clause_breaches.delay().get() == 0  # the task, retried
    rows = Notification.objects.order_by("recipient__username")
    assert [row.recipient.username for row in rows] == ["province_police", "province_staff", "secretariat"]
    assert {(row.kind, row.target, row.url) for row in rows} == {("clause_breach", meetings,
                                                                  f"/clauses/{meetings.pk}/")}
    english = rows[0]
    assert english.subject == "Clause 3 not met: Rapat evaluasi rutin"
    assert "“PKS KPU-Polda Kaltim”" in english.body
    with clock.travel_to(at(2024, 2, 10)), translation.override("en"):
        assert selectors.clause_row(meetings).health.reason in english.body  # "Overdue since 9 February 2024 ..."
    with clock.travel_to(at(2024, 2, 10)), translation.override("id"):
        assert selectors.clause_row(meetings).health.reason in rows[1].body

    # The same breach a week later is not told again; a new missed due date is.
    with clock.travel_to(at(2024, 2, 17)):
        assert services.clause_breaches_notify() == 0
    _meeting(meetings, date(2024, 2, 12), meetings.agreement.region)  # met again until 13 March
    with clock.travel_to(at(2024, 3, 1)):
        assert services.clause_breaches_notify() == 0
    with clock.travel_to(at(2024, 3, 14)):
        assert services.clause_breaches_notify() == 3
    assert Notification.objects.count() == 6


def test_no_breach_notices_when_the_agreement_is_not_in_force(breach_world, people):
    agreement = breach_world["meetings"].agreement
    with clock.travel_to(at(2025, 1, 5)):  # the term ended on 31 December 2024
        assert services.clause_breaches_notify() == 0
    services.agreement_transition(actor=people["secretariat"], agreement=agreement, to_status="terminated",
                                  reason="Dicabut")
    with clock.travel_to(at(2024, 2, 10)):
        assert services.clause_breaches_notify() == 0
    assert not Notification.objects.exists()


def test_breach_check_queries_do_not_grow_with_clauses_or_people(breach_world, agencies):
    agreement = breach_world["meetings"].agreement
    counts = []
    for start in (10, 20):
        for number in range(start, start + 10):
            Clause.objects.create(agreement=agreement, number=number, title=f"Pasal {number}", text="...",
                                  category="other", expectation_kind="every_days", evidence_kind="meeting",
                                  expectation_value=30)
            UserFactory(username=f"staf-{number}", role=Role.KPU_STAFF, agency=agencies["kpu"])
        Notification.objects.all().delete()
        ContentType.objects.get_for_model(Clause)  # the content-type cache is warm in a running worker
        with clock.travel_to(at(2024, 2, 10)), CaptureQueriesContext(connection) as queries:
            written = services.clause_breaches_notify()
        inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        counts.append(len(queries.captured_queries) - len(inserts))
        # Rows go in as multi-row inserts (as many per statement as the database takes).
        assert written > 100 and written / len(inserts) > 40
    # One pass judges all clauses and reads everyone it tells: 2 languages, no per-row reads.
    assert counts[0] == counts[1] <= 12


# --- on PostgreSQL: concurrent drains and beats ----------------------------------------


def _in_threads(*targets):
    """Run each target in its own thread (its own database connection), started together."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait(timeout=10)
            target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # An eager apply() saves Celery's process-wide "joining would block" flag, sets it and
    # puts the saved value back: two applies interleaved in threads can leave it set, and
    # every later result.get() in this process would refuse to run.
    _set_task_join_will_block(False)
    assert not errors, errors


def _slow_sends():
    """Sends that take a moment and record which thread made them, so two drains overlap."""
    real = locmem.EmailBackend.send_messages
    senders = []

    def send(self, messages):
        import time

        time.sleep(0.002)
        senders.append(threading.get_ident())
        return real(self, messages)

    return mock.patch.object(locmem.EmailBackend, "send_messages", send), senders


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_deliver_every_notification_exactly_once(people):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    due = clock.now() + timedelta(hours=1)  # due later, so writing them asks for no drain yet
    users = list(people.values())
    items = [services.Outgoing(recipient=users[i % len(users)], dedupe_key=f"massal:{i}", context={"key": i},
                               due_at=due) for i in range(150)]
    assert services.notification_enqueue_many(kind="test", template=compose, items=items) == 150
    later = due + timedelta(minutes=1)

    def drain():
        with clock.travel_to(later):
            while services.notifications_drain(batch=7).claimed:
                pass

    patch, senders = _slow_sends()
    with patch:
        _in_threads(drain, drain)
    ids = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert set(ids) == {expected_message_id(f"massal:{i}") for i in range(150)}
    assert set(ids.values()) == {1}
    assert len(set(senders)) == 2  # both drains did part of the work
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    with clock.travel_to(later):
        assert services.notifications_drain().claimed == 0  # a retried drain sends nothing twice
    assert len(mail.outbox) == 150


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_beat_and_two_workers_deliver_a_breach_once(breach_world, people):
    need_service("PostgreSQL", connection.vendor == "postgresql")

    def beat():
        # Each commit asks for a drain, which runs at once here (tasks are eager in tests):
        # two beats are also two drains racing.
        with clock.travel_to(at(2024, 2, 10)):
            result = notify_clause_breaches.apply()
        assert result.successful(), result.traceback

    patch, _senders = _slow_sends()
    with patch:
        _in_threads(beat, beat)
        with clock.travel_to(at(2024, 2, 10)):
            assert drain_notifications.apply().get() == 0  # the minute beat after them
            assert notify_clause_breaches.apply().get() == 0  # and a retried breach check
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"{name}@example.org" for name in
                                                    ("province_police", "province_staff", "secretariat")]
    assert set(Counter(m.extra_headers["Message-ID"] for m in mail.outbox).values()) == {1}


def _start_worker(name, queue, mail_dir):
    """A real Celery worker process on Redis, consuming only ``queue``, using the test
    database and writing e-mails as files into ``mail_dir``. Returns once it is ready."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.test", "EMAIL_FILE_PATH": str(mail_dir),
           "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL, "SITE_URL": settings.SITE_URL,
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
                           f"{db['NAME']}"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "kpu_polda", "worker", "-Q", queue, "-P", "solo", "-n",
         f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=Path(settings.BASE_DIR), env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    ready = threading.Event()
    lines = []

    def read():
        for line in process.stderr:
            lines.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=60):
        process.kill()
        pytest.fail("the Celery worker did not start:\n" + "".join(lines[-30:]))
    return process, lines


def _stop(process):
    """Warm shutdown (the task under way finishes), then wait for the process to end."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_deliver_a_breach_once(tree, people, tmp_path):
    """Two Celery worker processes on Redis take a doubled beat of the breach check and of
    the drain: each party member gets one e-mail. The workers run on the real clock, so the
    agreement here is in force today and its meetings clause is overdue."""
    import os
    import re
    import time
    import uuid
    import warnings

    from celery.exceptions import AlwaysEagerIgnored

    from kpu_polda.celery import app

    need_service("PostgreSQL", connection.vendor == "postgresql")
    need_service("Redis", bool(os.environ.get("REDIS_URL")))
    agreement_with_meetings_clause(tree, people, term_start=clock.today() - timedelta(days=100), term_end=None)
    # A queue of this run's own: a worker of another run on the same Redis never takes
    # these tasks. (The workers run the test settings, so the drain a commit asks for runs
    # inline in the worker that committed rather than being sent to the default queue.)
    queue = f"test-notifications-{uuid.uuid4().hex}"
    workers = []
    try:
        for name in ("notify-a", "notify-b"):
            workers.append(_start_worker(f"{name}-{queue}", queue, tmp_path))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AlwaysEagerIgnored)  # sent to the broker on purpose
            for task in ("notify_clause_breaches", "notify_clause_breaches", "drain_notifications",
                         "drain_notifications"):
                app.send_task(f"coordination.tasks.{task}", queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Notification.objects.count() == 3 and not Notification.objects.filter(sent_at__isnull=True).exists():
                break
            time.sleep(0.2)
    finally:
        for process, _lines in workers:
            _stop(process)  # every task taken has finished once this returns
        with app.connection_for_write() as broker:
            left = broker.default_channel.client.llen(queue)
            broker.default_channel.queue_delete(queue)
    taken = ["".join(lines).count("] received") for _process, lines in workers]
    assert left == 0 and sum(taken) == 4, taken
    assert min(taken) >= 1, taken  # both workers took part
    assert Notification.objects.count() == 3
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    messages = "".join(path.read_text() for path in tmp_path.iterdir())
    ids = Counter(re.findall(r"^Message-ID: (\S+)$", messages, flags=re.MULTILINE))
    assert set(ids) == {expected_message_id(key) for key in Notification.objects.values_list("dedupe_key", flat=True)}
    assert set(ids.values()) == {1}
    assert sorted(re.findall(r"^To: (\S+)$", messages, flags=re.MULTILINE)) == [
        f"{name}@example.org" for name in ("province_police", "province_staff", "secretariat")]
