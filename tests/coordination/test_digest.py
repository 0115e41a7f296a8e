"""The daily digest: one email per person per day, in their language, with everything of
theirs that waited for it, grouped by kind; nothing for those with nothing; nothing twice
the same day, whether run again, by two workers at once, or after a crash."""

import threading
from datetime import date, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from coordination import services
from coordination.models import Notification
from coordination.services import preferences
from coordination.services.notifications import LEASE, language_of
from coordination.tasks import send_daily_digests
from kpu_polda.base import clock
from tests.conftest import need_service
from tests.coordination.outbox_support import at, compose
from tests.factories import UserFactory

REMINDER, BREACH = "meeting_reminder", "clause_breach"
DAY = date(2024, 2, 8)
MORNING = at(2024, 2, 8, 7, 0)  # the beat's moment
YESTERDAY = at(2024, 2, 7, 10, 0)


def digest_of(user, *kinds):
    for kind in kinds:
        preferences.notification_preference_set(actor=user, kind=kind, delivery="digest")


def note(user, key, kind=REMINDER, due_at=YESTERDAY, url=""):
    return services.notification_enqueue(recipient=user, kind=kind, dedupe_key=key, template=compose,
                                         context={"key": key}, due_at=due_at, url=url)


def send(moment=MORNING, **options):
    with clock.travel_to(moment):
        return preferences.notifications_digest_send(**options)


def by_person():
    return {message.to[0]: message for message in mail.outbox}


def test_one_email_per_person_with_all_their_pending_items_grouped_by_kind(people):
    operator, police, staff = people["samarinda_operator"], people["samarinda_police"], people["province_staff"]
    digest_of(operator, REMINDER, BREACH)
    digest_of(police, REMINDER)
    note(operator, "rapat-1", url="/meetings/1/")
    note(operator, "rapat-2", due_at=at(2024, 2, 8, 6, 59))
    note(operator, "klausul-3", kind=BREACH, url="/clauses/3/")
    note(police, "rapat-polisi")
    note(staff, "langsung")  # at once: the drain's, not the digest's
    assert services.notifications_drain().sent == 1
    mail.outbox.clear()

    result = send()
    assert (result.people, result.sent, result.without_email, result.waiting) == (2, 2, 0, False)
    emails = by_person()
    assert set(emails) == {"samarinda_operator@example.org", "samarinda_police@example.org"}
    body = emails["samarinda_operator@example.org"].body
    for line in ("- Subjek rapat-1\n  https://koordinasi.example.org/meetings/1/", "- Subjek rapat-2",
                 "- Subjek klausul-3\n  https://koordinasi.example.org/clauses/3/"):
        assert line in body
    # Grouped: each kind's heading (its label, in the reader's language), then its items.
    with translation.override(language_of(operator)):
        labels = {kind: str(preferences.KINDS[kind]) for kind in (REMINDER, BREACH)}
    sections = {chunk.split(" ==", 1)[0]: chunk for chunk in body.split("\n== ")[1:]}
    assert set(sections) == set(labels.values())
    reminders, breaches = sections[labels[REMINDER]], sections[labels[BREACH]]
    assert "rapat-1" in reminders and "rapat-2" in reminders and "klausul-3" not in reminders
    assert "klausul-3" in breaches and "rapat-1" not in breaches
    # Nobody's rows in another's digest.
    police_body = emails["samarinda_police@example.org"].body
    assert "rapat-polisi" in police_body and "rapat-1" not in police_body and "rapat-polisi" not in body
    assert not Notification.objects.filter(delivery="digest", sent_at=None).exists()


def test_a_second_run_the_same_day_sends_nothing_and_later_rows_wait_for_tomorrow(people):
    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "pagi")
    assert send().sent == 1
    note(operator, "siang", due_at=at(2024, 2, 8, 12, 0))
    assert send(at(2024, 2, 8, 13, 0)).sent == 0
    assert send(at(2024, 2, 8, 23, 59)).sent == 0
    assert len(mail.outbox) == 1
    tomorrow = send(at(2024, 2, 9, 7, 0))
    assert tomorrow.sent == 1 and len(mail.outbox) == 2
    assert "Subjek siang" in mail.outbox[1].body and "Subjek pagi" not in mail.outbox[1].body
    assert mail.outbox[0].extra_headers["Message-ID"] != mail.outbox[1].extra_headers["Message-ID"]


