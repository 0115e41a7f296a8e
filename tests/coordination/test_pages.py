from coordination import services
from coordination.models import ApiToken, PollingStation
from tests.test_helpers import csv_upload


def test_home_shows_agency_and_scope(personas, stations, client):
    client.force_login(personas["samarinda_operator"])
    body = client.get("/").content.decode()
    assert "KPU Samarinda" in body and "64.72" in body
    assert 'data-testid="count-district">2<' in body and 'data-testid="count-village">3<' in body


def test_drill_down_from_city_to_village(personas, stations, client):
    client.force_login(personas["samarinda_operator"])
    assert client.get("/regions/").url == "/regions/64.72/"
    city = client.get("/regions/64.72/").content.decode()
    assert "Samarinda Ulu" in city and "Samarinda Ilir" in city and "Balikpapan" not in city
    village = client.get("/regions/64.72.01.1001/").content.decode()
    assert "TPS 001" in village and "Samarinda Ulu" in village  # breadcrumb
    assert client.get("/regions/64.71.01/").status_code == 404


def test_polling_station_search(personas, stations, client):
    client.force_login(personas["province_staff"])
    body = client.get("/polling-stations/", {"q": "Dama"}).content.decode()
    assert "Sungai Dama" in body and "Karang Mumus" not in body
    balikpapan = client.get("/polling-stations/", {"region": "64.71"})
    assert [station.village.name for station in balikpapan.context["page"]] == ["Damai"]
    assert "Damai" in balikpapan.content.decode() and "Karang Mumus" not in balikpapan.content.decode()


def test_import_page_shows_row_errors_and_keeps_nothing(personas, election, tree, client):
    client.force_login(personas["samarinda_operator"])
    upload = csv_upload("64.72.01.1001,1,250", "64.71.01.1001,1,250")
    upload.name = "tps.csv"
    response = client.post("/polling-stations/import/", {"election": election.pk, "file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "64.71.01.1001" in body and ("Line 3" in body or "Baris 3" in body)
    assert PollingStation.objects.count() == 0

    good = csv_upload("64.72.01.1001,1,250")
    good.name = "tps.csv"
    response = client.post("/polling-stations/import/", {"election": election.pk, "file": good}, follow=True)
    assert PollingStation.objects.count() == 1
    assert "1 created" in response.content.decode() or "1 dibuat" in response.content.decode()


def test_profile_creates_shows_once_and_revokes_tokens(personas, client):
    user = personas["samarinda_police"]
    client.force_login(user)
    response = client.post("/profile/", {"name": "phone", "expires_in_days": "30"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert 'data-testid="issued-key"' in body and token.prefix in body
    assert 'data-testid="issued-key"' not in client.get("/profile/").content.decode()

    duplicate = client.post("/profile/", {"name": "phone", "expires_in_days": "5000"})
    assert duplicate.status_code == 400
    assert 'value="phone"' in duplicate.content.decode()  # the input is kept

    client.post(f"/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_duplicate_name_error(personas, client):
    user = personas["observer"]
    services.api_token_create(actor=user, name="report")
    client.force_login(user)
    response = client.post("/profile/", {"name": "report"})
    assert response.status_code == 400 and "report" in response.content.decode()


def test_pages_are_indonesian_by_default_and_english_on_request(personas, client):
    client.force_login(personas["observer"])
    assert "Wilayah" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Regions" in client.get("/").content.decode()


def test_unfiltered_lists_show_everything_in_scope(personas, stations, client):
    client.force_login(personas["samarinda_operator"])
    body = client.get("/polling-stations/").content.decode()
    assert "Karang Mumus" in body and "Sungai Dama" in body and "Damai<" not in body
    agencies = client.get("/agencies/").content.decode()
    assert "KPU-SAMARINDA" in agencies and "KPU-BALIKPAPAN" not in agencies


def test_pages_ignore_browser_language_but_follow_the_switch(personas, client):
    client.force_login(personas["observer"])
    assert "Wilayah" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Regions" in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_api_follows_accept_language(personas, api_for):
    client = api_for()
    assert "credentials" in client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert "autentikasi" in client.get("/api/v1/me/").json()["detail"]
