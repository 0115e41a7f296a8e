"""The escort SLA check: each condition raised at its moment and not before, once per
escort and condition, told to both agencies of the escort (and nobody else) through the
outbox, by the periodic task too, in a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coordination.models import Agreement, Clause, Notification
from kpu_polda.base import clock
from logistics import services
from logistics.choices import AlertCondition
from logistics.models import EscortAlert, EscortRequest
from logistics.selectors.overdue import arrival_grace
from logistics.tasks import check_escort_slas

pytestmark = pytest.mark.django_db

WITA = timezone.get_fixed_timezone(8 * 60)
T0 = datetime(2024, 2, 5, 8, 0, tzinfo=WITA)
MINUTE = timedelta(minutes=1)


def check(moment) -> int:
    with clock.travel_to(moment):
        return services.escort_sla_check()


def alerts(escort) -> set[str]:
    return set(EscortAlert.objects.filter(escort=escort).values_list("condition", flat=True))


def told(condition=None) -> list[str]:
    rows = Notification.objects.filter(kind="logistics.sla")
    if condition is not None:
        rows = rows.filter(subject__contains=str(AlertCondition(condition).label))
    return sorted(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def escort_at(make_escort):
    """An escort raised at T0 (the app's clock) and moved to ``status`` then."""

    def make(status="submitted", departure=T0 + timedelta(days=5), **extra):
        with clock.travel_to(T0):
            return make_escort(status, planned_departure=departure, **extra)

    return make


@pytest.fixture
def six_hour_clause(tree):
    agreement = Agreement.objects.create(code="pks-sla", title="PKS", region=tree["kaltim"],
                                         signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13), status="active")
    return Clause.objects.create(agreement=agreement, number=4, title="Pengawalan", text="...", category="escort",
                                 expectation_kind="within_hours", evidence_kind="escort", expectation_value=6)


def test_not_accepted_after_24_hours_when_the_clause_sets_no_lead_time(escort_at):
    escort = escort_at("submitted")
    assert escort.clause_id is None
    assert check(T0 + timedelta(hours=24) - MINUTE) == 0
    assert alerts(escort) == set()
    assert check(T0 + timedelta(hours=24) + MINUTE) == 1
    assert alerts(escort) == {AlertCondition.NOT_ACCEPTED}


def test_not_accepted_within_the_hours_of_its_clause(escort_at, six_hour_clause):
    escort = escort_at("submitted", clause=six_hour_clause)
    without = escort_at("submitted")
    # The agreement's escort clause is every new request's default: this one is raised without.
    EscortRequest.objects.filter(pk=without.pk).update(clause=None)
    assert check(T0 + timedelta(hours=6) - MINUTE) == 0
    assert check(T0 + timedelta(hours=6) + MINUTE) == 1
    assert alerts(escort) == {AlertCondition.NOT_ACCEPTED} and alerts(without) == set()
    # The request with no clause keeps the 24 hours.
    assert check(T0 + timedelta(hours=24) - MINUTE) == 0
    assert check(T0 + timedelta(hours=24) + MINUTE) == 1
    assert alerts(without) == {AlertCondition.NOT_ACCEPTED}


def test_a_clause_of_another_kind_keeps_the_24_hours(escort_at, six_hour_clause):
    Clause.objects.filter(pk=six_hour_clause.pk).update(expectation_kind="every_days")
    escort_at("submitted", clause=six_hour_clause)
    assert check(T0 + timedelta(hours=7)) == 0
    assert check(T0 + timedelta(hours=24) + MINUTE) == 1


def test_not_accepted_48_hours_before_departure_when_that_comes_first(escort_at):
    escort = escort_at("submitted", departure=T0 + timedelta(hours=50))
    assert check(T0 + timedelta(hours=2) - MINUTE) == 0
    assert check(T0 + timedelta(hours=2) + MINUTE) == 1
    assert alerts(escort) == {AlertCondition.NOT_ACCEPTED}


def test_accepted_in_time_raises_nothing(escort_at):
    escort = escort_at("accepted")
    assert check(T0 + timedelta(days=3)) == 0
    assert alerts(escort) == set()


def test_not_departed_at_the_planned_time(escort_at):
    escort = escort_at("assigned", departure=T0 + timedelta(hours=3))
    assert check(T0 + timedelta(hours=3) - MINUTE) == 0
    assert check(T0 + timedelta(hours=3) + MINUTE) == 1
    assert alerts(escort) == {AlertCondition.NOT_DEPARTED}


def test_not_arrived_by_the_planned_arrival_plus_the_grace(escort_at):
    escort = escort_at("departed", departure=T0 + timedelta(hours=1))
    due = escort.planned_arrival + arrival_grace()
    assert check(due - MINUTE) == 0
    assert check(due + MINUTE) == 1
    assert alerts(escort) == {AlertCondition.NOT_ARRIVED}


