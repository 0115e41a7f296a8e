"""Query bounds of the meetings admin's changelists (see tests/platform/test_query_bounds.py).

Every row is made by KPU Samarinda (with Polresta Samarinda) through the real services, so
each grows what the scoped secretariat of Samarinda ("regional_clerk") sees.
"""

from datetime import timedelta

from django.utils import timezone

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py


def _parties():
    from coordination.models import Agency, User

    kpu = Agency.objects.get(code="kpu-samarinda")
    police = Agency.objects.get(code="polres-samarinda")
    return User.objects.get(username="samarinda_operator"), kpu, police


def _meeting(title, start):
    from meetings import services

    operator, kpu, police = _parties()
    return services.meeting_create(actor=operator, title=title, organiser=kpu, co_organiser=police,
                                   starts_at=start, ends_at=start + timedelta(hours=2),
                                   place="Kantor KPU Samarinda", invited_agencies=[police])


def _held(title):
    """A meeting of yesterday, held."""
    from meetings import services

    operator, _, _ = _parties()
    meeting = _meeting(title, timezone.now() - timedelta(days=1))
    return services.meeting_hold(actor=operator, meeting=meeting)


def grow_meetings(tree, election, start, count):
    for index in range(start, start + count):
        _meeting(f"Rakor {index}", timezone.now() + timedelta(days=index + 1))


def grow_series(tree, election, start, count):
    """Series of two meetings each, both within the horizon."""
    from meetings import services

    operator, kpu, police = _parties()
    for index in range(start, start + count):
        services.series_create(actor=operator, title=f"Evaluasi {index}", rrule="FREQ=WEEKLY;COUNT=2",
                               first_start=timezone.now() + timedelta(days=index + 1), organiser=kpu,
                               co_organiser=police, place="Kantor KPU Samarinda", invited_agencies=[police])


def grow_action_items(tree, election, start, count):
    from meetings import services

    operator, _, police = _parties()
    meeting = _meeting(f"Tindak lanjut {start}", timezone.now() + timedelta(days=3))
    for index in range(start, start + count):
        services.action_item_create(actor=operator, meeting=meeting, title=f"Tindak lanjut {index}",
                                    owner_agency=police, due_on=timezone.localdate() + timedelta(days=index + 1))


def grow_minutes(tree, election, start, count):
    from meetings import services

    operator, _, _ = _parties()
    for index in range(start, start + count):
        services.minutes_start(actor=operator, meeting=_held(f"Notulen {index}"), chair_name="Ketua KPU Samarinda")


def grow_attendance(tree, election, start, count):
    """Meetings held, each with its daftar hadir of two."""
    from meetings import services

    operator, kpu, police = _parties()
    for index in range(start, start + count):
        services.attendance_record(actor=operator, meeting=_held(f"Hadir {index}"), rows=[
            {"agency": kpu, "person": operator, "position": "Anggota"},
            {"agency": police, "name": f"Tamu {index}", "position": "Kasat Intelkam"}])


CASES = [
    ("/admin/meetings/meeting/", grow_meetings, SCOPED_SECRETARIAT, 14),
    ("/admin/meetings/meetingseries/", grow_series, SCOPED_SECRETARIAT, 14),
    ("/admin/meetings/actionitem/", grow_action_items, SCOPED_SECRETARIAT, 14),
    ("/admin/meetings/minutes/", grow_minutes, SCOPED_SECRETARIAT, 14),
    ("/admin/meetings/attendance/", grow_attendance, SCOPED_SECRETARIAT, 14),
]

NO_ROWS = {}
