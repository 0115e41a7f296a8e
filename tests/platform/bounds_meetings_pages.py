"""Query bounds of the meetings pages (see tests/platform/test_query_bounds.py)."""

from datetime import timedelta

from django.utils import timezone

from coordination.models import Agency, User
from tests.platform.growers import grow_agencies, grow_stages


def _meeting(title, start):
    from meetings import services

    kpu = Agency.objects.get(code="kpu-samarinda")
    police = Agency.objects.get(code="polres-samarinda")
    return services.meeting_create(actor=User.objects.get(username="samarinda_operator"), title=title,
                                   organiser=kpu, co_organiser=police, starts_at=start,
                                   ends_at=start + timedelta(hours=2), place="Kantor KPU Samarinda",
                                   invited_agencies=[police], invited_people=[User.objects.get(username="observer")])


def grow_meetings(tree, election, start, count):
    for index in range(start, start + count):
        _meeting(f"Rakor {index}", timezone.now() + timedelta(days=index % 20 - 10))


def grow_meeting_parts(tree, election, start, count):
    """Agenda items, invitations and follow-ups on the one meeting of ``world``."""
    from meetings.models import AgendaItem, Invitation, Meeting
    from meetings.services import action_item_create

    meeting = Meeting.objects.get(title="bounds")
    operator = User.objects.get(username="samarinda_operator")
    police = Agency.objects.get(code="polres-samarinda")
    for index in range(start, start + count):
        AgendaItem.objects.create(meeting=meeting, position=index, title=f"Butir {index}", presenter="KPU")
        person = User.objects.create(username=f"invitee{index}", agency=police, role="police_officer")
        Invitation.objects.create(meeting=meeting, agency=police, person=person)
        action_item_create(actor=operator, meeting=meeting, title=f"Tindak lanjut {index}", owner_agency=police,
                           due_on=timezone.localdate() + timedelta(days=index))


def _held(title):
    from meetings import services

    meeting = _meeting(title, timezone.now() - timedelta(days=1))
    return services.meeting_hold(actor=User.objects.get(username="samarinda_operator"), meeting=meeting)


def grow_minutes_parts(tree, election, start, count):
    """Discussions and obstacles on the minutes of the held meeting of ``world``."""
    from meetings import services
    from meetings.models import Minutes

    minutes = Minutes.objects.filter(meeting__title="bounds held").first()
    operator = User.objects.get(username="samarinda_operator")
    if minutes is None:
        minutes = services.minutes_start(actor=operator, meeting=held_meeting("bounds held"))
    entries = [{"topic": f"Butir {n}", "discussion": "Dibahas"} for n in range(start + count)]
    obstacles = [{"description": f"Kendala {n}", "proposed_solution": "Solusi"} for n in range(start + count)]
    services.minutes_update(actor=operator, minutes=minutes, entries=entries, obstacles=obstacles)


def grow_attendance(tree, election, start, count):
    from meetings import services

    meeting = held_meeting("bounds held")
    kpu = Agency.objects.get(code="kpu-samarinda")
    services.attendance_record(actor=User.objects.get(username="samarinda_operator"), meeting=meeting,
                               rows=[{"agency": kpu, "name": f"Peserta {n}"} for n in range(start + count)])


def grow_follow_ups(tree, election, start, count):
    """Follow-ups of Polresta Samarinda, half of them overdue, on the meeting of ``world``."""
    from meetings.services import action_item_create

    meeting = held_meeting("bounds held")
    police = Agency.objects.get(code="polres-samarinda")
    for index in range(start, start + count):
        action_item_create(actor=User.objects.get(username="samarinda_operator"), meeting=meeting,
                           title=f"Tindak lanjut {index}", owner_agency=police,
                           due_on=timezone.localdate() + timedelta(days=index % 2 * 20 - 10))


def held_meeting(title):
    """The held meeting of ``world``, made here for a case whose path names no row."""
    from meetings.models import Meeting

    return Meeting.objects.filter(title=title).first() or _held(title)


def world(tree, election):
    from types import SimpleNamespace

    from meetings import services

    held = _held("bounds held")
    key = services.calendar_feed_create(actor=User.objects.get(username="samarinda_police"))
    # The feed's path names its key, not a row: the format reads ``.pk``.
    return {"meeting_page": _meeting("bounds", timezone.now() + timedelta(days=5)), "held": held,
            "feed": SimpleNamespace(pk=key), "follow_up": _follow_up()}


CASES = [
    ("/meetings/", grow_meetings, "samarinda_operator", 9,
     lambda r: len(r.context["upcoming"]) + len(r.context["past"])),
    ("/meetings/{meeting_page}/", grow_meeting_parts, "samarinda_police", 12,
     lambda r: len(r.context["meeting"].agenda.all())),
]

def _month() -> str:
    return timezone.localdate().strftime("%Y-%m")


CASES += [
    ("/meetings/{held}/minutes/", grow_minutes_parts, "samarinda_operator", 17,
     lambda r: len(r.context["minutes"].entries.all())),
    ("/meetings/{held}/attendance/", grow_attendance, "samarinda_operator", 14,
     lambda r: len(r.context["formset"].forms)),
    ("/meetings/follow-ups/", grow_follow_ups, "samarinda_police", 8, lambda r: len(r.context["actions"])),
    ("/meetings/follow-ups/overdue/", grow_follow_ups, "samarinda_police", 8,
     lambda r: sum(len(actions) for _agency, actions in r.context["groups"])),
    ("/meetings/calendar/", grow_meetings, "samarinda_operator", 9,
     lambda r: sum(len(items) for week in r.context["weeks"] for _day, items in week)),
    ("/meetings/feed/{feed}.ics", grow_meetings, "samarinda_police", 8, lambda r: r.content.count(b"BEGIN:VEVENT")),
    ("/meetings/new/", grow_agencies, "samarinda_operator", 11, lambda r: None),
    ("/meetings/new/", grow_stages, "samarinda_operator", 11, lambda r: None),
    ("/meetings/series/new/", grow_agencies, "samarinda_operator", 10, lambda r: None),
]

def grow_progress(tree, election, start, count):
    from meetings import services
    from meetings.models import ActionItem

    action = ActionItem.objects.get(title="bounds follow-up")
    for index in range(start, start + count):
        services.action_progress_add(actor=User.objects.get(username="samarinda_police"), action=action,
                                     note=f"Catatan {index}")


def _follow_up():
    from meetings import services

    return services.action_item_create(actor=User.objects.get(username="samarinda_operator"),
                                       meeting=held_meeting("bounds held"), title="bounds follow-up",
                                       owner_agency=Agency.objects.get(code="polres-samarinda"),
                                       due_on=timezone.localdate())


CASES += [
    ("/meetings/{meeting_page}/agenda/", grow_meeting_parts, "samarinda_operator", 12,
     lambda r: sum(1 + len(children) for _item, children in r.context["tree"])),
    ("/meetings/{meeting_page}/follow-ups/new/", grow_agencies, "samarinda_operator", 13, lambda r: None),
    ("/meetings/follow-ups/{follow_up}/", grow_progress, "samarinda_police", 10,
     lambda r: len(r.context["action"].progress.all())),
]

NO_ROWS = {
    "meetings:meeting-ics": "one meeting's calendar entry, read like its page",
    "meetings:meeting-step": "POST only",
    "meetings:invitation-reply": "POST only",
    "meetings:feed-change": "POST only",
    "meetings:feed-settings": "the user's one feed address",
    "meetings:rsvp": "one invitation, read from its link",
}
