"""Reference and demo data: Kaltim's elections, agencies, demo accounts and a
deterministic set of Pemilu 2024 polling stations. Every function is idempotent."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from coordination.choices import AccessMode, AgencyKind, ElectionKind, RegionKind, RegionLevel, Role
from coordination.models import Agency, Election, PollingStation, Region, User
from kpu_polda.base.exceptions import DomainError

ELECTIONS = [
    {
        "code": "pemilu-2024",
        "name": "Pemilu 2024",
        "kind": ElectionKind.GENERAL,
        "voting_day": "2024-02-14",
        "max_voters_per_tps": 300,
        "source": "PKPU 3/2022",
    },
    {
        "code": "pilkada-2024",
        "name": "Pemilihan Serentak 2024",
        "kind": ElectionKind.REGIONAL,
        "voting_day": "2024-11-27",
        "max_voters_per_tps": 600,
        "source": "PKPU 2/2024",
    },
]

# code slug, Kemendagri code, police unit. Polres names beyond those seen in sources follow
# the usual pattern (DOMAIN.md marks them uncertain); the secretariat can correct them.
REGENCIES = [
    ("paser", "64.01", "Polres Paser"),
    ("kukar", "64.02", "Polres Kutai Kartanegara"),
    ("berau", "64.03", "Polres Berau"),
    ("kubar", "64.07", "Polres Kutai Barat"),
    ("kutim", "64.08", "Polres Kutai Timur"),
    ("ppu", "64.09", "Polres Penajam Paser Utara"),
    ("mahulu", "64.11", "Polres Mahakam Ulu"),
    ("balikpapan", "64.71", "Polresta Balikpapan"),
    ("samarinda", "64.72", "Polresta Samarinda"),
    ("bontang", "64.74", "Polres Bontang"),
]

DEMO_USERS = [
    # username, first name, role, agency code, staff
    ("sekretariat", "Sekretariat KPU Kaltim", Role.SECRETARIAT, "kpu-kaltim", True),
    ("kpu.kaltim", "Staf KPU Kaltim", Role.KPU_STAFF, "kpu-kaltim", False),
    ("polda.kaltim", "Perwira Polda Kaltim", Role.POLICE_OFFICER, "polda-kaltim", False),
    ("kpu.samarinda", "Operator KPU Samarinda", Role.REGIONAL_OFFICE, "kpu-samarinda", False),
    ("polresta.samarinda", "Perwira Polresta Samarinda", Role.POLICE_OFFICER, "polres-samarinda", False),
    ("kpu.mahulu", "Operator KPU Mahakam Ulu", Role.REGIONAL_OFFICE, "kpu-mahulu", False),
    ("polres.mahulu", "Perwira Polres Mahakam Ulu", Role.POLICE_OFFICER, "polres-mahulu", False),
    ("bawaslu.kaltim", "Pemantau Bawaslu Kaltim", Role.OBSERVER, "bawaslu-kaltim", False),
]

# Pemilu 2024 TPS per kab/kota where a source gives it (DOMAIN.md section 5); the rest of
# Kaltim's 11,441 is spread in proportion to each one's Pilkada 2024 TPS count.
PEMILU_2024_TPS_TOTAL = 11_441
PEMILU_2024_DPT_TOTAL = 2_778_644
KNOWN_TPS = {"64.07": 532, "64.09": 542, "64.72": 2_565}
PILKADA_TPS = {"64.01": 484, "64.02": 1_443, "64.03": 469, "64.08": 701, "64.11": 77, "64.71": 998, "64.74": 277}
SPECIAL_TPS = {"64.72": 15, "64.09.04": 2}  # Samarinda's loksus; the IKN site in Sepaku
SEA_DISTRICTS = {"Maratua", "Pulau Derawan"}


def elections_seed(*, actor: User) -> int:
    """Create the two 2024 elections if missing; returns how many were created."""
    created = 0
    for data in ELECTIONS:
        if not Election.objects.filter(code=data["code"]).exists():
            election = Election(**data)
            election._history_user = actor
            election.save()
            created += 1
    return created


def _agency(actor: User, code: str, **values) -> tuple[Agency, bool]:
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return agency, False
    agency = Agency(code=code, **values)
    agency._history_user = actor
    agency.save()
    return agency, True


@transaction.atomic
def agencies_seed(*, actor: User) -> int:
    """Create KPU Kaltim and its 10 KPU kab/kota, Polda Kaltim and its 10 Polres/Polresta,
    Bawaslu Kaltim, Kodam VI/Mulawarman and Pemprov Kaltim, each KPU office paired with
    its police counterpart. Existing agencies are left as the secretariat edited them."""
    regions = {r.code: r for r in Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])}
    if "64" not in regions:
        raise DomainError("Load the regions first (manage.py load_regions).")
    province = regions["64"]
    created = 0
    polda, new = _agency(
        actor,
        "polda-kaltim",
        name="Kepolisian Daerah Kalimantan Timur",
        short_name="Polda Kaltim",
        kind=AgencyKind.POLRI,
        jurisdiction=province,
    )
    created += new
    kpu, new = _agency(
        actor,
        "kpu-kaltim",
        name="KPU Provinsi Kalimantan Timur",
        short_name="KPU Kaltim",
        kind=AgencyKind.KPU,
        jurisdiction=province,
        counterpart=polda,
    )
    created += new
    for code, name, short, kind in [
        ("bawaslu-kaltim", "Bawaslu Provinsi Kalimantan Timur", "Bawaslu Kaltim", AgencyKind.BAWASLU),
        ("kodam-vi-mulawarman", "Komando Daerah Militer VI/Mulawarman", "Kodam VI/Mulawarman", AgencyKind.TNI),
        ("pemprov-kaltim", "Pemerintah Provinsi Kalimantan Timur", "Pemprov Kaltim", AgencyKind.PEMDA),
    ]:
        created += _agency(actor, code, name=name, short_name=short, kind=kind, jurisdiction=province)[1]
    for slug, region_code, police_name in REGENCIES:
        region = regions[region_code]
        police, new = _agency(
            actor,
            f"polres-{slug}",
            name=police_name,
            short_name=police_name,
            kind=AgencyKind.POLRI,
            jurisdiction=region,
            parent=polda,
        )
        created += new
        label = "Kota" if region.kind == RegionKind.KOTA else "Kabupaten"
        place = region.name.removeprefix(f"{label} ")
        created += _agency(
            actor,
            f"kpu-{slug}",
            name=f"KPU {label} {place}",
            short_name=f"KPU {place}",
            kind=AgencyKind.KPU,
            jurisdiction=region,
            parent=kpu,
            counterpart=police,
        )[1]
    return created


@transaction.atomic
def demo_users_seed(*, actor: User) -> int:
    """Create the demo accounts with DEMO_PASSWORD. Refused where demo data is not allowed
    (production settings). Existing accounts keep their password."""
    if not settings.DEMO_DATA_ALLOWED:
        raise DomainError("Demo accounts are refused in production settings.")
    agencies = {a.code: a for a in Agency.objects.filter(code__in={row[3] for row in DEMO_USERS})}
    created = 0
    for username, first_name, role, agency_code, staff in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            first_name=first_name,
            role=role,
            agency=agencies[agency_code],
            is_staff=staff,
            is_superuser=staff,
        )
        user.set_password(settings.DEMO_PASSWORD)
        user._history_user = actor
        user.save()
        created += 1
    return created


def _allocate(total: int, weights: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Split ``total`` over ``weights`` by largest remainder, each key at least ``minimum``."""
    base = {key: minimum for key in weights}
    rest = total - minimum * len(weights)
    weight_sum = sum(weights.values())
    shares = {key: rest * weight / weight_sum for key, weight in weights.items()}
    for key, share in shares.items():
        base[key] += int(share)
    leftover = total - sum(base.values())
    for key in sorted(shares, key=lambda k: (-(shares[k] - int(shares[k])), k))[:leftover]:
        base[key] += 1
    return base


