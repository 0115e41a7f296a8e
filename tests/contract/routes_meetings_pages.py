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
    return {"samarinda": samarinda, "province": province}


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
    "meetings:meeting-ics": [
        ("get", lambda c: f"/meetings/{c['samarinda'].pk}/calendar.ics", None, scoped_page()),
        ("get", lambda c: f"/meetings/{c['province'].pk}/calendar.ics", None, PROVINCE_ONLY),
    ],
}
