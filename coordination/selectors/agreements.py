"""Reads of agreements and clause health."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from coordination import policies
from coordination.choices import AgreementStatus
from coordination.models import Addendum, Agreement, Clause, ClauseEvidence, ElectionStage
from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope

from .health import ClauseHealth, evaluate

_EVIDENCE_FIELDS = ["id", "clause_id", "kind", "occurred_on", "stage_id", "requested_at", "fulfilled_at"]


def agreements_for(user) -> QuerySet[Agreement]:
    return policies.scope_agreements(Agreement.objects.select_related("region", "parent"), user)


def agreement_get(user, pk: int) -> Agreement:
    return one_in_scope(agreements_for(user).prefetch_related("parties", "signatories", "addenda"), "Agreement", pk=pk)


def clauses_for(user) -> QuerySet[Clause]:
    return policies.scope_clauses(Clause.objects.select_related("agreement__region", "responsible"), user)


def clause_in_force(region, category: str) -> Clause | None:
    """The clause of ``category`` in the active agreement that binds ``region`` (the
    nearest region up the tree with one): where an activity's evidence goes by default."""
    codes = [region.code, *region.ancestor_codes]
    return (Clause.objects.filter(category=category, agreement__status=AgreementStatus.ACTIVE,
                                  agreement__region__code__in=codes)
            .order_by("-agreement__region__code", "id").first())


def clause_get(user, pk: int) -> Clause:
    return one_in_scope(clauses_for(user), "Clause", pk=pk)


def addendum_get(user, pk: int) -> Addendum:
    """An addendum of an agreement the user may see."""
    return one_in_scope(Addendum.objects.filter(agreement__in=agreements_for(user).values("pk")), "Addendum", pk=pk)


def evidence_get(user, pk: int) -> ClauseEvidence:
    """One evidence row the user may see: its region in (or above) their scope, and its
    clause's agreement binding them."""
    rows = ClauseEvidence.objects.filter(clause__in=clauses_for(user).values("pk"))
    return one_in_scope(policies.scope_evidence(rows, user), "Evidence", pk=pk)


def evidence_for(user, clause: Clause) -> QuerySet[ClauseEvidence]:
    """The evidence of ``clause`` the user may see (their region, and above it)."""
    return policies.scope_evidence(
        ClauseEvidence.objects.filter(clause=clause).select_related("region", "stage", "recorded_by"), user
    )


@dataclass
class ClauseRow:
    clause: Clause
    health: ClauseHealth
    evidence_count: int


def _stages_for_terms(agreements: list[Agreement]) -> list[ElectionStage]:
    condition = Q()
    for agreement in agreements:
        within = Q(ends_on__isnull=True) | Q(ends_on__gte=agreement.term_start)
        if agreement.term_end:
            within &= Q(starts_on__lte=agreement.term_end)
        condition |= within
    return list(ElectionStage.objects.filter(condition).order_by("starts_on")) if agreements else []


def _rows(clauses: list[Clause]) -> list[ClauseRow]:
    """Judge many clauses with two queries: their evidence and the stages in their terms.

    All evidence counts toward health (the agreement binds the whole province), whatever
    the viewer's region; the evidence list shown is scoped separately.
    """
    evidence: dict[int, list] = defaultdict(list)
    for item in ClauseEvidence.objects.filter(clause__in=clauses).only(*_EVIDENCE_FIELDS):
        evidence[item.clause_id].append(item)
    stages = _stages_for_terms(list({c.agreement_id: c.agreement for c in clauses}.values()))
    today, now = clock.today(), clock.now()
    return [ClauseRow(c, evaluate(c, evidence[c.pk], stages, today, now), len(evidence[c.pk])) for c in clauses]


def agreement_clause_rows(agreement: Agreement) -> list[ClauseRow]:
    clauses = list(agreement.clauses.select_related("responsible", "agreement").order_by("number"))
    return _rows(clauses)


def clause_rows(clauses: list[Clause]) -> list[ClauseRow]:
    """Health of any set of clauses (e.g. one page of an API list): two queries."""
    return _rows(list(clauses))


def clause_row(clause: Clause) -> ClauseRow:
    return _rows([clause])[0]


def health_summary(rows: list[ClauseRow]) -> Counter:
    return Counter(row.health.status for row in rows)


def monitored_clauses_in_force(today: date) -> QuerySet[Clause]:
    """Every clause with a checkable expectation in an agreement in force on ``today``
    (active, within its term), whatever the region: the periodic breach check acts for the
    system, not for one user. Ordered by id, for keyset chunks."""
    return (
        Clause.objects.filter(agreement__status=AgreementStatus.ACTIVE, agreement__term_start__lte=today)
        .filter(Q(agreement__term_end__isnull=True) | Q(agreement__term_end__gte=today))
        .exclude(expectation_kind="")
        .select_related("agreement", "responsible")
        .order_by("pk")
    )


def status_trail(row):
    """The status changes of a workflow's row (agreement, risk), newest first, with the
    people who made them: one query."""
    return row.status_changes.select_related("changed_by")
