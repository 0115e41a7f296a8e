"""Bulk planning of the outbound legs of a kab/kota (logistics.services.planning)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from coordination.choices import AccessMode
from coordination.models import Agreement, Clause, ClauseEvidence
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied
from logistics import services
from logistics.choices import BALLOTS, ItemKind, PlaceKind
from logistics.models import EscortItem, EscortRequest
from logistics.services.planning import ballots_for
from tests.factories import PollingStationFactory

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def escort_clause(tree):
    agreement = Agreement.objects.create(code="pks-kaltim", title="PKS", region=tree["kaltim"],
                                         signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13), status="active")
    return Clause.objects.create(agreement=agreement, number=5, title="Pengawalan logistik", text="...",
                                 category="escort", expectation_kind="per_stage", evidence_kind="escort",
                                 expectation_value=1)


def plan(personas, election, tree, who="samarinda_operator", regency="samarinda"):
    return services.escort_plan_outbound(actor=personas[who], election=election, regency=tree[regency])


def legs(kind):
    return EscortRequest.objects.filter(destination_kind=kind)


def test_ballots_are_the_dpt_plus_two_percent_rounded_up():
    assert ballots_for(250) == 255
    assert ballots_for(251) == 257  # 256.02 rounds up
    assert ballots_for(100) == 102
    assert ballots_for(1) == 2


def test_legs_per_level_with_goods_summed(personas, election, tree, stations, escort_clause):
    stations["samarinda"].voters, stations["samarinda2"].voters = 251, 100
    for station in (stations["samarinda"], stations["samarinda2"]):
        station.save(update_fields=["voters"])
    PollingStationFactory(election=election, village=tree["sam_kel"], number=2, voters=200)

    result = plan(personas, election, tree)

    # 2 kecamatan, 2 kelurahan having TPS (Air Putih has none), 3 TPS; Balikpapan untouched.
    assert (legs(PlaceKind.PPK).count(), legs(PlaceKind.PPS).count(), legs(PlaceKind.TPS).count()) == (2, 2, 3)
    assert result.created == 7 and result.existing == 0
    assert not EscortRequest.objects.filter(area_code__startswith="64.71").exists()
    tps_leg = EscortRequest.objects.get(destination_tps=stations["samarinda"])
    goods = {item.kind: item.quantity for item in tps_leg.items.all()}
    assert {kind: goods[kind] for kind in BALLOTS} == {kind: 257 for kind in BALLOTS}
    assert goods[ItemKind.BALLOT_BOX] == 5
    assert {ItemKind.VOTING_BOOTH, ItemKind.INK, ItemKind.SEAL, ItemKind.FORMS} <= set(goods)
    assert result.items == EscortItem.objects.count()
    pps = EscortRequest.objects.get(destination_kind=PlaceKind.PPS, destination_region=tree["sam_kel"])
    ppk = EscortRequest.objects.get(destination_kind=PlaceKind.PPK, destination_region=tree["sam_kec"])
    for feeding in (pps, ppk):
        assert feeding.items.get(kind=ItemKind.BALLOT_DPR).quantity == 257 + 204
        assert feeding.items.get(kind=ItemKind.BALLOT_BOX).quantity == 10
    assert ppk.origin_kind == PlaceKind.WAREHOUSE and ppk.origin_region == tree["samarinda"]
    assert pps.origin_kind == PlaceKind.PPK and pps.origin_region == tree["sam_kec"]
    # Every field the one-leg service sets.
    assert {leg.status for leg in EscortRequest.objects.all()} == {"submitted"}
    assert tps_leg.requested_by.code == "kpu-samarinda" and tps_leg.police_unit.code == "polres-samarinda"
    assert tps_leg.area == tree["sam_kel"] and tps_leg.area_code == "64.72.01.1001"
    assert tps_leg.regency_code == "64.72" and tps_leg.clause == escort_clause
    assert tps_leg.plan_key == f"{election.code}:tps:{stations['samarinda'].pk}"
    assert ClauseEvidence.objects.filter(clause=escort_clause).count() == 7
    # History names the planner, for the legs and their goods.
    user = personas["samarinda_operator"]
    assert EscortRequest.history.filter(history_user=user).count() == 7
    assert EscortItem.history.filter(history_user=user).count() == EscortItem.objects.count()


def test_ordinary_schedule_then_remote_legs_leave_earlier(personas, election, tree, stations):
    stations["samarinda2"].access_mode = AccessMode.RIVER
    stations["samarinda2"].save(update_fields=["access_mode"])
    plan(personas, election, tree)
    day = election.voting_day

    def departs(**where):
        return EscortRequest.objects.get(**where).planned_departure.astimezone(WITA)

    assert departs(destination_kind=PlaceKind.PPK, destination_region=tree["sam_kec"]).date() == day - timedelta(2)
    assert departs(destination_kind=PlaceKind.PPS, destination_region=tree["sam_kel"]) == datetime(
        2024, 2, 13, 6, tzinfo=WITA)
    assert departs(destination_tps=stations["samarinda"]).date() == day - timedelta(1)
    # The river TPS and the legs feeding it leave between H-6 and H-3.
    remote = [departs(destination_tps=stations["samarinda2"]),
              departs(destination_kind=PlaceKind.PPS, destination_region=tree["sam_kel3"]),
              departs(destination_kind=PlaceKind.PPK, destination_region=tree["sam_kec2"])]
    assert all(day - timedelta(6) <= moment.date() <= day - timedelta(3) for moment in remote)
    assert remote[2] < remote[1] < remote[0]
    assert EscortRequest.objects.get(destination_tps=stations["samarinda2"]).transport_mode == AccessMode.RIVER
    assert all(leg.planned_arrival.astimezone(WITA).date() < day for leg in EscortRequest.objects.all())


def test_second_run_creates_nothing(personas, election, tree, stations):
    first = plan(personas, election, tree)
    again = plan(personas, election, tree)
    assert again.created == 0 and again.existing == first.created
    assert EscortRequest.objects.count() == first.created
    # A TPS added to the register later gets its own leg; the legs above it stay as planned.
    PollingStationFactory(election=election, village=tree["sam_kel"], number=7)
    third = plan(personas, election, tree)
    assert (third.created, third.existing) == (1, first.created)


def test_numbers_are_gap_free_and_unique(personas, election, tree, stations, make_escort):
    make_escort()  # a request raised by hand takes serial 1
    plan(personas, election, tree)
    serials = sorted(EscortRequest.objects.filter(regency_code="64.72").values_list("serial", flat=True))
    assert serials == list(range(1, len(serials) + 1))
    numbers = list(EscortRequest.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert EscortRequest.objects.get(serial=2).number.startswith("ESC/64.72/")


def test_another_region_or_party_is_refused(personas, election, tree, stations):
    with pytest.raises(OutOfScope):
        plan(personas, election, tree, who="balikpapan_operator")
    with pytest.raises(PermissionDenied):
        plan(personas, election, tree, who="samarinda_police")
    assert not EscortRequest.objects.exists()
    assert plan(personas, election, tree, who="province_staff").created == 6


def test_the_command_plans_and_reports(personas, election, tree, stations, capsys):
    call_command("plan_escorts", "--election", election.code, "--regency", "64.72", "--as", "samarinda_operator")
    assert "6 legs created" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("plan_escorts", "--election", election.code, "--regency", "64.72", "--as", "balikpapan_operator")
    with pytest.raises(CommandError):
        call_command("plan_escorts", "--election", election.code, "--regency", "64.72")


def _grow(tree, election, count, start=10):
    for number in range(start, start + count):
        PollingStationFactory(election=election, village=tree["sam_kel2" if number % 2 else "sam_kel"],
                              number=number, access_mode=AccessMode.AIR if number % 3 == 0 else AccessMode.ROAD)


@pytest.mark.parametrize("count", [10, 20])
def test_planning_queries_do_not_grow_with_tps(count, personas, election, tree, stations, escort_clause,
                                               django_assert_max_num_queries):
    _grow(tree, election, count)
    user = personas["samarinda_operator"]
    user.refresh_from_db()
    with django_assert_max_num_queries(30 if connection.vendor == "postgresql" else 45):
        result = services.escort_plan_outbound(actor=user, election=election, regency=tree["samarinda"])
    assert result.created == count + 2 + 3 + 2


def test_planning_query_count_is_the_same_at_n_and_2n(personas, election, tree, stations, escort_clause):
    """Reads and locks are the same at N and 2N TPS. On PostgreSQL the inserts are too (one
    statement per table up to BATCH rows); SQLite caps a statement at 999 parameters, so
    Django splits a bulk insert there and only the reads are compared."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for regency, count in (("samarinda", 12), ("balikpapan", 24)):
        if regency == "samarinda":
            _grow(tree, election, count)
        else:
            for number in range(10, 10 + count):
                PollingStationFactory(election=election, village=tree["bpn_kel"], number=number)
        actor = personas["samarinda_operator" if regency == "samarinda" else "province_staff"]
        actor.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            services.escort_plan_outbound(actor=actor, election=election, regency=tree[regency])
        statements = [query["sql"].split()[0] for query in captured.captured_queries]
        counts.append(statements if connection.vendor == "postgresql"
                      else [word for word in statements if word != "INSERT"])
    assert len(counts[0]) == len(counts[1]), counts
