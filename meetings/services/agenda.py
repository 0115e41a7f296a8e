"""The agenda: items by hand, and the seeding that carries over what is still open."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from coordination import policies as ground_policies
from coordination.choices import RiskLevel, RiskStatus, risk_level
from coordination.models import RiskAssessment, User
from kpu_polda.base import clock

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
