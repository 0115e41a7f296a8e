"""Query bounds of police facilities and their bookings: pages, API lists and admin
changelists (see test_query_bounds.py).

Every row is Samarinda's, made through the services: facilities by Polresta Samarinda's
officer, bookings of Polda's hall in a Samarinda kecamatan by KPU Samarinda's operator, so
each grows what the Samarinda personas and the scoped secretariat of Samarinda
("regional_clerk") see."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from coordination.models import Agency, Facility, User
from coordination.services import facilities as services
from kpu_polda.base import clock
from tests.platform.growers import grow_agencies

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py
HALL = "bounds hall"


def _slot() -> datetime:
    """The day after tomorrow, 08:00 WITA: every grown booking starts around it (requests
    may overlap each other), so the calendar of its month shows them all."""
    day = clock.today() + timedelta(days=2)
    return timezone.make_aware(datetime.combine(day, time(8)))


class _Month:
    """The calendar's ``?month=`` of the grown bookings, as test_query_bounds fills a path:
    by the ``pk`` of what world() names."""

    def __init__(self, moment: datetime):
        self.pk = timezone.localtime(moment).strftime("%Y-%m")


def _hall(tree):
    hall = Facility.objects.filter(name=HALL).first()
    if hall is None:
        hall = services.facility_create(actor=User.objects.get(username="province_police"),
                                        owner=Agency.objects.get(code="polda-kaltim"), name=HALL, kind="hall",
                                        region=tree["sam_kec"], capacity=300, capacity_unit="orang")
    return hall


def grow_facilities(tree, election, start, count):
    """Polresta Samarinda's facilities, in the city and one of its kecamatan."""
    police = User.objects.get(username="samarinda_police")
    owner = Agency.objects.get(code="polres-samarinda")
    for index in range(start, start + count):
        services.facility_create(actor=police, owner=owner, name=f"Sarana {index}",
                                 kind=["hall", "warehouse", "vehicle", "boat"][index % 4],
                                 region=tree["sam_kec"] if index % 2 else tree["samarinda"], capacity=10 + index,
                                 capacity_unit="orang")


def grow_bookings(tree, election, start, count):
    """KPU Samarinda's requests of the hall of ``world``, around one slot; every third is
    approved (each its own hour, so approvals never overlap)."""
    operator = User.objects.get(username="samarinda_operator")
    officer = User.objects.get(username="province_police")
    hall = _hall(tree)
    for index in range(start, start + count):
        if index % 3 == 0:
            starts = _slot() + timedelta(days=1, hours=index)
        else:
            starts = _slot() + timedelta(minutes=index)
        row = services.booking_request(actor=operator, facility=hall, starts_at=starts,
                                       ends_at=starts + timedelta(minutes=50), purpose=f"Rapat {index}")
        if index % 3 == 0:
            services.booking_approve(actor=officer, booking=row)


def world(tree, election):
    hall = _hall(tree)
    operator = User.objects.get(username="samarinda_operator")
    starts = _slot() - timedelta(days=1)
    booking = hall.bookings.filter(purpose="bounds booking").first() or services.booking_request(
        actor=operator, facility=hall, starts_at=starts, ends_at=starts + timedelta(hours=2), purpose="bounds booking")
    return {"facility_hall": hall, "facility_booking": booking, "facility_month": _Month(_slot())}


def _upcoming_shown(response):
    return len(response.context["upcoming"])


def _calendar_shown(response):
    return len({booking.pk for _day, items in response.context["listed"] for booking in items})


CASES = [
    ("/facilities/", grow_facilities, "samarinda_operator", 10),
    ("/facilities/?kind=hall&region=64.72", grow_facilities, "samarinda_police", 10),
    ("/facilities/new/", grow_agencies, "samarinda_police", 10, lambda r: None),
    ("/facilities/{facility_hall}/", grow_bookings, "samarinda_operator", 12, _upcoming_shown),
    ("/facilities/{facility_hall}/edit/", grow_agencies, "province_police", 10, lambda r: None),
    ("/facilities/{facility_hall}/book/", grow_agencies, "samarinda_operator", 10, lambda r: None),
    ("/facilities/calendar/?month={facility_month}", grow_bookings, "samarinda_operator", 10, _calendar_shown),
    ("/facilities/calendar/?month={facility_month}&facility={facility_hall}", grow_bookings, "samarinda_police",
     10, _calendar_shown),
    ("/bookings/", grow_bookings, "samarinda_operator", 10),
    ("/bookings/?status=requested&owner=polda-kaltim", grow_bookings, "samarinda_police", 10),
    # One booking's page: other bookings of its facility do not reach it.
    ("/bookings/{facility_booking}/", grow_bookings, "samarinda_operator", 14, lambda r: None),
    ("/api/v1/facilities/", grow_facilities, "samarinda_operator", 8),
    ("/api/v1/facility-bookings/", grow_bookings, "samarinda_operator", 8),
    ("/admin/coordination/facility/", grow_facilities, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/facilitybooking/", grow_bookings, SCOPED_SECRETARIAT, 14),
]

NO_ROWS = {
    "coordination:booking-approve": "POST only",
    "coordination:booking-reject": "POST only",
    "coordination:booking-cancel": "POST only",
}
