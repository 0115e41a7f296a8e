"""Series and meetings: the recurrence, scheduling, moving, cancelling, holding."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil import rrule as rfc5545
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import selectors as ground_selectors
from coordination import services as ground
from coordination.choices import ClauseCategory
from coordination.models import Agency, Clause, ElectionStage, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

from .. import policies
from ..choices import (
    DEFAULT_REMINDER_OFFSETS,
    MAX_REMINDER_OFFSET,
    MAX_REMINDER_OFFSETS,
    MEETING_TRANSITIONS,
    UPCOMING_STATUSES,
    MeetingKind,
    MeetingStatus,
)
from ..models import Invitation, Meeting, MeetingSeries, MeetingStatusChange
from . import agenda, reminders

MEETING_WORKFLOW = Workflow(
    model=Meeting, table=MEETING_TRANSITIONS, change_model=MeetingStatusChange, subject_field="meeting",
    what=gettext_lazy("meeting"), labels=dict(MeetingStatus.choices), lock_related=("organiser", "area"),
    scope=policies.scope_meetings,
)
# A series may plan at most this many meetings in all: a monthly meeting for ten years.
MAX_OCCURRENCES = 120
MAX_HORIZON_DAYS = 366
MEETING_MAX_HOURS = 24


def recurrence(rule: str, first_start: datetime, until: date | None = None) -> list[datetime]:
    """Every start ``rule`` (RFC 5545 RRULE, without the ``RRULE:`` prefix or with it)
    gives from ``first_start``, in WITA wall time, up to ``until`` when given.

    ValidationError on ``rrule`` for a rule that does not parse, never ends (no COUNT or
    UNTIL and no ``until``), makes no meeting, or more than MAX_OCCURRENCES: the rule is
    walked at most one step past the limit, so an hourly rule costs nothing to refuse."""
    text = rule.strip()
    text = text[6:] if text.upper().startswith("RRULE:") else text
    upper = text.upper()
    if "COUNT=" in upper and "UNTIL=" in upper:  # RFC 5545: they MUST NOT occur together
        raise ValidationError({"rrule": [_("Give COUNT or UNTIL, not both.")]})
    zone = timezone.get_default_timezone()
    local_start = timezone.localtime(first_start, zone)
    # dateutil wants UNTIL in UTC ("...Z") with a zoned start and a floating one with a
    # floating start; both forms are RFC 5545, so the start follows the rule's form.
    if not re.search(r"UNTIL=\d{8}T\d{6}Z", upper):
        local_start = local_start.replace(tzinfo=None)
    try:
        parsed = rfc5545.rrulestr(text, dtstart=local_start, forceset=False)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ValidationError({"rrule": [_("Not a recurrence rule (RFC 5545): %(error)s") % {"error": exc}]}) from exc
    if not isinstance(parsed, rfc5545.rrule) or "\n" in text:
        raise ValidationError({"rrule": [_("Give one RRULE line.")]})
    if parsed._count is None and parsed._until is None and until is None:
        raise ValidationError({"rrule": [_("The rule never ends: give COUNT or UNTIL, or a last date.")]})
    starts = []
    try:
        for moment in itertools.islice(parsed, MAX_OCCURRENCES + 1):
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
            if until is not None and moment.date() > until:
                break
            starts.append(moment)
    except (ValueError, IndexError, OverflowError) as exc:
        # dateutil checks some parts only while stepping (BYSECOND=70, BYDAY=+60MO).
        raise ValidationError({"rrule": [_("Not a recurrence rule (RFC 5545): %(error)s") % {"error": exc}]}) from exc
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError({"rrule": [_("The rule makes more than %(count)s meetings; shorten it.")
                                         % {"count": MAX_OCCURRENCES}]})
    if not starts:
        raise ValidationError({"rrule": [_("The rule makes no meeting.")]})
    return starts


def reminder_offsets_check(offsets: Iterable | None) -> list[int]:
    """The offsets in minutes, largest first; ValidationError on ``reminder_offsets``."""
    if offsets is None:
        return list(DEFAULT_REMINDER_OFFSETS)
    try:
        values = sorted({int(value) for value in offsets}, reverse=True)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"reminder_offsets": [_("Give minutes before the meeting, as whole numbers.")]}) from exc
    if len(values) > MAX_REMINDER_OFFSETS or any(value < 5 or value > MAX_REMINDER_OFFSET for value in values):
        raise ValidationError({"reminder_offsets": [
            _("At most %(count)s reminders, each 5 minutes to 30 days before.") % {"count": MAX_REMINDER_OFFSETS}]})
    return values


def meeting_times_check(starts_at: datetime | None, ends_at: datetime | None) -> None:
    """ValidationError (on ends_at) for an end not after the start, or a meeting over a day."""
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The meeting must end after it starts.")]})
    if ends_at - starts_at > timedelta(hours=MEETING_MAX_HOURS):
        raise ValidationError({"ends_at": [_("A meeting lasts at most %(hours)s hours.")
                                           % {"hours": MEETING_MAX_HOURS}]})


def meeting_clause_default(organiser: Agency) -> Clause | None:
    """The routine-meeting clause of the agreement binding the organiser's region."""
    if organiser.jurisdiction_id is None:
        return None
    return ground_selectors.clause_in_force(organiser.jurisdiction, ClauseCategory.EVALUATION_MEETINGS)


