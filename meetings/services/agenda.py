"""The agenda: items by hand, and the seeding that carries over what is still open."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coordination import policies as ground_policies
from coordination.choices import RiskLevel, RiskStatus, risk_level
from coordination.models import RiskAssessment, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, OutOfScope
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import OPEN_ACTION_STATUSES, UPCOMING_STATUSES, AgendaSource, MeetingStatus
from ..models import ActionItem, AgendaItem, Meeting, MeetingSeries


def next_meeting_of(series: MeetingSeries, now: datetime | None = None) -> Meeting | None:
    """The series' next meeting still to come."""
    now = now or clock.now()
    return (series.meetings.filter(status__in=UPCOMING_STATUSES, starts_at__gte=now)
            .order_by("starts_at", "id").first())


def _changed_risks(meeting: Meeting, since: datetime | None) -> list[RiskAssessment]:
    """Open risks in the meeting's region whose level differs from what it was at ``since``
    (the previous meeting of the series), or created since then with a level above low."""
    if since is None:
        return []
    open_risks = ground_policies.code_in_scope_q("region__code", meeting.area_code)
    changed = {}
    history = RiskAssessment.history.filter(history_date__gt=since).values_list("id", flat=True).distinct()
    risks = list(RiskAssessment.objects.filter(open_risks, pk__in=history).exclude(status=RiskStatus.CLOSED)
                 .select_related("region").order_by("-score", "id"))
    if not risks:
        return []
    before = {}
    for row in (RiskAssessment.history.filter(id__in=[risk.pk for risk in risks], history_date__lte=since)
                .order_by("id", "-history_date")):
        before.setdefault(row.id, row)
    for risk in risks:
        earlier = before.get(risk.pk)
        old = risk_level(earlier.likelihood * earlier.impact) if earlier is not None else None
        if old != risk.level and not (old is None and risk.level == RiskLevel.LOW):
            changed[risk.pk] = (risk, old)
    return [risk for risk, _old in changed.values()]


def agenda_seed(*, meeting: Meeting, actor: User) -> int:
    """Carry onto ``meeting`` the open follow-ups of earlier meetings of its series, and
    the risks of its region whose level changed since the previous meeting, each linked to
    its source and after the items already there. Idempotent (each source once per
    meeting). Returns the items added."""
    if meeting.series_id is None:
        return 0
    earlier = (Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
               .exclude(status=MeetingStatus.CANCELLED))
    previous = earlier.order_by("-starts_at").values_list("starts_at", flat=True).first()
    present = AgendaItem.objects.filter(meeting=meeting)
    have_actions = set(present.exclude(action_item=None).values_list("action_item_id", flat=True))
    have_risks = set(present.exclude(risk=None).values_list("risk_id", flat=True))
    position = (present.aggregate(last=Max("position"))["last"] or 0) + 1
    rows = []
    actions = (ActionItem.objects.filter(meeting__in=earlier, status__in=OPEN_ACTION_STATUSES)
               .select_related("owner_agency").order_by("due_on", "id"))
    for action in actions:
        if action.pk in have_actions:
            continue
        rows.append(AgendaItem(meeting=meeting, position=position + len(rows), source=AgendaSource.ACTION_ITEM,
                               action_item=action, title=action.title, presenter=action.owner_agency.short_name
                               or action.owner_agency.name))
    for risk in _changed_risks(meeting, previous):
        if risk.pk in have_risks:
            continue
        rows.append(AgendaItem(meeting=meeting, position=position + len(rows), source=AgendaSource.RISK, risk=risk,
                               title=f"{risk.title} ({risk.region.name})"))
    for row in rows:
        row._history_user = actor
        row.save()
    return len(rows)


def agenda_drop_closed(action: ActionItem) -> int:
    """A follow-up closed: it leaves the agendas of the meetings still to come."""
    rows = AgendaItem.objects.filter(action_item=action, meeting__status__in=UPCOMING_STATUSES)
    count = 0
    for row in rows:
        row.delete()
        count += 1
    return count


def _locked_meeting(actor: User, meeting: Meeting) -> Meeting:
    rows = Meeting.objects.select_for_update(of=("self",))
    locked = one_in_scope(policies.scope_meetings(rows, actor), _("Meeting"), pk=meeting.pk)
    policies.ensure_can_organise(actor, locked)
    if locked.status not in UPCOMING_STATUSES and locked.status != MeetingStatus.HELD:
        raise Conflict(_("The agenda of a cancelled meeting is closed."), code="meeting_cancelled")
    return locked


def agenda_item_add(*, actor: User, meeting: Meeting, title: str, duration_minutes: int | None = None,
                    presenter: str = "", parent: AgendaItem | None = None) -> AgendaItem:
    """Add an item at the end of the agenda, or of ``parent``'s sub-items (one level of
    nesting below a top item), by the meeting's organisers."""
    if not title.strip():
        raise ValidationError({"title": [_("Name the agenda item.")]})
    with transaction.atomic():
        locked = _locked_meeting(actor, meeting)
        if parent is not None and (parent.meeting_id != locked.pk or parent.parent_id is not None):
            raise ValidationError({"parent": [_("Put it under a main item of this meeting's agenda.")]})
        siblings = AgendaItem.objects.filter(meeting=locked, parent=parent)
        item = AgendaItem(meeting=locked, parent=parent, title=title.strip(), presenter=presenter.strip(),
                          duration_minutes=duration_minutes,
                          position=(siblings.aggregate(last=Max("position"))["last"] or 0) + 1)
        item.full_clean()
        item._history_user = actor
        item.save()
    return item


def agenda_item_move(*, actor: User, item: AgendaItem, step: int) -> AgendaItem:
    """Move an item one place up (``step`` -1) or down (+1) among its siblings."""
    if step not in (-1, 1):
        raise ValidationError({"step": [_("Move one place up or down.")]})
    with transaction.atomic():
        _locked_meeting(actor, item.meeting)
        siblings = list(AgendaItem.objects.filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
                        .order_by("position", "id"))
        index = next((i for i, row in enumerate(siblings) if row.pk == item.pk), None)
        if index is None:
            raise OutOfScope(_("Agenda item not found."))
        other = index + step
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, row in enumerate(siblings, start=1):
            if row.position != position:
                row.position = position
                row._history_user = actor
                row.save(update_fields=["position", "updated_at"])
    return next(row for row in siblings if row.pk == item.pk)


def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    """Take an item (and its sub-items) off the agenda."""
    with transaction.atomic():
        _locked_meeting(actor, item.meeting)
        for row in [*item.children.all(), item]:
            row._history_user = actor
            row.delete()
