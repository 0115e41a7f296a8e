"""meetings' API (meetings/api/urls.py): series, meetings and their steps, invitations,
attendance, minutes and follow-ups.

Every meeting below but one is organised by KPU Samarinda with Polresta Samarinda: the
people of Samarinda and of the province see it, Balikpapan's operator does not find it
(404). It is arranged by its organisers and the secretariat; the province's KPU and Polda
staff see it but may not arrange it, and Bawaslu's observer only reads (403). The minutes
are approved by one representative of each party: KPU Samarinda and Polresta. The
province's meeting (KPU Kaltim with Polda, KPU Samarinda invited) is not seen in Samarinda
except by KPU Samarinda. Rows are posted as the test client posts (multipart).
"""

from .harness import OTHER, api, scoped_api

ORGANISERS = {"samarinda_operator", "samarinda_police", "secretariat"}
PROVINCE_ONLY = api(**{OTHER: 404, "samarinda_police": 404})


def organiser_api(ok=200, **overrides):
    """A step of the Samarinda meeting's organisers (and the secretariat)."""
    return api(403, **{p: ok for p in ORGANISERS}, **{OTHER: 404, **overrides})


def meeting_url(c, name, action=""):
    """The API address of the world's meeting ``name``, or of one of its actions."""
    return f"/api/v1/meetings/{c[name].pk}/" + (f"{action}/" if action else "")


def ahead(days=0, hours=0):
    """A moment from now on the app's clock, as the API reads it."""
    from datetime import timedelta

    from kpu_polda.base import clock

    return (clock.now() + timedelta(days=days, hours=hours)).isoformat()


def new_meeting(c):
    return {"title": "Rakor pengamanan TPS", "starts_at": ahead(days=12), "ends_at": ahead(days=12, hours=2),
            "organiser": "kpu-samarinda", "co_organiser": "polres-samarinda", "place": "Kantor KPU Samarinda",
            "invited_agencies": ["polres-samarinda"]}


def new_series(c):
    return {"title": "Rakor mingguan Samarinda", "rrule": "FREQ=WEEKLY;COUNT=3", "first_start": ahead(days=3),
            "organiser": "kpu-samarinda", "co_organiser": "polres-samarinda", "place": "Kantor KPU Samarinda"}


def new_action(c):
    return {"meeting": c["upcoming"].pk, "title": "Siapkan rute alternatif", "owner_agency": "polres-samarinda",
            "due_on": "2030-01-15"}


ROUTES = {
    "meeting-series-list": [
        ("get", lambda c: "/api/v1/meeting-series/", None, api()),
        ("get", lambda c: "/api/v1/meeting-series/?region=64.72&kind=coordination", None, api()),
        # The organisers' own agencies only: Balikpapan is refused before its scope is asked.
        ("post", lambda c: "/api/v1/meeting-series/", new_series, organiser_api(201, **{OTHER: 403})),
    ],
    "meeting-series-detail": [("get", lambda c: f"/api/v1/meeting-series/{c['series'].pk}/", None, scoped_api())],
    "meeting-list": [
        ("get", lambda c: "/api/v1/meetings/", None, api()),
        ("get", lambda c: "/api/v1/meetings/?status=scheduled&region=64.72&starts_from=2024-01-01", None, api()),
        ("post", lambda c: "/api/v1/meetings/", new_meeting, organiser_api(201, **{OTHER: 403})),
    ],
    "meeting-detail": [
        ("get", lambda c: meeting_url(c, "upcoming"), None, scoped_api()),
        ("get", lambda c: meeting_url(c, "province"), None, PROVINCE_ONLY),
        ("get", lambda c: "/api/v1/meetings/999999/", None, api(404)),
        ("patch", lambda c: meeting_url(c, "upcoming"), lambda c: {"place": "Aula Polresta Samarinda"},
         organiser_api()),
    ],
    "meeting-postpone": [
        ("post", lambda c: meeting_url(c, "upcoming", "postpone"),
         lambda c: {"starts_at": ahead(days=20), "ends_at": ahead(days=20, hours=2), "reason": "Bentrok jadwal"},
         organiser_api()),
    ],
    "meeting-cancel": [
        ("post", lambda c: meeting_url(c, "upcoming", "cancel"), lambda c: {"reason": "Digabung"}, organiser_api()),
    ],
    "meeting-hold": [("post", lambda c: meeting_url(c, "started", "hold"), None, organiser_api())],
    "meeting-agenda": [("get", lambda c: meeting_url(c, "upcoming", "agenda"), None, scoped_api())],
    "meeting-invite": [
        ("post", lambda c: meeting_url(c, "upcoming", "invite"), lambda c: {"agency": "bawaslu-kaltim"},
         organiser_api(201)),
    ],
    "meeting-attendance": [
        ("get", lambda c: meeting_url(c, "started", "attendance"), None, scoped_api()),
        ("put", lambda c: meeting_url(c, "started", "attendance"),
         lambda c: {"rows": [{"agency": "kpu-samarinda", "name": "Siti Rahma", "position": "Kasubbag"}]},
         organiser_api()),
    ],
    "meeting-minutes": [
        ("get", lambda c: meeting_url(c, "locked", "minutes"), None, scoped_api()),
        ("post", lambda c: meeting_url(c, "held", "minutes"), None, organiser_api(201)),
        ("patch", lambda c: meeting_url(c, "writing", "minutes"), lambda c: {"opening": "Dibuka pukul 09.00."},
         organiser_api()),
    ],
    "meeting-minutes-submit": [("post", lambda c: meeting_url(c, "writing", "minutes/submit"), None, organiser_api())],
    "meeting-minutes-approve": [
        # One of each party: KPU Samarinda and Polresta; the province's staff are no party.
        ("post", lambda c: meeting_url(c, "submitted", "minutes/approve"), None,
         api(403, samarinda_operator=200, samarinda_police=200, **{OTHER: 404})),
    ],
    "meeting-minutes-amend": [
        ("post", lambda c: meeting_url(c, "locked", "minutes/amend"),
         lambda c: {"reason": "Salah ketik", "decisions": "Dikawal mulai H-5."}, organiser_api()),
    ],
    "meeting-invitation-list": [
        ("get", lambda c: "/api/v1/meeting-invitations/", None, api()),
        ("get", lambda c: f"/api/v1/meeting-invitations/?meeting={c['upcoming'].pk}&response=pending", None, api()),
    ],
    "meeting-invitation-detail": [
        ("get", lambda c: f"/api/v1/meeting-invitations/{c['invitation'].pk}/", None, scoped_api()),
    ],
    "meeting-invitation-reply": [
        # Polresta's invitation: a member of Polresta replies, nobody else.
        ("post", lambda c: f"/api/v1/meeting-invitations/{c['invitation'].pk}/reply/",
         lambda c: {"response": "attending"}, api(403, samarinda_police=200, **{OTHER: 404})),
    ],
    "meeting-action-item-list": [
        ("get", lambda c: "/api/v1/action-items/", None, api()),
        ("get", lambda c: "/api/v1/action-items/?overdue=false&status=open&owner_agency=polres-samarinda", None,
         api()),
        # The meeting named in the body is not Balikpapan's to find: a field error, as a missing one.
        ("post", lambda c: "/api/v1/action-items/", new_action, organiser_api(201, **{OTHER: 400})),
    ],
    "meeting-action-item-detail": [
        ("get", lambda c: f"/api/v1/action-items/{c['action'].pk}/", None, scoped_api()),
    ],
    "meeting-action-item-move": [
        ("post", lambda c: f"/api/v1/action-items/{c['action'].pk}/move/", lambda c: {"to_status": "in_progress"},
         organiser_api()),
    ],
    "meeting-action-item-progress": [
        ("get", lambda c: f"/api/v1/action-items/{c['action'].pk}/progress/", None, scoped_api()),
        ("post", lambda c: f"/api/v1/action-items/{c['action'].pk}/progress/",
         lambda c: {"note": "Rute lewat Jl. Juanda disurvei."}, organiser_api(201)),
    ],
}


