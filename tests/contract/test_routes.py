"""Every page and API route, for every persona: anonymous, own region, other region,
read-only roles, and object URLs that carry another region's ids.

The owning region of every object below is Samarinda. Out of scope reads as 404, the same
as missing. A route added without a row here fails test_every_route_is_covered.
"""

from io import BytesIO

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from coordination import services
from tests.conftest import PERSONAS

ANON = "anonymous"
ALL = [ANON, *PERSONAS]
OTHER = "balikpapan_operator"
KPU_WRITERS = {"samarinda_operator", "province_staff", "secretariat"}


def expect(default, **overrides):
    return {persona: overrides.get(persona, default) for persona in ALL}


def page(default=200, **overrides):
    """A page: anonymous visitors are sent to the login page."""
    return expect(default, **{ANON: 302, **overrides})


def api(default=200, **overrides):
    return expect(default, **{ANON: 401, **overrides})


def scoped_page(**overrides):
    return page(**{OTHER: 404, **overrides})


def scoped_api(**overrides):
    return api(**{OTHER: 404, **overrides})


def tps_import_csv():
    return {"election": "pemilu-2024",
            "file": BytesIO(b"village_code,number,voters\n64.72.01.1001,9,10\n")}


def import_outcome(ok, anon):
    return expect(403, **{ANON: anon, **{p: ok for p in KPU_WRITERS}})


# name -> list of (method, path builder, data builder or None, expected status per persona)
ROUTES = {
    "home": [("get", lambda c: "/", None, page())],
    "healthz": [("get", lambda c: "/healthz", None, expect(200))],
    "login": [("get", lambda c: "/accounts/login/", None, expect(302, **{ANON: 200}))],
    "logout": [("post", lambda c: "/accounts/logout/", None, expect(302))],
    "password_change": [("get", lambda c: "/accounts/password/", None, page())],
    "password_change_done": [("get", lambda c: "/accounts/password/done/", None, page())],
    "set_language": [("post", lambda c: "/i18n/setlang/", lambda c: {"language": "en"}, expect(302))],
    "coordination:region-root": [("get", lambda c: "/regions/", None, page(302))],
    "coordination:region-detail": [
        ("get", lambda c: "/regions/64.72.01/", None, scoped_page()),
        ("get", lambda c: "/regions/64.72.01.1001/", None, scoped_page()),
        ("get", lambda c: "/regions/64.99/", None, page(404)),
    ],
    "coordination:polling-station-list": [
        ("get", lambda c: "/polling-stations/?region=64.72", None, page()),
    ],
    "coordination:polling-station-detail": [
        ("get", lambda c: f"/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_page()),
    ],
    "coordination:polling-station-import": [
        ("get", lambda c: "/polling-stations/import/", None,
         page(403, samarinda_operator=200, balikpapan_operator=200, province_staff=200, secretariat=200)),
    ],
    "coordination:agency-list": [("get", lambda c: "/agencies/", None, page())],
    "coordination:agency-detail": [
        ("get", lambda c: "/agencies/kpu-samarinda/", None, scoped_page()),
        ("get", lambda c: "/agencies/kpu-kaltim/", None, page()),
    ],
    "coordination:profile": [("get", lambda c: "/profile/", None, page())],
    "coordination:api-token-revoke": [
        # Samarinda operator's token: only its holder may revoke it on this page.
        ("post", lambda c: f"/profile/tokens/{c['token'].pk}/revoke/", None,
         expect(404, **{ANON: 302, "samarinda_operator": 302})),
    ],
    "auth-token": [
        ("post", lambda c: "/api/v1/auth/token/", lambda c: {"username": "nobody", "password": "x"}, expect(400)),
    ],
    "me": [("get", lambda c: "/api/v1/me/", None, api())],
    "schema": [("get", lambda c: "/api/schema/", None, api())],
    "api-docs": [("get", lambda c: "/api/docs/", None, page())],
    "region-list": [("get", lambda c: "/api/v1/regions/?code_prefix=64.72", None, api())],
    "region-detail": [
        ("get", lambda c: "/api/v1/regions/64.72.01.1001/", None, scoped_api()),
        ("get", lambda c: "/api/v1/regions/64.72/", None, scoped_api()),
    ],
    "polling-station-list": [("get", lambda c: "/api/v1/polling-stations/?region=64.72", None, api())],
    "polling-station-detail": [
        ("get", lambda c: f"/api/v1/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_api()),
    ],
    "polling-station-import-csv": [
        # The Balikpapan operator may import, but a Samarinda village is unknown to it: 400.
        ("post", lambda c: "/api/v1/polling-stations/import/", lambda c: tps_import_csv(),
         {**import_outcome(200, 401), OTHER: 400}),
    ],
    "agency-list": [("get", lambda c: "/api/v1/agencies/", None, api())],
    "agency-detail": [
        ("get", lambda c: "/api/v1/agencies/kpu-samarinda/", None, scoped_api()),
        ("get", lambda c: "/api/v1/agencies/polda-kaltim/", None, api()),
    ],
    "api-token-list": [("get", lambda c: "/api/v1/tokens/", None, api())],
    "api-token-detail": [
        ("get", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=200)),
        ("delete", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=204)),
    ],
}

