"""Writes of police facilities (sarana prasarana) and their bookings: a facility offered by
Polda or a Polres, a KPU office's request to use it for a time (half-open: a booking
ending at 12:00 and the next starting at 12:00 do not overlap), and the owner's decision.

No two approved bookings of one facility overlap. The approval checks the facility's
approved bookings first, for a clear 409 naming the other booking; and PostgreSQL holds
the rule itself (the exclusion constraint booking_no_overlap_when_approved), so two
approvals at the same moment, each having passed that check, cannot both win: the
database refuses the second UPDATE, answered as the same Conflict. On SQLite (the
embedded demo) the check alone guards.

A booking carries out the agreement's police-facilities clause in force for the
facility's region: a waiting request is evidence as a request, an approved one as
fulfilled; a rejected or cancelled booking is no evidence (the rejection answered the
request and nothing was used; a request nobody needs must not count as late), so its row
is dropped. People are told through the outbox: the owner's police officers of a new
request, the requesting office's writers of the decision (and of the owner cancelling an
approved booking)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import BOOKING_TRANSITIONS, BookingStatus, ClauseCategory, FacilityKind
from coordination.models import Agency, Facility, FacilityBooking, FacilityBookingStatusChange, Region, User
from coordination.policies import facilities as policy
from coordination.selectors.agreements import clause_in_force
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

from . import facilities_messages as messages
from .agreements import clause_evidence_forget, clause_evidence_sync
from .facilities_messages import range_text
from .notifications import notification_kind_register, notifications_cancel

logger = logging.getLogger(__name__)

REQUESTED = "booking_requested"
DECIDED = "booking_decided"
notification_kind_register(REQUESTED, gettext_lazy("Facility booking requested"))
notification_kind_register(DECIDED, gettext_lazy("Your facility booking decided"))

OVERLAP_CONSTRAINT = "booking_no_overlap_when_approved"
FACILITY_EDITABLE = ["name", "kind", "capacity", "capacity_unit", "region", "address", "notes", "is_active"]
# Units in which a capacity counts people: participants must fit in it.
PEOPLE_UNITS = {"people", "person", "persons", "orang", "peserta", "pax", "seats", "seat", "kursi", "tempat duduk"}

FACILITY_RELATED = ("owner__jurisdiction", "region")
FACILITY_DEFER = ("owner__jurisdiction__boundary", "region__boundary")

BOOKING_WORKFLOW = Workflow(
    model=FacilityBooking, table=BOOKING_TRANSITIONS, change_model=FacilityBookingStatusChange,
    subject_field="booking", what=gettext_lazy("facility booking"), labels=dict(BookingStatus.choices),
    # The related rows come locked in with the booking. The exclusion constraint is left to
    # the overlap check and the database: validating it here again would answer a booking
    # approved a moment ago as a 400 instead of the 409 the check and the database give.
    clean_exclude=("facility", "requester", "requested_by", "decided_by", "clause"),
    lock_related=("facility__region", "facility__owner", "requester__jurisdiction"),
    lock_defer=("facility__region__boundary", "requester__jurisdiction__boundary"),
    scope=policy.scope_bookings,
)


def _refused(actor: User, booking: FacilityBooking | None, reason: str) -> None:
    """Every refused attempt on a booking, written down: who, which booking, why."""
    logger.warning("Refused: user %s (id %s) on facility booking %s: %s", actor.username, actor.pk,
                   booking.pk if booking is not None and booking.pk else "(new)", reason)


# --- facilities ------------------------------------------------------------------------------


def _check_facility(actor: User, *, owner: Agency, region: Region, name: str, capacity: int | None,
                    exclude_pk: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the facility.")]
    elif Facility.objects.filter(owner=owner, name__iexact=name).exclude(pk=exclude_pk).exists():
        errors["name"] = [_("%(owner)s already offers a facility of this name.") % {"owner": owner.short_name}]
    if not policies.code_in_scope(region.code, policies.scope_code(actor)):
        errors["region"] = [_("Unknown region code, or outside your region.")]
    elif not policies.code_in_scope(region.code, owner.jurisdiction.code):
        errors["region"] = [_("A facility stands in its owner's jurisdiction (%(area)s).")
                            % {"area": owner.jurisdiction.name}]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("The capacity is a whole number of at least 1, or empty.")]
    if errors:
        raise ValidationError(errors)


def facility_create(*, actor: User, owner: Agency, name: str, kind: str, region: Region,
                    capacity: int | None = None, capacity_unit: str = "", address: str = "",
                    notes: str = "") -> Facility:
    """Offer a facility of ``owner`` (a hall, warehouse, vehicle or boat) standing in
    ``region``, holding ``capacity`` ``capacity_unit`` (people, m², tonnes, seats).

    Preconditions: a police officer or the secretariat (else PermissionDenied); ``owner``
    an agency the actor can see and a Polri agency (ValidationError on owner); the actor
    an officer of ``owner`` or the secretariat whose scope holds ``region``
    (PermissionDenied); ``region`` inside the actor's scope and the owner's jurisdiction,
    the name unique for the owner, a capacity of at least 1 (ValidationError). Offered
    from the start; history names the actor.
    """
    policy.ensure_can_offer_facilities(actor)
    if not policies.scope_agencies(Agency.objects.filter(pk=owner.pk), actor).exists():
        raise ValidationError({"owner": [_("Unknown agency.")]})
    if not policy.may_own(owner):
        raise ValidationError({"owner": [_("Facilities are offered by Polri agencies (Polda, Polres) only.")]})
    if not policy.can_manage_facility_of(actor, owner, region.code):
        raise PermissionDenied(_("You record facilities of your own police unit only."))
    name = name.strip()
    _check_facility(actor, owner=owner, region=region, name=name, capacity=capacity)
    facility = Facility(owner=owner, name=name, kind=kind, region=region, capacity=capacity,
                        capacity_unit=capacity_unit.strip(), address=address.strip(), notes=notes.strip())
    facility.full_clean(exclude=["owner", "region"], validate_unique=False)
    with transaction.atomic():
        facility._history_user = actor
        _save_named(facility, owner)
    return facility


def _save_named(facility: Facility, owner: Agency, **kwargs: Any) -> None:
    """Save, answering the same name recorded a moment ago for the owner (the unique
    constraint, after the check above passed) as the check's field error, not a 500."""
    try:
        with transaction.atomic():
            facility.save(**kwargs)
    except IntegrityError as exc:
        if "facility_name_unique_per_owner" not in str(exc) and "UNIQUE" not in str(exc).upper():
            raise
        raise ValidationError({"name": [_("%(owner)s already offers a facility of this name.")
                                        % {"owner": owner.short_name}]}) from exc