def world(stations, personas):
    """A Samarinda meeting in each state a step starts from, the province's meeting, a
    series, an invitation and a follow-up."""
    from datetime import timedelta

    from coordination.models import Agency
    from kpu_polda.base import clock
    from meetings import services

    now = clock.now()
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    kpu, police = personas["samarinda_operator"], personas["samarinda_police"]

    def samarinda(title, start):
        return services.meeting_create(
            actor=kpu, title=title, organiser=agencies["kpu-samarinda"], co_organiser=agencies["polres-samarinda"],
            starts_at=start, ends_at=start + timedelta(hours=2), place="Kantor KPU Samarinda",
            invited_agencies=[agencies["polres-samarinda"]])

    def held(title, step=""):
        meeting = services.meeting_hold(actor=kpu, meeting=samarinda(title, now - timedelta(hours=1)))
        if not step:
            return meeting
        minutes = services.minutes_start(actor=kpu, meeting=meeting, chair_name="Ketua KPU Samarinda")
        minutes = services.minutes_update(actor=kpu, minutes=minutes, decisions="Dikawal mulai H-7.")
        if step in {"submitted", "locked"}:
            minutes = services.minutes_submit(actor=kpu, minutes=minutes)
        if step == "locked":
            minutes = services.minutes_approve(actor=kpu, minutes=minutes)
            services.minutes_approve(actor=police, minutes=minutes)
        return meeting

    upcoming = samarinda("Rakor logistik Samarinda", now + timedelta(days=10))
    province = services.meeting_create(
        actor=personas["province_staff"], title="Rapat evaluasi KPU-Polda", organiser=agencies["kpu-kaltim"],
        co_organiser=agencies["polda-kaltim"], starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=2), place="Aula KPU Provinsi",
        invited_agencies=[agencies["polda-kaltim"], agencies["kpu-samarinda"]])
    series = services.series_create(
        actor=kpu, title="Rakor bulanan Samarinda", rrule="FREQ=MONTHLY;COUNT=2", first_start=now + timedelta(days=5),
        organiser=agencies["kpu-samarinda"], co_organiser=agencies["polres-samarinda"], place="Kantor KPU Samarinda")
    action = services.action_item_create(actor=kpu, meeting=upcoming, title="Petakan jalur rawan",
                                         owner_agency=agencies["polres-samarinda"], due_on=now.date())
    return {"upcoming": upcoming, "province": province, "series": series, "action": action,
            "invitation": upcoming.invitations.get(person=None), "started": samarinda("Apel", now - timedelta(hours=1)),
            "held": held("Rakor selesai"), "writing": held("Rakor ditulis", "writing"),
            "submitted": held("Rakor diajukan", "submitted"), "locked": held("Rakor dikunci", "locked")}
