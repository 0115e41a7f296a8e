"""The meetings demo: the monthly KPU-Polda evaluation meeting since March 2023, as it
stands at the demo clock. Every step is taken through the services at the moment of the
demo timeline it belongs to (clock.travel_to), so trails, minutes and follow-ups read as
real ones. Reminders of meetings already past at the demo clock are recorded as sent
then: the demo starts with a quiet outbox, not a year of late emails. Not a domain
service; idempotent (the series is created once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coordination.models import Agency, Notification, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError

from . import services
from .models import Meeting, MeetingSeries

SERIES_TITLE = "Rapat Evaluasi Rutin KPU - Polda Kalimantan Timur"
PLACE = "Aula Kantor KPU Provinsi Kalimantan Timur, Jl. Basuki Rahmat, Samarinda"
CHAIR = "Ketua KPU Provinsi Kalimantan Timur"


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute), timezone.get_default_timezone())


@dataclass(frozen=True)
class Outcome:
    """What one held meeting of the demo recorded: its discussion, decisions, obstacles
    (each with the follow-up agreed on it: owner agency code, due date, status)."""

    topic: str
    discussion: str
    decisions: str
    obstacles: tuple[tuple[str, str, str, date, str], ...] = ()


OUTCOMES = {
    date(2023, 3, 6): Outcome(
        "Evaluasi verifikasi faktual dukungan calon anggota DPD",
        "Tim verifikasi faktual menempuh 6-7 jam perjalanan sungai ke desa-desa di Mahakam Ulu; "
        "dua kunjungan tertunda karena debit air Sungai Mahakam.",
        "Verifikasi faktual susulan dijadwalkan dengan pengawalan Polres Mahakam Ulu.",
        (("Jarak dan akses verifikasi faktual ke desa terpencil di Mahakam Ulu",
          "Tim berangkat H-1 dengan longboat dan pengawalan Polres Mahakam Ulu", "polres-mahulu",
          date(2023, 3, 20), "done"),)),
    date(2023, 6, 5): Outcome(
        "Evaluasi pencocokan dan penelitian (coklit) data pemilih",
        "Petugas pantarlih di wilayah perbatasan Mahakam Ulu kesulitan sinyal untuk mengunggah hasil coklit.",
        "Data coklit wilayah tanpa sinyal direkap manual dan diantar ke PPK setiap pekan.",
        (("Tidak ada sinyal di wilayah perbatasan untuk unggah data coklit",
          "Rekap manual dan pengantaran berkala ke PPK", "kpu-mahulu", date(2023, 6, 30), "done"),)),
    date(2023, 11, 6): Outcome(
        "Evaluasi masa kampanye dan kerawanan",
        "Polda memaparkan pemetaan TPS rawan; KPU memaparkan jadwal distribusi logistik.",
        "Disepakati rakor pengamanan distribusi logistik sebelum Februari 2024.",
        (("Pemetaan TPS rawan belum dipadukan dengan jadwal distribusi logistik",
          "Polda dan KPU memadukan data TPS rawan dengan rencana distribusi", "polda-kaltim",
          date(2024, 1, 31), "in_progress"),)),
    date(2024, 1, 8): Outcome(
        "Evaluasi persiapan distribusi logistik Pemilu 2024",
        "Distribusi ke Mahakam Ulu bergantung pada debit air; jalur riam di Long Bagun berisiko.",
        "Logistik Mahakam Ulu diberangkatkan H-6 dengan pengawalan Brimob.",
        (("Riam Sungai Mahakam berisiko bagi kapal logistik ke Long Apari",
          "Pemberangkatan H-6, kapal cadangan dan pengawalan Brimob", "polda-kaltim", date(2024, 2, 6), "open"),
         ("Gudang PPK di Long Pahangai belum memenuhi standar penyimpanan",
          "Sewa gudang sementara dan penjagaan 24 jam", "kpu-mahulu", date(2024, 2, 20), "open"))),
}


def _people() -> dict[str, User]:
    users = {u.username: u for u in User.objects.select_related("agency").filter(
        username__in=["kpu.kaltim", "polda.kaltim"])}
    if len(users) < 2:
        raise DomainError("Load coordination's demo first (manage.py seed_demo).")
    return users


def _hold_and_write(meeting: Meeting, people: dict[str, User], agencies: dict[str, Agency], approve_both: bool):
    kpu, police = people["kpu.kaltim"], people["polda.kaltim"]
    outcome = OUTCOMES.get(timezone.localtime(meeting.starts_at).date()) or Outcome(
        "Evaluasi pelaksanaan tahapan bulan berjalan",
        "Para pihak menyampaikan perkembangan tahapan dan pengamanan di wilayah masing-masing.",
        "Koordinasi dilanjutkan pada rapat bulan berikutnya.")
    with clock.travel_to(meeting.starts_at + timedelta(hours=2, minutes=30)):
        meeting = services.meeting_hold(actor=kpu, meeting=meeting)
        services.attendance_record(actor=kpu, meeting=meeting, rows=[
            {"agency": agencies["kpu-kaltim"], "person": kpu, "position": "Kepala Bagian Teknis"},
            {"agency": agencies["kpu-kaltim"], "name": CHAIR, "position": "Ketua"},
            {"agency": agencies["polda-kaltim"], "person": police, "position": "Kabag Ops Biro Operasi"},
        ])
        minutes = services.minutes_start(actor=kpu, meeting=meeting, chair_name=CHAIR)
        minutes = services.minutes_update(
            actor=kpu, minutes=minutes, opening="Rapat dibuka oleh pimpinan rapat pukul 09.05 WITA.",
            decisions=outcome.decisions, closing="Rapat ditutup pukul 11.20 WITA.",
            entries=[{"topic": outcome.topic, "speaker": "Kabag Ops Polda Kaltim", "discussion": outcome.discussion}],
            obstacles=[{"description": text, "proposed_solution": solution}
                       for text, solution, _owner, _due, _status in outcome.obstacles])
        minutes = services.minutes_submit(actor=kpu, minutes=minutes)
        obstacles = list(minutes.obstacles.order_by("id"))
        actions = []
        for obstacle, (_text, solution, owner, due, _status) in zip(obstacles, outcome.obstacles, strict=True):
            action = services.action_item_create(actor=kpu, meeting=meeting, title=solution,
                                                 owner_agency=agencies[owner], due_on=due, obstacle=obstacle)
            actions.append(action)
    with clock.travel_to(meeting.starts_at + timedelta(days=1)):
        services.minutes_approve(actor=kpu, minutes=minutes)
        if approve_both:
            services.minutes_approve(actor=police, minutes=minutes)
    for action, (*_rest, due, status) in zip(actions, outcome.obstacles, strict=True):
        if status != "open":
            with clock.travel_to(at(due.year, due.month, due.day, 15)):
                services.action_item_move(actor=police if action.owner_agency.kind == "polri" else kpu,
                                          action=action, to_status=status)


def demo_now() -> datetime:
    """The demo clock's start (Makefile's CLOCK_START), where the demo's story stands: the
    seed runs on real time, so it is named here, as the logistics demo names its days."""
    return at(2024, 2, 8, 9)


def demo_meetings_seed() -> int:
    """Create the demo's series and meetings and take each past one through its steps;
    returns how many meetings were created (0 when the series is already there)."""
    if not settings.DEMO_DATA_ALLOWED:
        raise DomainError("Demo data is refused in production settings.")
    if MeetingSeries.objects.filter(title=SERIES_TITLE).exists():
        return 0
    people = _people()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["kpu-kaltim", "polda-kaltim", "kpu-mahulu",
                                                                   "polres-mahulu", "bawaslu-kaltim"])}
    now = demo_now()
    with transaction.atomic():
        with clock.travel_to(at(2023, 3, 1, 10)):
            series = services.series_create(
                actor=people["kpu.kaltim"], title=SERIES_TITLE, rrule="FREQ=MONTHLY;BYDAY=1MO;UNTIL=20241231T000000Z",
                first_start=at(2023, 3, 6), organiser=agencies["kpu-kaltim"], co_organiser=agencies["polda-kaltim"],
                place=PLACE, invited_agencies=[agencies["kpu-kaltim"], agencies["polda-kaltim"],
                                               agencies["bawaslu-kaltim"]])
            services.meeting_update(actor=people["kpu.kaltim"], meeting=series.meetings.order_by("starts_at").first(),
                                    notulis=people["kpu.kaltim"])
        month = date(2023, 4, 1)
        while at(month.year, month.month, 1) < now:
            with clock.travel_to(at(month.year, month.month, 1, 10)):
                for meeting in services.series_extend(series=series):
                    services.meeting_update(actor=people["kpu.kaltim"], meeting=meeting, notulis=people["kpu.kaltim"])
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        # New Year's Day 2024 is the first Monday: the meeting moved a week on.
        new_year = series.meetings.filter(starts_at=at(2024, 1, 1)).first()
        if new_year is not None:
            with clock.travel_to(at(2023, 12, 27, 10)):
                services.meeting_postpone(actor=people["kpu.kaltim"], meeting=new_year, starts_at=at(2024, 1, 8),
                                          ends_at=at(2024, 1, 8, 11), reason="Libur Tahun Baru 2024")
        past = list(series.meetings.filter(starts_at__lt=now - timedelta(hours=3)).order_by("starts_at"))
        for index, meeting in enumerate(past):
            # The latest meeting's minutes still wait for the police's approval at the demo clock.
            _hold_and_write(meeting, people, agencies, approve_both=index < len(past) - 1)
        with clock.travel_to(now - timedelta(days=1)):
            services.meeting_create(
                actor=people["polda.kaltim"], title="Rakor Pengamanan Distribusi Logistik Pemilu 2024",
                kind="coordination", starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2),
                organiser=agencies["polda-kaltim"], co_organiser=agencies["kpu-kaltim"],
                place="Gedung Mahakam, Mapolda Kalimantan Timur, Balikpapan",
                invited_agencies=[agencies["kpu-kaltim"], agencies["polda-kaltim"], agencies["kpu-mahulu"],
                                  agencies["polres-mahulu"]], notulis=people["polda.kaltim"])
        # What fell due before the demo clock went out at the time.
        Notification.objects.filter(due_at__lt=now, sent_at=None, cancelled_at=None,
                                    kind__in=["meeting_reminder", "meeting_moved", "minutes_due",
                                              "minutes_approval", "action_due", "action_overdue"]
                                    ).update(sent_at=F("due_at"))
    return Meeting.objects.count()
