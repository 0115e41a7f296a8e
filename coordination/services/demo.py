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
    {"code": "pemilu-2024", "name": "Pemilu 2024", "kind": ElectionKind.GENERAL, "voting_day": "2024-02-14",
     "max_voters_per_tps": 300, "source": "PKPU 3/2022"},
    {"code": "pilkada-2024", "name": "Pemilihan Serentak 2024", "kind": ElectionKind.REGIONAL,
     "voting_day": "2024-11-27", "max_voters_per_tps": 600, "source": "PKPU 2/2024"},
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
    polda, new = _agency(actor, "polda-kaltim", name="Kepolisian Daerah Kalimantan Timur", short_name="Polda Kaltim",
                         kind=AgencyKind.POLRI, jurisdiction=province)
    created += new
    kpu, new = _agency(actor, "kpu-kaltim", name="KPU Provinsi Kalimantan Timur", short_name="KPU Kaltim",
                       kind=AgencyKind.KPU, jurisdiction=province, counterpart=polda)
    created += new
    for code, name, short, kind in [
        ("bawaslu-kaltim", "Bawaslu Provinsi Kalimantan Timur", "Bawaslu Kaltim", AgencyKind.BAWASLU),
        ("kodam-vi-mulawarman", "Komando Daerah Militer VI/Mulawarman", "Kodam VI/Mulawarman", AgencyKind.TNI),
        ("pemprov-kaltim", "Pemerintah Provinsi Kalimantan Timur", "Pemprov Kaltim", AgencyKind.PEMDA),
    ]:
        created += _agency(actor, code, name=name, short_name=short, kind=kind, jurisdiction=province)[1]
    for slug, region_code, police_name in REGENCIES:
        region = regions[region_code]
        police, new = _agency(actor, f"polres-{slug}", name=police_name, short_name=police_name,
                              kind=AgencyKind.POLRI, jurisdiction=region, parent=polda)
        created += new
        label = "Kota" if region.kind == RegionKind.KOTA else "Kabupaten"
        place = region.name.removeprefix(f"{label} ")
        created += _agency(actor, f"kpu-{slug}", name=f"KPU {label} {place}", short_name=f"KPU {place}",
                           kind=AgencyKind.KPU, jurisdiction=region, parent=kpu, counterpart=police)[1]
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
        user = User(username=username, first_name=first_name, role=role, agency=agencies[agency_code],
                    is_staff=staff, is_superuser=staff)
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
                stations.append(PollingStation(
                    election=election, village=village, number=number,
                    address=f"TPS {number:03d} {village.name}",
                    voters=rng.randint(185, 300), access_mode=mode, is_remote=remote,
                    travel_minutes=rng.randint(*minutes),
                    latitude=village.latitude + jitter_lat if village.latitude is not None else None,
                    longitude=village.longitude + jitter_lon if village.longitude is not None else None,
                ))
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
