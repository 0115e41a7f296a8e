"""Police facilities and their bookings: their pages (coordination/views/facilities.py) and
API (coordination/api/facilities.py).

The rows are Samarinda's: Polresta Samarinda's hall (64.72) and Polda's hall in a
Samarinda kecamatan, booked by KPU Samarinda. Everyone signed in sees them but
Balikpapan's operator (404). Facilities are recorded and changed by the owner's police
officers and the secretariat (the province's police officer records Polda's, not
Polresta's); bookings are requested by KPU offices and the secretariat, decided by the
owner's officers and the secretariat, cancelled by the requesting office and the
secretariat (the owner too, once approved, with a reason). The observer only reads (403).
"""

from datetime import timedelta

from django.utils import timezone

from .harness import OTHER, api, page, scoped_api, scoped_page

OFFERERS = {"samarinda_police", "province_police", "secretariat"}  # police officers and the secretariat
REQUESTERS = {"samarinda_operator", "province_staff", "secretariat"}  # KPU offices and the secretariat
POLRESTA = {"samarinda_police", "secretariat"}  # who manages and decides for Polresta's hall
POLDA = {"province_police", "secretariat"}  # ... for Polda's hall
REQUESTING_SIDE = {"samarinda_operator", "secretariat"}  # KPU Samarinda's bookings


def allowed_page(ok, who, **overrides):
    """A page the people ``who`` may use (``ok``), the others may not (403), Balikpapan's
    operator does not find it (404)."""
    return page(403, **{p: ok for p in who}, **{OTHER: 404, **overrides})


def allowed_api(ok, who, **overrides):
    return api(403, **{p: ok for p in who}, **{OTHER: 404, **overrides})


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def facility_form(c, **extra):
    return {"owner": c["agencies"]["polres-samarinda"].pk, "name": "Aula baru Polresta", "kind": "hall",
            "capacity": "100", "capacity_unit": "orang", "region": "64.72", "address": "", "notes": "", **extra}


def facility_edit_form(c):
    return {"name": "Aula Polresta Samarinda", "kind": "hall", "capacity": "120", "capacity_unit": "orang",
            "region": "64.72", "address": "Jl. Slamet Riyadi", "notes": "", "is_active": "on"}


def booking_form(c):
    starts = c["now"] + timedelta(days=9)
    return {"requester": c["agencies"]["kpu-samarinda"].pk, "starts_at": local(starts),
            "ends_at": local(starts + timedelta(hours=3)), "purpose": "Rapat koordinasi", "participants": "40"}


