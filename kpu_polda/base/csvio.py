"""CSV in and out, the same everywhere.

Reading uploaded files: a size limit, UTF-8 (with or without BOM), comma or semicolon
(as an Indonesian spreadsheet saves it), required columns, and every refusal an
ImportRejected naming the line, never a crash. Writing downloads: one delimiter, headers
and labels in the request's language, and cells a spreadsheet cannot run as formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpu_polda.base.exceptions import ImportRejected


@dataclass
class ImportResult:
    """What an all-or-nothing import did with the rows of an accepted file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


# The summary every all-or-nothing import gives when it refuses a file.
REJECTED = gettext_lazy("%(count)s row(s) rejected; nothing was imported.")

# The database's integer ranges: a value past them must be a line error, not a DataError.
SMALL_INT_MAX = 32767  # PositiveSmallIntegerField
INT_MAX = 2147483647  # PositiveIntegerField
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")

# Workbooks saved as .xlsx (a zip) or .xls (OLE) instead of CSV.
_WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def parse_int(value: str, *, minimum: int, maximum: int) -> int | None:
    """``value`` as a whole number in [minimum, maximum], else None. ASCII digits only
    (no "1_000", no other scripts' digits), and short enough that int() never refuses."""
    value = value.strip()
    if not _INTEGER.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def parse_decimal(value: str) -> Decimal | None:
    """``value`` as a finite decimal, else None. A decimal comma is accepted as well as a
    point: a spreadsheet set to the Indonesian locale writes -0,5 for -0.5."""
    value = value.strip()
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    if not value or len(value) > 40:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _line_of(data: bytes | str, position: int) -> int:
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, position) + 1


def _not_text(line: int):
    return ImportRejected(_("The file is not a CSV text file (perhaps a spreadsheet workbook): "
                            "save it as CSV UTF-8."), [(line, _("binary content"))])


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        text = raw
    else:
        if raw.startswith(_WORKBOOK_SIGNATURES):
            raise _not_text(1)
        # UTF-16 ("Unicode text") is full of NUL bytes; say what to do rather than "binary".
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in raw:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                # Not decoded as Windows-1252/Latin-1 instead: any byte string decodes as
                # those, so a file in another encoding would be imported as wrong names
                # without anyone noticing. Refusing with the fix is safer.
                raise ImportRejected(
                    _("The file is not UTF-8: in your spreadsheet choose Save As, then "
                      "\"CSV UTF-8 (Comma delimited)\", and upload that file."),
                    [(_line_of(raw, exc.start), _("byte %(position)s is not UTF-8") % {"position": exc.start})],
                ) from exc
        else:
            raise _not_text(_line_of(raw, raw.index(b"\x00")))
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise _not_text(_line_of(text, text.index("\x00")))
    return text


def _delimiter(text: str) -> str:
    """Comma or semicolon, whichever the header line uses more: column names hold neither,
    so the header tells reliably (csv.Sniffer guesses from data rows and guesses wrong)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record; a malformed record is an ImportRejected."""
    # strict: a stray character after a closing quote, or a quote never closed, is an
    # error rather than silently merged fields.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                problem = _("a field is longer than %(limit)s characters (is a quote left open?)") \
                    % {"limit": csv.field_size_limit()}
            else:
                problem = _("a quote (\") is not closed, or is followed by other characters")
            raise ImportRejected(_("The file is not valid CSV."), [(start, problem)]) from exc
        yield start, fields
        start = reader.line_num + 1


