"""The facility and booking pages: what each person sees and may do, the booking form and
its refusals (400 with the field's error, 409 with the overlap named), the decision forms
going back to a safe ``next``, and the month calendar in WITA (a grid and a phone list)."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from coordination.models import Facility, FacilityBooking
from coordination.services import facilities as services
from kpu_polda.base import clock
from tests.coordination.facility_factories import at, booking, facility

WITA = timezone.get_fixed_timezone(8 * 60)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hall(tree, agencies, personas):
    return facility(tree, agencies, personas)


@pytest.fixture
def english_pages(client, settings):
    """Pages follow the language cookie, not the browser: choose English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_list_shows_the_facilities_of_the_region_and_filters_them(hall, tree, agencies, personas, login):
    store = facility(tree, agencies, personas, name="Gudang Polda", kind="warehouse", capacity=None,
                     capacity_unit="")
    polresta = facility(tree, agencies, personas, owner="polresta", name="Aula Polresta", region="samarinda")
    client = login(personas["samarinda_operator"])
    page = client.get("/facilities/")
    assert page.status_code == 200
    assert {f.pk for f in page.context["page"]} == {hall.pk, store.pk, polresta.pk}
    assert not page.context["can_offer"]
    assert {f.pk for f in client.get("/facilities/?kind=hall").context["page"]} == {hall.pk, polresta.pk}
    assert [f.pk for f in client.get("/facilities/?owner=polres-samarinda").context["page"]] == [polresta.pk]
    assert [f.pk for f in client.get("/facilities/?region=64.72.01").context["page"]] == [hall.pk, store.pk]
    assert client.get("/facilities/?owner_id=abc").status_code == 200  # a bad filter: its error, no rows
    assert login(personas["balikpapan_operator"]).get("/facilities/").context["page"].paginator.count == 0
    assert login(personas["samarinda_police"]).get("/facilities/").context["can_offer"]


def test_an_officer_records_edits_and_withdraws_a_facility(agencies, personas, login, tree):
    client = login(personas["samarinda_police"])
    assert client.get("/facilities/new/").status_code == 200
    response = client.post("/facilities/new/", {"owner": agencies["polresta"].pk, "name": "Aula Polresta",
                                                "kind": "hall", "capacity": "150", "capacity_unit": "orang",
                                                "region": "64.72.01", "address": "", "notes": ""})
    row = Facility.objects.get(name="Aula Polresta")
    assert response.status_code == 302 and response["Location"] == f"/facilities/{row.pk}/"
    assert row.history.first().history_user == personas["samarinda_police"]
    # Polresta's officer records Polresta's facilities only, in Polresta's region.
    refused = client.post("/facilities/new/", {"owner": agencies["polresta"].pk, "name": "Aula lain",
                                               "kind": "hall", "region": "64.71"})
    assert refused.status_code == 400 and "region" in refused.context["form"].errors
    edit = client.post(f"/facilities/{row.pk}/edit/", {"name": "Aula Polresta", "kind": "hall", "capacity": "150",
                                                       "capacity_unit": "orang", "region": "64.72.01"})
    assert edit.status_code == 302
    row.refresh_from_db()
    assert row.is_active is False  # the box left unticked: withdrawn from offer
    assert login(personas["samarinda_operator"]).get(f"/facilities/{row.pk}/edit/").status_code == 403
    assert login(personas["balikpapan_operator"]).get(f"/facilities/{row.pk}/").status_code == 404


def test_the_detail_offers_the_booking_form_to_kpu_offices_only(hall, agencies, personas, login):
    waiting = booking(hall, agencies, personas)
    page = login(personas["samarinda_operator"]).get(f"/facilities/{hall.pk}/")
    assert page.status_code == 200 and page.context["booking_form"] is not None
    assert "requester" not in page.context["booking_form"].fields  # an office books for itself
    assert [b.pk for b in page.context["upcoming"]] == [waiting.pk]
    police = login(personas["province_police"]).get(f"/facilities/{hall.pk}/")
    assert police.context["booking_form"] is None and police.context["can_manage"]
    assert "requester" in login(personas["secretariat"]).get(f"/facilities/{hall.pk}/").context[
        "booking_form"].fields


def test_a_booking_requested_on_the_page_and_its_refusals(hall, agencies, personas, login, english_pages):
    english_pages.force_login(personas["samarinda_operator"])
    data = {"starts_at": local(at(2, 9)), "ends_at": local(at(2, 12)), "purpose": "Rapat pleno", "participants": "80"}
    bad = english_pages.post(f"/facilities/{hall.pk}/book/", {**data, "ends_at": local(at(2, 8))})
    assert bad.status_code == 400 and bad.context["form"].errors == {"ends_at": ["A booking ends after it starts."]}
    assert FacilityBooking.objects.count() == 0
    response = english_pages.post(f"/facilities/{hall.pk}/book/", data)
    row = FacilityBooking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bookings/{row.pk}/"
    assert (row.requester, row.participants, timezone.localtime(row.starts_at).hour) == (
        agencies["kpu_samarinda"], 80, 9)
    services.booking_approve(actor=personas["province_police"], booking=row)
    clash = english_pages.post(f"/facilities/{hall.pk}/book/", {**data, "starts_at": local(at(2, 11))})
    assert clash.status_code == 409 and f"approved booking #{row.pk} of KPU Samarinda" in clash.context["conflict"]
    assert login(personas["samarinda_police"]).get(f"/facilities/{hall.pk}/book/").status_code == 403


