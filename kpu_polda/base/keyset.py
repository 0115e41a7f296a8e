"""Keyset (cursor) paging: a long list read page after page at the same cost, however deep.

With OFFSET the database walks, and throws away, every row before the page: at national
volume (820,000 TPS) page 16,000 of the TPS list cost 25 times page 1. Here a page starts
where the one before it ended: ``WHERE (k1, k2, ..., id) > (the last row's values)
ORDER BY k1, k2, ..., id LIMIT n + 1``. An index on those columns serves that as one range
read, so every page costs what the first does. The one extra row says whether a next
page exists; no row is counted.

The ordering is the queryset's own (its ``order_by``, else the model's ``ordering``) with
the primary key appended: the key is then unique, the order total, and a walk from page
to page shows every row exactly once, even while rows are added before or after the
current one. Every key column must be a non-nullable column of the model itself (NULL
does not compare) and the ordering all ascending or all descending (a row comparison has
one direction).

A cursor is the key of one row and a direction, signed with the project's secret key (so
a client cannot hand the database values of its own making, and a cursor of one list is
refused by another) and checked against the key's columns when read. Anything else is an
InvalidCursor, which the API answers as a 400 and a page as its first page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import BooleanField, F, Value
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

MAX_CURSOR_LENGTH = 1000  # far above any key of ours; longer input is not worth verifying


class InvalidCursor(ValueError):
    """A cursor this list did not issue, or one damaged on the way."""

    def __init__(self, message=None):
        super().__init__(message or _("This link to a page of the list is damaged or outdated: "
                                      "start again from the first page."))

    def __str__(self) -> str:
        return str(self.args[0])


class RowComparison(Expression):
    """``(col1, col2, ...) > (%s, %s, ...)`` (or ``<``): true for rows after (before) a key.

    PostgreSQL reads a row comparison as one range of an index on those columns in that
    order. SQLite has row values from 3.15 on; any other database, or an older SQLite,
    gets the same condition spelled out: ``a > x OR (a = x AND (b > y OR ...))``.
    """

    conditional = True

    def __init__(self, columns: Sequence[str], values: Sequence, operator: str, output_fields: Sequence):
        if operator not in (">", "<") or len(columns) != len(values) or not columns:
            raise ValueError("a row comparison takes > or < and as many values as columns")
        super().__init__(output_field=BooleanField())
        self.operator = operator
        self.columns = [F(column) for column in columns]
        self.values = [Value(value, output_field=field) for value, field in zip(values, output_fields, strict=True)]

    def get_source_expressions(self):
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs):
        count = len(self.columns)
        self.columns, self.values = list(exprs[:count]), list(exprs[count:])

    @staticmethod
    def native(connection) -> bool:
        """Whether the database compares row values itself."""
        if connection.vendor == "postgresql":
            return True
        return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 15)

    def as_sql(self, compiler, connection):
        left = [compiler.compile(column) for column in self.columns]
        right = [compiler.compile(value) for value in self.values]
        if self.native(connection):
            sql = "({}) {} ({})".format(", ".join(s for s, _ in left), self.operator, ", ".join(s for s, _ in right))
            return sql, [*(p for _, ps in left for p in ps), *(p for _, ps in right for p in ps)]
        # Built from the last column outwards: (c > z), then (b > y OR (b = y AND (...))).
        (sql, col), (value_sql, value) = left[-1], right[-1]
        sql, params = f"{sql} {self.operator} {value_sql}", [*col, *value]
        for (col_sql, col), (value_sql, value) in zip(reversed(left[:-1]), reversed(right[:-1]), strict=True):
            sql = f"({col_sql} {self.operator} {value_sql} OR ({col_sql} = {value_sql} AND ({sql})))"
            params = [*col, *value, *col, *value, *params]
        return sql, params


@dataclass
class KeysetPage(Sequence):
    """One page of a list read by cursor: its rows, and the cursors of the pages either
    side (None where there is no such page). ``is_first``: nothing comes before it (read
    without a cursor, or reached going back)."""

    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool = True

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


class KeysetPaginator:
    """Reads pages of ``queryset`` by cursor (see the module's docstring).

    With ``values`` (ORM lookups, as PlainRowsMixin.value_lookups() names them) the rows
    are read as dicts of those lookups, plus the key's columns, instead of model instances.
    """

    def __init__(self, queryset, page_size: int, *, values: Sequence[str] | None = None):
        if page_size < 1:
            raise ValueError("a page holds at least one row")
        self.queryset = queryset
        self.page_size = page_size
        self.values = list(values) if values else None
        self.model = queryset.model
        self.descending, self.key = self._key(queryset)
        self.fields = [self.model._meta.get_field(name) for name in self.key]
        self._salt = f"kpu_polda.keyset:{self.model._meta.label}:{','.join(self.key)}"

    def _key(self, queryset) -> tuple[bool, list[str]]:
        ordering = list(queryset.query.order_by or (self.model._meta.ordering if queryset.query.default_ordering
                                                    else []))
        if not ordering:
            raise ImproperlyConfigured(f"{self.model.__name__}: keyset paging needs an ordered queryset")
        if not all(isinstance(item, str) for item in ordering):
            raise ImproperlyConfigured("keyset paging orders by column names, not expressions")
        descending = {item.startswith("-") for item in ordering}
        if len(descending) > 1:
            raise ImproperlyConfigured("keyset paging needs an ordering all ascending or all descending")
        pk = self.model._meta.pk
        names = [pk.attname if item.lstrip("-") == "pk" else item.lstrip("-") for item in ordering]
        if names[-1] not in (pk.name, pk.attname):
            names.append(pk.attname)  # the tie-breaker: with it no two rows share a key
        for name in names:
            if "__" in name:
                raise ImproperlyConfigured(f"keyset paging orders by the model's own columns, not {name}")
            field = self.model._meta.get_field(name)
            if not field.concrete or field.null:
                raise ImproperlyConfigured(f"keyset column {name} must be a concrete, non-nullable column")
        return descending.pop(), names

    # --- cursors -------------------------------------------------------------------------

    def encode(self, row, *, forward: bool) -> str:
        """The cursor of the page after (``forward``) or before ``row``."""
        key = [row[name] if isinstance(row, dict) else getattr(row, name) for name in self.key]
        payload = {"f": int(forward), "k": [self._plain(value) for value in key]}
        return signing.Signer(salt=self._salt).sign_object(payload, compress=False)

    @staticmethod
    def _plain(value):
        return value if value is None or isinstance(value, bool | int | float | str) else str(value)

    def decode(self, cursor: str) -> tuple[bool, list]:
        """(forward, the key's values) of a cursor this list issued; else InvalidCursor."""
        if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_LENGTH:
            raise InvalidCursor
        try:
            payload = signing.Signer(salt=self._salt).unsign_object(cursor)
        except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
            raise InvalidCursor from exc
        if not isinstance(payload, dict) or set(payload) != {"f", "k"} or payload["f"] not in (0, 1) \
                or not isinstance(payload["k"], list) or len(payload["k"]) != len(self.key):
            raise InvalidCursor
        try:
            values = [field.to_python(value) for field, value in zip(self.fields, payload["k"], strict=True)]
        except (ValidationError, ValueError, TypeError) as exc:
            raise InvalidCursor from exc
        if any(value is None for value in values):
            raise InvalidCursor
        return bool(payload["f"]), values

    # --- pages ---------------------------------------------------------------------------

    def page(self, cursor: str | None = None) -> KeysetPage:
        """The first page, or the one ``cursor`` points to: one query."""
        forward, key = (True, None) if not cursor else self.decode(cursor)
        # Reading backwards walks the index the other way; the rows are turned round after.
        descending = self.descending != (not forward)
        rows = self.queryset.order_by(*(f"-{name}" if descending else name for name in self.key))
        if key is not None:
            targets = [getattr(field, "target_field", field) for field in self.fields]
            rows = rows.filter(RowComparison(self.key, key, "<" if descending else ">", targets))
        if self.values is not None:
            rows = rows.values(*self.values, *(name for name in self.key if name not in self.values))
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if not forward:
            rows.reverse()
        if not rows:
            return KeysetPage([], None, None, is_first=key is None)
        # A page read with a cursor has a row on the side it came from (the cursor's own):
        # forward, the rows before; backward, the rows after.
        later = more if forward else True
        earlier = (key is not None) if forward else more
        return KeysetPage(
            rows,
            next_cursor=self.encode(rows[-1], forward=True) if later else None,
            previous_cursor=self.encode(rows[0], forward=False) if earlier else None,
            is_first=not earlier,
        )


__all__ = ["InvalidCursor", "KeysetPage", "KeysetPaginator", "RowComparison"]