def read_rows(
    stream: IO[bytes] | IO[str], *, required: set[str], optional: set[str] = frozenset(), max_bytes: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row; line 1 is the header. Comma- or
    semicolon-delimited (told by the header), UTF-8 with or without BOM; empty lines (and
    lines of bare delimiters, which spreadsheets leave) are skipped.

    Raises ImportRejected, naming the line, for an oversize file, a file that is not
    UTF-8 text, malformed CSV (an unclosed quote, a field past the csv module's limit), a
    header that lacks a required column or names an unknown one, or a row with more
    fields than the header.
    """
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ImportRejected(_("The file is larger than %(size)s KiB.") % {"size": max_bytes // 1024},
                             [(0, _("file too large"))])
    text = _decode(raw)
    records = _records(text, _delimiter(text))
    header = next(((line, fields) for line, fields in records if any(f.strip() for f in fields)), None)
    if header is None:
        raise ImportRejected(_("The file is empty."), [(1, _("no header row"))])
    header_line, names = header[0], [name.strip() for name in header[1]]
    while names and not names[-1]:  # trailing delimiters a spreadsheet leaves after a stray cell
        names.pop()
    repeated = sorted({name or _("(a column without a name)") for name in names if names.count(name) > 1})
    if repeated:
        raise ImportRejected(_("A column appears twice in the header."),
                             [(header_line, _("repeated column(s): %(names)s") % {"names": ", ".join(repeated)})])
    missing = sorted(required - set(names))
    unknown = sorted(name or _("(a column without a name)") for name in set(names) - required - set(optional))
    problems = []
    if missing:
        problems.append((header_line, _("missing column(s): %(names)s") % {"names": ", ".join(missing)}))
    if unknown:
        problems.append((header_line, _("unknown column(s): %(names)s") % {"names": ", ".join(unknown)}))
    if problems:
        raise ImportRejected(_("The header row does not match the expected columns."), problems)
    for line, fields in records:
        if not any(field.strip() for field in fields):
            continue
        if any(field.strip() for field in fields[len(names):]):
            raise ImportRejected(_("A row has more fields than the header."), [(line, _("too many fields"))])
        fields = fields[:len(names)]
        fields = fields + [""] * (len(names) - len(fields))
        yield line, {name: value.strip() for name, value in zip(names, fields, strict=True)}


def too_long(row: Mapping[str, str], lengths: Mapping[str, int]) -> list[str]:
    """A problem for each column of ``row`` longer than its database column allows."""
    return [_("%(name)s is longer than %(max)s characters") % {"name": name, "max": limit}
            for name, limit in lengths.items() if len(row.get(name, "")) > limit]


# --- downloads --------------------------------------------------------------------------

# Semicolon, not a comma plus a "sep=" first line. Excel set to the Indonesian locale uses
# the comma as its decimal separator and the semicolon as its list separator, so it opens
# a semicolon file straight into columns (and decimals written with a comma, below, as
# numbers). A "sep=" line would only help Excel: every other reader (Python's csv, pandas,
# LibreOffice, database COPY, the imports here) takes it as the header row, and Excel
# itself ignores the UTF-8 BOM when it sees one, garbling Indonesian names. LibreOffice and
# Google Sheets detect the semicolon; scripts pass delimiter=";". The imports read both.
DELIMITER = ";"
# OWASP's CSV-injection advice: a cell a spreadsheet would read as a formula (or that
# starts with a tab or carriage return) gets a leading single quote, so it shows as text.
# Also looked at past leading blanks and newlines (some spreadsheets trim them) and with
# the full-width signs folded (NFKC: "＝" is "="), and "|" (DDE in older spreadsheets).
_FORMULA_START = ("=", "+", "-", "@", "|", "\t", "\r")


def export_cell(value) -> str | int:
    """One cell as a spreadsheet in the request's language should see it."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return str(value).replace(".", get_format("DECIMAL_SEPARATOR"))
    if isinstance(value, datetime | date):
        return value.isoformat()  # ISO dates are read as dates in every locale
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    folded = unicodedata.normalize("NFKC", text).lstrip(" \n\r\t")
    return "'" + text if folded.startswith(_FORMULA_START) else text


def write_csv(out, header: Iterable, rows: Iterable[Iterable]) -> None:
    """Write ``header`` and ``rows`` to ``out`` the way every download does."""
    writer = csv.writer(out, delimiter=DELIMITER)
    writer.writerow([export_cell(name) for name in header])
    writer.writerows([export_cell(value) for value in row] for row in rows)


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download: UTF-8 with BOM (so spreadsheet programs read Indonesian names),
    semicolon-delimited, formula-safe cells (see DELIMITER and export_cell)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    write_csv(response, header, rows)
    return response
