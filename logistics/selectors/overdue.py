"""What "overdue" means, in one place: the board, the list filter and the SLA check all
read it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from ..choices import EscortStatus

NOT_YET_DEPARTED = [EscortStatus.SUBMITTED, EscortStatus.ACCEPTED, EscortStatus.ASSIGNED]


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
