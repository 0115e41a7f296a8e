from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from coordination.choices import CODE_LENGTH, KIND_LEVEL, LEVEL_ORDER, RegionKind, RegionLevel
from coordination.models import Region, User
from kpu_polda.base.csvio import REJECTED, parse_decimal, read_rows, too_long
from kpu_polda.base.exceptions import ImportRejected
from kpu_polda.base.history import bulk_create_with_history, bulk_update_with_history

REGION_COLUMNS = {"code", "name", "level", "parent_code", "kind", "lat", "lon"}
_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_FIELDS = ["name", "level", "kind", "latitude", "longitude"]
REGIONS_MAX_BYTES = 20 * 1024 * 1024  # the shipped file; an upload job passes its own limit
# A sample of regions.csv: a kab/kota and one of its kecamatan, under the province.
SAMPLE = (["code", "name", "level", "parent_code", "kind", "lat", "lon"],
          [["64.72", "Kota Samarinda", "regency", "64", "kota", Decimal("-0.500280"), Decimal("117.177063")],
           ["64.72.01", "Palaran", "district", "64.72", "kecamatan", Decimal("-0.617633"), Decimal("117.185066")]])


def _decimal(value: str, low: int, high: int) -> Decimal | None:
    number = parse_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal("0.000001")) if low <= number <= high else None


def _parse(stream: IO[bytes], max_bytes: int, progress) -> tuple[dict[str, dict], list[tuple[int, str]]]:
    rows: dict[str, dict] = {}
    errors: list[tuple[int, str]] = []
    for line, row in read_rows(stream, required=REGION_COLUMNS, max_bytes=max_bytes):
        if progress is not None:
            progress(len(rows) + len(errors) + 1)
        code = row["code"]
        problems = []
        if not _CODE_RE.match(code):
            problems.append(_("code %(code)r is not a Kemendagri code") % {"code": code})
        elif code in rows:
            problems.append(_("code %(code)s appears twice (first on line %(line)s)")
                            % {"code": code, "line": rows[code]["line"]})
        if row["level"] not in RegionLevel.values:
            problems.append(_("unknown level %(level)r") % {"level": row["level"]})
        elif _CODE_RE.match(code) and len(code) != CODE_LENGTH[row["level"]]:
            problems.append(_("code %(code)s does not fit level %(level)s") % {"code": code, "level": row["level"]})
        if row["kind"] not in RegionKind.values:
            problems.append(_("unknown kind %(kind)r") % {"kind": row["kind"]})
        elif row["level"] in RegionLevel.values and KIND_LEVEL[row["kind"]] != row["level"]:
            problems.append(_("kind %(kind)s does not fit level %(level)s")
                            % {"kind": row["kind"], "level": row["level"]})
        expected_parent = code.rpartition(".")[0]
        if row["parent_code"] != expected_parent:
            problems.append(_("parent_code should be %(code)r") % {"code": expected_parent})
        if not row["name"]:
            problems.append(_("name is empty"))
        problems += too_long(row, {"name": 120})
        lat, lon = _decimal(row["lat"], -90, 90), _decimal(row["lon"], -180, 180)
        if lat is None or lon is None:
            problems.append(_("lat/lon must be decimal degrees"))
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        rows[code] = {"line": line, "name": row["name"], "level": row["level"], "kind": row["kind"],
                      "latitude": lat, "longitude": lon, "parent_code": row["parent_code"]}
    return rows, errors


def _boundaries(paths: list[Path]) -> dict[str, dict]:
    shapes: dict[str, dict] = {}
    for path in paths:
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data.get("features", []):
            shapes[feature["properties"]["code"]] = feature["geometry"]
    return shapes


def region_import_csv(*, actor: User, directory: Path | None = None, stream: IO[bytes] | None = None,
                      max_bytes: int = REGIONS_MAX_BYTES, progress: Callable[[int], None] | None = None,
                      ) -> dict[str, Counter]:
    """Load the region tree from ``regions.csv`` (and boundaries from ``kabkota.geojson``
    and ``kecamatan.geojson``) in ``directory``, by default the shipped Kaltim data.

    Idempotent: a region is matched on its code, created when new and updated when its
    name, kind, level or point changed. All-or-nothing: any bad row (reported by line
    number) or a parent that exists neither in the file nor in the database rejects the
    whole file with ImportRejected and writes nothing. Returns counts per level of
    ``created``, ``updated`` and ``unchanged``.

    With ``stream`` (an uploaded regions.csv) that file is read instead and the stored
    boundaries are left as they are; ``progress`` is told the rows read.
    """
    if stream is not None:
        rows, errors = _parse(stream, max_bytes, progress)
        shapes = None
    else:
        directory = Path(directory or settings.SEED_DATA_DIR)
        with (directory / "regions.csv").open("rb") as handle:
            rows, errors = _parse(handle, max_bytes, progress)
        shapes = _boundaries([directory / "kabkota.geojson", directory / "kecamatan.geojson"])
    fields = [*_FIELDS, "parent"] + (["boundary"] if shapes is not None else [])

    with transaction.atomic():
        existing = {region.code: region for region in Region.objects.filter(code__in=list(rows))}
        known_parents = set(rows) | set(
            Region.objects.filter(code__in={r["parent_code"] for r in rows.values()}).values_list("code", flat=True)
        )
        for row in rows.values():
            if row["parent_code"] and row["parent_code"] not in known_parents:
                errors.append((row["line"], _("parent %(code)s is unknown") % {"code": row["parent_code"]}))
        if errors:
            raise ImportRejected(REJECTED % {"count": len(errors)}, sorted(errors))

        counts: dict[str, Counter] = {level: Counter() for level in LEVEL_ORDER}
        ids = dict(Region.objects.filter(code__in=known_parents).values_list("code", "id"))
        for level in LEVEL_ORDER:  # parents before children, so each level can point up
            new, changed = [], []
            for code, row in rows.items():
                if row["level"] != level:
                    continue
                values = {field: row[field] for field in _FIELDS}
                values["parent_id"] = ids.get(row["parent_code"])
                if shapes is not None:
                    values["boundary"] = shapes.get(code)
                region = existing.get(code)
                if region is None:
                    new.append(Region(code=code, **values))
                elif any(getattr(region, key) != value for key, value in values.items()):
                    for key, value in values.items():
                        setattr(region, key, value)
                    changed.append(region)
                else:
                    counts[level]["unchanged"] += 1
            if new:
                bulk_create_with_history(new, Region, batch_size=500, default_user=actor)
            if changed:
                bulk_update_with_history(changed, Region, fields,
                                         batch_size=500, default_user=actor)
            counts[level]["created"] += len(new)
            counts[level]["updated"] += len(changed)
            ids.update(Region.objects.filter(level=level, code__in=list(rows)).values_list("code", "id"))
    return counts