def test_approving_from_the_inbox_goes_back_to_next_and_a_refusal_names_the_other_booking(
        hall, agencies, personas, english_pages):
    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12))
    second = booking(hall, agencies, personas, starts=at(3, 10), ends=at(3, 14))
    english_pages.force_login(personas["province_police"])
    done = english_pages.post(f"/bookings/{first.pk}/approve/", {"next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    refused = english_pages.post(f"/bookings/{second.pk}/approve/", {"next": "/"})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert f"approved booking #{first.pk} of KPU Kaltim" in text and "08:00" in text and "12:00 WITA" in text
    assert FacilityBooking.objects.get(pk=second.pk).status == "requested"
    # Another site's address is not followed.
    rejected = english_pages.post(f"/bookings/{second.pk}/reject/", {"reason": "Bentrok", "next": "https://evil.example/"})
    assert rejected["Location"] == f"/bookings/{second.pk}/"


def test_the_booking_page_offers_what_the_viewer_may_do(hall, agencies, personas, login):
    row = booking(hall, agencies, personas)
    police = login(personas["province_police"]).get(f"/bookings/{row.pk}/")
    assert police.context["can_decide"] and not police.context["can_cancel"]
    office = login(personas["samarinda_operator"]).get(f"/bookings/{row.pk}/")
    assert not office.context["can_decide"] and office.context["can_cancel"]
    assert login(personas["samarinda_operator"]).post(f"/bookings/{row.pk}/approve/").status_code == 403
    assert login(personas["balikpapan_operator"]).get(f"/bookings/{row.pk}/").status_code == 404
    assert login(personas["observer"]).post(f"/bookings/{row.pk}/cancel/").status_code == 403
    missing_reason = login(personas["province_police"]).post(f"/bookings/{row.pk}/reject/", {"reason": ""})
    assert missing_reason.status_code == 400 and "reason" in missing_reason.context["reject_form"].errors
    cancelled = login(personas["samarinda_operator"]).post(f"/bookings/{row.pk}/cancel/", {"reason": ""})
    assert cancelled.status_code == 302
    page = login(personas["samarinda_operator"]).get(f"/bookings/{row.pk}/")
    assert [c.to_status for c in page.context["changes"]] == ["cancelled"] and page.context["history"]


def _days(page, testid):
    """Day -> the statuses of the bookings shown on it, in the grid or in the phone list."""
    html = page.content.decode()
    part = html.split(f'data-testid="{testid}"', 1)[1].split('data-testid="', 1)[0] if testid == "day-list" else \
        html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    shown = {}
    for day, cell in re.findall(r'data-day="([0-9-]+)"(.*?)(?=data-day="|$)', part, flags=re.S):
        statuses = re.findall(r'data-status="(\w+)"', cell)
        if statuses:
            shown[day] = statuses
    return shown


def test_the_calendar_shows_bookings_on_their_wita_days(hall, tree, agencies, personas, login):
    with clock.travel_to(datetime(2024, 2, 8, 9, tzinfo=WITA)):
        # 07:00 WITA on the 14th is still the 13th in UTC; 23:00 on the 15th runs past midnight.
        early = booking(hall, agencies, personas, requester="kpu", starts=datetime(2024, 2, 14, 7, tzinfo=WITA),
                        ends=datetime(2024, 2, 14, 9, tzinfo=WITA), status="approved")
        night = booking(hall, agencies, personas, starts=datetime(2024, 2, 15, 23, tzinfo=WITA),
                        ends=datetime(2024, 2, 16, 1, tzinfo=WITA))
        other = facility(tree, agencies, personas, owner="polresta", name="Aula Polresta", region="samarinda")
        booking(other, agencies, personas, starts=datetime(2024, 2, 20, 9, tzinfo=WITA),
                ends=datetime(2024, 2, 20, 11, tzinfo=WITA), status="rejected")
        client = login(personas["samarinda_operator"])
        page = client.get("/facilities/calendar/?month=2024-02")
        assert page.status_code == 200
        expected = {"2024-02-14": ["approved"], "2024-02-15": ["requested"], "2024-02-16": ["requested"]}
        assert _days(page, "month") == expected  # the rejected one is not shown
        assert _days(page, "day-list") == expected
        assert [b.pk for b in page.context["listed"][0][1]] == [early.pk]
        only_other = client.get(f"/facilities/calendar/?month=2024-02&facility={other.pk}")
        assert _days(only_other, "month") == {} and only_other.context["facility"] == other
        assert client.get("/facilities/calendar/?month=2024-03").context["listed"] == []
        assert client.get("/facilities/calendar/?facility=999999").status_code == 404
        assert client.get("/facilities/calendar/?facility=x").status_code == 404
        assert client.get("/facilities/calendar/?month=bad").context["first"].month == 2  # the clock's month
        assert night.pk in {b.pk for b in page.context["listed"][1][1]}
        balikpapan = login(personas["balikpapan_operator"]).get("/facilities/calendar/?month=2024-02")
        assert _days(balikpapan, "month") == {}