def writer_api(ok=200, **overrides):
    """A write in Samarinda: writers of Samarinda or the province succeed, the observer is
    refused, Balikpapan's operator does not find the object."""
    return api(ok, **{"observer": 403, OTHER: 404, **overrides})


ROUTES.update({
    "coordination:agreement-list": [("get", lambda c: "/agreements/", None, page())],
    "coordination:agreement-detail": [
        ("get", lambda c: f"/agreements/{c['agreement'].pk}/", None, page()),
        ("get", lambda c: f"/agreements/{c['local_agreement'].pk}/", None, scoped_page()),
    ],
    "coordination:clause-detail": [("get", lambda c: f"/clauses/{c['clause'].pk}/", None, scoped_page())],
    "coordination:election-timeline": [("get", lambda c: "/elections/pemilu-2024/", None, page())],
    "coordination:stage-detail": [("get", lambda c: f"/stages/{c['stage'].pk}/", None, page())],
    "coordination:risk-list": [("get", lambda c: "/risks/?region=64.72", None, page())],
    "coordination:risk-create": [("get", lambda c: "/risks/new/", None, page(observer=403))],
    "coordination:risk-matrix": [("get", lambda c: "/risks/matrix/", None, page())],
    "coordination:risk-heat-map": [("get", lambda c: "/risks/heat-map/", None, page())],
    "coordination:risk-map": [("get", lambda c: "/risks/map/", None, page())],
    "coordination:risk-map-data": [("get", lambda c: "/risks/map.geojson", None, page())],
    "coordination:risk-detail": [("get", lambda c: f"/risks/{c['risk'].pk}/", None, scoped_page())],
    "coordination:tps-class-list": [("get", lambda c: "/tps-classes/", None, page())],
    "coordination:tps-class-import": [("get", lambda c: "/tps-classes/import/", None, page(observer=403))],
    "coordination:ikp-list": [("get", lambda c: "/ikp/", None, page())],
    "coordination:personnel-plan": [("get", lambda c: "/personnel-plan/", None, page())],
    "agreement-list": [("get", lambda c: "/api/v1/agreements/", None, api())],
    "agreement-detail": [
        ("get", lambda c: f"/api/v1/agreements/{c['agreement'].pk}/", None, api()),
        ("get", lambda c: f"/api/v1/agreements/{c['local_agreement'].pk}/", None, scoped_api()),
    ],
    "clause-list": [("get", lambda c: "/api/v1/clauses/", None, api())],
    "clause-detail": [("get", lambda c: f"/api/v1/clauses/{c['clause'].pk}/", None, scoped_api())],
    "clause-evidence": [
        ("get", lambda c: f"/api/v1/clauses/{c['clause'].pk}/evidence/", None, scoped_api()),
        ("post", lambda c: f"/api/v1/clauses/{c['clause'].pk}/evidence/",
         lambda c: {"occurred_on": "2024-02-01", "description": "Rakor", "region": "64.72"}, writer_api(201)),
    ],
    "election-list": [("get", lambda c: "/api/v1/elections/", None, api())],
    "election-detail": [("get", lambda c: "/api/v1/elections/pemilu-2024/", None, api())],
    "election-current": [("get", lambda c: "/api/v1/elections/pemilu-2024/current/", None, api())],
    "stage-list": [("get", lambda c: "/api/v1/stages/", None, api())],
    "stage-detail": [("get", lambda c: f"/api/v1/stages/{c['stage'].pk}/", None, api())],
    "risk-list": [
        ("get", lambda c: "/api/v1/risks/", None, api()),
        ("post", lambda c: "/api/v1/risks/", lambda c: {"stage": c["stage"].pk, "region": "64.72", "title": "x",
                                                        "category": "security", "likelihood": 2, "impact": 2},
         writer_api(201)),
    ],
    "risk-detail": [
        ("get", lambda c: f"/api/v1/risks/{c['risk'].pk}/", None, scoped_api()),
        ("patch", lambda c: f"/api/v1/risks/{c['risk'].pk}/", lambda c: {"title": "Diperbarui"}, writer_api()),
    ],
    "risk-transition": [("post", lambda c: f"/api/v1/risks/{c['risk'].pk}/transition/",
                         lambda c: {"to_status": "mitigating"}, writer_api())],
    "risk-reviews": [
        ("get", lambda c: f"/api/v1/risks/{c['risk'].pk}/reviews/", None, scoped_api()),
        ("post", lambda c: f"/api/v1/risks/{c['risk'].pk}/reviews/",
         lambda c: {"likelihood": 1, "impact": 2, "note": "Aman"}, writer_api(201)),
    ],
    "risk-export": [("get", lambda c: "/api/v1/risks/export/", None, api())],
    "ikp-score-list": [("get", lambda c: "/api/v1/ikp-scores/", None, api())],
    "ikp-score-detail": [("get", lambda c: f"/api/v1/ikp-scores/{c['ikp'].pk}/", None, api())],
    "tps-class-list": [("get", lambda c: "/api/v1/tps-classes/", None, api())],
    "tps-class-detail": [("get", lambda c: f"/api/v1/tps-classes/{c['tps_class'].pk}/", None, scoped_api())],
    "tps-class-import-csv": [
        ("post", lambda c: "/api/v1/tps-classes/import/", lambda c: {
            "election": "pemilu-2024",
            "file": BytesIO(b"village_code,number,polri_class\n64.72.01.1001,1,sangat_rawan\n")},
         writer_api(200, **{OTHER: 400})),
    ],
    "security-pattern-list": [("get", lambda c: "/api/v1/security-patterns/", None, api())],
    "security-pattern-detail": [("get", lambda c: f"/api/v1/security-patterns/{c['pattern'].pk}/", None, api())],
    "personnel-plan": [("get", lambda c: "/api/v1/personnel-plan/", None, api())],
    "personnel-plan-export": [("get", lambda c: "/api/v1/personnel-plan/export/", None, api())],
})


