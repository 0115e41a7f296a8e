"""The escort list and an escort's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kpu_polda.base.history import history_entries

from .. import selectors


@login_required
def escort_list(request):
    rows = selectors.escorts_for(request.user).order_by("planned_departure", "id")[:50]
    return render(request, "logistics/escort_list.html", {"escorts": rows})


@login_required
def escort_detail(request, pk):
    escort = selectors.escort_get(request.user, pk)
    return render(request, "logistics/escort_detail.html", {
        "escort": escort, "items": list(escort.items.all()), "events": list(selectors.escort_trail(escort)),
        "discrepancies": list(escort.discrepancies.select_related("item")),
        "steps": selectors.escort_next_steps(request.user, escort),
        "history": history_entries(escort, limit=5),
    })
