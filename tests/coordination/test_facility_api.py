"""The facilities and bookings API: create, read and change through the services; 400 with
field errors (an unknown field among them), 409 for an overlap with its message, 404 out of
scope; the filters shared with the pages."""

import pytest

from coordination.models import Facility, FacilityBooking
from tests.coordination.facility_factories import at, booking, facility

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def hall(tree, agencies, personas):
    return facility(tree, agencies, personas)


def booking_body(hall, **extra):
    return {"facility": hall.pk, "starts_at": at(2, 9).isoformat(), "ends_at": at(2, 12).isoformat(),
            "purpose": "Rapat pleno", "participants": 50, **extra}


def test_facilities_are_listed_created_and_changed(hall, tree, agencies, personas, api_for):
    police = api_for(personas["samarinda_police"])
    created = police.post("/api/v1/facilities/", {"owner": "polres-samarinda", "name": "Aula Polresta",
                                                  "kind": "hall", "capacity": 150, "capacity_unit": "orang",
                                                  "region": "64.72.01"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["owner"], body["region"], body["is_active"]) == ("polres-samarinda", "64.72.01", True)
    row = Facility.objects.get(pk=body["id"])
    assert row.history.first().history_user == personas["samarinda_police"]
    changed = police.patch(f"/api/v1/facilities/{row.pk}/", {"is_active": False, "capacity": 120}, format="json")
    assert changed.status_code == 200 and (changed.json()["is_active"], changed.json()["capacity"]) == (False, 120)
    assert police.patch(f"/api/v1/facilities/{row.pk}/", {"owner": "polda-kaltim"}, format="json").status_code == 400
    listed = api_for(personas["samarinda_operator"]).get("/api/v1/facilities/?kind=hall&region=64.72").json()
    assert {r["id"] for r in listed["results"]} == {hall.pk, row.pk}
    assert api_for(personas["balikpapan_operator"]).get(f"/api/v1/facilities/{hall.pk}/").status_code == 404
    refused = api_for(personas["samarinda_operator"]).post("/api/v1/facilities/", {
        "owner": "polres-samarinda", "name": "X", "kind": "hall", "region": "64.72"}, format="json")
    assert refused.status_code == 403


def test_facility_input_errors_are_field_errors(personas, api_for):
    police = api_for(personas["province_police"])
    answer = police.post("/api/v1/facilities/", {"owner": "kpu-kaltim", "name": "Aula", "kind": "hall",
                                                 "region": "64.72", "colour": "biru"}, format="json", **EN)
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"colour": ["Unknown field."]}
    answer = police.post("/api/v1/facilities/", {"owner": "kpu-kaltim", "name": "Aula", "kind": "hall",
                                                 "region": "64.72"}, format="json", **EN)
    assert answer.status_code == 400 and answer.json()["errors"] == {"owner": ["Unknown agency."]}  # not Polri


def test_a_booking_is_requested_and_decided_through_the_api(hall, agencies, personas, api_for):
    office = api_for(personas["samarinda_operator"])
    created = office.post("/api/v1/facility-bookings/", booking_body(hall), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["requester"], body["requested_by"], body["owner"]) == (
        "requested", "kpu-samarinda", "samarinda_operator", "polda-kaltim")
    pk = body["id"]
    assert office.post(f"/api/v1/facility-bookings/{pk}/approve/", {}, format="json").status_code == 403
    police = api_for(personas["province_police"])
    approved = police.post(f"/api/v1/facility-bookings/{pk}/approve/", {"note": "Siap"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "province_police"
    again = police.post(f"/api/v1/facility-bookings/{pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert api_for(personas["balikpapan_operator"]).post(f"/api/v1/facility-bookings/{pk}/cancel/", {},
                                                         format="json").status_code == 404
    cancelled = office.post(f"/api/v1/facility-bookings/{pk}/cancel/", {}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert office.patch(f"/api/v1/facility-bookings/{pk}/", {"purpose": "x"}, format="json").status_code == 405


def test_approving_an_overlap_answers_409_with_the_message(hall, agencies, personas, api_for):
    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12))
    second = booking(hall, agencies, personas, starts=at(3, 11), ends=at(3, 13))
    police = api_for(personas["province_police"])
    assert police.post(f"/api/v1/facility-bookings/{first.pk}/approve/", {}, format="json").status_code == 200
    answer = police.post(f"/api/v1/facility-bookings/{second.pk}/approve/", {}, format="json", **EN)
    assert answer.status_code == 409
    day = at(3, 8).strftime("%-d %b %Y")
    assert answer.json() == {"code": "booking_overlap",
                             "detail": f"The facility is already booked from {day} 08:00 – {day} 12:00 WITA "
                                       f"(approved booking #{first.pk} of KPU Kaltim); nothing was changed."}
    assert FacilityBooking.objects.get(pk=second.pk).status == "requested"


def test_booking_input_errors_are_400_with_field_errors(hall, personas, api_for):
    office = api_for(personas["samarinda_operator"])
    answer = office.post("/api/v1/facility-bookings/", booking_body(hall, ends_at=at(2, 8).isoformat()),
                         format="json", **EN)
    assert answer.status_code == 400 and answer.json()["errors"] == {"ends_at": ["A booking ends after it starts."]}
    answer = office.post("/api/v1/facility-bookings/", booking_body(hall, status="approved", room="A"),
                         format="json", **EN)
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"status": ["Not editable here."], "room": ["Unknown field."]}
    past = office.post("/api/v1/facility-bookings/", booking_body(hall, starts_at=at(-1, 9).isoformat()),
                       format="json", **EN)
    assert past.status_code == 400 and list(past.json()["errors"]) == ["starts_at"]
    assert FacilityBooking.objects.count() == 0
    row = office.post("/api/v1/facility-bookings/", booking_body(hall), format="json").json()
    reject = api_for(personas["province_police"]).post(f"/api/v1/facility-bookings/{row['id']}/reject/", {},
                                                       format="json", **EN)
    assert reject.status_code == 400 and list(reject.json()["errors"]) == ["reason"]


def test_out_of_scope_reads_as_404_and_filters_narrow_the_list(hall, tree, agencies, personas, api_for):
    waiting = booking(hall, agencies, personas)
    approved = booking(hall, agencies, personas, requester="kpu", starts=at(6, 8), status="approved")
    other = api_for(personas["balikpapan_operator"])
    assert other.get(f"/api/v1/facility-bookings/{waiting.pk}/").status_code == 404
    assert other.get("/api/v1/facility-bookings/").json()["results"] == []
    assert other.post("/api/v1/facility-bookings/", booking_body(hall), format="json").status_code == 404
    office = api_for(personas["samarinda_operator"])
    rows = office.get("/api/v1/facility-bookings/?status=approved").json()["results"]
    assert [r["id"] for r in rows] == [approved.pk]
    rows = office.get(f"/api/v1/facility-bookings/?facility={hall.pk}&requester=kpu-samarinda").json()["results"]
    assert [r["id"] for r in rows] == [waiting.pk]
    assert office.get("/api/v1/facility-bookings/?facility=x").status_code == 400
