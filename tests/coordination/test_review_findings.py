"""Edge cases: loops in the stage tree, foreign owners, odd bytes, empty databases, and
dates around an agreement's term."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordination import selectors, services
from coordination.models import (
    Agreement,
    Clause,
    ClauseEvidence,
    ElectionStage,
    IkpScore,
    IkpThreshold,
    SecurityPattern,
    TpsVulnerability,
)
from kpu_polda.base import clock
from kpu_polda.base.exceptions import ImportRejected
from tests.factories import ElectionFactory, PollingStationFactory

WITA = timezone.get_fixed_timezone(8 * 60)


def test_stage_tree_refuses_loops_and_survives_bad_rows(personas, stages, election, english):
    voting = stages["voting"]
    voting.parent = voting
    with pytest.raises(ValidationError, match="own parent"):
        voting.full_clean()
    count = stages["count"]
    voting.parent = count  # 9 under 9c, which is under 9
    with pytest.raises(ValidationError, match="below itself"):
        voting.full_clean()
    other = ElectionFactory(code="pilkada-2024", name="Pilkada", kind="regional", voting_day=date(2024, 11, 27))
    foreign = ElectionStage.objects.create(election=other, code="1", name="X", starts_on=date(2024, 8, 27),
                                           ends_on=date(2024, 8, 29))
    voting.parent = foreign
    with pytest.raises(ValidationError, match="another election"):
        voting.full_clean()
    # A loop written behind the services' back must not hang the pages that walk the tree.
    ElectionStage.objects.filter(pk=voting.pk).update(parent=count)
    columns, rows = selectors.heat_map(personas["province_staff"], election)
    assert rows and all(len(row.cells) == len(columns) for row in rows)


def test_risk_owner_must_be_an_agency_the_actor_can_see(api_for, personas, agencies, stages, tree):
    client = api_for(personas["samarinda_police"])
    data = {"stage": stages["voting"].pk, "region": "64.72", "category": "security", "title": "x", "likelihood": 2,
            "impact": 2}
    foreign = client.post("/api/v1/risks/", {**data, "owner": "polres-balikpapan"}, format="json")
    assert foreign.status_code == 400 and set(foreign.json()["errors"]) == {"owner"}
    created = client.post("/api/v1/risks/", {**data, "owner": "polda-kaltim"}, format="json")  # above: allowed
    assert created.status_code == 201
    patched = client.patch(f"/api/v1/risks/{created.json()['id']}/", {"owner": "kpu-balikpapan"}, format="json")
    assert patched.status_code == 400
    assert client.get(f"/api/v1/risks/{created.json()['id']}/").json()["owner"] == "polda-kaltim"


def test_odd_bytes_and_orders_are_named_not_crashes(personas, election, tree, tmp_path, english):
    PollingStationFactory(election=election, village=tree["sam_kel"], number=1)
    with pytest.raises(ImportRejected) as caught:
        services.tps_vulnerability_import_csv(
            actor=personas["samarinda_police"], election=election,
            stream=BytesIO("village_code,number,polri_class\n64.72.01.1001,²,rawan\n".encode()))
    assert caught.value.errors[0][0] == 2
    path = tmp_path / "stages.csv"
    path.write_text("election_code,code,parent_code,order,name,name_en,starts_on,ends_on,end_rule,regulation,"
                    "source,uncertain\npemilu-2024,7,,x1,Kampanye,,2023-11-28,2024-02-10,,,,false\n")
    with pytest.raises(ImportRejected) as caught:
        services.stages_import_csv(actor=services.system_actor(), path=path)
    assert caught.value.errors == [(2, "order 'x1' must be a whole number from 0")]


def test_pages_answer_404_before_any_election_exists(personas, client, api_for):
    client.force_login(personas["province_staff"])
    for path in ("/risks/heat-map/", "/risks/map/", "/risks/map.geojson", "/personnel-plan/"):
        assert client.get(path).status_code == 404, path
    assert api_for(personas["province_staff"]).get("/api/v1/personnel-plan/").status_code == 404
    assert client.get("/").status_code == 200


@pytest.fixture
def agreement(tree):
    return Agreement.objects.create(code="pks", title="PKS", region=tree["kaltim"], signed_on=date(2023, 3, 13),
                                    term_start=date(2023, 3, 13), term_end=date(2024, 12, 31), status="active")


def test_health_respects_the_term_and_the_calendar(agreement, stages, tree, personas):
    training = Clause.objects.create(agreement=agreement, number=7, title="Latihan", text="...", category="other",
                                     expectation_kind="per_stage", evidence_kind="training", expectation_value=1)
    with pytest.raises(ValidationError):
        Clause(agreement=agreement, number=8, title="x", text="x", category="other", expectation_kind="every_days",
               evidence_kind="meeting", expectation_value=30, expectation_count=0).full_clean()
    running = ElectionStage.objects.create(election=stages["voting"].election, code="2", name="Pemutakhiran",
                                           starts_on=date(2022, 10, 14), ends_on=date(2023, 6, 21))
    with clock.travel_to(datetime(2023, 7, 1, 9, tzinfo=WITA)):
        # A stage already running when the agreement was signed still needs its training.
        result = selectors.clause_row(training).health
        assert result.status == "breached" and running.name in result.reason
    ClauseEvidence.objects.create(clause=training, kind="training", occurred_on=date(2023, 5, 2), stage=running,
                                  region=tree["kaltim"], description="Latihan")
    ClauseEvidence.objects.create(clause=training, kind="training", occurred_on=date(2024, 3, 1),
                                  stage=stages["campaign"], region=tree["kaltim"], description="Dicatat kemudian")
    with clock.travel_to(datetime(2024, 1, 15, 9, tzinfo=WITA)):
        # The campaign's only training is dated in March: not yet counted in January.
        assert selectors.clause_row(training).health.status == "at_risk"
    with clock.travel_to(datetime(2025, 1, 2, 9, tzinfo=WITA)):
        assert selectors.clause_row(training).health.status == "not_monitored"  # the term has ended
    with clock.travel_to(datetime(2024, 1, 15, 9, tzinfo=WITA)), pytest.raises(ValidationError):
        services.clause_evidence_record(actor=personas["secretariat"], clause=training, occurred_on=date(2024, 2, 1),
                                        description="Belum terjadi", region=tree["kaltim"])


def test_heat_map_province_row_holds_the_highest_score_in_the_province(personas, risks, election):
    rows = {row.region.code: row.cells for row in selectors.heat_map(personas["province_staff"], election)[1]}
    assert rows["64"] == [16, None, 25, None]


def test_agreement_transition_changes_the_status(personas, agreement):
    moved = services.agreement_transition(actor=personas["secretariat"], agreement=agreement, to_status="expired")
    agreement.refresh_from_db()
    assert moved.status == agreement.status == "expired"
    assert agreement.history.first().history_user == personas["secretariat"]


def test_a_polda_pattern_applies_below_it_unless_a_polres_sets_its_own(personas, agencies, election, tree):
    SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4, valid_from=date(2023, 10, 17))
    SecurityPattern.objects.create(polri_class="rawan", police=3, tps=1, linmas=2, valid_from=date(2023, 10, 17),
                                   police_unit=agencies["polda"])
    SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4, valid_from=date(2023, 10, 17),
                                   police_unit=agencies["polresta"])
    for village in ("sam_kel", "bpn_kel"):
        station = PollingStationFactory(election=election, village=tree[village], number=1)
        TpsVulnerability.objects.create(polling_station=station, polri_class="rawan", assessed_on=date(2024, 2, 5))
    plan = {row.code: row.police for row in selectors.personnel_plan(personas["province_staff"], election).regencies}
    assert plan == {"64.72": 2, "64.71": 3}  # Samarinda's own 2-2-4; Balikpapan falls back to Polda's 3-1-2


def test_admin_refuses_non_pdf_evidence_and_computes_the_ikp_category(personas, agreement, election, tree, client):
    secretariat = personas["secretariat"]
    secretariat.is_superuser = True
    secretariat.save(update_fields=["is_superuser"])
    client.force_login(secretariat)
    clause = Clause.objects.create(agreement=agreement, number=3, title="Rapat", text="...", category="other",
                                   expectation_kind="every_days", evidence_kind="meeting", expectation_value=30)
    response = client.post("/admin/coordination/clauseevidence/add/", {
        "clause": clause.pk, "kind": "meeting", "occurred_on": "2024-01-02", "description": "Rakor",
        "region": tree["kaltim"].pk, "attachment": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf")})
    assert response.status_code == 200 and not ClauseEvidence.objects.exists()
    IkpThreshold.objects.create(level="province", valid_from=date(2022, 1, 1), high_from=68.5, medium_from=21.7)
    response = client.post("/admin/coordination/ikpscore/add/", {
        "region": tree["kaltim"].pk, "election": election.pk, "score": "95", "published_on": "2022-12-20",
        "method_version": "", "source": "https://example.test/", "dimensions-TOTAL_FORMS": 0,
        "dimensions-INITIAL_FORMS": 0})
    assert response.status_code == 302, response.content[:400]
    assert IkpScore.objects.get().category == "tinggi"
