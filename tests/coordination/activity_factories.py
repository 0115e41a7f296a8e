"""Trainings, facilitations and peace declarations built through their services, and the
province's agreement with the two clauses they carry out."""

from __future__ import annotations

from datetime import date, timedelta

from coordination.models import Clause, Training
from coordination.services import activities as services
from kpu_polda.base import clock
from tests.factories import agreement, pdf_bytes


def clauses(tree) -> dict[str, Clause]:
    """The province's active agreement with a capacity-building and a stakeholder-
    facilitation clause (the ones activities in every region default to)."""
    pks = agreement(tree["kaltim"], status="active", code="pks-aktivitas")
    made = {}
    for number, category, kind in [(7, "capacity_building", "training"),
                                   (4, "stakeholder_facilitation", "stakeholder_facilitation")]:
        made[category] = Clause.objects.create(agreement=pks, number=number, title=category, text="...",
                                               category=category, expectation_kind="per_stage", evidence_kind=kind,
                                               expectation_value=1)
    return made


def training(agencies, personas, *, where="samarinda", starts_in=timedelta(days=3), hours=6, actor=None,
             status="planned", **extra) -> Training:
    """A training of KPU Samarinda with Polresta Samarinda (or, ``where="province"``, of
    KPU Kaltim with Polda Kaltim), starting ``starts_in`` from now; held or cancelled
    through the services."""
    from coordination.models import Region

    if where == "province":
        organiser, co_organiser, area = agencies["kpu"], agencies["polda"], Region.objects.get(code="64")
        actor = actor or personas["province_staff"]
    else:
        organiser, co_organiser, area = agencies["kpu_samarinda"], agencies["polresta"], \
            Region.objects.get(code="64.72")
        actor = actor or personas["samarinda_operator"]
    starts = clock.now() + starts_in
    values = {"title": "Bimtek pengawalan logistik", "kind": "bimtek", "place": "Aula KPU", **extra}
    row = services.training_create(actor=actor, organiser=organiser, co_organiser=co_organiser, area=area,
                                   starts_at=starts, ends_at=starts + timedelta(hours=hours), **values)
    if status == "held":
        row = services.training_hold(actor=actor, training=row, evaluation_score=80)
    elif status == "cancelled":
        row = services.training_cancel(actor=actor, training=row, reason="Bentrok jadwal")
    return row


def facilitation(agencies, personas, *, actor=None, days_ago=2, **extra):
    from coordination.models import Region

    values = {"title": "Silaturahmi tokoh agama", "place": "Aula Polresta", "stakeholders": "Tokoh agama, tim kampanye",
              "outcome": "Sepakat kampanye damai", **extra}
    return services.facilitation_create(actor=actor or personas["samarinda_police"], facilitator=agencies["polresta"],
                                        kpu_office=agencies["kpu_samarinda"], area=Region.objects.get(code="64.72"),
                                        held_at=clock.now() - timedelta(days=days_ago), **values)


SIGNATORIES = [
    {"party": "Partai Kebangkitan Bangsa (PKB)", "representative": "Ketua DPW PKB Kaltim"},
    {"party": "Partai Gerindra", "representative": "Ketua DPD Gerindra Kaltim", "position": "Ketua DPD"},
]


def declaration(personas, *, where="samarinda", actor=None, signatories=SIGNATORIES, **extra):
    from coordination.models import Region

    code = "64" if where == "province" else "64.72"
    actor = actor or personas["province_staff" if where == "province" else "samarinda_operator"]
    values = {"title": "Deklarasi pemilu damai", "event": "Apel siaga", "signed_on": date(2023, 11, 27),
              "place": "Lapangan", **extra}
    return services.declaration_create(actor=actor, area=Region.objects.get(code=code), signatories=signatories,
                                       **values)


def pdf_upload(name="deklarasi.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
