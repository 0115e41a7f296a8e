"""Policy of police facilities (sarana prasarana) and their bookings.

A facility is seen by everyone whose scope holds the facility's region or lies below it:
a Samarinda KPU user sees Polda's hall in Samarinda and Polresta Samarinda's, and the
province's staff see every facility; Balikpapan's operator does not see Samarinda's. The
rule is read on the facility's own region (where it stands), not on the owner's
jurisdiction: Polda's jurisdiction is the whole province, so that rule would put every
Polda hall in front of every kab/kota office, while a hall is of use to the offices near
it; and the facility's region is what the booking rule below reads too, so whoever sees
a booking sees its facility.

Facilities are offered by Polri agencies only, and managed (recorded, edited, withdrawn
from offer) by the police officers of the owner agency and the secretariat whose scope
holds the facility's region.

A booking is seen by the requesting agency's people, the owner's people, everyone whose
scope holds the facility's region (the province's staff, the region's own offices), and
the secretariat whose scope holds the facility's region or the requester's jurisdiction.
It is requested by writer-role members of a KPU agency, for their own agency, or by the
secretariat (for its own agency or a KPU agency in its scope), for a facility they can
see; decided (approved or rejected) by the police officers of the owner agency and the
secretariat in scope; cancelled by the requester's writers and the secretariat in scope
(requested or approved), or by the owner's officers once approved (with a reason).
Missing or out of scope reads as not found (OutOfScope); seen but not theirs to change
is PermissionDenied.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import PermissionDenied

from ..choices import AgencyKind, BookingStatus, Role
from .core import ALL, can_write, code_in_scope, code_in_scope_q, is_secretariat, scope_by_region_or_above, scope_code

FACILITY_REGION = "region__code"
BOOKING_REGION = "facility__region__code"
OPEN = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


def scope_facilities(qs: QuerySet, user) -> QuerySet:
    """The facilities ``user`` may see (see the module's docstring)."""
    return scope_by_region_or_above(qs, user, FACILITY_REGION)


def scope_bookings(qs: QuerySet, user) -> QuerySet:
    """The bookings ``user`` may see (see the module's docstring)."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    visible = code_in_scope_q(BOOKING_REGION, prefix)
    if user.agency_id is not None:
        visible |= Q(requester_id=user.agency_id) | Q(facility__owner_id=user.agency_id)
    if is_secretariat(user):
        visible |= code_in_scope_q("requester__jurisdiction__code", prefix)
    return qs.filter(visible)


def scope_booking_rows(qs: QuerySet, user) -> QuerySet:
    """Status changes: seen with their booking."""
    from ..models import FacilityBooking

    return qs.filter(booking__in=scope_bookings(FacilityBooking.objects.all(), user).values("pk"))


def _secretariat_over(user, *codes: str) -> bool:
    """The secretariat whose scope holds one of the region ``codes`` (a superuser too)."""
    if not is_secretariat(user):
        return False
    prefix = scope_code(user)
    return any(code_in_scope(code, prefix) for code in codes)


def _officer_of(user, agency_id: int | None) -> bool:
    return (can_write(user) and user.role == Role.POLICE_OFFICER and agency_id is not None
            and user.agency_id == agency_id)


# --- facilities -----------------------------------------------------------------------------


def may_own(agency) -> bool:
    """Only Polri agencies (Polda, Polres, Polresta) offer facilities here."""
    return agency.kind == AgencyKind.POLRI


def can_offer_facilities(user) -> bool:
    """Whether ``user`` may record facilities at all: a police officer of a Polri agency,
    or the secretariat (the page's "new facility" button)."""
    if not can_write(user):
        return False
    if is_secretariat(user):
        return True
    return user.role == Role.POLICE_OFFICER and user.agency_id is not None and may_own(user.agency)


def ensure_can_offer_facilities(user) -> None:
    if not can_offer_facilities(user):
        raise PermissionDenied(_("Only police officers and the secretariat record facilities."))


def can_manage_facility_of(user, owner, region_code: str) -> bool:
    """Whether ``user`` may record or change a facility of ``owner`` in region
    ``region_code``: an officer of the owner, or the secretariat whose scope holds the region."""
    if not can_write(user) or not may_own(owner):
        return False
    return _officer_of(user, owner.pk) or _secretariat_over(user, region_code)


def can_manage_facility(user, facility) -> bool:
    return can_manage_facility_of(user, facility.owner, facility.region.code)


def ensure_can_manage_facility(user, facility) -> None:
    if not can_manage_facility(user, facility):
        raise PermissionDenied(_("Only the owner's police officers and the secretariat manage this facility."))


# --- bookings -------------------------------------------------------------------------------


def may_request_for(user, agency) -> bool:
    """Whether ``user`` may request a booking on behalf of ``agency``: a KPU agency, and
    the user a writer of it or the secretariat whose scope holds its jurisdiction."""
    if not can_write(user) or agency is None or agency.kind != AgencyKind.KPU:
        return False
    return user.agency_id == agency.pk or _secretariat_over(user, agency.jurisdiction.code)


def can_request(user) -> bool:
    """Whether ``user`` may request bookings at all (the booking form is shown): a writer
    of a KPU agency, or the secretariat."""
    if not can_write(user):
        return False
    return is_secretariat(user) or (user.agency_id is not None and user.agency.kind == AgencyKind.KPU)


def ensure_can_request(user) -> None:
    if not can_request(user):
        raise PermissionDenied(_("Facility bookings are requested by KPU offices and the secretariat."))


def ensure_can_request_for(user, agency) -> None:
    if not may_request_for(user, agency):
        raise PermissionDenied(_("You request bookings for your own KPU office only."))


def can_decide(user, booking) -> bool:
    """Approve or reject: the owner's police officers, or the secretariat in scope."""
    facility = booking.facility
    return _officer_of(user, facility.owner_id) or (can_write(user)
                                                    and _secretariat_over(user, facility.region.code))


def ensure_can_decide(user, booking) -> None:
    if not can_decide(user, booking):
        raise PermissionDenied(_("Only the facility's owner and the secretariat decide on this booking."))


def decider_q(user) -> Q | None:
    """can_decide as a condition on bookings; None for someone who decides none."""
    if not can_write(user):
        return None
    conditions = []
    if user.role == Role.POLICE_OFFICER and user.agency_id is not None:
        conditions.append(Q(facility__owner_id=user.agency_id))
    if is_secretariat(user):
        conditions.append(code_in_scope_q(BOOKING_REGION, scope_code(user)))
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def cancels_as_requester(user, booking) -> bool:
    """The requester's writers and the secretariat in scope cancel for the requesting side."""
    return can_write(user) and (user.agency_id == booking.requester_id or _secretariat_over(
        user, booking.facility.region.code, booking.requester.jurisdiction.code))


def can_cancel(user, booking) -> bool:
    """Whether ``user`` may cancel ``booking`` in its current status."""
    if booking.status == BookingStatus.REQUESTED:
        return cancels_as_requester(user, booking)
    if booking.status == BookingStatus.APPROVED:
        return cancels_as_requester(user, booking) or _officer_of(user, booking.facility.owner_id)
    return False


def ensure_can_cancel(user, booking) -> None:
    """PermissionDenied unless ``user`` may cancel the booking; the owner of a request still
    waiting is told to reject it instead. A party to a booking already closed is left to
    the workflow (TransitionNotAllowed, a 409), which says why."""
    owner = _officer_of(user, booking.facility.owner_id)
    if booking.status not in OPEN:
        if owner or cancels_as_requester(user, booking):
            return
    elif can_cancel(user, booking):
        return
    elif owner:
        raise PermissionDenied(_("A request waiting for your decision is rejected, not cancelled."))
    raise PermissionDenied(_("Only the requesting office, the facility's owner and the secretariat cancel this "
                             "booking."))
