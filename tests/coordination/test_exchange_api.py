"""The register's API: create (JSON, and multipart with a file), the steps, the file
upload, the access log, and bad input answered with field errors (400), conflicts (409)
and out of scope (404)."""

from datetime import timedelta

import pytest

from coordination.models import ExchangeAccess, InformationExchange
from kpu_polda.base import clock
from tests.coordination.exchange_factories import entry, pdf


def body(**extra):
    return {"kind": "request", "from_agency": "kpu-samarinda", "to_agency": "polres-samarinda",
            "subject": "Rencana pengamanan rekapitulasi", "purpose": "Penyesuaian jadwal",
            "response_due_on": (clock.today() + timedelta(days=3)).isoformat(), **extra}


def test_create_in_json_and_with_a_file(personas, api_for, agencies):
    client = api_for(personas["samarinda_operator"])
    created = client.post("/api/v1/exchanges/", body(), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["status"], data["from_agency"], data["area"], data["sent_by"], data["overdue"]) == (
        "sent", "kpu-samarinda", "64.72", "samarinda_operator", False)
    upload = client.post("/api/v1/exchanges/", body(classification="confidential", legal_basis="UU 7/2017",
                                                    attachment=pdf(), attachment_title="Surat"), format="multipart")
    assert upload.status_code == 201, upload.json()
    [attachment] = upload.json()["attachments"]
    assert attachment["title"] == "Surat" and attachment["file"].endswith(f"/exchange-attachments/{attachment['id']}/")
    # The sender's own answer carries the confidential entry: a look, recorded.
    assert ExchangeAccess.objects.filter(exchange_id=upload.json()["id"], outcome="shown", channel="api").count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"response_due_on": None}, "response_due_on"),
    ({"response_due_on": "2020-01-01"}, "response_due_on"),
    ({"to_agency": "kpu-samarinda"}, "to_agency"),
    ({"to_agency": "polres-balikpapan"}, "to_agency"),
    ({"status": "answered"}, "status"),
    ({"dibaca_oleh": "semua"}, "dibaca_oleh"),
    ({"kind": "gossip"}, "kind"),
    ({"kind": "sharing", "response_due_on": None}, "content"),
])
def test_bad_input_is_a_400_with_the_field_named(personas, api_for, agencies, change, field):
    response = api_for(personas["samarinda_operator"]).post("/api/v1/exchanges/", body(**change), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert InformationExchange.objects.count() == 0


def test_unknown_fields_are_refused_by_every_step(agencies, personas, api_for):
    row = entry(agencies, personas)
    client = api_for(personas["samarinda_police"])
    for step, data, field in [("acknowledge", {"when": "now"}, "when"), ("answer", {"answer": "x", "lampiran": 1},
                                                                         "lampiran"),
                              ("withdraw", {"reason": "x", "status": "sent"}, "status")]:
        response = client.post(f"/api/v1/exchanges/{row.pk}/{step}/", data, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, step
        assert response.json()["errors"] == {field: ["Unknown field."]}, step
    assert InformationExchange.objects.get(pk=row.pk).status == "sent"


def test_the_steps_and_their_conflicts(agencies, personas, api_for):
    row = entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential")
    receiver, sender = api_for(personas["samarinda_operator"]), api_for(personas["samarinda_police"])
    url = f"/api/v1/exchanges/{row.pk}/"
    assert sender.post(url + "acknowledge/", {}, format="json").status_code == 403
    first = receiver.post(url + "acknowledge/", {}, format="json")
    assert first.status_code == 200 and first.json()["acknowledged_by"] == "samarinda_operator"
    again = receiver.post(url + "acknowledge/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_acknowledged"
    answered = receiver.post(url + "answer/", {"answer": "Diberikan lewat surat resmi"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert sender.post(url + "withdraw/", {"reason": "Tidak perlu"}, format="json").status_code == 409
    file = sender.post(url + "attachments/", {"file": pdf("surat.pdf")}, format="multipart")
    assert file.status_code == 201 and file.json()["title"] == "surat.pdf"
    assert api_for(personas["observer"]).post(url + "acknowledge/", {}, format="json").status_code == 404
    # Each answer carrying the entry was a look at it; the observer's attempt was refused.
    assert list(ExchangeAccess.objects.filter(exchange=row).order_by("id").values_list(
        "viewer__username", "outcome")) == [("samarinda_operator", "shown"), ("samarinda_operator", "shown"),
                                           ("observer", "refused")]


def test_answering_information_shared_is_a_400(agencies, personas, api_for):
    row = entry(agencies, personas, kind="sharing")
    response = api_for(personas["samarinda_police"]).post(f"/api/v1/exchanges/{row.pk}/answer/", {"answer": "Ok"},
                                                          format="json")
    assert response.status_code == 400 and "answer" in response.json()["errors"]


def test_the_list_filters_are_the_pages(agencies, personas, api_for):
    entry(agencies, personas, subject="Satu")
    entry(agencies, personas, kind="sharing", subject="Dua", classification="limited")
    client = api_for(personas["samarinda_operator"])
    assert [r["subject"] for r in client.get("/api/v1/exchanges/", {"kind": "sharing"}).json()["results"]] == ["Dua"]
    assert client.get("/api/v1/exchanges/", {"overdue": "true"}).json()["count"] == 0
    assert client.get("/api/v1/exchanges/", {"classification": "secret"}).status_code == 400
    assert client.get("/api/v1/exchanges/abc/").status_code == 404
