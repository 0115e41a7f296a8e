"""logistics' escort pages and the officers' field page (logistics/urls.py, groups
"escorts" and "field").

Every escort below is Samarinda's (to its first TPS). Police steps are for the police of
the region (Polresta Samarinda, and Polda above it); KPU steps for the KPU offices of the
region (Samarinda's, the province's, the secretariat); the observer reads only; the
Balikpapan operator finds nothing (404, the same as missing).
"""

from .harness import ANON, OTHER, expect, page, scoped_page

POLICE = {"samarinda_police": 302, "province_police": 302}
KPU = {"samarinda_operator": 302, "province_staff": 302, "secretariat": 302}


def police_step(ok=302):
    """A police step on a Samarinda escort: the police of the region go on, the KPU and
    the observer are refused, Balikpapan does not find it."""
    return expect(403, **{ANON: 302, OTHER: 404, **{name: ok for name in POLICE}})


def kpu_step(ok=302):
    return expect(403, **{ANON: 302, OTHER: 404, **{name: ok for name in KPU}})


def request_form(c):
    station = c["station"]
    return {
        "election": station.election_id, "cargo": "goods", "direction": "outbound", "origin_kind": "warehouse",
        "origin_region": "64.72", "origin_name": "Gudang KPU", "destination_kind": "tps",
        "destination_tps": station.pk, "planned_departure": "2024-02-12T08:00",
        "planned_arrival": "2024-02-12T11:00", "transport_mode": "road",
        "items-TOTAL_FORMS": "6", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "6", "items-0-kind": "ink", "items-0-quantity": "4",
    }


def counted(escort, **extra):
    items = list(escort.items.all())
    return {**{f"count_{item.pk}": item.quantity for item in items}, "seals_intact": "yes",
            "seals_seen": " ".join(s for item in items for s in item.seals), "idempotency_key": "contract-1",
            **extra}


ROUTES = {
    "logistics:escort-list": [
        ("get", lambda c: "/logistics/escorts/", None, page()),
        ("get", lambda c: "/logistics/escorts/?status=submitted&region=64.72&departs_from=x", None, page()),
    ],
    "logistics:escort-create": [
        ("get", lambda c: "/logistics/escorts/new/", None,
         page(403, samarinda_operator=200, balikpapan_operator=200, province_staff=200, secretariat=200)),
        # Balikpapan's operator may raise requests, but not to a Samarinda TPS: the form says so.
        ("post", lambda c: "/logistics/escorts/new/", request_form,
         expect(403, **{ANON: 302, OTHER: 400, **KPU})),
    ],
    "logistics:escort-detail": [
        ("get", lambda c: f"/logistics/escorts/{c['submitted'].pk}/", None, scoped_page()),
        ("get", lambda c: f"/logistics/escorts/{c['arrived'].pk}/", None, scoped_page()),
        ("get", lambda c: "/logistics/escorts/999999/", None, page(404)),
    ],
    "logistics:custody-photo": [
        ("get", lambda c: f"/logistics/escorts/{c['departed'].pk}/events/2/photo/", None, scoped_page()),
        # The departure has no photo: as missing.
        ("get", lambda c: f"/logistics/escorts/{c['departed'].pk}/events/1/photo/", None, page(404)),
    ],
    "logistics:escort-step": [
        ("post", lambda c: f"/logistics/escorts/{c['submitted'].pk}/step/accept/", None, police_step()),
        ("post", lambda c: f"/logistics/escorts/{c['submitted'].pk}/step/cancel/", lambda c: {"reason": "Batal"},
         kpu_step()),
        # A step the escort's status does not allow: a 409 with the message, for those who may take it.
        ("post", lambda c: f"/logistics/escorts/{c['arrived'].pk}/step/accept/", None, police_step(409)),
        ("post", lambda c: f"/logistics/escorts/{c['submitted'].pk}/step/nonsense/", None,
         expect(404, **{ANON: 302})),
    ],
    "logistics:escort-confirm": [
        ("get", lambda c: f"/logistics/escorts/{c['assigned'].pk}/confirm/depart/", None, police_step(200)),
        ("post", lambda c: f"/logistics/escorts/{c['assigned'].pk}/confirm/depart/",
         lambda c: counted(c["assigned"]), police_step()),
        ("get", lambda c: f"/logistics/escorts/{c['arrived'].pk}/confirm/handover-receipt/", None, kpu_step(200)),
        # Either party reports an incident. (Only its form here: an incident is its own
        # append-only record, with no history row; tests/logistics/test_pages.py posts one.)
        ("get", lambda c: f"/logistics/escorts/{c['assigned'].pk}/confirm/incident/", None,
         expect(200, **{ANON: 302, OTHER: 404, "observer": 403})),
        # Bad input: the form again with its errors.
        ("post", lambda c: f"/logistics/escorts/{c['assigned'].pk}/confirm/depart/",
         lambda c: counted(c["assigned"], latitude="abc"), police_step(400)),
    ],
    "logistics:discrepancy-resolve": [
        ("post", lambda c: f"/logistics/escorts/{c['arrived'].pk}/discrepancies/{c['discrepancy'].pk}/resolve/",
         lambda c: {f"d{c['discrepancy'].pk}-resolution": "Diganti"}, kpu_step()),
    ],
    "logistics:field": [("get", lambda c: "/logistics/field/", None, page())],
}


def world(stations, personas):
    """A submitted, an assigned and an arrived escort (the last with an open discrepancy)."""
    from logistics import services
    from tests.factories import escort_request

    def make(status):
        return escort_request(election=stations["samarinda"].election, destination=stations["samarinda"],
                              kpu=personas["samarinda_operator"], police=personas["samarinda_police"], status=status)

    arrived = make("arrived")
    first = arrived.items.first()
    counts = {item.pk: item.quantity for item in arrived.items.all()}
    services.custody_confirm(actor=personas["samarinda_police"], escort=arrived, action="handover-escort",
                             counts={**counts, first.pk: first.quantity - 1}, seals_intact=True,
                             seals_seen="S-001 S-002")
    from django.core.files.uploadedfile import SimpleUploadedFile

    departed = make("departed")
    services.custody_confirm(actor=personas["samarinda_police"], escort=departed, action="checkpoint",
                             photo=SimpleUploadedFile("pos.jpg", b"\xff\xd8\xff\xe0 foto", "image/jpeg"))
    return {"station": stations["samarinda"], "submitted": make("submitted"), "assigned": make("assigned"),
            "arrived": arrived, "discrepancy": arrived.discrepancies.get(), "departed": departed}
