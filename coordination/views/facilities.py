"""Pages of police facilities (sarana prasarana) and their bookings: the facility list, a
facility with its coming bookings and the booking form, recording and editing a facility,
the month calendar, the booking list, a booking with the owner's decision and the
cancellation, each with its trail and history.

Thin: reads through coordination.selectors.facilities, writes through the services. A
POST goes back to a safe ``next`` when given (the dashboard's inbox approves from home),
else to the booking; a refusal shows the page again with the form's input and errors
(400), or the conflict's message (409): an approval refused for an overlap names the
other booking and its time."""

from __future__ import annotations

import calendar as months
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coordination.choices import BookingStatus
from coordination.filters.facilities import BookingFilter, FacilityFilter
from coordination.forms.facilities import (
    ApproveForm,
    BookingForm,
    CancelForm,
    FacilityEditForm,
    FacilityForm,
    RejectForm,
)
from coordination.policies import facilities as policy
from coordination.selectors import facilities as selectors
from coordination.services import facilities as services
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope
from kpu_polda.base.forms import attempt, month_param
from kpu_polda.base.history import history_entries

from .common import filtered_page, safe_next

TRAIL = 20  # status changes shown on a booking's page
UPCOMING = 20  # coming bookings shown on a facility's page


def _back(request, booking) -> str:
    return safe_next(request, reverse("coordination:booking-detail", args=[booking.pk]))


# --- facilities ------------------------------------------------------------------------------


@login_required
@require_safe
def facility_list(request):
    rows = selectors.facilities_for(request.user).order_by("region__code", "owner__short_name", "name", "id")
    return render(request, "coordination/facilities/facility_list.html", {
        **filtered_page(request, FacilityFilter, rows), "can_offer": policy.can_offer_facilities(request.user)})


def _facility_form_page(request, form, *, heading: str, facility=None, conflict: str = ""):
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "coordination/facilities/facility_form.html", {
        "form": form, "heading": heading, "facility": facility, "conflict": conflict}, status=status)


@login_required
def facility_create(request):
    policy.ensure_can_offer_facilities(request.user)
    form = FacilityForm(request.POST or None, user=request.user, initial={"owner": request.user.agency_id})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        facility, conflict = attempt(form, lambda: services.facility_create(actor=request.user, **form.cleaned_data))
        if facility is not None:
            messages.success(request, _("The facility was recorded."))
            return redirect("coordination:facility-detail", pk=facility.pk)
    return _facility_form_page(request, form, heading=_("New facility"), conflict=conflict)


