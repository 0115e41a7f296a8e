"""The officers' phone page: today's escorts in their region, each with the one thing to
do next."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from coordination.views.common import page_of
from kpu_polda.base import clock

from .. import selectors
from ..choices import HANDOVER_EVENTS, EscortStatus, Step
from ..models import CustodyEvent

ON_THE_ROAD = [EscortStatus.DEPARTED, EscortStatus.ARRIVED]
NOT_TODAY = [EscortStatus.REJECTED, EscortStatus.CANCELLED]


def today_window() -> tuple[datetime, datetime]:
    """Today in WITA on the app's clock, as the moments it starts and ends."""
    start = timezone.make_aware(datetime.combine(clock.today(), time.min))
    return start, start + timedelta(days=1)


def main_step(steps: list[Step], status: str) -> Step | None:
    """The one action a card offers, of the steps the table allows (in its order): the
    first that moves the escort on and is not a refusal, else the first that is not a
    refusal (a hand-over side, a checkpoint). "Reject" or "Report a checkpoint" as the big
    button of an accepted or travelling escort would invite the wrong tap."""
    forward = [step for step in steps if not step.needs_reason and step.target != status]
    calm = [step for step in steps if not step.needs_reason]
    return (forward or calm or steps or [None])[0]


@login_required
def field(request):
    """Escorts that depart today (WITA, app clock) or are under way or arrived, in the
    user's scope, each with the main step the user may take (main_step). Three reads however many
    escorts: the page of escorts, its count, and the hand-over events of the arrived ones."""
    start, end = today_window()
    today = Q(planned_departure__gte=start, planned_departure__lt=end) & ~Q(status__in=NOT_TODAY)
    rows = selectors.escorts_for(request.user).filter(today | Q(status__in=ON_THE_ROAD))
    page = page_of(request, rows.order_by("planned_departure", "id"))
    escorts = list(page.object_list)
    arrived = [escort.pk for escort in escorts if escort.status == EscortStatus.ARRIVED]
    confirmed: dict[int, set[str]] = {}
    if arrived:
        # An escort arrives once (no step leads back to departed): every hand-over event
        # of an arrived escort belongs to this arrival.
        for escort_id, kind in CustodyEvent.objects.filter(escort_id__in=arrived, kind__in=HANDOVER_EVENTS) \
                .values_list("escort_id", "kind"):
            confirmed.setdefault(escort_id, set()).add(kind)
    cards = []
    for escort in escorts:
        steps = selectors.escort_next_steps(request.user, escort, confirmed=confirmed.get(escort.pk, set()))
        cards.append({"escort": escort, "step": main_step(steps, escort.status), "more": len(steps) > 1,
                      "waiting": escort.status == EscortStatus.ARRIVED and not steps})
    return render(request, "logistics/field_list.html", {"cards": cards, "page": page, "today": clock.today()})
