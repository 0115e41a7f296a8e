"""The escort board (logistics.selectors.board, logistics.views.board)."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kpu_polda.base import clock
from logistics import services
from logistics.models import EscortRequest

WITA = ZoneInfo("Asia/Makassar")


def rows_of(response):
    return {row.code: row for row in response.context["board"].rows}


@pytest.fixture
def legs(make_escort, stations, personas):
    """Samarinda Ulu (64.72.01): one submitted, one accepted, one departed with a shortfall
    found at arrival; Samarinda Ilir (64.72.02): its TPS handed over."""
    submitted = make_escort("submitted")
    accepted = make_escort("accepted")
    departed = make_escort("departed")
    counts = {item.pk: item.quantity - 1 for item in departed.items.all()}
    seals = " ".join(seal for item in departed.items.all() for seal in item.seals)
    services.custody_confirm(actor=personas["samarinda_police"], escort=departed, action="arrive", counts=counts,
                             seals_intact=True, seals_seen=seals)
    handed = make_escort("handed_over", destination=stations["samarinda2"])
    return {"submitted": submitted, "accepted": accepted, "arrived": departed, "handed_over": handed}


def test_counts_by_status_per_kecamatan(legs, personas, login):
    response = login(personas["samarinda_operator"]).get("/logistics/board/?region=64.72")
    assert response.status_code == 200
    rows = rows_of(response)
    assert set(rows) == {"64.72.01", "64.72.02"}
    assert rows["64.72.01"].statuses == {"submitted": 1, "accepted": 1, "arrived": 1}
    assert rows["64.72.02"].statuses == {"handed_over": 1}
    assert rows["64.72.01"].name == "Samarinda Ulu"
    assert response.context["board"].total.total == 4


def test_province_scope_shows_kab_kota_rows(legs, personas, login):
    response = login(personas["province_staff"]).get("/logistics/board/")
    rows = rows_of(response)
    assert {"64.71", "64.72"} <= set(rows)
    assert rows["64.72"].total == 4 and rows["64.71"].total == 0
    assert rows["64.72"].name == "Kota Samarinda"


def test_overdue_on_the_app_clock(legs, personas, login):
    client = login(personas["samarinda_operator"])
    assert rows_of(client.get("/logistics/board/?region=64.72"))["64.72.01"].overdue == 0
    # Three days on, the legs not yet departed are late.
    with clock.travel_to(timezone.now() + timedelta(days=3)):
        rows = rows_of(client.get("/logistics/board/?region=64.72"))
    assert rows["64.72.01"].overdue == 2
    assert rows["64.72.02"].overdue == 0


def test_open_discrepancies_are_counted_and_highlighted(legs, personas, login):
    response = login(personas["samarinda_operator"]).get("/logistics/board/?region=64.72")
    rows = rows_of(response)
    assert rows["64.72.01"].discrepancies == 2  # both items short
    assert rows["64.72.02"].discrepancies == 0
    assert 'class="table-warning"' in response.content.decode()


def test_tps_not_yet_supplied_and_days_to_h_minus_1(legs, personas, login, election):
    client = login(personas["samarinda_operator"])
    with clock.travel_to(datetime(2024, 2, 10, 9, tzinfo=WITA)):
        response = client.get("/logistics/board/?region=64.72")
    board = response.context["board"]
    rows = rows_of(response)
    # Samarinda Ilir's only TPS is handed over; Samarinda Ulu's is still on its way.
    assert (rows["64.72.01"].tps, rows["64.72.01"].not_supplied) == (1, 1)
    assert (rows["64.72.02"].tps, rows["64.72.02"].not_supplied) == (1, 0)
    assert board.days_left == 3 and board.deadline == election.voting_day - timedelta(days=1)
    assert board.deadline_near
    assert 'data-testid="deadline"' in response.content.decode()


def test_closing_counts_as_supplied_and_the_filters_apply(legs, personas, login):
    client = login(personas["samarinda_operator"])
    returned = client.get("/logistics/board/?region=64.72&direction=return")
    assert returned.context["board"].total.total == 0
    # The deadline is about the TPS whatever the filters on the legs.
    assert rows_of(returned)["64.72.02"].not_supplied == 0
    assert client.get("/logistics/board/?region=64.72&departs_from=not-a-date").status_code == 400
    assert client.get("/logistics/board/?election=no-such-election").status_code == 400


def test_scope_other_kab_kota_sees_none_of_samarinda(legs, personas, login):
    client = login(personas["balikpapan_operator"])
    assert client.get("/logistics/board/?region=64.72").status_code == 404
    assert client.get("/logistics/board/?region=64").status_code == 404
    response = client.get("/logistics/board/")
    board = response.context["board"]
    assert board.region.code == "64.71"
    assert board.total.total == 0 and board.total.discrepancies == 0
    assert all(not row.code.startswith("64.72") for row in board.rows)
    export = client.get("/logistics/board/export.csv").content.decode("utf-8-sig")
    assert "Samarinda" not in export


def test_csv_export_in_the_pages_language(legs, personas, login):
    client = login(personas["samarinda_operator"])
    response = client.get("/logistics/board/export.csv?region=64.72&lang=en")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Code", "Region", "Submitted"]
    assert lines[1][:2] == ["64.72.01", "Samarinda Ulu"]
    assert lines[-1][1] == "Total"
    indonesian = client.get("/logistics/board/export.csv?region=64.72").content.decode("utf-8-sig")
    assert not indonesian.startswith("Code;Region")


def test_the_plan_form_is_for_kpu_offices(personas, login, election, stations):
    client = login(personas["samarinda_operator"])
    board = client.get("/logistics/board/?region=64.72")
    assert board.context["plan_form"] is not None
    assert client.get("/logistics/board/").context["plan_form"] is not None  # the operator's own kab/kota
    response = client.post("/logistics/board/plan/", {"region": "64.72", "election": election.code})
    assert response.status_code == 302 and "region=64.72" in response["Location"]
    assert EscortRequest.objects.filter(plan_key__isnull=False).count() == 6
    police = login(personas["samarinda_police"])
    assert police.get("/logistics/board/?region=64.72").context["plan_form"] is None
    assert police.post("/logistics/board/plan/", {"region": "64.72", "election": election.code}).status_code == 403
    other = login(personas["balikpapan_operator"])
    assert other.post("/logistics/board/plan/", {"region": "64.72", "election": election.code}).status_code == 404
    province = login(personas["province_staff"])
    assert province.get("/logistics/board/").context["plan_form"] is None  # a province: choose a kab/kota first
    assert province.post("/logistics/board/plan/", {"region": "64.72", "election": "nope"}).status_code == 400