@login_required
def facility_edit(request, pk):
    facility = selectors.facility_get(request.user, pk)
    policy.ensure_can_manage_facility(request.user, facility)
    initial = {name: getattr(facility, name) for name in ("name", "kind", "capacity", "capacity_unit", "address",
                                                          "notes", "is_active")}
    initial["region"] = facility.region.code
    form = FacilityEditForm(request.POST or None, user=request.user, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        done, conflict = attempt(form, lambda: services.facility_update(actor=request.user, facility=facility,
                                                                        **changes))
        if done is not None:
            messages.success(request, _("The facility was updated."))
            return redirect("coordination:facility-detail", pk=facility.pk)
    return _facility_form_page(request, form, heading=_("Edit facility"), facility=facility, conflict=conflict)


@login_required
@require_safe
def facility_detail(request, pk):
    facility = selectors.facility_get(request.user, pk)
    upcoming = list(selectors.facility_upcoming_bookings(request.user, facility)[:UPCOMING + 1])
    can_request = facility.is_active and policy.can_request(request.user)
    return render(request, "coordination/facilities/facility_detail.html", {
        "facility": facility, "upcoming": upcoming[:UPCOMING], "more_upcoming": len(upcoming) > UPCOMING,
        "can_manage": policy.can_manage_facility(request.user, facility), "can_request": can_request,
        "booking_form": BookingForm(user=request.user) if can_request else None,
        "counts_people": services.counts_people(facility), "history": history_entries(facility, limit=10),
    })


@login_required
@require_safe
def facility_calendar(request):
    """A month of bookings, requested and approved, by day (WITA): a grid on a wide
    screen, a list of the days with bookings on a phone. ``?facility=`` narrows it to one
    facility the user can see (404 otherwise)."""
    first = month_param(request.GET.get("month"))
    facility = None
    asked = request.GET.get("facility", "").strip()
    if asked:
        if not (asked.isascii() and asked.isdigit() and len(asked) <= 18):
            raise OutOfScope(_("Facility not found."))
        facility = selectors.facility_get(request.user, int(asked))
    days = selectors.booking_calendar(request.user, first, facility)
    weeks = [[(day, days.get(day, [])) for day in week]
             for week in months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    previous = (first - date.resolution).replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return render(request, "coordination/facilities/calendar.html", {
        "first": first, "weeks": weeks, "previous": previous, "following": following, "today": clock.today(),
        "listed": [(day, items) for day, items in sorted(days.items()) if day.month == first.month],
        "facility": facility, "facilities": selectors.facilities_for(request.user).order_by("name", "id"),
        "facility_query": f"&facility={facility.pk}" if facility else "",
    })


# --- bookings --------------------------------------------------------------------------------


@login_required
@require_safe
def booking_list(request):
    rows = selectors.bookings_for(request.user).order_by("-starts_at", "-id")
    return render(request, "coordination/facilities/booking_list.html", filtered_page(request, BookingFilter, rows))


@login_required
def booking_create(request, pk):
    facility = selectors.facility_get(request.user, pk)
    policy.ensure_can_request(request.user)
    form = BookingForm(request.POST or None, user=request.user)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        booking, conflict = attempt(form, lambda: services.booking_request(actor=request.user, facility=facility,
                                                                           **form.cleaned_data))
        if booking is not None:
            messages.success(request, _("The booking was requested; %(owner)s decides on it.")
                             % {"owner": facility.owner.short_name})
            return redirect("coordination:booking-detail", pk=booking.pk)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "coordination/facilities/booking_form.html", {
        "form": form, "facility": facility, "conflict": conflict,
        "counts_people": services.counts_people(facility)}, status=status)


def _detail(request, booking, bound: dict | None = None, conflict: str = "", status: int = 200):
    user = request.user
    deciding = booking.status == BookingStatus.REQUESTED and policy.can_decide(user, booking)
    changes = list(selectors.booking_status_trail(booking)[:TRAIL + 1])
    return render(request, "coordination/facilities/booking_detail.html", {
        "booking": booking, "conflict": conflict, "local_start": timezone.localtime(booking.starts_at),
        "approve_form": ApproveForm(), "reject_form": RejectForm(), "cancel_form": CancelForm(), **(bound or {}),
        "can_decide": deciding, "can_cancel": policy.can_cancel(user, booking),
        "cancel_needs_reason": booking.status == BookingStatus.APPROVED
        and not policy.cancels_as_requester(user, booking),
        "changes": changes[:TRAIL], "older_changes": len(changes) > TRAIL, "trail_limit": TRAIL,
        "history": history_entries(booking, limit=10),
    }, status=status)


@login_required
@require_safe
def booking_detail(request, pk):
    return _detail(request, selectors.booking_get(request.user, pk))


def _step(request, pk, *, key: str, allowed, build, call, done: str):
    """One POST on a booking: the booking read through the scope (404), ``allowed(user,
    booking)`` (403), ``build()`` the form and ``call(booking, form)`` the service; then
    back (``_back``), or the booking's page again with the form and the refusal."""
    booking = selectors.booking_get(request.user, pk)
    allowed(request.user, booking)
    form = build()
    conflict = ""
    if form.is_valid():
        result, conflict = attempt(form, lambda: call(booking, form))
        if result is not None:
            messages.success(request, done)
            return redirect(_back(request, booking))
    return _detail(request, selectors.booking_get(request.user, pk), {key: form}, conflict,
                   status=409 if conflict else 400)


@login_required
@require_POST
def booking_approve(request, pk):
    return _step(request, pk, key="approve_form", allowed=policy.ensure_can_decide,
                 build=lambda: ApproveForm(request.POST),
                 call=lambda booking, form: services.booking_approve(actor=request.user, booking=booking,
                                                                     **form.cleaned_data),
                 done=_("The booking was approved."))


@login_required
@require_POST
def booking_reject(request, pk):
    return _step(request, pk, key="reject_form", allowed=policy.ensure_can_decide,
                 build=lambda: RejectForm(request.POST),
                 call=lambda booking, form: services.booking_reject(actor=request.user, booking=booking,
                                                                    **form.cleaned_data),
                 done=_("The request was rejected."))


@login_required
@require_POST
def booking_cancel(request, pk):
    return _step(request, pk, key="cancel_form", allowed=policy.ensure_can_cancel,
                 build=lambda: CancelForm(request.POST),
                 call=lambda booking, form: services.booking_cancel(actor=request.user, booking=booking,
                                                                    **form.cleaned_data),
                 done=_("The booking was cancelled."))


urlpatterns = [
    path("facilities/", facility_list, name="facility-list"),
    path("facilities/new/", facility_create, name="facility-create"),
    path("facilities/calendar/", facility_calendar, name="facility-calendar"),
    path("facilities/<int:pk>/", facility_detail, name="facility-detail"),
    path("facilities/<int:pk>/edit/", facility_edit, name="facility-edit"),
    path("facilities/<int:pk>/book/", booking_create, name="booking-create"),
    path("bookings/", booking_list, name="booking-list"),
    path("bookings/<int:pk>/", booking_detail, name="booking-detail"),
    path("bookings/<int:pk>/approve/", booking_approve, name="booking-approve"),
    path("bookings/<int:pk>/reject/", booking_reject, name="booking-reject"),
    path("bookings/<int:pk>/cancel/", booking_cancel, name="booking-cancel"),
]
