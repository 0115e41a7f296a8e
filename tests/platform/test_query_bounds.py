"""Pages and API lists run a fixed number of SQL queries whatever the row count: each is
measured at N and 2N rows and must cost the same, within a stated ceiling.

Every route that lists things needs a case here, the way every route needs a row in the
contract test: API ``list`` actions and GET ``@action`` endpoints, every page, and every
admin changelist (measured as a secretariat scoped to Samarinda, not a superuser). A route
that lists nothing is exempted below with the reason; test_every_list_has_a_query_bound
fails for a route in neither.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.conftest import make_base, shared_rows

from .growers import (
    grow_agencies,
    grow_agency_history,
    grow_agreements,
    grow_classes,
    grow_clauses,
    grow_elections,
    grow_evidence,
    grow_ikp,
    grow_ikp_thresholds,
    grow_notifications,
    grow_patterns,
    grow_regions,
    grow_reviews,
    grow_risks,
    grow_stages,
    grow_station_history,
    grow_stations,
    grow_status_changes,
    grow_sub_stages,
    grow_tokens,
    grow_users,
    world,
)

N = 15
# A secretariat account of KPU Samarinda: staff, scoped to 64.72, not a superuser.
SCOPED_SECRETARIAT = "regional_clerk"


# --- the cases ------------------------------------------------------------------------------
# path ({name} is filled from growers.world), grower, persona, ceiling[, rows shown: a function of
# the response, when the default (_rows) does not see the rows that grow]. Every page costs
# one query for the header's notification bell (its unread count).

CASES = [
    # The home page (its panels: tests/platform/bounds_dashboard.py has the rest).
    ("/", grow_stations, "samarinda_operator", 30),
    ("/", grow_risks, "province_staff", 30),
    ("/regions/64.72/", grow_regions, "samarinda_operator", 15),
    ("/regions/64.72.01.1001/", grow_stations, "samarinda_operator", 15),
    # Read by cursor and counted nowhere: the rows shown are the page's own.
    ("/polling-stations/?region=64.72", grow_stations, "samarinda_operator", 12, lambda r: len(r.context["page"])),
    ("/polling-stations/{station}/", grow_station_history, "samarinda_operator", 10),
    ("/polling-stations/import/", grow_elections, "samarinda_operator", 10),
    ("/agencies/", grow_agencies, "samarinda_operator", 12),
    ("/agencies/kpu-samarinda/", grow_agency_history, "samarinda_operator", 10),
    ("/profile/", grow_tokens, "samarinda_operator", 14),
    ("/api/v1/regions/", grow_regions, "samarinda_operator", 8),
    ("/api/v1/polling-stations/", grow_stations, "samarinda_operator", 8),
    ("/api/v1/agencies/", grow_agencies, "samarinda_operator", 8),
    ("/api/v1/tokens/", grow_tokens, "samarinda_operator", 8),
    ("/api/v1/elections/", grow_elections, "observer", 8),
    ("/api/v1/elections/pemilu-2024/current/", grow_stages, "observer", 8),
    ("/admin/coordination/pollingstation/", grow_stations, "secretariat", 14),
    ("/admin/coordination/region/", grow_regions, "secretariat", 14),
    ("/admin/coordination/agency/", grow_agencies, "secretariat", 14),
    ("/admin/coordination/apitoken/", grow_tokens, "secretariat", 14),
    ("/admin/coordination/user/", grow_users, "secretariat", 14),
    ("/risks/", grow_risks, "samarinda_operator", 12),
    ("/risks/new/", grow_agencies, "samarinda_operator", 10),
    ("/risks/matrix/", grow_risks, "samarinda_operator", 12),
    ("/risks/heat-map/", grow_risks, "province_staff", 13),
    ("/risks/map/", grow_elections, "province_staff", 10),
    ("/risks/map.geojson", grow_risks, "province_staff", 10),
    ("/risks/{risk}/", grow_reviews, "samarinda_operator", 14),
    ("/api/v1/risks/", grow_risks, "samarinda_operator", 8),
    ("/api/v1/risks/export/", grow_risks, "samarinda_operator", 8),
    ("/api/v1/risks/{risk}/reviews/", grow_reviews, "samarinda_operator", 9),
    ("/agreements/", grow_clauses, "samarinda_operator", 10),
    ("/agreements/", grow_agreements, "samarinda_operator", 10),
    ("/agreements/{agreement}/", grow_clauses, "samarinda_operator", 16),
    ("/clauses/{clause}/", grow_evidence, "samarinda_operator", 14),
    ("/api/v1/clauses/", grow_clauses, "samarinda_operator", 10),
    ("/api/v1/clauses/{clause}/evidence/", grow_evidence, "samarinda_operator", 9),
    # The list shows agreements, not their clauses: it grows with agreements.
    ("/api/v1/agreements/", grow_agreements, "samarinda_operator", 10),
    ("/api/v1/agreements/{agreement}/", grow_clauses, "samarinda_operator", 12),
    ("/api/v1/agreements/{agreement}/status-changes/", grow_status_changes, "samarinda_operator", 9),
    ("/elections/pemilu-2024/", grow_stages, "observer", 10),
    ("/stages/{stage}/", grow_risks, "samarinda_operator", 14),
    ("/stages/{stage}/", grow_sub_stages, "samarinda_operator", 14, lambda r: len(r.context["children"])),
    ("/api/v1/stages/", grow_stages, "observer", 8),
    ("/tps-classes/", grow_classes, "samarinda_police", 12),
    ("/tps-classes/import/", grow_elections, "samarinda_police", 10),
    ("/api/v1/tps-classes/", grow_classes, "samarinda_police", 8),
    ("/personnel-plan/", grow_classes, "province_staff", 14),  # +1: the region picker's names
    ("/api/v1/personnel-plan/", grow_classes, "province_staff", 12),
    # One line per region, however many TPS it has: the lines do not grow.
    ("/api/v1/personnel-plan/export/", grow_classes, "province_staff", 12, lambda r: None),
    ("/ikp/", grow_ikp, "samarinda_operator", 12),
    ("/ikp/", grow_patterns, "samarinda_operator", 12, lambda r: len(r.context["patterns"])),
    ("/api/v1/ikp-scores/", grow_ikp, "samarinda_operator", 10),
    ("/api/v1/security-patterns/", grow_patterns, "samarinda_police", 8),
    ("/notifications/", grow_notifications, "samarinda_operator", 10),
    ("/api/v1/notifications/", grow_notifications, "samarinda_operator", 8),
    ("/admin/coordination/riskassessment/", grow_risks, "secretariat", 14),
    ("/admin/coordination/tpsvulnerability/", grow_classes, "secretariat", 14),
    # Every admin changelist as the scoped secretariat.
    ("/admin/coordination/agreement/", grow_agreements, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/clause/", grow_clauses, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/clauseevidence/", grow_evidence, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/region/", grow_regions, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/election/", grow_elections, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/pollingstation/", grow_stations, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/agency/", grow_agencies, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/user/", grow_users, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/apitoken/", grow_tokens, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/electionstage/", grow_stages, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/riskassessment/", grow_risks, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/ikpscore/", grow_ikp, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/ikpthreshold/", grow_ikp_thresholds, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/tpsvulnerability/", grow_classes, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/securitypattern/", grow_patterns, SCOPED_SECRETARIAT, 14),
]
# Other apps keep their cases in tests/platform/bounds_<name>.py: CASES, NO_ROWS and,
# for paths naming their own rows, world(tree, election) -> {name: row}.
BOUNDS = [importlib.import_module(f"{__package__}.{path.stem}")
          for path in sorted(Path(__file__).parent.glob("bounds_*.py"))]
CASES += [case for module in BOUNDS for case in module.CASES]
CASES = [case if len(case) == 5 else (*case, None) for case in CASES]

# Routes that list nothing that grows, and why.
NO_ROWS = {
    "healthz": "a fixed set of checks",
    "login": "the login form",
    "logout": "POST only",
    "password_change": "the password form of the user alone",
    "password_change_done": "a fixed message",
    "set_language": "POST only",
    "schema": "generated from the code, not from rows",
    "api-docs": "a static page that loads the schema",
    "me": "the caller alone",
    "coordination:region-root": "a redirect to the user's region",
    "coordination:api-token-revoke": "POST only",
    "coordination:notification-read": "POST only",
    "coordination:notification-read-all": "POST only",
    "coordination:csv-import-sample": "a fixed sample file of an import, read from no table",
    "coordination:agreement-document": "one stored file of one agreement",
    "coordination:addendum-document": "one stored file of one addendum",
    "coordination:evidence-attachment": "one stored file of one evidence row",
}
for _module in BOUNDS:
    NO_ROWS.update(_module.NO_ROWS)
# Admin changelists the secretariat's admin does not offer: Django's own permissions guard
# them and no secretariat account holds those (checked below: the scoped one gets 403).
NOT_THE_SECRETARIATS = {
    "admin:auth_group_changelist": "Django's groups; roles are the app's own",
    "admin:axes_accessattempt_changelist": "django-axes lockout records, for a superuser",
    "admin:axes_accesslog_changelist": "django-axes lockout records, for a superuser",
    "admin:axes_accessfailurelog_changelist": "django-axes lockout records, for a superuser",
}


# --- which routes list things ----------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern.callback


def listing_routes() -> dict[str, str]:
    """Route name -> what it is, for every route that may list rows: API list actions and
    GET @actions, API views answering GET, every page, every registered admin changelist.
    A viewset's ``retrieve`` (one row) and write-only API routes are left out."""
    routes = {}
    for path, name, callback in _patterns(get_resolver()):
        if name.startswith("admin:"):
            continue
        if path.startswith("api/"):
            actions = getattr(callback, "actions", None)
            if actions is not None:
                get = actions.get("get")
                if get is not None and get != "retrieve":
                    routes[name] = "API list" if get == "list" else f"API GET @action {get}"
            elif hasattr(getattr(callback, "cls", None), "get"):
                routes[name] = "API view"
        else:
            routes[name] = "page"
    for model in admin.site._registry:
        routes[f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"] = "admin changelist"
    return routes


def _route_of(path: str) -> str:
    return resolve(urlsplit(re.sub(r"\{\w+\}", "1", path)).path).view_name


def test_every_list_has_a_query_bound():
    routes = listing_routes()
    bounded = {_route_of(path) for path, _, persona, *_ in CASES
               if not _route_of(path).startswith("admin:") or persona == SCOPED_SECRETARIAT}
    exempt = {**NO_ROWS, **NOT_THE_SECRETARIATS}
    missing = {name: kind for name, kind in routes.items() if name not in bounded and name not in exempt}
    assert missing == {}, "lists without a query bound: add a case to CASES (admin: as the scoped secretariat)"
    assert set(exempt) - set(routes) == set(), "exemptions for routes that no longer exist"
    assert set(exempt) & bounded == set(), "exempted routes that have a case: drop the exemption"


@pytest.fixture(scope="module")
def ground(django_db_setup, django_db_blocker):
    """The personas, region tree and TPS every case starts from, with the scoped
    secretariat among the personas: built once for the module, each case's rows in its own
    savepoint."""
    from coordination.choices import Role
    from tests.factories import UserFactory

    with shared_rows(django_db_blocker):
        base = make_base()
        base["personas"][SCOPED_SECRETARIAT] = UserFactory(
            username="clerk", role=Role.SECRETARIAT, is_staff=True, agency=base["agencies"]["kpu_samarinda"])
        yield base


def _login(client, user):
    """Log ``user`` in as the database has them (a case may have changed the row)."""
    client.force_login(type(user).objects.get(pk=user.pk))


def test_admin_lists_not_offered_to_the_secretariat_are_refused(ground, db, client):
    from django.urls import reverse

    _login(client, ground["personas"][SCOPED_SECRETARIAT])
    for name in NOT_THE_SECRETARIATS:
        assert client.get(reverse(name)).status_code == 403, name


# --- the measurement -------------------------------------------------------------------------


def _rows(response) -> int | None:
    """How many rows the answer shows, where it says: an admin changelist's count, a paged
    page's count, an API page's results, a CSV's lines."""
    context = response.context
    if context is not None:
        if "cl" in context:
            return context["cl"].result_count
        page = context.get("page")
        if page is not None and hasattr(page, "paginator"):
            return page.paginator.count
        return None
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        body = response.json()
        if isinstance(body, list):
            return len(body)
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            return len(body["results"])
    if kind.startswith("text/csv"):
        return response.content.count(b"\n")
    return None


def _measure(client, path, rows):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(captured), rows(response)


@pytest.mark.parametrize(("path", "grow", "persona", "ceiling", "shown"), CASES,
                         ids=[f"{c[0]}-{c[1].__name__}-{c[2]}" for c in CASES])
def test_query_count_does_not_grow(path, grow, persona, ceiling, shown, ground, db, client):
    tree, election = ground["tree"], ground["election"]
    user = ground["personas"][persona]
    if persona == "secretariat":
        type(user).objects.filter(pk=user.pk).update(is_superuser=True)
    _login(client, user)
    if "{" in path:
        rows = world(tree, election)
        for module in BOUNDS:
            if hasattr(module, "world"):
                rows.update(module.world(tree, election))
        url = path.format(**{key: row.pk for key, row in rows.items()})
    else:
        url = path
    grow(tree, election, 0, N)
    at_n, rows_n = _measure(client, url, shown or _rows)
    grow(tree, election, N, N)
    at_2n, rows_2n = _measure(client, url, shown or _rows)
    assert at_n == at_2n, f"{url}: {at_n} queries at N rows, {at_2n} at 2N"
    assert at_2n <= ceiling, f"{url}: {at_2n} queries, ceiling {ceiling}"
    if rows_n is not None:
        assert rows_2n > rows_n, f"{url}: {rows_n} rows shown at N, {rows_2n} at 2N: the case measures nothing"


def test_ikp_page_is_paged(ground, db, client):
    from coordination.views.common import PAGE_SIZE

    grow_ikp(ground["tree"], ground["election"], 0, PAGE_SIZE + 1)
    _login(client, ground["personas"]["samarinda_operator"])
    first = client.get("/ikp/")
    assert first.content.decode().count("<td>Kota Samarinda</td>") == PAGE_SIZE
    assert "page=2" in first.content.decode()
    assert client.get("/ikp/?page=2").content.decode().count("<td>Kota Samarinda</td>") == 1
