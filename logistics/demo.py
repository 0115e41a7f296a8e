"""The logistics demo: Pemilu 2024's distribution in Kota Samarinda (by road) and
Kabupaten Mahakam Ulu (upriver by longboat), as it stands on the demo clock's first
morning (8 February 2024, 09:00 WITA, H-6).

Every request is raised and moved through the real services by the demo accounts
(kpu.samarinda, polresta.samarinda, kpu.mahulu, polres.mahulu), each step on its own
moment of the demo timeline (clock.travel_to), so numbers, trails, custody chains and
history read like those of a real distribution: one escort in every status, a seal that
does not match at a Mahakam Ulu hand-over, a severe river-current delay, and legs already
late at the demo clock. Not a domain service; idempotent (a leg already there is left
alone). Needs coordination's demo (seed_demo) first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coordination.choices import AccessMode
from coordination.models import Election, ElectionStage, PollingStation, Region, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError

from . import services
from .choices import BALLOTS, ESCORT_STEPS, Cargo, ItemKind, PlaceKind, Side
from .models import EscortRequest

ELECTION = "pemilu-2024"
# The logistics serve voting day; the demo files every distribution leg under it.
STAGE = "9a"
OFFICES = {
    "samarinda": ("kpu.samarinda", "polresta.samarinda", "kpu-samarinda"),
    "mahulu": ("kpu.mahulu", "polres.mahulu", "kpu-mahulu"),
}
WAREHOUSE = {
    "samarinda": ("64.72", "Gudang Logistik KPU Kota Samarinda"),
    "mahulu": ("64.11.01.2006", "Gudang Logistik KPU Mahakam Ulu, Ujoh Bilang"),
}
ASSIGNMENT = {
    "samarinda": {"commander_name": "Ipda Rudi Hartono", "commander_nrp": "87040512", "personnel_count": 6,
                  "vehicles": "2 truk logistik, 1 mobil patroli"},
    "mahulu": {"commander_name": "Iptu Yohanes Lawing", "commander_nrp": "84110237", "personnel_count": 5,
               "vehicles": "2 longboat 40 PK, 1 speedboat Polairud"},
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of February 2024 in WITA."""
    return datetime(2024, 2, day, hour, minute, tzinfo=timezone.get_default_timezone())


@dataclass
class Leg:
    """One demo request: where from and to, when, and the steps taken on it so far, each
    ``(action, moment, extra arguments)``."""

    office: str
    origin: tuple[str, str, str]  # (place kind, region code, name); name "" for the region's own
    destination: tuple[str, str, str]  # for a TPS: ("tps", village code, TPS number)
    departure: datetime
    hours: float
    requested: datetime
    steps: list[tuple[str, datetime, dict[str, Any]]] = field(default_factory=list)
    notes: str = ""
    team: tuple[str, str] | None = None  # (purpose, members) for a KPU team escort
    seal_prefix: str = ""


