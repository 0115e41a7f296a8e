"""Notulen: written, approved by one representative of each party, locked, amended; the
obstacle's follow-up carried onto the next meeting's agenda; the attendance."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coordination.models import Notification
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, PermissionDenied
from meetings import services
from meetings.choices import APPROVAL_KIND, MINUTES_DUE_KIND, AgendaSource
from meetings.models import ActionItem, AgendaItem, Amendment, Obstacle

from .conftest import wita

pytestmark = pytest.mark.django_db


def clock_at(moment):
    """Run the test's own steps at ``moment`` (after the meeting and its minutes)."""
    def decorate(test):
        import functools

        @functools.wraps(test)
        def run(*args, **kwargs):
            with clock.travel_to(moment):
                return test(*args, **kwargs)
        return run
    return decorate


@pytest.fixture
def held(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    march = services.meeting_update(actor=personas["province_police"], meeting=march,
                                    notulis=personas["province_staff"])
    with clock.travel_to(wita(2024, 3, 4, 11)):
        return services.meeting_hold(actor=personas["province_staff"], meeting=march)


def write(held, personas):
    with clock.travel_to(wita(2024, 3, 4, 12)):
        minutes = services.minutes_start(actor=personas["province_staff"], meeting=held,
                                         chair_name="Ketua KPU Provinsi Kalimantan Timur")
        minutes = services.minutes_update(
            actor=personas["province_staff"], minutes=minutes, opening="Rapat dibuka pukul 09.05 WITA.",
            decisions="Pengawalan tim verifikasi faktual ke Mahakam Ulu dijadwalkan ulang.",
            entries=[{"topic": "Verifikasi faktual", "speaker": "Kabag Ops Polda",
                      "discussion": "Jarak tempuh ke Long Apari 6-7 jam lewat sungai."}],
            obstacles=[{"description": "Jarak tempuh verifikasi faktual ke desa terpencil",
                        "proposed_solution": "Tim berangkat H-1 dengan pengawalan Polres Mahakam Ulu"}])
        return services.minutes_submit(actor=personas["province_staff"], minutes=minutes)


def test_minutes_are_approved_by_both_parties_and_then_locked(held, personas):
    minutes = write(held, personas)
    assert Notification.objects.filter(kind=APPROVAL_KIND, cancelled_at=None).exists()
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=personas["observer"], minutes=minutes)
    minutes = services.minutes_approve(actor=personas["province_staff"], minutes=minutes)
    assert minutes.kpu_approved_by == personas["province_staff"] and not minutes.is_locked
    with pytest.raises(Conflict) as twice:
        services.minutes_approve(actor=personas["secretariat"], minutes=minutes)
    assert twice.value.code == "already_approved"
    # The KPU side's reminders stopped; the police side's still wait.
    pending = Notification.objects.filter(kind=APPROVAL_KIND, cancelled_at=None, sent_at=None)
    assert set(pending.values_list("recipient__username", flat=True)) == {"province_police"}
    minutes = services.minutes_approve(actor=personas["province_police"], minutes=minutes)
    assert minutes.is_locked and minutes.police_approved_by == personas["province_police"]
    assert not pending.exists()
    with pytest.raises(Conflict) as locked:
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, decisions="Lain")
    assert locked.value.code == "minutes_locked"


@clock_at(wita(2024, 3, 5))
def test_locked_minutes_are_corrected_by_amendments_with_a_reason(held, personas):
    minutes = write(held, personas)
    for who in ("province_staff", "province_police"):
        minutes = services.minutes_approve(actor=personas[who], minutes=minutes)
    with pytest.raises(ValidationError):
        services.minutes_amend(actor=personas["province_staff"], minutes=minutes, reason="",
                               decisions="Dijadwalkan ulang ke 11 Maret.")
    made = services.minutes_amend(actor=personas["province_staff"], minutes=minutes, reason="Salah ketik tanggal",
                                  decisions="Dijadwalkan ulang ke 11 Maret.")
    assert [(a.field, a.after, a.reason) for a in made] == [("decisions", "Dijadwalkan ulang ke 11 Maret.",
                                                            "Salah ketik tanggal")]
    assert made[0].before.startswith("Pengawalan tim")
    assert Amendment.objects.count() == 1
    latest = minutes.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Salah ketik tanggal" and latest.decisions.startswith("Dijadwalkan")


def test_editing_after_one_approval_withdraws_it(held, personas):
    minutes = write(held, personas)
    minutes = services.minutes_approve(actor=personas["province_police"], minutes=minutes)
    minutes = services.minutes_update(actor=personas["province_staff"], minutes=minutes, decisions="Diubah")
    assert minutes.police_approved_at is None and minutes.police_approved_by is None


def test_minutes_need_a_held_meeting_and_decisions_before_approval(monthly, held, personas):
    april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
    with pytest.raises(Conflict):
        services.minutes_start(actor=personas["province_staff"], meeting=april)
    with clock.travel_to(wita(2024, 3, 4, 12)):
        minutes = services.minutes_start(actor=personas["province_staff"], meeting=held)
        with pytest.raises(ValidationError):
            services.minutes_submit(actor=personas["province_staff"], minutes=minutes)
        with pytest.raises(Conflict):
            services.minutes_approve(actor=personas["province_staff"], minutes=minutes)
        with pytest.raises(ValidationError):
            services.minutes_update(actor=personas["province_staff"], minutes=minutes,
                                    obstacles=[{"description": "Jarak", "proposed_solution": ""}])
    assert not Obstacle.objects.exists()