def facility_update(*, actor: User, facility: Facility, **changes: Any) -> Facility:
    """Change what a facility says (FACILITY_EDITABLE; not its owner), or withdraw it from
    offer (``is_active=False``) and offer it again.

    The facility must be one the actor can see (OutOfScope) and manage, before and after
    the change (PermissionDenied); the same input rules as facility_create
    (ValidationError). A withdrawn facility takes no new requests and no approvals; the
    bookings it has keep their status. History names the actor.
    """
    unknown = set(changes) - set(FACILITY_EDITABLE)
    if unknown:
        raise DomainError(_("Not editable here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="invalid")
    with transaction.atomic():
        rows = Facility.objects.select_for_update(of=("self",)).select_related(*FACILITY_RELATED) \
            .defer(*FACILITY_DEFER)
        locked = one_in_scope(policy.scope_facilities(rows, actor), _("Facility"), pk=facility.pk)
        policy.ensure_can_manage_facility(actor, locked)
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        policy.ensure_can_manage_facility(actor, locked)  # still theirs where it now stands
        _check_facility(actor, owner=locked.owner, region=locked.region, name=locked.name,
                        capacity=locked.capacity, exclude_pk=locked.pk)
        locked.full_clean(exclude=["owner", "region"], validate_unique=False)
        locked._history_user = actor
        _save_named(locked, locked.owner, update_fields=[*changes, "updated_at"])
    return locked


# --- bookings --------------------------------------------------------------------------------


def counts_people(facility: Facility) -> bool:
    """Whether the facility's capacity is a number of people (participants must fit): its
    unit names people or seats, or a hall's capacity was given without a unit."""
    unit = facility.capacity_unit.strip().lower()
    return facility.capacity is not None and (unit in PEOPLE_UNITS or (not unit and facility.kind == FacilityKind.HALL))


def overlapping_approved(facility_id: int, starts_at: datetime, ends_at: datetime,
                         exclude_pk: int | None = None) -> FacilityBooking | None:
    """The first approved booking of the facility overlapping [starts_at, ends_at)."""
    rows = FacilityBooking.objects.filter(facility_id=facility_id, status=BookingStatus.APPROVED,
                                          starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.select_related("requester").order_by("starts_at", "id").first()


def _overlap(actor: User, booking: FacilityBooking | None, other: FacilityBooking | None) -> Conflict:
    if other is None:
        message = _("The facility is already booked for part of that time.")
    else:
        message = _("The facility is already booked from %(range)s (approved booking #%(id)s of %(agency)s); "
                    "nothing was changed.") % {"range": range_text(other.starts_at, other.ends_at), "id": other.pk,
                                               "agency": other.requester.short_name}
    _refused(actor, booking, f"overlaps approved booking {other.pk if other else '?'}")
    return Conflict(message, code="booking_overlap")


def _check_booking(facility: Facility, *, starts_at: datetime, ends_at: datetime, purpose: str,
                   participants: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not facility.is_active:
        errors["facility"] = [_("%(facility)s is no longer offered.") % {"facility": facility.name}]
    if not purpose:
        errors["purpose"] = [_("Say what the facility is needed for.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A booking ends after it starts.")]
    if starts_at < clock.now():
        errors["starts_at"] = [_("A booking cannot start in the past (it is now %(now)s WITA).")
                               % {"now": dateformat.format(timezone.localtime(clock.now()), "j M Y H:i")}]
    if participants is not None and participants < 1:
        errors["participants"] = [_("Expect at least one person, or leave it empty.")]
    elif participants is not None and counts_people(facility) and participants > facility.capacity:
        errors["participants"] = [_("%(facility)s holds %(capacity)s people.")
                                  % {"facility": facility.name, "capacity": facility.capacity}]
    return errors


def booking_request(*, actor: User, facility: Facility, starts_at: datetime, ends_at: datetime, purpose: str,
                    participants: int | None = None, requester: Agency | None = None) -> FacilityBooking:
    """Ask to use ``facility`` from ``starts_at`` until ``ends_at`` for ``purpose``, on
    behalf of ``requester`` (by default the actor's own KPU office); status requested.

    Preconditions: a writer of a KPU office or the secretariat (PermissionDenied), for a
    facility the actor can see (OutOfScope), on behalf of their own office or, for the
    secretariat, a KPU office in its scope (PermissionDenied); the facility offered, a
    purpose, an end after the start, a start not in the past (WITA), participants within
    a capacity in people (ValidationError); no approved booking of the facility overlapping
    (Conflict ``booking_overlap``, naming it). A refusal saves nothing and is logged. The
    clause is the police-facilities clause in force for the facility's region; the evidence
    row follows; the owner's police officers are notified (REQUESTED).
    """
    policy.ensure_can_request(actor)
    rows = Facility.objects.select_related(*FACILITY_RELATED).defer(*FACILITY_DEFER)
    facility = one_in_scope(policy.scope_facilities(rows, actor), _("Facility"), pk=facility.pk)
    if requester is None:
        requester = actor.agency
        if requester is None:
            raise ValidationError({"requester": [_("Choose the KPU office the booking is for.")]})
    elif not policies.scope_agencies(Agency.objects.filter(pk=requester.pk), actor).exists():
        raise ValidationError({"requester": [_("Unknown agency.")]})
    policy.ensure_can_request_for(actor, requester)
    purpose = purpose.strip()
    errors = _check_booking(facility, starts_at=starts_at, ends_at=ends_at, purpose=purpose,
                            participants=participants)
    if errors:
        _refused(actor, None, f"invalid request of facility {facility.pk}: {', '.join(sorted(errors))}")
        raise ValidationError(errors)
    with transaction.atomic():
        other = overlapping_approved(facility.pk, starts_at, ends_at)
        if other is not None:
            raise _overlap(actor, None, other)
        booking = FacilityBooking(facility=facility, requester=requester, starts_at=starts_at, ends_at=ends_at,
                                  purpose=purpose, participants=participants, requested_by=actor,
                                  status=BookingStatus.REQUESTED,
                                  clause=clause_in_force(facility.region, ClauseCategory.POLICE_FACILITIES))
        booking.full_clean(exclude=list(BOOKING_WORKFLOW.clean_exclude))
        booking._history_user = actor
        booking.save()
        _sync_evidence(booking, actor)
        messages.notify(REQUESTED, booking, messages.officers_of(facility.owner_id, actor), messages.requested_message)
    return booking


def _sync_evidence(booking: FacilityBooking, actor: User) -> None:
    if booking.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        clause_evidence_sync(source=booking, actor=actor)
    else:
        clause_evidence_forget(source=booking, actor=actor)


def _move(actor: User, booking: FacilityBooking, **kwargs: Any) -> FacilityBooking:
    """The one transition, with every refusal (not theirs, a move the workflow does not
    allow, a rule of the move) logged before it is raised."""
    try:
        return transition(BOOKING_WORKFLOW, booking, actor=actor, **kwargs)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        _refused(actor, booking, exc.message)
        raise
    except ValidationError as exc:
        _refused(actor, booking, "; ".join(exc.messages))
        raise


def booking_approve(*, actor: User, booking: FacilityBooking, note: str = "") -> FacilityBooking:
    """The owner approves a request (requested -> approved), with an optional note.

    Only the owner's police officers and the secretariat in scope (PermissionDenied); a
    booking not requested cannot be (TransitionNotAllowed); a withdrawn facility
    (Conflict ``facility_withdrawn``) or a booking already over (Conflict ``booking_past``)
    neither. An approved booking of the facility overlapping it is a Conflict
    ``booking_overlap`` naming its time in WITA, whether this check finds it or the
    database refuses the write (a concurrent approval that committed first): the refused
    write is undone to a savepoint, so the caller's transaction stays usable. Every
    refusal is logged and saves nothing. The evidence becomes fulfilled; the requesting
    office's writers are notified (DECIDED).
    """

    def rules(locked: FacilityBooking, from_status: str) -> None:
        if not locked.facility.is_active:
            _refused(actor, locked, "facility withdrawn from offer")
            raise Conflict(_("%(facility)s is no longer offered; the request cannot be approved.")
                           % {"facility": locked.facility.name}, code="facility_withdrawn")
        if locked.ends_at <= clock.now():
            _refused(actor, locked, "booking already over")
            raise Conflict(_("This booking's time is over; it can only be rejected."), code="booking_past")
        other = overlapping_approved(locked.facility_id, locked.starts_at, locked.ends_at, exclude_pk=locked.pk)
        if other is not None:
            raise _overlap(actor, locked, other)

    changes = {"decided_by": actor, "decided_at": clock.now(), "decision_note": note.strip()}
    with transaction.atomic():
        try:
            # The savepoint: a write the exclusion constraint refuses is undone to here, and
            # the transaction around it (the caller's, or this one) goes on to answer it.
            with transaction.atomic():
                locked = _move(actor, booking, to_status=BookingStatus.APPROVED, changes=changes, rules=rules,
                               check=lambda row: policy.ensure_can_decide(actor, row))
        except IntegrityError as exc:
            if not _is_overlap(exc):
                raise
            current = FacilityBooking.objects.only("facility_id", "starts_at", "ends_at").get(pk=booking.pk)
            raise _overlap(actor, current, overlapping_approved(current.facility_id, current.starts_at,
                                                                current.ends_at, exclude_pk=current.pk)) from exc
        _sync_evidence(locked, actor)
        messages.notify(DECIDED, locked, messages.writers_of(locked.requester_id, actor), messages.decided_message)
    return locked


def _is_overlap(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == OVERLAP_CONSTRAINT or OVERLAP_CONSTRAINT in str(exc)


def booking_reject(*, actor: User, booking: FacilityBooking, reason: str) -> FacilityBooking:
    """The owner rejects a request (requested -> rejected), saying why (ValidationError
    without a reason). Who may: as booking_approve. The booking is no evidence any more;
    the requesting office's writers are notified (DECIDED)."""
    reason = reason.strip()
    if not reason:
        _refused(actor, booking, "rejection without a reason")
        raise ValidationError({"reason": [_("Say why the request is rejected.")]})
    with transaction.atomic():
        locked = _move(actor, booking, to_status=BookingStatus.REJECTED, reason=reason,
                       changes={"decided_by": actor, "decided_at": clock.now(), "decision_note": reason},
                       check=lambda row: policy.ensure_can_decide(actor, row))
        _sync_evidence(locked, actor)
        messages.notify(DECIDED, locked, messages.writers_of(locked.requester_id, actor), messages.decided_message)
    return locked


def booking_cancel(*, actor: User, booking: FacilityBooking, reason: str = "") -> FacilityBooking:
    """Cancel a booking (requested or approved -> cancelled).

    The requesting office's writers and the secretariat in scope cancel a request or an
    approved booking; the owner's police officers an approved one only, and with a reason
    (ValidationError), since the office counted on it (PermissionDenied otherwise; a
    rejected or cancelled booking: TransitionNotAllowed). The slot is free again; the
    booking is no evidence; the owner's notifications of the request not yet sent are
    cancelled, and when the owner cancels, the requesting office's writers are told.
    """
    reason = reason.strip()
    by_owner = False

    def rules(locked: FacilityBooking, from_status: str) -> None:
        nonlocal by_owner
        by_owner = not policy.cancels_as_requester(actor, locked)
        if by_owner and not reason:
            raise ValidationError({"reason": [_("Say why the approved booking is cancelled: the office counted on "
                                                "it.")]})

    with transaction.atomic():
        locked = _move(actor, booking, to_status=BookingStatus.CANCELLED, reason=reason, rules=rules,
                       check=lambda row: policy.ensure_can_cancel(actor, row))
        _sync_evidence(locked, actor)
        notifications_cancel(target=locked, kinds=[REQUESTED])
        if by_owner:
            messages.notify(DECIDED, locked, messages.writers_of(locked.requester_id, actor), messages.decided_message,
                            reason=reason)
    return locked
