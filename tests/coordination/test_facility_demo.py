"""The facilities' demo rows: made by the demo accounts through the services, around the
demo clock, once; Polresta Samarinda's inbox holds KPU Samarinda's request."""

from datetime import datetime

from django.utils import timezone

from coordination import demo
from coordination.choices import AgencyKind
from coordination.demo import facilities
from coordination.models import Facility, FacilityBooking, User
from coordination.selectors import facilities as selectors
from kpu_polda.base import clock
from tests.factories import AgencyFactory, region

DEMO_NOW = datetime(2024, 2, 8, 9, tzinfo=timezone.get_fixed_timezone(8 * 60))


def _ground():
    kaltim, samarinda, mahulu = region("64"), region("64.72", "Kota Samarinda"), region("64.11", "Mahakam Ulu")
    region("64.72.03", "Samarinda Ulu")
    for code, kind, where in [("kpu-kaltim", AgencyKind.KPU, kaltim), ("polda-kaltim", AgencyKind.POLRI, kaltim),
                              ("bawaslu-kaltim", AgencyKind.BAWASLU, kaltim),
                              ("kpu-samarinda", AgencyKind.KPU, samarinda),
                              ("polres-samarinda", AgencyKind.POLRI, samarinda),
                              ("kpu-mahulu", AgencyKind.KPU, mahulu), ("polres-mahulu", AgencyKind.POLRI, mahulu)]:
        AgencyFactory(code=code, kind=kind, jurisdiction=where, short_name=code)
    demo.demo_users_seed(actor=User.objects.create(username="system"))


def test_the_demo_facilities_tell_their_story_once(db):
    _ground()
    system = User.objects.get(username="system")
    assert facilities.seed(actor=system) == 9
    assert facilities.seed(actor=system) == 0
    halls = {row.name: row for row in Facility.objects.select_related("owner", "region")}
    aula = halls["Aula Mapolda Kaltim"]
    assert (aula.owner.code, aula.kind, aula.capacity, aula.region.code) == ("polda-kaltim", "hall", 300, "64.72")
    assert halls["Aula Polresta Samarinda"].region.code == "64.72.03"  # found by the kecamatan's name
    assert halls["Speedboat Polres Mahakam Ulu"].region.code == "64.11"
    assert halls["Gudang Logistik Polda Kaltim"].kind == "warehouse"
    assert aula.history.first().history_user.username == "polda.kaltim"
    statuses = sorted(FacilityBooking.objects.values_list("status", "requester__code"))
    assert statuses == [("approved", "kpu-kaltim"), ("approved", "kpu-mahulu"), ("rejected", "kpu-mahulu"),
                        ("requested", "kpu-kaltim"), ("requested", "kpu-samarinda")]
    assert FacilityBooking.objects.get(status="rejected").decision_note
    with clock.travel_to(DEMO_NOW):
        police = User.objects.get(username="polresta.samarinda")
        [waiting] = selectors.bookings_awaiting_decision(police)
        assert (waiting.requester.code, waiting.facility.name) == ("kpu-samarinda", "Aula Polresta Samarinda")
        polda = User.objects.get(username="polda.kaltim")
        assert [b.requester.code for b in selectors.bookings_awaiting_decision(polda)] == ["kpu-kaltim"]
        assert selectors.booking_panel(User.objects.get(username="kpu.kaltim"))["upcoming"] == 2
