"""The notulen of a meeting and its daftar hadir: what the printed documents say, read
once for the print pages and the PDF alike.

Both are official documents, and official documents are written in Indonesian (UU
24/2009, pasal 27): their wording stays Indonesian whatever the reader's UI language, as
the berita acara of logistics does. The date in words, the names of days and months and
the hour in WITA are written by the berita acara's own rule, imported from there, so the
two kinds of document never read a date differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.exceptions import OutOfScope
from logistics.selectors.documents import DAYS, MONTHS, date_in_words, time_in_words

from ..models import AgendaItem, Attendance, Meeting, Minutes
from . import meeting_get, minutes_of

# A daftar hadir printed before the meeting (nothing recorded yet) has this many lines to
# sign; one printed from a recorded attendance keeps a few more for who was not listed.
BLANK_ROWS = 15
EXTRA_ROWS = 5

# The parts of the minutes an amendment may correct (services.minutes.MINUTES_TEXT_FIELDS).
PART_LABELS = {"chair_name": "Pimpinan rapat", "opening": "Pembukaan", "decisions": "Keputusan/kesimpulan",
               "closing": "Penutup"}
SIDE_LABELS = (("kpu", "Untuk KPU"), ("police", "Untuk Polri"))


def day_and_date(day: date) -> str:
    """The header's hari/tanggal: "Senin, 4 Maret 2024"."""
    return f"{DAYS[day.weekday()]}, {short_date(day)}"


def short_date(day: date) -> str:
    """A date as Indonesian documents write it in figures: "4 Maret 2024"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(moment: datetime) -> str:
    """A moment of the record (an approval, an amendment): "5 Maret 2024 pukul 10.00 WITA"."""
    return f"{short_date(timezone.localtime(moment).date())} {time_in_words(moment)}"


def time_range(starts_at: datetime, ends_at: datetime) -> str:
    """The header's waktu: "pukul 09.00 s.d. 11.00 WITA" (the end's date named when it is another day)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"pukul {start:%H.%M} s.d. {end:%H.%M} WITA"
    return f"{time_in_words(starts_at)} s.d. {short_date(end.date())} {time_in_words(ends_at)}"


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class AgendaLine:
    """One item of the acara, numbered as printed: "1", "2" at the top, "a", "b" under an item."""

    label: str
    title: str
    presenter: str
    depth: int


@dataclass(frozen=True)
class Heading:
    """What both documents open with: who holds the meeting, what, when, where, the agenda."""

    agencies: list[str]
    title: str
    day_date: str
    date_words: str
    time_range: str
    place: str
    online_link: str
    agenda: list[AgendaLine]

    @property
    def agenda_summary(self) -> str:
        """The agenda's top items on one line: "1. Pembukaan; 2. Evaluasi"; "-" for none."""
        return "; ".join(f"{line.label}. {line.title}" for line in self.agenda if line.depth == 0) or "-"


@dataclass(frozen=True)
class Discussion:
    number: int
    topic: str
    speaker: str
    text: str


@dataclass(frozen=True)
class ObstacleLine:
    number: int
    description: str
    solution: str


@dataclass(frozen=True)
class FollowUp:
    """A tindak lanjut: what, which agency (and who) owns it, by when, and the obstacle it answers."""

    number: int
    title: str
    description: str
    agency: str
    person: str
    due: str
    obstacle_number: int | None


@dataclass(frozen=True)
class Participants:
    """Who took part, per agency: the present of the recorded attendance, or (before it is
    recorded) the agencies invited, with no count."""

    agency: str
    count: int | None


@dataclass(frozen=True)
class Approval:
    side: str
    name: str
    at: str


@dataclass(frozen=True)
class AmendmentLine:
    part: str
    before: str
    after: str
    reason: str
    by: str
    at: str


@dataclass(frozen=True)
class SignRow:
    number: int
    name: str
    position: str
    agency: str


@dataclass(frozen=True)
class AgencyGroup:
    agency: str
    rows: list[SignRow]


