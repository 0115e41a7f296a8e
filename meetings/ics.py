"""Meetings as iCalendar (RFC 5545): the .ics attached to each reminder."""

from __future__ import annotations

from urllib.parse import urljoin

import icalendar
from django.conf import settings
from django.urls import reverse

from kpu_polda.base import clock

from .choices import MeetingStatus
from .models import Meeting


def _uid(meeting: Meeting) -> str:
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    return f"meeting-{meeting.pk}@{host}"


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


def calendar_of(events) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kpu_polda//meetings//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    """One meeting's .ics, METHOD:CANCEL once cancelled, REQUEST otherwise."""
    calendar = icalendar.Calendar.from_ical(calendar_of([meeting_event(meeting)]))
    calendar.add("method", "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST")
    return calendar.to_ical()


def notification_ics(notification) -> list[tuple[str, bytes, str]]:
    """The outbox's attachment builder for the meeting kinds: the meeting as it is now."""
    meeting = Meeting.objects.filter(pk=notification.target_id).first()
    if meeting is None:
        return []
    return [(f"rapat-{meeting.pk}.ics", meeting_ics(meeting), "text/calendar")]
