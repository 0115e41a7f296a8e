"""Meetings as iCalendar (RFC 5545): the .ics attached to each reminder."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urljoin

import icalendar
from django.conf import settings
from django.urls import reverse

from kpu_polda.base import clock

from .choices import MeetingStatus
from .models import Meeting


def _host() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "localhost"


def _uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_host()}"


def meeting_event(meeting: Meeting) -> icalendar.Event:
    """The VEVENT of a meeting: a stable UID, its SEQUENCE the schedule version (so a
    calendar replaces the moved entry), CANCELLED once cancelled, times in UTC."""
    event = icalendar.Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", clock.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("sequence", meeting.schedule_version)
    if meeting.place:
        event.add("location", meeting.place)
    url = urljoin(settings.SITE_URL, reverse("meetings:meeting-detail", args=[meeting.pk]))
    event.add("url", url)
    description = "\n".join(part for part in (meeting.description, meeting.online_link, url) if part)
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def action_event(action) -> icalendar.Event:
    """A follow-up's due date as an all-day entry linking back to its meeting."""
    event = icalendar.Event()
    event.add("uid", f"follow-up-{action.pk}@{_host()}")
    event.add("dtstamp", clock.now())
    event.add("dtstart", action.due_on)
    event.add("dtend", action.due_on + timedelta(days=1))
    event.add("summary", f"Tindak lanjut: {action.title}")
    url = urljoin(settings.SITE_URL, reverse("meetings:meeting-detail", args=[action.meeting_id]))
    event.add("url", url)
    event.add("description", url)
    return event


def feed_ics(meetings, actions) -> bytes:
    """A person's calendar feed: their meetings and their follow-ups' due dates."""
    return calendar_of([*map(meeting_event, meetings), *map(action_event, actions)], name="Rapat KPU-Polda")


def calendar_of(events, method: str = "", name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kpu_polda//meetings//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    """One meeting's .ics, METHOD:CANCEL once cancelled, REQUEST otherwise."""
    return calendar_of([meeting_event(meeting)],
                       method="CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST")


# A drain sends the same meeting's reminder to every invitee: its .ics is built once per
# batch, meeting, version and kind (the dedupe key names the version a reminder was
# planned for; a move makes a new version, a cancellation a new kind).
_VERSION = re.compile(r":v(\d+):")


def notification_ics(notification, memo: dict) -> list[tuple[str, bytes, str]]:
    """The outbox's attachment builder for the meeting kinds: the meeting as it is now."""
    version = _VERSION.search(notification.dedupe_key)
    key = ("meeting-ics", notification.target_id, notification.kind, version.group(1) if version else "")
    if key not in memo:
        meeting = Meeting.objects.filter(pk=notification.target_id).first()
        memo[key] = meeting_ics(meeting) if meeting is not None else None
    if memo[key] is None:
        return []
    return [(f"rapat-{notification.target_id}.ics", memo[key], "text/calendar")]
