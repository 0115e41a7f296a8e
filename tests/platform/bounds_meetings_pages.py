"""Query bounds of the meetings pages (see tests/platform/test_query_bounds.py)."""

from datetime import timedelta

from django.utils import timezone

from coordination.models import Agency, User


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


def world(tree, election):
    return {"meeting_page": _meeting("bounds", timezone.now() + timedelta(days=5))}


CASES = [
    ("/meetings/", grow_meetings, "samarinda_operator", 9,
     lambda r: len(r.context["upcoming"]) + len(r.context["past"])),
    ("/meetings/{meeting_page}/", grow_meeting_parts, "samarinda_police", 12,
     lambda r: len(r.context["meeting"].agenda.all())),
]

NO_ROWS = {
    "meetings:meeting-ics": "one meeting's calendar entry, read like its page",
}