def _samarinda_legs() -> list[Leg]:
    road = "samarinda"
    warehouse = ("warehouse", *WAREHOUSE[road])

    def to_ppk(code: str) -> tuple[str, str, str]:
        return ("ppk", code, "")

    full = [("accept", None), ("assign", None), ("depart", None), ("arrive", None), ("handover-escort", None),
            ("handover-receipt", None), ("close", None)]

    def steps(plan, *moments, **extra):
        return [(action, moment, extra.get(action, {})) for (action, _), moment in zip(plan, moments, strict=False)]

    return [
        Leg(road, warehouse, to_ppk("64.72.03"), at(5, 8), 2, at(1, 10),
            steps(full, at(1, 14), at(3, 9), at(5, 8, 5), at(5, 9, 10), at(5, 9, 30), at(5, 9, 45), at(5, 16),
                  **{"handover-receipt": {"acting_as": "Ketua PPK Samarinda Ulu", "signer_name": "Hj. Rahmawati"}}),
            seal_prefix="SMR-03"),
        Leg(road, warehouse, to_ppk("64.72.04"), at(6, 8), 2, at(1, 10, 30),
            steps(full[:6], at(1, 14, 5), at(3, 9, 10), at(6, 8, 10), at(6, 9, 20), at(6, 9, 40), at(6, 9, 50),
                  **{"handover-receipt": {"acting_as": "Ketua PPK Samarinda Ilir", "signer_name": "Syahrani"}}),
            seal_prefix="SMR-04"),
        Leg(road, warehouse, to_ppk("64.72.06"), at(8, 6, 30), 1.5, at(2, 9),
            steps(full[:4], at(2, 13), at(5, 10), at(8, 6, 40), at(8, 7, 55)), seal_prefix="SMR-06"),
        Leg(road, warehouse, to_ppk("64.72.01"), at(8, 7, 30), 2, at(2, 9, 15),
            [("accept", at(2, 13, 10), {}), ("assign", at(5, 10, 10), {}), ("depart", at(8, 7, 40), {}),
             ("checkpoint", at(8, 8, 20), {"note": "Melintas Jembatan Mahkota II, lalu lintas padat, aman.",
                                           "latitude": Decimal("-0.531200"), "longitude": Decimal("117.183400")})],
            seal_prefix="SMR-01"),
        # Assigned but not yet off at 08:00: late at the demo clock.
        Leg(road, warehouse, to_ppk("64.72.10"), at(8, 8), 1.5, at(2, 9, 30),
            [("accept", at(2, 13, 20), {}), ("assign", at(5, 10, 20), {})], seal_prefix="SMR-10"),
        Leg(road, ("ppk", "64.72.03", ""), ("pps", "64.72.03.1002", ""), at(12, 8), 1, at(6, 10),
            [("accept", at(6, 15), {})]),
        Leg(road, ("pps", "64.72.03.1002", ""), ("tps", "64.72.03.1002", "1"), at(13, 7), 1, at(8, 8, 15),
            seal_prefix="SMR-J01"),
        Leg(road, ("pps", "64.72.06.1004", ""), ("tps", "64.72.06.1004", "3"), at(13, 7, 30), 1, at(7, 16),
            seal_prefix="SMR-LB03"),
        Leg(road, warehouse, to_ppk("64.72.09"), at(9, 8), 1.5, at(6, 11),
            [("reject", at(6, 14), {"reason": "Personel 9 Februari untuk pengamanan kampanye di GOR Segiri; "
                                              "ajukan ulang."})]),
        Leg(road, warehouse, to_ppk("64.72.07"), at(9, 8), 2, at(5, 10),
            [("accept", at(5, 14), {}),
             ("cancel", at(7, 11), {"reason": "Dijadwal ulang bersama PPK Sungai Pinang."})]),
        Leg(road, warehouse, to_ppk("64.72.08"), at(10, 8), 2.5, at(7, 11, 30),
            notes="Satu rit untuk PPK Sungai Pinang dan PPK Sambutan.", seal_prefix="SMR-08"),
    ]


