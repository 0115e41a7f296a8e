"""Follow-ups: agreed at a meeting, moved along their status, noted as they progress,
and reminded to their owners before and after the due date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import services as ground
from coordination.models import Agency, User
from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

from .. import policies
from ..choices import ACTION_DUE_KIND, ACTION_OVERDUE_KIND, ACTION_TRANSITIONS, OPEN_ACTION_STATUSES, ActionStatus
from ..models import ActionItem, ActionProgress, ActionStatusChange, Meeting, Obstacle
from . import agenda

ACTION_WORKFLOW = Workflow(
    model=ActionItem, table=ACTION_TRANSITIONS, change_model=ActionStatusChange, subject_field="action",
    what=gettext_lazy("follow-up"), labels=dict(ActionStatus.choices), lock_related=("meeting",),
    scope=policies.scope_action_items,
)
REMIND_DAYS_BEFORE = 3
REMIND_AT = time(9, 0)  # WITA: the start of the working day


def _at_nine(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, REMIND_AT), timezone.get_default_timezone())


def owners_of(action: ActionItem) -> list[User]:
    if action.owner_id is not None:
        return [action.owner] if action.owner.is_active else []
    return list(User.objects.filter(agency_id=action.owner_agency_id, role__in=policies.ACTING_ROLES,
                                    is_active=True).order_by("pk"))


def _message(context) -> tuple[str, str]:
    due = context["due_on"].strftime("%d-%m-%Y")
    if context["overdue"]:
        subject = _("Follow-up overdue: %(title)s (due %(due)s)") % {"title": context["title"], "due": due}
    else:
        subject = _("Follow-up due on %(due)s: %(title)s") % {"title": context["title"], "due": due}
    body = _("Follow-up agreed at %(meeting)s: %(title)s.\nOwner: %(agency)s. Due: %(due)s.") % {
        "meeting": context["meeting"], "title": context["title"], "agency": context["agency"], "due": due}
    return subject, body


def action_reminders_plan(action: ActionItem, now: datetime | None = None) -> int:
    """Plan the owner's reminders: REMIND_DAYS_BEFORE days before the due date and the day
    after it, at 09:00 WITA, each once (keyed by the due date, so a new date plans anew)."""
    now = now or clock.now()
    written = 0
    for kind, day, overdue in ((ACTION_DUE_KIND, action.due_on - timedelta(days=REMIND_DAYS_BEFORE), False),
                               (ACTION_OVERDUE_KIND, action.due_on + timedelta(days=1), True)):
        due = _at_nine(day)
        if due <= now and not overdue:
            continue
        context = {"title": action.title, "due_on": action.due_on, "overdue": overdue,
                   "meeting": action.meeting.title, "agency": action.owner_agency.name}
        items = [ground.Outgoing(recipient=user, dedupe_key=f"action:{action.pk}:{kind}:{action.due_on}:{user.pk}",
                                 target=action, url=reverse("meetings:meeting-detail", args=[action.meeting_id]),
                                 due_at=max(due, now), context=context) for user in owners_of(action)]
        written += ground.notification_enqueue_many(kind=kind, template=_message, items=items)
    return written


def action_item_create(*, actor: User, meeting: Meeting, title: str, owner_agency: Agency, due_on: date,
                       owner: User | None = None, description: str = "",
                       obstacle: Obstacle | None = None) -> ActionItem:
    """Record a follow-up agreed at ``meeting`` (its organisers), optionally the answer to
    an ``obstacle`` of its minutes, plan its owner's reminders, and put it on the agenda
    of the series' next meeting, in one transaction."""
    policies.ensure_can_organise(actor, meeting)
    errors = {}
    if owner is not None and owner.agency_id != owner_agency.pk:
        errors["owner"] = [_("The person in charge works for the owner agency.")]
    if obstacle is not None and obstacle.minutes.meeting_id != meeting.pk:
        errors["obstacle"] = [_("Choose an obstacle of this meeting's minutes.")]
    if not title.strip():
        errors["title"] = [_("Say what is to be done.")]
    if errors:
        raise ValidationError(errors)
    action = ActionItem(meeting=meeting, title=title.strip(), description=description, owner_agency=owner_agency,
                        owner=owner, due_on=due_on, obstacle=obstacle, area_code=meeting.area_code)
    action.full_clean(exclude=["area_code"])
    with transaction.atomic():
        action._history_user = actor
        action.save()
        action_reminders_plan(action)
        if meeting.series_id is not None:
            following = agenda.next_meeting_of(meeting.series)
            if following is not None and following.pk != meeting.pk:
                agenda.agenda_seed(meeting=following, actor=actor)
    return action


def action_item_move(*, actor: User, action: ActionItem, to_status: str, reason: str = "") -> ActionItem:
    """Move a follow-up (open, in progress, done, dropped with a reason). Closing it
    cancels its pending reminders and takes it off the agendas still to come."""
    if to_status == ActionStatus.DROPPED and not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for dropping it.")]})
    closing = to_status not in OPEN_ACTION_STATUSES
    changes = {"closed_at": clock.now() if closing else None}
    with transaction.atomic():
        moved = transition(ACTION_WORKFLOW, action, actor=actor, to_status=to_status, reason=reason,
                           changes=changes, check=lambda row: policies.ensure_can_move_action(actor, row))
        if closing:
            ground.notifications_cancel(target=moved, kinds=[ACTION_DUE_KIND, ACTION_OVERDUE_KIND])
            agenda.agenda_drop_closed(moved)
        else:
            action_reminders_plan(moved)
    return moved


def action_progress_add(*, actor: User, action: ActionItem, note: str) -> ActionProgress:
    """A dated progress note on a follow-up (those who may move it)."""
    if not note.strip():
        raise ValidationError({"note": [_("Write the progress.")]})
    with transaction.atomic():
        rows = ActionItem.objects.select_for_update(of=("self",)).select_related("meeting")
        row = one_in_scope(policies.scope_action_items(rows, actor), ACTION_WORKFLOW.what, pk=action.pk)
        policies.ensure_can_move_action(actor, row)
        progress = ActionProgress(action=row, author=actor, written_at=clock.now(), note=note.strip())
        progress._history_user = actor
        progress.save()
    return progress