def test_nobody_gets_a_second_digest_the_same_day_whatever_reached_it_since(people):
    """An early run (a drill, a worker catching up) sends what was due by then; what came
    due afterwards, or moved to the digest after it went out, waits for tomorrow's: a second
    email the same day would carry the same Message-ID, and mail clients drop such copies."""
    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "dini")
    assert send(at(2024, 2, 8, 6, 0)).sent == 1
    note(operator, "setengah-tujuh", due_at=at(2024, 2, 8, 6, 30))
    switched = note(operator, "pindah", kind=BREACH, due_at=at(2024, 2, 8, 5, 0))  # not yet drained
    with clock.travel_to(at(2024, 2, 8, 6, 45)):
        digest_of(operator, BREACH)  # its waiting row moves to the digest
    assert Notification.objects.get(pk=switched.pk).delivery == "digest"
    assert send().sent == 0 and len(mail.outbox) == 1
    assert send(at(2024, 2, 9, 7, 0)).sent == 1
    assert "Subjek setengah-tujuh" in mail.outbox[1].body and "Subjek pindah" in mail.outbox[1].body


def test_nothing_for_those_with_nothing_waiting(people):
    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "besok", due_at=at(2024, 2, 9, 9, 0))  # not due by this morning
    cancelled = note(operator, "dibatalkan")
    Notification.objects.filter(pk=cancelled.pk).update(cancelled_at=YESTERDAY)
    result = send()
    assert (result.people, result.sent) == (0, 0) and mail.outbox == []


def test_the_digest_is_written_in_the_persons_language(people):
    english, indonesian = people["province_police"], people["province_staff"]
    english.language = "en"
    english.save(update_fields=["language"])
    for user in (english, indonesian):
        digest_of(user, REMINDER)
        note(user, f"bahasa:{user.pk}")
    send()
    emails = by_person()
    assert emails["province_police@example.org"].subject == "Daily digest of 8 February 2024: 1 notification"
    assert emails["province_police@example.org"].extra_headers["Content-Language"] == "en"
    assert "== Meeting reminder ==" in emails["province_police@example.org"].body
    indonesian_mail = emails["province_staff@example.org"]
    assert indonesian_mail.extra_headers["Content-Language"] == "id"
    assert "8 Februari 2024" in indonesian_mail.subject


def test_people_without_an_address_or_switched_off_have_their_rows_closed_without_email(people):
    quiet = UserFactory(username="tanpa-email", agency=people["samarinda_operator"].agency)
    gone = people["samarinda_police"]
    for user in (quiet, gone):
        digest_of(user, REMINDER)
        note(user, f"sunyi:{user.pk}")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    result = send()
    assert (result.people, result.sent, result.without_email) == (2, 0, 2) and mail.outbox == []
    assert not Notification.objects.filter(sent_at=None).exists()


def test_a_stable_message_id_per_person_and_day(people):
    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "id-1")
    send()
    expected = preferences.digest_message_id(operator.pk, DAY)
    assert mail.outbox[0].extra_headers["Message-ID"] == expected == mail.outbox[0].message()["Message-ID"]
    assert expected != preferences.digest_message_id(operator.pk, DAY + timedelta(days=1))
    assert expected != preferences.digest_message_id(people["samarinda_police"].pk, DAY)


def test_a_crashed_digest_leaves_its_people_to_a_run_after_the_lease(people):
    operator, police = people["samarinda_operator"], people["samarinda_police"]
    for user in (operator, police):
        digest_of(user, REMINDER)
        note(user, f"crash:{user.pk}")
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=KeyboardInterrupt), \
            pytest.raises(KeyboardInterrupt):
        send()  # the worker dies while sending the first digest
    held = send(MORNING + LEASE - timedelta(seconds=1))
    assert (held.sent, held.waiting) == (0, True)  # still leased by the dead worker
    after = send(MORNING + LEASE)
    assert (after.sent, after.waiting) == (2, False)
    assert sorted(m.to[0] for m in mail.outbox) == ["samarinda_operator@example.org", "samarinda_police@example.org"]
    assert send(MORNING + 2 * LEASE).sent == 0


