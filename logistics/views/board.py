"""The logistics pages: the escort board, its CSV, and bulk planning of a kab/kota's legs."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coordination import selectors as ground
from coordination.choices import RegionLevel
from kpu_polda.base.csvio import csv_response
from kpu_polda.base.exceptions import DomainError, OutOfScope, PermissionDenied
from kpu_polda.base.forms import apply_errors

from .. import policies, selectors, services
from ..choices import ACTIVE_STATUSES
from ..filters import EscortFilter
from ..forms import PlanForm
from ..models import EscortRequest

# The filters the board offers (EscortFilter's own, shared with the list and the API).
BOARD_FILTERS = ["election", "stage", "direction", "departs_from", "departs_to"]


def _elections(user) -> list:
    """The user's elections, newest first: one query serves the lookup of the election in
    view and both election selects (the filter's and the planning form's)."""
    return list(ground.elections_for(user).order_by("-voting_day"))


def _board(request, elections: list | None = None):
    """The board of the region in view with its filters: (board, filterset, valid)."""
    region = selectors.board_region(request.user, request.GET.get("region"))
    data = request.GET.copy()
    election = None
    code = (data.get("election") or "").strip()
    try:
        if elections is None:
            election = ground.election_for(request.user, code or None)
        else:
            election = ground.election_among(elections, code or None)
    except OutOfScope:
        code = None  # shown as a filter error below
    if election is not None and not code:
        data["election"] = election.code
    query = {name: data[name] for name in BOARD_FILTERS if data.get(name)}
    filterset = EscortFilter(query, queryset=EscortRequest.objects.all())
    valid = filterset.is_valid()
    if code is None:
        filterset.form.add_error("election", _("Unknown election."))
        election, valid = None, False
    escorts = filterset.qs if valid else EscortRequest.objects.none()
    board = selectors.escort_board(request.user, escorts, region=region, election=election)
    return board, filterset, valid


def _query(request, **changes) -> str:
    query = {name: request.GET[name] for name in ["region", *BOARD_FILTERS] if request.GET.get(name)}
    query.update({k: v for k, v in changes.items() if v is not None})
    return urlencode(query)


def _line(row) -> dict:
    """One region as a compact line: its totals, and only the statuses it has legs in."""
    return {"row": row, "active": sum(n for status, n in row.statuses.items() if status in ACTIVE_STATUSES),
            "badges": [(status, status.label, row.statuses[status]) for status in selectors.BOARD_STATUSES
                       if row.statuses.get(status)]}


def _filter_choices(filterset, board, elections: list, stages: list) -> None:
    """The election and stage filters as selects: elections by name, and the stages of
    the election in view (nobody knows an election's code or a stage's id)."""
    form = filterset.form
    # On the bound fields too: validating the filters has already drawn them (with the
    # API's labels: "election code", "stage id").
    form.fields["election"].label = form["election"].label = _("Election")
    form.fields["election"].widget = forms.Select(attrs={"class": "form-select form-select-sm"},
                                                  choices=[(e.code, e.name) for e in elections])
    shown = [s for s in stages if board.election is not None and s.election_id == board.election.pk]
    form.fields["stage"].label = form["stage"].label = _("Election stage")
    form.fields["stage"].widget = forms.Select(attrs={"class": "form-select form-select-sm"},
                                               choices=[("", _("All stages")), *[(s.pk, s.name) for s in shown]])


@login_required
@require_GET
def escort_board(request):
    # Two queries for every select of the page, whatever the number of elections' uses.
    elections = _elections(request.user)
    stages = list(ground.stages_for(request.user).order_by("election", "starts_on", "order"))
    board, filterset, valid = _board(request, elections)
    _filter_choices(filterset, board, elections, stages)
    plan_form = None
    if (board.region is not None and board.region.level == RegionLevel.REGENCY
            and policies.can_request(request.user)):
        plan_form = PlanForm(user=request.user, initial={"region": board.region.code,
                                                         "election": board.election.code if board.election else None})
        # Drawn from the lists above (the form's querysets still check a POST).
        plan_form.fields["election"].choices = [(e.code, e.name) for e in elections]
        plan_form.fields["stage"].choices = [("", plan_form.fields["stage"].empty_label),
                                             *[(s.pk, str(s)) for s in stages]]
    return render(request, "logistics/board.html", {
        "board": board, "filter": filterset, "plan_form": plan_form,
        "lines": [_line(row) for row in board.rows], "total_line": _line(board.total),
        "filter_fields": [filterset.form[name] for name in BOARD_FILTERS],
        "statuses": [(status, status.label) for status in selectors.BOARD_STATUSES],
        "query": _query(request),
    }, status=200 if valid else 400)


@login_required
@require_GET
def escort_board_export(request):
    """The board's rows as CSV, headings in the page's language (``?lang=``, as the
    exports linked from coordination's pages)."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        board, filterset, valid = _board(request)
        if not valid:
            return render(request, "logistics/board.html", {
                "board": board, "filter": filterset, "filter_fields": [filterset.form[n] for n in BOARD_FILTERS],
                "lines": [], "total_line": None,
                "statuses": [], "query": _query(request)}, status=400)
        header, rows = selectors.board_export(board)
        name = board.region.code if board.region else "all"
        return csv_response(f"escort-board-{name}.csv", header, rows)


@login_required
def escort_plan(request):
    """Plan the outbound legs of a kab/kota (KPU offices only): the form (GET) and the run
    (POST), then back to the board of that kab/kota."""
    if not policies.can_request(request.user):
        raise PermissionDenied(_("Escort requests are raised by KPU offices."))
    source = request.POST if request.method == "POST" else request.GET
    region = selectors.board_region(request.user, source.get("region"))
    if region is None or region.level != RegionLevel.REGENCY:
        # Bound to what was sent, so the message can sit among the form's errors (an
        # unbound form has no errors to add to).
        form = PlanForm({"region": region.code if region else ""}, user=request.user)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("Open the board of a kab/kota to plan its legs."))
        return render(request, "logistics/plan.html", {"form": form, "region": region}, status=400)
    form = PlanForm(request.POST or None, user=request.user, initial={"region": region.code})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.escort_plan_outbound(actor=request.user, election=form.cleaned_data["election"],
                                                   regency=region, stage=form.cleaned_data["stage"])
        except (OutOfScope, PermissionDenied):
            raise
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc, None)
        else:
            messages.success(request, _("Planning done: %(created)s legs created (%(items)s items), %(existing)s "
                                        "already planned.") % {"created": result.created, "items": result.items,
                                                               "existing": result.existing})
            return redirect(f"{reverse('logistics:board')}?"
                            f"{urlencode({'region': region.code, 'election': form.cleaned_data['election'].code})}")
    return render(request, "logistics/plan.html", {"form": form, "region": region},
                  status=400 if form.errors else 200)