def _meeting(*, actor: User, title: str, kind: str, starts_at: datetime, ends_at: datetime, organiser: Agency,
             co_organiser: Agency | None, place: str, online_link: str, description: str = "",
             clause: Clause | None = None, reminder_offsets: list[int] | None = None,
             series: MeetingSeries | None = None, occurrence: datetime | None = None,
             chair: User | None = None, notulis: User | None = None) -> Meeting:
    meeting = Meeting(
        title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, organiser=organiser, co_organiser=co_organiser,
        place=place, online_link=online_link, description=description, series=series, occurrence=occurrence,
        area=organiser.jurisdiction, chair=chair, notulis=notulis, reminder_offsets=reminder_offsets or [],
        clause=clause if clause is not None else meeting_clause_default(organiser),
    )
    meeting_times_check(starts_at, ends_at)
    if not place.strip() and not online_link.strip():
        raise ValidationError({"place": [_("Say where the meeting is held, or give its online link.")]})
    meeting.full_clean(exclude=["area_code"], validate_constraints=False)
    meeting._history_user = actor
    meeting.save()
    ground.clause_evidence_sync(source=meeting, actor=actor)
    return meeting


def _invite(actor: User, meeting: Meeting, agencies: Iterable[Agency], people: Iterable[User]) -> None:
    rows = [Invitation(meeting=meeting, agency=agency) for agency in dict.fromkeys(agencies)]
    rows += [Invitation(meeting=meeting, agency=person.agency, person=person) for person in dict.fromkeys(people)
             if person.agency_id is not None]
    for row in rows:
        row._history_user = actor
        row.save()


def meeting_create(*, actor: User, title: str, starts_at: datetime, ends_at: datetime, organiser: Agency,
                   co_organiser: Agency | None = None, kind: str = MeetingKind.COORDINATION, place: str = "",
                   online_link: str = "", description: str = "", stages: Iterable[ElectionStage] = (),
                   clause: Clause | None = None, reminder_offsets: Iterable[int] | None = None,
                   invited_agencies: Iterable[Agency] = (), invited_people: Iterable[User] = (),
                   chair: User | None = None, notulis: User | None = None) -> Meeting:
    """Schedule a one-off meeting, invite agencies and named people, and plan every
    invitee's reminders (at ``reminder_offsets`` minutes before, default 3 days, 1 day and
    2 hours) on the outbox, in one transaction.

    The actor's agency organises or co-organises it, in their scope (PermissionDenied,
    OutOfScope). ValidationError with field errors for bad input, nothing saved.
    """
    policies.ensure_can_create(actor, organiser, co_organiser)
    offsets = reminder_offsets_check(reminder_offsets)
    with transaction.atomic():
        meeting = _meeting(actor=actor, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at,
                           organiser=organiser, co_organiser=co_organiser, place=place, online_link=online_link,
                           description=description, clause=clause, reminder_offsets=offsets, chair=chair,
                           notulis=notulis)
        meeting.stages.set(stages)
        _invite(actor, meeting, invited_agencies, invited_people)
        reminders.meeting_reminders_plan(meeting)
    return meeting


