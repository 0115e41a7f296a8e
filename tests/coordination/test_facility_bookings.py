"""Bookings through their services: bad input refused with a clear error, nothing saved and
the attempt logged; the overlap rule (approved bookings of one facility never overlap,
back-to-back ones do not), on any database; the workflow's moves, trail and history
naming the actor; the clause's evidence following the booking."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from coordination.models import ClauseEvidence, FacilityBooking, FacilityBookingStatusChange, Notification
from coordination.services import facilities as services
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied, TransitionNotAllowed
from tests.coordination.facility_factories import at, booking, facility, facility_clause

LOGGER = "coordination.services.facilities"


@pytest.fixture
def hall(tree, agencies, personas):
    return facility(tree, agencies, personas)


def request(hall, personas, actor="samarinda_operator", **values):
    base = {"starts_at": at(2, 9), "ends_at": at(2, 12), "purpose": "Rapat pleno terbuka", "participants": 120}
    return services.booking_request(actor=personas[actor], facility=hall, **{**base, **values})


def refused(hall, personas, error=ValidationError, **values):
    before = (FacilityBooking.objects.count(), Notification.objects.count(), ClauseEvidence.objects.count())
    with pytest.raises(error) as caught:
        request(hall, personas, **values)
    assert (FacilityBooking.objects.count(), Notification.objects.count(), ClauseEvidence.objects.count()) == before
    return caught.value


def warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


def test_bad_input_is_refused_clearly_saves_nothing_and_is_logged(hall, personas, english, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert refused(hall, personas, ends_at=at(2, 8)).message_dict == {
            "ends_at": ["A booking ends after it starts."]}
        past = refused(hall, personas, starts_at=clock.now() - timedelta(hours=1), ends_at=at(2, 12))
        assert list(past.message_dict) == ["starts_at"]
        assert past.message_dict["starts_at"][0].startswith("A booking cannot start in the past (it is now ")
        assert refused(hall, personas, purpose="  ").message_dict == {
            "purpose": ["Say what the facility is needed for."]}
        assert refused(hall, personas, participants=301).message_dict == {
            "participants": ["Aula Mapolda Kaltim holds 300 people."]}
        assert refused(hall, personas, participants=0).message_dict == {
            "participants": ["Expect at least one person, or leave it empty."]}
    assert len(warnings(caplog)) == 5
    assert all("samarinda_operator" in line and "facility booking (new)" in line for line in warnings(caplog))


def test_an_inactive_facility_takes_no_request(hall, personas, english):
    services.facility_update(actor=personas["province_police"], facility=hall, is_active=False)
    assert refused(hall, personas).message_dict == {"facility": ["Aula Mapolda Kaltim is no longer offered."]}


def test_a_capacity_not_in_people_does_not_limit_the_people_expected(tree, agencies, personas):
    store = facility(tree, agencies, personas, name="Gudang", kind="warehouse", capacity=200, capacity_unit="m²")
    assert request(store, personas, participants=400).participants == 400


def test_who_may_request(hall, tree, agencies, personas):
    refused(hall, personas, PermissionDenied, actor="samarinda_police")  # police do not ask their own owner
    refused(hall, personas, PermissionDenied, actor="observer")
    refused(hall, personas, OutOfScope, actor="balikpapan_operator")  # a Samarinda hall is not Balikpapan's to see
    # An office asks for itself; the secretariat for any KPU office of its scope, never for Polri.
    refused(hall, personas, PermissionDenied, requester=agencies["kpu"])
    refused(hall, personas, PermissionDenied, actor="secretariat", requester=agencies["polresta"])
    row = request(hall, personas, actor="secretariat", requester=agencies["kpu_samarinda"])
    assert (row.requester, row.requested_by, row.status) == (agencies["kpu_samarinda"], personas["secretariat"],
                                                             "requested")
    assert row.history.first().history_user == personas["secretariat"]


def test_approving_an_overlap_is_a_conflict_naming_the_other_booking(hall, agencies, personas, english, caplog):
    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12))
    second = booking(hall, agencies, personas, starts=at(3, 11), ends=at(3, 14))
    services.booking_approve(actor=personas["province_police"], booking=first)
    history = second.history.count()
    with caplog.at_level(logging.WARNING, logger=LOGGER), pytest.raises(Conflict) as caught:
        services.booking_approve(actor=personas["province_police"], booking=second)
    start = at(3, 8).strftime("%-d %b %Y")
    assert caught.value.code == "booking_overlap"
    assert caught.value.message == (f"The facility is already booked from {start} 08:00 – {start} 12:00 WITA "
                                    f"(approved booking #{first.pk} of KPU Kaltim); nothing was changed.")
    second.refresh_from_db()
    assert (second.status, second.decided_by, second.history.count()) == ("requested", None, history)
    assert not FacilityBookingStatusChange.objects.filter(booking=second).exists()
    [line] = warnings(caplog)
    assert "province_police" in line and f"facility booking {second.pk}" in line and f"booking {first.pk}" in line


def test_a_request_overlapping_an_approved_booking_is_refused_at_once(hall, agencies, personas, english):
    booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12), status="approved")
    error = refused(hall, personas, Conflict, starts_at=at(3, 11, 59), ends_at=at(3, 13))
    assert error.code == "booking_overlap" and "08:00" in error.message and "KPU Kaltim" in error.message


def test_back_to_back_bookings_are_both_approved(hall, agencies, personas):
    """The range is half-open: one ending at 12:00 leaves 12:00 free for the next."""
    morning = booking(hall, agencies, personas, requester="kpu", starts=at(4, 8), ends=at(4, 12), status="approved")
    afternoon = booking(hall, agencies, personas, starts=at(4, 12), ends=at(4, 16), status="approved")
    assert {morning.status, afternoon.status} == {"approved"}


def test_requests_may_overlap_each_other_until_one_is_approved(hall, tree, agencies, personas):
    first = booking(hall, agencies, personas, requester="kpu", starts=at(5, 8), ends=at(5, 12))
    second = booking(hall, agencies, personas, starts=at(5, 10), ends=at(5, 14))
    services.booking_approve(actor=personas["province_police"], booking=second)
    with pytest.raises(Conflict):
        services.booking_approve(actor=personas["province_police"], booking=first)
    # Another facility's approved booking at the same time is no overlap.
    other = facility(tree, agencies, personas, name="Aula kedua")
    assert booking(other, agencies, personas, starts=at(5, 8), ends=at(5, 12), status="approved").status == "approved"


def test_decisions_name_the_actor_in_the_trail_and_history(hall, agencies, personas):
    row = booking(hall, agencies, personas)
    approved = services.booking_approve(actor=personas["province_police"], booking=row, note="Dibuka 07.00")
    assert (approved.status, approved.decided_by, approved.decision_note) == ("approved", personas["province_police"],
                                                                              "Dibuka 07.00")
    assert abs(approved.decided_at - clock.now()) < timedelta(minutes=1)
    cancelled = services.booking_cancel(actor=personas["province_police"], booking=row, reason="Aula diperbaiki")
    trail = list(FacilityBookingStatusChange.objects.filter(booking=row).order_by("changed_at", "id")
                 .values_list("from_status", "to_status", "changed_by__username", "reason"))
    assert trail == [("requested", "approved", "province_police", ""),
                     ("approved", "cancelled", "province_police", "Aula diperbaiki")]
    assert cancelled.history.first().history_user == personas["province_police"]


def test_rejecting_needs_a_reason_and_a_closed_booking_does_not_move(hall, agencies, personas, english):
    row = booking(hall, agencies, personas)
    with pytest.raises(ValidationError) as caught:
        services.booking_reject(actor=personas["province_police"], booking=row, reason=" ")
    assert caught.value.message_dict == {"reason": ["Say why the request is rejected."]}
    services.booking_reject(actor=personas["province_police"], booking=row, reason="Dipakai apel")
    with pytest.raises(TransitionNotAllowed):
        services.booking_approve(actor=personas["province_police"], booking=row)
    with pytest.raises(TransitionNotAllowed):
        services.booking_cancel(actor=personas["samarinda_operator"], booking=row)
    row.refresh_from_db()
    assert (row.status, row.decision_note) == ("rejected", "Dipakai apel")


def test_the_owner_cancels_only_an_approved_booking_and_says_why(hall, agencies, personas, english):
    waiting = booking(hall, agencies, personas)
    with pytest.raises(PermissionDenied) as caught:
        services.booking_cancel(actor=personas["province_police"], booking=waiting, reason="x")
    assert caught.value.message == "A request waiting for your decision is rejected, not cancelled."
    approved = services.booking_approve(actor=personas["province_police"], booking=waiting)
    with pytest.raises(ValidationError) as caught:
        services.booking_cancel(actor=personas["province_police"], booking=approved)
    assert list(caught.value.message_dict) == ["reason"]
    # The requesting office cancels without a reason.
    assert services.booking_cancel(actor=personas["samarinda_operator"], booking=approved).status == "cancelled"


def test_a_booking_whose_time_is_over_is_not_approved(hall, agencies, personas):
    row = booking(hall, agencies, personas, starts=at(1, 8), ends=at(1, 9))
    with clock.travel_to(at(1, 10)), pytest.raises(Conflict) as caught:
        services.booking_approve(actor=personas["province_police"], booking=row)
    assert caught.value.code == "booking_past"


def test_the_evidence_follows_the_booking(hall, tree, agencies, personas):
    clause = facility_clause(tree)
    row = booking(hall, agencies, personas)
    assert row.clause == clause
    evidence = ClauseEvidence.objects.get(clause=clause)
    assert (evidence.kind, evidence.region, evidence.requested_at, evidence.fulfilled_at) == (
        "facility_use", hall.region, row.created_at, None)
    assert evidence.occurred_on == (at(1, 8)).date() and evidence.recorded_by == personas["samarinda_operator"]
    row = services.booking_approve(actor=personas["province_police"], booking=row)
    evidence.refresh_from_db()
    assert evidence.fulfilled_at == row.decided_at and evidence.recorded_by == personas["province_police"]
    services.booking_cancel(actor=personas["samarinda_operator"], booking=row)
    assert not ClauseEvidence.objects.filter(clause=clause).exists()  # nothing was used
    rejected = booking(hall, agencies, personas, starts=at(6, 8), status="rejected")
    assert rejected.clause == clause and not ClauseEvidence.objects.exists()


def test_the_caller_transaction_survives_a_refused_approval(hall, agencies, personas):
    """A refusal inside someone else's transaction leaves it usable (the savepoint)."""
    from django.db import transaction

    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12))
    second = booking(hall, agencies, personas, starts=at(3, 9), ends=at(3, 10))
    services.booking_approve(actor=personas["province_police"], booking=first)
    with transaction.atomic():
        with pytest.raises(Conflict):
            services.booking_approve(actor=personas["province_police"], booking=second)
        assert FacilityBooking.objects.filter(status="approved").count() == 1
