"""meetings' pages (meetings/urls.py, group "meetings").

The Samarinda meeting is organised by KPU Samarinda with Polresta Samarinda: the people
of Samarinda and of the province see it, Balikpapan does not find it. The province's
meeting (KPU Provinsi with Polda) is seen by the province's people and by nobody in a
kab/kota unless invited: KPU Samarinda is invited, so its operator sees it too.
"""

from .harness import ANON, OTHER, expect, page, scoped_page


def world(stations, personas):
    from datetime import timedelta

    from django.utils import timezone

    from coordination.models import Agency
    from meetings import services

    start = timezone.now() + timedelta(days=10)
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    samarinda = services.meeting_create(
        actor=personas["samarinda_operator"], title="Rakor logistik Samarinda", organiser=agencies["kpu-samarinda"],
        co_organiser=agencies["polres-samarinda"], starts_at=start, ends_at=start + timedelta(hours=2),
        place="Kantor KPU Samarinda", invited_agencies=[agencies["polres-samarinda"]])
    province = services.meeting_create(
        actor=personas["province_staff"], title="Rapat evaluasi KPU-Polda", organiser=agencies["kpu-kaltim"],
        co_organiser=agencies["polda-kaltim"], starts_at=start, ends_at=start + timedelta(hours=2),
        place="Aula KPU Provinsi", invited_agencies=[agencies["polda-kaltim"], agencies["kpu-samarinda"]])
    earlier = timezone.now() - timedelta(days=2)
    held = services.meeting_create(
        actor=personas["samarinda_operator"], title="Rakor yang sudah berlangsung", organiser=agencies["kpu-samarinda"],
        co_organiser=agencies["polres-samarinda"], starts_at=earlier, ends_at=earlier + timedelta(hours=2),
        place="Kantor KPU Samarinda", invited_agencies=[agencies["polres-samarinda"]])
    held = services.meeting_hold(actor=personas["samarinda_operator"], meeting=held)
    police_invitation = samarinda.invitations.get(agency=agencies["polres-samarinda"])
    return {"samarinda": samarinda, "province": province, "held": held, "invitation": police_invitation,
            "rsvp": services.rsvp_token(police_invitation.pk, personas["samarinda_police"]),
            "feed": services.calendar_feed_create(actor=personas["samarinda_police"]),
            "agencies": agencies,
            "action": services.action_item_create(
                actor=personas["samarinda_operator"], meeting=held, title="Sewa gudang sementara",
                owner_agency=agencies["polres-samarinda"], due_on=start.date())}


ACTING = ["samarinda_operator", "balikpapan_operator", "samarinda_police", "province_staff", "province_police",
          "secretariat"]
# Samarinda's meeting is arranged by KPU Samarinda and Polresta Samarinda (and the secretariat).
ORGANISERS = {"samarinda_operator": 302, "samarinda_police": 302, "secretariat": 302}


def organiser_step(ok=302, others=403):
    """A step on Samarinda's meeting: its organisers go on; the province's people see it but
    may not arrange it; Balikpapan does not find it."""
    return expect(others, **{ANON: 302, OTHER: 404, **{name: ok for name in ORGANISERS}})


def meeting_form(c):
    return {"title": "Rakor", "kind": "coordination", "starts_at": "2030-03-04T09:00", "ends_at": "2030-03-04T11:00",
            "place": "Kantor KPU Samarinda", "organiser": c["agencies"]["kpu-samarinda"].pk,
            "reminder_offsets": ["1440"]}


def series_form(c):
    return {"title": "Rakor bulanan", "kind": "coordination", "rrule": "FREQ=MONTHLY;COUNT=3",
            "first_start": "2030-03-04T09:00", "duration_minutes": "120", "place": "Kantor KPU Samarinda",
            "organiser": c["agencies"]["kpu-samarinda"].pk}


def attendance_rows(c):
    return {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-0-agency": c["agencies"]["kpu-samarinda"].pk,
            "rows-0-name": "Siti", "rows-0-position": "Kasubbag", "rows-0-present": "on"}


# Who may schedule for KPU Samarinda: its own staff and the secretariat; the others of the
# acting roles are refused (403), Balikpapan's operator has it outside the form's choices.
SCHEDULE = expect(403, **{ANON: 302, OTHER: 400, "samarinda_operator": 302, "secretariat": 302})
ACTING_PAGE = expect(403, **{ANON: 302, **{name: 200 for name in ACTING}})
HISTORY_EXEMPT = {
    "meetings:rsvp": "the reply is the link's invitee's, whoever holds the browser: its history names the invitee",
    "meetings:feed-change": "a personal feed address: its history names its owner, each persona its own",
}


