"""The fixes of the 360 px phone review: the planning page off a kab/kota, the berita
acara's parties, the board's selects and compact lines, the request form's TPS by village
code and number, the order of the escort's steps, the admin's refusal, the API's words."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from coordination.choices import Role
from coordination.models import ElectionStage
from logistics.models import EscortRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_data(election, **overrides):
    data = {
        "election": election.pk, "cargo": "goods", "direction": "outbound",
        "origin_kind": "warehouse", "origin_region": "64.72", "origin_name": "Gudang KPU Samarinda",
        "destination_kind": "tps", "destination_tps_0": "", "destination_tps_1": "",
        "planned_departure": "2024-02-12T08:00", "planned_arrival": "2024-02-12T11:30", "transport_mode": "road",
        "items-TOTAL_FORMS": "6", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "6",
        "items-0-kind": "ballot_president", "items-0-quantity": "204", "items-0-unit": "lembar",
    }
    data.update(overrides)
    return data


# --- 1. planning off a kab/kota -----------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_planning_a_kecamatan_is_a_form_error_not_a_500(method, login, personas, election):
    client = login(personas["samarinda_operator"])
    response = getattr(client, method)("/logistics/board/plan/", {"region": "64.72.01"})
    assert response.status_code == 400
    with translation.override("id"):
        expected = gettext("Open the board of a kab/kota to plan its legs.")
    assert response.context["form"].non_field_errors() == [expected]
    assert not EscortRequest.objects.exists()


# --- 2. berita acara ------------------------------------------------------------------------


def test_both_parties_show_name_role_and_agency_and_the_items_stack(make_escort, login, personas):
    escort = make_escort("handed_over")
    page = login(personas["samarinda_operator"]).get(f"/logistics/escorts/{escort.pk}/berita-acara/").content.decode()
    first, second = page.split("PIHAK KEDUA</strong> (yang menerima)")[:2]
    first = first.split("PIHAK PERTAMA</strong> (yang menyerahkan)")[1]
    second = second.split("</table>")[0]
    for party in (first, second):
        assert "<td>Nama</td>" in party and "<td>Jabatan</td>" in party and "<td>Instansi</td>" in party
    # The escort confirmed without a role: the commander's role stands in.
    assert "Komandan pengawalan" in first.split("<td>Jabatan</td>")[1].split("</tr>")[0]
    assert 'data-label="Nomor segel"' in page
    assert "@media screen and (max-width: 575.98px)" in page and "size: A4 portrait" in page


# --- 3. the board ---------------------------------------------------------------------------


def test_board_filters_are_selects_and_lines_are_compact(make_escort, login, personas, election):
    ElectionStage.objects.create(election=election, name="Distribusi logistik", order=90,
                                 starts_on=election.voting_day - timedelta(days=10))
    make_escort("submitted")
    make_escort("departed")
    response = login(personas["samarinda_operator"]).get("/logistics/board/?region=64.72")
    assert response.status_code == 200
    page = response.content.decode()
    election_select = re.search(r'<select name="election"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert election.name in election_select and f'value="{election.code}" selected' in election_select
    stage_select = re.search(r'<select name="stage"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert "Distribusi logistik" in stage_select
    # Labelled as what they are now (not the API's "election code" and "stage id").
    labels = re.findall(r'<label class="form-label small mb-0" for="id_(election|stage)">([^<]*)</label>', page)
    assert labels[:2] == [("election", "Pemilu/Pemilihan"), ("stage", "Tahapan")]  # the filters (then the plan form)
    assert 'name="stage" type' not in page and 'type="number"' not in page.split("</form>")[0]
    row = re.search(r'<tr[^>]*data-region="64.72.01">(.*?)</tr>', page, re.S).group(1)
    assert row.count("<td") == 7  # one compact line, whatever the number of statuses
    badges = dict(re.findall(r'data-status="(\w+)">[^<]* (\d+)</span>', row))
    assert badges == {"submitted": "1", "departed": "1"}  # non-zero statuses only
    line = next(line for line in response.context["lines"] if line["row"].code == "64.72.01")
    assert line["active"] == 2


def test_board_stage_filter_filters(make_escort, login, personas, election):
    stage = ElectionStage.objects.create(election=election, name="Distribusi logistik", order=90,
                                         starts_on=election.voting_day - timedelta(days=10))
    make_escort("submitted")
    response = login(personas["samarinda_operator"]).get(f"/logistics/board/?region=64.72&stage={stage.pk}")
    assert response.status_code == 200 and response.context["board"].total.total == 0


# --- 4. the request form --------------------------------------------------------------------


def test_request_names_the_tps_by_village_code_and_number(login, personas, election, stations):
    client = login(personas["samarinda_operator"])
    page = client.get("/logistics/escorts/new/").content.decode()
    assert 'name="destination_tps_0"' in page and 'name="destination_tps_1"' in page
    with translation.override("id"):
        example, empty_stage = gettext("e.g. 64.72.01"), gettext("— choose a stage —")
    assert f'placeholder="{example}"' in page and "64.72.01" in example
    assert f'<option value="" selected>{empty_stage}</option>' in page
    shown, folded = page.split('data-testid="more-items"')
    assert re.findall(r'name="items-(\d+)-kind"', shown) == ["0", "1"]
    assert re.findall(r'name="items-(\d+)-kind"', folded) == ["2", "3", "4", "5"]
    station = stations["samarinda"]
    response = client.post("/logistics/escorts/new/", request_data(
        election, destination_tps_0=station.village_code, destination_tps_1=str(station.number)))
    assert response.status_code == 302, response.context["form"].errors
    assert EscortRequest.objects.get().destination_tps == station


@pytest.mark.parametrize("code, number", [("64.71.01.1001", "1"), ("64.72.01.1001", "99"), ("64.72.01.1001", ""),
                                          ("64.72.01.1001", "x"), ("64.72.01.1001", "٣")])
def test_a_tps_outside_the_region_or_unknown_is_a_field_error(login, personas, election, stations, code, number):
    if code.startswith("64.71"):
        code = stations["balikpapan"].village_code
    else:
        code = stations["samarinda"].village_code
    response = login(personas["samarinda_operator"]).post("/logistics/escorts/new/", request_data(
        election, destination_tps_0=code, destination_tps_1=number))
    assert response.status_code == 400
    assert response.context["form"].errors["destination_tps"]
    assert not EscortRequest.objects.exists()


def test_a_folded_item_row_in_use_is_drawn_open(login, personas, election, stations):
    station = stations["samarinda"]
    response = login(personas["samarinda_operator"]).post("/logistics/escorts/new/", request_data(
        election, destination_tps_0=station.village_code, destination_tps_1="1", **{"items-4-quantity": "3"}))
    assert response.status_code == 400
    assert 'data-testid="more-items"' in response.content.decode()
    assert re.search(r'<details class="mt-2" open data-testid="more-items">', response.content.decode())


# --- 5. the escort's steps ------------------------------------------------------------------


def test_the_forward_step_comes_before_reject(make_escort, login, personas):
    escort = make_escort("submitted")
    page = login(personas["samarinda_police"]).get(f"/logistics/escorts/{escort.pk}/").content.decode()
    assert page.index('id="step-accept"') < page.index('id="step-reject"')
    reject = page[page.index('id="step-reject"'):]
    assert "btn-outline-danger" in reject.split("</form>")[0]


def test_the_assignment_says_an_empty_unit_is_ones_own(make_escort, login, personas):
    escort = make_escort("accepted")
    page = login(personas["samarinda_police"]).get(f"/logistics/escorts/{escort.pk}/").content.decode()
    with translation.override("id"):
        own = gettext("My own unit")
    assert f'<option value="" selected>{own}</option>' in page


# --- 6. the field card ----------------------------------------------------------------------


def test_the_field_card_keeps_the_number_whole(make_escort, login, personas):
    make_escort("departed", planned_departure=timezone.now() - timedelta(hours=1))
    page = login(personas["samarinda_police"]).get("/logistics/field/").content.decode()
    assert "text-nowrap field-number" in page


# --- 7. the admin ---------------------------------------------------------------------------


def test_a_refused_admin_save_shows_the_error_alone(make_escort, agencies, client, monkeypatch):
    from kpu_polda.base.exceptions import DomainError
    from logistics import services
    from tests.logistics.test_admin import item_form

    clerk = UserFactory(username="sekretariat.smd", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                        is_staff=True)
    escort = make_escort("accepted")

    def refuse(**kwargs):  # e.g. the escort departed between the form's drawing and its save
        raise DomainError("Ditolak oleh layanan.")

    monkeypatch.setattr(services, "escort_request_update", refuse)
    client.force_login(clerk)
    url = f"/admin/logistics/escortrequest/{escort.pk}/change/"
    response = client.post(url, item_form(escort, []))
    assert response.status_code == 302 and response["Location"] == url
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["Ditolak oleh layanan."]
    escort.refresh_from_db()
    assert escort.notes != "Dikoreksi sekretariat"


# --- 8. the API's words ---------------------------------------------------------------------


@pytest.fixture
def kpu_api(api_for, personas):
    return api_for(personas["samarinda_operator"])


def _body(stations, **extra):
    departure = timezone.now() + timedelta(days=2)
    return {"election": "pemilu-2024", "origin_kind": "warehouse", "origin_name": "Gudang", "origin_region": "64.72",
            "destination_kind": "tps", "destination_tps": stations["samarinda"].pk,
            "planned_departure": departure.isoformat(),
            "planned_arrival": (departure + timedelta(hours=3)).isoformat(),
            "items": [{"kind": "ballot_president", "quantity": 204}], **extra}


def _messages(answer) -> str:
    return repr(answer.json())


def test_api_shape_errors_are_in_the_projects_words(kpu_api, stations, election, make_escort, api_for, personas):
    answer = kpu_api.post("/api/v1/escorts/", _body(stations, election="nope"), format="json",
                          HTTP_ACCEPT_LANGUAGE="id")
    assert answer.status_code == 400 and "Pemilu tidak dikenal" in _messages(answer)
    assert "does not exist" not in _messages(answer)
    answer = kpu_api.post("/api/v1/escorts/", _body(stations, items={"kind": "ballot_box"}), format="json")
    assert answer.status_code == 400 and "Expected a list" not in _messages(answer)
    answer = kpu_api.post("/api/v1/escorts/", _body(stations, items=[["ballot_box"]]), format="json")
    assert answer.status_code == 400 and "Expected a dictionary" not in _messages(answer)
    escort = make_escort("arrived")
    police = api_for(personas["samarinda_police"])
    answer = police.post(f"/api/v1/escorts/{escort.pk}/handover-escort/", {"counts": {"item": 1}}, format="json")
    assert answer.status_code == 400 and "Expected a list" not in _messages(answer)
    answer = police.post(f"/api/v1/escorts/{escort.pk}/handover-escort/", {"counts": [[1, 2]]}, format="json")
    assert answer.status_code == 400 and "Expected a dictionary" not in _messages(answer)
