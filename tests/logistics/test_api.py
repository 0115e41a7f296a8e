"""The logistics API: an escort's whole journey, idempotent confirmations, bad input,
and the region scope (out of scope reads as 404 and never shows in a list)."""

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordination.choices import AgencyKind, Role
from logistics.choices import ESCORT_STEPS
from logistics.models import CustodyEvent, Discrepancy, EscortRequest, EscortStatusChange
from tests.factories import AgencyFactory, UserFactory, region

pytestmark = pytest.mark.django_db

ASSIGNMENT = {"commander_name": "Iptu Budi Santoso", "commander_nrp": "85010123", "personnel_count": 4,
              "vehicles": "2 mobil patroli"}


def new_request(stations, **extra):
    departure = timezone.now() + timedelta(days=2)
    return {
        "election": "pemilu-2024", "origin_kind": "warehouse", "origin_name": "Gudang KPU Samarinda",
        "origin_region": "64.72", "destination_kind": "tps", "destination_tps": stations["samarinda"].pk,
        "planned_departure": departure.isoformat(), "planned_arrival": (departure + timedelta(hours=3)).isoformat(),
        "items": [{"kind": "ballot_president", "quantity": 204, "unit": "lembar"},
                  {"kind": "ballot_box", "quantity": 5, "seal_numbers": "S-001 S-002"}],
        **extra,
    }


def counts_of(escort, **changed):
    return [{"item": item["id"], "quantity": changed.get(item["kind"], item["quantity"])} for item in escort["items"]]


@pytest.fixture
def clients(api_for, personas):
    return {name: api_for(user) for name, user in personas.items()}


@pytest.fixture
def mahulu_operator(agencies):
    """An operator of another regency's KPU office (Mahakam Ulu): sees none of Samarinda."""
    office = AgencyFactory(code="kpu-mahulu", kind=AgencyKind.KPU, jurisdiction=region("64.11", "Kab. Mahakam Ulu"),
                           parent=agencies["kpu"], short_name="KPU Mahulu")
    return UserFactory(username="kpu.mahulu", role=Role.REGIONAL_OFFICE, agency=office)


