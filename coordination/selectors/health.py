"""Whether a clause's expectation is met today: the rule, on rows already fetched.

Kept free of queries so the agreement page can judge every clause from two fetches
(clauses with their evidence, and the stages) whatever the number of clauses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordination.choices import AgreementStatus, ExpectationKind, Health
from coordination.models.elections import top_stage_id


@dataclass(frozen=True)
class ClauseHealth:
    status: str
    reason: str
    changes_on: date | None = None
    # For a breach: the day the current breach episode began (the day after the missed due
    # date, the day the latest late request's deadline passed, the day after the latest
    # stage that ended short). A newly missed deadline starts a new episode with a later
    # date, so (clause, since) names one breach: the outbox notifies once per episode.
    since: date | None = None

    @property
    def label(self) -> str:
        return Health(self.status).label


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def evaluate(clause, evidence: list, stages: list, today: date, now: datetime) -> ClauseHealth:
    """Judge ``clause`` against its ``evidence`` on ``today``.

    ``stages`` are the top-level stages of the elections the agreement covers (only used by
    per-stage expectations). ``changes_on`` is the first day the verdict would change if
    nothing new is recorded.
    """
    agreement = clause.agreement
    if not clause.expectation_kind:
        return ClauseHealth(Health.NOT_MONITORED, _("This clause has no checkable expectation."))
    if (agreement.status != AgreementStatus.ACTIVE or today < agreement.term_start
            or (agreement.term_end is not None and today > agreement.term_end)):
        return ClauseHealth(Health.NOT_MONITORED, _("The agreement is not in force."))
    relevant = [e for e in evidence if e.kind == clause.evidence_kind]
    if clause.expectation_kind == ExpectationKind.EVERY_DAYS:
        return _every_days(clause, relevant, today)
    if clause.expectation_kind == ExpectationKind.WITHIN_HOURS:
        return _within_hours(clause, relevant, now)
    return _per_stage(clause, relevant, stages, today)


def _every_days(clause, evidence, today) -> ClauseHealth:
    days, needed = clause.expectation_value, clause.expectation_count
    dates = sorted((e.occurred_on for e in evidence if e.occurred_on <= today), reverse=True)
    # The needed-th most recent activity starts the clock; before enough activities exist
    # the clock runs from the start of the term.
    anchor = dates[needed - 1] if len(dates) >= needed else clause.agreement.term_start
    due = anchor + timedelta(days=days)
    warning = due - timedelta(days=max(1, days // 4))
    since = _("last on %(date)s") % {"date": _day(dates[0])} if dates else _("none recorded yet")
    if today > due:
        return ClauseHealth(
            Health.BREACHED, _("Overdue since %(due)s (%(since)s).") % {"due": _day(due), "since": since},
            since=due + timedelta(days=1),
        )
    if today >= warning:
        return ClauseHealth(
            Health.AT_RISK,
            _("Due by %(due)s (%(since)s).") % {"due": _day(due), "since": since},
            due + timedelta(days=1),
        )
    return ClauseHealth(Health.MET, _("Next due by %(due)s (%(since)s).") % {"due": _day(due), "since": since}, warning)


def _within_hours(clause, evidence, now) -> ClauseHealth:
    limit = timedelta(hours=clause.expectation_value)
    requests = [e for e in evidence if e.requested_at is not None]
    late = [e for e in requests if e.fulfilled_at is not None and e.fulfilled_at - e.requested_at > limit]
    waiting = [e for e in requests if e.fulfilled_at is None]
    overdue = [e for e in waiting if now - e.requested_at > limit]
    if late or overdue:
        count = len(late) + len(overdue)
        latest_deadline = max(e.requested_at for e in late + overdue) + limit
        return ClauseHealth(
            Health.BREACHED,
            ngettext(
                "%(count)d of %(total)d requests was not answered within %(hours)d hours.",
                "%(count)d of %(total)d requests were not answered within %(hours)d hours.",
                count,
            )
            % {"count": count, "total": len(requests), "hours": clause.expectation_value},
            since=timezone.localdate(latest_deadline),
        )
    if waiting:
        deadline = min(e.requested_at for e in waiting) + limit
        return ClauseHealth(
            Health.AT_RISK,
            _("%(count)d request(s) waiting; the first must be answered by %(at)s.")
            % {"count": len(waiting), "at": date_format(timezone.localtime(deadline), "j F Y H:i")},
            timezone.localdate(deadline),
        )
    if not requests:
        return ClauseHealth(Health.MET, _("No requests yet."))
    return ClauseHealth(Health.MET, _("All %(total)d requests answered in time.") % {"total": len(requests)})


def _per_stage(clause, evidence, stages, today) -> ClauseHealth:
    needed = clause.expectation_count
    term = clause.agreement
    counts: dict[int, int] = defaultdict(int)
    parent_of = {stage.pk: stage.parent_id for stage in stages}
    for item in evidence:
        if item.stage_id is not None and item.occurred_on <= today:
            # A sub-stage's activity counts for its top stage.
            counts[top_stage_id(item.stage_id, parent_of)] += 1
    # Every top-level stage that overlaps the term and has begun, including one already
    # running when the agreement was signed.
    covered = [
        s
        for s in stages
        if s.parent_id is None
        and s.starts_on <= today
        and (s.ends_on is None or s.ends_on >= term.term_start)
        and (term.term_end is None or s.starts_on <= term.term_end)
    ]
    missed = [s for s in covered if s.ends_on is not None and s.ends_on < today and counts[s.pk] < needed]
    if missed:
        names = ", ".join(s.name for s in missed[:3])
        return ClauseHealth(
            Health.BREACHED,
            ngettext(
                "%(count)d stage ended without enough activities: %(names)s.",
                "%(count)d stages ended without enough activities: %(names)s.",
                len(missed),
            )
            % {"count": len(missed), "names": names},
            since=max(s.ends_on for s in missed) + timedelta(days=1),
        )
    running = [s for s in covered if (s.ends_on is None or s.ends_on >= today) and counts[s.pk] < needed]
    if running:
        first = min(running, key=lambda s: s.ends_on or date.max)
        changes = first.ends_on + timedelta(days=1) if first.ends_on else None
        return ClauseHealth(Health.AT_RISK, _("Still needed during “%(stage)s”.") % {"stage": first.name}, changes)
    upcoming = [s.starts_on for s in stages if s.parent_id is None and s.starts_on > today]
    return ClauseHealth(Health.MET, _("Every stage so far has its activities."), min(upcoming) if upcoming else None)
