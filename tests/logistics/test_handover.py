"""The hand-over by two parties: what each must say, what happens when they disagree,
and the input the services refuse with a field error."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from logistics import selectors, services
from logistics.choices import EscortStatus
from logistics.models import CustodyEvent
from tests.factories import ElectionFactory, stage

pytestmark = pytest.mark.django_db


def _confirm(actor, escort, action, counts, **extra):
    values = {"seals_intact": True, "seals_seen": "S-001 S-002", **extra}
    return services.custody_confirm(actor=actor, escort=escort, action=action, counts=counts, **values)


def test_a_hand_over_of_sealed_goods_says_whether_the_seals_are_intact(make_escort, personas):
    escort = make_escort("arrived")
    counts = {item.pk: item.quantity for item in escort.items.all()}
    with pytest.raises(ValidationError) as caught:
        services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                                 counts=counts)
    assert "seals_intact" in caught.value.message_dict
    assert not CustodyEvent.objects.filter(escort=escort, kind="handover_escort").exists()


def test_parties_who_disagree_may_confirm_again_with_a_reason(make_escort, personas):
    escort = make_escort("arrived")
    police, kpu = personas["samarinda_police"], personas["samarinda_operator"]
    items = list(escort.items.all())
    counts = {item.pk: item.quantity for item in items}
    _confirm(police, escort, "handover-escort", counts)
    result = _confirm(kpu, escort, "handover-receipt", {**counts, items[0].pk: items[0].quantity - 2})
    assert result.disagreement and not result.handed_over
    state = selectors.handover_state(escort)
    assert state.complete and not state.agree and state.closed_kinds == set()
    offered = {step.action for step in selectors.escort_next_steps(kpu, escort)}
    assert "handover-receipt" in offered

    with pytest.raises(ValidationError) as caught:
        _confirm(kpu, escort, "handover-receipt", counts)
    assert "reason" in caught.value.message_dict
    again = _confirm(kpu, escort, "handover-receipt", counts, reason="Dihitung ulang bersama petugas")
    assert again.handed_over and again.escort.status == EscortStatus.HANDED_OVER
    assert again.event.corrects_id == result.event.pk
    assert services.custody_chain_verify(escort=escort).ok


def test_a_second_confirmation_while_the_parties_agree_or_wait_is_a_conflict(make_escort, personas):
    escort = make_escort("arrived")
    counts = {item.pk: item.quantity for item in escort.items.all()}
    _confirm(personas["samarinda_police"], escort, "handover-escort", counts)
    from kpu_polda.base.exceptions import Conflict

    with pytest.raises(Conflict) as caught:
        _confirm(personas["province_police"], escort, "handover-escort", counts, reason="lagi")
    assert caught.value.code == "already_confirmed"


def test_a_report_names_an_item_of_the_escort(make_escort, personas):
    escort = make_escort("departed")
    with pytest.raises(ValidationError) as caught:
        services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="checkpoint",
                                 reports=[{"item": 999999, "reason": "damaged"}])
    assert "reports" in caught.value.message_dict
    item = escort.items.first()
    done = services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="checkpoint",
                                    reports=[{"item": item.pk, "reason": "damaged", "note": "basah"}])
    assert [(d.item_id, d.reason) for d in done.discrepancies] == [(item.pk, "damaged")]


def test_requests_are_refused_in_the_fields_words(make_escort, personas, election, stations):
    kpu = personas["samarinda_operator"]
    departure = timezone.now() + timedelta(days=1)
    base = {"election": election, "origin_kind": "warehouse", "origin_name": "Gudang",
            "origin_region": stations["samarinda"].village.parent.parent, "destination_kind": "tps",
            "destination_tps": stations["samarinda"], "items": [{"kind": "ink", "quantity": 2}]}
    with pytest.raises(ValidationError) as caught:
        services.escort_request_create(actor=kpu, planned_departure=departure,
                                       planned_arrival=departure - timedelta(hours=1), **base)
    assert "planned_arrival" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.escort_request_create(actor=kpu, planned_departure=departure, planned_arrival=departure,
                                       team_members="Andi", **base)
    assert "team_members" in caught.value.message_dict
    other = stage(ElectionFactory(code="pilkada-2024", name="Pilkada"), "1", departure.date())
    with pytest.raises(ValidationError) as caught:
        services.escort_request_create(actor=kpu, planned_departure=departure, planned_arrival=departure,
                                       stage=other, **base)
    assert "stage" in caught.value.message_dict
    escort = make_escort()
    with pytest.raises(ValidationError) as caught:
        services.escort_request_update(actor=kpu, escort=escort, planned_arrival=escort.planned_departure
                                       - timedelta(minutes=5))
    assert "planned_arrival" in caught.value.message_dict
