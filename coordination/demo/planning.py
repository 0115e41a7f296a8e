"""Demo planning data: Polri classes for the demo TPS, demo risks with their reviews,
and dated evidence for the agreement's clauses. Idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from coordination import services
from coordination.choices import AccessMode, PolriClass, RiskStatus
from coordination.models import (
    Agency,
    Clause,
    ClauseEvidence,
    ElectionStage,
    PollingStation,
    Region,
    RiskAssessment,
    TpsVulnerability,
    User,
)
from kpu_polda.base import clock
from kpu_polda.base.history import bulk_create_with_history


@transaction.atomic
def demo_tps_classify(*, actor: User, election_code: str = "pemilu-2024") -> int:
    """Give every demo TPS a Polri class and indicator flags, deterministically: special
    locations are khusus; river and sea TPS rawan (one in four sangat rawan); a few
    urban TPS rawan for money politics; the rest kurang rawan. Does nothing when any TPS
    of the election is already classified."""
    if TpsVulnerability.objects.filter(polling_station__election__code=election_code).exists():
        return 0
    rows = []
    for station in PollingStation.objects.filter(election__code=election_code).select_related("village"):
        rng = random.Random(f"{station.village.code}/{station.number}")
        flags = {
            "voter_rights": rng.random() < 0.3,
            "power_internet": station.is_remote and rng.random() < 0.7,
            "location": station.is_remote or station.is_special_location,
        }
        if station.is_special_location:
            cls = PolriClass.SPECIAL
        elif station.access_mode in (AccessMode.RIVER, AccessMode.SEA):
            cls = PolriClass.VERY_VULNERABLE if rng.random() < 0.25 else PolriClass.VULNERABLE
            flags["logistics"] = True
        elif rng.random() < 0.06:
            cls = PolriClass.VULNERABLE
            flags["campaign"] = True
        else:
            cls = PolriClass.LOW
        rows.append(
            TpsVulnerability(
                polling_station=station,
                polri_class=cls,
                assessed_on=date(2024, 2, 5),
                evidence="Pemetaan TPS rawan (demo)",
                **flags,
            )
        )
    bulk_create_with_history(rows, TpsVulnerability, batch_size=1000, default_user=actor)
    return len(rows)


DEMO_RISKS = [
    # stage code, region, category, title, likelihood, impact, status, owner
    (
        "3b",
        "64",
        "geography",
        "Verifikasi faktual sulit menjangkau pengurus di wilayah yang luas",
        4,
        3,
        "closed",
        "kpu-kaltim",
    ),
    (
        "7",
        "64.72",
        "money_politics",
        "Politik uang di permukiman padat Samarinda",
        4,
        4,
        "mitigating",
        "polres-samarinda",
    ),
    ("7", "64.72.05", "disinformation", "Hoaks di grup percakapan menjelang debat", 3, 3, "open", "kpu-samarinda"),
    (
        "9a",
        "64.11",
        "logistics",
        "Distribusi logistik lewat riam Udang dan riam Panjang",
        5,
        5,
        "open",
        "polres-mahulu",
    ),
    ("9a", "64.11.04", "weather", "Debit sungai tinggi di Long Apari", 4, 4, "open", "polres-mahulu"),
    ("9a", "64.07", "geography", "Kecamatan Bongan 6-8 jam speedboat", 4, 3, "mitigating", "polres-kubar"),
    ("9a", "64.09.04", "security", "TPS khusus di kawasan IKN Sepaku", 3, 4, "open", "polres-ppu"),
    ("9c", "64.71", "social_conflict", "Pengerahan massa saat rekapitulasi PPK", 2, 4, "open", "polres-balikpapan"),
    ("9a", "64.03", "power_internet", "Gangguan sinyal untuk unggah C.Hasil di pulau", 4, 2, "open", "kpu-berau"),
    ("2", "64.02", "voter_data", "Pemilih TMS di DPT Kutai Kartanegara", 3, 3, "closed", "kpu-kukar"),
]


@transaction.atomic
def demo_risks_and_evidence(*, actor: User) -> int:
    """Demo risks (the seed article's factual-verification case first) with a review
    each, and dated evidence for the agreement's clauses. Does nothing if risks exist."""
    if RiskAssessment.objects.exists():
        return 0
    stages = {s.code: s for s in ElectionStage.objects.filter(election__code="pemilu-2024")}
    regions = {r.code: r for r in Region.objects.filter(code__in={row[1] for row in DEMO_RISKS})}
    agencies = {a.code: a for a in Agency.objects.all()}
    # The province's KPU staff records, reviews and moves the demo risks through the same
    # services as the pages, each on a plausible day, so every status has its trail.
    assessor = User.objects.get(username="kpu.kaltim")
    for code, region, category, title, likelihood, impact, status, owner in DEMO_RISKS:
        stage = stages[code]
        start = timezone.make_aware(datetime.combine(stage.starts_on, time(9)))
        with clock.travel_to(start):
            risk = services.risk_create(
                actor=assessor, stage=stage, region=regions[region], category=category, title=title,
                likelihood=likelihood, impact=impact, owner=agencies[owner],
                mitigation="Rapat koordinasi KPU-Polres dan patroli gabungan (demo).", due_on=stage.ends_on,
            )
            services.risk_review(actor=assessor, risk=risk, likelihood=likelihood, impact=impact,
                                 note="Penilaian awal (demo).")
        if status != RiskStatus.OPEN:
            with clock.travel_to(start + timedelta(days=7)):
                services.risk_transition(actor=assessor, risk=risk, to_status=status,
                                         reason="Mitigasi berjalan (demo)." if status == RiskStatus.MITIGATING
                                         else "Tahapan selesai tanpa gangguan (demo).")

    clauses = {
        c.evidence_kind: c
        for c in Clause.objects.filter(agreement__code="pks-kpu-polda-kaltim-2023").exclude(evidence_kind="")
    }
    province = Region.objects.get(code="64")
    evidence = []
    meeting_day = date(2023, 3, 27)
    while meeting_day <= date(2024, 2, 5):  # rakor evaluasi roughly every four weeks
        evidence.append(
            ClauseEvidence(
                clause=clauses["meeting"],
                kind="meeting",
                occurred_on=meeting_day,
                region=province,
                description="Rapat koordinasi evaluasi tahapan (demo)",
            )
        )
        meeting_day += timedelta(days=28)
    for month in range(4, 13):
        evidence.append(
            ClauseEvidence(
                clause=clauses["information_exchange"],
                kind="information_exchange",
                occurred_on=date(2023, month, 10),
                region=province,
                description="Pertukaran data kerawanan (demo)",
            )
        )
    for code in ("2", "6", "7"):
        evidence.append(
            ClauseEvidence(
                clause=clauses["training"],
                kind="training",
                occurred_on=max(stages[code].starts_on, date(2023, 3, 20)),  # after the signing
                stage=stages[code],
                region=province,
                description="Pelatihan bersama (demo)",
            )
        )
    wita = timezone.get_fixed_timezone(8 * 60)
    # Three escort requests answered in time, and one made on the demo's first morning
    # that is still waiting (the clause shows "at risk" until it is answered).
    for day, hours in [
        (date(2024, 1, 10), 6),
        (date(2024, 1, 15), 20),
        (date(2024, 2, 2), 3),
        (date(2024, 2, 8), None),
    ]:
        requested = datetime.combine(day, datetime.min.time(), tzinfo=wita).replace(hour=7)
        evidence.append(
            ClauseEvidence(
                clause=clauses["escort"],
                kind="escort",
                occurred_on=day,
                region=province,
                requested_at=requested,
                fulfilled_at=requested + timedelta(hours=hours) if hours else None,
                description="Permintaan pengawalan logistik (demo)",
            )
        )
    for row in evidence:
        row.recorded_by = actor
    bulk_create_with_history(evidence, ClauseEvidence, default_user=actor)
    return len(DEMO_RISKS)
