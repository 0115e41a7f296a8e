"""The escort workflow end to end through the services: the table, the parties, the
hand-over by two people, discrepancies and their notices, the frozen goods."""

import pgtrigger
import pytest
from django.db import InternalError, connection, transaction

from coordination.models import Notification
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied, TransitionNotAllowed
from logistics import services
from logistics.choices import ESCORT_STEPS, ESCORT_TRANSITIONS, EscortStatus
from logistics.models import CustodyEvent, Discrepancy, EscortStatusChange
from tests.factories import ESCORT_STEPS_TO

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", list(ESCORT_STEPS_TO))
def test_every_status_is_reached_by_the_steps_people_take(make_escort, status):
    escort = make_escort(status)
    assert escort.status == status
    moves = list(EscortStatusChange.objects.filter(escort=escort).order_by("changed_at", "id")
                 .values_list("from_status", "to_status"))
    for source, target in moves:
        assert target in ESCORT_TRANSITIONS[source]


def test_number_is_kpu_style_and_consecutive(make_escort):
    first, second = make_escort(), make_escort()
    assert first.number.startswith("ESC/64.72/")
    assert first.number.endswith("/000001") and second.number.endswith("/000002")


def test_police_steps_refuse_the_kpu_and_kpu_steps_refuse_the_police(make_escort, personas):
    escort = make_escort()
    with pytest.raises(PermissionDenied):
        services.escort_decide(actor=personas["samarinda_operator"], escort=escort, action="accept")
    with pytest.raises(PermissionDenied):
        services.escort_decide(actor=personas["samarinda_police"], escort=escort, action="cancel", reason="x")


def test_another_region_does_not_find_the_escort(make_escort, personas):
    escort = make_escort()
    with pytest.raises(OutOfScope):
        services.escort_decide(actor=personas["balikpapan_operator"], escort=escort, action="cancel", reason="x")


def test_hand_over_needs_both_parties_and_agreeing_counts(make_escort, personas):
    escort = make_escort("arrived")
    items = list(escort.items.all())
    counts = {item.pk: item.quantity for item in items}
    seals = "S-001 S-002"
    first = services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                                     counts=counts, seals_intact=True, seals_seen=seals)
    assert first.escort.status == EscortStatus.ARRIVED and not first.handed_over
    # The receiver counts one ballot fewer: no hand-over, a "missing" discrepancy.
    fewer = {**counts, items[0].pk: items[0].quantity - 1}
    second = services.custody_confirm(actor=personas["samarinda_operator"], escort=escort,
                                      action="handover-receipt", counts=fewer, seals_intact=True, seals_seen=seals)
    assert not second.handed_over and second.escort.status == EscortStatus.ARRIVED
    assert [d.reason for d in second.discrepancies] == ["missing"]
    # The officer recounts and agrees: a correction, with a reason, completes it.
    third = services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                                     counts=fewer, seals_intact=True, seals_seen=seals, corrects=first.event,
                                     reason="Dihitung ulang bersama")
    assert third.handed_over and third.escort.status == EscortStatus.HANDED_OVER


def test_seal_mismatch_opens_one_discrepancy_and_tells_both_agencies_once(make_escort, personas):
    escort = make_escort("arrived")
    counts = {item.pk: item.quantity for item in escort.items.all()}
    before = Notification.objects.count()
    for actor, action in [(personas["samarinda_police"], "handover-escort"),
                          (personas["samarinda_operator"], "handover-receipt")]:
        services.custody_confirm(actor=actor, escort=escort, action=action, counts=counts, seals_intact=True,
                                 seals_seen="S-001 S-009")
    discrepancy = Discrepancy.objects.get(escort=escort)
    assert discrepancy.reason == "seal_broken" and "S-002" in discrepancy.description
    told = Notification.objects.filter(kind="logistics.discrepancy")
    assert told.count() == Notification.objects.count() - before
    assert {n.recipient.agency.code for n in told} == {"kpu-samarinda", "polres-samarinda"}
    assert len({n.recipient_id for n in told}) == told.count()


def test_the_same_step_twice_is_a_conflict_and_writes_nothing(make_escort, personas):
    escort = make_escort("departed")
    events = CustodyEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        services.custody_confirm(actor=personas["province_police"], escort=escort, action="depart")
    assert caught.value.code == "already_confirmed"
    with pytest.raises(TransitionNotAllowed):
        services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                                 counts={})
    assert CustodyEvent.objects.count() == events


def test_retry_with_the_same_key_writes_nothing_and_other_content_is_refused(make_escort, personas):
    escort = make_escort("assigned")
    police = personas["samarinda_police"]
    first = services.custody_confirm(actor=police, escort=escort, action="depart", idempotency_key="k-1",
                                     note="Berangkat")
    again = services.custody_confirm(actor=police, escort=escort, action="depart", idempotency_key="k-1",
                                     note="Berangkat")
    assert again.replayed and again.event.pk == first.event.pk
    assert CustodyEvent.objects.filter(escort=escort).count() == 1
    with pytest.raises(Conflict) as caught:
        services.custody_confirm(actor=police, escort=escort, action="depart", idempotency_key="k-1",
                                 note="Lain")
    assert caught.value.code == "idempotency_key_reused"


def test_goods_are_frozen_once_departed(make_escort, personas):
    escort = make_escort("departed")
    with pytest.raises(Conflict) as caught:
        services.escort_request_update(actor=personas["samarinda_operator"], escort=escort,
                                       items=[{"kind": "ink", "quantity": 2}])
    assert caught.value.code == "escort_frozen"


def test_close_waits_for_open_discrepancies(make_escort, personas):
    escort = make_escort("arrived")
    items = list(escort.items.all())
    counts = {item.pk: item.quantity for item in items}
    counts[items[0].pk] -= 3
    for actor, action in [(personas["samarinda_police"], "handover-escort"),
                          (personas["samarinda_operator"], "handover-receipt")]:
        result = services.custody_confirm(actor=actor, escort=escort, action=action, counts=counts,
                                          seals_intact=True, seals_seen="S-001 S-002")
    assert result.handed_over
    kpu = personas["samarinda_operator"]
    with pytest.raises(Conflict):
        services.escort_decide(actor=kpu, escort=escort, action="close")
    services.discrepancy_resolve(actor=kpu, discrepancy=Discrepancy.objects.get(escort=escort),
                                 resolution="Kekurangan dipenuhi dari cadangan PPS")
    assert services.escort_decide(actor=kpu, escort=escort, action="close").status == EscortStatus.CLOSED


def test_chain_verifies_and_names_an_edited_row(make_escort):
    escort = make_escort("handed_over")
    report = services.custody_chain_verify(escort=escort)
    assert report.ok and report.checked == 4
    row = CustodyEvent.objects.filter(escort=escort, sequence=2)
    if connection.vendor == "postgresql":
        # The database itself refuses the edit, whoever asks...
        with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
            row.update(note="diubah")
        with pytest.raises(InternalError), transaction.atomic():
            CustodyEvent.objects.filter(escort=escort).delete()
        # ...so tampering means switching the trigger off, as someone with the database's keys could.
        with pgtrigger.ignore("logistics.CustodyEvent:custody_event_append_only"):
            row.update(note="diubah")
    else:
        row.update(note="diubah")
    report = services.custody_chain_verify(escort=escort)
    assert report.broken_at == 2 and not report.ok


def test_step_table_names_only_real_statuses():
    for step in ESCORT_STEPS.values():
        assert step.target in EscortStatus.values
        assert step.sources <= set(EscortStatus.values)
