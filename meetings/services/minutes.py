"""Notulen: written by the notulis, approved by one representative of each party, then
locked; corrections after that are amendments with a reason. And the attendance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coordination import services as ground
from coordination.models import Agency, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, PermissionDenied
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import APPROVAL_KIND, MINUTES_DUE_KIND, MeetingStatus
from ..models import AgendaItem, Amendment, Attendance, Meeting, Minutes, MinutesEntry, Obstacle

MINUTES_TEXT_FIELDS = ("chair_name", "opening", "decisions", "closing")
APPROVAL_REMINDER_DAYS = (1, 3)


def _locked_minutes(actor: User, minutes: Minutes) -> Minutes:
    rows = Minutes.objects.select_for_update(of=("self",)).select_related("meeting", "meeting__organiser")
    return one_in_scope(rows.filter(meeting__in=policies.scope_meetings(Meeting.objects.all(), actor)),
                        _("Minutes"), pk=minutes.pk)


def _ensure_open(minutes: Minutes) -> None:
    if minutes.is_locked:
        raise Conflict(_("The minutes are approved and locked; correct them with an amendment."),
                       code="minutes_locked")


def minutes_start(*, actor: User, meeting: Meeting, chair_name: str = "") -> Minutes:
    """Open the minutes of a held meeting (its notulis or organisers), the agenda copied
    in as the discussion's topics. The notulis' "minutes are due" reminder is cancelled.
    Conflict (409) when the meeting was not held or already has minutes."""
    with transaction.atomic():
        locked = one_in_scope(policies.scope_meetings(Meeting.objects.select_for_update(of=("self",)), actor),
                              _("Meeting"), pk=meeting.pk)
        policies.ensure_can_write_minutes(actor, locked)
        if locked.status != MeetingStatus.HELD:
            raise Conflict(_("Minutes are written for a meeting that was held."), code="not_held")
        if Minutes.objects.filter(meeting=locked).exists():
            raise Conflict(_("This meeting already has its minutes."), code="minutes_exist")
        chair = chair_name.strip() or (locked.chair.get_full_name() if locked.chair else "")
        minutes = Minutes(meeting=locked, chair_name=chair or "-", notulis=locked.notulis or actor,
                          area_code=locked.area_code)
        minutes._history_user = actor
        minutes.save()
        agenda = AgendaItem.objects.filter(meeting=locked).order_by("position", "id")
        for position, item in enumerate(agenda, start=1):
            entry = MinutesEntry(minutes=minutes, agenda_item=item, position=position, topic=item.title,
                                 speaker=item.presenter, discussion="")
            entry._history_user = actor
            entry.save()
        ground.notifications_cancel(target=locked, kinds=[MINUTES_DUE_KIND])
    return minutes


def minutes_update(*, actor: User, minutes: Minutes, entries: Iterable[Mapping[str, Any]] | None = None,
                   obstacles: Iterable[Mapping[str, Any]] | None = None, **changes) -> Minutes:
    """Edit minutes not yet locked: the chair, opening, decisions, closing, and (when
    given) the whole list of discussions (topic, speaker, discussion) and of obstacles
    (description, proposed solution). An approval already given is withdrawn: it was for
    another text. Conflict (409 minutes_locked) once both approved."""
    unknown = set(changes) - set(MINUTES_TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Not editable here.")] for name in sorted(unknown)})
    with transaction.atomic():
        locked = _locked_minutes(actor, minutes)
        policies.ensure_can_write_minutes(actor, locked.meeting)
        _ensure_open(locked)
        for name, value in changes.items():
            setattr(locked, name, (value or "").strip())
        if not locked.chair_name:
            raise ValidationError({"chair_name": [_("Name the chair of the meeting.")]})
        locked.kpu_approved_by = locked.police_approved_by = None
        locked.kpu_approved_at = locked.police_approved_at = None
        locked.full_clean(exclude=["area_code"])
        locked._history_user = actor
        locked.save()
        if entries is not None:
            _replace(actor, locked, MinutesEntry, [
                {"position": position, "topic": (row.get("topic") or "").strip(),
                 "speaker": (row.get("speaker") or "").strip(), "discussion": (row.get("discussion") or "").strip(),
                 "agenda_item_id": row.get("agenda_item")}
                for position, row in enumerate(entries, start=1)], "entries", ("topic", "discussion"))
        if obstacles is not None:
            _replace(actor, locked, Obstacle, [
                {"description": (row.get("description") or "").strip(),
                 "proposed_solution": (row.get("proposed_solution") or "").strip()} for row in obstacles],
                "obstacles", ("description", "proposed_solution"))
    return locked


def _replace(actor: User, minutes: Minutes, model, rows: list[dict], field: str, required: tuple[str, ...]) -> None:
    errors = {f"{field}[{index}].{name}": [_("This field is required.")]
              for index, row in enumerate(rows) for name in required if not row[name]}
    if errors:
        raise ValidationError(errors)
    present = model.objects.filter(minutes=minutes)
    stays: set[tuple] = set()
    if model is Obstacle:
        # An obstacle a follow-up stands on stays; sent again as it is, it is not doubled.
        standing = present.filter(action_items__isnull=False).distinct()
        stays = {(row.description, row.proposed_solution) for row in standing}
        present = present.filter(action_items__isnull=True)
    for row in present:
        row._history_user = actor
        row.delete()
    for values in rows:
        if model is Obstacle and (values["description"], values["proposed_solution"]) in stays:
            continue
        row = model(minutes=minutes, **values)
        row._history_user = actor
        row.save()


def minutes_submit(*, actor: User, minutes: Minutes) -> Minutes:
    """The notulis hands the minutes to the approvers: each party's approvers are
    reminded after APPROVAL_REMINDER_DAYS while their approval is pending."""
    with transaction.atomic():
        locked = _locked_minutes(actor, minutes)
        policies.ensure_can_write_minutes(actor, locked.meeting)
        _ensure_open(locked)
        if not locked.decisions.strip():
            raise ValidationError({"decisions": [_("Write the decisions before asking for approval.")]})
        locked.submitted_at = clock.now()
        locked._history_user = actor
        locked.save(update_fields=["submitted_at", "updated_at"])
        _plan_approval_reminders(locked)
    return locked


def approvers_of(meeting: Meeting) -> dict[str, list[User]]:
    """Who may approve for each party: the acting staff of the KPU and Polri agencies
    that organise the meeting or are invited. Two queries."""
    invited = set(meeting.invitations.values_list("agency_id", flat=True))
    agencies = {meeting.organiser_id, meeting.co_organiser_id, *invited} - {None}
    sides: dict[str, list[User]] = {policies.KPU_SIDE: [], policies.POLICE_SIDE: []}
    for user in (User.objects.filter(agency_id__in=agencies, role__in=policies.ACTING_ROLES, is_active=True)
                 .select_related("agency").order_by("pk")):
        side = policies.approval_side(user, meeting, invited)
        if side:
            sides[side].append(user)
    return sides


def _approval_message(context) -> tuple[str, str]:
    subject = _("Minutes waiting for your approval: %(title)s") % context
    body = _("The minutes of %(title)s were submitted for approval; one representative of KPU and one of the "
             "police approve them, and they are locked once both have.") % context
    return subject, body


def _plan_approval_reminders(minutes: Minutes) -> None:
    meeting = minutes.meeting
    url = reverse("meetings:minutes", args=[meeting.pk])
    items = []
    for side, people in approvers_of(meeting).items():
        for days in APPROVAL_REMINDER_DAYS:
            due = minutes.submitted_at + timedelta(days=days)
            key = f"minutes:{minutes.pk}:approve:{side}:{days}"
            items += [ground.Outgoing(recipient=user, dedupe_key=f"{key}:{user.pk}", target=meeting, url=url,
                                      due_at=due, context={"title": meeting.title}) for user in people]
    ground.notification_enqueue_many(kind=APPROVAL_KIND, template=_approval_message, items=items)


def minutes_approve(*, actor: User, minutes: Minutes) -> Minutes:
    """Approve the minutes for the actor's party (KPU or the police). Once both have, the
    minutes are locked and the approval reminders cancelled. Conflict (409
    already_approved) when the party already approved; PermissionDenied for anyone who
    does not approve for either party."""
    with transaction.atomic():
        locked = _locked_minutes(actor, minutes)
        _ensure_open(locked)
        invited = set(locked.meeting.invitations.values_list("agency_id", flat=True))
        side = policies.approval_side(actor, locked.meeting, invited)
        if side is None:
            raise PermissionDenied(_("Minutes are approved by a representative of KPU and one of the police."))
        if locked.submitted_at is None:
            raise Conflict(_("The notulis has not submitted the minutes yet."), code="not_submitted")
        now = clock.now()
        if getattr(locked, f"{side}_approved_at") is not None:
            raise Conflict(_("Your party has already approved these minutes."), code="already_approved")
        setattr(locked, f"{side}_approved_by", actor)
        setattr(locked, f"{side}_approved_at", now)
        if locked.kpu_approved_at and locked.police_approved_at:
            locked.locked_at = now
        locked._history_user = actor
        locked.save()
        # The party has approved: its reminders stop (all of them once locked).
        ground.notifications_cancel(target=locked.meeting, kinds=[APPROVAL_KIND],
                                    key_prefix=None if locked.locked_at else f"minutes:{locked.pk}:approve:{side}:")
    return locked


def minutes_amend(*, actor: User, minutes: Minutes, reason: str, **changes) -> list[Amendment]:
    """Correct locked minutes: each changed part is recorded as an Amendment (before,
    after, reason, who, when) and in the history. Minutes not yet locked are edited
    instead (Conflict, 409 minutes_open)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the amendment.")]})
    unknown = set(changes) - set(MINUTES_TEXT_FIELDS)
    if unknown or not changes:
        raise ValidationError({name: [_("Not editable here.")] for name in sorted(unknown)} or
                              {"changes": [_("Say what to correct.")]})
    with transaction.atomic():
        locked = _locked_minutes(actor, minutes)
        policies.ensure_can_write_minutes(actor, locked.meeting)
        if not locked.is_locked:
            raise Conflict(_("The minutes are not locked yet: edit them instead."), code="minutes_open")
        now = clock.now()
        made = []
        for name, value in changes.items():
            value = (value or "").strip()
            before = getattr(locked, name)
            if value == before:
                continue
            setattr(locked, name, value)
            amendment = Amendment(minutes=locked, field=name, before=before, after=value, reason=reason.strip(),
                                  made_by=actor, made_at=now)
            amendment._history_user = actor
            amendment.save()
            made.append(amendment)
        if not made:
            raise ValidationError({"changes": [_("Nothing differs from the minutes as they are.")]})
        locked._history_user = actor
        locked._change_reason = reason.strip()[:100]
        locked.save()
    return made


