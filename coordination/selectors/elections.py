"""Reads of elections, their stages and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coordination import policies
from coordination.models import Election, ElectionStage
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope
from kpu_polda.base.queries import one_in_scope


def elections_for(user) -> QuerySet[Election]:
    return policies.scope_elections(Election.objects.all(), user)


def election_get(user, code: str) -> Election:
    return one_in_scope(elections_for(user), "Election", code=code)


def election_among(elections: list[Election], code: str | None = None) -> Election | None:
    """Of ``elections`` (the user's, already read): the one named by ``code`` (OutOfScope
    when it is not among them), else the default one: the next by voting day (today on
    the app's clock included), else the latest; None when there is none."""
    if code:
        for election in elections:
            if election.code == code:
                return election
        raise OutOfScope(_("Unknown election."))
    today = clock.today()
    upcoming = [election for election in elections if election.voting_day >= today]
    if upcoming:
        return min(upcoming, key=lambda election: election.voting_day)
    return max(elections, key=lambda election: election.voting_day, default=None)


def default_election(user) -> Election | None:
    """The default election of the user's scope (election_among; the elections are a
    handful, read in one query)."""
    return election_among(list(elections_for(user)))


def election_for(user, code: str | None) -> Election | None:
    """The one election lookup of pages and API: the election named by ``code`` within
    the user's scope (an unknown code raises OutOfScope, read as 404), or the default
    election when no code is given (None when no election is recorded)."""
    return election_get(user, code) if code else default_election(user)


def stages_for(user) -> QuerySet[ElectionStage]:
    return policies.scope_elections(ElectionStage.objects.select_related("election", "parent"), user)


def stage_get(user, pk: int) -> ElectionStage:
    return one_in_scope(stages_for(user), "Stage", pk=pk)


def _in_progress(stage: ElectionStage, today: date) -> bool:
    # A stage that ends by a rule stays under way until the secretariat records its end date.
    return stage.starts_on <= today and (stage.ends_on is None or stage.ends_on >= today)


def current_and_next(stages: list[ElectionStage], today: date) -> tuple[list[ElectionStage], ElectionStage | None]:
    """Stages under way on ``today`` (the most recently started first) and the next to
    start."""
    current = sorted((s for s in stages if _in_progress(s, today)), key=lambda s: s.starts_on, reverse=True)
    upcoming = [s for s in stages if s.starts_on > today]
    return current, min(upcoming, key=lambda s: (s.starts_on, s.order)) if upcoming else None


@dataclass
class TimelineRow:
    stage: ElectionStage
    depth: int
    offset: float  # percent of the timeline's width
    width: float
    state: str  # past, current, future


@dataclass
class Timeline:
    election: Election
    rows: list[TimelineRow]
    starts_on: date
    ends_on: date
    today: date
    today_offset: float | None
    current: list[ElectionStage]
    next: ElectionStage | None


def timeline(election: Election) -> Timeline:
    """The election's stages as a tree of bars on one date axis, with today marked
    (one query)."""
    stages = list(election.stages.all().order_by("starts_on", "order"))
    today = clock.today()
    if not stages:
        return Timeline(election, [], today, today, today, None, [], None)
    start = min(s.starts_on for s in stages)
    end = max(s.ends_on or s.starts_on for s in stages)
    span = max((end - start).days + 1, 1)
    children: dict[int | None, list[ElectionStage]] = {}
    for stage in stages:
        children.setdefault(stage.parent_id, []).append(stage)
    rows: list[TimelineRow] = []

    def walk(parent_id, depth):
        for stage in sorted(children.get(parent_id, []), key=lambda s: (s.order, s.starts_on)):
            last = stage.ends_on or stage.starts_on
            state = "current" if _in_progress(stage, today) else ("past" if last < today else "future")
            rows.append(TimelineRow(stage, depth, 100 * (stage.starts_on - start).days / span,
                                    max(100 * ((last - stage.starts_on).days + 1) / span, 0.4), state))
            walk(stage.pk, depth + 1)

    walk(None, 0)
    current, upcoming = current_and_next(stages, today)
    marker = 100 * (today - start).days / span if start <= today <= end else None
    return Timeline(election, rows, start, end, today, marker, current, upcoming)