def booking_api(c):
    starts = c["now"] + timedelta(days=9)
    return {"facility": c["polresta_hall"].pk, "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(), "purpose": "Rapat koordinasi"}


def f(c, name, action=""):
    return f"/facilities/{c[name].pk}/" + (f"{action}/" if action else "")


def b(c, name, action=""):
    return f"/bookings/{c[name].pk}/" + (f"{action}/" if action else "")


def ba(c, name, action=""):
    return f"/api/v1/facility-bookings/{c[name].pk}/" + (f"{action}/" if action else "")


ROUTES = {
    # --- pages: facilities --------------------------------------------------------------------
    "coordination:facility-list": [
        ("get", lambda c: "/facilities/", None, page()),
        ("get", lambda c: "/facilities/?kind=hall&owner=polres-samarinda&region=64.72&active=true", None, page()),
    ],
    "coordination:facility-create": [
        ("get", lambda c: "/facilities/new/", None, page(403, **{p: 200 for p in OFFERERS})),
        # Polda's officer records Polda's facilities: Polresta is not among its owners (a form error).
        ("post", lambda c: "/facilities/new/", facility_form,
         page(403, samarinda_police=302, secretariat=302, province_police=400)),
    ],
    "coordination:facility-detail": [
        ("get", lambda c: f(c, "polresta_hall"), None, scoped_page()),
        ("get", lambda c: f(c, "polda_hall"), None, scoped_page()),
        ("get", lambda c: "/facilities/999999/", None, page(404)),
    ],
    "coordination:facility-edit": [
        ("get", lambda c: f(c, "polresta_hall", "edit"), None, allowed_page(200, POLRESTA)),
        ("post", lambda c: f(c, "polresta_hall", "edit"), facility_edit_form, allowed_page(302, POLRESTA)),
    ],
    "coordination:facility-calendar": [
        ("get", lambda c: "/facilities/calendar/?month=2024-02", None, page()),
        ("get", lambda c: f"/facilities/calendar/?facility={c['polresta_hall'].pk}", None, scoped_page()),
    ],
    # --- pages: bookings -----------------------------------------------------------------------
    "coordination:booking-create": [
        ("get", lambda c: f(c, "polresta_hall", "book"), None, allowed_page(200, REQUESTERS)),
        ("post", lambda c: f(c, "polresta_hall", "book"), booking_form, allowed_page(302, REQUESTERS)),
    ],
    "coordination:booking-list": [
        ("get", lambda c: "/bookings/", None, page()),
        ("get", lambda c: "/bookings/?status=requested&owner=polres-samarinda&starts_from=2024-01-01", None, page()),
    ],
    "coordination:booking-detail": [
        ("get", lambda c: b(c, "requested"), None, scoped_page()),
        ("get", lambda c: "/bookings/999999/", None, page(404)),
    ],
    "coordination:booking-approve": [
        ("post", lambda c: b(c, "requested", "approve"), lambda c: {"next": "/"}, allowed_page(302, POLRESTA)),
        ("post", lambda c: b(c, "requested_polda", "approve"), None, allowed_page(302, POLDA)),
        ("post", lambda c: b(c, "rejected", "approve"), None, allowed_page(409, POLRESTA)),
    ],
    "coordination:booking-reject": [
        ("post", lambda c: b(c, "requested", "reject"), lambda c: {"reason": "Aula dipakai apel"},
         allowed_page(302, POLRESTA)),
    ],
    "coordination:booking-cancel": [
        ("post", lambda c: b(c, "requested", "cancel"), lambda c: {"reason": ""}, allowed_page(302, REQUESTING_SIDE)),
        ("post", lambda c: b(c, "approved", "cancel"), lambda c: {"reason": "Aula direnovasi"},
         allowed_page(302, REQUESTING_SIDE | {"samarinda_police"})),
    ],
    # --- API: facilities -----------------------------------------------------------------------
    "facility-list": [
        ("get", lambda c: "/api/v1/facilities/", None, api()),
        ("get", lambda c: "/api/v1/facilities/?kind=hall&owner=polres-samarinda&region=64.72", None, api()),
        ("post", lambda c: "/api/v1/facilities/",
         lambda c: {"owner": "polres-samarinda", "name": "Aula API", "kind": "hall", "region": "64.72"},
         api(403, samarinda_police=201, secretariat=201)),
    ],
    "facility-detail": [
        ("get", lambda c: f"/api/v1/facilities/{c['polresta_hall'].pk}/", None, scoped_api()),
        ("get", lambda c: "/api/v1/facilities/999999/", None, api(404)),
        ("patch", lambda c: f"/api/v1/facilities/{c['polresta_hall'].pk}/", lambda c: {"capacity": 120},
         allowed_api(200, POLRESTA)),
    ],
    # --- API: bookings -------------------------------------------------------------------------
    "facility-booking-list": [
        ("get", lambda c: "/api/v1/facility-bookings/", None, api()),
        ("get", lambda c: "/api/v1/facility-bookings/?status=requested&requester=kpu-samarinda&region=64.72", None,
         api()),
        # Balikpapan's operator may request, but finds no such facility.
        ("post", lambda c: "/api/v1/facility-bookings/", booking_api, allowed_api(201, REQUESTERS)),
    ],
    "facility-booking-detail": [
        ("get", lambda c: ba(c, "requested"), None, scoped_api()),
        ("get", lambda c: "/api/v1/facility-bookings/999999/", None, api(404)),
    ],
    "facility-booking-approve": [
        ("post", lambda c: ba(c, "requested", "approve"), None, allowed_api(200, POLRESTA)),
        ("post", lambda c: ba(c, "requested_polda", "approve"), lambda c: {"note": "Siap"}, allowed_api(200, POLDA)),
        ("post", lambda c: ba(c, "rejected", "approve"), None, allowed_api(409, POLRESTA)),
    ],
    "facility-booking-reject": [
        ("post", lambda c: ba(c, "requested", "reject"), lambda c: {"reason": "Bentrok jadwal"},
         allowed_api(200, POLRESTA)),
    ],
    "facility-booking-cancel": [
        ("post", lambda c: ba(c, "requested", "cancel"), None, allowed_api(200, REQUESTING_SIDE)),
        ("post", lambda c: ba(c, "approved", "cancel"), lambda c: {"reason": "Aula direnovasi"},
         allowed_api(200, REQUESTING_SIDE | {"samarinda_police"})),
    ],
}


def world(stations, personas):
    """Polresta Samarinda's hall and Polda's hall in a Samarinda kecamatan; KPU Samarinda's
    bookings of them in each state a step starts from: requested (of both halls),
    approved and rejected."""
    from coordination.models import Agency, Region
    from coordination.services import facilities as services
    from kpu_polda.base import clock

    now = clock.now()
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    police, officer = personas["samarinda_police"], personas["province_police"]
    operator = personas["samarinda_operator"]
    polresta_hall = services.facility_create(actor=police, owner=agencies["polres-samarinda"],
                                             name="Aula Polresta Samarinda", kind="hall", capacity=150,
                                             capacity_unit="orang", region=Region.objects.get(code="64.72"))
    polda_hall = services.facility_create(actor=officer, owner=agencies["polda-kaltim"], name="Aula Mapolda Kaltim",
                                          kind="hall", capacity=300, capacity_unit="orang",
                                          region=Region.objects.get(code="64.72.01"))

    def ask(hall, days):
        starts = now + timedelta(days=days)
        return services.booking_request(actor=operator, facility=hall, starts_at=starts,
                                        ends_at=starts + timedelta(hours=4), purpose="Rapat pleno")

    requested, requested_polda = ask(polresta_hall, 2), ask(polda_hall, 2)
    approved = services.booking_approve(actor=police, booking=ask(polresta_hall, 4))
    rejected = services.booking_reject(actor=police, booking=ask(polresta_hall, 6), reason="Dipakai apel")
    return {"now": now, "agencies": agencies, "polresta_hall": polresta_hall, "polda_hall": polda_hall,
            "requested": requested, "requested_polda": requested_polda, "approved": approved, "rejected": rejected}
