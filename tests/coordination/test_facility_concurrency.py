"""No double booking of an approved slot, held by PostgreSQL itself: threads with their own
database connections, and the exclusion constraint booking_no_overlap_when_approved.

The approvals are held at a barrier right after their overlap check, so each has found
nothing in the way before either writes: only the database can then keep the second out."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction

from coordination.choices import Role
from coordination.models import FacilityBooking, FacilityBookingStatusChange, Notification
from coordination.services import facilities as services
from kpu_polda.base.exceptions import Conflict
from tests.conftest import need_service
from tests.coordination.facility_factories import at, booking, facility
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group("facility-concurrency")]


@pytest.fixture(autouse=True)
def _postgres_only():
    need_service("PostgreSQL", connection.vendor == "postgresql")


def together(count: int, call: Callable[[int], object]) -> list[tuple[str, object]]:
    """Run ``call(i)`` in ``count`` threads released at once; each result is ("ok", value)
    or ("error", exception). Every thread closes its own connection."""
    start = threading.Barrier(count)
    results: list[tuple[str, object]] = [("missing", None)] * count

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = ("ok", call(index))
        except Exception as exc:  # noqa: BLE001 (the test inspects what each thread met)
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (a lock never released?)"
    return results


def both_pass_the_check(count: int = 2):
    """Hold each approval after its (first) overlap check until all ``count`` have checked:
    each sees no approved booking in the way. What each check found is recorded."""
    barrier = threading.Barrier(count)
    original = services.overlapping_approved
    found: dict[int, object] = {}

    def checked(*args, **kwargs):
        result = original(*args, **kwargs)
        me = threading.get_ident()
        if me not in found:
            found[me] = result
            barrier.wait(timeout=10)
        return result

    return mock.patch.object(services, "overlapping_approved", checked), found


def test_two_concurrent_approvals_of_overlapping_bookings_leave_exactly_one_approved(tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12))
    second = booking(hall, agencies, personas, starts=at(3, 11), ends=at(3, 15))
    other_officer = UserFactory(username="polda_2", role=Role.POLICE_OFFICER, agency=agencies["polda"])
    officers, rows = [personas["province_police"], other_officer], [first, second]
    notified = Notification.objects.count()

    patch, found = both_pass_the_check()
    with patch:
        results = together(2, lambda i: services.booking_approve(actor=officers[i], booking=rows[i]))

    assert list(found.values()) == [None, None], "both approvals passed the overlap check"
    won = [value for outcome, value in results if outcome == "ok"]
    lost = [value for outcome, value in results if outcome == "error"]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code == "booking_overlap", repr(lost[0])
    winner = won[0]
    loser = second if winner.pk == first.pk else first
    # The message names the winner (in the default language: the threads run outside the test's override).
    assert lost[0].code == "booking_overlap" and f"#{winner.pk}" in lost[0].message
    statuses = dict(FacilityBooking.objects.values_list("pk", "status"))
    assert statuses == {winner.pk: "approved", loser.pk: "requested"}
    loser.refresh_from_db()
    assert loser.decided_by is None and loser.decided_at is None
    assert not FacilityBookingStatusChange.objects.filter(booking=loser).exists()
    assert loser.history.count() == 1  # its request only
    # Only the winner's decision was told (to the requesting office's writers).
    told = Notification.objects.filter(kind=services.DECIDED)
    assert Notification.objects.count() > notified and {row.target_id for row in told} == {winner.pk}


def test_the_database_refuses_two_overlapping_approved_bookings_written_directly(tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12), status="approved")
    waiting = booking(hall, agencies, personas, starts=at(3, 6), ends=at(3, 8))
    FacilityBooking.objects.filter(pk=waiting.pk).update(ends_at=at(3, 8) + timedelta(minutes=1))
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        FacilityBooking.objects.filter(pk=waiting.pk).update(status="approved")
    assert services.OVERLAP_CONSTRAINT in str(caught.value)
    assert FacilityBooking.objects.get(pk=waiting.pk).status == "requested"
    # Back to back is no overlap for the database either (a half-open range).
    FacilityBooking.objects.filter(pk=waiting.pk).update(ends_at=at(3, 8))
    FacilityBooking.objects.filter(pk=waiting.pk).update(status="approved")
    assert FacilityBooking.objects.filter(status="approved").count() == 2


def test_a_refused_write_is_answered_as_the_conflict_and_the_callers_transaction_survives(tree, agencies, personas):
    """When the check misses the other booking (it committed after the check), the
    database's refusal is the same 409, inside a savepoint."""
    hall = facility(tree, agencies, personas)
    first = booking(hall, agencies, personas, requester="kpu", starts=at(3, 8), ends=at(3, 12), status="approved")
    second = booking(hall, agencies, personas, starts=at(3, 12), ends=at(3, 14))
    FacilityBooking.objects.filter(pk=second.pk).update(starts_at=at(3, 10))  # now overlapping, as if raced

    with mock.patch.object(services, "overlapping_approved", side_effect=[None, first]), transaction.atomic():
        with pytest.raises(Conflict) as caught:
            services.booking_approve(actor=personas["province_police"], booking=second)
        assert FacilityBooking.objects.filter(status="approved").count() == 1  # the transaction still reads
    assert caught.value.code == "booking_overlap" and f"#{first.pk}" in caught.value.message
    assert FacilityBooking.objects.get(pk=second.pk).status == "requested"