def _tps_per_regency() -> dict[str, int]:
    remaining = PEMILU_2024_TPS_TOTAL - sum(KNOWN_TPS.values())
    return {**KNOWN_TPS, **_allocate(remaining, PILKADA_TPS)}


@transaction.atomic
def demo_polling_stations_generate(*, actor: User, election_code: str = "pemilu-2024") -> int:
    """Generate Kaltim's 11,441 Pemilu 2024 TPS over the villages, deterministically.

    Per kab/kota the count follows the sources (or is proportional to Pilkada 2024 where
    none is published); within one, kelurahan get three times a desa's share. Voters add up
    to the official DPT of 2,778,644 with at most 300 per TPS. Mahakam Ulu is reached by
    river, Berau's island districts by sea. Does nothing when the election already has
    TPS; returns the number created.
    """
    election = Election.objects.get(code=election_code)
    if election.polling_stations.exists():
        return 0
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent").order_by("code"))
    by_regency: dict[str, list[Region]] = defaultdict(list)
    for village in villages:
        by_regency[village.code[:5]].append(village)

    stations: list[PollingStation] = []
    for regency_code, count in sorted(_tps_per_regency().items()):
        members = by_regency[regency_code]
        weights = {v.code: 3.0 if v.kind == RegionKind.KELURAHAN else 1.0 for v in members}
        per_village = _allocate(count, weights, minimum=1)
        for village in members:
            rng = random.Random(village.code)
            district = village.parent.name
            if regency_code == "64.11":
                mode, remote, minutes = AccessMode.RIVER, True, (360, 720)
            elif district in SEA_DISTRICTS:
                mode, remote, minutes = AccessMode.SEA, True, (120, 360)
            elif regency_code == "64.07" and rng.random() < 0.3:
                mode, remote, minutes = AccessMode.RIVER, True, (240, 480)
            else:
                mode, remote, minutes = AccessMode.ROAD, False, (15, 240)
            for number in range(1, per_village[village.code] + 1):
                jitter_lat, jitter_lon = (Decimal(rng.randint(-800, 800)) / 100000 for _ in range(2))
                stations.append(
                    PollingStation(
                        election=election,
                        village=village,
                        number=number,
                        address=f"TPS {number:03d} {village.name}",
                        voters=rng.randint(185, 300),
                        access_mode=mode,
                        is_remote=remote,
                        travel_minutes=rng.randint(*minutes),
                        latitude=village.latitude + jitter_lat if village.latitude is not None else None,
                        longitude=village.longitude + jitter_lon if village.longitude is not None else None,
                    )
                )
    _match_voter_total(stations, PEMILU_2024_DPT_TOTAL, election.max_voters_per_tps)
    _mark_special(stations)
    bulk_create_with_history(stations, PollingStation, batch_size=1000, default_user=actor)
    return len(stations)