def _mahulu_legs() -> list[Leg]:
    river = "mahulu"
    warehouse = ("warehouse", *WAREHOUSE[river])
    office = ("kpu_office", "64.11.01.2006", "Kantor KPU Kabupaten Mahakam Ulu, Ujoh Bilang")
    return [
        Leg(river, warehouse, ("ppk", "64.11.01", ""), at(5, 8), 1, at(1, 9),
            [("accept", at(1, 15), {}), ("assign", at(2, 10), {}), ("depart", at(5, 8, 10), {}),
             ("arrive", at(5, 9, 5), {}), ("handover-escort", at(5, 9, 20), {}),
             ("handover-receipt", at(5, 9, 35), {"acting_as": "Ketua PPK Long Bagun", "signer_name": "Ding Lawai"}),
             ("close", at(5, 15), {})], seal_prefix="MHU-01"),
        # Six and a half hours upriver; the receiving KPPS finds a box seal other than recorded.
        Leg(river, warehouse, ("tps", "64.11.05.2008", "1"), at(6, 7), 6.5, at(1, 9, 30),
            [("accept", at(1, 15, 10), {}), ("assign", at(2, 10, 15), {}), ("depart", at(6, 7, 10), {}),
             ("checkpoint", at(6, 10, 30), {"note": "Riam Udang: muatan dipindah lewat jalur darat, segel dicek utuh.",
                                            "latitude": Decimal("0.421500"), "longitude": Decimal("115.021800")}),
             ("arrive", at(6, 13, 50), {}), ("handover-escort", at(6, 14, 10), {}),
             ("handover-receipt", at(6, 14, 30), {
                 "acting_as": "Ketua KPPS TPS 001 Long Pahangai I", "signer_name": "Hubertus Hanyeq",
                 "seals": {"MHU-05-3": "MHU-05-8"},
                 "note": "Nomor segel kotak suara ketiga tidak sesuai berita acara pengiriman."})],
            seal_prefix="MHU-05"),
        # Seven hours to Tiong Ohang; held by the river at Long Pahangai and late at the demo clock.
        Leg(river, warehouse, ("tps", "64.11.04.2004", "1"), at(7, 7), 7, at(1, 10),
            [("accept", at(1, 15, 20), {}), ("assign", at(2, 10, 30), {}), ("depart", at(7, 7, 15), {}),
             ("checkpoint", at(7, 11, 40), {"note": "Singgah Long Pahangai, pengisian BBM longboat.",
                                            "latitude": Decimal("0.913000"), "longitude": Decimal("114.785000")}),
             ("incident", at(7, 13, 20), {
                 "incident_type": "weather", "severity": "high",
                 "note": "Debit Sungai Mahakam naik setelah hujan di hulu; arus deras di riam menuju Long Apari. "
                         "Longboat menepi di Long Pahangai, logistik dijaga personel sampai air turun."})],
            seal_prefix="MHU-04"),
        Leg(river, office, ("ppk", "64.11.04", ""), at(9, 6), 7, at(3, 9),
            [("accept", at(3, 14), {}), ("assign", at(5, 9), {})],
            team=("Supervisi kesiapan logistik dan bimbingan teknis KPPS di Kecamatan Long Apari",
                  "Yohanes Avun (anggota KPU Mahakam Ulu)\nMaria Hanyeq (Kasubbag Teknis)\n"
                  "Stefanus Lusang (staf logistik)\nAnjelina Bulan (staf data)")),
        Leg(river, warehouse, ("tps", "64.11.02.2001", "2"), at(10, 7), 3, at(5, 10),
            [("accept", at(5, 16), {})], seal_prefix="MHU-02"),
        Leg(river, warehouse, ("tps", "64.11.03.2001", "1"), at(11, 7), 4, at(7, 9), seal_prefix="MHU-03"),
    ]


def _tps_items(station: PollingStation, prefix: str) -> list[dict]:
    """What one TPS receives: each ballot for its DPT plus 2% reserve, five sealed boxes,
    four booths, ink and the forms."""
    ballots = station.voters + math.ceil(station.voters * 0.02)
    seals = " ".join(f"{prefix}-{n}" for n in range(1, 6))
    return [*({"kind": kind, "quantity": ballots, "unit": "lembar"} for kind in BALLOTS),
            {"kind": ItemKind.BALLOT_BOX, "quantity": 5, "unit": "buah", "seal_numbers": seals},
            {"kind": ItemKind.VOTING_BOOTH, "quantity": 4, "unit": "buah"},
            {"kind": ItemKind.INK, "quantity": 2, "unit": "botol"},
            {"kind": ItemKind.FORMS, "quantity": 1, "unit": "set"}]


def _area_items(prefix_code: str, election: Election, seal_prefix: str) -> list[dict]:
    """What a PPK or PPS receives for all its TPS, the truck's two seals on the boxes."""
    voters = list(PollingStation.objects.filter(election=election, village__code__startswith=f"{prefix_code}.")
                  .values_list("voters", flat=True)) if len(prefix_code) < 13 else []
    if not voters:
        voters = list(PollingStation.objects.filter(election=election, village__code=prefix_code)
                      .values_list("voters", flat=True))
    count = len(voters)
    ballots = sum(v + math.ceil(v * 0.02) for v in voters)
    box = {"kind": ItemKind.BALLOT_BOX, "quantity": 5 * count, "unit": "buah"}
    if seal_prefix:
        box["seal_numbers"] = f"{seal_prefix}-T1 {seal_prefix}-T2"
    return [*({"kind": kind, "quantity": ballots, "unit": "lembar"} for kind in BALLOTS), box,
            {"kind": ItemKind.VOTING_BOOTH, "quantity": 4 * count, "unit": "buah"},
            {"kind": ItemKind.INK, "quantity": 2 * count, "unit": "botol"}]


def _place(spec: tuple[str, str, str], election: Election) -> dict[str, Any]:
    kind, code, name = spec
    if kind == PlaceKind.TPS:
        station = PollingStation.objects.select_related("village").get(
            election=election, village__code=code, number=int(name))
        return {"kind": kind, "tps": station, "region": station.village, "name": station.label}
    region = Region.objects.get(code=code)
    if not name:
        name = {PlaceKind.PPK: "PPK", PlaceKind.PPS: "PPS"}.get(kind, "") + f" {region.name}"
    return {"kind": kind, "tps": None, "region": region, "name": name.strip()}


