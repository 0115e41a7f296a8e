"""The notification outbox: written once per key, in the recipient's language, drained by
email exactly once per row (with backoff on failure), shown in the bell and the list, and
marked read only by its recipient."""

from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from coordination import services
from coordination.models import Notification
from coordination.services import notifications as outbox
from coordination.tasks import drain_notifications
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope
from tests.coordination.outbox_support import agreement_with_meetings_clause, compose, expected_message_id, note
from tests.factories import UserFactory

# --- writing -------------------------------------------------------------------------


def test_enqueue_is_idempotent_on_the_dedupe_key(people):
    user = people["samarinda_operator"]
    first = note(user, "rapat:1:pengingat")
    again = services.notification_enqueue(recipient=user, kind="test", dedupe_key="rapat:1:pengingat",
                                          template=lambda c: ("Lain", "Lain"), context={})
    assert again.pk == first.pk and again.subject == "Subjek rapat:1:pengingat"
    assert Notification.objects.count() == 1

    items = [services.Outgoing(recipient=user, dedupe_key=key, context={"key": key})
             for key in ("rapat:1:pengingat", "rapat:2:pengingat", "rapat:2:pengingat")]
    assert services.notification_enqueue_many(kind="test", template=compose, items=items) == 1
    assert services.notification_enqueue_many(kind="test", template=compose, items=items) == 0
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == ["rapat:1:pengingat",
                                                                                 "rapat:2:pengingat"]
    with pytest.raises(ValueError):
        note(user, "x" * 201)


def test_enqueue_writes_in_the_recipients_language(people, tree):
    english, indonesian = people["province_police"], people["province_staff"]
    english.language = "en"
    english.save(update_fields=["language"])
    clause = agreement_with_meetings_clause(tree, people)["meetings"]
    context = {"clause": clause, "agreement": clause.agreement, "reason": "—"}
    for user in (english, indonesian):
        services.notification_enqueue(recipient=user, kind="test", dedupe_key=f"lang:{user.pk}",
                                      template="clause_breach", context=context)
    row_en = Notification.objects.get(recipient=english)
    row_id = Notification.objects.get(recipient=indonesian)
    assert (row_en.language, row_id.language) == ("en", "id")
    assert row_en.subject == f"Clause 3 not met: {clause.title}"
    assert "of “PKS KPU-Polda Kaltim” is not being met." in row_en.body
    with translation.override("id"):
        expected = gettext("Clause %(number)s not met: %(title)s") % {"number": 3, "title": clause.title}
    assert row_id.subject == expected


def test_enqueue_in_a_transaction_that_rolls_back_writes_nothing(people):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        note(people["samarinda_operator"], "batal")
        raise RuntimeError("the change behind the notification failed")
    assert not Notification.objects.exists()


# --- the drain -----------------------------------------------------------------------