def _match_voter_total(stations: list[PollingStation], target: int, cap: int) -> None:
    difference = target - sum(s.voters for s in stations)
    step = 1 if difference > 0 else -1
    while difference:
        for station in stations:
            if difference == 0:
                break
            if (step > 0 and station.voters < cap) or (step < 0 and station.voters > 1):
                station.voters += step
                difference -= step


def _mark_special(stations: list[PollingStation]) -> None:
    for prefix, count in SPECIAL_TPS.items():
        # The last TPS of the first villages in the area: stable whatever the seed order.
        last_in_village: dict[str, PollingStation] = {}
        for station in stations:
            if station.village.code.startswith(prefix + "."):
                last_in_village[station.village.code] = station
        for code in sorted(last_in_village)[:count]:
            last_in_village[code].is_special_location = True


# --- agreement, stages, risks (issue: agreement and clause health, stages, risks) -----

IKP_SOURCE = "https://mediakaltim.com/bawaslu-beber-ikp-jelang-pemilu-2024-kaltim-urutan-ke-5-rawan-pelanggaran/?amp"
THRESHOLD_SOURCE = "https://alinea.id/amp/daerah/upaya-polri-jaga-kamtibmas-kalimantan-tengah-saat-pemilu-b2iaR9Ppx"
PATTERN_SOURCE_2024 = (
    "https://benuanta.co.id/index.php/2024/02/11/polisi-petakan-pola-pam-tps-wilayah-sangat-rawan-"
    "terapkan-2-1-2/134515/14/01/15/"
)
PATTERN_SOURCE_2019 = (
    "https://independensi.com/2019/04/16/polri-turunjan-271-880-personel-dan-16-juta-linmas-untuk-"
    "amankan-tps-saat-pencoblosan"
)
# N of 2-N-2N for kurang rawan TPS, set per Polres. Demo values within the reported 3-16.
KURANG_RAWAN_N = {"polres-samarinda": 5, "polres-balikpapan": 6, "polres-mahulu": 3, "polres-kubar": 4}