@dataclass(frozen=True)
class Notulen:
    """The minutes of one meeting, ready to print."""

    meeting: Meeting
    minutes: Minutes
    heading: Heading
    chair: str
    notulis: str
    opening: str
    discussions: list[Discussion]
    decisions: str
    obstacles: list[ObstacleLine]
    follow_ups: list[FollowUp]
    closing: str
    participants: list[Participants]
    attendance: list[AgencyGroup]
    attended: int
    approvals: list[Approval]
    amendments: list[AmendmentLine]

    @property
    def locked(self) -> bool:
        return self.minutes.is_locked

    @property
    def opening_sentence(self) -> str:
        """How the notulen opens: "Pada hari ini Senin tanggal ..., pukul 09.00 s.d. 11.00
        WITA, bertempat di ..., telah dilaksanakan ..., dipimpin oleh ..."."""
        heading = self.heading
        where = f"bertempat di {heading.place}" if heading.place else "secara daring"
        return (f"{heading.date_words}, {heading.time_range}, {where}, telah dilaksanakan {heading.title}, "
                f"dipimpin oleh {self.chair}.")

    @property
    def participants_text(self) -> str:
        """The header's peserta: "3 orang: KPU ... (2 orang), Polda ... (1 orang); daftar hadir
        terlampir", or the agencies invited while no attendance is recorded."""
        if self.attended:
            parts = ", ".join(f"{row.agency} ({row.count} orang)" for row in self.participants)
            return f"{self.attended} orang: {parts}; daftar hadir terlampir"
        return f"undangan {', '.join(row.agency for row in self.participants)}; daftar hadir terlampir"

    @property
    def filename(self) -> str:
        day = timezone.localtime(self.meeting.starts_at).date()
        return f"notula-rapat-{self.meeting.pk}-{day:%Y-%m-%d}.pdf"


@dataclass(frozen=True)
class DaftarHadir:
    """The attendance list to sign: the recorded present per agency, then blank numbered lines."""

    meeting: Meeting
    heading: Heading
    groups: list[AgencyGroup]
    blank_numbers: list[int]


def _agenda_lines(items: list[AgendaItem]) -> list[AgendaLine]:
    """The agenda in print order: each item followed by the items under it."""
    under: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        under.setdefault(item.parent_id, []).append(item)
    lines: list[AgendaLine] = []

    def walk(parent_id, depth):
        for index, item in enumerate(under.get(parent_id, []), start=1):
            label = str(index) if depth == 0 else (chr(ord("a") + index - 1) if index <= 26 else str(index))
            lines.append(AgendaLine(label=label, title=item.title, presenter=item.presenter, depth=depth))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return lines


def heading_of(meeting: Meeting) -> Heading:
    """The header of the meeting's documents, from the rows meeting_get already read."""
    agencies = [meeting.organiser.name.upper()]
    if meeting.co_organiser is not None:
        agencies.append(meeting.co_organiser.name.upper())
    day = timezone.localtime(meeting.starts_at).date()
    return Heading(agencies=agencies, title=meeting.title, day_date=day_and_date(day), date_words=date_in_words(day),
                   time_range=time_range(meeting.starts_at, meeting.ends_at), place=meeting.place,
                   online_link=meeting.online_link, agenda=_agenda_lines(list(meeting.agenda.all())))


def _attendance(meeting: Meeting) -> list[Attendance]:
    """The present, the organisers' people first, then per agency by name. One query."""
    rows = list(Attendance.objects.filter(meeting=meeting, present=True).select_related("agency"))
    first = {meeting.organiser_id: 0, meeting.co_organiser_id: 1}
    return sorted(rows, key=lambda row: (first.get(row.agency_id, 2), row.agency.name, row.agency_id, row.name,
                                         row.pk))


def _groups(present: list[Attendance]) -> list[AgencyGroup]:
    """The present per agency, numbered on through the groups."""
    groups: list[AgencyGroup] = []
    agency_id = None
    for number, row in enumerate(present, start=1):
        if not groups or row.agency_id != agency_id:
            groups.append(AgencyGroup(agency=row.agency.name, rows=[]))
            agency_id = row.agency_id
        groups[-1].rows.append(SignRow(number=number, name=row.name, position=row.position, agency=row.agency.name))
    return groups


