"""The escort figures the home page shows: one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from kpu_polda.base import clock

from .. import policies
from ..choices import ACTIVE_STATUSES, DiscrepancyStatus, EscortStatus
from ..models import Discrepancy, EscortRequest
from .overdue import overdue_q


@dataclass(frozen=True)
class EscortSummary:
    """Escorts of one election in the user's region: still to be carried out, late now,
    and with a discrepancy still open."""

    active: int
    overdue: int
    with_open_discrepancy: int


def escort_summary(user, election) -> EscortSummary:
    rows = policies.scope_escorts(EscortRequest.objects.filter(election=election), user)
    open_discrepancy = Exists(Discrepancy.objects.filter(escort=OuterRef("pk"), status=DiscrepancyStatus.OPEN))
    figures = rows.aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        overdue=Count("pk", filter=overdue_q(clock.now())),
        with_open_discrepancy=Count("pk", filter=Q(open_discrepancy)),
    )
    return EscortSummary(**figures)


def escort_status_counts(user, election) -> dict[str, int]:
    """Escorts of one election in the user's region, counted by status (every status
    present, zero when none): one aggregate query."""
    rows = policies.scope_escorts(EscortRequest.objects.filter(election=election), user).order_by()
    return rows.aggregate(**{status.value: Count("pk", filter=Q(status=status)) for status in EscortStatus})
