from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coordination import selectors, services
from coordination.models import RiskAssessment, RiskStatusChange
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied, TransitionNotAllowed


def test_score_and_level_follow_likelihood_and_impact(risks):
    samarinda = RiskAssessment.objects.get(pk=risks["samarinda"].pk)
    assert (samarinda.score, samarinda.level) == (16, "high")
    assert RiskAssessment.objects.get(pk=risks["balikpapan"].pk).level == "extreme"
    assert RiskAssessment.objects.get(pk=risks["samarinda_kec"].pk).level == "medium"


def test_police_of_samarinda_edit_samarinda_risks_not_balikpapans(personas, risks, stages, tree):
    police = personas["samarinda_police"]
    updated = services.risk_update(actor=police, risk=risks["samarinda"], mitigation="Patroli gabungan malam")
    assert updated.mitigation == "Patroli gabungan malam"
    assert updated.history.first().history_user == police
    with pytest.raises(OutOfScope):
        services.risk_update(actor=police, risk=risks["balikpapan"], mitigation="x")
    with pytest.raises(OutOfScope):  # nor move one of its own out of its region
        services.risk_update(actor=police, risk=risks["samarinda"], region=tree["balikpapan"])
    with pytest.raises(OutOfScope):
        services.risk_create(actor=police, stage=stages["voting"], region=tree["bpn_kel"], category="security",
                             title="x", likelihood=1, impact=1)
    with pytest.raises(PermissionDenied):
        services.risk_update(actor=personas["observer"], risk=risks["samarinda"], mitigation="x")
    assert RiskAssessment.objects.get(pk=risks["balikpapan"].pk).mitigation == ""


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 3), (3, 0), (3, 9)])
def test_likelihood_and_impact_outside_one_to_five_are_refused(personas, stages, tree, likelihood, impact):
    with pytest.raises(ValidationError) as caught:
        services.risk_create(actor=personas["samarinda_operator"], stage=stages["voting"], region=tree["samarinda"],
                             category="security", title="x", likelihood=likelihood, impact=impact)
    assert set(caught.value.message_dict) & {"likelihood", "impact"}
    assert not RiskAssessment.objects.exists()


def test_review_sets_scores_and_keeps_a_trail(personas, risks):
    risk = risks["samarinda"]
    services.risk_review(actor=personas["samarinda_police"], risk=risk, likelihood=2, impact=4, note="Sudah patroli")
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score) == (2, 4, 8)
    review = risk.reviews.get()
    assert (review.reviewed_by, review.likelihood, review.note) == (personas["samarinda_police"], 2, "Sudah patroli")
    with pytest.raises(ValidationError):
        services.risk_review(actor=personas["samarinda_police"], risk=risk, likelihood=2, impact=4, note=" ")


def test_transitions_follow_the_table_and_reopening_needs_a_reason(personas, risks):
    actor, risk = personas["samarinda_operator"], risks["samarinda"]
    services.risk_transition(actor=actor, risk=risk, to_status="mitigating")
    services.risk_transition(actor=actor, risk=risk, to_status="closed")
    with pytest.raises(TransitionNotAllowed):
        services.risk_transition(actor=actor, risk=risk, to_status="mitigating")
    with pytest.raises(ValidationError):
        services.risk_transition(actor=actor, risk=risk, to_status="open")
    services.risk_transition(actor=actor, risk=risk, to_status="open", reason="Laporan baru dari Polsek")
    trail = list(RiskStatusChange.objects.filter(risk=risk).order_by("id").values_list("from_status", "to_status",
                                                                                     "reason"))
    assert trail == [("open", "mitigating", ""), ("mitigating", "closed", ""),
                     ("closed", "open", "Laporan baru dari Polsek")]


def test_matrix_counts_and_heat_map_cells(personas, risks, stages, election, tree):
    matrix = selectors.risk_matrix(selectors.risks_for(personas["province_staff"]))
    cells = {(c.likelihood, c.impact): c.count for row in matrix for c in row}
    assert cells[(4, 4)] == 1 and cells[(5, 5)] == 1 and cells[(2, 3)] == 1 and sum(cells.values()) == 3
    assert [c.impact for c in matrix[0]] == [5] * 5  # top row is impact 5

    columns, rows = selectors.heat_map(personas["province_staff"], election)
    assert [c.code for c in columns] == ["7", "8", "9", "10"]
    by_region = {row.region.code: row.cells for row in rows}
    assert by_region["64.72"] == [16, None, 6, None]  # the PPK risk (sub-stage 9c) counts for stage 9
    assert by_region["64.71"] == [None, None, 25, None]
    services.risk_transition(actor=personas["balikpapan_operator"], risk=risks["balikpapan"], to_status="closed")
    assert {r.region.code: r.cells for r in selectors.heat_map(personas["province_staff"], election)[1]}[
        "64.71"] == [None] * 4
    samarinda_rows = selectors.heat_map(personas["samarinda_operator"], election)[1]
    assert [r.region.code for r in samarinda_rows] == ["64.72"]


def test_map_data_colours_each_regency_by_its_highest_open_risk(personas, risks, client, election):
    client.force_login(personas["province_staff"])
    data = client.get("/risks/map.geojson").json()
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in data["features"]}
    assert levels == {"64.72": "high", "64.71": "extreme"}
    client.force_login(personas["samarinda_operator"])
    assert [f["properties"]["code"] for f in client.get("/risks/map.geojson").json()["features"]] == ["64.72"]