def _pk(value):
    return getattr(value, "pk", value)


def attendance_record(*, actor: User, meeting: Meeting, rows: Iterable[Mapping[str, Any]]) -> list[Attendance]:
    """Replace the meeting's attendance (its notulis or organisers, once it has started):
    each row an agency and a person of the system or a written-in name, with a position
    and whether they were present."""
    rows = list(rows)
    with transaction.atomic():
        locked = one_in_scope(policies.scope_meetings(Meeting.objects.select_for_update(of=("self",)), actor),
                              _("Meeting"), pk=meeting.pk)
        policies.ensure_can_write_minutes(actor, locked)
        if locked.starts_at > clock.now():
            raise Conflict(_("Attendance is taken once the meeting has started."), code="not_started")
        agencies = Agency.objects.in_bulk({_pk(row.get("agency")) for row in rows} - {None})
        people = User.objects.in_bulk({_pk(row.get("person")) for row in rows} - {None})
        made, errors = [], {}
        for index, row in enumerate(rows):
            agency, person = agencies.get(_pk(row.get("agency"))), people.get(_pk(row.get("person")))
            name = (row.get("name") or (person.get_full_name() or person.username if person else "")).strip()
            if agency is None:
                errors[f"rows[{index}].agency"] = [_("Choose the agency.")]
            if not name:
                errors[f"rows[{index}].name"] = [_("Give the name.")]
            if person is not None and agency is not None and person.agency_id != agency.pk:
                errors[f"rows[{index}].person"] = [_("The person works for another agency.")]
            made.append(Attendance(meeting=locked, agency=agency, person=person, name=name,
                                   position=(row.get("position") or "").strip(), present=row.get("present", True)))
        keys = [(a.agency_id, a.name) for a in made]
        people_listed = [a.person_id for a in made if a.person_id is not None]
        if len(set(keys)) != len(keys) or len(set(people_listed)) != len(people_listed):
            errors["rows"] = [_("Each person is listed once.")]
        if errors:
            raise ValidationError(errors)
        for old in Attendance.objects.filter(meeting=locked):
            old._history_user = actor
            old.delete()
        for row in made:
            row._history_user = actor
            row.save()
    return made
