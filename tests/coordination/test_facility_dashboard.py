"""What the dashboard reads of bookings (booking_panel, bookings_awaiting_decision) and the
calendar's read: the figures, and a fixed number of queries however many bookings."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.selectors import facilities as selectors
from kpu_polda.base import clock
from tests.coordination.facility_factories import at, booking, facility


def test_the_panel_counts_what_waits_and_what_comes(tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    polresta = facility(tree, agencies, personas, owner="polresta", name="Aula Polresta", region="samarinda")
    booking(hall, agencies, personas, starts=at(1, 8))
    booking(polresta, agencies, personas, starts=at(2, 8))
    booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), status="approved")
    booking(hall, agencies, personas, requester="kpu", starts=at(20, 8), status="approved")  # beyond 14 days
    booking(hall, agencies, personas, starts=at(5, 8), status="rejected")
    ended = booking(hall, agencies, personas, starts=at(1, 20), ends=at(1, 21))
    with clock.travel_to(at(1, 22)):  # the evening request is over: it waits on nobody
        assert selectors.booking_panel(personas["samarinda_police"]) == {
            "awaiting_decision": 1, "awaiting_me": 1, "upcoming": 1}
        assert selectors.booking_panel(personas["province_police"]) == {
            "awaiting_decision": 1, "awaiting_me": 0, "upcoming": 1}
        assert selectors.booking_panel(personas["secretariat"]) == {
            "awaiting_decision": 1, "awaiting_me": 1, "upcoming": 1}
        assert selectors.booking_panel(personas["samarinda_operator"])["awaiting_me"] == 0
        assert selectors.booking_panel(personas["balikpapan_operator"]) == {
            "awaiting_decision": 0, "awaiting_me": 0, "upcoming": 0}
        assert ended.pk not in {b.pk for b in selectors.bookings_awaiting_decision(personas["province_police"])}
    # Before the day: Polda has its two requests to decide.
    assert selectors.booking_panel(personas["province_police"])["awaiting_me"] == 2
    assert selectors.bookings_awaiting_decision(personas["province_police"]).count() == 2


def _grow(hall, agencies, personas, start, count):
    for index in range(start, start + count):
        booking(hall, agencies, personas, starts=at(1 + index % 20, 8) + timedelta(minutes=index))


def test_the_reads_cost_the_same_whatever_the_number_of_bookings(tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    counts = []
    for start in (0, 6):
        _grow(hall, agencies, personas, start, 6)
        police = type(personas["province_police"]).objects.get(pk=personas["province_police"].pk)  # as a request has it
        with CaptureQueriesContext(connection) as panel:
            selectors.booking_panel(police)
        with CaptureQueriesContext(connection) as queue:
            list(selectors.bookings_awaiting_decision(police)[:10])
        with CaptureQueriesContext(connection) as month:
            days = selectors.booking_calendar(police, clock.today().replace(day=1))
        counts.append((len(panel), len(queue), len(month)))
        assert days
    assert counts[0] == counts[1]
    assert counts[0][0] <= 2 and counts[0][2] <= 2  # the aggregate (one more for the user's region) and the month