def test_api_create_review_transition_and_errors(api_for, personas, stages, tree, risks):
    client = api_for(personas["samarinda_police"])
    created = client.post("/api/v1/risks/", {"stage": stages["quiet"].pk, "region": "64.72.01", "category": "security",
                                             "title": "Intimidasi saksi", "likelihood": 3, "impact": 4}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["score"], body["level"], body["status"]) == (12, "high", "open")

    bad = client.post("/api/v1/risks/", {"stage": stages["quiet"].pk, "region": "64.72", "category": "security",
                                         "title": "x", "likelihood": 7, "impact": 0}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"likelihood", "impact"}
    foreign = client.post("/api/v1/risks/", {"stage": stages["quiet"].pk, "region": "64.71", "category": "security",
                                             "title": "x", "likelihood": 1, "impact": 1}, format="json")
    assert foreign.status_code == 404
    assert client.patch(f"/api/v1/risks/{risks['balikpapan'].pk}/", {"title": "x"}, format="json").status_code == 404

    risk_id = body["id"]
    review = client.post(f"/api/v1/risks/{risk_id}/reviews/", {"likelihood": 2, "impact": 2, "note": "Aman"},
                         format="json")
    assert review.status_code == 201 and client.get(f"/api/v1/risks/{risk_id}/").json()["score"] == 4
    assert client.get(f"/api/v1/risks/{risk_id}/reviews/").json()["count"] == 1
    assert client.post(f"/api/v1/risks/{risk_id}/transition/", {"to_status": "closed"}).json()["status"] == "closed"
    conflict = client.post(f"/api/v1/risks/{risk_id}/transition/", {"to_status": "mitigating"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "transition_not_allowed"
    reopen = client.post(f"/api/v1/risks/{risk_id}/transition/", {"to_status": "open"})
    assert reopen.status_code == 400 and "reason" in reopen.json()["errors"]
    scored = client.patch(f"/api/v1/risks/{risk_id}/", {"likelihood": 5}, format="json")
    assert scored.status_code == 400 and "likelihood" in scored.json()["detail"]
    assert api_for(personas["observer"]).post(f"/api/v1/risks/{risk_id}/transition/",
                                              {"to_status": "open", "reason": "x"}).status_code == 403


def test_filters_and_csv_export(api_for, personas, risks, stages):
    client = api_for(personas["province_staff"])
    assert client.get("/api/v1/risks/", {"region": "64.72"}).json()["count"] == 2
    assert client.get("/api/v1/risks/", {"stage": stages["voting"].pk}).json()["count"] == 2
    assert client.get("/api/v1/risks/", {"level": "district"}).json()["count"] == 1
    assert client.get("/api/v1/risks/", {"category": "weather"}).json()["count"] == 1
    assert client.get("/api/v1/risks/", {"min_score": 16}).json()["count"] == 2
    assert client.get("/api/v1/risks/", {"election": "pemilu-2024", "status": "open"}).json()["count"] == 3
    export = api_for(personas["samarinda_operator"]).get("/api/v1/risks/export/")
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("ID;Pemilu/Pemilihan;Tahapan;Kode wilayah") and len(lines) == 3
    assert "Banjir" not in export.content.decode()


def test_risk_page_edit_keeps_input_on_error(personas, risks, client):
    client.force_login(personas["samarinda_police"])
    risk = risks["samarinda"]
    response = client.post(f"/risks/{risk.pk}/", {"action": "edit", "stage": risk.stage_id, "region": "64.71",
                                                 "category": "security", "title": "Judul baru"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Judul baru"' in body
    risk.refresh_from_db()
    assert risk.title == "Politik uang"
    ok = client.post(f"/risks/{risk.pk}/", {"action": "edit", "stage": risk.stage_id, "region": "64.72.01",
                                           "category": "security", "title": "Judul baru", "due_on": date(2024, 2, 10)})
    assert ok.status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.region.code) == ("Judul baru", "64.72.01")


def test_read_only_roles_get_403_from_the_risk_page_forms(personas, risks, client):
    client.force_login(personas["observer"])
    risk = risks["samarinda"]
    assert 'data-testid="edit-form"' not in client.get(f"/risks/{risk.pk}/").content.decode()
    response = client.post(f"/risks/{risk.pk}/", {"action": "transition", "to_status": "closed"})
    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.status == "open"


def test_status_form_offers_only_allowed_moves_and_history_keeps_the_reason(personas, risks, client):
    risk = risks["samarinda"]
    services.risk_transition(actor=personas["samarinda_police"], risk=risk, to_status="closed")
    client.force_login(personas["samarinda_police"])
    form = client.get(f"/risks/{risk.pk}/").content.decode().split('data-testid="transition-form"')[1]
    assert 'value="open"' in form and 'value="closed"' not in form and 'value="mitigating"' not in form
    services.risk_transition(actor=personas["samarinda_police"], risk=risk, to_status="open",
                             reason="Laporan baru dari Polsek")
    assert risk.history.first().history_change_reason == "Laporan baru dari Polsek"


def test_matrix_cell_filter_survives_the_register_form(personas, risks, client):
    client.force_login(personas["province_staff"])
    body = client.get("/risks/", {"likelihood": 5, "impact": 5}).content.decode()
    assert 'name="likelihood" value="5"' in body and 'data-testid="clear-filters"' in body
    assert ">Banjir</a>" in body and ">Politik uang</a>" not in body


def test_the_risk_page_shows_the_latest_reviews_only(personas, risks, client):
    from coordination.views.planning import TRAIL

    risk = risks["samarinda"]
    for n in range(TRAIL + 3):
        services.risk_review(actor=personas["samarinda_operator"], risk=risk, likelihood=1 + n % 5, impact=2,
                             note=f"pemeriksaan {n}")
    client.force_login(personas["samarinda_operator"])
    body = client.get(f"/risks/{risk.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"pemeriksaan {TRAIL + 2}" in body and "pemeriksaan 2<" not in body  # newest first, oldest cut
    assert f"/api/v1/risks/{risk.pk}/reviews/" in body
