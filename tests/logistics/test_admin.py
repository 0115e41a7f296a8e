"""The secretariat's admin for logistics: scoped like the pages, no status field, custody
events read-only, goods frozen once departed, discrepancies resolved through the service."""

import pytest

from coordination.choices import Role
from logistics.models import CustodyEvent, Discrepancy, EscortStatusChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["escortrequest", "custodyevent", "discrepancy", "escortstatuschange"]


@pytest.fixture
def clerk(agencies):
    """A secretariat account of KPU Samarinda: staff, scoped to 64.72, not a superuser."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


@pytest.fixture
def balikpapan_escort(election, personas, stations, agencies):
    from logistics import services
    from tests.factories import escort_request

    police = UserFactory(username="polres.bpn", role=Role.POLICE_OFFICER, agency=agencies["polres_balikpapan"])
    escort = escort_request(election=election, destination=stations["balikpapan"],
                            kpu=personas["balikpapan_operator"], police=police, status="departed")
    # Arrived one ballot short: Balikpapan has a discrepancy of its own.
    counts = {item.pk: item.quantity - 1 for item in escort.items.all()}
    return services.custody_confirm(actor=police, escort=escort, action="arrive", counts=counts).escort


def with_discrepancy(make_escort, personas):
    from logistics import services

    escort = make_escort("assigned")
    items = list(escort.items.all())
    services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="depart",
                             counts={items[0].pk: items[0].quantity - 4, items[1].pk: items[1].quantity})
    return escort, Discrepancy.objects.get(escort=escort)


def item_form(escort, rows):
    """The escort change form as posted: the editable fields and the goods inline."""
    data = {"stage": "", "clause": escort.clause_id or "", "origin_name": escort.origin_name,
            "destination_name": escort.destination_name, "transport_mode": escort.transport_mode,
            "planned_departure_0": escort.planned_departure.astimezone().strftime("%Y-%m-%d"),
            "planned_departure_1": escort.planned_departure.astimezone().strftime("%H:%M:%S"),
            "planned_arrival_0": escort.planned_arrival.astimezone().strftime("%Y-%m-%d"),
            "planned_arrival_1": escort.planned_arrival.astimezone().strftime("%H:%M:%S"),
            "notes": "Dikoreksi sekretariat", "team_purpose": "", "team_members": ""}
    items = list(escort.items.all())
    prefix = "items"
    data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(items),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
        data[f"{prefix}-{index}-escort"] = escort.pk
    for inline in ("events", "discrepancies", "status_changes"):
        data.update({f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0, f"{inline}-MIN_NUM_FORMS": 0,
                     f"{inline}-MAX_NUM_FORMS": 1000})
    return data


@pytest.mark.parametrize("model", LISTS)
def test_every_list_loads_searches_and_is_scoped(model, clerk, make_escort, personas, balikpapan_escort, client):
    escort, _ = with_discrepancy(make_escort, personas)
    client.force_login(clerk)
    listing = client.get(f"/admin/logistics/{model}/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert escort.number in text and balikpapan_escort.number not in text
    assert client.get(f"/admin/logistics/{model}/?q=ESC").status_code == 200


def test_another_regions_escort_and_its_history_are_not_found(clerk, balikpapan_escort, client):
    client.force_login(clerk)
    url = f"/admin/logistics/escortrequest/{balikpapan_escort.pk}/"
    assert client.get(url + "change/").status_code == 302  # the admin's "does not exist" redirect
    assert client.get(url + "history/").status_code == 404
    event = CustodyEvent.objects.filter(escort=balikpapan_escort).first()
    assert client.get(f"/admin/logistics/custodyevent/{event.pk}/history/").status_code == 404


def test_admin_is_for_the_secretariat_only(personas, make_escort, client):
    user = personas["samarinda_operator"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/admin/logistics/escortrequest/").status_code == 403


def test_status_is_not_a_field_and_history_shows(clerk, make_escort, client):
    escort = make_escort("accepted")
    client.force_login(clerk)
    page = client.get(f"/admin/logistics/escortrequest/{escort.pk}/change/").content.decode()
    assert 'name="status"' not in page and 'name="notes"' in page
    assert 'name="items-0-quantity"' in page
    assert client.get(f"/admin/logistics/escortrequest/{escort.pk}/history/").status_code == 200
    assert client.get("/admin/logistics/escortrequest/add/").status_code == 403


def test_goods_change_through_the_service_before_departure(clerk, make_escort, client):
    escort = make_escort("accepted")
    items = list(escort.items.all())
    rows = [{"id": items[0].pk, "kind": "ballot_president", "quantity": 210, "unit": "lembar", "seal_numbers": "",
             "box_label": ""},
            {"id": items[1].pk, "kind": "ballot_box", "quantity": 5, "unit": "buah", "seal_numbers": "S-001 S-002",
             "box_label": "", "DELETE": "on"}]
    client.force_login(clerk)
    response = client.post(f"/admin/logistics/escortrequest/{escort.pk}/change/", item_form(escort, rows))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    escort.refresh_from_db()
    assert escort.notes == "Dikoreksi sekretariat"
    assert [(i.kind, i.quantity) for i in escort.items.all()] == [("ballot_president", 210)]
    assert escort.history.first().history_user == clerk
    assert escort.items.first().history.first().history_user == clerk


def test_goods_and_fields_are_read_only_once_departed(clerk, make_escort, client):
    escort = make_escort("departed")
    client.force_login(clerk)
    page = client.get(f"/admin/logistics/escortrequest/{escort.pk}/change/").content.decode()
    assert 'name="items-0-quantity"' not in page and 'name="notes"' not in page
    assert escort.number in page and escort.events.get(sequence=1).signer_name in page  # the chain inline


def test_custody_events_and_status_changes_are_read_only(clerk, make_escort, client):
    escort = make_escort("departed")
    event = CustodyEvent.objects.filter(escort=escort).first()
    change = EscortStatusChange.objects.filter(escort=escort).first()
    client.force_login(clerk)
    page = client.get(f"/admin/logistics/custodyevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/logistics/custodyevent/{event.pk}/change/", {"note": "x"}).status_code == 403
    assert client.post(f"/admin/logistics/custodyevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/logistics/custodyevent/add/").status_code == 403
    assert client.get(f"/admin/logistics/custodyevent/{event.pk}/history/").status_code == 200
    assert 'name="_save"' not in client.get(
        f"/admin/logistics/escortstatuschange/{change.pk}/change/").content.decode()
    assert client.get(f"/admin/logistics/escortstatuschange/{change.pk}/history/").status_code == 200
    assert CustodyEvent.objects.get(pk=event.pk).note == event.note


def test_a_discrepancy_is_resolved_through_the_service(clerk, make_escort, personas, client):
    escort, discrepancy = with_discrepancy(make_escort, personas)
    client.force_login(clerk)
    url = f"/admin/logistics/discrepancy/{discrepancy.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="resolution"' in page and 'name="status"' not in page
    assert client.post(url, {"resolution": ""}).status_code == 200  # required: the form says so
    discrepancy.refresh_from_db()
    assert discrepancy.status == "open"
    assert client.post(url, {"resolution": "Dihitung ulang: lengkap"}).status_code == 302
    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.resolved_by, discrepancy.resolution) == (
        "resolved", clerk, "Dihitung ulang: lengkap")
    assert discrepancy.history.first().history_user == clerk
    assert 'name="resolution"' not in client.get(url).content.decode()  # resolved: read-only


def test_a_refused_resolution_writes_nothing(clerk, make_escort, personas, client):
    from logistics import services

    escort, discrepancy = with_discrepancy(make_escort, personas)
    url = f"/admin/logistics/discrepancy/{discrepancy.pk}/change/"
    client.force_login(clerk)
    client.get(url)
    # Resolved meanwhile on the escort's page: the admin's save is refused, not doubled.
    services.discrepancy_resolve(actor=personas["samarinda_operator"], discrepancy=discrepancy, resolution="Sudah")
    response = client.post(url, {"resolution": "Lagi"}, follow=True)
    assert response.status_code in {200, 403}
    discrepancy.refresh_from_db()
    assert discrepancy.resolution == "Sudah"
