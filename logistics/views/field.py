"""The officers' phone page: today's escorts in their region, each with the one thing to
do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from coordination.views.common import page_of
from kpu_polda.base import clock

from .. import selectors
from ..choices import EscortStatus, Step


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
    page = page_of(request, selectors.field_escorts(request.user))
    escorts = list(page.object_list)
    closed = selectors.handover_closed_kinds(escorts)
    cards = []
    for escort in escorts:
        steps = selectors.escort_next_steps(request.user, escort, confirmed=closed.get(escort.pk, set()))
        cards.append({"escort": escort, "step": main_step(steps, escort.status), "more": len(steps) > 1,
                      "waiting": escort.status == EscortStatus.ARRIVED and not steps})
    return render(request, "logistics/field_list.html", {"cards": cards, "page": page, "today": clock.today()})
