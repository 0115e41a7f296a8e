"""The dashboard's panels: each reads what one subject's selectors provide for the
user's scope, in a fixed number of queries, and names the template that draws it. The
home page draws them all; each one also refreshes alone (htmx) from its own URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from coordination import selectors
from coordination.choices import LEVEL_FLOORS, AgreementStatus, Health, RiskLevel, risk_level_q
from coordination.selectors.elections import default_election
from coordination.selectors.exchange import exchange_panel
from coordination.selectors.facilities import UPCOMING_DAYS, booking_panel
from kpu_polda.base import clock
from logistics.choices import EscortStatus
from logistics.selectors.summary import escort_status_counts, escort_summary
from meetings.selectors import action_items_for, overdue_q, upcoming_meetings

from .inbox import inbox_for

UPCOMING_MEETINGS = 5
TOP_RISKS = 5
HEALTH_ORDER = [Health.BREACHED, Health.AT_RISK, Health.MET, Health.NOT_MONITORED]


class Scope:
    """What the panels share for one user: the summary of their scope and the default
    election, each read once and only when a panel asks (a refresh of one panel reads
    only what that panel needs)."""

    def __init__(self, user, summary: selectors.ScopeSummary | None = None):
        self.user = user
        if summary is not None:
            self.__dict__["summary"] = summary

    @cached_property
    def summary(self) -> selectors.ScopeSummary:
        return selectors.scope_summary(self.user)

    @cached_property
    def election(self):
        if "summary" in self.__dict__:
            return self.summary.election
        return default_election(self.user)


@dataclass(frozen=True)
class Panel:
    key: str
    title: object
    build: Callable  # (user, election, scope) -> context, or None when it has nothing to draw
    needs_election: bool = False

    @property
    def template(self) -> str:
        return f"dashboard/panels/{self.key}.html"


def _region(user, election, scope: Scope) -> dict:
    return {"summary": scope.summary}


def _stage(user, election, scope: Scope) -> dict:
    current, upcoming = selectors.current_and_next(list(election.stages.all()), clock.today())
    days = (election.voting_day - clock.today()).days
    return {"current": current, "upcoming": upcoming, "days_to_voting": days, "days_since_voting": -days}


def _clauses(user, election, scope: Scope) -> dict:
    clauses = list(selectors.clauses_for(user).filter(agreement__status=AgreementStatus.ACTIVE)
                   .select_related("agreement", "responsible").order_by("agreement__signed_on", "number"))
    rows = selectors.clause_rows(clauses)
    counts = selectors.health_summary(rows)
    return {"health": [(status, Health(status).label, counts[status]) for status in HEALTH_ORDER],
            "attention": [(row, Health(row.health.status).label) for row in rows
                          if row.health.status in {Health.BREACHED, Health.AT_RISK}][:5],
            "agreement": clauses[0].agreement if clauses else None}


def _risks(user, election, scope: Scope) -> dict:
    open_risks = selectors.risks_for(user).filter(stage__election=election, status__in=selectors.OPEN_RISK_STATUSES)
    by_level = open_risks.order_by().aggregate(**{level.value: Count("pk", filter=risk_level_q(level))
                                                  for level in RiskLevel})
    return {"by_level": [(level.value, level.label, by_level[level.value], floor) for level, floor in LEVEL_FLOORS],
            "open_risks": sum(by_level.values()),
            "top_risks": list(open_risks.select_related("region").defer("region__boundary")
                              .order_by("-score", "id")[:TOP_RISKS])}


def _escorts(user, election, scope: Scope) -> dict:
    counts = escort_status_counts(user, election)
    return {"escorts": escort_summary(user, election),
            "by_status": [(status.value, status.label, counts[status.value]) for status in EscortStatus
                          if counts[status.value]]}


def _meetings(user, election, scope: Scope) -> dict:
    upcoming = list(upcoming_meetings(user)[:UPCOMING_MEETINGS])
    overdue = action_items_for(user).filter(overdue_q()).order_by().count()
    return {"meetings": upcoming, "overdue_actions": overdue}


def _exchanges(user, election, scope: Scope) -> dict:
    return {"exchanges": exchange_panel(user)}


def _bookings(user, election, scope: Scope) -> dict:
    return {"bookings": booking_panel(user), "horizon": clock.today() + timedelta(days=UPCOMING_DAYS)}


def _inbox(user, election, scope: Scope) -> dict:
    return {"inbox": inbox_for(user)}


PANELS = {panel.key: panel for panel in [
    Panel("inbox", _("Needs my action"), _inbox),
    Panel("stage", _("Election stages"), _stage, needs_election=True),
    Panel("region", _("In your region"), _region),
    Panel("clauses", _("Clause health"), _clauses),
    Panel("risks", _("Open risks"), _risks, needs_election=True),
    Panel("escorts", _("Logistics escorts"), _escorts, needs_election=True),
    Panel("meetings", _("Meetings and follow-ups"), _meetings),
    Panel("exchanges", _("Information exchange"), _exchanges),
    Panel("bookings", _("Facility bookings"), _bookings),
]}


def panel_context(panel: Panel, scope: Scope) -> dict | None:
    """What one panel draws, or None when it needs an election and none is recorded."""
    election = scope.election
    if panel.needs_election and election is None:
        return None
    built = panel.build(scope.user, election, scope)
    return None if built is None else {"panel": panel, "election": election, **built}