def test_the_notulis_is_reminded_until_the_minutes_are_started(held, personas):
    due = Notification.objects.filter(kind=MINUTES_DUE_KIND, recipient=personas["province_staff"])
    assert due.get().due_at == wita(2024, 3, 6, 11)
    write(held, personas)
    assert due.get().cancelled_at is not None


def test_an_obstacles_follow_up_goes_onto_the_next_agenda_until_closed(monthly, held, personas, agencies):
    minutes = write(held, personas)
    obstacle = minutes.obstacles.get()
    with clock.travel_to(wita(2024, 3, 4, 13)):
        action = services.action_item_create(
            actor=personas["province_staff"], meeting=held, title=obstacle.proposed_solution,
            owner_agency=agencies["polda"], owner=personas["province_police"], due_on=date(2024, 3, 25),
            obstacle=obstacle)
        assert action.obstacle == obstacle
        april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
        with pytest.raises(ValidationError) as elsewhere:  # the obstacle of another meeting
            services.action_item_create(actor=personas["province_staff"], meeting=april, title="Lain",
                                        owner_agency=agencies["polda"], due_on=date(2024, 4, 20), obstacle=obstacle)
        assert "obstacle" in elsewhere.value.message_dict
    april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
    carried = AgendaItem.objects.get(meeting=april, source=AgendaSource.ACTION_ITEM)
    assert carried.action_item == action and carried.presenter == "Polda Kaltim"
    # Seeding again carries it once.
    assert services.agenda_seed(meeting=april, actor=personas["province_staff"]) == 0
    with pytest.raises(PermissionDenied):
        services.action_item_move(actor=personas["observer"], action=action, to_status="done")
    services.action_item_move(actor=personas["province_police"], action=action, to_status="done")
    assert not AgendaItem.objects.filter(meeting=april, action_item=action).exists()


def test_attendance_per_agency_and_person(held, personas, agencies):
    with clock.travel_to(wita(2024, 3, 4, 12)):
        rows = services.attendance_record(actor=personas["province_staff"], meeting=held, rows=[
            {"agency": agencies["kpu"], "person": personas["province_staff"], "position": "Kasubbag Teknis"},
            {"agency": agencies["polda"], "name": "AKBP Rahmat", "position": "Kabag Ops"},
        ])
        assert [r.name for r in rows] == ["province_staff", "AKBP Rahmat"]
        with pytest.raises(ValidationError) as caught:
            services.attendance_record(actor=personas["province_staff"], meeting=held, rows=[
                {"agency": agencies["polda"], "person": personas["province_staff"]}])
        assert "rows[0].person" in caught.value.message_dict
        with pytest.raises(ValidationError) as twice:
            services.attendance_record(actor=personas["province_staff"], meeting=held, rows=[
                {"agency": agencies["kpu"], "person": personas["province_staff"], "name": "Siti"},
                {"agency": agencies["kpu"], "person": personas["province_staff"], "name": "Bu Siti"}])
        assert "rows" in twice.value.message_dict
    assert held.attendance.count() == 2


def test_saving_again_keeps_an_obstacle_a_follow_up_stands_on_once(held, personas, agencies):
    minutes = write(held, personas)
    obstacle = minutes.obstacles.get()
    with clock.travel_to(wita(2024, 3, 4, 13)):
        action = services.action_item_create(actor=personas["province_staff"], meeting=held, title="Berangkat H-1",
                                             owner_agency=agencies["polda"], due_on=date(2024, 3, 25),
                                             obstacle=obstacle)
        sent = [{"description": obstacle.description, "proposed_solution": obstacle.proposed_solution},
                {"description": "Sinyal lemah di perbatasan", "proposed_solution": "Telepon satelit"}]
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, obstacles=sent)
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, obstacles=sent)
    assert sorted(minutes.obstacles.values_list("description", flat=True)) == [
        "Jarak tempuh verifikasi faktual ke desa terpencil", "Sinyal lemah di perbatasan"]
    assert ActionItem.objects.get(pk=action.pk).obstacle_id == obstacle.pk


def test_risks_whose_level_changed_since_the_last_meeting_are_carried_onto_the_agenda(
        monthly, held, personas, election, tree):
    from coordination import services as ground
    from tests.factories import risk, stage

    phase = stage(election, "9", date(2024, 2, 14), date(2024, 3, 20))
    with clock.travel_to(wita(2024, 3, 1)):  # before the March meeting
        rising = risk(phase, tree["samarinda"], title="Kerawanan distribusi", likelihood=2, impact=2)
        steady = risk(phase, tree["samarinda"], title="Cuaca", likelihood=4, impact=4)
    with clock.travel_to(wita(2024, 3, 10)):  # between March and April
        ground.risk_review(actor=personas["province_staff"], risk=rising, likelihood=4, impact=4,
                           note="Jalan longsor")
        ground.risk_review(actor=personas["province_staff"], risk=steady, likelihood=4, impact=4, note="Tetap")
        april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
        services.agenda_seed(meeting=april, actor=personas["province_staff"])
    carried = AgendaItem.objects.filter(meeting=april, source=AgendaSource.RISK)
    assert [item.risk for item in carried] == [rising]
    assert "Kerawanan distribusi" in carried.get().title
