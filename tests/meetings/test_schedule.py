"""Series, recurrence and the meeting workflow."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from coordination.models import ClauseEvidence
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied, TransitionNotAllowed
from meetings import services
from meetings.choices import MeetingStatus
from meetings.models import Meeting, MeetingStatusChange

from .conftest import wita

pytestmark = pytest.mark.django_db


def test_a_monthly_series_creates_the_meetings_within_its_horizon(monthly):
    starts = [m.starts_at for m in monthly.meetings.order_by("starts_at")]
    # 92 days from 5 Feb: the first Mondays of March, April and May.
    assert starts == [wita(2024, 3, 4), wita(2024, 4, 1), wita(2024, 5, 6)]
    first = monthly.meetings.order_by("starts_at").first()
    assert first.ends_at - first.starts_at == timedelta(minutes=120)
    assert first.area_code == "64" and first.status == MeetingStatus.SCHEDULED
    assert set(first.invitations.values_list("agency__code", flat=True)) == {"kpu-kaltim", "polda-kaltim"}


def test_extending_again_creates_nothing_and_the_horizon_moves_on(monthly, now):
    assert services.series_extend(series=monthly) == []
    with clock.travel_to(now + timedelta(days=40)):
        created = services.series_extend(series=monthly)
        assert [m.starts_at for m in created] == [wita(2024, 6, 3)]
        assert services.series_extend(series=monthly) == []


def test_a_moved_occurrence_is_not_created_again(monthly, personas, now):
    april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
    services.meeting_postpone(actor=personas["province_police"], meeting=april, starts_at=wita(2024, 4, 2),
                              ends_at=wita(2024, 4, 2, 11), reason="Bertepatan dengan rapat pleno")
    services.series_extend(series=monthly)
    assert monthly.meetings.filter(occurrence=wita(2024, 4, 1)).count() == 1


@pytest.mark.parametrize(("rule", "until", "message"), [
    ("FREQ=MONTHLY;BYDAY=1MO", None, "never ends"),
    ("FREQ=HOURLY;COUNT=5000", None, "more than 120"),
    ("FREQ=DAILY", date(2030, 1, 1), "more than 120"),
    ("FREQ=SOMETIMES;COUNT=2", None, "Not a recurrence rule"),
    ("FREQ=MONTHLY;BYDAY=XX;COUNT=2", None, "Not a recurrence rule"),
    ("FREQ=MONTHLY;COUNT=3;UNTIL=20240101T000000Z", None, "not both"),
    ("FREQ=MINUTELY;BYSECOND=70;COUNT=2", None, "Not a recurrence rule"),
    ("FREQ=MONTHLY;BYDAY=+60MO;COUNT=2", None, "Not a recurrence rule"),
])
def test_bad_rules_are_refused_with_nothing_saved(now, agencies, personas, rule, until, message):
    with pytest.raises(ValidationError) as caught:
        services.series_create(actor=personas["province_staff"], title="Rakor", rrule=rule,
                               first_start=wita(2024, 3, 4), until=until, organiser=agencies["kpu"], place="Aula")
    assert message in " ".join(caught.value.message_dict["rrule"])
    assert not Meeting.objects.exists()


def test_an_until_in_utc_and_a_last_date_both_end_a_rule(now):
    assert len(services.recurrence("FREQ=WEEKLY;UNTIL=20240325T000000Z", wita(2024, 3, 4))) == 3
    assert len(services.recurrence("FREQ=WEEKLY", wita(2024, 3, 4), until=date(2024, 3, 18))) == 3


def test_end_before_start_and_no_place_are_field_errors(now, agencies, personas):
    base = {"actor": personas["province_staff"], "title": "Rakor", "organiser": agencies["kpu"]}
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(**base, starts_at=wita(2024, 3, 4, 10), ends_at=wita(2024, 3, 4, 9), place="Aula")
    assert "ends_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(**base, starts_at=wita(2024, 3, 4, 9), ends_at=wita(2024, 3, 4, 10))
    assert "place" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(**base, starts_at=wita(2024, 3, 4, 9), ends_at=wita(2024, 3, 4, 10), place="Aula",
                                reminder_offsets=[1])
    assert "reminder_offsets" in caught.value.message_dict
    assert not Meeting.objects.exists()


def test_only_the_organising_agencies_schedule_and_move(now, agencies, personas, monthly):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=personas["samarinda_operator"], title="Rakor", organiser=agencies["kpu"],
                                starts_at=wita(2024, 3, 4), ends_at=wita(2024, 3, 4, 11), place="Aula")
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    with pytest.raises(OutOfScope):  # a Samarinda office neither sees nor moves the province's meeting
        services.meeting_cancel(actor=personas["samarinda_operator"], meeting=march, reason="x")
    with pytest.raises(PermissionDenied):  # an observer of the province reads but does not arrange
        services.meeting_cancel(actor=personas["observer"], meeting=march, reason="x")


def test_the_workflow_records_each_move_and_holding_counts_for_the_clause(now, monthly, personas,
                                                                          meeting_clause):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    with pytest.raises(Conflict):
        services.meeting_hold(actor=personas["province_staff"], meeting=march)
    with clock.travel_to(wita(2024, 3, 4, 9, 30)):
        held = services.meeting_hold(actor=personas["province_staff"], meeting=march)
        assert held.status == MeetingStatus.HELD and held.held_at is not None
        with pytest.raises(TransitionNotAllowed):
            services.meeting_cancel(actor=personas["province_staff"], meeting=march, reason="terlambat")
    change = MeetingStatusChange.objects.get(meeting=march)
    assert (change.from_status, change.to_status, change.changed_by) == ("scheduled", "held",
                                                                          personas["province_staff"])
    assert march.history.count() >= 2
    # Evidence for the routine-meeting clause: requested when scheduled, fulfilled when held.
    evidence = ClauseEvidence.objects.get(source_id=march.pk, clause=meeting_clause)
    assert evidence.kind == "meeting" and evidence.fulfilled_at == held.held_at


def test_cancel_and_postpone_need_a_reason(now, monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=personas["province_staff"], meeting=march, reason=" ")
    with pytest.raises(ValidationError):
        services.meeting_postpone(actor=personas["province_staff"], meeting=march, starts_at=wita(2024, 3, 5),
                                  ends_at=wita(2024, 3, 5, 11), reason="")
    with pytest.raises(ValidationError):
        services.meeting_postpone(actor=personas["province_staff"], meeting=march, starts_at=wita(2024, 2, 1),
                                  ends_at=wita(2024, 2, 1, 11), reason="mundur")
    assert Meeting.objects.get(pk=march.pk).status == MeetingStatus.SCHEDULED
