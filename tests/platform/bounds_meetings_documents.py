"""Query bounds of meetings' documents: the notulen lists the discussions, obstacles,
follow-ups, amendments and the present of one meeting, the daftar hadir its present; each
is measured at N and 2N of them on one held Samarinda meeting with minutes."""

from datetime import timedelta
from io import BytesIO

TITLE = "bounds: notulen"


def _meeting():
    from meetings.models import Meeting

    return Meeting.objects.select_related("minutes").get(title=TITLE)


def grow_attendance(tree, election, start, count):
    """People present, alternating between the two organising agencies (added behind the
    service's back: only their number matters here)."""
    from coordination.models import Agency
    from meetings.models import Attendance

    meeting = _meeting()
    agencies = [Agency.objects.get(code="kpu-samarinda"), Agency.objects.get(code="polres-samarinda")]
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, agency=agencies[index % 2], name=f"Peserta {index:03d}", position="Staf")
        for index in range(start, start + count)])


def grow_notulen_parts(tree, election, start, count):
    """Discussions, obstacles, amendments and people present on the minutes, and
    follow-ups (through the service: it plans their reminders) on the meeting."""
    from django.utils import timezone

    from coordination.models import Agency, User
    from meetings.models import Amendment, MinutesEntry, Obstacle
    from meetings.services import action_item_create

    meeting = _meeting()
    minutes = meeting.minutes
    operator = User.objects.get(username="samarinda_operator")
    police = Agency.objects.get(code="polres-samarinda")
    indexes = range(start, start + count)
    MinutesEntry.objects.bulk_create([
        MinutesEntry(minutes=minutes, position=index, topic=f"Butir {index}", speaker=f"Pembicara {index}",
                     discussion="Dibahas.") for index in indexes])
    Obstacle.objects.bulk_create([
        Obstacle(minutes=minutes, description=f"Kendala {index}", proposed_solution=f"Solusi {index}")
        for index in indexes])
    Amendment.objects.bulk_create([
        Amendment(minutes=minutes, field="decisions", before="a", after="b", reason=f"Alasan {index}",
                  made_by=operator, made_at=timezone.now()) for index in indexes])
    for index in indexes:
        action_item_create(actor=operator, meeting=meeting, title=f"Tindak lanjut {index}", owner_agency=police,
                           owner=User.objects.get(username="samarinda_police"),
                           due_on=timezone.localdate() + timedelta(days=index))
    grow_attendance(tree, election, start, count)


def _parts_on_page(response):
    document = response.context["document"]
    counts = {len(document.discussions), len(document.obstacles), len(document.follow_ups),
              len(document.amendments), document.attended}
    assert len(counts) == 1, counts  # every part grew alike
    return counts.pop()


def _parts_in_pdf(response):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(response.content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return text.count("Solusi ") + text.count("Peserta ")


def _present_on_page(response):
    return sum(len(group.rows) for group in response.context["document"].groups)


# The session (read, and its save: three), the user and their scope; the meeting with its
# stages, agenda, invitations and follow-ups (five); the minutes with their discussions,
# obstacles, amendments and their authors (five, the notulen only); the attendance. The
# pages add the bell's unread count.
CASES = [
    ("/meetings/{notulen_meeting}/minutes/print/", grow_notulen_parts, "samarinda_operator", 18, _parts_on_page),
    ("/meetings/{notulen_meeting}/minutes.pdf", grow_notulen_parts, "samarinda_police", 17, _parts_in_pdf),
    ("/meetings/{notulen_meeting}/attendance/print/", grow_attendance, "samarinda_police", 13, _present_on_page),
]

NO_ROWS: dict[str, str] = {}


def world(tree, election):
    """One Samarinda meeting held two hours ago with its minutes (through the real services)."""
    from coordination.models import Agency, User
    from kpu_polda.base import clock
    from meetings import services
    from meetings.models import Meeting

    found = Meeting.objects.filter(title=TITLE).first()
    if found is None:
        operator = User.objects.get(username="samarinda_operator")
        kpu, police = Agency.objects.get(code="kpu-samarinda"), Agency.objects.get(code="polres-samarinda")
        start = clock.now() - timedelta(hours=2)
        found = services.meeting_create(actor=operator, title=TITLE, organiser=kpu, co_organiser=police,
                                        starts_at=start, ends_at=start + timedelta(hours=1), place="Kantor KPU",
                                        invited_agencies=[police])
        found = services.meeting_hold(actor=operator, meeting=found)
        services.minutes_start(actor=operator, meeting=found, chair_name="Ketua KPU Kota Samarinda")
    return {"notulen_meeting": found}
