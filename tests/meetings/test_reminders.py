"""Reminders on the outbox: planned with the meeting, re-planned when it moves, cancelled
with it, sent by the drain alone (late once after an outage), each with its .ics."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail

from coordination import services as ground
from coordination.models import Notification
from kpu_polda.base import clock
from meetings import services
from meetings.choices import CANCELLED_KIND, MOVED_KIND, REMINDER_KIND

from .conftest import wita

pytestmark = pytest.mark.django_db


def pending(meeting, kind=REMINDER_KIND):
    return Notification.objects.filter(target_id=meeting.pk, kind=kind, sent_at=None, cancelled_at=None)


def test_each_invitee_gets_a_reminder_3_days_1_day_and_2_hours_before(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    rows = pending(march)
    # The acting members of the two invited agencies (the observer's Bawaslu is not invited).
    people = {"province_staff", "secretariat", "province_police"}
    assert set(rows.values_list("recipient__username", flat=True)) == people
    assert sorted({row.due_at for row in rows}) == [wita(2024, 3, 1), wita(2024, 3, 3), wita(2024, 3, 4, 7)]
    assert rows.count() == 3 * len(people)
    assert len({row.dedupe_key for row in rows}) == rows.count()
    # Planning again writes nothing.
    assert services.meeting_reminders_plan(march) == 0


def test_a_meeting_set_up_tomorrow_skips_the_reminders_already_past(now, agencies, personas):
    meeting = services.meeting_create(
        actor=personas["province_police"], title="Rakor pengamanan", organiser=agencies["polda"],
        starts_at=now + timedelta(days=1, hours=2), ends_at=now + timedelta(days=1, hours=4), place="Mapolda",
        invited_people=[personas["province_staff"]])
    assert sorted(pending(meeting).values_list("due_at", flat=True)) == [now + timedelta(hours=2),
                                                                         now + timedelta(days=1)]


def test_reminders_go_out_by_the_drain_only_when_due_with_the_ics(monthly):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    personas_with_mail = Notification.objects.filter(target_id=march.pk).values_list("recipient", flat=True)
    assert personas_with_mail
    ground.notifications_drain()
    assert mail.outbox == []  # nothing due yet
    with clock.travel_to(wita(2024, 3, 1, 9, 1)):
        ground.notifications_drain()
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert "Aula KPU Provinsi" in message.body and "WITA" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and name.endswith(".ics")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == wita(2024, 3, 4)
    assert str(event["summary"]) == march.title


def test_after_an_outage_each_passed_reminder_goes_out_late_once(monthly):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    # Down from 29 Feb to 3 Mar 12:00: the 3-day and 1-day reminders passed meanwhile.
    with clock.travel_to(wita(2024, 3, 3, 12)):
        ground.notifications_drain()
        ground.notifications_drain()
    sent = Notification.objects.filter(target_id=march.pk, kind=REMINDER_KIND).exclude(sent_at=None)
    assert sent.count() == 6 and len(mail.outbox) == 6
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 6
    assert pending(march).count() == 3  # the 2-hour ones, still ahead


def test_postponing_replans_the_pending_reminders_and_tells_the_invitees(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    old_keys = set(pending(march).values_list("dedupe_key", flat=True))
    moved = services.meeting_postpone(actor=personas["province_police"], meeting=march, starts_at=wita(2024, 3, 6),
                                      ends_at=wita(2024, 3, 6, 11), reason="Bertepatan dengan pleno DPT")
    assert moved.schedule_version == 2 and moved.status == "postponed"
    assert Notification.objects.filter(dedupe_key__in=old_keys).exclude(cancelled_at=None).count() == len(old_keys)
    assert sorted({row.due_at for row in pending(march)}) == [wita(2024, 3, 3), wita(2024, 3, 5),
                                                              wita(2024, 3, 6, 7)]
    told = Notification.objects.filter(target_id=march.pk, kind=MOVED_KIND)
    assert told.count() == 3 and "Bertepatan" in told.first().body
    ground.notifications_drain()
    event = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["sequence"] == 2 and event.decoded("dtstart") == wita(2024, 3, 6)
    # The cancelled ones never go out, and the bell does not show them.
    with clock.travel_to(wita(2024, 3, 4, 12)):
        ground.notifications_drain()
    assert not Notification.objects.filter(dedupe_key__in=old_keys).exclude(sent_at=None).exists()


def test_cancelling_cancels_the_reminders_and_sends_a_cancelled_ics(monthly, personas, client):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    services.meeting_cancel(actor=personas["province_staff"], meeting=march, reason="Force majeure: banjir")
    assert not pending(march).exists()
    ground.notifications_drain()
    cancelled = [m for m in mail.outbox if "banjir" in m.body]
    assert len(cancelled) == 3
    calendar = icalendar.Calendar.from_ical(cancelled[0].attachments[0][1])
    assert str(calendar["method"]) == "CANCEL" and str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert Notification.objects.filter(kind=CANCELLED_KIND).count() == 3
    with clock.travel_to(wita(2024, 3, 4, 12)):
        client.force_login(personas["province_police"])
        page = client.get("/notifications/").content.decode()
    assert "Meeting reminder" not in page and "Pengingat rapat" not in page
