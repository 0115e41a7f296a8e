"""Reads of police facilities and their bookings: scoped by coordination.policies.facilities,
each a fixed number of queries (the dashboard's panel and inbox, the calendar, the lists)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.choices import BookingStatus
from coordination.models import Facility, FacilityBooking, FacilityBookingStatusChange
from coordination.policies import facilities as policy
from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope

UPCOMING_DAYS = 14  # the dashboard's horizon of approved bookings
OPEN = [BookingStatus.REQUESTED, BookingStatus.APPROVED]

FACILITY_RELATED = ("owner", "region")
FACILITY_DEFER = ("region__boundary",)
BOOKING_RELATED = ("facility__owner", "facility__region", "requester__jurisdiction", "requested_by", "decided_by")
BOOKING_DEFER = ("facility__region__boundary", "requester__jurisdiction__boundary")


def facilities_for(user) -> QuerySet[Facility]:
    """The facilities ``user`` may see, with their owner and region, for a list."""
    return policy.scope_facilities(Facility.objects.select_related(*FACILITY_RELATED).defer(*FACILITY_DEFER), user)


def facility_get(user, pk: int) -> Facility:
    """One facility ``user`` may see (the owner's jurisdiction too, which the policy's
    checks read); missing and out of scope raise the same OutOfScope (404)."""
    rows = facilities_for(user).select_related("owner__jurisdiction").defer("owner__jurisdiction__boundary")
    return one_in_scope(rows, _("Facility"), pk=pk)


def bookings_for(user) -> QuerySet[FacilityBooking]:
    """The bookings ``user`` may see, with the facility, its owner and region, the
    requesting office and the people who asked and decided."""
    return policy.scope_bookings(FacilityBooking.objects.select_related(*BOOKING_RELATED).defer(*BOOKING_DEFER),
                                 user)


def booking_get(user, pk: int) -> FacilityBooking:
    """One booking ``user`` may see, with its clause; missing and out of scope raise the
    same OutOfScope (404)."""
    return one_in_scope(bookings_for(user).select_related("clause__agreement"), _("Facility booking"), pk=pk)


def booking_status_trail(booking: FacilityBooking) -> QuerySet[FacilityBookingStatusChange]:
    return booking.status_changes.select_related("changed_by")


def facility_upcoming_bookings(user, facility: Facility) -> QuerySet[FacilityBooking]:
    """The facility's requested and approved bookings ``user`` may see that are not over
    yet, soonest first (its page)."""
    return bookings_for(user).filter(facility=facility, status__in=OPEN, ends_at__gt=clock.now()) \
        .order_by("starts_at", "id")


def _awaiting_q(user, now: datetime) -> Q | None:
    """Requests the user may decide that are not over yet; None for one who decides none."""
    decider = policy.decider_q(user)
    if decider is None:
        return None
    return Q(status=BookingStatus.REQUESTED, ends_at__gt=now) & decider


def bookings_awaiting_decision(user) -> QuerySet[FacilityBooking]:
    """The requests waiting on ``user``'s decision (the owner's officers, the secretariat
    in scope), soonest first; a request whose time is over is left out (it can only be
    rejected, and waits on nobody). Empty for a user who may not decide."""
    condition = _awaiting_q(user, clock.now())
    if condition is None:
        return FacilityBooking.objects.none()
    return bookings_for(user).filter(condition).order_by("starts_at", "id")


def booking_panel(user) -> dict:
    """The dashboard's figures, in one aggregate query: ``awaiting_decision`` (requests in
    the user's visibility not over yet), ``awaiting_me`` (those the user may decide: the
    count of bookings_awaiting_decision) and ``upcoming`` (approved bookings starting
    within UPCOMING_DAYS)."""
    now = clock.now()
    mine = _awaiting_q(user, now)
    figures = policy.scope_bookings(FacilityBooking.objects.all(), user).order_by().aggregate(
        awaiting_decision=Count("pk", filter=Q(status=BookingStatus.REQUESTED, ends_at__gt=now)),
        # No condition for someone who decides nothing: a filter no row passes keeps it one query.
        awaiting_me=Count("pk", filter=mine if mine is not None else Q(pk__isnull=True)),
        upcoming=Count("pk", filter=Q(status=BookingStatus.APPROVED, starts_at__gte=now,
                                      starts_at__lt=now + timedelta(days=UPCOMING_DAYS))),
    )
    return {key: figures[key] or 0 for key in ("awaiting_decision", "awaiting_me", "upcoming")}


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next, in WITA."""
    first = month.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(first, time.min), zone),
            timezone.make_aware(datetime.combine(following, time.min), zone))


def booking_days(booking: FacilityBooking, first: date, last: date) -> list[date]:
    """The days (WITA) between ``first`` and ``last`` on which ``booking`` holds the
    facility; one ending at midnight does not hold the next day."""
    start = timezone.localtime(booking.starts_at).date()
    end = timezone.localtime(booking.ends_at - timedelta(microseconds=1)).date()
    day, days = max(start, first), []
    while day <= min(end, last):
        days.append(day)
        day += timedelta(days=1)
    return days


def booking_calendar(user, month: date, facility: Facility | None = None) -> dict[date, list[FacilityBooking]]:
    """The requested and approved bookings ``user`` may see in ``month`` (of ``facility``
    alone when given), by the WITA days they hold, each day soonest first: one query."""
    starts, ends = month_bounds(month)
    rows = bookings_for(user).filter(status__in=OPEN, starts_at__lt=ends, ends_at__gt=starts)
    if facility is not None:
        rows = rows.filter(facility=facility)
    first, last = timezone.localtime(starts).date(), timezone.localtime(ends).date() - timedelta(days=1)
    days: dict[date, list[FacilityBooking]] = {}
    for booking in rows.order_by("starts_at", "id"):
        for day in booking_days(booking, first, last):
            days.setdefault(day, []).append(booking)
    return days
