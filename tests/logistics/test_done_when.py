"""The issue's "done when", as one story through the API: Samarinda's KPU raises a
request, Polresta Samarinda accepts, assigns, departs and arrives, both parties confirm the
hand-over with a seal mismatch (one discrepancy, both agencies told once), a retried
confirmation writes nothing, an edited custody row is caught, and Mahakam Ulu's KPU sees
none of it."""

from datetime import timedelta

import pgtrigger
import pytest
from django.db import connection
from django.utils import timezone

from coordination.choices import AgencyKind, Role
from coordination.models import Notification
from logistics.models import CustodyEvent, Discrepancy
from tests.factories import AgencyFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def test_done_when(api_for, personas, stations, agencies, client):
    kpu, police = api_for(personas["samarinda_operator"]), api_for(personas["samarinda_police"])
    mahulu_office = AgencyFactory(code="kpu-mahulu", kind=AgencyKind.KPU, jurisdiction=region("64.11", "Mahakam Ulu"),
                                  parent=agencies["kpu"])
    mahulu = UserFactory(username="kpu.mahulu", role=Role.REGIONAL_OFFICE, agency=mahulu_office)
    departure = timezone.now() + timedelta(days=1)
    created = kpu.post("/api/v1/escorts/", {
        "election": "pemilu-2024", "origin_kind": "warehouse", "origin_name": "Gudang KPU Samarinda",
        "origin_region": "64.72", "destination_kind": "tps", "destination_tps": stations["samarinda"].pk,
        "planned_departure": departure.isoformat(), "planned_arrival": (departure + timedelta(hours=2)).isoformat(),
        "items": [{"kind": "ballot_dpr", "quantity": 210},
                  {"kind": "ballot_box", "quantity": 1, "seal_numbers": "A1 A2"}],
    }, format="json")
    assert created.status_code == 201
    escort = created.json()
    url = f"/api/v1/escorts/{escort['id']}"
    assert police.post(f"{url}/accept/", {}, format="json").status_code == 200
    assert police.post(f"{url}/assign/", {"commander_name": "Ipda Rahmat", "commander_nrp": "90020345",
                                          "personnel_count": 3}, format="json").status_code == 200
    assert police.post(f"{url}/depart/", {}, format="json", HTTP_IDEMPOTENCY_KEY="dep-1").status_code == 201
    assert police.post(f"{url}/arrive/", {}, format="json", HTTP_IDEMPOTENCY_KEY="arr-1").status_code == 201

    counts = [{"item": item["id"], "quantity": item["quantity"]} for item in escort["items"]]
    told_before = Notification.objects.count()
    body = {"counts": counts, "seals_intact": True, "seals_seen": "A1 A9"}  # A2 is not the seal they see
    sent = police.post(f"{url}/handover-escort/", body, format="json", HTTP_IDEMPOTENCY_KEY="ho-1")
    assert sent.status_code == 201
    received = kpu.post(f"{url}/handover-receipt/", {**body, "signer_name": "Ketua KPPS 001"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="rc-1")
    assert received.status_code == 201
    assert kpu.get(f"{url}/").json()["status"] == "handed_over"
    discrepancy = Discrepancy.objects.get(escort_id=escort["id"])
    assert discrepancy.reason == "seal_broken"
    told = Notification.objects.filter(kind="logistics.discrepancy")
    assert told.count() == Notification.objects.count() - told_before
    assert {n.recipient.agency.code for n in told} == {"kpu-samarinda", "polres-samarinda"}
    assert told.values("recipient").distinct().count() == told.count()  # once each

    events = CustodyEvent.objects.filter(escort_id=escort["id"]).count()
    again = police.post(f"{url}/handover-escort/", body, format="json", HTTP_IDEMPOTENCY_KEY="ho-1")
    assert again.status_code == 201 and again.json() == sent.json() and again["Idempotent-Replayed"] == "true"
    assert CustodyEvent.objects.filter(escort_id=escort["id"]).count() == events
    assert Notification.objects.filter(kind="logistics.discrepancy").count() == told.count()

    assert police.get(f"{url}/chain/").json()["ok"] is True
    row = CustodyEvent.objects.filter(escort_id=escort["id"], kind="handover_receipt")
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("logistics.CustodyEvent:custody_event_append_only"):
            row.update(seals_seen="A1 A2")
    else:
        row.update(seals_seen="A1 A2")
    chain = police.get(f"{url}/chain/").json()
    assert chain["ok"] is False and chain["broken_at"] == row.get().sequence

    outsider = api_for(mahulu)
    assert outsider.get("/api/v1/escorts/").json()["count"] == 0
    assert outsider.get(f"{url}/").status_code == 404
    assert outsider.get(f"/api/v1/discrepancies/{discrepancy.pk}/").status_code == 404
    assert outsider.get("/api/v1/custody-events/").json()["count"] == 0
    client.force_login(mahulu)
    assert client.get(f"/logistics/escorts/{escort['id']}/").status_code == 404
    assert client.get(f"/logistics/escorts/{escort['id']}/berita-acara/").status_code == 404
