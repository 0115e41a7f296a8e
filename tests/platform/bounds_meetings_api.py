"""Query bounds of the meetings API's lists and GET actions (test_query_bounds.py).

Every meeting is KPU Samarinda's with Polresta Samarinda, made through the real services,
so each grows what the Samarinda personas see. The world's meeting ("api bounds") has
started and been held, its minutes are open, and a follow-up was agreed at it: the
growers lengthen its agenda, attendance, minutes and the follow-up's progress.
"""

from datetime import timedelta

WORLD_TITLE = "api bounds"  # not the pages' "bounds" meeting


def _people():
    from coordination.models import Agency, User

    users = {u.username: u for u in User.objects.filter(username__in=["samarinda_operator", "samarinda_police",
                                                                         "observer"])}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["kpu-samarinda", "polres-samarinda"])}
    return users, agencies


def _meeting(title, start):
    from meetings import services

    users, agencies = _people()
    return services.meeting_create(actor=users["samarinda_operator"], title=title,
                                   organiser=agencies["kpu-samarinda"], co_organiser=agencies["polres-samarinda"],
                                   starts_at=start, ends_at=start + timedelta(hours=2), place="Kantor KPU Samarinda",
                                   invited_agencies=[agencies["polres-samarinda"]],
                                   invited_people=[users["observer"]])


def _world_meeting():
    return world(None, None)["api_meeting"]


def grow_api_meetings(tree, election, start, count):
    """Meetings with all their answer nests: two invitations, an agenda item and a follow-up each."""
    from django.utils import timezone

    from meetings import services
    from meetings.models import AgendaItem

    users, agencies = _people()
    for index in range(start, start + count):
        meeting = _meeting(f"Rakor API {index}", timezone.now() + timedelta(days=index % 20 + 1))
        AgendaItem.objects.create(meeting=meeting, position=1, title=f"Butir {index}", presenter="KPU")
        services.action_item_create(actor=users["samarinda_operator"], meeting=meeting, title=f"Tindak {index}",
                                    owner_agency=agencies["polres-samarinda"],
                                    due_on=timezone.localdate() + timedelta(days=index))


def grow_api_series(tree, election, start, count):
    """Series of two meetings each, with an invited agency."""
    from django.utils import timezone

    from meetings import services

    users, agencies = _people()
    for index in range(start, start + count):
        services.series_create(actor=users["samarinda_operator"], title=f"Rakor bulanan {index}",
                               rrule="FREQ=MONTHLY;COUNT=2", first_start=timezone.now() + timedelta(days=index + 1),
                               organiser=agencies["kpu-samarinda"], co_organiser=agencies["polres-samarinda"],
                               place="Kantor KPU Samarinda", invited_agencies=[agencies["polres-samarinda"]])


def grow_api_invitations(tree, election, start, count):
    """Named invitations to the world's meeting, each a person of Polresta."""
    from coordination.models import User
    from meetings.models import Invitation

    _users, agencies = _people()
    meeting = _world_meeting()
    for index in range(start, start + count):
        person = User.objects.create(username=f"api-invitee{index}", agency=agencies["polres-samarinda"],
                                     role="police_officer")
        Invitation.objects.create(meeting=meeting, agency=agencies["polres-samarinda"], person=person)


def grow_api_actions(tree, election, start, count):
    """Follow-ups agreed at the world's meeting, each owned by a person of Polresta."""
    from django.utils import timezone

    from meetings import services

    users, agencies = _people()
    meeting = _world_meeting()
    for index in range(start, start + count):
        services.action_item_create(actor=users["samarinda_operator"], meeting=meeting, title=f"Tindak lanjut {index}",
                                    owner_agency=agencies["polres-samarinda"], owner=users["samarinda_police"],
                                    due_on=timezone.localdate() + timedelta(days=index - 20))


