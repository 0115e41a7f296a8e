from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coordination.models import Election, ElectionStage, User
from kpu_polda.base.csvio import REJECTED, SMALL_INT_MAX, ImportResult, parse_int, read_rows, too_long
from kpu_polda.base.exceptions import ImportRejected

STAGE_COLUMNS = {"election_code", "code", "parent_code", "order", "name", "name_en", "starts_on", "ends_on",
                 "end_rule", "regulation", "source", "uncertain"}
_FIELDS = ["parent", "order", "name", "name_en", "starts_on", "ends_on", "end_rule", "regulation", "source",
           "is_uncertain"]
# A sample of the stage table: a stage and a sub-stage of one election.
SAMPLE = (["election_code", "code", "parent_code", "order", "name", "name_en", "starts_on", "ends_on", "end_rule",
           "regulation", "source", "uncertain"],
          [["pemilu-2024", "9", "", 9, "Pemungutan dan penghitungan suara", "Voting and counting", date(2024, 2, 14),
            date(2024, 2, 15), "", "PKPU 3/2022", "https://jdih.kpu.go.id/", "false"],
           ["pemilu-2024", "9.1", "9", 1, "Pemungutan suara", "Voting", date(2024, 2, 14), "",
            "hari pemungutan suara", "PKPU 3/2022", "", "false"]])

# The database's column widths: a longer value is a line error, not a database error.
_LENGTHS = {"code": 20, "name": 200, "name_en": 200, "end_rule": 300, "regulation": 120, "source": 400}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def stages_import_csv(*, actor: User, path: Path | None = None) -> ImportResult:
    """Create or correct election stages from a CSV (default: the shipped stage table).

    Matched on (election, code), so loading twice changes nothing and a corrected date is
    updated. All-or-nothing: an unknown election or parent, a malformed or reversed date
    range, or a stage without an end date and without an end rule rejects the file with
    ImportRejected naming each line.
    """
    path = Path(path or settings.BASE_DIR / "data" / "elections" / "stages.csv")
    elections = {e.code: e for e in Election.objects.all()}
    rows: dict[tuple[str, str], dict] = {}
    errors: list[tuple[int, str]] = []
    with path.open("rb") as stream:
        for line, row in read_rows(stream, required=STAGE_COLUMNS, max_bytes=1024 * 1024):
            problems = []
            key = (row["election_code"], row["code"])
            if row["election_code"] not in elections:
                problems.append(_("unknown election %(code)r") % {"code": row["election_code"]})
            if not row["code"] or key in rows:
                problems.append(_("code %(code)r is empty or repeated") % {"code": row["code"]})
            starts, ends = _date(row["starts_on"]), _date(row["ends_on"]) if row["ends_on"] else None
            if starts is None or (row["ends_on"] and ends is None):
                problems.append(_("dates must be YYYY-MM-DD"))
            elif ends is not None and ends < starts:
                problems.append(_("ends_on is before starts_on"))
            if not row["ends_on"] and not row["end_rule"]:
                problems.append(_("a stage without an end date needs an end rule"))
            if row["parent_code"] and (row["election_code"], row["parent_code"]) not in rows:
                problems.append(_("parent %(code)r must come earlier in the file") % {"code": row["parent_code"]})
            order = parse_int(row["order"] or "0", minimum=0, maximum=SMALL_INT_MAX)
            if order is None:
                problems.append(_("order %(value)r must be a whole number from 0") % {"value": row["order"]})
            problems += too_long(row, _LENGTHS)
            if problems:
                errors.append((line, "; ".join(problems)))
                continue
            rows[key] = {"line": line, "parent_code": row["parent_code"], "order": order, "name": row["name"],
                         "name_en": row["name_en"], "starts_on": starts, "ends_on": ends,
                         "end_rule": row["end_rule"], "regulation": row["regulation"], "source": row["source"],
                         "is_uncertain": row["uncertain"].lower() == "true"}
    if errors:
        raise ImportRejected(REJECTED % {"count": len(errors)}, errors)

    result = ImportResult()
    with transaction.atomic():
        existing = {(s.election.code, s.code): s for s in ElectionStage.objects.select_related("election")}
        saved: dict[tuple[str, str], ElectionStage] = {}
        for (election_code, code), values in rows.items():  # file order: parents first
            line = values.pop("line")
            parent_code = values.pop("parent_code")
            values["parent"] = saved[(election_code, parent_code)] if parent_code else None
            stage = existing.get((election_code, code))
            changed = _FIELDS
            if stage is None:
                stage = ElectionStage(election=elections[election_code], code=code, **values)
            else:
                changed = [f for f in _FIELDS if getattr(stage, f) != values[f]]
                for field in changed:
                    setattr(stage, field, values[field])
            saved[(election_code, code)] = stage
            if stage.pk is not None and not changed:
                result.unchanged += 1
                continue
            try:
                stage.full_clean()
            except ValidationError as exc:
                # Rolls back every row saved so far: the import is all-or-nothing.
                raise ImportRejected(_("A row breaks a stage rule; nothing was imported."),
                                     [(line, "; ".join(exc.messages))]) from exc
            stage._history_user = actor
            if stage.pk is None:
                stage.save()
                result.created += 1
            else:
                stage.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
    return result
