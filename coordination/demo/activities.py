"""Demo data of joint trainings, stakeholder facilitation and peace declarations.

The peace declaration is the one reported on 13 March 2023 (SOURCE): signed at the KPU
Kaltim hall after the KPU Kaltim - Polda Kaltim cooperation agreement. Only the names the
report gives are written; for everyone else the position stands as the representative.
The trainings and facilitations are illustrative ("(demo)"), recorded by the demo
accounts through the services on the days they would have been, so their history and
the clauses' evidence read like real ones."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coordination.models import Agency, PeaceDeclaration, Region, StakeholderFacilitation, Training, User
from coordination.services import activities as services
from kpu_polda.base import clock

SOURCE = ("https://kaltim.antaranews.com/berita/181053/"
          "kpu-kaltim-perkuat-kerja-sama-dengan-polda-sukseskan-tahapan-pemilu-2024")
DECLARATION_TITLE = "Deklarasi Pemilu Damai 2024 Kalimantan Timur"

# The 18 national parties of Pemilu 2024 in ballot order: (name, the provincial leader's
# position, standing for the representative; the report names none of them).
PARTIES = [
    ("Partai Kebangkitan Bangsa (PKB)", "Ketua DPW PKB Kaltim"),
    ("Partai Gerakan Indonesia Raya (Gerindra)", "Ketua DPD Partai Gerindra Kaltim"),
    ("Partai Demokrasi Indonesia Perjuangan (PDI Perjuangan)", "Ketua DPD PDI Perjuangan Kaltim"),
    ("Partai Golongan Karya (Golkar)", "Ketua DPD Partai Golkar Kaltim"),
    ("Partai NasDem", "Ketua DPW Partai NasDem Kaltim"),
    ("Partai Buruh", "Ketua Partai Buruh Kaltim"),
    ("Partai Gelombang Rakyat Indonesia (Gelora)", "Ketua DPW Partai Gelora Kaltim"),
    ("Partai Keadilan Sejahtera (PKS)", "Ketua DPW PKS Kaltim"),
    ("Partai Kebangkitan Nusantara (PKN)", "Ketua PKN Kaltim"),
    ("Partai Hati Nurani Rakyat (Hanura)", "Ketua DPD Partai Hanura Kaltim"),
    ("Partai Garda Republik Indonesia (Garuda)", "Ketua Partai Garuda Kaltim"),
    ("Partai Amanat Nasional (PAN)", "Ketua DPW PAN Kaltim"),
    ("Partai Bulan Bintang (PBB)", "Ketua DPW PBB Kaltim"),
    ("Partai Demokrat", "Ketua DPD Partai Demokrat Kaltim"),
    ("Partai Solidaritas Indonesia (PSI)", "Ketua DPW PSI Kaltim"),
    ("Partai Persatuan Indonesia (Perindo)", "Ketua DPW Partai Perindo Kaltim"),
    ("Partai Persatuan Pembangunan (PPP)", "Ketua DPW PPP Kaltim"),
    ("Partai Ummat", "Ketua DPW Partai Ummat Kaltim"),
]


def _wita(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_fixed_timezone(8 * 60))


@transaction.atomic
def _declaration(agencies: dict[str, Agency]) -> int:
    if PeaceDeclaration.objects.filter(title=DECLARATION_TITLE, signed_on=date(2023, 3, 13)).exists():
        return 0
    signatories = [
        {"party": "Pemerintah Provinsi Kalimantan Timur", "representative": "Isran Noor",
         "position": "Gubernur Kalimantan Timur", "agency": agencies.get("pemprov-kaltim")},
        {"party": "Kepolisian Daerah Kalimantan Timur", "representative": "Irjen Pol Imam Sugianto",
         "position": "Kapolda Kaltim", "agency": agencies.get("polda-kaltim")},
        {"party": "Kodam VI/Mulawarman", "representative": "Pangdam VI/Mulawarman",
         "position": "Pangdam VI/Mulawarman", "agency": agencies.get("kodam-vi-mulawarman")},
        {"party": "Bawaslu Provinsi Kalimantan Timur", "representative": "Ketua Bawaslu Kaltim",
         "position": "Ketua Bawaslu Kaltim", "agency": agencies.get("bawaslu-kaltim")},
        {"party": "KPU Provinsi Kalimantan Timur", "representative": "Rudiansyah",
         "position": "Ketua KPU Provinsi Kalimantan Timur", "agency": agencies.get("kpu-kaltim")},
        *({"party": party, "representative": position, "position": position} for party, position in PARTIES),
    ]
    with clock.travel_to(_wita(date(2023, 3, 13), 14)):
        services.declaration_create(
            actor=User.objects.get(username="sekretariat"), title=DECLARATION_TITLE,
            event="Penandatanganan perjanjian kerja sama KPU Provinsi Kalimantan Timur dan Polda Kalimantan Timur",
            signed_on=date(2023, 3, 13), place="Aula KPU Provinsi Kalimantan Timur, Samarinda",
            area=Region.objects.get(code="64"), source=SOURCE, signatories=signatories,
            summary=("Usai penandatanganan perjanjian kerja sama KPU Kaltim dan Polda Kaltim untuk menyukseskan "
                     "tahapan Pemilu 2024, Gubernur, Kapolda, Pangdam VI/Mulawarman, Ketua Bawaslu, Ketua KPU "
                     "Kaltim dan pimpinan provinsi 18 partai politik peserta Pemilu 2024 menandatangani deklarasi "
                     "pemilu damai."))
    return 1


@transaction.atomic
def _held_bimtek(agencies: dict[str, Agency]) -> int:
    title = "Bimtek pengawalan logistik Pemilu 2024 KPU Samarinda dan Polresta Samarinda (demo)"
    if Training.objects.filter(title=title).exists():
        return 0
    kpu, police = User.objects.get(username="kpu.samarinda"), User.objects.get(username="polresta.samarinda")
    day = date(2024, 1, 23)
    with clock.travel_to(_wita(day, 9) - timedelta(days=14)):
        training = services.training_create(
            actor=kpu, title=title, kind="bimtek", organiser=agencies["kpu-samarinda"],
            co_organiser=agencies["polres-samarinda"], area=Region.objects.get(code="64.72"),
            starts_at=_wita(day, 8), ends_at=_wita(day, 15), place="Aula KPU Kota Samarinda",
            description=("Alur pengawalan logistik dari gudang KPU ke PPK, PPS dan TPS: berita acara serah terima, "
                         "segel kotak suara, rute dan waktu tempuh (demo)."))
        for user in (kpu, police):
            services.training_participant_add(actor=kpu, training=training, user=user)
        for agency, name in [("kpu-samarinda", "Staf gudang logistik"),
                             ("kpu-samarinda", "Staf Subbagian Keuangan, Umum dan Logistik"),
                             ("polres-samarinda", "Personel Sat Samapta"),
                             ("polres-samarinda", "Personel Sat Lantas")]:
            services.training_participant_add(actor=kpu, training=training, agency=agencies[agency], name=name,
                                              position="(demo)")
        services.training_material_add(actor=kpu, training=training, title="Peraturan KPU (JDIH KPU)",
                                       link="https://jdih.kpu.go.id/")
    with clock.travel_to(_wita(day, 16)):
        services.training_attendance_record(
            actor=kpu, training=training,
            attended=training.participants.exclude(name="Personel Sat Lantas").values_list("pk", flat=True))
        services.training_hold(actor=police, training=training, evaluation_score=Decimal("86.50"),
                               reason="Evaluasi peserta (demo)")
    return 1


@transaction.atomic
def _planned_simulation(agencies: dict[str, Agency]) -> int:
    title = "Simulasi pengamanan TPS di Mahakam Ulu (demo)"
    if Training.objects.filter(title=title).exists():
        return 0
    police, kpu = User.objects.get(username="polres.mahulu"), User.objects.get(username="kpu.mahulu")
    day = date(2024, 2, 10)
    with clock.travel_to(_wita(date(2024, 1, 29), 10)):
        training = services.training_create(
            actor=police, title=title, kind="simulation", organiser=agencies["polres-mahulu"],
            co_organiser=agencies["kpu-mahulu"], area=Region.objects.get(code="64.11"),
            starts_at=_wita(day, 8), ends_at=_wita(day, 12), place="Mapolres Mahakam Ulu",
            description=("Simulasi pengamanan pemungutan suara di TPS yang dijangkau lewat sungai: kedatangan "
                         "logistik, gangguan di TPS, pengamanan kotak suara sampai PPK (demo)."))
        for user in (police, kpu):
            services.training_participant_add(actor=police, training=training, user=user)
    return 1


@transaction.atomic
def _facilitations(agencies: dict[str, Agency]) -> int:
    created = 0
    rows = [
        ("polresta.samarinda", "Silaturahmi pemilu damai bersama tokoh agama dan tim kampanye (demo)",
         "polres-samarinda", "kpu-samarinda", "64.72", _wita(date(2024, 1, 18), 9), "Aula Polresta Samarinda",
         "Tokoh agama dari forum kerukunan umat beragama Kota Samarinda; tim kampanye pasangan calon presiden dan "
         "wakil presiden; tim kampanye partai politik peserta Pemilu 2024 di Samarinda; KPU Kota Samarinda.",
         "Sepakat menjaga kampanye tanpa politik uang dan ujaran kebencian; gangguan dilaporkan ke Polresta dan "
         "KPU Samarinda lewat satu jalur koordinasi (demo)."),
        ("polres.mahulu", "Koordinasi akses sungai untuk distribusi logistik bersama tokoh adat (demo)",
         "polres-mahulu", "kpu-mahulu", "64.11", _wita(date(2024, 1, 25), 10), "Mapolres Mahakam Ulu",
         "Tokoh adat dan kepala kampung di sepanjang Sungai Mahakam hulu; motoris perahu setempat; KPU Kabupaten "
         "Mahakam Ulu.",
         "Tokoh adat mendukung pemandu dan perahu untuk melewati riam; jadwal angkut logistik menyesuaikan debit "
         "sungai dan dikawal Polres (demo)."),
    ]
    for username, title, facilitator, office, area, held_at, place, stakeholders, outcome in rows:
        if StakeholderFacilitation.objects.filter(title=title).exists():
            continue
        with clock.travel_to(held_at + timedelta(hours=4)):
            services.facilitation_create(
                actor=User.objects.get(username=username), title=title, facilitator=agencies[facilitator],
                kpu_office=agencies[office], area=Region.objects.get(code=area), held_at=held_at, place=place,
                stakeholders=stakeholders, outcome=outcome)
        created += 1
    return created


def seed(*, actor) -> int:
    """Create the demo rows if missing; returns how many were created. Each row is made
    by the demo account that would have recorded it (``actor`` runs the command)."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    return (_declaration(agencies) + _held_bimtek(agencies) + _planned_simulation(agencies)
            + _facilitations(agencies))
