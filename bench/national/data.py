"""The national data set of bench/national: Kaltim's real rows and synthetic rows for the
other 37 provinces, written as the files the project's imports read.

    .venv/bin/python -m bench.national.data OUT_DIR [--scale 0.02] [--kaltim-tps FILE]

Deterministic: every random choice comes from a generator seeded with the code of the row
it makes, so the same scale writes the same files on every run and machine. At scale 1.0
the tree has 38 provinces, 514 kab/kota, 7,277 kecamatan and 83,731 desa/kelurahan, and
the register 820,161 TPS (KPU's Pemilu 2024 counts); a smaller scale shrinks the synthetic
rows only (at least one of each level per parent), Kaltim stays whole. Province codes and
names are the real ones; the per-province weights are rounded public counts (kab/kota,
kota, kecamatan, desa/kelurahan, TPS), used only to spread the totals realistically; names
below the province are invented. Codes follow Kemendagri's shapes: a kota's second segment
starts with 7, a kelurahan's village segment with 1 and a desa's with 2.

Writes, streamed: ``regions.csv`` (code,name,level,parent_code,kind,lat,lon, with Kaltim's
rows copied from the project's data and its map outlines beside it), ``tps.csv`` (the TPS
register: Kaltim's TPS from ``--kaltim-tps``, the demo's own rows dumped by the bench, then
the synthetic ones, in code order) and ``tps_classes.csv`` (a Polri class and the indicator
flags of every synthetic TPS; Kaltim keeps the demo's classes).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KALTIM_DATA = ROOT / "data" / "kaltim"
KALTIM = "64"
NATIONAL = {"province": 38, "regency": 514, "district": 7_277, "village": 83_731, "tps": 820_161}
KALTIM_COUNTS = {"province": 1, "regency": 10, "district": 105, "village": 1_038, "tps": 11_441}
MAX_VOTERS = 300  # Pemilu 2024's max_voters_per_tps (PKPU 3/2022)
ASSESSED_ON = "2024-02-05"
INDICATORS = ["voter_rights", "security", "campaign", "neutrality", "logistics", "location", "power_internet"]
TPS_COLUMNS = ["village_code", "number", "voters", "address", "latitude", "longitude", "access_mode",
               "travel_minutes", "is_remote", "is_special_location"]
CLASS_COLUMNS = ["village_code", "number", "polri_class", *INDICATORS, "evidence", "assessed_on"]

# code, name, centre (lat, lon), kab/kota, of which kota, kecamatan, desa/kelurahan, TPS (rounded).
PROVINCES = [
    ("11", "Aceh", 4.2, 96.9, 23, 5, 290, 6_500, 16_000),
    ("12", "Sumatera Utara", 2.2, 99.1, 33, 8, 455, 6_110, 45_900),
    ("13", "Sumatera Barat", -0.8, 100.6, 19, 7, 179, 1_265, 17_600),
    ("14", "Riau", 0.5, 101.7, 12, 2, 172, 1_862, 19_400),
    ("15", "Jambi", -1.6, 103.0, 11, 2, 144, 1_585, 11_200),
    ("16", "Sumatera Selatan", -3.3, 104.0, 17, 4, 241, 3_258, 26_100),
    ("17", "Bengkulu", -3.6, 102.3, 10, 1, 129, 1_513, 6_200),
    ("18", "Lampung", -4.8, 105.1, 15, 2, 229, 2_651, 25_800),
    ("19", "Kepulauan Bangka Belitung", -2.5, 106.4, 7, 1, 47, 393, 4_200),
    ("21", "Kepulauan Riau", 1.0, 104.5, 7, 2, 80, 419, 7_600),
    ("31", "DKI Jakarta", -6.2, 106.8, 6, 5, 44, 267, 30_800),
    ("32", "Jawa Barat", -6.9, 107.6, 27, 9, 627, 5_957, 140_500),
    ("33", "Jawa Tengah", -7.2, 110.1, 35, 6, 576, 8_562, 117_300),
    ("34", "DI Yogyakarta", -7.9, 110.4, 5, 1, 78, 438, 12_000),
    ("35", "Jawa Timur", -7.5, 112.2, 38, 9, 666, 8_494, 120_700),
    ("36", "Banten", -6.4, 106.1, 8, 4, 155, 1_552, 33_300),
    ("51", "Bali", -8.4, 115.2, 9, 1, 57, 716, 12_300),
    ("52", "Nusa Tenggara Barat", -8.6, 117.4, 10, 2, 117, 1_166, 16_100),
    ("53", "Nusa Tenggara Timur", -8.9, 121.1, 22, 1, 315, 3_442, 16_700),
    ("61", "Kalimantan Barat", -0.1, 111.1, 14, 2, 174, 2_145, 15_500),
    ("62", "Kalimantan Tengah", -1.7, 113.4, 14, 1, 136, 1_576, 7_900),
    ("63", "Kalimantan Selatan", -3.1, 115.3, 13, 2, 156, 2_016, 11_600),
    ("65", "Kalimantan Utara", 3.1, 116.0, 5, 1, 55, 482, 2_300),
    ("71", "Sulawesi Utara", 0.8, 124.2, 15, 4, 171, 1_839, 7_700),
    ("72", "Sulawesi Tengah", -1.4, 121.4, 13, 1, 175, 2_023, 9_300),
    ("73", "Sulawesi Selatan", -3.7, 120.0, 24, 3, 313, 3_059, 26_400),
    ("74", "Sulawesi Tenggara", -4.1, 122.2, 17, 2, 222, 2_300, 8_500),
    ("75", "Gorontalo", 0.7, 122.4, 6, 1, 77, 734, 3_400),
    ("76", "Sulawesi Barat", -2.8, 119.2, 6, 0, 69, 650, 4_200),
    ("81", "Maluku", -3.2, 129.4, 11, 2, 118, 1_235, 5_600),
    ("82", "Maluku Utara", 1.6, 127.8, 10, 2, 116, 1_185, 4_300),
    ("91", "Papua", -2.5, 140.0, 9, 1, 105, 1_010, 4_000),
    ("92", "Papua Barat", -1.3, 133.2, 7, 0, 108, 1_013, 2_000),
    ("93", "Papua Selatan", -6.9, 139.5, 4, 0, 82, 690, 2_000),
    ("94", "Papua Tengah", -3.9, 136.6, 8, 0, 131, 1_210, 5_800),
    ("95", "Papua Pegunungan", -4.1, 138.9, 8, 0, 252, 2_627, 7_300),
    ("96", "Papua Barat Daya", -1.0, 131.6, 6, 1, 131, 1_000, 2_200),
]
# How TPS are reached, by province: (river, sea, air) shares; the rest is by road.
ACCESS = {"61": (0.2, 0, 0), "62": (0.25, 0, 0), "63": (0.1, 0, 0), "65": (0.25, 0.05, 0.05), "21": (0, 0.3, 0),
          "19": (0, 0.15, 0), "81": (0, 0.35, 0), "82": (0, 0.3, 0), "53": (0, 0.1, 0.02), "91": (0.1, 0.05, 0.15),
          "92": (0.05, 0.15, 0.1), "93": (0.25, 0.05, 0.1), "94": (0.05, 0.02, 0.3), "95": (0, 0, 0.45),
          "96": (0.05, 0.25, 0.1)}
DEFAULT_ACCESS = (0.02, 0.01, 0)
TRAVEL = {"road": (15, 240), "river": (240, 720), "sea": (120, 480), "air": (60, 240)}
SYLLABLES = ["ba", "bu", "da", "di", "ga", "ja", "ka", "ke", "la", "lu", "ma", "mu", "na", "pa", "pu", "ra", "ri",
             "sa", "si", "su", "ta", "tu", "wa", "ya", "jaya", "sari", "mulya", "rejo", "tani", "kerto", "harjo"]


@dataclass
class Summary:
    """What one run wrote: rows per level, TPS, voters, bytes and seconds."""

    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NATIONAL, 0))
    classes: int = 0
    voters: int = 0
    seconds: float = 0.0
    files: dict[str, int] = field(default_factory=dict)


def allocate(total: int, weights: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Split ``total`` over ``weights`` by largest remainder, each key at least ``minimum``."""
    base = dict.fromkeys(weights, minimum)
    rest = max(total - minimum * len(weights), 0)
    weight_sum = sum(weights.values()) or 1
    shares = {key: rest * weight / weight_sum for key, weight in weights.items()}
    for key, share in shares.items():
        base[key] += int(share)
    leftover = total - sum(base.values())
    for key in sorted(shares, key=lambda k: (-(shares[k] - int(shares[k])), k))[:max(leftover, 0)]:
        base[key] += 1
    return base