def test_the_whole_journey_through_the_api(clients, stations):
    kpu, police = clients["samarinda_operator"], clients["samarinda_police"]
    created = kpu.post("/api/v1/escorts/", new_request(stations), format="json")
    assert created.status_code == 201, created.json()
    escort = created.json()
    assert escort["number"].startswith("ESC/64.72/") and escort["status"] == "submitted"
    assert escort["requested_by"] == "kpu-samarinda" and escort["police_unit"] == "polres-samarinda"
    assert escort["planned_departure"].endswith("+08:00")  # WITA
    assert [item["kind"] for item in escort["items"]] == ["ballot_president", "ballot_box"]
    url = f"/api/v1/escorts/{escort['id']}/"

    assert police.post(url + "accept/", {}, format="json").json()["status"] == "accepted"
    assigned = police.post(url + "assign/", ASSIGNMENT, format="json").json()
    assert assigned["status"] == "assigned" and assigned["assignment"]["assigned_unit"] == "polres-samarinda"
    assert assigned["assignment"]["commander_nrp"] == "85010123"

    departed = police.post(url + "depart/", {"counts": counts_of(escort), "seals_intact": True,
                                             "seals_seen": "S-001 S-002"}, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert departed.status_code == 201 and departed.json()["event"]["kind"] == "departure"
    assert departed.json()["discrepancies"] == []
    assert police.post(url + "checkpoint/", {"note": "Jembatan Mahakam"}, format="json").status_code == 201
    assert police.post(url + "arrive/", {}, format="json").json()["event"]["sequence"] == 3
    assert police.get(url).json()["status"] == "arrived"
    hand = {"counts": counts_of(escort), "seals_intact": True, "seals_seen": "S-001 S-002"}
    assert police.post(url + "handover-escort/", hand, format="json").status_code == 201
    assert kpu.get(url).json()["status"] == "arrived"  # one party alone does not hand over
    assert kpu.post(url + "handover-receipt/", hand, format="json").status_code == 201
    assert kpu.get(url).json()["status"] == "handed_over"

    chain = kpu.get(url + "chain/").json()
    assert chain == {"escort": escort["number"], "checked": 5, "ok": True, "broken_at": None, "problem": ""}
    assert kpu.post(url + "close/", {}, format="json").json()["status"] == "closed"
    moves = EscortStatusChange.objects.filter(escort_id=escort["id"]).values_list("to_status", flat=True)
    assert list(moves.order_by("pk")) == ["accepted", "assigned", "departed", "arrived", "handed_over", "closed"]


def test_every_step_of_the_table_is_an_action(clients, make_escort):
    escort = make_escort("submitted")
    for action in [*ESCORT_STEPS, "incident"]:
        # An empty body reaches the step (never a 404/405): the answer is the workflow's.
        answer = clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/{action}/", {}, format="json")
        assert answer.status_code in {200, 201, 400, 403, 409}, (action, answer.status_code)


def test_a_replay_writes_nothing_and_answers_the_same(clients, make_escort):
    escort = make_escort("assigned")
    police = clients["samarinda_police"]
    url = f"/api/v1/escorts/{escort.pk}/depart/"
    body = {"counts": [{"item": item.pk, "quantity": item.quantity} for item in escort.items.all()],
            "seals_intact": True, "seals_seen": "S-001 S-002", "latitude": "-0.502106", "longitude": "117.153709"}
    first = police.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="depart-7f3a")
    events, changes = CustodyEvent.objects.count(), EscortStatusChange.objects.count()
    again = police.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="depart-7f3a")
    assert (again.status_code, again.json()) == (first.status_code, first.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert (CustodyEvent.objects.count(), EscortStatusChange.objects.count()) == (events, changes)

    other = police.post(url, {**body, "note": "lain"}, format="json", HTTP_IDEMPOTENCY_KEY="depart-7f3a")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    twice = police.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="depart-other")
    assert twice.status_code == 409 and twice.json()["code"] == "already_confirmed"
    assert CustodyEvent.objects.count() == events


def test_a_replay_with_discrepancies_answers_the_same_discrepancies(clients, make_escort):
    escort = make_escort("assigned")
    items = list(escort.items.all())
    body = {"counts": [{"item": items[0].pk, "quantity": 200}, {"item": items[1].pk, "quantity": 5}]}
    url = f"/api/v1/escorts/{escort.pk}/depart/"
    first = clients["samarinda_police"].post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-short")
    again = clients["samarinda_police"].post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-short")
    assert first.json()["discrepancies"][0]["reason"] == "missing"
    assert again.json() == first.json() and Discrepancy.objects.count() == 1


def test_a_too_long_idempotency_key_is_a_field_error(clients, make_escort):
    escort = make_escort("departed")
    answer = clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/checkpoint/", {}, format="json",
                                              HTTP_IDEMPOTENCY_KEY="k" * 81)
    assert answer.status_code == 400 and "idempotency_key" in answer.json()["errors"]


@pytest.mark.parametrize(("counts", "field"), [
    ([{"item": 1, "quantity": "banyak"}], "counts"),
    ([{"item": 1, "quantity": -3}], "counts"),
    ("not json", "counts"),
    ([{"quantity": 3}], "counts"),
])
def test_bad_counts_are_field_errors(clients, make_escort, counts, field):
    escort = make_escort("arrived")
    answer = clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/handover-escort/", {"counts": counts},
                                              format="json")
    assert answer.status_code == 400 and field in answer.json()["errors"]


