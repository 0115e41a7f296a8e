"""logistics' API (logistics/api/urls.py): escort requests, their steps, the custody
chain and discrepancies.

Every escort below goes to Samarinda's TPS, so Balikpapan's operator does not find it
(404). Police steps are for Polresta Samarinda and the Polda; KPU steps for KPU Samarinda,
KPU Kaltim and the secretariat; Bawaslu's observer reads and is refused every step (403).
The rows are posted as the test client posts (multipart): counts go as JSON text.
"""

import json

from .harness import OTHER, api, scoped_api

POLICE = {"samarinda_police", "province_police"}
KPU = {"samarinda_operator", "province_staff", "secretariat"}
ASSIGNMENT = {"commander_name": "Iptu Budi Santoso", "commander_nrp": "85010123", "personnel_count": 4}


def police_step(ok=200):
    """A police step in Samarinda: the police succeed, KPU staff and the observer are refused."""
    return api(403, **{p: ok for p in POLICE}, **{OTHER: 404})


def kpu_step(ok=200):
    return api(403, **{p: ok for p in KPU}, **{OTHER: 404})


def counted(escort):
    return {"counts": json.dumps([{"item": item.pk, "quantity": item.quantity} for item in escort.items.all()]),
            "seals_intact": "true", "seals_seen": "S-001 S-002"}


def team_request(c):
    return {"election": "pemilu-2024", "cargo": "team", "origin_kind": "kpu_office", "origin_name": "KPU Samarinda",
            "origin_region": "64.72", "destination_kind": "tps", "destination_tps": c["stations"]["samarinda"].pk,
            "planned_departure": "2030-02-12T08:00:00+08:00", "planned_arrival": "2030-02-12T10:00:00+08:00",
            "team_purpose": "Supervisi", "team_members": "Andi\nSiti"}


def escort_url(c, name, action=""):
    return f"/api/v1/escorts/{c[name].pk}/" + (f"{action}/" if action else "")


ROUTES = {
    "escort-request-list": [
        ("get", lambda c: "/api/v1/escorts/", None, api()),
        ("get", lambda c: "/api/v1/escorts/?status=departed&region=64.72", None, api()),
        # Raised by a KPU office for its region: the police and the observer may not.
        ("post", lambda c: "/api/v1/escorts/", team_request,
         api(403, **{p: 201 for p in KPU}, **{OTHER: 404})),
    ],
    "escort-request-detail": [
        ("get", lambda c: escort_url(c, "submitted"), None, scoped_api()),
        ("patch", lambda c: escort_url(c, "submitted"), lambda c: {"notes": "Lewat jalan poros"}, kpu_step()),
    ],
    "escort-request-chain": [("get", lambda c: escort_url(c, "departed", "chain"), None, scoped_api())],
    "escort-request-accept": [("post", lambda c: escort_url(c, "submitted", "accept"), None, police_step())],
    "escort-request-reject": [
        ("post", lambda c: escort_url(c, "submitted", "reject"), lambda c: {"reason": "Personel penuh"},
         police_step()),
    ],
    "escort-request-assign": [
        ("post", lambda c: escort_url(c, "accepted", "assign"), lambda c: ASSIGNMENT, police_step()),
    ],
    "escort-request-cancel": [
        ("post", lambda c: escort_url(c, "submitted", "cancel"), lambda c: {"reason": "Jadwal berubah"}, kpu_step()),
    ],
    "escort-request-depart": [("post", lambda c: escort_url(c, "assigned", "depart"), None, police_step(201))],
    "escort-request-checkpoint": [
        ("post", lambda c: escort_url(c, "departed", "checkpoint"), lambda c: {"note": "Jembatan Mahakam"},
         police_step(201)),
    ],
    "escort-request-arrive": [("post", lambda c: escort_url(c, "departed", "arrive"), None, police_step(201))],
    "escort-request-incident": [
        # Either party reports an incident; the observer is no party.
        ("post", lambda c: escort_url(c, "departed", "incident"),
         lambda c: {"incident_type": "delay", "severity": "low", "note": "Macet"},
         api(201, observer=403, **{OTHER: 404})),
    ],
    "escort-request-handover-escort": [
        ("post", lambda c: escort_url(c, "arrived", "handover-escort"), lambda c: counted(c["arrived"]),
         police_step(201)),
    ],
    "escort-request-handover-receipt": [
        # The escorting officer has confirmed: the receipt completes the hand-over.
        ("post", lambda c: escort_url(c, "half_handed", "handover-receipt"), lambda c: counted(c["half_handed"]),
         kpu_step(201)),
    ],
    "escort-request-close": [("post", lambda c: escort_url(c, "handed_over", "close"), None, kpu_step())],
    "custody-event-list": [
        ("get", lambda c: "/api/v1/custody-events/", None, api()),
        ("get", lambda c: "/api/v1/custody-events/?kind=incident", None, api()),
    ],
    "custody-event-detail": [("get", lambda c: f"/api/v1/custody-events/{c['event'].pk}/", None, scoped_api())],
    "discrepancy-list": [("get", lambda c: "/api/v1/discrepancies/?status=open", None, api())],
    "discrepancy-detail": [("get", lambda c: f"/api/v1/discrepancies/{c['discrepancy'].pk}/", None, scoped_api())],
    "discrepancy-resolve": [
        ("post", lambda c: f"/api/v1/discrepancies/{c['discrepancy'].pk}/resolve/",
         lambda c: {"resolution": "Dihitung ulang: lengkap"}, kpu_step()),
    ],
}

HISTORY_EXEMPT = {
    # A confirmation that moves nothing is one custody event: append-only, its own record
    # (logistics/models/custody.py keeps no history table for it).
    "escort-request-checkpoint": "a checkpoint is one custody event (its own record, no history table)",
    "escort-request-incident": "an incident is one custody event (its own record, no history table)",
    "escort-request-handover-escort": "the first hand-over confirmation is one custody event; the second moves "
                                      "the escort",
}


def world(stations, personas):
    """An escort to Samarinda's TPS in each status a step starts from, and a discrepancy."""
    from logistics import services
    from logistics.models import CustodyEvent, Discrepancy
    from tests.factories import escort_request

    election = stations["samarinda"].election
    kpu, police = personas["samarinda_operator"], personas["samarinda_police"]

    def make(status):
        return escort_request(election=election, destination=stations["samarinda"], kpu=kpu, police=police,
                              status=status)

    rows = {status: make(status) for status in ("submitted", "accepted", "assigned", "departed", "arrived",
                                                 "handed_over")}
    half = make("arrived")
    counts = {item.pk: item.quantity for item in half.items.all()}
    services.custody_confirm(actor=police, escort=half, action="handover-escort", counts=counts, seals_intact=True,
                             seals_seen="S-001 S-002")
    short = make("assigned")
    items = list(short.items.all())
    services.custody_confirm(actor=police, escort=short, action="depart",
                             counts={items[0].pk: items[0].quantity - 2, items[1].pk: items[1].quantity})
    return {**rows, "stations": stations, "half_handed": half,
            "event": CustodyEvent.objects.filter(escort=rows["departed"]).first(),
            "discrepancy": Discrepancy.objects.get(escort=short)}
