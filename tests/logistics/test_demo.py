"""The logistics demo on top of coordination's: every status, one discrepancy, one
incident, dated on the demo timeline by the demo accounts, idempotent, scoped."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from coordination.models import User
from logistics import policies, services
from logistics.choices import EscortStatus, EventKind
from logistics.models import CustodyEvent, Discrepancy, EscortNumberCounter, EscortRequest, EscortStatusChange
from tests.conftest import shared_rows

DEMO_CLOCK = datetime(2024, 2, 8, 9, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
DEMO_PEOPLE = {"kpu.samarinda", "polresta.samarinda", "kpu.mahulu", "polres.mahulu"}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Both demos loaded once for the module (coordination's takes several seconds)."""
    with shared_rows(django_db_blocker):
        call_command("seed_demo", stdout=StringIO())
        out = StringIO()
        call_command("seed_logistics_demo", stdout=out)
        yield out.getvalue()


def test_every_status_is_there_and_a_second_run_adds_nothing(demo_output, db):
    assert "escort requests +17 " in demo_output
    by_status = dict(EscortRequest.objects.values_list("status").annotate(n=Count("id")).order_by())
    assert set(by_status) == set(EscortStatus.values)
    counters = list(EscortNumberCounter.objects.order_by("regency_code").values_list("regency_code", "last"))
    assert counters == [("64.11", 6), ("64.72", 11)]
    events = CustodyEvent.objects.count()

    again = StringIO()
    call_command("seed_logistics_demo", stdout=again)
    assert "escort requests +0 " in again.getvalue()
    assert EscortRequest.objects.count() == 17 and CustodyEvent.objects.count() == events
    assert list(EscortNumberCounter.objects.order_by("regency_code").values_list("regency_code", "last")) == counters


def test_one_open_seal_discrepancy_and_one_severe_river_incident_in_mahakam_ulu(demo_output, db):
    discrepancy = Discrepancy.objects.select_related("escort").get()
    assert discrepancy.status == "open" and discrepancy.reason == "seal_broken"
    assert discrepancy.escort.area_code.startswith("64.11.") and discrepancy.escort.status == EscortStatus.ARRIVED
    assert "MHU-05-3" in discrepancy.description
    incident = CustodyEvent.objects.select_related("escort").get(kind=EventKind.INCIDENT)
    assert (incident.incident_type, incident.severity) == ("weather", "high")
    assert incident.escort.status == EscortStatus.DEPARTED and incident.escort.transport_mode == "river"
    assert not EscortRequest.objects.filter(area_code__startswith="64.11.").exclude(transport_mode="river").exists()
    team = EscortRequest.objects.get(cargo="team")
    assert team.team_purpose and len(team.team_members.splitlines()) == 4 and team.items.get().quantity == 4
    # The demo's TPS legs go to coordination's demo TPS.
    assert EscortRequest.objects.filter(destination_tps__isnull=False).count() >= 6


def test_history_is_dated_on_the_demo_timeline_and_names_the_demo_accounts(demo_output, db):
    start = datetime(2024, 1, 1, tzinfo=DEMO_CLOCK.tzinfo)
    for model, field in [(EscortRequest, "created_at"), (CustodyEvent, "recorded_at"),
                         (EscortStatusChange, "changed_at")]:
        moments = model.objects.values_list(field, flat=True)
        assert moments and all(start <= moment < DEMO_CLOCK for moment in moments), model
    actors = set(EscortStatusChange.objects.values_list("changed_by__username", flat=True))
    actors |= set(CustodyEvent.objects.values_list("actor__username", flat=True))
    assert actors == DEMO_PEOPLE
    assert set(EscortRequest.history.values_list("history_user__username", flat=True)) <= DEMO_PEOPLE
    for escort in EscortRequest.objects.all():
        assert services.custody_chain_verify(escort=escort).ok
    # Late at the demo clock: one not yet off in Samarinda, one held by the river in Mahakam Ulu.
    from logistics.selectors.overdue import overdue_q

    late = set(EscortRequest.objects.filter(overdue_q(DEMO_CLOCK)).values_list("area_code", "status"))
    assert {status for _, status in late} == {EscortStatus.ASSIGNED, EscortStatus.DEPARTED}


def test_each_regency_sees_only_its_own_escorts(demo_output, db):
    mahulu, samarinda = User.objects.get(username="kpu.mahulu"), User.objects.get(username="polresta.samarinda")
    seen_by_mahulu = policies.scope_escorts(EscortRequest.objects.all(), mahulu)
    assert seen_by_mahulu.count() == 6
    assert not seen_by_mahulu.filter(area_code__startswith="64.72").exists()
    assert not policies.scope_escorts(EscortRequest.objects.all(), samarinda).filter(
        area_code__startswith="64.11").exists()


def test_refused_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="refused"):
        call_command("seed_logistics_demo", stdout=StringIO())
