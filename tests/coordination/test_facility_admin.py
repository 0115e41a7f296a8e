"""The secretariat's admin of facilities and bookings: lists through the policy, facilities
saved through their services (the same refusals as the pages), bookings only read, with
their trail and history; no decision is taken there."""

import pytest

from coordination.choices import Role
from coordination.models import Facility, FacilityBooking
from tests.coordination.facility_factories import booking, facility
from tests.factories import UserFactory


@pytest.fixture
def clerk(agencies):
    """The secretariat of KPU Samarinda: the admin of Samarinda's facilities only."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


@pytest.fixture
def rows(tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    elsewhere = facility(tree, agencies, personas, name="Aula Polda Balikpapan", region="balikpapan")
    return {"hall": hall, "elsewhere": elsewhere, "booking": booking(hall, agencies, personas)}


def test_the_lists_follow_the_policy(rows, clerk, client):
    client.force_login(clerk)
    facilities = client.get("/admin/coordination/facility/")
    assert facilities.status_code == 200
    assert [row.pk for row in facilities.context["cl"].result_list] == [rows["hall"].pk]
    bookings = client.get("/admin/coordination/facilitybooking/")
    assert [row.pk for row in bookings.context["cl"].result_list] == [rows["booking"].pk]
    assert client.get(f"/admin/coordination/facility/{rows['elsewhere'].pk}/history/").status_code == 404


def test_a_facility_is_recorded_and_edited_through_its_services(rows, agencies, clerk, client):
    client.force_login(clerk)
    values = {"owner": agencies["polresta"].pk, "name": "Gudang Polresta", "kind": "warehouse", "capacity": "400",
              "capacity_unit": "m²", "region": str(rows["hall"].region.pk), "address": "", "notes": ""}
    response = client.post("/admin/coordination/facility/add/", values)
    assert response.status_code == 302, response.content[:500]
    created = Facility.objects.get(name="Gudang Polresta")
    assert created.history.first().history_user == clerk
    # KPU Samarinda is no Polri agency: not among the owners offered.
    refused = client.post("/admin/coordination/facility/add/", {**values, "owner": agencies["kpu_samarinda"].pk,
                                                                "name": "Aula KPU"})
    assert refused.status_code == 200 and "owner" in refused.context["adminform"].form.errors
    url = f"/admin/coordination/facility/{created.pk}/change/"
    changed = client.post(url, {"name": "Gudang Polresta Samarinda", "kind": "warehouse", "capacity": "400",
                                "capacity_unit": "m²", "region": str(rows["hall"].region.pk), "address": "",
                                "notes": "", "is_active": ""})
    assert changed.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.is_active, created.owner) == ("Gudang Polresta Samarinda", False,
                                                                agencies["polresta"])
    assert created.history.first().history_user == clerk


def test_bookings_are_read_only_in_the_admin(rows, clerk, client):
    client.force_login(clerk)
    url = f"/admin/coordination/facilitybooking/{rows['booking'].pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="_save"' not in html
    assert client.post(url, {"status": "approved"}).status_code == 403
    assert client.get("/admin/coordination/facilitybooking/add/").status_code == 403
    assert client.get(f"/admin/coordination/facilitybooking/{rows['booking'].pk}/history/").status_code == 200
    assert FacilityBooking.objects.get(pk=rows["booking"].pk).status == "requested"