def test_drain_sends_each_due_row_once_with_a_message_id_from_its_key(people):
    operator, police = people["samarinda_operator"], people["samarinda_police"]
    no_address = UserFactory(username="tanpa-email", agency=operator.agency)
    note(operator, "a", url="/clauses/7/")
    note(police, "b")
    note(no_address, "c")
    later = note(operator, "d", due_at=clock.now() + timedelta(hours=1))

    result = services.notifications_drain()
    assert (result.claimed, result.sent, result.without_email) == (3, 2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["samarinda_operator@example.org", "samarinda_police@example.org"]
    by_key = {m.subject.removeprefix("Subjek "): m for m in mail.outbox}
    assert by_key["a"].extra_headers["Message-ID"] == expected_message_id("a")
    assert by_key["a"].message()["Message-ID"] == expected_message_id("a")
    # The message, its link, then the closing lines with the unsubscribe link of its kind
    # (tests/coordination/test_unsubscribe.py checks those).
    assert by_key["a"].body.startswith("Isi a\n\nhttps://koordinasi.example.org/clauses/7/\n\n--\n")
    assert "https://koordinasi.example.org/notifications/unsubscribe/" in by_key["a"].body
    assert by_key["a"].from_email == "KPU-Polda Kaltim <notifikasi@example.org>"
    assert set(Notification.objects.filter(sent_at__isnull=False).values_list("dedupe_key", flat=True)) == {
        "a", "b", "c"}

    # A retried drain, or the next beat, sends nothing twice; the row not yet due waits.
    assert services.notifications_drain().claimed == 0
    assert len(mail.outbox) == 2
    later.refresh_from_db()
    assert later.sent_at is None
    with clock.travel_to(clock.now() + timedelta(hours=1, seconds=1)):
        assert services.notifications_drain().sent == 1
    assert mail.outbox[-1].extra_headers["Message-ID"] == expected_message_id("d")


def test_the_drain_task_delivers_too(people):
    note(people["secretariat"], "tugas")
    assert drain_notifications.delay().get() == 1
    assert drain_notifications.delay().get() == 0
    assert len(mail.outbox) == 1


def test_a_drain_task_that_stays_full_asks_for_another(people):
    from coordination import tasks

    for index in range(5):
        note(people["secretariat"], f"banyak-{index}")
    mail.outbox.clear()
    # One round of two per run: a run that comes back full sends the next (eager here).
    with mock.patch.object(tasks, "DRAIN_ROUNDS", 1), mock.patch.object(tasks, "DRAIN_BATCH", 2), \
            mock.patch.object(tasks.drain_notifications, "delay", wraps=tasks.drain_notifications.delay) as again:
        tasks.drain_notifications()
    assert len(mail.outbox) == 5 and again.call_count == 2
    assert not Notification.objects.filter(sent_at=None).exists()


def test_a_failing_send_backs_off_and_is_retried_later(people):
    row = note(people["samarinda_operator"], "gagal")
    start = clock.now()
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SMTPException("451 coba lagi")):
        with clock.travel_to(start):
            result = services.notifications_drain()
        assert (result.sent, result.failed) == (0, 1)
        row.refresh_from_db()
        assert (row.attempts, row.sent_at, row.next_attempt_at) == (1, None, start + timedelta(minutes=1))
        assert "451 coba lagi" in row.last_error
        with clock.travel_to(start + timedelta(seconds=59)):
            assert services.notifications_drain().claimed == 0  # still backing off
        with clock.travel_to(start + timedelta(minutes=1)):
            services.notifications_drain()
        row.refresh_from_db()
        assert (row.attempts, row.next_attempt_at) == (2, start + timedelta(minutes=3))  # 1, then 2 minutes
    assert mail.outbox == []
    with clock.travel_to(start + timedelta(minutes=3)):
        assert services.notifications_drain().sent == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.last_error == "" and row.next_attempt_at is None
    assert len(mail.outbox) == 1


def test_a_row_that_keeps_failing_is_given_up_with_its_error_kept(people):
    row = note(people["samarinda_operator"], "selalu-gagal")
    moment = clock.now()
    delays = []
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SMTPException("550 ditolak")):
        for _attempt in range(outbox.MAX_ATTEMPTS):
            with clock.travel_to(moment):
                assert services.notifications_drain().claimed == 1
            row.refresh_from_db()
            if row.next_attempt_at is not None:
                delays.append(row.next_attempt_at - moment)
                moment = row.next_attempt_at
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)]
    assert row.attempts == outbox.MAX_ATTEMPTS and row.sent_at is not None and "550 ditolak" in row.last_error
    with clock.travel_to(moment + timedelta(days=1)):
        assert services.notifications_drain().claimed == 0


def test_a_crashed_drain_leaves_its_rows_to_the_next_once_its_lease_ends(people):
    note(people["samarinda_operator"], "crash")
    start = clock.now()
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=KeyboardInterrupt), \
            pytest.raises(KeyboardInterrupt), clock.travel_to(start):
        services.notifications_drain()  # the worker dies mid-send
    with clock.travel_to(start + outbox.LEASE - timedelta(seconds=1)):
        assert services.notifications_drain().claimed == 0  # still claimed by the dead worker
    with clock.travel_to(start + outbox.LEASE):
        assert services.notifications_drain().sent == 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [expected_message_id("crash")]


def test_a_drain_past_its_lease_stops_sending_and_leaves_the_rest(people):
    for index in range(3):
        note(people["samarinda_operator"], f"lambat-{index}")
    start = clock.now()
    moments = iter([start, start])  # the claim, and the check before the first send

    # Then the clock reaches the end of the lease less its margin: the other two stay claimed.
    with mock.patch.object(outbox.clock, "now",
                           side_effect=lambda: next(moments, start + outbox.LEASE - outbox.LEASE_MARGIN)):
        result = services.notifications_drain()
    assert (result.claimed, result.sent) == (3, 1)
    with clock.travel_to(start + outbox.LEASE):
        assert services.notifications_drain().sent == 2
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3 == len(mail.outbox)


# --- in the app ----------------------------------------------------------------------