def test_arrived_in_time_raises_nothing(escort_at):
    escort = escort_at("arrived", departure=T0 + timedelta(hours=1))
    assert check(T0 + timedelta(days=2)) == 0
    assert alerts(escort) == set()


def test_each_alert_goes_once_to_both_agencies_and_nobody_else(escort_at, personas):
    escort = escort_at("submitted", departure=T0 + timedelta(hours=30))
    late = T0 + timedelta(hours=31)  # not accepted, and not departed either
    assert check(late) == 2
    assert alerts(escort) == {AlertCondition.NOT_ACCEPTED, AlertCondition.NOT_DEPARTED}
    both = ["samarinda_operator", "samarinda_police"]
    assert told(AlertCondition.NOT_ACCEPTED) == both
    assert told(AlertCondition.NOT_DEPARTED) == both
    # A second run, a retried task or the next beat: nothing new, nobody told twice.
    assert check(late) == 0
    assert check(late + timedelta(hours=1)) == 0
    assert told() == sorted(both * 2)
    for outsider in ("balikpapan_operator", "province_staff", "province_police", "observer", "secretariat"):
        assert outsider not in told()
    notice = Notification.objects.filter(kind="logistics.sla", recipient=personas["samarinda_police"]).first()
    assert escort.number in notice.subject and escort.number in notice.body
    assert notice.url == f"/logistics/escorts/{escort.pk}/"
    alert = EscortAlert.objects.get(escort=escort, condition=AlertCondition.NOT_ACCEPTED)
    assert Notification.objects.filter(dedupe_key=f"logistics.sla:{alert.pk}:{personas['samarinda_police'].pk}"
                                       ).exists()


def test_the_notice_reads_in_the_recipients_language(escort_at, personas):
    type(personas["samarinda_police"]).objects.filter(pk=personas["samarinda_police"].pk).update(language="en")
    escort = escort_at("assigned", departure=T0 + timedelta(hours=3))
    check(T0 + timedelta(hours=4))
    notice = Notification.objects.get(kind="logistics.sla", recipient=personas["samarinda_police"])
    assert notice.subject == f"Escort {escort.number}: Not departed at the planned time"
    assert "05/02/2024 11:00 WITA" in notice.body


def test_the_periodic_task_runs_the_check(escort_at):
    escort = escort_at("assigned", departure=T0 + timedelta(hours=3))
    with clock.travel_to(T0 + timedelta(hours=4)):
        assert check_escort_slas.delay().get() == 1
        assert check_escort_slas.delay().get() == 0  # idempotent: a doubled beat writes nothing twice
    assert alerts(escort) == {AlertCondition.NOT_DEPARTED}


def test_the_beat_runs_the_check_every_few_minutes():
    from kpu_polda.celery import app

    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "logistics.tasks.check_escort_slas")
    assert entry["schedule"] <= 15 * 60


# --- a fixed number of queries ---------------------------------------------------------------

N = 3
CEILING = 35  # measured: 34 (one clause read, then per condition: candidates, alerts, recipients, preferences, outbox)


def _late_escorts(make_escort, start, count):
    """``count`` escorts of each kind late at ``start`` + 10 hours: submitted (not accepted,
    not departed), assigned (not departed) and under way (not arrived)."""
    with clock.travel_to(start):
        departure = start + timedelta(hours=1)
        return [make_escort(status, planned_departure=departure)
                for status in ("submitted", "assigned", "departed") for _ in range(count)]


def test_the_check_costs_the_same_at_n_and_2n_late_escorts(make_escort, django_assert_max_num_queries):
    ContentType.objects.get_for_model(EscortRequest)  # the outbox's target type, cached by Django
    counts = []
    for start, count in ((T0, N), (T0 + timedelta(days=1), 2 * N)):
        _late_escorts(make_escort, start, count)
        with django_assert_max_num_queries(CEILING), CaptureQueriesContext(connection) as captured:
            raised = check(start + timedelta(hours=10))
        assert raised == 4 * count  # two alerts for each submitted escort, one for each other
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{counts[0]} queries at N late escorts, {counts[1]} at 2N"
    assert len(told()) == 2 * 4 * 3 * N  # both agencies, every alert


def test_a_backlog_larger_than_a_chunk_is_read_in_chunks(escort_at, monkeypatch):
    from logistics.services import alerts as module

    monkeypatch.setattr(module, "CHUNK", 2)
    escorts = [escort_at("assigned", departure=T0 + timedelta(hours=1)) for _ in range(5)]
    assert check(T0 + timedelta(hours=2)) == 5
    assert all(alerts(escort) == {AlertCondition.NOT_DEPARTED} for escort in escorts)