def targets(scale: float) -> dict[str, int]:
    """The synthetic rows per level at ``scale`` (Kaltim's real rows come on top)."""
    synthetic = {level: NATIONAL[level] - KALTIM_COUNTS[level] for level in NATIONAL}
    return {level: count if level == "province" else max(round(count * scale), 1) for level, count in synthetic.items()}


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _point(rng: random.Random, lat: float, lon: float, spread: float) -> tuple[str, str]:
    return (f"{min(max(lat + rng.uniform(-spread, spread), -11), 6):.6f}",
            f"{min(max(lon + rng.uniform(-spread, spread), 95), 141):.6f}")


@dataclass
class _Village:
    code: str
    name: str
    kelurahan: bool
    lat: float
    lon: float
    tps: int = 0


def _tree(scale: float) -> Iterator[tuple[str, list[list[str]], list[_Village]]]:
    """Per province in code order: its region rows and its villages (with their TPS count);
    Kaltim's rows are not made here."""
    want = targets(scale)
    others = [p for p in PROVINCES if p[0] != KALTIM]
    regencies = allocate(want["regency"], {p[0]: p[4] for p in others}, minimum=1)
    districts = allocate(want["district"], {p[0]: p[6] for p in others}, minimum=0)
    villages = allocate(want["village"], {p[0]: p[7] for p in others}, minimum=0)
    stations = allocate(want["tps"], {p[0]: p[8] for p in others}, minimum=0)
    for code, name, lat, lon, full, kota_full, *_counts in others:
        rng = random.Random(f"province {code}")
        rows = [[code, name, "province", "", "provinsi", *_point(rng, lat, lon, 0)]]
        count = regencies[code]
        kota = min(round(kota_full * count / full), count - 1 if count > 1 else 0, 9)
        regency_codes = [f"{code}.{n:02d}" for n in range(1, count - kota + 1)]
        regency_codes += [f"{code}.{70 + n}" for n in range(1, kota + 1)]
        per_regency = allocate(max(districts[code], count), {c: rng.uniform(0.6, 1.4) for c in regency_codes}, 1)
        district_rows = []
        for regency in regency_codes:
            rrng = random.Random(regency)
            is_kota = regency[3] == "7"
            rlat, rlon = (float(v) for v in _point(rrng, lat, lon, 1.2))
            prefix = "Kota" if is_kota else "Kabupaten"
            rows.append([regency, f"{prefix} {_name(rrng)}", "regency", code, "kota" if is_kota else "kabupaten",
                         f"{rlat:.6f}", f"{rlon:.6f}"])
            for n in range(1, per_regency[regency] + 1):
                dcode = f"{regency}.{n:02d}"
                dlat, dlon = (float(v) for v in _point(rrng, rlat, rlon, 0.3))
                district_rows.append((dcode, is_kota, dlat, dlon))
                rows.append([dcode, _name(rrng), "district", regency, "kecamatan", f"{dlat:.6f}", f"{dlon:.6f}"])
        weights = {d[0]: random.Random(d[0]).uniform(0.5, 1.5) for d in district_rows}
        per_district = allocate(max(villages[code], len(district_rows)), weights, 1)
        members: list[_Village] = []
        for dcode, is_kota, dlat, dlon in district_rows:
            drng = random.Random(dcode)
            counters = {True: 1000, False: 2000}
            for _ in range(per_district[dcode]):
                kelurahan = drng.random() < (0.9 if is_kota else 0.06)
                counters[kelurahan] += 1
                vcode = f"{dcode}.{counters[kelurahan]}"
                vlat, vlon = (float(v) for v in _point(drng, dlat, dlon, 0.08))
                members.append(_Village(vcode, _name(drng), kelurahan, vlat, vlon))
        members.sort(key=lambda v: v.code)
        rows += [[v.code, v.name, "village", v.code[:8], "kelurahan" if v.kelurahan else "desa",
                  f"{v.lat:.6f}", f"{v.lon:.6f}"] for v in members]
        rows.sort(key=lambda row: row[0])
        weights = {v.code: (3.0 if v.kelurahan else 1.0) * random.Random(v.code).uniform(0.7, 1.3) for v in members}
        per_village = allocate(max(stations[code], len(members)), weights, 1)
        for village in members:
            village.tps = per_village[village.code]
        yield code, rows, members