def planning_world(stations, personas):
    """One of everything the planning routes read, owned by Samarinda unless said."""
    from datetime import date
    from decimal import Decimal

    from coordination.models import Agency, Agreement, Clause, IkpScore, Region, SecurityPattern, TpsVulnerability
    from tests.factories import risk, stage

    election = stations["samarinda"].election
    kaltim, samarinda = Region.objects.get(code="64"), Region.objects.get(code="64.72")
    voting = stage(election, "9", date(2024, 2, 14), date(2024, 3, 20))
    agreement = Agreement.objects.create(code="pks", title="PKS", region=kaltim, signed_on=date(2023, 3, 13),
                                         term_start=date(2023, 3, 13), status="active")
    local = Agreement.objects.create(code="pks-smr", title="PKS Samarinda", region=samarinda,
                                     signed_on=date(2023, 6, 1), term_start=date(2023, 6, 1), status="active")
    clause = Clause.objects.create(agreement=local, number=1, title="Rapat", text="...", category="evaluation_meetings",
                                   expectation_kind="every_days", evidence_kind="meeting", expectation_value=30)
    return {
        "agreement": agreement, "local_agreement": local, "clause": clause, "stage": voting,
        "risk": risk(voting, samarinda, title="Politik uang"),
        "ikp": IkpScore.objects.create(region=kaltim, election=election, score=Decimal("77.04"), category="tinggi",
                                       published_on=date(2022, 12, 20), source="https://example.test/ikp"),
        "tps_class": TpsVulnerability.objects.create(polling_station=stations["samarinda"], polri_class="rawan",
                                                     assessed_on=date(2024, 2, 5)),
        "pattern": SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4,
                                                  valid_from=date(2023, 10, 17)),
        "polda": Agency.objects.get(code="polda-kaltim"),
    }


# Routes that are not ours to police: Django's admin (covered by tests/platform/test_admin.py)
# and DRF's browsable-API login helpers.
EXEMPT_NAMESPACES = {"admin"}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                raise AssertionError(f"unnamed route {pattern.pattern}")
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_covered():
    assert _names(get_resolver()) == set(ROUTES)


CASES = [
    pytest.param(name, index, persona, id=f"{name}[{index}]-{persona}")
    for name, cases in ROUTES.items()
    for index in range(len(cases))
    for persona in ALL
]


@pytest.mark.parametrize(("name", "index", "persona"), CASES)
def test_route_access(name, index, persona, personas, stations, client):
    method, path_for, data_for, expected = ROUTES[name][index]
    token, _ = services.api_token_create(actor=personas["samarinda_operator"], name="script")
    context = {"stations": stations, "token": token, **planning_world(stations, personas)}
    if persona != ANON:
        client.force_login(personas[persona])
    data = data_for(context) if data_for else None
    call = getattr(client, method)
    if data and method == "patch":
        response = call(path_for(context), data=data, content_type="application/json")
    else:
        response = call(path_for(context), data=data) if data else call(path_for(context))
    assert response.status_code == expected[persona], response.content[:300]
