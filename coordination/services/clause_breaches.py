"""Clause-health breaches, told to the agreement's parties through the outbox."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from coordination import selectors
from coordination.choices import Health
from coordination.models import Clause
from coordination.selectors import ClauseRow
from kpu_polda.base import clock

from .notifications import Outgoing, language_of, notification_enqueue_many

KIND = "clause_breach"
# Clauses judged per round: each round costs the same handful of queries (clauses, their
# evidence and stages, the parties' members, the existing keys, one insert).
CHUNK = 200


def breach_key(row: ClauseRow, user_id: int) -> str:
    """One breach episode of one clause, for one person: the clause and the day the
    breach began (ClauseHealth.since). The same breach judged again gives the same key."""
    since = row.health.since.isoformat() if row.health.since else "-"
    return f"{KIND}:{row.clause.pk}:{since}:{user_id}"


def clause_breaches_notify() -> int:
    """Notify every active member of each party agency (observers left out) of every
    clause in breach in the agreements in force today, once per breach episode.

    Writes only outbox rows, which carry no history, so it names no actor. Idempotent: a
    second run, a retried task or two beats at once write nothing new (the dedupe key
    names clause, episode and recipient). Returns the number of rows written.
    """
    today = clock.today()
    written, last = 0, 0
    while True:
        clauses = list(selectors.monitored_clauses_in_force(today).filter(pk__gt=last)[:CHUNK])
        if not clauses:
            return written
        last = clauses[-1].pk
        written += _notify(clauses)


def _notify(clauses: list[Clause]) -> int:
    breached = [row for row in selectors.clause_rows(clauses) if row.health.status == Health.BREACHED]
    if not breached:
        return 0
    members = selectors.agreement_party_members({row.clause.agreement_id for row in breached})
    languages = {language_of(user) for users in members.values() for user in users}
    reasons = _reasons_by_language(breached, languages)
    items = [
        Outgoing(
            recipient=user,
            dedupe_key=breach_key(row, user.pk),
            context={
                "clause": row.clause,
                "agreement": row.clause.agreement,
                "reason": reasons[language_of(user)].get(row.clause.pk, row.health.reason),
            },
            target=row.clause,
            url=reverse("coordination:clause-detail", args=[row.clause.pk]),
        )
        for row in breached
        for user in members.get(row.clause.agreement_id, [])
    ]
    return notification_enqueue_many(kind=KIND, template="clause_breach", items=items)


def _reasons_by_language(breached: list[ClauseRow], languages: set[str]) -> dict[str, dict[int, str]]:
    """The reason of each breach in each recipient language: health writes its reason with
    gettext (dates and month names too), so it is judged again under each other language
    (two queries each; the language it was first judged in is reused)."""
    current = translation.get_language()
    reasons: dict[str, dict[int, str]] = {current: {row.clause.pk: row.health.reason for row in breached}}
    clauses = [row.clause for row in breached]
    for language in sorted(languages - {current}):
        with translation.override(language):
            reasons[language] = {row.clause.pk: row.health.reason for row in selectors.clause_rows(clauses)
                                 if row.health.status == Health.BREACHED}
    return reasons
