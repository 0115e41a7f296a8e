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