def series_create(*, actor: User, title: str, rrule: str, first_start: datetime, organiser: Agency,
                  co_organiser: Agency | None = None, kind: str = MeetingKind.EVALUATION,
                  duration_minutes: int = 120, place: str = "", online_link: str = "", until: date | None = None,
                  reminder_offsets: Iterable[int] | None = None, horizon_days: int = 92,
                  invited_agencies: Iterable[Agency] = ()) -> MeetingSeries:
    """Create a recurring series and its meetings up to ``horizon_days`` ahead (each with
    the series' invitations and planned reminders; the first upcoming one with its agenda
    seeded), in one transaction. Later meetings are created as the horizon moves on
    (``series_extend``, daily).

    The rule is checked first (see ``recurrence``): a rule that never ends or makes more
    than MAX_OCCURRENCES meetings is refused. ValidationError with field errors for bad
    input, PermissionDenied / OutOfScope as for ``meeting_create``; nothing saved.
    """
    policies.ensure_can_create(actor, organiser, co_organiser)
    offsets = reminder_offsets_check(reminder_offsets)
    recurrence(rrule, first_start, until)
    if not 1 <= int(horizon_days) <= MAX_HORIZON_DAYS:
        raise ValidationError({"horizon_days": [_("Between 1 and %(days)s days.") % {"days": MAX_HORIZON_DAYS}]})
    if not 1 <= int(duration_minutes) <= MEETING_MAX_HOURS * 60:
        raise ValidationError({"duration_minutes": [_("A meeting lasts at most %(hours)s hours.")
                                                    % {"hours": MEETING_MAX_HOURS}]})
    if not place.strip() and not online_link.strip():
        raise ValidationError({"place": [_("Say where the meeting is held, or give its online link.")]})
    series = MeetingSeries(
        title=title, kind=kind, rrule=rrule.strip(), first_start=first_start, until=until,
        duration_minutes=duration_minutes, place=place, online_link=online_link, organiser=organiser,
        co_organiser=co_organiser, area_code=organiser.jurisdiction.code, reminder_offsets=offsets,
        horizon_days=horizon_days, created_by=actor,
    )
    series.full_clean(exclude=["area_code"])
    with transaction.atomic():
        series._history_user = actor
        series.save()
        series.invited_agencies.set(list(invited_agencies))
        series_extend(series=series, actor=actor)
    return series


def series_extend(*, series: MeetingSeries, actor: User | None = None, now: datetime | None = None) -> list[Meeting]:
    """Create the meetings of ``series`` that start between now and its horizon and do
    not exist yet (an occurrence is created once, even if it was moved since). Idempotent:
    a second run, a retried task or a doubled beat creates nothing. Returns the new ones."""
    now = now or clock.now()
    if not series.active:
        return []
    actor = actor or series.created_by
    horizon = now + timedelta(days=series.horizon_days)
    starts = [start for start in recurrence(series.rrule, series.first_start, series.until)
              if now <= start <= horizon]
    if not starts:
        return []
    created = []
    with transaction.atomic():
        MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()  # one extender at a time
        existing = set(series.meetings.filter(occurrence__in=starts).values_list("occurrence", flat=True))
        agencies = list(series.invited_agencies.all())
        for start in starts:
            if start in existing:
                continue
            meeting = _meeting(actor=actor, title=series.title, kind=series.kind, starts_at=start,
                               ends_at=start + timedelta(minutes=series.duration_minutes), organiser=series.organiser,
                               co_organiser=series.co_organiser, place=series.place,
                               online_link=series.online_link, reminder_offsets=series.reminder_offsets,
                               series=series, occurrence=start)
            _invite(actor, meeting, agencies, ())
            reminders.meeting_reminders_plan(meeting)
            created.append(meeting)
        if created:
            agenda.agenda_seed(meeting=agenda.next_meeting_of(series, now) or created[0], actor=actor)
    return created


MEETING_EDITABLE = ("title", "kind", "place", "online_link", "description", "chair", "notulis", "co_organiser",
                    "clause", "reminder_offsets")


