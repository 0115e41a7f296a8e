"""meetings' documents (meetings/urls.py, group "documents"): the notulen to print and as
a PDF, and the daftar hadir.

They are read as the meeting's page is: the Samarinda meeting by the people of Samarinda
and of the province, not by Balikpapan; the province's meeting (KPU Provinsi with Polda,
no kab/kota invited) by the province's people alone. The notulen exists once the meeting
has minutes (404 for everyone before); the daftar hadir prints for any meeting, before it
too.
"""

from .harness import ANON, OTHER, expect, page, scoped_page

PROVINCE_ONLY = expect(200, **{ANON: 302, OTHER: 404, "samarinda_operator": 404, "samarinda_police": 404})


def world(stations, personas):
    """A Samarinda meeting held this morning with its attendance and minutes, one still to
    come (no minutes), and a province meeting held with its minutes."""
    from datetime import timedelta

    from coordination.models import Agency
    from kpu_polda.base import clock
    from meetings import services

    agencies = {agency.code: agency for agency in Agency.objects.all()}
    now = clock.now()

    def held(actor, title, organiser, co_organiser, invited):
        start = now - timedelta(hours=3)
        meeting = services.meeting_create(actor=actor, title=title, organiser=agencies[organiser],
                                          co_organiser=agencies[co_organiser], starts_at=start,
                                          ends_at=start + timedelta(hours=2), place="Aula",
                                          invited_agencies=[agencies[code] for code in invited])
        meeting = services.meeting_hold(actor=actor, meeting=meeting)
        services.attendance_record(actor=actor, meeting=meeting, rows=[
            {"agency": agencies[organiser], "person": actor, "position": "Notulis"}])
        minutes = services.minutes_start(actor=actor, meeting=meeting, chair_name="Ketua")
        services.minutes_update(actor=actor, minutes=minutes, decisions="Disepakati.",
                                obstacles=[{"description": "Akses jalan", "proposed_solution": "Jalur sungai"}])
        return meeting

    samarinda = held(personas["samarinda_operator"], "Rakor logistik Samarinda", "kpu-samarinda",
                     "polres-samarinda", ["polres-samarinda"])
    province = held(personas["province_staff"], "Rapat evaluasi KPU-Polda", "kpu-kaltim", "polda-kaltim",
                    ["polda-kaltim"])
    start = now + timedelta(days=10)
    upcoming = services.meeting_create(
        actor=personas["samarinda_operator"], title="Rakor berikutnya", organiser=agencies["kpu-samarinda"],
        co_organiser=agencies["polres-samarinda"], starts_at=start, ends_at=start + timedelta(hours=2),
        place="Kantor KPU Samarinda")
    return {"samarinda": samarinda, "province": province, "upcoming": upcoming}


ROUTES = {
    "meetings:minutes-print": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/minutes/print/", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/minutes/print/", None, PROVINCE_ONLY),
        ("get", lambda c: f"/meetings/{c['upcoming'].pk}/minutes/print/", None, page(404)),
        ("get", lambda c: "/meetings/999999/minutes/print/", None, page(404)),
    ],
    "meetings:minutes-pdf": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/minutes.pdf", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/minutes.pdf", None, PROVINCE_ONLY),
        ("get", lambda c: f"/meetings/{c['upcoming'].pk}/minutes.pdf", None, page(404)),
    ],
    "meetings:attendance-print": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/attendance/print/", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['upcoming'].pk}/attendance/print/", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/attendance/print/", None, PROVINCE_ONLY),
        ("get", lambda c: "/meetings/999999/attendance/print/", None, page(404)),
    ],
}
