"""Reading uploaded CSV files with the same guarantees everywhere: a size limit, UTF-8
(with or without BOM), required columns, and errors that name the line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.http import HttpResponse
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


def read_rows(
    stream: IO[bytes] | IO[str], *, required: set[str], optional: set[str] = frozenset(), max_bytes: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row; line 1 is the header.

    Raises ImportRejected for an oversize file, a file that is not UTF-8 text, or a
    header that lacks a required column or names an unknown one.
    """
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ImportRejected(_("The file is larger than %(size)s KiB.") % {"size": max_bytes // 1024},
                             [(0, _("file too large"))])
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected(_("The file is not UTF-8 text."),
                                 [(0, _("byte %(position)s: not UTF-8") % {"position": exc.start})]) from exc
    else:
        text = raw.lstrip("\ufeff")
    if "\x00" in text:
        raise ImportRejected(_("The file is not a CSV text file."), [(0, _("binary content"))])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise ImportRejected(_("The file is empty."), [(1, _("no header row"))])
    reader.fieldnames = header
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ImportRejected(_("A column appears twice in the header."),
                             [(1, _("repeated column(s): %(names)s") % {"names": ", ".join(repeated)})])
    missing = sorted(required - set(header))
    unknown = sorted(set(header) - required - set(optional))
    problems = []
    if missing:
        problems.append((1, _("missing column(s): %(names)s") % {"names": ", ".join(missing)}))
    if unknown:
        problems.append((1, _("unknown column(s): %(names)s") % {"names": ", ".join(unknown)}))
    if problems:
        raise ImportRejected(_("The header row does not match the expected columns."), problems)
    for row in reader:
        if None in row:
            raise ImportRejected(_("A row has more fields than the header."),
                                 [(reader.line_num, _("too many fields"))])
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, so spreadsheet programs read Indonesian names)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
