"""Demo data of the information exchange register: five illustrative entries ("(demo)")
around the demo clock (8 February 2024, 09:00 WITA), each recorded and moved by the demo
account that would have done it, on the day it would have, through the services, so the
history, the notifications and the clause's evidence read like real ones:

- KPU Samarinda shares its list of TPS rawan with Polresta Samarinda (public, acknowledged);
- Polda Kaltim asks KPU Kaltim for the logistics distribution schedule (limited, answered);
- Polresta Samarinda asks KPU Samarinda for the KPPS members' personal data (confidential,
  sent: waiting on KPU Samarinda), the kind of request the register makes visible;
- KPU Samarinda asks Polresta Samarinda for the security plan of the recapitulation
  (limited, sent: waiting on Polresta Samarinda);
- KPU Mahakam Ulu asks Polres Mahakam Ulu for the river routes (public, acknowledged and
  past its answer date)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from coordination.choices import Classification, ExchangeKind
from coordination.models import Agency, InformationExchange, User
from coordination.services import exchange as services
from kpu_polda.base import clock

WITA = timezone.get_fixed_timezone(8 * 60)
PKS = "Perjanjian kerja sama KPU Provinsi Kalimantan Timur dan Polda Kalimantan Timur 2023 (demo)"


def _wita(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WITA)


# subject, kind, sender's account, from, to, classification, sent at, answer due, purpose,
# legal basis, content, then the steps: (account, "acknowledge" or "answer", at, text).
ENTRIES = [
    ("Daftar TPS rawan Kota Samarinda untuk pemungutan suara Pemilu 2024 (demo)", ExchangeKind.SHARING,
     "kpu.samarinda", "kpu-samarinda", "polres-samarinda", Classification.PUBLIC, _wita(date(2024, 2, 1), 10), None,
     "Bahan penyusunan pola pengamanan TPS oleh Polresta Samarinda.", PKS,
     "Daftar TPS rawan per kecamatan (kerawanan lokasi, akses, riwayat gangguan) hasil pemetaan KPU Kota Samarinda "
     "bersama PPK; rincian per TPS terlampir pada sistem (demo).",
     [("polresta.samarinda", "acknowledge", _wita(date(2024, 2, 1), 14), "")]),
    ("Jadwal distribusi logistik Pemilu 2024 dari gudang KPU Provinsi ke KPU kabupaten/kota (demo)",
     ExchangeKind.REQUEST, "polda.kaltim", "polda-kaltim", "kpu-kaltim", Classification.LIMITED,
     _wita(date(2024, 1, 22), 9), date(2024, 1, 26),
     "Menyusun rencana pengawalan distribusi logistik oleh Polda Kaltim dan Polres jajaran.", PKS, "",
     [("kpu.kaltim", "answer", _wita(date(2024, 1, 24), 11),
       "Distribusi dari gudang KPU Provinsi ke sepuluh KPU kabupaten/kota berlangsung 29 Januari sampai 3 Februari "
       "2024; jadwal per kabupaten/kota dan titik muat terlampir (demo).")]),
    ("Data pribadi anggota KPPS se-Kota Samarinda (demo)", ExchangeKind.REQUEST, "polresta.samarinda",
     "polres-samarinda", "kpu-samarinda", Classification.CONFIDENTIAL, _wita(date(2024, 2, 7), 9, 30),
     date(2024, 2, 12),
     "Pendataan petugas KPPS per TPS untuk koordinasi pengamanan pada hari pemungutan suara (nama, NIK, alamat, "
     "nomor telepon).",
     "UU 7/2017 tentang Pemilihan Umum; UU 27/2022 tentang Pelindungan Data Pribadi (demo)", "", []),
    ("Rencana pengamanan rekapitulasi suara tingkat PPK dan KPU Kota Samarinda (demo)", ExchangeKind.REQUEST,
     "kpu.samarinda", "kpu-samarinda", "polres-samarinda", Classification.LIMITED, _wita(date(2024, 2, 7), 15),
     date(2024, 2, 13),
     "Menyesuaikan jadwal dan tempat rekapitulasi dengan penempatan personel pengamanan.", PKS, "", []),
    ("Jalur sungai dan titik rawan untuk distribusi logistik ke kampung hulu Mahakam Ulu (demo)",
     ExchangeKind.REQUEST, "kpu.mahulu", "kpu-mahulu", "polres-mahulu", Classification.PUBLIC,
     _wita(date(2024, 1, 29), 10), date(2024, 2, 2),
     "Menentukan rute, perahu dan waktu tempuh distribusi logistik ke TPS yang hanya dijangkau lewat sungai.", PKS,
     "", [("polres.mahulu", "acknowledge", _wita(date(2024, 1, 30), 8), "")]),
]


@transaction.atomic
def _entry(agencies: dict[str, Agency], row) -> int:
    (subject, kind, sender, source, target, classification, sent_at, due, purpose, legal_basis, content,
     steps) = row
    if InformationExchange.objects.filter(subject=subject).exists():
        return 0
    with clock.travel_to(sent_at):
        entry = services.exchange_create(
            actor=User.objects.get(username=sender), kind=kind, from_agency=agencies[source],
            to_agency=agencies[target], subject=subject, purpose=purpose, legal_basis=legal_basis,
            classification=classification, content=content, response_due_on=due)
    for username, step, at, text in steps:
        actor = User.objects.get(username=username)
        with clock.travel_to(at):
            if step == "acknowledge":
                entry = services.exchange_acknowledge(actor=actor, exchange=entry)
            else:
                entry = services.exchange_answer(actor=actor, exchange=entry, answer=text)
    return 1


def seed(*, actor) -> int:
    """Create the demo rows if missing; returns how many were created. Each entry is made
    by the demo account that would have recorded it (``actor`` runs the command)."""
    agencies = {agency.code: agency for agency in Agency.objects.select_related("jurisdiction")
                .defer("jurisdiction__boundary")}
    return sum(_entry(agencies, row) for row in ENTRIES)
