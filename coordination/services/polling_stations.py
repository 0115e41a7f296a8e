from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coordination import policies
from coordination.choices import AccessMode, RegionLevel
from coordination.models import Election, PollingStation, Region, User
from kpu_polda.base.csvio import INT_MAX, REJECTED, ImportResult, parse_decimal, parse_int, read_rows, too_long
from kpu_polda.base.exceptions import Conflict, ImportRejected
from kpu_polda.base.history import bulk_create_with_history, bulk_update_with_history

REQUIRED = {"village_code", "number", "voters"}
OPTIONAL = {"address", "latitude", "longitude", "is_special_location", "access_mode", "travel_minutes", "is_remote"}
_BOOL = {"": False, "0": False, "false": False, "no": False, "tidak": False,
         "1": True, "true": True, "yes": True, "ya": True}
_UPDATABLE = ["address", "voters", "latitude", "longitude", "is_special_location", "access_mode",
              "travel_minutes", "is_remote"]
# The sample file offered on the import page: the columns in a spreadsheet's order and
# two TPS of one kelurahan of Samarinda (decimals are written the way the reader's
# spreadsheet expects; the import reads a decimal point or comma).
SAMPLE = (["village_code", "number", "voters", "address", "latitude", "longitude", "access_mode", "travel_minutes",
           "is_remote", "is_special_location"],
          [["64.72.01.1001", 1, 250, "Jl. Pelita RT 05", Decimal("-0.572194"), Decimal("117.177495"), "road", "",
            "tidak", "tidak"],
           ["64.72.01.1001", 2, 238, "SDN 012 Palaran", "", "", "river", 45, "ya", "tidak"]])


def _coord(value: str, limit: int) -> Decimal | None | bool:
    """None for blank, False for invalid."""
    if not value:
        return None
    number = parse_decimal(value)
    if number is None:
        return False
    return number.quantize(Decimal("0.000001")) if -limit <= number <= limit else False


def _row_values(row: dict[str, str], election: Election) -> tuple[dict, list[str]]:
    problems: list[str] = []
    number = parse_int(row["number"], minimum=1, maximum=9999)
    if number is None:
        problems.append(_("number %(value)r must be a whole number from 1") % {"value": row["number"]})
    voters = parse_int(row["voters"], minimum=0, maximum=election.max_voters_per_tps)
    if voters is None:
        problems.append(_("voters %(value)r must be a whole number from 0 to %(max)s")
                        % {"value": row["voters"], "max": election.max_voters_per_tps})
    latitude, longitude = _coord(row.get("latitude", ""), 90), _coord(row.get("longitude", ""), 180)
    if latitude is False or longitude is False:
        problems.append(_("latitude/longitude must be decimal degrees"))
    access = row.get("access_mode", "") or AccessMode.ROAD
    if access not in AccessMode.values:
        problems.append(_("access_mode %(value)r must be one of %(choices)s")
                        % {"value": access, "choices": ", ".join(AccessMode.values)})
    special, remote = (_BOOL.get(row.get(key, "").lower()) for key in ("is_special_location", "is_remote"))
    if special is None or remote is None:
        problems.append(_("is_special_location/is_remote must be true or false"))
    travel = None
    if row.get("travel_minutes"):
        travel = parse_int(row["travel_minutes"], minimum=0, maximum=INT_MAX)
        if travel is None:
            problems.append(_("travel_minutes must be a whole number"))
    problems += too_long(row, {"address": PollingStation._meta.get_field("address").max_length})
    values = {"number": number, "voters": voters, "address": row.get("address", ""),
              "latitude": latitude, "longitude": longitude, "access_mode": access,
              "is_special_location": special, "is_remote": remote, "travel_minutes": travel}
    return values, problems


def polling_station_import_csv(*, actor: User, election: Election, stream: IO[bytes], max_bytes: int | None = None,
                               progress: Callable[[int], None] | None = None) -> ImportResult:
    """Create or update the TPS of ``election`` listed in a CSV upload.

    Columns: village_code, number, voters (required); address, latitude, longitude,
    is_special_location, access_mode, travel_minutes, is_remote (optional). A TPS is
    matched on (election, village, number), so importing the same file twice changes
    nothing. All-or-nothing: an unknown or out-of-scope village code, a TPS number given
    twice for one village, more voters than the election allows, or any malformed value
    rejects the whole file with ImportRejected naming each line; nothing is written.

    Raises PermissionDenied when the actor may not manage TPS. ``max_bytes`` overrides
    the upload limit (a background job's is larger); ``progress`` is told the rows read.
    """
    policies.ensure_can_manage_polling_stations(actor)
    prefix = policies.scope_code(actor)
    parsed: list[tuple[int, str, dict]] = []
    errors: list[tuple[int, str]] = []
    for line, row in read_rows(stream, required=REQUIRED, optional=OPTIONAL,
                               max_bytes=max_bytes or settings.CSV_IMPORT_MAX_BYTES):
        values, problems = _row_values(row, election)
        if progress is not None:
            progress(len(parsed) + 1)
        if problems:
            errors.append((line, "; ".join(problems)))
        parsed.append((line, row["village_code"], values))
    if not parsed and not errors:
        raise ImportRejected(_("The file has no rows."), [(2, _("no data rows"))])

    villages = {
        code: (pk, level)
        for code, pk, level in Region.objects.filter(code__in={row[1] for row in parsed})
        .values_list("code", "id", "level")
    }
    seen: dict[tuple[str, int], int] = {}
    for line, code, values in parsed:
        found = villages.get(code)
        if found is None:
            errors.append((line, _("village code %(code)r is unknown") % {"code": code}))
        elif not policies.code_in_scope(code, prefix):
            # That the code exists is public (Kemendagri's list); nothing else of it is told,
            # not even whether it is a village.
            errors.append((line, _("village code %(code)r is outside your region") % {"code": code}))
        elif found[1] != RegionLevel.VILLAGE:
            errors.append((line, _("%(code)s is not a desa/kelurahan") % {"code": code}))
        key = (code, values["number"])
        if values["number"] is not None and key in seen:
            errors.append((line, _("TPS %(number)s in %(code)s is already on line %(line)s")
                           % {"number": values["number"], "code": code, "line": seen[key]}))
        seen.setdefault(key, line)
    if errors:
        raise ImportRejected(REJECTED % {"count": len(errors)}, sorted(errors))

    result = ImportResult()
    with transaction.atomic():
        village_ids = {villages[row[1]][0] for row in parsed}
        existing = {
            (tps.village_id, tps.number): tps
            for tps in PollingStation.objects.select_for_update().filter(election=election, village_id__in=village_ids)
        }
        new, changed = [], []
        for _line, code, values in parsed:
            village_id = villages[code][0]
            tps = existing.get((village_id, values["number"]))
            if tps is None:
                new.append(PollingStation(election=election, village_id=village_id, village_code=code, **values))
            elif any(getattr(tps, key) != values[key] for key in _UPDATABLE):
                for key in _UPDATABLE:
                    setattr(tps, key, values[key])
                changed.append(tps)
            else:
                result.unchanged += 1
        if new:
            try:
                with transaction.atomic():
                    bulk_create_with_history(new, PollingStation, batch_size=1000, default_user=actor)
            except IntegrityError as exc:
                # Another import created some of these TPS since we looked.
                raise Conflict("Another import of the same TPS ran at the same time; try again.",
                               code="concurrent_import") from exc
        if changed:
            bulk_update_with_history(changed, PollingStation, _UPDATABLE, batch_size=1000, default_user=actor)
        result.created, result.updated = len(new), len(changed)
    return result
