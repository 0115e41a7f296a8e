import datetime

import factory

from coordination.choices import AgencyKind, ElectionKind, RegionKind, RegionLevel, Role
from coordination.models import Agency, Election, PollingStation, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "64"
    name = factory.Sequence(lambda n: f"Wilayah {n}")
    level = RegionLevel.PROVINCE
    kind = RegionKind.PROVINSI
    latitude = 0.5
    longitude = 116.5


def region(code: str, name: str | None = None, **extra) -> Region:
    """A region and, implicitly, the parents its code names."""
    parts = code.split(".")
    level = [RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE][len(parts) - 1]
    kind = {
        RegionLevel.PROVINCE: RegionKind.PROVINSI,
        RegionLevel.REGENCY: RegionKind.KOTA if parts[-1].startswith("7") else RegionKind.KABUPATEN,
        RegionLevel.DISTRICT: RegionKind.KECAMATAN,
        RegionLevel.VILLAGE: RegionKind.KELURAHAN if parts[-1].startswith("1") else RegionKind.DESA,
    }[level]
    parent = region(".".join(parts[:-1])) if len(parts) > 1 else None
    defaults = {"level": level, "kind": kind, "parent": parent, **extra}
    if name:
        defaults["name"] = name
    return RegionFactory(code=code, **defaults)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        django_get_or_create = ["code"]

    code = "pemilu-2024"
    name = "Pemilu 2024"
    kind = ElectionKind.GENERAL
    voting_day = datetime.date(2024, 2, 14)
    max_voters_per_tps = 300


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    election = factory.SubFactory(ElectionFactory)
    village = factory.LazyFunction(lambda: region("64.72.01.1001", "Karang Mumus"))
    number = factory.Sequence(lambda n: n + 1)
    voters = 250
    address = factory.LazyAttribute(lambda o: f"TPS {o.number:03d}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.LazyAttribute(lambda o: o.code.upper())
    short_name = factory.LazyAttribute(lambda o: o.code)
    kind = AgencyKind.KPU
    jurisdiction = factory.LazyFunction(lambda: region("64"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username)
    role = Role.OBSERVER
    password = factory.django.Password("kata-sandi-uji-123")


def stage(election, code, starts, ends=None, parent=None, **extra):
    from coordination.models import ElectionStage

    return ElectionStage.objects.create(
        election=election, code=code, name=extra.pop("name", f"Tahapan {code}"), starts_on=starts, ends_on=ends,
        parent=parent, end_rule=extra.pop("end_rule", "" if ends else "menurut putusan MK"), **extra,
    )


def assessor() -> User:
    """The account factories act as when a test names no actor: it may write everywhere."""
    return UserFactory(username="factory-assessor", role=Role.SECRETARIAT, is_superuser=True)


def risk(stage_obj, region_obj, *, status: str = "open", actor: User | None = None, **extra):
    """A risk recorded through the service; a status other than open is reached through
    the transition service, so its trail and history name the actor like real ones."""
    from coordination import services

    actor = actor or assessor()
    values = {"category": "security", "title": "Risiko", "likelihood": 3, "impact": 3, **extra}
    created = services.risk_create(actor=actor, stage=stage_obj, region=region_obj, **values)
    if status != "open":
        created = services.risk_transition(actor=actor, risk=created, to_status=status, reason="(factory)")
    return created


def agreement(region_obj, *, status: str = "draft", parties=(), actor: User | None = None, **extra):
    """An agreement as the secretariat records it: created as a draft, then moved to
    ``status`` through the transition service (so its trail names the actor)."""
    from coordination import services
    from coordination.models import Agreement

    actor = actor or assessor()
    values = {"code": "pks", "title": "PKS", "signed_on": datetime.date(2023, 3, 13),
              "term_start": datetime.date(2023, 3, 13), **extra}
    row = Agreement.objects.create(region=region_obj, **values)
    row.parties.set(parties)
    path = {"draft": [], "active": ["active"], "expired": ["active", "expired"], "terminated": ["terminated"]}[status]
    for step in path:
        row = services.agreement_transition(actor=actor, agreement=row, to_status=step,
                                            reason="(factory)" if step == "terminated" else "")
    return row


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of ``pages`` blank A4 pages, as a scanner would upload it."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


ESCORT_STEPS_TO = {
    # The decisions and confirmations that bring a new request to each status.
    "submitted": [],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "assigned": ["accept", "assign"],
    "departed": ["accept", "assign", "depart"],
    "arrived": ["accept", "assign", "depart", "arrive"],
    "handed_over": ["accept", "assign", "depart", "arrive", "handover-escort", "handover-receipt"],
    "closed": ["accept", "assign", "depart", "arrive", "handover-escort", "handover-receipt", "close"],
    "cancelled": ["cancel"],
}
ASSIGNMENT = {"commander_name": "Iptu Budi Santoso", "commander_nrp": "85010123", "personnel_count": 4,
              "vehicles": "2 mobil patroli"}


def escort_request(*, election, destination, kpu, police=None, status: str = "submitted", items=None, **extra):
    """An escort request raised through the service by ``kpu`` to a TPS (``destination``),
    then moved to ``status`` by the steps real people take (``police`` takes the police
    steps), so its trail, chain and history are those of a real escort."""
    from datetime import timedelta

    from django.utils import timezone

    from logistics import services
    from logistics.choices import ESCORT_STEPS, Side

    departure = extra.pop("planned_departure", timezone.now() + timedelta(days=2))
    values = {
        "origin_kind": "warehouse", "origin_name": "Gudang KPU", "origin_region": destination.village.parent.parent,
        "destination_kind": "tps", "destination_tps": destination, "planned_departure": departure,
        "planned_arrival": departure + timedelta(hours=3),
        "items": items if items is not None else [
            {"kind": "ballot_president", "quantity": 204, "unit": "lembar"},
            {"kind": "ballot_box", "quantity": 5, "unit": "buah", "seal_numbers": "S-001 S-002"},
        ],
        **extra,
    }
    row = services.escort_request_create(actor=kpu, election=election, **values)
    for action in ESCORT_STEPS_TO[status]:
        step = ESCORT_STEPS[action]
        actor = police if step.side == Side.POLICE else kpu
        if step.event:
            counts = {item.pk: item.quantity for item in row.items.all()}
            seals = " ".join(s for item in row.items.all() for s in item.seals)
            row = services.custody_confirm(actor=actor, escort=row, action=action, counts=counts,
                                           seals_intact=True, seals_seen=seals).escort
        else:
            row = services.escort_decide(actor=actor, escort=row, action=action, reason="(factory)",
                                         **(ASSIGNMENT if action == "assign" else {}))
    return row