def _participants(meeting: Meeting, present: list[Attendance]) -> list[Participants]:
    if present:
        counts: dict[int, Participants] = {}
        for row in present:
            seen = counts.get(row.agency_id)
            counts[row.agency_id] = Participants(agency=row.agency.name, count=(seen.count if seen else 0) + 1)
        return list(counts.values())
    names = dict.fromkeys([meeting.organiser.name]
                          + ([meeting.co_organiser.name] if meeting.co_organiser else [])
                          + [invitation.agency.name for invitation in meeting.invitations.all()])
    return [Participants(agency=name, count=None) for name in names]


def _approvals(minutes: Minutes) -> list[Approval]:
    """Who approved for each party, once both have (the minutes are then locked)."""
    if not minutes.is_locked:
        return []
    return [Approval(side=label, name=person_name(getattr(minutes, f"{side}_approved_by")),
                     at=moment_text(getattr(minutes, f"{side}_approved_at"))) for side, label in SIDE_LABELS]


def notulen_for(user, pk) -> Notulen:
    """The notulen of meeting ``pk`` as ``user`` may read it: OutOfScope (read as 404) when
    the meeting is missing, outside the user's scope, or has no minutes yet.

    Eleven queries whatever the number of rows: the meeting with its stages, agenda,
    invitations and follow-ups (meeting_get), the minutes with their discussions,
    obstacles and amendments with their authors (minutes_of), and the attendance.
    """
    meeting = meeting_get(user, pk)
    minutes = minutes_of(meeting)
    if minutes is None:
        raise OutOfScope(_("No minutes yet: they are written once the meeting is held."))
    present = _attendance(meeting)
    obstacles = list(minutes.obstacles.all())
    obstacle_numbers = {obstacle.pk: number for number, obstacle in enumerate(obstacles, start=1)}
    follow_ups = [
        FollowUp(number=number, title=action.title, description=action.description,
                 agency=action.owner_agency.name, person=person_name(action.owner), due=short_date(action.due_on),
                 obstacle_number=obstacle_numbers.get(action.obstacle_id))
        for number, action in enumerate(meeting.action_items.all(), start=1)]
    amendments = [
        AmendmentLine(part=PART_LABELS.get(row.field, row.field), before=row.before, after=row.after,
                      reason=row.reason, by=person_name(row.made_by), at=moment_text(row.made_at))
        for row in minutes.amendments.all()]
    return Notulen(
        meeting=meeting, minutes=minutes, heading=heading_of(meeting), chair=minutes.chair_name,
        notulis=person_name(minutes.notulis), opening=minutes.opening,
        discussions=[Discussion(number=number, topic=entry.topic, speaker=entry.speaker, text=entry.discussion)
                     for number, entry in enumerate(minutes.entries.all(), start=1)],
        decisions=minutes.decisions,
        obstacles=[ObstacleLine(number=obstacle_numbers[row.pk], description=row.description,
                                solution=row.proposed_solution) for row in obstacles],
        follow_ups=follow_ups, closing=minutes.closing, participants=_participants(meeting, present),
        attendance=_groups(present), attended=len(present), approvals=_approvals(minutes), amendments=amendments,
    )


def daftar_hadir_for(user, pk) -> DaftarHadir:
    """The daftar hadir of meeting ``pk`` as ``user`` may read it (OutOfScope when missing
    or outside the scope): the present grouped per agency, then blank lines to sign;
    BLANK_ROWS blank lines alone while no attendance is recorded, so it prints before the
    meeting. Six queries (meeting_get and the attendance)."""
    meeting = meeting_get(user, pk)
    present = _attendance(meeting)
    number = len(present)
    blanks = EXTRA_ROWS if number else BLANK_ROWS
    return DaftarHadir(meeting=meeting, heading=heading_of(meeting), groups=_groups(present),
                       blank_numbers=list(range(number + 1, number + blanks + 1)))