def test_an_unknown_item_and_a_missing_count_are_refused(clients, make_escort):
    escort = make_escort("arrived")
    items = list(escort.items.all())
    url = f"/api/v1/escorts/{escort.pk}/handover-escort/"
    unknown = clients["samarinda_police"].post(url, {"counts": [{"item": 999999, "quantity": 1}]}, format="json")
    assert unknown.status_code == 400 and "999999" in unknown.json()["errors"]["counts"][0]
    partial = clients["samarinda_police"].post(url, {"counts": [{"item": items[0].pk, "quantity": 204}]},
                                               format="json")
    assert partial.status_code == 400 and "counts" in partial.json()["errors"]
    assert not CustodyEvent.objects.filter(escort=escort, kind="handover_escort").exists()


def test_missing_reason_and_bad_assignment_are_field_errors(clients, make_escort):
    escort = make_escort("submitted")
    police = clients["samarinda_police"]
    refused = police.post(f"/api/v1/escorts/{escort.pk}/reject/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    police.post(f"/api/v1/escorts/{escort.pk}/accept/", {}, format="json")
    bad = police.post(f"/api/v1/escorts/{escort.pk}/assign/", {**ASSIGNMENT, "commander_nrp": "NRP-1"}, format="json")
    assert bad.status_code == 400 and "commander_nrp" in bad.json()["errors"]
    cancel = clients["samarinda_operator"].post(f"/api/v1/escorts/{escort.pk}/cancel/", {"reason": " "},
                                                format="json")
    assert cancel.status_code == 400 and "reason" in cancel.json()["errors"]


def test_bad_requests_are_field_errors(clients, stations):
    kpu = clients["samarinda_operator"]
    unknown_kind = kpu.post("/api/v1/escorts/", new_request(stations, items=[{"kind": "gold", "quantity": 1}]),
                            format="json")
    assert unknown_kind.status_code == 400 and "items" in unknown_kind.json()["errors"]
    no_items = kpu.post("/api/v1/escorts/", new_request(stations, items=[]), format="json")
    assert no_items.status_code == 400 and "items" in no_items.json()["errors"]
    backwards = new_request(stations)
    backwards["planned_arrival"], backwards["planned_departure"] = backwards["planned_departure"], \
        backwards["planned_arrival"]
    assert kpu.post("/api/v1/escorts/", backwards, format="json").status_code == 400
    team = kpu.post("/api/v1/escorts/", new_request(stations, cargo="team", items=[]), format="json")
    assert team.status_code == 400 and "team_members" in team.json()["errors"]
    assert EscortRequest.objects.count() == 0


def test_a_team_escort_carries_its_members(clients, stations):
    body = new_request(stations, cargo="team", items=[], team_purpose="Supervise the recount",
                       team_members="Andi\nSiti\nRina")
    created = clients["samarinda_operator"].post("/api/v1/escorts/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["items"][0]["kind"] == "team" and created.json()["items"][0]["quantity"] == 3


def test_patch_replaces_the_items_until_departure(clients, make_escort):
    escort = make_escort("accepted")
    kpu = clients["samarinda_operator"]
    changed = kpu.patch(f"/api/v1/escorts/{escort.pk}/", {"notes": "Lewat sungai", "items": [
        {"kind": "ink", "quantity": 10}]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["notes"] == "Lewat sungai"
    assert [(i["kind"], i["quantity"], i["unit"]) for i in changed.json()["items"]] == [("ink", 10, "botol")]
    not_editable = kpu.patch(f"/api/v1/escorts/{escort.pk}/", {"cargo": "team"}, format="json")
    assert not_editable.status_code == 400 and "cargo" in not_editable.json()["errors"]
    frozen = make_escort("departed")
    answer = kpu.patch(f"/api/v1/escorts/{frozen.pk}/", {"notes": "x"}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "escort_frozen"


def test_a_confirmation_takes_a_photo_in_multipart(clients, make_escort):
    from PIL import Image

    escort = make_escort("departed")
    image = BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    photo = SimpleUploadedFile("jembatan.png", image.getvalue(), content_type="image/png")
    answer = clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/checkpoint/",
                                              {"note": "Jembatan", "photo": photo}, format="multipart")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["event"]["has_photo"] is True
    assert CustodyEvent.objects.get(pk=answer.json()["event"]["id"]).photo.name.startswith(f"custody/{escort.pk}/")


def test_counts_as_json_text_in_multipart(clients, make_escort):
    escort = make_escort("departed")
    counts = [{"item": item.pk, "quantity": item.quantity} for item in escort.items.all()]
    import json

    answer = clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/arrive/",
                                              {"counts": json.dumps(counts), "seals_intact": "true"},
                                              format="multipart")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["event"]["counts"] == counts and answer.json()["event"]["seals_intact"] is True


def test_incidents_are_custody_events_of_kind_incident(clients, make_escort):
    escort = make_escort("departed")
    police = clients["samarinda_police"]
    bad = police.post(f"/api/v1/escorts/{escort.pk}/incident/", {"severity": "high"}, format="json")
    assert bad.status_code == 400 and "incident_type" in bad.json()["errors"]
    reported = police.post(f"/api/v1/escorts/{escort.pk}/incident/",
                           {"incident_type": "weather", "severity": "high", "note": "Banjir"}, format="json")
    assert reported.status_code == 201
    listed = clients["samarinda_operator"].get("/api/v1/custody-events/?kind=incident").json()
    assert [row["id"] for row in listed["results"]] == [reported.json()["event"]["id"]]
    assert listed["results"][0]["severity"] == "high"
    one = clients["samarinda_operator"].get(f"/api/v1/custody-events/{reported.json()['event']['id']}/")
    assert one.status_code == 200 and one.json()["escort_number"] == escort.number


def test_discrepancies_are_listed_and_resolved_by_the_kpu(clients, make_escort):
    escort = make_escort("assigned")
    items = list(escort.items.all())
    clients["samarinda_police"].post(f"/api/v1/escorts/{escort.pk}/depart/", {
        "counts": [{"item": items[0].pk, "quantity": 200}, {"item": items[1].pk, "quantity": 5}]}, format="json")
    listed = clients["samarinda_operator"].get(f"/api/v1/discrepancies/?escort={escort.pk}&status=open").json()
    assert [(d["reason"], d["expected"], d["counted"]) for d in listed["results"]] == [("missing", 204, 200)]
    url = f"/api/v1/discrepancies/{listed['results'][0]['id']}/resolve/"
    assert clients["samarinda_operator"].post(url, {}, format="json").json()["errors"].keys() == {"resolution"}
    assert clients["samarinda_police"].post(url, {"resolution": "x"}, format="json").status_code == 403
    resolved = clients["samarinda_operator"].post(url, {"resolution": "Recounted: 204"}, format="json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_by"] == "samarinda_operator"
    again = clients["samarinda_operator"].post(url, {"resolution": "again"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_resolved"
    assert clients["balikpapan_operator"].post(url, {"resolution": "x"}, format="json").status_code == 404


def test_another_region_does_not_find_the_escort(clients, make_escort, api_for, personas, agencies):
    escort = make_escort("departed")
    other = clients["balikpapan_operator"]
    url = f"/api/v1/escorts/{escort.pk}/"
    assert other.get(url).status_code == 404
    assert other.get(url + "chain/").status_code == 404
    assert other.patch(url, {"notes": "x"}, format="json").status_code == 404
    assert other.post(url + "checkpoint/", {}, format="json").status_code == 404
    assert other.get("/api/v1/escorts/").json()["count"] == 0
    assert other.get("/api/v1/custody-events/").json()["count"] == 0
    event = CustodyEvent.objects.filter(escort=escort).first()
    assert other.get(f"/api/v1/custody-events/{event.pk}/").status_code == 404
    # The police see what lies in their jurisdiction: Samarinda's Polresta, not Balikpapan's.
    assert clients["samarinda_police"].get("/api/v1/escorts/").json()["count"] == 1
    polres_bpn = UserFactory(username="polres.bpn", role=Role.POLICE_OFFICER, agency=agencies["polres_balikpapan"])
    assert api_for(polres_bpn).get(url).status_code == 404
    assert api_for(polres_bpn).post(url + "arrive/", {}, format="json").status_code == 404
    assert clients["province_police"].get("/api/v1/escorts/").json()["count"] == 1


def test_a_kpu_office_of_another_regency_sees_nothing(api_for, mahulu_operator, make_escort):
    escort = make_escort("assigned")
    client = api_for(mahulu_operator)
    for path in ("/api/v1/escorts/", "/api/v1/custody-events/", "/api/v1/discrepancies/"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.json()["count"] == 0, path
    assert client.get(f"/api/v1/escorts/{escort.pk}/").status_code == 404
    assert client.post(f"/api/v1/escorts/{escort.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404


def test_the_wrong_party_and_observers_are_refused(clients, make_escort):
    escort = make_escort("submitted")
    url = f"/api/v1/escorts/{escort.pk}/"
    assert clients["samarinda_operator"].post(url + "accept/", {}, format="json").status_code == 403
    assert clients["observer"].get(url).status_code == 200
    assert clients["observer"].post(url + "accept/", {}, format="json").status_code == 403
    assert clients["samarinda_police"].post("/api/v1/escorts/", {}, format="json").status_code == 400


def test_filters_narrow_the_list(clients, make_escort):
    make_escort("submitted")
    departed = make_escort("departed")
    kpu = clients["samarinda_operator"]
    assert [row["id"] for row in kpu.get("/api/v1/escorts/?status=departed").json()["results"]] == [departed.pk]
    assert kpu.get("/api/v1/escorts/?region=64.72.01").json()["count"] == 2
    assert kpu.get("/api/v1/escorts/?region=64.71").json()["count"] == 0
    assert kpu.get("/api/v1/escorts/?overdue=true").json()["count"] == 0
    assert kpu.get("/api/v1/escorts/?status=nonsense").status_code == 400


def tamper(escort, sequence: int) -> None:
    """Edit one event behind the app's back (on PostgreSQL with the append-only trigger
    switched off, as someone holding the database's keys could)."""
    from django.db import connection

    rows = CustodyEvent.objects.filter(escort=escort, sequence=sequence)
    if connection.vendor == "postgresql":
        import pgtrigger

        with pgtrigger.ignore("logistics.CustodyEvent:custody_event_append_only"):
            rows.update(note="diubah")
    else:
        rows.update(note="diubah")


def test_a_chain_edited_behind_the_app_names_its_broken_link(clients, make_escort):
    escort = make_escort("arrived")
    tamper(escort, 2)
    chain = clients["samarinda_operator"].get(f"/api/v1/escorts/{escort.pk}/chain/").json()
    assert chain["ok"] is False and chain["broken_at"] == 2 and chain["checked"] == 2
    assert chain["problem"]


def test_the_command_prints_each_broken_chain_and_exits_1(make_escort, stations):
    from django.core.management import call_command

    whole, edited = make_escort("arrived"), make_escort("handed_over", destination=stations["samarinda2"])
    make_escort("submitted")  # no events: no chain to check
    out = StringIO()
    call_command("verify_custody_chain", stdout=out)
    assert out.getvalue().strip() == "2 chains checked (6 events), 0 broken"
    tamper(edited, 3)
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("verify_custody_chain", stdout=out)
    assert exited.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{edited.number}: broken at event 3: ") and whole.number not in out.getvalue()
    out = StringIO()
    call_command("verify_custody_chain", "--escort", whole.number, stdout=out)
    assert out.getvalue().strip() == "1 chains checked (2 events), 0 broken"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_custody_chain", "--escort", "ESC/00/0/0")