def meeting_update(*, actor: User, meeting: Meeting, stages: Iterable[ElectionStage] | None = None,
                   **changes) -> Meeting:
    """Edit a meeting still to come (its organisers): what, where, who chairs and takes
    the minutes, the reminders. Its time moves with ``meeting_postpone``. Reminders are
    planned for what changed (new offsets, a new notulis); those already planned stay."""
    unknown = set(changes) - set(MEETING_EDITABLE)
    if unknown:
        raise ValidationError({name: [_("Not editable here.")] for name in sorted(unknown)})
    if "reminder_offsets" in changes:
        changes["reminder_offsets"] = reminder_offsets_check(changes["reminder_offsets"])
    with transaction.atomic():
        locked = one_in_scope(policies.scope_meetings(Meeting.objects.select_for_update(of=("self",)), actor),
                              MEETING_WORKFLOW.what, pk=meeting.pk)
        policies.ensure_can_organise(actor, locked)
        if locked.status not in UPCOMING_STATUSES:
            raise Conflict(_("Only a meeting still to come is edited."), code="meeting_over")
        for name, value in changes.items():
            setattr(locked, name, value)
        if not locked.place.strip() and not locked.online_link.strip():
            raise ValidationError({"place": [_("Say where the meeting is held, or give its online link.")]})
        locked.full_clean(exclude=["area_code"], validate_constraints=False)
        locked._history_user = actor
        locked.save()
        if stages is not None:
            locked.stages.set(stages)
        reminders.meeting_reminders_plan(locked)
        ground.clause_evidence_sync(source=locked, actor=actor)
    return locked


def _locked_move(actor: User, meeting: Meeting, to_status: str, *, reason: str = "", changes=None, rules=None):
    return transition(MEETING_WORKFLOW, meeting, actor=actor, to_status=to_status, reason=reason,
                      changes=changes or {}, check=lambda row: policies.ensure_can_organise(actor, row), rules=rules)


def meeting_postpone(*, actor: User, meeting: Meeting, starts_at: datetime, ends_at: datetime,
                     reason: str) -> Meeting:
    """Move a meeting still to come to a new time, with a reason: its pending reminders
    are cancelled and planned anew for the new time, and the invitees are told."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    meeting_times_check(starts_at, ends_at)
    if starts_at <= clock.now():
        raise ValidationError({"starts_at": [_("The new time must be in the future.")]})
    with transaction.atomic():
        # The version is read under the row lock the move then takes again (within this
        # transaction), so two postponements at once number their reminders apart.
        locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("schedule_version", flat=True)
        version = next(iter(locked), 0) + 1
        moved = _locked_move(actor, meeting, MeetingStatus.POSTPONED, reason=reason,
                             changes={"starts_at": starts_at, "ends_at": ends_at, "schedule_version": version})
        reminders.meeting_reminders_replan(moved, reason=reason)
        ground.clause_evidence_sync(source=moved, actor=actor)
    return moved


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting still to come, with a reason: its pending reminders are cancelled
    and the invitees are told (with the cancelled .ics, so calendars drop it)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    with transaction.atomic():
        cancelled = _locked_move(actor, meeting, MeetingStatus.CANCELLED, reason=reason)
        reminders.meeting_reminders_cancel(cancelled, reason=reason)
    return cancelled


def meeting_hold(*, actor: User, meeting: Meeting) -> Meeting:
    """Record that the meeting took place (once it has started): it counts for the
    routine-meeting clause, and the next meeting of its series gets the open follow-ups."""
    now = clock.now()

    def rules(locked: Meeting, from_status: str) -> None:
        if locked.starts_at > now:
            raise Conflict(_("A meeting is marked held once it has started."), code="not_started")

    with transaction.atomic():
        held = _locked_move(actor, meeting, MeetingStatus.HELD, changes={"held_at": now}, rules=rules)
        ground.clause_evidence_sync(source=held, actor=actor)
        if held.series_id is not None:
            following = agenda.next_meeting_of(held.series, now)
            if following is not None:
                agenda.agenda_seed(meeting=following, actor=actor)
    return held
