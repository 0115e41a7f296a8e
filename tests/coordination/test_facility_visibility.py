"""Who sees which facility and booking, and who may manage, request, decide and cancel
(coordination.policies.facilities through the selectors)."""

import pytest

from coordination.policies import facilities as policy
from coordination.selectors import facilities as selectors
from coordination.services import facilities as services
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied
from tests.coordination.facility_factories import at, booking, facility
from tests.factories import UserFactory


@pytest.fixture
def world(tree, agencies, personas):
    secretariat = personas["secretariat"]
    polda_hall = facility(tree, agencies, personas)  # Polda's, in a Samarinda kecamatan
    polresta_hall = facility(tree, agencies, personas, owner="polresta", name="Aula Polresta", region="samarinda")
    balikpapan_hall = services.facility_create(actor=secretariat, owner=agencies["polres_balikpapan"],
                                               name="Aula Polresta Balikpapan", kind="hall", region=tree["balikpapan"])
    return {
        "polda_hall": polda_hall, "polresta_hall": polresta_hall, "balikpapan_hall": balikpapan_hall,
        "samarinda_booking": booking(polresta_hall, agencies, personas),
        "province_booking": booking(polda_hall, agencies, personas, requester="kpu"),
        "balikpapan_booking": booking(balikpapan_hall, agencies, personas, requester="kpu_balikpapan"),
    }


def seen(user, world, prefix):
    return {name for name, row in world.items() if name.endswith(prefix)
            and (selectors.facilities_for(user) if prefix == "hall" else selectors.bookings_for(user))
            .filter(pk=row.pk).exists()}


def test_facilities_are_seen_where_they_stand_and_from_above(world, personas):
    assert seen(personas["samarinda_operator"], world, "hall") == {"polda_hall", "polresta_hall"}
    assert seen(personas["balikpapan_operator"], world, "hall") == {"balikpapan_hall"}
    assert seen(personas["province_staff"], world, "hall") == {"polda_hall", "polresta_hall", "balikpapan_hall"}
    assert seen(personas["observer"], world, "hall") == {"polda_hall", "polresta_hall", "balikpapan_hall"}


def test_bookings_are_seen_by_the_parties_the_region_and_the_province(world, personas, agencies):
    assert seen(personas["samarinda_operator"], world, "booking") == {"samarinda_booking", "province_booking"}
    # Balikpapan's operator must not see a Samarinda booking of a Samarinda facility.
    assert seen(personas["balikpapan_operator"], world, "booking") == {"balikpapan_booking"}
    assert seen(personas["province_staff"], world, "booking") == {"samarinda_booking", "province_booking",
                                                                  "balikpapan_booking"}
    with pytest.raises(OutOfScope):
        selectors.booking_get(personas["balikpapan_operator"], world["samarinda_booking"].pk)
    # The province's secretariat books a Samarinda hall for KPU Balikpapan: the requester's
    # people see that booking, and so does Balikpapan's secretariat.
    world["for_balikpapan_booking"] = booking(world["polda_hall"], agencies, personas, requester="kpu_balikpapan",
                                              starts=at(7, 8), actor=personas["secretariat"])
    assert seen(personas["balikpapan_operator"], world, "booking") == {"balikpapan_booking", "for_balikpapan_booking"}
    clerk = UserFactory(username="clerk", role="secretariat", agency=agencies["kpu_balikpapan"])
    assert seen(clerk, world, "booking") == {"balikpapan_booking", "for_balikpapan_booking"}


def test_facilities_are_managed_by_the_owner_and_the_secretariat_in_scope(world, personas, agencies, tree):
    hall = world["polda_hall"]
    assert policy.can_manage_facility(personas["province_police"], hall)
    assert policy.can_manage_facility(personas["secretariat"], hall)
    for name in ("samarinda_police", "samarinda_operator", "province_staff", "observer"):
        assert not policy.can_manage_facility(personas[name], hall), name
    with pytest.raises(PermissionDenied):
        services.facility_update(actor=personas["samarinda_police"], facility=hall, name="Aula baru")
    with pytest.raises(PermissionDenied):
        services.facility_create(actor=personas["samarinda_operator"], owner=agencies["polresta"], name="X",
                                 kind="hall", region=tree["samarinda"])
    with pytest.raises(OutOfScope):
        services.facility_update(actor=personas["balikpapan_operator"], facility=hall, name="Aula baru")


def test_who_may_decide_and_cancel(world, personas):
    samarinda, province = world["samarinda_booking"], world["province_booking"]
    assert policy.can_decide(personas["samarinda_police"], samarinda)
    assert not policy.can_decide(personas["samarinda_police"], province)  # Polda's hall: Polda decides
    assert policy.can_decide(personas["province_police"], province)
    assert policy.can_decide(personas["secretariat"], samarinda)
    # A KPU user cannot approve, not even the requester.
    for name in ("samarinda_operator", "province_staff", "observer", "balikpapan_operator"):
        assert not policy.can_decide(personas[name], samarinda), name
    with pytest.raises(PermissionDenied):
        services.booking_approve(actor=personas["samarinda_operator"], booking=samarinda)
    with pytest.raises(OutOfScope):
        services.booking_approve(actor=personas["balikpapan_operator"], booking=samarinda)
    assert samarinda.__class__.objects.get(pk=samarinda.pk).status == "requested"
    assert policy.can_cancel(personas["samarinda_operator"], samarinda)
    assert not policy.can_cancel(personas["samarinda_police"], samarinda)  # the owner rejects a request
    assert not policy.can_cancel(personas["observer"], samarinda)
    approved = services.booking_approve(actor=personas["samarinda_police"], booking=samarinda)
    assert policy.can_cancel(personas["samarinda_police"], approved)


def test_the_decision_queue_is_the_deciders_soonest_first(world, personas, agencies):
    later = booking(world["polresta_hall"], agencies, personas, starts=at(9, 8))
    queue = [row.pk for row in selectors.bookings_awaiting_decision(personas["samarinda_police"])]
    assert queue == [world["samarinda_booking"].pk, later.pk]
    assert [row.pk for row in selectors.bookings_awaiting_decision(personas["province_police"])] == [
        world["province_booking"].pk]
    assert not selectors.bookings_awaiting_decision(personas["samarinda_operator"]).exists()
    assert not selectors.bookings_awaiting_decision(personas["observer"]).exists()
    everything = selectors.bookings_awaiting_decision(personas["secretariat"])
    assert everything.count() == 4