def test_a_refused_send_backs_off_and_goes_out_later_the_same_day(people):
    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "ditolak")
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SMTPException("451 nanti")):
        result = send()
    assert (result.sent, result.failed, result.waiting) == (0, 1, True)
    row = Notification.objects.get()
    assert (row.attempts, row.sent_at, row.next_attempt_at) == (1, None, MORNING + timedelta(minutes=1))
    assert "451 nanti" in row.last_error
    assert send(MORNING + timedelta(minutes=1)).sent == 1
    assert len(mail.outbox) == 1


def test_the_queries_grow_by_one_per_person_sent_and_never_with_their_items(people):
    agency = people["samarinda_operator"].agency
    counts = []
    for people_count, items in ((3, 2), (6, 5)):
        for index in range(people_count):
            user = UserFactory(username=f"p{people_count}-{index}", agency=agency,
                               email=f"p{people_count}-{index}@example.org")
            digest_of(user, REMINDER, BREACH)
            for item in range(items):
                note(user, f"{user.pk}:{item}", kind=(REMINDER, BREACH)[item % 2])
        with CaptureQueriesContext(connection) as queries:
            assert send(at(2024, 2, 8 + len(counts), 7, 0)).sent == people_count
        counts.append(len(queries.captured_queries))
    # Per batch: the people, their locks, their rows, the leases; per person: the mark.
    assert counts[1] - counts[0] == 3


def test_people_are_taken_in_batches(people):
    agency = people["samarinda_operator"].agency
    for index in range(5):
        user = UserFactory(username=f"b-{index}", agency=agency, email=f"b-{index}@example.org")
        digest_of(user, REMINDER)
        note(user, f"batch:{index}")
    result = send(batch=2)
    assert (result.people, result.sent) == (5, 5) and len(mail.outbox) == 5


def test_the_task_sends_the_days_digests_once_and_beat_runs_it_at_seven(people):
    from kpu_polda.celery import app

    operator = people["samarinda_operator"]
    digest_of(operator, REMINDER)
    note(operator, "tugas")
    with clock.travel_to(MORNING):
        assert send_daily_digests.delay().get() == 1
        assert send_daily_digests.delay().get() == 0
    entry = app.conf.beat_schedule["send-daily-digests"]
    assert entry["task"] == "coordination.tasks.send_daily_digests"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})


# --- two workers at once, on PostgreSQL --------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_digests_at_once_send_each_person_exactly_one(personas):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    agency = personas["samarinda_operator"].agency
    users = [UserFactory(username=f"dua-{i}", agency=agency, email=f"dua-{i}@example.org") for i in range(60)]
    for user in users:
        digest_of(user, REMINDER, BREACH)
        note(user, f"dua:{user.pk}:a")
        note(user, f"dua:{user.pk}:b", kind=BREACH)
    real = locmem.EmailBackend.send_messages
    senders = []

    def slow(self, messages):
        senders.append(threading.get_ident())
        threading.Event().wait(0.002)
        return real(self, messages)

    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=10)
            send(batch=5)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(locmem.EmailBackend, "send_messages", slow):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    counted = [message.to[0] for message in mail.outbox]
    assert sorted(counted) == sorted(user.email for user in users)  # each person once
    assert all("Subjek dua" in message.body and message.body.count("- Subjek") == 2 for message in mail.outbox)
    assert not Notification.objects.filter(sent_at=None).exists()
    assert len(set(senders)) == 2, "both digests took part"


@pytest.mark.postgres
def test_the_drain_and_the_digest_claim_through_their_indexes_on_postgresql(people):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    operator, police = people["samarinda_operator"], people["samarinda_police"]
    digest_of(operator, REMINDER)
    note(operator, "indeks-ringkas")
    note(police, "indeks-segera")

    def plan_of(run, marker):
        with CaptureQueriesContext(connection) as queries:
            run()
        sql = next(q["sql"] for q in queries.captured_queries if marker(q["sql"]))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())

    drain = plan_of(services.notifications_drain,
                    lambda sql: "SKIP LOCKED" in sql and "coordination_notification" in sql)
    assert "notification_pending_due" in drain, drain
    digest = plan_of(send, lambda sql: "DISTINCT" in sql and "coordination_notification" in sql)
    assert "notification_digest_pending" in digest, digest
