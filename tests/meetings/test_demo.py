"""The meetings demo on top of coordination's: the monthly series since March 2023 as it
stands on the demo clock, idempotent, with a quiet outbox."""

from io import StringIO

import pytest
from django.core.management import call_command

from coordination.models import Notification
from meetings import demo
from meetings.models import ActionItem, AgendaItem, Meeting, Minutes
from tests.conftest import shared_rows


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker):
        call_command("seed_demo", stdout=StringIO())
        out = StringIO()
        call_command("seed_meetings_demo", stdout=out)
        yield out.getvalue()


def test_the_series_held_each_month_until_the_demo_clock(demo_output, db):
    assert "meetings +15 (held 12, to come 3)" in demo_output
    held = Meeting.objects.filter(status="held").order_by("starts_at")
    assert held.first().starts_at == demo.at(2023, 3, 6) and held.last().starts_at == demo.at(2024, 2, 5)
    # New Year's Day moved a week on, with its reason in the trail.
    january = Meeting.objects.get(starts_at=demo.at(2024, 1, 8))
    assert january.status_changes.filter(to_status="postponed", reason="Libur Tahun Baru 2024").exists()
    assert all(m.held_at and m.attendance.count() == 3 for m in held)


def test_minutes_are_locked_but_the_latest_waits_for_the_police(demo_output, db):
    assert Minutes.objects.exclude(locked_at=None).count() == 11
    latest = Minutes.objects.get(meeting__starts_at=demo.at(2024, 2, 5))
    assert latest.kpu_approved_at and latest.police_approved_at is None and not latest.is_locked
    verfak = Minutes.objects.get(meeting__starts_at=demo.at(2023, 3, 6))
    assert "Mahakam Ulu" in verfak.obstacles.get().description


def test_open_follow_ups_are_on_the_next_agenda(demo_output, db):
    open_items = ActionItem.objects.filter(status__in=["open", "in_progress"])
    assert open_items.count() == 3
    march = Meeting.objects.get(starts_at=demo.at(2024, 3, 4))
    carried = set(AgendaItem.objects.filter(meeting=march, source="action_item").values_list("action_item",
                                                                                                flat=True))
    assert carried == set(open_items.values_list("pk", flat=True))


def test_nothing_from_before_the_demo_clock_waits_in_the_outbox(demo_output, db):
    late = Notification.objects.filter(sent_at=None, cancelled_at=None, due_at__lt=demo.demo_now())
    assert not late.exists()
    assert Notification.objects.filter(kind="meeting_reminder", sent_at=None, due_at__gt=demo.demo_now()).exists()


def test_a_second_run_adds_nothing(demo_output, db):
    count = Meeting.objects.count()
    out = StringIO()
    call_command("seed_meetings_demo", stdout=out)
    assert "meetings +0" in out.getvalue() and Meeting.objects.count() == count
