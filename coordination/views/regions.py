"""Pages of coordination. Thin: they read through selectors and write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import policies, selectors, services
from coordination.choices import RegionLevel
from coordination.filters import AgencyFilter, PollingStationFilter
from coordination.forms import ApiTokenForm, PollingStationImportForm
from coordination.models import ApiToken
from kpu_polda.base.exceptions import Conflict, DomainError, OutOfScope
from kpu_polda.base.history import history_entries
from kpu_polda.base.queries import one_in_scope

from .common import csv_import_page, filtered_keyset_page, filtered_page, page_of


@login_required
def region_root(request):
    summary = selectors.scope_summary(request.user)
    if summary.root is None:
        raise OutOfScope("No region in scope.")
    return redirect("coordination:region-detail", code=summary.root.code)


@login_required
def region_detail(request, code):
    region = selectors.region_get(request.user, code)
    election = selectors.election_for(request.user, request.GET.get("election"))
    scope = policies.scope_code(request.user)
    context = {
        "region": region,
        # (region, whether the user may open it): a region above the user's scope is shown
        # as text, never as a link to a 404.
        "breadcrumbs": [(crumb, policies.code_in_scope(crumb.code, scope))
                        for crumb in selectors.region_breadcrumbs(region)],
        "parent_in_scope": region.parent_id is not None and policies.code_in_scope(region.parent.code, scope),
        "election": election,
        "elections": selectors.elections_for(request.user),
        "history": history_entries(region, limit=5),
    }
    if region.level == RegionLevel.VILLAGE:
        stations = selectors.polling_stations_for(request.user).filter(village=region)
        if election is not None:
            stations = stations.filter(election=election)
        context["page"] = page_of(request, stations)
    else:
        context["children"] = selectors.region_children(request.user, region, election)
    return render(request, "coordination/region_detail.html", context)


@login_required
def polling_station_list(request):
    stations = selectors.polling_stations_for(request.user).order_by("village_code", "number", "election_id")
    return render(request, "coordination/polling_station_list.html", {
        # Read by cursor, index tps_by_village_code: page 16,000 costs what page 1 does.
        **filtered_keyset_page(request, PollingStationFilter, stations),
        # Not counted here: a COUNT of a national list costs what a deep page did. The
        # total comes from the summary rows, selectors.polling_station_total(user,
        # election), once that exists; until then None, and the page shows no total.
        "total": None,
        "can_import": policies.can_manage_polling_stations(request.user),
    })


@login_required
def polling_station_detail(request, pk):
    station = get_object_or_404(selectors.polling_stations_for(request.user), pk=pk)
    return render(request, "coordination/polling_station_detail.html", {
        "station": station,
        "history": history_entries(station),
    })


@login_required
def polling_station_import(request):
    policies.ensure_can_manage_polling_stations(request.user)
    return csv_import_page(
        request, form_class=PollingStationImportForm, done_url=reverse("coordination:polling-station-list"),
        sample="polling-stations",
        run=lambda election, stream: services.polling_station_import_csv(actor=request.user, election=election,
                                                                         stream=stream),
    )


@login_required
def agency_list(request):
    return render(request, "coordination/agency_list.html",
                  filtered_page(request, AgencyFilter, selectors.agencies_for(request.user)))


@login_required
def agency_detail(request, code):
    agency = get_object_or_404(selectors.agencies_for(request.user), code=code)
    return render(request, "coordination/agency_detail.html", {
        "agency": agency,
        "history": history_entries(agency),
    })


@login_required
def profile(request):
    form = ApiTokenForm(request.POST or None)
    issued_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, issued_key = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except (Conflict, DomainError) as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Token “%(name)s” created. Copy the key now: it is not shown again.")
                             % {"name": token.name})
            form = ApiTokenForm()
    tokens = policies.scope_own_api_tokens(ApiToken.objects.all(), request.user)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "coordination/profile.html", {
        "form": form,
        "issued_key": issued_key,
        "tokens": tokens,
        "scope": selectors.scope_summary(request.user),
    }, status=status)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = one_in_scope(policies.scope_own_api_tokens(ApiToken.objects.all(), request.user), _("Token"), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("coordination:profile")