def _bool(value: bool) -> str:
    return "1" if value else "0"


def _tps_rows(province: str, village: _Village) -> Iterator[tuple[list, list]]:
    """The TPS of one village and their class rows."""
    rng = random.Random(f"tps {village.code}")
    river, sea, air = ACCESS.get(province, DEFAULT_ACCESS)
    draw = rng.random()
    mode = "river" if draw < river else "sea" if draw < river + sea else "air" if draw < river + sea + air else "road"
    remote = mode != "road" or rng.random() < 0.03
    special = rng.random() < 0.004
    for number in range(1, village.tps + 1):
        lat, lon = _point(rng, village.lat, village.lon, 0.008)
        is_special = special and number == village.tps
        tps = [village.code, number, 200 + rng.randint(0, MAX_VOTERS - 200), f"TPS {number:03d} {village.name}",
               lat, lon, mode, rng.randint(*TRAVEL[mode]), _bool(remote), _bool(is_special)]
        flags = dict.fromkeys(INDICATORS, False)
        flags["voter_rights"] = rng.random() < 0.3
        flags["location"] = remote or is_special
        flags["power_internet"] = remote and rng.random() < 0.7
        if is_special:
            cls = "khusus"
        elif mode != "road":
            cls = "sangat_rawan" if rng.random() < 0.25 else "rawan"
            flags["logistics"] = True
        elif rng.random() < 0.06:
            cls, flags["campaign"] = "rawan", True
        else:
            cls = "kurang_rawan"
        yield tps, [village.code, number, cls, *(_bool(flags[name]) for name in INDICATORS), "", ASSESSED_ON]


