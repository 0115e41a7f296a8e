"""The escort pages end to end: a KPU office raises a request through the form, the police
take it through every step on the escort's page and the confirmation forms, both parties
confirm the hand-over. Retried confirmations write one event; other regions find nothing;
bad input re-renders with its errors."""

import re

import pytest

from logistics.choices import EscortStatus, EventKind
from logistics.models import CustodyEvent, EscortRequest

pytestmark = pytest.mark.django_db


def request_data(election, station, **overrides):
    data = {
        "election": election.pk, "cargo": "goods", "direction": "outbound",
        "origin_kind": "warehouse", "origin_region": "64.72", "origin_name": "Gudang KPU Samarinda",
        "destination_kind": "tps", "destination_tps": station.pk,
        "planned_departure": "2024-02-12T08:00", "planned_arrival": "2024-02-12T11:30",
        "transport_mode": "road", "notes": "Lewat jalan utama",
        "items-TOTAL_FORMS": "6", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "6",
        "items-0-kind": "ballot_president", "items-0-quantity": "204", "items-0-unit": "lembar",
        "items-1-kind": "ballot_box", "items-1-quantity": "5", "items-1-unit": "buah",
        "items-1-seal_numbers": "S-001 S-002", "items-1-box_label": "KS-01",
    }
    data.update(overrides)
    return data


def confirm_data(client, escort, action, **overrides):
    """The confirmation form as the page draws it, filled the way a person who finds what
    was sent fills it (at the hand-over the counts and seals start empty), submitted."""
    page = client.get(f"/logistics/escorts/{escort.pk}/confirm/{action}/")
    assert page.status_code == 200, page.content[:300]
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if name not in ("photo", "device_time")}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    for item in form.items if form.counted else []:
        data[f"count_{item.pk}"] = data[f"count_{item.pk}"] or item.quantity
    if form.counted and not data.get("seals_seen"):
        data["seals_seen"] = " ".join(seal for item in form.items for seal in item.seals)
    if "seals_intact" in form.fields:
        data["seals_intact"] = "yes"
    data.update(overrides)
    return data


def post_as(client, user, path, data):
    client.force_login(user)
    return client.post(path, data)


