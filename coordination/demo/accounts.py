"""Kaltim's two 2024 elections, its KPU, Polri and partner agencies, and the demo
accounts. Every function is idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from coordination.choices import AgencyKind, ElectionKind, RegionKind, RegionLevel, Role
from coordination.models import Agency, Election, Region, User
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

DEMO_USERNAMES = frozenset(row[0] for row in DEMO_USERS)


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
