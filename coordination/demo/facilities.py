"""Demo data of police facilities and their bookings, around the demo clock (8 February 2024,
09:00 WITA; voting day 14 February). Illustrative ("(demo)" in the notes), each recorded,
requested and decided by the demo account that would have done it, on the day it would
have, through the services, so the history, the notifications and the clause's evidence
read like real ones:

- Polda Kaltim offers the Aula Mapolda Kaltim (a hall for 300 people) and a logistics
  warehouse in Samarinda; Polres Mahakam Ulu a speedboat for the river logistics;
  Polresta Samarinda its hall;
- KPU Kaltim's rapat pleno in the Aula Mapolda is approved; its bimtek there waits on
  Polda's decision;
- KPU Samarinda's coordination meeting in Polresta Samarinda's hall waits on Polresta's
  decision (the inbox of ``polresta.samarinda``);
- KPU Mahakam Ulu's first speedboat request is rejected (the boat patrols that day), the
  one for the next day approved."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from coordination.choices import FacilityKind
from coordination.models import Agency, Facility, FacilityBooking, Region, User
from coordination.services import facilities as services
from kpu_polda.base import clock

WITA = timezone.get_fixed_timezone(8 * 60)
SETUP = datetime(2024, 1, 15, 9, 0, tzinfo=WITA)  # when the facilities were offered


def _wita(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WITA)


def _region(code: str, district: str | None = None) -> Region:
    """The kecamatan named ``district`` under ``code`` when the regions have it, else ``code``."""
    if district:
        found = Region.objects.filter(parent__code=code, name__iexact=district).defer("boundary").first()
        if found is not None:
            return found
    return Region.objects.defer("boundary").get(code=code)


# key, owner, the account that offers it, name, kind, capacity, unit, region code, kecamatan, address, notes
FACILITIES = [
    ("aula-polda", "polda-kaltim", "polda.kaltim", "Aula Mapolda Kaltim", FacilityKind.HALL, 300, "orang", "64.72",
     None, "", "Aula serbaguna dengan pengeras suara dan proyektor (demo)."),
    ("gudang-polda", "polda-kaltim", "polda.kaltim", "Gudang Logistik Polda Kaltim", FacilityKind.WAREHOUSE, 800,
     "m²", "64.72", None, "", "Gudang berpagar dengan penjagaan 24 jam, untuk transit logistik pemilu (demo)."),
    ("speedboat-mahulu", "polres-mahulu", "polres.mahulu", "Speedboat Polres Mahakam Ulu", FacilityKind.BOAT, 12,
     "orang", "64.11", None, "Dermaga Ujoh Bilang",
     "Untuk distribusi logistik pemilu lewat Sungai Mahakam ke kampung hulu; muatan sekitar 1 ton (demo)."),
    ("aula-polresta", "polres-samarinda", "polresta.samarinda", "Aula Polresta Samarinda", FacilityKind.HALL, 150,
     "orang", "64.72", "Samarinda Ulu", "", "Aula rapat Polresta Samarinda (demo)."),
]

# facility key, requester, the account that asks, from, until, people, purpose, asked at,
# then the decision: (account, "approve" or "reject", at, note) or None (waiting).
BOOKINGS = [
    ("aula-polda", "kpu-kaltim", "kpu.kaltim", _wita(date(2024, 2, 12), 9), _wita(date(2024, 2, 12), 15), 200,
     "Rapat pleno KPU Provinsi Kalimantan Timur: kesiapan pemungutan dan penghitungan suara Pemilu 2024 (demo)",
     _wita(date(2024, 2, 1), 10), ("polda.kaltim", "approve", _wita(date(2024, 2, 2), 9),
                                   "Aula disiapkan sejak pukul 07.00 WITA.")),
    ("aula-polda", "kpu-kaltim", "kpu.kaltim", _wita(date(2024, 2, 19), 8), _wita(date(2024, 2, 19), 16), 250,
     "Bimbingan teknis rekapitulasi hasil penghitungan suara bagi PPK se-Kalimantan Timur (demo)",
     _wita(date(2024, 2, 7), 14), None),
    ("aula-polresta", "kpu-samarinda", "kpu.samarinda", _wita(date(2024, 2, 16), 9), _wita(date(2024, 2, 16), 12), 80,
     "Rapat koordinasi pengamanan rekapitulasi suara tingkat Kota Samarinda bersama PPK (demo)",
     _wita(date(2024, 2, 7), 10), None),
    ("speedboat-mahulu", "kpu-mahulu", "kpu.mahulu", _wita(date(2024, 2, 10), 6), _wita(date(2024, 2, 10), 18), 8,
     "Distribusi logistik Pemilu 2024 ke TPS di kampung hulu Kecamatan Long Apari (demo)",
     _wita(date(2024, 2, 5), 10), ("polres.mahulu", "reject", _wita(date(2024, 2, 6), 8),
                                   "Pada tanggal itu speedboat dipakai patroli pengamanan sungai; ajukan untuk "
                                   "11 Februari.")),
    ("speedboat-mahulu", "kpu-mahulu", "kpu.mahulu", _wita(date(2024, 2, 11), 6), _wita(date(2024, 2, 11), 18), 8,
     "Distribusi logistik Pemilu 2024 ke TPS di kampung hulu Kecamatan Long Apari, jadwal pengganti (demo)",
     _wita(date(2024, 2, 6), 10), ("polres.mahulu", "approve", _wita(date(2024, 2, 6), 15),
                                   "Dikawal dua personel Polairud.")),
]


def _facility(agencies: dict[str, Agency], row) -> tuple[Facility, int]:
    _key, owner, account, name, kind, capacity, unit, code, district, address, notes = row
    existing = Facility.objects.filter(owner=agencies[owner], name=name).first()
    if existing is not None:
        return existing, 0
    with clock.travel_to(SETUP):
        return services.facility_create(actor=User.objects.get(username=account), owner=agencies[owner], name=name,
                                        kind=kind, region=_region(code, district), capacity=capacity,
                                        capacity_unit=unit, address=address, notes=notes), 1


@transaction.atomic
def _booking(agencies: dict[str, Agency], facilities: dict[str, Facility], row) -> int:
    key, requester, account, starts_at, ends_at, people, purpose, asked_at, decision = row
    facility = facilities[key]
    if FacilityBooking.objects.filter(facility=facility, requester=agencies[requester], starts_at=starts_at).exists():
        return 0
    with clock.travel_to(asked_at):
        booking = services.booking_request(actor=User.objects.get(username=account), facility=facility,
                                           requester=agencies[requester], starts_at=starts_at, ends_at=ends_at,
                                           purpose=purpose, participants=people)
    if decision is not None:
        username, step, at, note = decision
        actor = User.objects.get(username=username)
        with clock.travel_to(at):
            if step == "approve":
                services.booking_approve(actor=actor, booking=booking, note=note)
            else:
                services.booking_reject(actor=actor, booking=booking, reason=note)
    return 1


def seed(*, actor) -> int:
    """Create the demo rows if missing; returns how many were created. Each row is made by
    the demo account that would have made it (``actor`` runs the command)."""
    agencies = {agency.code: agency for agency in Agency.objects.select_related("jurisdiction")
                .defer("jurisdiction__boundary")}
    created, facilities = 0, {}
    with transaction.atomic():
        for row in FACILITIES:
            facilities[row[0]], new = _facility(agencies, row)
            created += new
    return created + sum(_booking(agencies, facilities, row) for row in BOOKINGS)