def reference_seed(*, actor: User) -> dict[str, int]:
    """Stages, the agreement, IKP thresholds and Kaltim's IKP, and the security patterns
    (2024 with Polres overrides, and 2019's for the record). Idempotent."""
    from datetime import date

    from coordination.choices import IkpDimension, PolriClass, RegionLevel
    from coordination.models import IkpDimensionScore, IkpScore, IkpThreshold, SecurityPattern

    from .agreements import agreement_load_json
    from .stages import stages_import_csv
    from .vulnerability import ikp_category_for

    counts = {"stages": stages_import_csv(actor=actor).created}
    agreement_load_json(actor=actor)
    with transaction.atomic():
        for level, high, medium in [(RegionLevel.PROVINCE, "68.50", "21.70"), (RegionLevel.REGENCY, "49.33", "13.47")]:
            if not IkpThreshold.objects.filter(level=level).exists():
                row = IkpThreshold(
                    level=level,
                    valid_from=date(2022, 12, 16),
                    high_from=Decimal(high),
                    medium_from=Decimal(medium),
                    source=THRESHOLD_SOURCE,
                )
                row._history_user = actor
                row.save()
        if not IkpScore.objects.exists():
            # Written directly: seeding is not a person acting within a region's policy.
            kaltim, published = Region.objects.get(code="64"), date(2022, 12, 20)
            ikp = IkpScore(
                region=kaltim,
                election=Election.objects.get(code="pemilu-2024"),
                score=Decimal("77.04"),
                published_on=published,
                source=IKP_SOURCE,
                method_version="IKP 2024",
                category=ikp_category_for(kaltim, Decimal("77.04"), published),
            )
            ikp._history_user = actor
            ikp.save()
            for dimension, value in [
                (IkpDimension.SOCIAL_POLITICAL, "72.70"),
                (IkpDimension.ADMINISTRATION, "100"),
                (IkpDimension.PARTICIPATION, "30.92"),
                (IkpDimension.CONTESTATION, None),
            ]:
                IkpDimensionScore.objects.create(ikp=ikp, dimension=dimension, score=Decimal(value) if value else None)
        if not SecurityPattern.objects.exists():
            patterns = [
                (PolriClass.LOW, 2, 8, 16, None),
                (PolriClass.VULNERABLE, 2, 2, 4, None),
                (PolriClass.VERY_VULNERABLE, 2, 1, 2, None),
                (PolriClass.SPECIAL, 2, 1, 2, None),
            ]
            for cls, police, tps, linmas, unit in patterns:
                SecurityPattern.objects.create(
                    polri_class=cls,
                    police=police,
                    tps=tps,
                    linmas=linmas,
                    police_unit=unit,
                    valid_from=date(2023, 10, 17),
                    source=PATTERN_SOURCE_2024,
                )
            for code, n in KURANG_RAWAN_N.items():
                SecurityPattern.objects.create(
                    polri_class=PolriClass.LOW,
                    police=2,
                    tps=n,
                    linmas=2 * n,
                    police_unit=Agency.objects.get(code=code),
                    valid_from=date(2023, 10, 17),
                    source="demo value (N set per Polres)",
                )
            for cls, police, tps, linmas in [
                (PolriClass.LOW, 2, 4, 6),
                (PolriClass.VULNERABLE, 4, 2, 8),
                (PolriClass.VERY_VULNERABLE, 6, 2, 8),
            ]:
                SecurityPattern.objects.create(
                    polri_class=cls,
                    police=police,
                    tps=tps,
                    linmas=linmas,
                    valid_from=date(2019, 1, 1),
                    valid_to=date(2019, 12, 31),
                    source=PATTERN_SOURCE_2019,
                )
            counts["patterns"] = SecurityPattern.objects.count()
    return counts


@transaction.atomic
def demo_tps_classify(*, actor: User, election_code: str = "pemilu-2024") -> int:
    """Give every demo TPS a Polri class and indicator flags, deterministically: special
    locations are khusus; river and sea TPS rawan (one in four sangat rawan); a few
    urban TPS rawan for money politics; the rest kurang rawan. Does nothing when any TPS
    of the election is already classified."""
    from datetime import date

    from coordination.choices import PolriClass
    from coordination.models import TpsVulnerability

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
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from coordination.models import Clause, ClauseEvidence, ElectionStage, RiskAssessment, RiskReview

    if RiskAssessment.objects.exists():
        return 0
    stages = {s.code: s for s in ElectionStage.objects.filter(election__code="pemilu-2024")}
    regions = {r.code: r for r in Region.objects.filter(code__in={row[1] for row in DEMO_RISKS})}
    agencies = {a.code: a for a in Agency.objects.all()}
    for code, region, category, title, likelihood, impact, status, owner in DEMO_RISKS:
        risk = RiskAssessment(
            stage=stages[code],
            region=regions[region],
            category=category,
            title=title,
            likelihood=likelihood,
            impact=impact,
            status=status,
            owner=agencies[owner],
            mitigation="Rapat koordinasi KPU-Polres dan patroli gabungan (demo).",
            due_on=stages[code].ends_on,
        )
        risk._history_user = actor
        risk.save()
        RiskReview.objects.create(
            risk=risk,
            reviewed_by=actor,
            likelihood=likelihood,
            impact=impact,
            reviewed_at=timezone.make_aware(datetime.combine(stages[code].starts_on, datetime.min.time())),
            note="Penilaian awal (demo).",
        )

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
