"""What "late" means, in one place: the board, the list filter and the SLA check all read
it (not accepted in time, not departed, not arrived)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from coordination.choices import ExpectationKind
from coordination.models import Clause

from ..choices import EscortStatus
from ..models import EscortRequest

NOT_YET_DEPARTED = [EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED]
# The lead time for accepting a request when its clause sets none (the PKS's 1x24 hours).
DEFAULT_ACCEPT_HOURS = 24
# A request must be accepted at the latest this long before its planned departure, so the
# police have time to assign the escort.
ACCEPT_BEFORE_DEPARTURE = timedelta(hours=48)


def not_accepted_q(now: datetime) -> Q:
    """Requests still submitted past their acceptance deadline: the earlier of the
    creation plus the lead time of the escort's clause (``within_hours``: its hours;
    otherwise 24 hours) and the planned departure minus 48 hours. One query reads the
    lead times of the clauses that set one."""
    hours: dict[int, list[int]] = {}
    for pk, value in (Clause.objects.filter(expectation_kind=ExpectationKind.WITHIN_HOURS,
                                            expectation_value__isnull=False)
                      .filter(pk__in=EscortRequest.objects.filter(status=EscortStatus.SUBMITTED)
                              .values("clause_id"))
                      .values_list("pk", "expectation_value")):
        hours.setdefault(int(value), []).append(pk)
    with_lead = [pk for pks in hours.values() for pk in pks]
    late = Q(created_at__lt=now - timedelta(hours=DEFAULT_ACCEPT_HOURS)) & ~Q(clause_id__in=with_lead)
    for value, pks in hours.items():
        late |= Q(clause_id__in=pks, created_at__lt=now - timedelta(hours=value))
    return Q(status=EscortStatus.SUBMITTED) & (late | Q(planned_departure__lt=now + ACCEPT_BEFORE_DEPARTURE))


def arrival_grace() -> timedelta:
    """How long after the planned arrival an escort under way counts as late."""
    return timedelta(minutes=getattr(settings, "LOGISTICS_ARRIVAL_GRACE_MINUTES", 120))


def not_departed_q(now: datetime) -> Q:
    return Q(status__in=NOT_YET_DEPARTED, planned_departure__lt=now)


def not_arrived_q(now: datetime) -> Q:
    return Q(status=EscortStatus.DEPARTED, planned_arrival__lt=now - arrival_grace())


def overdue_q(now: datetime) -> Q:
    """Escorts late now: not departed at the planned departure, or under way past the
    planned arrival plus the grace."""
    return not_departed_q(now) | not_arrived_q(now)
