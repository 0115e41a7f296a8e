"""Confirmations and numbering under real concurrency, on PostgreSQL: threads, each with
its own database connection, released together by a barrier.

The winner of the escort's row lock is held there a moment (a short sleep inside the
locked section), so the other request is really waiting on the lock, with its statement
already started, when the first commits: the case a row lock must get right.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection

from coordination.choices import Role
from kpu_polda.base.exceptions import Conflict, TransitionNotAllowed
from logistics import policies, services
from logistics.choices import EscortStatus, EventKind
from logistics.models import CustodyEvent, EscortNumberCounter, EscortRequest
from tests.conftest import need_service
from tests.factories import UserFactory, escort_request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("logistics-concurrency")]

HOLD = 0.3  # seconds the lock holder waits inside the locked section


@pytest.fixture(autouse=True)
def _postgres_only():
    need_service("PostgreSQL", connection.vendor == "postgresql")


def together(count: int, call: Callable[[int], object]) -> list[tuple[str, object]]:
    """Run ``call(i)`` in ``count`` threads released at once; each result is ("ok", value)
    or ("error", exception). Every thread closes its own connection."""
    barrier = threading.Barrier(count)
    results: list[tuple[str, object]] = [("missing", None)] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
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


def held_in_the_lock():
    """Hold whoever has the escort's row lock for HOLD seconds (the party check runs
    right after the lock is taken)."""
    original = policies.ensure_can_act

    def slow(*args, **kwargs):
        time.sleep(HOLD)
        return original(*args, **kwargs)

    return mock.patch.object(policies, "ensure_can_act", slow)


def _departure(escort: EscortRequest) -> dict:
    items = list(escort.items.all())
    return {"counts": {item.pk: item.quantity for item in items}, "seals_intact": True,
            "seals_seen": " ".join(seal for item in items for seal in item.seals)}


def test_two_officers_confirming_one_departure_at_once_make_one_event(make_escort, personas, agencies):
    escort = make_escort("assigned")
    second = UserFactory(username="polresta_2", role=Role.POLICE_OFFICER, agency=agencies["polresta"])
    officers = [personas["samarinda_police"], second]
    data = _departure(escort)

    with held_in_the_lock():
        results = together(2, lambda i: services.custody_confirm(actor=officers[i], escort=escort, action="depart",
                                                                 **data))

    succeeded = [value for outcome, value in results if outcome == "ok"]
    refused = [value for outcome, value in results if outcome == "error"]
    assert len(succeeded) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict | TransitionNotAllowed), repr(refused[0])
    assert getattr(refused[0], "code", "") in {"already_confirmed", "transition_not_allowed"}
    assert CustodyEvent.objects.filter(escort=escort, kind=EventKind.DEPARTURE).count() == 1
    assert EscortRequest.objects.get(pk=escort.pk).status == EscortStatus.DEPARTED
    assert services.custody_chain_verify(escort=escort).ok


# The chain's tail and the earlier event with the key are read after the lock, in their own
# statement: read inside the locking SELECT they kept the snapshot from before the lock wait.
@pytest.mark.parametrize("action", ["depart", "checkpoint"])
def test_one_key_sent_twice_at_once_makes_one_event_and_both_get_it(make_escort, personas, action):
    escort = make_escort("assigned" if action == "depart" else "departed")
    officer = personas["samarinda_police"]
    data = _departure(escort) if action == "depart" else {"note": "Pos Jembatan Mahkota II"}
    key = f"retry-{action}-1"

    with held_in_the_lock():
        results = together(2, lambda i: services.custody_confirm(actor=officer, escort=escort, action=action,
                                                                 idempotency_key=key, **data))

    assert all(outcome == "ok" for outcome, _ in results), results
    confirmations = [value for _, value in results]
    assert confirmations[0].event.pk == confirmations[1].event.pk
    assert sorted(c.replayed for c in confirmations) == [False, True]
    assert CustodyEvent.objects.filter(escort=escort, idempotency_key=key).count() == 1
    assert services.custody_chain_verify(escort=escort).ok


def test_two_checkpoints_reported_at_once_both_take_their_place_in_the_chain(make_escort, personas, agencies):
    escort = make_escort("departed")
    second = UserFactory(username="polresta_2", role=Role.POLICE_OFFICER, agency=agencies["polresta"])
    officers = [personas["samarinda_police"], second]

    with held_in_the_lock():
        results = together(2, lambda i: services.custody_confirm(actor=officers[i], escort=escort,
                                                                 action="checkpoint", note=f"Pos {i + 1}"))

    assert all(outcome == "ok" for outcome, _ in results), results
    assert list(escort.events.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3]
    assert services.custody_chain_verify(escort=escort).ok


def test_requests_raised_at_once_are_numbered_without_gaps_or_repeats(election, personas, stations):
    count = 8
    kpu = personas["samarinda_operator"]

    results = together(count, lambda i: escort_request(election=election, destination=stations["samarinda"],
                                                       kpu=kpu).number)

    assert all(outcome == "ok" for outcome, _ in results), results
    numbers = sorted(value for _, value in results)
    assert len(set(numbers)) == count
    serials = sorted(EscortRequest.objects.filter(regency_code="64.72").values_list("serial", flat=True))
    assert serials == list(range(1, count + 1))
    assert EscortNumberCounter.objects.get(regency_code="64.72").last == count


def test_one_key_sent_at_once_for_two_escorts_is_one_event_and_a_409(make_escort, personas):
    """Two escorts are two locks: the key's unique constraint decides, and the loser gets
    a 409, not a 500."""
    escorts = [make_escort("departed"), make_escort("departed")]
    officer = personas["samarinda_police"]

    with held_in_the_lock():
        results = together(2, lambda i: services.custody_confirm(
            actor=officer, escort=escorts[i], action="checkpoint", idempotency_key="one-key", note="Pos"))

    outcomes = sorted(outcome for outcome, _ in results)
    assert outcomes == ["error", "ok"], results
    refused = next(value for outcome, value in results if outcome == "error")
    assert isinstance(refused, Conflict) and refused.code == "idempotency_key_reused", repr(refused)
    assert CustodyEvent.objects.filter(idempotency_key="one-key").count() == 1