def _confirm_kwargs(escort: EscortRequest, action: str, moment: datetime, extra: dict) -> dict[str, Any]:
    extra = dict(extra)
    swapped = extra.pop("seals", {})
    kwargs: dict[str, Any] = {"device_time": moment - timedelta(minutes=2),
                              "idempotency_key": f"demo:{escort.number}:{action}:{moment:%m%d%H%M}", **extra}
    if action in ("depart", "arrive", "handover-escort", "handover-receipt"):
        items = list(escort.items.all())
        seals = [swapped.get(seal, seal) for item in items for seal in item.seals]
        kwargs.update(counts={item.pk: item.quantity for item in items}, seals_intact=True,
                      seals_seen=" ".join(seals))
    return kwargs


def _take(escort: EscortRequest, action: str, moment: datetime, extra: dict, people: dict[str, User],
          office: str) -> EscortRequest:
    step = ESCORT_STEPS.get(action)
    police = step is None or step.side == Side.POLICE  # an incident is reported by the escorting officer
    actor = people[OFFICES[office][1] if police else OFFICES[office][0]]
    with clock.travel_to(moment):
        if step is not None and not step.event:
            decided = {**extra}
            if action == "assign":
                decided.update(ASSIGNMENT[office])
            return services.escort_decide(actor=actor, escort=escort, action=action, **decided)
        return services.custody_confirm(actor=actor, escort=escort, action=action,
                                        **_confirm_kwargs(escort, action, moment, extra)).escort


def _raise(leg: Leg, election: Election, stage: ElectionStage | None, people: dict[str, User]
           ) -> EscortRequest | None:
    kpu = people[OFFICES[leg.office][0]]
    origin, destination = _place(leg.origin, election), _place(leg.destination, election)
    arrival = leg.departure + timedelta(hours=leg.hours)
    if EscortRequest.objects.filter(requested_by__code=OFFICES[leg.office][2], origin_name=origin["name"],
                                    destination_name=destination["name"],
                                    planned_departure=leg.departure).exists():
        return None
    values: dict[str, Any] = {}
    if leg.team is not None:
        values = {"cargo": Cargo.TEAM, "team_purpose": leg.team[0], "team_members": leg.team[1]}
    elif destination["tps"] is not None:
        values["items"] = _tps_items(destination["tps"], leg.seal_prefix)
    else:
        values["items"] = _area_items(destination["region"].code, election, leg.seal_prefix)
    with clock.travel_to(leg.requested):
        escort = services.escort_request_create(
            actor=kpu, election=election, stage=stage, origin_kind=origin["kind"], origin_region=origin["region"],
            origin_tps=origin["tps"], origin_name=origin["name"], destination_kind=destination["kind"],
            destination_region=destination["region"], destination_tps=destination["tps"],
            destination_name=destination["name"], planned_departure=leg.departure, planned_arrival=arrival,
            transport_mode=AccessMode.RIVER if leg.office == "mahulu" else AccessMode.ROAD, notes=leg.notes,
            **values)
    for action, moment, extra in leg.steps:
        escort = _take(escort, action, moment, extra, people, leg.office)
    return escort


DEMO_LEGS: list[Callable[[], list[Leg]]] = [_samarinda_legs, _mahulu_legs]


@transaction.atomic
def demo_escorts_seed() -> int:
    """Raise the demo's escort requests in Samarinda and Mahakam Ulu and take each through
    its steps so far; returns how many were created (0 when they are all there). Refused
    where demo data is not allowed; needs coordination's demo accounts and TPS."""
    if not settings.DEMO_DATA_ALLOWED:
        raise DomainError("Demo data is refused in production settings.")
    usernames = {name for office in OFFICES.values() for name in office[:2]}
    people = {u.username: u for u in User.objects.select_related("agency").filter(username__in=usernames)}
    election = Election.objects.filter(code=ELECTION).first()
    if len(people) < len(usernames) or election is None or not PollingStation.objects.filter(
            election=election).exists():
        raise DomainError("Load coordination's demo first (manage.py seed_demo).")
    stage = ElectionStage.objects.filter(election=election, code=STAGE).first()
    created = 0
    for legs in DEMO_LEGS:
        for leg in legs():
            created += _raise(leg, election, stage, people) is not None
    return created