def _notes(user, start, count, **extra):
    for index in range(start, start + count):
        note(user, f"{user.pk}:{index}", **extra)


def test_bell_and_list_show_only_the_users_due_notifications(people, client):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    _notes(operator, 0, 3)
    read = note(operator, "sudah-dibaca")
    services.notification_mark_read(actor=operator, notification=read)
    note(operator, "minggu-depan", due_at=clock.now() + timedelta(days=7))
    note(other, "milik-orang-lain")

    client.force_login(operator)
    page = client.get("/notifications/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="notification-count">3<' in body
    assert body.count('data-testid="notification"') == 4
    assert "Subjek sudah-dibaca" in body and "minggu-depan" not in body and "milik-orang-lain" not in body
    assert body.count('/read/"') == 3 and 'data-testid="notification-read-all"' in body  # per unread row, and all

    # The bell costs one query on any page, and none for a visitor who is not signed in.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agencies/").status_code == 200
    assert sum("coordination_notification" in q["sql"] for q in queries.captured_queries) == 1
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/login/").status_code == 200
    assert not any("coordination_notification" in q["sql"] for q in queries.captured_queries)


def test_bell_caps_its_count(people, client):
    from coordination.selectors.notifications import UNREAD_CAP

    user = people["samarinda_operator"]
    _notes(user, 0, UNREAD_CAP + 1)
    client.force_login(user)
    assert 'data-testid="notification-count">99+<' in client.get("/notifications/").content.decode()


def test_list_page_queries_stay_the_same_as_rows_grow(people, client, django_assert_max_num_queries):
    user = people["samarinda_operator"]
    client.force_login(user)
    counts = []
    for start, count in ((0, 5), (5, 5)):
        _notes(user, start, count)
        # Session, user, the page's count and rows, the bell: the same at 5 and 10 rows.
        with django_assert_max_num_queries(8) as queries:
            assert client.get("/notifications/?unread=true").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_mark_read_only_your_own(people, client):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    mine, theirs = note(operator, "punya-saya"), note(other, "punya-dia")
    future = note(operator, "nanti", due_at=clock.now() + timedelta(days=1))
    client.force_login(operator)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{future.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "/notifications/?page=1"})
    assert (response.status_code, response["Location"]) == (302, "/notifications/?page=1")
    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://jahat.example/"})
    assert response["Location"] == "/notifications/"  # never off-site
    mine.refresh_from_db()
    theirs.refresh_from_db()
    future.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None and future.read_at is None
    with pytest.raises(OutOfScope):
        services.notification_mark_read(actor=operator, notification=theirs)

    note(operator, "lagi")
    assert client.post("/notifications/read-all/").status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("dedupe_key", flat=True)) == {
        "punya-dia", "nanti"}
    assert client.post("/notifications/read-all/").status_code == 302  # nothing left: unchanged


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    row = note(people["samarinda_operator"], "anon")
    assert client.get("/notifications/").status_code == 302
    assert client.post(f"/notifications/{row.pk}/read/").status_code == 302
    row.refresh_from_db()
    assert row.read_at is None


# --- API -----------------------------------------------------------------------------


def test_api_lists_and_marks_only_the_callers_notifications(people, api_for, tree,
                                                            django_assert_max_num_queries):
    operator, other = people["samarinda_operator"], people["balikpapan_operator"]
    clause = agreement_with_meetings_clause(tree, people)["meetings"]
    mine = note(operator, "api-1", target=clause, url=f"/clauses/{clause.pk}/", kind="clause_breach")
    note(operator, "api-2")
    note(operator, "api-nanti", due_at=clock.now() + timedelta(days=1))
    theirs = note(other, "api-dia")
    client = api_for(operator)

    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["subject"] for row in rows] == ["Subjek api-2", "Subjek api-1"]
    assert rows[1]["target_type"] == "coordination.clause" and rows[1]["target_id"] == clause.pk
    assert [r["id"] for r in client.get("/api/v1/notifications/", {"kind": "clause_breach"}).json()["results"]] \
        == [mine.pk]
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    marked = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    assert [r["id"] for r in client.get("/api/v1/notifications/", {"unread": "false"}).json()["results"]] == [mine.pk]
    assert len(client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]) == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api_for().get("/api/v1/notifications/").status_code == 401

    counts = []
    for start in (0, 5):
        _notes(operator, start, 5)
        with django_assert_max_num_queries(2) as queries:  # the count and the page
            assert client.get("/api/v1/notifications/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
