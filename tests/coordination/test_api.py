from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coordination import services
from coordination.models import ApiToken, PollingStation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("english")


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_token_exchange_scopes_a_regional_office(personas, stations):
    response = APIClient().post("/api/v1/auth/token/", {"username": "samarinda_operator", "password": PASSWORD,
                                                        "name": "tps-sync", "expires_in_days": 30}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "tps-sync" and body["key"].startswith(body["prefix"])
    lifetime = timezone.datetime.fromisoformat(body["expires_at"]) - timezone.now()
    assert timedelta(days=29) < lifetime <= timedelta(days=30)

    client = token_client(body["key"])
    me = client.get("/api/v1/me/").json()
    assert me["scope_code"] == "64.72" and me["agency"]["code"] == "kpu-samarinda"
    codes = {row["village_code"] for row in client.get("/api/v1/polling-stations/").json()["results"]}
    assert codes == {"64.72.01.1001", "64.72.02.1001"}
    assert client.get(f"/api/v1/polling-stations/{stations['balikpapan'].pk}/").status_code == 404
    assert ApiToken.objects.get(name="tps-sync").last_used_at is not None


def test_several_named_tokens_and_revocation(personas):
    user = personas["samarinda_police"]
    first, first_key = services.api_token_create(actor=user, name="laptop")
    _, second_key = services.api_token_create(actor=user, name="phone")
    listed = token_client(second_key).get("/api/v1/tokens/").json()["results"]
    assert {row["name"] for row in listed} == {"laptop", "phone"}
    assert "key" not in listed[0]

    assert token_client(second_key).delete(f"/api/v1/tokens/{first.pk}/").status_code == 204
    refused = token_client(first_key).get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json() == {"code": "authentication_failed", "detail": "Invalid or revoked token."}
    assert token_client(second_key).get("/api/v1/me/").status_code == 200
    first.refresh_from_db()
    assert first.history.first().history_user == user


def test_duplicate_name_is_a_conflict_and_expired_tokens_fail(personas):
    user = personas["observer"]
    services.api_token_create(actor=user, name="report")
    response = APIClient().post("/api/v1/auth/token/", {"username": "observer", "password": PASSWORD,
                                                        "name": "report"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "token_name_taken"

    token, key = services.api_token_create(actor=user, name="short", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_client(key).get("/api/v1/me/").json()["detail"] == "The token has expired."


def test_inactive_user_token_fails(personas):
    user = personas["observer"]
    _, key = services.api_token_create(actor=user, name="x")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert token_client(key).get("/api/v1/me/").status_code == 401


def test_error_format_for_bad_input(personas):
    response = APIClient().post("/api/v1/auth/token/", {"username": "observer", "expires_in_days": 999},
                                format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"password", "expires_in_days"}

    wrong = APIClient().post("/api/v1/auth/token/", {"username": "observer", "password": "nope"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_credentials"


def test_filters(api_for, personas, stations, tree):
    client = api_for(personas["province_staff"])
    rows = client.get("/api/v1/regions/", {"level": "village", "code_prefix": "64.72"}).json()
    assert [r["code"] for r in rows["results"]] == ["64.72.01.1001", "64.72.01.1002", "64.72.02.1001"]
    assert client.get("/api/v1/regions/", {"parent": "64.72"}).json()["count"] == 2
    assert client.get("/api/v1/regions/", {"level": "planet"}).status_code == 400

    stations["balikpapan"].access_mode = "sea"
    stations["balikpapan"].save(update_fields=["access_mode"])
    # The TPS list is read by cursor and counts nothing: its rows say what the filters kept.
    tps = [(row["village_code"], row["access_mode"])
           for row in client.get("/api/v1/polling-stations/", {"access_mode": "sea"}).json()["results"]]
    assert tps == [("64.71.01.1001", "sea")]
    assert len(client.get("/api/v1/polling-stations/", {"region": "64.72.02"}).json()["results"]) == 1
    assert len(client.get("/api/v1/polling-stations/", {"election": "pemilu-2024"}).json()["results"]) == 3
    assert client.get("/api/v1/polling-stations/", {"election": "nope"}).status_code == 400
    assert client.get("/api/v1/agencies/", {"kind": "polri"}).json()["count"] == 3
    detail = client.get("/api/v1/regions/64.72/").json()
    assert detail["parent_code"] == "64" and "boundary" in detail


def test_regional_office_sees_agencies_above_but_not_beside(api_for, personas):
    codes = {row["code"] for row in api_for(personas["samarinda_operator"]).get("/api/v1/agencies/").json()["results"]}
    assert {"kpu-samarinda", "polres-samarinda", "kpu-kaltim", "polda-kaltim"} <= codes
    assert "kpu-balikpapan" not in codes and "polres-balikpapan" not in codes


def test_import_endpoint_reports_rows_and_writes_nothing(api_for, personas, election, tree):
    client = api_for(personas["samarinda_operator"])
    bad = BytesIO(b"village_code,number,voters\n64.72.01.1001,1,250\n64.72.01.1001,2,999\n")
    response = client.post("/api/v1/polling-stations/import/", {"election": "pemilu-2024", "file": bad},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {"line 3": ["voters '999' must be a whole number from 0 to 300"]}
    bad.seek(0)
    indonesian = client.post("/api/v1/polling-stations/import/", {"election": "pemilu-2024", "file": bad})
    assert indonesian.json()["detail"] == "1 baris ditolak; tidak ada data yang diimpor."
    assert PollingStation.objects.count() == 0

    good = BytesIO(b"village_code,number,voters\n64.72.01.1001,1,250\n")
    response = client.post("/api/v1/polling-stations/import/", {"election": "pemilu-2024", "file": good})
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    missing = client.post("/api/v1/polling-stations/import/", {"election": "nope"})
    assert set(missing.json()["errors"]) == {"election", "file"}


def test_pagination_is_bounded(api_for, personas, stations, monkeypatch):
    from kpu_polda.base.drf import Pagination

    client = api_for(personas["secretariat"])
    body = client.get("/api/v1/regions/", {"page_size": 2}).json()
    assert body["count"] == 10 and len(body["results"]) == 2 and body["next"]
    assert Pagination.max_page_size == 500
    monkeypatch.setattr(Pagination, "max_page_size", 4)
    assert len(client.get("/api/v1/regions/", {"page_size": 10_000}).json()["results"]) == 4


def test_import_reports_every_problem_of_a_line(api_for, personas, election, tree):
    bad = BytesIO(b"village_code,number,voters\n64.72.01.1001,0,999\n")
    response = api_for(personas["samarinda_operator"]).post(
        "/api/v1/polling-stations/import/", {"election": "pemilu-2024", "file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["line 2"] == [
        "number '0' must be a whole number from 1; voters '999' must be a whole number from 0 to 300"]


def test_user_without_agency_sees_nothing(api_for, stations, tree):
    from tests.factories import UserFactory

    client = api_for(UserFactory(username="loose"))
    for path in ("/api/v1/regions/", "/api/v1/polling-stations/", "/api/v1/agencies/"):
        assert client.get(path).json()["results"] == []
    assert client.get("/api/v1/regions/64/").status_code == 404
    assert client.get("/api/v1/me/").json()["scope_code"] is None


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_served_locally(client, personas, path):
    client.force_login(personas["observer"])
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body and "unpkg" not in body
    if path == "/api/schema/":
        assert "/api/v1/polling-stations/import/" in body and "tokenAuth" in body
