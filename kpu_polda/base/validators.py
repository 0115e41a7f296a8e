"""The input rules every form and API serializer holds to (kpu_polda.base.forms.StrictFormMixin,
kpu_polda.base.serializers.StrictInputMixin and the filters' IntegerFilter apply them).

- Numbers and dates are written with the ASCII digits 0-9. Python's int(), Decimal() and
  Django's date parsing also read Arabic-Indic, fullwidth and other Unicode digits; such a
  value would be stored as a number nobody typed.
- Dates lie between 1990 and 2100: anything else is a typing slip (a year 24 or 20240),
  and dates far outside overflow the date arithmetic of deadlines and reminders.
- Text holds no control characters; multi-line text may hold newlines, carriage returns
  and tabs.
- Whole numbers fit the database's 64-bit integer: larger ones are refused, not sent to
  the database (which refuses them with an error of its own, or overflows).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990
LAST_YEAR = 2100
BIGINT_MAX = 2**63 - 1

DIGITS_MESSAGE = _("Use the digits 0-9.")
DATE_MESSAGE = _("Enter a date between the years %(first)s and %(last)s.")
CONTROL_MESSAGE = _("Control characters are not allowed.")

MULTI_LINE_ALLOWED = frozenset("\n\r\t")


def has_foreign_digits(value) -> bool:
    """True when ``value`` is text with a digit other than 0-9 (e.g. Arabic-Indic, fullwidth)."""
    return isinstance(value, str) and any(ch.isdigit() and not ("0" <= ch <= "9") for ch in value)


def check_digits(value) -> None:
    if has_foreign_digits(value):
        raise ValidationError(DIGITS_MESSAGE, code="digits")


# The widest offset a real zone has (UTC-12 to UTC+14); Python accepts up to 24 hours,
# PostgreSQL refuses more than about 15.
MAX_OFFSET = dt.timedelta(hours=14)


def validate_date_range(value) -> None:
    """Refuses a date or datetime outside FIRST_YEAR..LAST_YEAR, or a time zone offset no
    zone has."""
    if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(DATE_MESSAGE, code="date_range", params={"first": FIRST_YEAR, "last": LAST_YEAR})
    offset = value.utcoffset() if isinstance(value, dt.datetime) else None
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValidationError(OFFSET_MESSAGE, code="offset_range")


OFFSET_MESSAGE = _("Use a time zone offset between -12:00 and +14:00.")


def _has_control(value: str, allowed: frozenset[str]) -> bool:
    # Cc: C0 (U+0000-001F), DEL and C1 (U+007F-009F).
    return any((ch < " " or "\x7f" <= ch <= "\x9f") and ch not in allowed for ch in value)


def validate_single_line(value) -> None:
    if isinstance(value, str) and _has_control(value, frozenset()):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def validate_multi_line(value) -> None:
    if isinstance(value, str) and _has_control(value, MULTI_LINE_ALLOWED):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def refuse_foreign_digits(field, method: str) -> None:
    """Make ``field``'s parsing method (``to_python`` of a form field, ``to_internal_value``
    of a serializer field) refuse digits other than 0-9 before it converts the value."""
    convert = getattr(field, method)

    def parse(value):
        check_digits(value)
        return convert(value)

    setattr(field, method, parse)
