"""The trainings API: scope, writes through the services, the steps, participants,
attendance and materials, and what it refuses (400, 403, 404, 409)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Training, TrainingParticipant
from kpu_polda.base import clock
from tests.coordination.activity_factories import pdf_upload, training


def new_training(**extra):
    starts = clock.now() + timedelta(days=5)
    return {"title": "Bimtek logistik", "kind": "bimtek", "organiser": "kpu-samarinda",
            "co_organiser": "polres-samarinda", "area": "64.72", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=4)).isoformat(), "place": "Aula KPU Samarinda", **extra}


@pytest.fixture
def started(agencies, personas):
    return training(agencies, personas, starts_in=-timedelta(hours=1))


def test_create_and_read_in_scope(api_for, personas):
    response = api_for(personas["samarinda_police"]).post("/api/v1/trainings/", new_training(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["organiser"], body["area"], body["evaluation_score"]) == (
        "planned", "kpu-samarinda", "64.72", None)
    url = f"/api/v1/trainings/{body['id']}/"
    assert api_for(personas["province_staff"]).get(url).status_code == 200
    assert api_for(personas["balikpapan_operator"]).get(url).status_code == 404
    listing = api_for(personas["balikpapan_operator"]).get("/api/v1/trainings/").json()
    assert listing["count"] == 0
    assert api_for(personas["observer"]).get("/api/v1/trainings/?status=planned&region=64.72").json()["count"] == 1


def test_observer_reads_but_cannot_write(api_for, personas, started):
    observer = api_for(personas["observer"])
    assert observer.get(f"/api/v1/trainings/{started.pk}/").status_code == 200
    assert observer.post("/api/v1/trainings/", new_training(), format="json").status_code == 403
    assert observer.patch(f"/api/v1/trainings/{started.pk}/", {"place": "x"}, format="json").status_code == 403
    assert observer.post(f"/api/v1/trainings/{started.pk}/hold/", {}, format="json").status_code == 403
    assert Training.objects.get(pk=started.pk).status == "planned"


def test_unknown_and_read_only_fields_are_field_errors(api_for, personas, started):
    client = api_for(personas["samarinda_operator"])
    response = client.post("/api/v1/trainings/", new_training(tittle="typo", status="held"), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"tittle", "status"}
    response = client.patch(f"/api/v1/trainings/{started.pk}/", {"evaluation_score": 90}, format="json")
    assert response.status_code == 400 and "evaluation_score" in response.json()["errors"]
    response = client.post(f"/api/v1/trainings/{started.pk}/hold/", {"score": 90}, format="json")
    assert response.status_code == 400 and "score" in response.json()["errors"]


def test_validation_errors_name_the_field(api_for, personas):
    client = api_for(personas["samarinda_operator"])
    starts = clock.now() + timedelta(days=2)
    response = client.post("/api/v1/trainings/", new_training(ends_at=(starts - timedelta(hours=1)).isoformat(),
                                                              starts_at=starts.isoformat()), format="json")
    assert response.status_code == 400 and "ends_at" in response.json()["errors"]
    response = client.post("/api/v1/trainings/", new_training(kind="karaoke", area="99.99"), format="json")
    assert response.status_code == 400 and {"kind", "area"} <= set(response.json()["errors"])
    assert not Training.objects.exists()


@pytest.mark.parametrize("score", [-1, 100.5, 1000])
def test_a_score_outside_0_to_100_is_a_400(api_for, personas, started, score):
    response = api_for(personas["samarinda_operator"]).post(f"/api/v1/trainings/{started.pk}/hold/",
                                                            {"evaluation_score": score}, format="json")
    assert response.status_code == 400 and "evaluation_score" in response.json()["errors"]


def test_hold_cancel_and_holding_a_cancelled_one_is_a_409(agencies, personas, api_for, started):
    client = api_for(personas["samarinda_operator"])
    response = client.post(f"/api/v1/trainings/{started.pk}/hold/", {"evaluation_score": 92.25}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "held"
    assert response.json()["evaluation_score"] == "92.25"
    assert client.post(f"/api/v1/trainings/{started.pk}/score/", {"evaluation_score": 95},
                       format="json").json()["evaluation_score"] == "95.00"
    planned = training(agencies, personas, title="Simulasi")
    assert client.post(f"/api/v1/trainings/{planned.pk}/hold/", {}, format="json").json()["code"] == "not_started"
    assert client.post(f"/api/v1/trainings/{planned.pk}/cancel/", {}, format="json").status_code == 400
    assert client.post(f"/api/v1/trainings/{planned.pk}/cancel/", {"reason": "Hujan"}, format="json").status_code \
        == 200
    refused = client.post(f"/api/v1/trainings/{planned.pk}/hold/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    assert client.post(f"/api/v1/trainings/{planned.pk}/score/", {"evaluation_score": 5},
                       format="json").status_code == 409
    assert api_for(personas["balikpapan_operator"]).post(f"/api/v1/trainings/{planned.pk}/cancel/",
                                                         {"reason": "x"}, format="json").status_code == 404


def test_participants_and_attendance(api_for, personas, started):
    client = api_for(personas["samarinda_police"])
    url = f"/api/v1/trainings/{started.pk}/participants/"
    added = client.post(url, {"user": "samarinda_operator"}, format="json")
    assert added.status_code == 201 and added.json()["agency"] == "kpu-samarinda"
    again = client.post(url, {"user": "samarinda_operator"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_participant"
    assert client.post(url, {"user": "balikpapan_operator"}, format="json").status_code == 400  # not found
    guest = client.post(url, {"agency": "polres-samarinda", "name": "Personel Samapta"}, format="json").json()
    assert client.post(url, {"name": "Tanpa instansi"}, format="json").status_code == 400
    assert [row["name"] for row in client.get(url).json()["results"]] == [
        "samarinda_operator", "Personel Samapta"]
    recorded = client.post(f"/api/v1/trainings/{started.pk}/attendance/", {"attended": [guest["id"]]},
                           format="json")
    assert recorded.status_code == 200 and recorded.json()["changed"] == 2
    assert {row["name"]: row["attended"] for row in recorded.json()["participants"]} == {
        "samarinda_operator": False, "Personel Samapta": True}
    assert client.post(f"/api/v1/trainings/{started.pk}/attendance/", {"attended": "all"},
                       format="json").status_code == 400
    removed = client.delete(f"/api/v1/trainings/{started.pk}/participants/{guest['id']}/")
    assert removed.status_code == 204
    assert TrainingParticipant.objects.filter(training=started).count() == 1
    assert api_for(personas["balikpapan_operator"]).get(url).status_code == 404


def test_materials_by_file_or_link_and_the_download_is_scoped(api_for, client, personas, started):
    api = api_for(personas["samarinda_operator"])
    url = f"/api/v1/trainings/{started.pk}/materials/"
    link = api.post(url, {"title": "Modul", "link": "https://jdih.kpu.go.id/"}, format="multipart")
    assert link.status_code == 201 and link.json()["file"] is None
    document = api.post(url, {"title": "Slide", "file": pdf_upload("slide.pdf")}, format="multipart")
    assert document.status_code == 201, document.content
    fake = SimpleUploadedFile("slide.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    refused = api.post(url, {"title": "Palsu", "file": fake}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    assert [row["title"] for row in api.get(url).json()["results"]] == ["Modul", "Slide"]
    download = document.json()["file"]
    client.force_login(personas["province_police"])
    answer = client.get(download)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    client.force_login(personas["balikpapan_operator"])
    assert client.get(download).status_code == 404
