"""Pages and API lists run a fixed number of SQL queries whatever the row count: each is
measured at N and 2N rows and must cost the same, within a stated ceiling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination import services
from tests.factories import AgencyFactory, PollingStationFactory, region

N = 15


def grow_regions(tree, election, start, count):
    for index in range(start, start + count):
        village = region(f"64.72.{index + 10:02d}.1001", f"Kelurahan {index}")
        PollingStationFactory(election=election, village=village, number=1)


def grow_stations(tree, election, start, count):
    for number in range(start + 2, start + count + 2):  # TPS 1 comes from the fixture
        PollingStationFactory(election=election, village=tree["sam_kel"], number=number)


def grow_agencies(tree, election, start, count):
    for index in range(start, start + count):
        AgencyFactory(code=f"posko-{index}", jurisdiction=tree["samarinda"])


def grow_users(tree, election, start, count):
    from coordination.models import Agency
    from tests.factories import UserFactory

    agency = Agency.objects.get(code="kpu-samarinda")
    for index in range(start, start + count):
        UserFactory(username=f"operator-{index}", agency=agency)


def grow_tokens(tree, election, start, count, user=None):
    from coordination.models import User

    owner = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        services.api_token_create(actor=owner, name=f"script-{index}")


def _world(tree, election):
    """The shared planning rows the growers below add to (created once per test)."""
    from datetime import date

    from coordination.models import Agreement, ElectionStage

    stage = ElectionStage.objects.filter(election=election).first()
    if stage is None:
        stage = ElectionStage.objects.create(election=election, code="9", name="Pemungutan",
                                             starts_on=date(2024, 2, 14), ends_on=date(2024, 3, 20))
    agreement = Agreement.objects.filter(code="pks").first() or Agreement.objects.create(
        code="pks", title="PKS", region=tree["kaltim"], signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13),
        status="active")
    return stage, agreement


def grow_risks(tree, election, start, count):
    from tests.factories import risk

    stage, _ = _world(tree, election)
    for index in range(start, start + count):
        risk(stage, tree["sam_kec"] if index % 2 else tree["samarinda"], title=f"Risiko {index}",
             likelihood=1 + index % 5, impact=1 + (index // 5) % 5)


def grow_clauses(tree, election, start, count):
    from datetime import date

    from coordination.models import Clause, ClauseEvidence

    stage, agreement = _world(tree, election)
    for index in range(start, start + count):
        clause = Clause.objects.create(agreement=agreement, number=index + 1, title=f"Pasal {index}", text="...",
                                       category="other", expectation_kind="per_stage", evidence_kind="training",
                                       expectation_value=1)
        ClauseEvidence.objects.create(clause=clause, kind="training", occurred_on=date(2024, 2, 14), stage=stage,
                                      region=tree["samarinda"], description="Latihan")


def grow_stages(tree, election, start, count):
    from datetime import date, timedelta

    from coordination.models import ElectionStage

    _world(tree, election)
    for index in range(start, start + count):
        ElectionStage.objects.create(election=election, code=f"s{index}", name=f"Tahap {index}",
                                     starts_on=date(2023, 1, 1) + timedelta(days=index), ends_on=date(2023, 12, 31))


def grow_classes(tree, election, start, count):
    from datetime import date

    from coordination.models import SecurityPattern, TpsVulnerability

    if not SecurityPattern.objects.exists():
        SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4, valid_from=date(2023, 1, 1))
    for number in range(start + 2, start + count + 2):
        station = PollingStationFactory(election=election, village=tree["sam_kel2" if number % 2 else "sam_kel3"],
                                        number=number)
        TpsVulnerability.objects.create(polling_station=station, polri_class="rawan", assessed_on=date(2024, 2, 5))


def grow_ikp(tree, election, start, count):
    from datetime import date, timedelta

    from coordination.models import IkpDimensionScore, IkpScore

    for index in range(start, start + count):
        ikp = IkpScore.objects.create(region=tree["samarinda"], election=election, score=10 + index,
                                      category="sedang", published_on=date(2022, 1, 1) + timedelta(days=index),
                                      source="https://example.test/")
        IkpDimensionScore.objects.create(ikp=ikp, dimension="kontestasi", score=5)


CASES = [
    # path, grower, persona, ceiling
    ("/", grow_stations, "samarinda_operator", 16),
    ("/", grow_risks, "province_staff", 16),
    ("/regions/64.72/", grow_regions, "samarinda_operator", 14),
    ("/regions/64.72.01.1001/", grow_stations, "samarinda_operator", 14),
    ("/polling-stations/?region=64.72", grow_stations, "samarinda_operator", 12),
    ("/agencies/", grow_agencies, "samarinda_operator", 12),
    ("/profile/", grow_tokens, "samarinda_operator", 14),
    ("/api/v1/regions/", grow_regions, "samarinda_operator", 8),
    ("/api/v1/polling-stations/", grow_stations, "samarinda_operator", 8),
    ("/api/v1/agencies/", grow_agencies, "samarinda_operator", 8),
    ("/api/v1/tokens/", grow_tokens, "samarinda_operator", 8),
    ("/admin/coordination/pollingstation/", grow_stations, "secretariat", 14),
    ("/admin/coordination/region/", grow_regions, "secretariat", 14),
    ("/admin/coordination/agency/", grow_agencies, "secretariat", 14),
    ("/admin/coordination/apitoken/", grow_tokens, "secretariat", 14),
    ("/admin/coordination/user/", grow_users, "secretariat", 14),
    ("/admin/coordination/pollingstation/", grow_stations, "regional_clerk", 14),
    ("/admin/coordination/user/", grow_users, "regional_clerk", 14),
    ("/risks/", grow_risks, "samarinda_operator", 12),
    ("/risks/matrix/", grow_risks, "samarinda_operator", 12),
    ("/risks/heat-map/", grow_risks, "province_staff", 12),
    ("/risks/map.geojson", grow_risks, "province_staff", 10),
    ("/api/v1/risks/", grow_risks, "samarinda_operator", 8),
    ("/api/v1/risks/export/", grow_risks, "samarinda_operator", 8),
    ("/agreements/", grow_clauses, "samarinda_operator", 10),
    ("/api/v1/clauses/", grow_clauses, "samarinda_operator", 10),
    ("/api/v1/agreements/", grow_clauses, "samarinda_operator", 10),
    ("/elections/pemilu-2024/", grow_stages, "observer", 10),
    ("/api/v1/stages/", grow_stages, "observer", 8),
    ("/tps-classes/", grow_classes, "samarinda_police", 12),
    ("/api/v1/tps-classes/", grow_classes, "samarinda_police", 8),
    ("/personnel-plan/", grow_classes, "province_staff", 12),
    ("/api/v1/personnel-plan/export/", grow_classes, "province_staff", 12),
    ("/ikp/", grow_ikp, "samarinda_operator", 12),
    ("/api/v1/ikp-scores/", grow_ikp, "samarinda_operator", 10),
    ("/admin/coordination/riskassessment/", grow_risks, "secretariat", 14),
    ("/admin/coordination/tpsvulnerability/", grow_classes, "secretariat", 14),
]


def _detail_path(path, tree, election):
    """Object pages whose size grows with their rows: the agreement and a stage."""
    stage, agreement = _world(tree, election)
    return path.format(agreement=agreement.pk, stage=stage.pk)


DETAIL_CASES = [
    ("/agreements/{agreement}/", grow_clauses, "samarinda_operator", 14),
    ("/api/v1/agreements/{agreement}/", grow_clauses, "samarinda_operator", 12),
    ("/stages/{stage}/", grow_risks, "samarinda_operator", 14),
]


def _count(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize(("path", "grow", "persona", "ceiling"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_query_count_does_not_grow(path, grow, persona, ceiling, personas, stations, tree, election, client):
    if persona == "regional_clerk":
        from coordination.choices import Role
        from coordination.models import Agency
        from tests.factories import UserFactory

        personas[persona] = UserFactory(username="clerk", role=Role.SECRETARIAT, is_staff=True,
                                        agency=Agency.objects.get(code="kpu-samarinda"))
    user = personas[persona]
    if persona == "secretariat":
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    client.force_login(user)
    grow(tree, election, 0, N)
    at_n = _count(client, path)
    grow(tree, election, N, N)
    at_2n = _count(client, path)
    assert at_n == at_2n, f"{path}: {at_n} queries at N rows, {at_2n} at 2N"
    assert at_2n <= ceiling, f"{path}: {at_2n} queries, ceiling {ceiling}"


@pytest.mark.parametrize(("path", "grow", "persona", "ceiling"), DETAIL_CASES, ids=[c[0] for c in DETAIL_CASES])
def test_object_page_query_count_does_not_grow(path, grow, persona, ceiling, personas, tree, election, client):
    client.force_login(personas[persona])
    grow(tree, election, 0, N)
    url = _detail_path(path, tree, election)
    at_n = _count(client, url)
    grow(tree, election, N, N)
    at_2n = _count(client, url)
    assert at_n == at_2n, f"{url}: {at_n} queries at N rows, {at_2n} at 2N"
    assert at_2n <= ceiling, f"{url}: {at_2n} queries, ceiling {ceiling}"
