"""A deterministic set of Kaltim's Pemilu 2024 polling stations. Idempotent."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from coordination.choices import AccessMode, RegionKind, RegionLevel
from coordination.models import Election, PollingStation, Region, User
from kpu_polda.base.history import bulk_create_with_history

# Pemilu 2024 TPS per kab/kota where a source gives it (DOMAIN.md section 5); the rest of
# Kaltim's 11,441 is spread in proportion to each one's Pilkada 2024 TPS count.
PEMILU_2024_TPS_TOTAL = 11_441


PEMILU_2024_DPT_TOTAL = 2_778_644


KNOWN_TPS = {"64.07": 532, "64.09": 542, "64.72": 2_565}


PILKADA_TPS = {"64.01": 484, "64.02": 1_443, "64.03": 469, "64.08": 701, "64.11": 77, "64.71": 998, "64.74": 277}


SPECIAL_TPS = {"64.72": 15, "64.09.04": 2}  # Samarinda's loksus; the IKN site in Sepaku


SEA_DISTRICTS = {"Maratua", "Pulau Derawan"}


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
                        village_code=village.code,  # bulk_create skips save()
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