PROVINCE_ONLY = expect(200, **{ANON: 302, OTHER: 404, "samarinda_police": 404})

ROUTES = {
    "meetings:meeting-list": [
        ("get", lambda c: "/meetings/", None, page()),
    ],
    "meetings:meeting-detail": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/", None, PROVINCE_ONLY),
        ("get", lambda c: "/meetings/999999/", None, page(404)),
    ],
    "meetings:meeting-new": [
        ("get", lambda c: "/meetings/new/", None, ACTING_PAGE),
        ("post", lambda c: "/meetings/new/", meeting_form, SCHEDULE),
    ],
    "meetings:series-new": [
        ("get", lambda c: "/meetings/series/new/", None, ACTING_PAGE),
        ("post", lambda c: "/meetings/series/new/", series_form, SCHEDULE),
    ],
    "meetings:meeting-step": [
        ("post", lambda c: f"/meetings/{c['samarinda'].pk}/step/cancel/", lambda c: {"reason": "Banjir"},
         organiser_step()),
        # Not started yet: the step is refused with the reason (409) for those who may take it.
        ("post", lambda c: f"/meetings/{c['samarinda'].pk}/step/hold/", None, organiser_step(409)),
    ],
    "meetings:invitation-reply": [
        # Polresta Samarinda's invitation: its officer replies; the others may not (403).
        ("post", lambda c: f"/meetings/{c['samarinda'].pk}/invitations/{c['invitation'].pk}/reply/",
         lambda c: {"response": "attending"}, expect(403, **{ANON: 302, OTHER: 404, "samarinda_police": 302})),
    ],
    "meetings:attendance": [
        ("get", lambda c: f"/meetings/{c['held'].pk}/attendance/", None,
         expect(403, **{ANON: 302, OTHER: 404, "samarinda_operator": 200, "samarinda_police": 200,
                        "secretariat": 200})),
        ("post", lambda c: f"/meetings/{c['held'].pk}/attendance/", attendance_rows, organiser_step()),
    ],
    "meetings:minutes": [
        ("get", lambda c: f"/meetings/{c['held'].pk}/minutes/", None, scoped_page()),
        ("post", lambda c: f"/meetings/{c['held'].pk}/minutes/", lambda c: {"action": "start"}, organiser_step()),
    ],
    "meetings:rsvp": [
        ("get", lambda c: f"/meetings/rsvp/{c['rsvp']}/", None, expect(200)),
        ("post", lambda c: f"/meetings/rsvp/{c['rsvp']}/", lambda c: {"response": "tentative"}, expect(200)),
        ("get", lambda c: "/meetings/rsvp/forged/", None, expect(400)),
    ],
    "meetings:agenda": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/agenda/", None, scoped_page()),
        ("post", lambda c: f"/meetings/{c['samarinda'].pk}/agenda/", lambda c: {"title": "Pembukaan"},
         organiser_step()),
    ],
    "meetings:action-new": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/follow-ups/new/", None, organiser_step(200)),
        ("post", lambda c: f"/meetings/{c['samarinda'].pk}/follow-ups/new/",
         lambda c: {"title": "Cek gudang", "owner_agency": c["agencies"]["kpu-samarinda"].pk, "due_on": "2030-03-20"},
         organiser_step()),
    ],
    "meetings:action-detail": [
        ("get", lambda c: f"/meetings/follow-ups/{c['action'].pk}/", None, scoped_page()),
        # Polresta Samarinda owns it: its officer and the organisers note progress.
        ("post", lambda c: f"/meetings/follow-ups/{c['action'].pk}/",
         lambda c: {"action": "progress", "note": "Berjalan"}, organiser_step()),
    ],
    "meetings:calendar": [("get", lambda c: "/meetings/calendar/?month=2030-03", None, page())],
    "meetings:my-actions": [("get", lambda c: "/meetings/follow-ups/", None, page())],
    "meetings:overdue": [("get", lambda c: "/meetings/follow-ups/overdue/", None, page())],
    "meetings:feed-settings": [("get", lambda c: "/meetings/feed/", None, page())],
    "meetings:feed-change": [("post", lambda c: "/meetings/feed/change/", lambda c: {"action": "create"}, page(302))],
    "meetings:feed": [
        ("get", lambda c: f"/meetings/feed/{c['feed']}.ics", None, expect(200)),
        ("get", lambda c: "/meetings/feed/forged.ics", None, expect(404)),
    ],
    "meetings:meeting-ics": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/calendar.ics", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/calendar.ics", None, PROVINCE_ONLY),
    ],
}
