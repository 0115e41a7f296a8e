"""What pages of one kind share: filtered, paged lists and CSV import pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coordination.services import polling_stations, regions, stages, vulnerability
from kpu_polda.base.csvio import csv_response
from kpu_polda.base.exceptions import ImportRejected
from kpu_polda.base.keyset import InvalidCursor, KeysetPaginator

# The sample file of each CSV import, by the name its download URL carries.
IMPORT_SAMPLES = {
    "polling-stations": polling_stations.SAMPLE,
    "tps-classes": vulnerability.SAMPLE,
    "regions": regions.SAMPLE,
    "stages": stages.SAMPLE,
}

PAGE_SIZE = 50


def filtered_page(request, filterset_class, queryset) -> dict:
    """The context of a filtered, paged list: ``filter``, ``page`` and ``query`` (the
    filters without the page number, for the pagination links). Invalid filters show
    their errors and an empty list."""
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page_of(request, rows), "query": query.urlencode()}


def page_of(request, queryset) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def filtered_keyset_page(request, filterset_class, queryset) -> dict:
    """As filtered_page, for a list too long for page numbers: ``page`` is a KeysetPage
    (kpu_polda.base.keyset) read by the ``cursor`` parameter, in the queryset's order with
    the id last, and ``query`` is the filters without cursor or page number. A damaged
    cursor, or a page number from an old link, shows the first page with a message."""
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    query = request.GET.copy()
    cursor = query.pop("cursor", [None])[-1]
    if query.pop("page", ["1"])[-1] not in ("", "1"):
        messages.info(request, _("This list has no page numbers: it starts again from the first page. "
                                 "Use “Next” and “Previous” to move through it."))
        cursor = None
    paginator = KeysetPaginator(rows, PAGE_SIZE)
    try:
        page = paginator.page(cursor)
    except InvalidCursor as exc:
        messages.warning(request, str(exc))
        page = paginator.page(None)
    return {"filter": filterset, "page": page, "query": query.urlencode()}


def csv_import_page(request, *, form_class, run, done_url: str, sample: str, title: str | None = None):
    """The upload page every all-or-nothing CSV import shares: the form, a link to the
    ``sample`` file (a key of IMPORT_SAMPLES), the import (``run(election, stream)``
    returning an ImportResult), the refused lines listed, or a summary and a redirect to
    ``done_url``."""
    form = form_class(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data["election"], form.cleaned_data["file"])
        except ImportRejected as exc:
            rejected = exc
        else:
            messages.success(request, _("Import done: %(created)s created, %(updated)s updated, "
                                        "%(unchanged)s unchanged.") % vars(result))
            return redirect(done_url)
    return render(request, "coordination/polling_station_import.html",
                  {"form": form, "rejected": rejected, "title": title,
                   "sample_url": reverse("coordination:csv-import-sample", args=[sample])},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def csv_import_sample(request, kind: str):
    """A small valid file for the import ``kind``: its header and two rows, written the way
    every download is (semicolon, UTF-8 with BOM), which every import reads."""
    if kind not in IMPORT_SAMPLES:
        raise Http404
    header, rows = IMPORT_SAMPLES[kind]
    return csv_response(f"sample-{kind}.csv", header, rows)


def safe_next(request, fallback: str) -> str:
    """Where a successful POST goes: the ``next`` it names when that is on this site (the
    dashboard's inbox posts with next=/), else ``fallback``; never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
