from datetime import date, datetime

import pytest
from django.utils import timezone

from coordination import selectors, services
from coordination.models import ElectionStage
from kpu_polda.base import clock
from kpu_polda.base.csvio import ImportResult
from kpu_polda.base.exceptions import ImportRejected
from tests.factories import ElectionFactory

WITA = timezone.get_fixed_timezone(8 * 60)


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=WITA)


@pytest.fixture
def both_elections(db):
    ElectionFactory()
    ElectionFactory(code="pilkada-2024", name="Pemilihan Serentak 2024", kind="regional",
                    voting_day=date(2024, 11, 27), max_voters_per_tps=600)


def test_loads_the_shipped_stage_table_once(both_elections):
    actor = services.system_actor()
    first = services.stages_import_csv(actor=actor)
    assert first.created == ElectionStage.objects.count() >= 30
    assert services.stages_import_csv(actor=actor) == ImportResult(created=0, updated=0, unchanged=first.created)
    campaign = ElectionStage.objects.get(election__code="pemilu-2024", code="7")
    assert (campaign.starts_on, campaign.ends_on, campaign.regulation) == (date(2023, 11, 28), date(2024, 2, 10),
                                                                           "PKPU 3/2022")
    factual = ElectionStage.objects.get(election__code="pemilu-2024", code="3b")
    assert factual.parent.code == "3"
    results = ElectionStage.objects.get(election__code="pemilu-2024", code="10")
    assert results.ends_on is None and "MK" in results.end_rule


def test_bad_stage_rows_are_named_and_nothing_is_written(both_elections, tmp_path, english):
    path = tmp_path / "stages.csv"
    header = "election_code,code,parent_code,order,name,name_en,starts_on,ends_on,end_rule,regulation,source,uncertain"
    path.write_text("\n".join([
        header,
        "pemilu-2024,7,,1,Kampanye,Campaign,2023-11-28,2024-02-10,,PKPU 3/2022,,false",
        "pemilu-2024,8,,2,Tenang,Quiet,2024-02-13,2024-02-11,,PKPU 3/2022,,false",
        "pemilu-2029,1,,1,X,X,2028-01-01,2028-02-01,,,,false",
        "pemilu-2024,9a,9,1,Coblos,Vote,2024-02-14,2024-02-14,,,,false",
        "pemilu-2024,10,,3,Hasil,Results,2024-03-20,,,,,false",
    ]) + "\n")
    with pytest.raises(ImportRejected) as caught:
        services.stages_import_csv(actor=services.system_actor(), path=path)
    assert [line for line, _ in caught.value.errors] == [3, 4, 5, 6]
    assert "ends_on is before starts_on" in caught.value.errors[0][1]
    assert ElectionStage.objects.count() == 0


def test_current_and_next_follow_the_clock_in_wita(stages, election):
    with clock.travel_to(at(2024, 2, 10, 23)):  # last hour of the campaign
        current, upcoming = selectors.current_and_next(list(election.stages.all()), clock.today())
        assert [s.code for s in current] == ["7"] and upcoming.code == "8"
    # 00:30 WITA on 11 February is still 10 February in UTC: WITA decides.
    with clock.travel_to(at(2024, 2, 11, 0).replace(minute=30)):
        current, upcoming = selectors.current_and_next(list(election.stages.all()), clock.today())
        assert [s.code for s in current] == ["8"] and upcoming.code == "9"
    with clock.travel_to(at(2024, 2, 16)):
        current, _ = selectors.current_and_next(list(election.stages.all()), clock.today())
        assert [s.code for s in current] == ["9c", "9"]


def test_timeline_page_marks_today_and_the_current_stage(personas, stages, client):
    client.force_login(personas["observer"])
    with clock.travel_to(at(2024, 2, 8)):
        body = client.get("/elections/pemilu-2024/").content.decode()
    assert 'class="today"' in body
    assert 'data-testid="current-row">Masa kampanye' in body
    assert "Masa tenang" in body.split('data-testid="current-stage"')[1].split("</div>")[0]  # named as next
    with clock.travel_to(at(2026, 1, 1)):
        assert 'class="today"' not in client.get("/elections/pemilu-2024/").content.decode()


def test_stage_api_and_current_endpoint(api_for, personas, stages):
    client = api_for(personas["samarinda_operator"])
    with clock.travel_to(at(2024, 2, 12)):
        body = client.get("/api/v1/elections/pemilu-2024/current/").json()
        assert [s["code"] for s in body["current"]] == ["8"] and body["next"]["code"] == "9"
        assert client.get("/api/v1/stages/", {"current": "true"}).json()["count"] == 1
    assert client.get("/api/v1/stages/", {"election": "pemilu-2024", "top_level": "true"}).json()["count"] == 4
    assert client.get("/api/v1/stages/", {"parent": stages["voting"].pk}).json()["results"][0]["code"] == "9c"


def test_stage_page_lists_its_risks_in_scope(personas, risks, stages, client):
    client.force_login(personas["samarinda_operator"])
    body = client.get(f"/stages/{stages['voting'].pk}/").content.decode()
    assert "Massa di PPK" in body and "Banjir" not in body  # sub-stage risk yes, Balikpapan's no


def test_secretariat_corrects_a_stage_in_admin_and_dates_out_of_order_are_refused(personas, stages, client):
    secretariat = personas["secretariat"]
    client.force_login(secretariat)
    quiet = stages["quiet"]
    form = {"election": quiet.election_id, "code": quiet.code, "order": 0, "name": quiet.name, "name_en": "",
            "starts_on": "2024-02-11", "ends_on": "2024-02-10", "end_rule": "", "regulation": "PKPU 3/2022",
            "source": "", "parent": ""}
    refused = client.post(f"/admin/coordination/electionstage/{quiet.pk}/change/", form)
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    quiet.refresh_from_db()
    assert quiet.ends_on == date(2024, 2, 13)
    corrected = client.post(f"/admin/coordination/electionstage/{quiet.pk}/change/", {**form, "ends_on": "2024-02-12"})
    assert corrected.status_code == 302
    quiet.refresh_from_db()
    assert quiet.ends_on == date(2024, 2, 12) and quiet.history.first().history_user == secretariat
    client.force_login(personas["samarinda_operator"])
    assert client.post(f"/admin/coordination/electionstage/{quiet.pk}/change/", form).status_code == 302  # to login


def test_home_shows_the_current_stage_and_open_risks(personas, risks, client):
    client.force_login(personas["samarinda_operator"])
    with clock.travel_to(at(2024, 2, 8)):
        body = client.get("/").content.decode()
    assert "Masa kampanye" in body.split('data-testid="home-current"')[1].split("</p>")[0]
    assert 'data-testid="home-open-risks">2<' in body and "Banjir" not in body