def grow_api_agenda(tree, election, start, count):
    from meetings.models import AgendaItem

    meeting = _world_meeting()
    for index in range(start, start + count):
        AgendaItem.objects.create(meeting=meeting, position=index, title=f"Butir {index}", presenter="Polresta")


def grow_api_attendance(tree, election, start, count):
    from meetings.models import Attendance

    _users, agencies = _people()
    meeting = _world_meeting()
    for index in range(start, start + count):
        Attendance.objects.create(meeting=meeting, agency=agencies["polres-samarinda"], name=f"Peserta {index}",
                                  position="Anggota")


def grow_api_minutes(tree, election, start, count):
    """Discussions, obstacles and amendments of the world meeting's minutes."""
    from django.utils import timezone

    from meetings.models import Amendment, MinutesEntry, Obstacle

    users, _agencies = _people()
    minutes = _world_meeting().minutes
    for index in range(start, start + count):
        MinutesEntry.objects.create(minutes=minutes, position=index, topic=f"Topik {index}", discussion="Dibahas.")
        Obstacle.objects.create(minutes=minutes, description=f"Kendala {index}", proposed_solution="Diatasi.")
        Amendment.objects.create(minutes=minutes, field="decisions", before="a", after="b", reason=f"Koreksi {index}",
                                 made_by=users["samarinda_operator"], made_at=timezone.now())


def grow_api_progress(tree, election, start, count):
    from meetings import services

    users, _agencies = _people()
    action = _world_meeting().action_items.order_by("pk").first()
    for index in range(start, start + count):
        services.action_progress_add(actor=users["samarinda_police"], action=action, note=f"Kemajuan {index}")


def world(tree, election):
    """The world's meeting (made once per test): held, its minutes open, a follow-up agreed."""
    from django.utils import timezone

    from meetings import services
    from meetings.models import Meeting

    meeting = Meeting.objects.filter(title=WORLD_TITLE).first()
    if meeting is None:
        users, agencies = _people()
        operator = users["samarinda_operator"]
        meeting = _meeting(WORLD_TITLE, timezone.now() - timedelta(hours=1))
        meeting = services.meeting_hold(actor=operator, meeting=meeting)
        services.minutes_start(actor=operator, meeting=meeting, chair_name="Ketua KPU Samarinda")
        action = services.action_item_create(actor=operator, meeting=meeting, title="Petakan jalur rawan",
                                             owner_agency=agencies["polres-samarinda"], due_on=timezone.localdate())
        return {"api_meeting": meeting, "api_action": action}
    return {"api_meeting": meeting, "api_action": meeting.action_items.order_by("pk").first()}


CASES = [
    ("/api/v1/meetings/", grow_api_meetings, "samarinda_operator", 12),
    ("/api/v1/meetings/?status=scheduled&region=64.72&starts_from=2020-01-01", grow_api_meetings, "province_staff",
     12),
    ("/api/v1/meeting-series/", grow_api_series, "samarinda_operator", 9),
    ("/api/v1/meeting-invitations/", grow_api_invitations, "samarinda_police", 8),
    ("/api/v1/meeting-invitations/?meeting={api_meeting}&response=pending", grow_api_invitations, "province_staff",
     8),
    ("/api/v1/action-items/", grow_api_actions, "samarinda_police", 8),
    ("/api/v1/action-items/?overdue=true&owner_agency=polres-samarinda", grow_api_actions, "samarinda_operator", 8),
    ("/api/v1/meetings/{api_meeting}/agenda/", grow_api_agenda, "samarinda_operator", 9),
    ("/api/v1/meetings/{api_meeting}/attendance/", grow_api_attendance, "samarinda_police", 9),
    ("/api/v1/meetings/{api_meeting}/minutes/", grow_api_minutes, "samarinda_operator", 12,
     lambda r: len(r.json()["entries"]) + len(r.json()["obstacles"]) + len(r.json()["amendments"])),
    ("/api/v1/action-items/{api_action}/progress/", grow_api_progress, "samarinda_police", 9),
]

NO_ROWS: dict[str, str] = {}