def generate(out: Path, scale: float = 1.0, kaltim_tps: Path | None = None) -> Summary:
    """Write regions.csv, tps.csv and tps_classes.csv into ``out`` (see the module)."""
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    kaltim_rows = list(csv.reader((KALTIM_DATA / "regions.csv").open(encoding="utf-8")))[1:]
    for name in ("kabkota.geojson", "kecamatan.geojson"):
        shutil.copyfile(KALTIM_DATA / name, out / name)
    with ((out / "regions.csv").open("w", newline="", encoding="utf-8") as regions_file,
          (out / "tps.csv").open("w", newline="", encoding="utf-8") as tps_file,
          (out / "tps_classes.csv").open("w", newline="", encoding="utf-8") as classes_file):
        regions, register, classes = (csv.writer(f, lineterminator="\n") for f in (regions_file, tps_file,
                                                                                    classes_file))
        regions.writerow(["code", "name", "level", "parent_code", "kind", "lat", "lon"])
        register.writerow(TPS_COLUMNS)
        classes.writerow(CLASS_COLUMNS)
        kaltim_done = False

        def kaltim() -> None:
            regions.writerows(kaltim_rows)
            for row in kaltim_rows:
                summary.rows[row[2]] += 1
            if kaltim_tps is not None:
                with kaltim_tps.open(newline="", encoding="utf-8") as stream:
                    for row in csv.reader(stream):
                        register.writerow(row)
                        summary.rows["tps"] += 1
                        summary.voters += int(row[2])

        for code, rows, villages in _tree(scale):
            if not kaltim_done and code > KALTIM:
                kaltim()
                kaltim_done = True
            regions.writerows(rows)
            for row in rows:
                summary.rows[row[2]] += 1
            for village in villages:
                for tps, cls in _tps_rows(code, village):
                    register.writerow(tps)
                    classes.writerow(cls)
                    summary.rows["tps"] += 1
                    summary.voters += tps[2]
                    summary.classes += 1
        if not kaltim_done:
            kaltim()
    summary.files = {name: (out / name).stat().st_size for name in ("regions.csv", "tps.csv", "tps_classes.csv")}
    summary.seconds = time.perf_counter() - began
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--kaltim-tps", type=Path, help="Kaltim's TPS rows (CSV without a header)")
    args = parser.parse_args()
    summary = generate(args.out, args.scale, args.kaltim_tps)
    print(f"{summary.rows} TPS classes {summary.classes:,}, voters {summary.voters:,}; "
          f"{summary.files}; {summary.seconds:.1f} s")


if __name__ == "__main__":
    main()