def test_the_whole_journey_through_the_pages(client, election, personas, stations):
    kpu, police = personas["samarinda_operator"], personas["samarinda_police"]
    client.force_login(kpu)
    assert client.get("/logistics/escorts/new/").status_code == 200
    response = client.post("/logistics/escorts/new/", request_data(election, stations["samarinda"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    escort = EscortRequest.objects.get()
    assert response["Location"] == f"/logistics/escorts/{escort.pk}/"
    assert escort.status == EscortStatus.SUBMITTED and escort.items.count() == 2
    # datetime-local is read in WITA (UTC+8)
    assert escort.planned_departure.isoformat() == "2024-02-12T00:00:00+00:00"
    base = f"/logistics/escorts/{escort.pk}"

    client.force_login(police)
    page = client.get(base + "/").content.decode()
    assert f'action="{base}/step/accept/"' in page and f'action="{base}/step/reject/"' in page
    assert client.post(base + "/step/accept/", {"reason": ""}).status_code == 302
    assign = {"commander_name": "Iptu Budi", "commander_nrp": "85010123", "personnel_count": "4",
              "vehicles": "2 mobil patroli"}
    response = client.post(base + "/step/assign/", assign)
    assert response.status_code == 302, response.content.decode()[:1500]
    for action in ("depart", "arrive", "handover-escort"):
        response = client.post(f"{base}/confirm/{action}/", confirm_data(client, escort, action))
        assert response.status_code == 302, (action, response.content.decode()[:1500])
        assert response["Location"] == base + "/"
    escort.refresh_from_db()
    assert escort.status == EscortStatus.ARRIVED
    assert escort.assigned_unit == police.agency and escort.commander_name == "Iptu Budi"

    client.force_login(kpu)
    receipt = confirm_data(client, escort, "handover-receipt", witnesses="Ketua KPPS; Linmas",
                           acting_as="Ketua KPPS")
    response = client.post(f"{base}/confirm/handover-receipt/", receipt, follow=True)
    assert response.status_code == 200
    escort.refresh_from_db()
    assert escort.status == EscortStatus.HANDED_OVER
    assert list(escort.events.values_list("kind", flat=True)) == [
        EventKind.DEPARTURE, EventKind.ARRIVAL, EventKind.HANDOVER_ESCORT, EventKind.HANDOVER_RECEIPT]
    text = response.content.decode()
    assert "Ketua KPPS; Linmas" in text and "S-001 S-002" in text
    assert 'data-testid="chain"' in text and "WITA" in text


def test_a_double_post_with_the_same_key_writes_one_event(client, make_escort, personas):
    escort = make_escort("assigned")
    client.force_login(personas["samarinda_police"])
    data = confirm_data(client, escort, "depart", back="field")
    path = f"/logistics/escorts/{escort.pk}/confirm/depart/"
    first, second = client.post(path, data), client.post(path, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == "/logistics/field/"
    assert CustodyEvent.objects.filter(escort=escort).count() == 1
    # A fresh form (another key) for the step already taken: a clear 409, no second event.
    again = client.post(path, {**data, "idempotency_key": "another-key"})
    assert again.status_code == 409
    assert 'data-testid="conflict"' in again.content.decode()
    assert CustodyEvent.objects.filter(escort=escort).count() == 1


def test_the_same_key_with_other_content_is_a_clear_409(client, make_escort, personas):
    escort = make_escort("assigned")
    client.force_login(personas["samarinda_police"])
    data = confirm_data(client, escort, "depart")
    path = f"/logistics/escorts/{escort.pk}/confirm/depart/"
    assert client.post(path, data).status_code == 302
    response = client.post(path, {**data, "note": "lain"})
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()


def test_another_region_finds_nothing(client, make_escort, personas):
    escort = make_escort("departed")
    client.force_login(personas["balikpapan_operator"])
    assert client.get(f"/logistics/escorts/{escort.pk}/").status_code == 404
    assert client.get(f"/logistics/escorts/{escort.pk}/confirm/handover-receipt/").status_code == 404
    assert client.post(f"/logistics/escorts/{escort.pk}/step/cancel/", {"reason": "x"}).status_code == 404
    listing = client.get("/logistics/escorts/")
    assert listing.status_code == 200 and escort.number not in listing.content.decode()
    client.force_login(personas["samarinda_operator"])
    assert escort.number in client.get("/logistics/escorts/").content.decode()


def test_bad_request_input_re_renders_with_errors(client, election, personas, stations):
    client.force_login(personas["samarinda_operator"])
    data = request_data(election, stations["samarinda"], planned_arrival="2024-02-11T08:00",
                        **{"items-0-quantity": "", "items-1-kind": ""}, origin_name="Gudang tetap")
    response = client.post("/logistics/escorts/new/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "planned_arrival" in form.errors
    assert response.context["items"].forms[0].errors["quantity"]
    assert 'value="Gudang tetap"' in response.content.decode()
    assert not EscortRequest.objects.exists()


def test_a_service_refusal_shows_next_to_its_field(client, election, personas, stations):
    client.force_login(personas["samarinda_operator"])
    # No goods at all, and a TPS place without its TPS: the service names both.
    data = request_data(election, stations["samarinda"], destination_tps="",
                        **{"items-0-kind": "", "items-0-quantity": "", "items-0-unit": "", "items-1-kind": "",
                           "items-1-quantity": "", "items-1-unit": "", "items-1-seal_numbers": "",
                           "items-1-box_label": ""})
    response = client.post("/logistics/escorts/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["destination_tps"]
    data["destination_tps"] = stations["samarinda"].pk
    response = client.post("/logistics/escorts/new/", data)
    assert response.status_code == 400 and response.context["item_errors"]


def test_a_balikpapan_tps_is_outside_samarinda(client, election, personas, stations):
    client.force_login(personas["samarinda_operator"])
    response = client.post("/logistics/escorts/new/", request_data(election, stations["balikpapan"]))
    assert response.status_code == 400
    assert response.context["form"].errors["destination_tps"]


def test_only_kpu_offices_raise_requests(client, personas):
    for name in ("samarinda_police", "observer"):
        client.force_login(personas[name])
        assert client.get("/logistics/escorts/new/").status_code == 403


def test_a_decision_without_its_reason_is_refused_on_the_page(client, make_escort, personas):
    escort = make_escort()
    client.force_login(personas["samarinda_police"])
    response = client.post(f"/logistics/escorts/{escort.pk}/step/reject/", {"reason": " "})
    assert response.status_code == 400
    assert 'id="step-reject"' in response.content.decode()
    escort.refresh_from_db()
    assert escort.status == EscortStatus.SUBMITTED
    # The KPU cannot accept: the step is the police's.
    client.force_login(personas["samarinda_operator"])
    assert client.post(f"/logistics/escorts/{escort.pk}/step/accept/").status_code == 403


def test_a_step_already_taken_is_a_409_with_the_message(client, make_escort, personas):
    escort = make_escort("accepted")
    client.force_login(personas["samarinda_police"])
    response = client.post(f"/logistics/escorts/{escort.pk}/step/accept/")
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()


def test_the_buttons_follow_the_table(client, make_escort, personas):
    escort = make_escort("arrived")
    client.force_login(personas["samarinda_police"])
    page = client.get(f"/logistics/escorts/{escort.pk}/").content.decode()
    assert "/confirm/handover-escort/" in page and "/confirm/handover-receipt/" not in page
    assert "/step/" not in page  # no decision is the police's in "arrived"
    client.force_login(personas["samarinda_operator"])
    page = client.get(f"/logistics/escorts/{escort.pk}/").content.decode()
    assert "/confirm/handover-receipt/" in page and "/confirm/handover-escort/" not in page
    client.force_login(personas["observer"])
    page = client.get(f"/logistics/escorts/{escort.pk}/").content.decode()
    assert "/confirm/" not in page and "/step/" not in page


def test_a_discrepancy_is_highlighted_and_resolved_by_the_kpu(client, make_escort, personas):
    escort = make_escort("departed")
    client.force_login(personas["samarinda_police"])
    items = list(escort.items.all())
    data = confirm_data(client, escort, "arrive", **{f"count_{items[0].pk}": items[0].quantity - 3})
    assert client.post(f"/logistics/escorts/{escort.pk}/confirm/arrive/", data).status_code == 302
    discrepancy = escort.discrepancies.get()
    page = client.get(f"/logistics/escorts/{escort.pk}/").content.decode()
    assert 'class="table-warning"' in page and "resolve-" not in page  # police see it, cannot resolve
    client.force_login(personas["samarinda_operator"])
    path = f"/logistics/escorts/{escort.pk}/discrepancies/{discrepancy.pk}/resolve/"
    assert client.post(path, {f"d{discrepancy.pk}-resolution": ""}).status_code == 400
    assert client.post(path, {f"d{discrepancy.pk}-resolution": "Diganti dari gudang"}).status_code == 302
    discrepancy.refresh_from_db()
    assert discrepancy.status == "resolved" and discrepancy.resolution == "Diganti dari gudang"
    assert client.post(path, {f"d{discrepancy.pk}-resolution": "lagi"}).status_code == 409


def test_an_incident_with_its_type_and_severity(client, make_escort, personas):
    escort = make_escort("departed")
    client.force_login(personas["samarinda_police"])
    data = confirm_data(client, escort, "incident", incident_type="weather", severity="medium",
                        note="Jalan longsor di km 12", latitude="-0.502000", longitude="117.150000")
    assert client.post(f"/logistics/escorts/{escort.pk}/confirm/incident/", data).status_code == 302
    event = escort.events.get(kind="incident")
    assert (event.kind, event.incident_type, event.severity) == ("incident", "weather", "medium")
    assert str(event.latitude) == "-0.502000"


def test_bad_confirmation_input_is_a_400_with_the_form(client, make_escort, personas):
    escort = make_escort("assigned")
    client.force_login(personas["samarinda_police"])
    data = confirm_data(client, escort, "depart", latitude="95", device_time="kemarin")
    items = list(escort.items.all())
    data[f"count_{items[0].pk}"] = "-1"
    response = client.post(f"/logistics/escorts/{escort.pk}/confirm/depart/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"latitude", "device_time", f"count_{items[0].pk}"} <= set(errors)
    assert not escort.events.exists()


def test_the_list_filters_and_counts(client, make_escort, personas):
    make_escort("submitted")
    make_escort("accepted")
    client.force_login(personas["samarinda_operator"])
    response = client.get("/logistics/escorts/?status=accepted")
    assert response.context["page"].paginator.count == 1
    assert re.search(r'data-testid="escort-count">1<', response.content.decode())
    bad = client.get("/logistics/escorts/?departs_from=kemarin")
    assert bad.status_code == 200 and 'data-testid="filter-errors"' in bad.content.decode()


def test_a_handed_over_escort_links_its_berita_acara(client, make_escort, personas):
    done, under_way = make_escort("handed_over"), make_escort("departed")
    client.force_login(personas["samarinda_operator"])
    page = client.get(f"/logistics/escorts/{done.pk}/").content.decode()
    assert f"/logistics/escorts/{done.pk}/berita-acara/" in page
    page = client.get(f"/logistics/escorts/{under_way.pk}/").content.decode()
    assert "/berita-acara/" not in page


def test_a_custody_photo_is_served_through_the_scope(client, make_escort, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from logistics import services

    escort = make_escort("departed")
    result = services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="checkpoint",
                                      photo=SimpleUploadedFile("pos.jpg", b"\xff\xd8\xff\xe0 foto", "image/jpeg"))
    path = f"/logistics/escorts/{escort.pk}/events/{result.event.sequence}/photo/"
    client.force_login(personas["samarinda_operator"])
    assert path in client.get(f"/logistics/escorts/{escort.pk}/").content.decode()
    response = client.get(path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 foto"
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(personas["balikpapan_operator"])
    assert client.get(path).status_code == 404
