from django.db import connection
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import OutOfScope


def one_in_scope(queryset, what: str, **lookup):
    """The row of an already scoped ``queryset`` matching ``lookup`` (a key: pk or another
    unique field). Missing and out of scope raise the same OutOfScope (read as 404), so ids
    of other regions reveal nothing."""
    # No ORDER BY for a lookup by key: .first() would add one, and compiling it was a
    # measurable part of a locked write.
    row = next(iter(queryset.filter(**lookup).order_by()[:1]), None)
    if row is None:
        raise OutOfScope(_("%(what)s not found.") % {"what": what})
    return row


class JoinedRow:
    """A read of one row and the rows it points to, as plain SQL composed once per
    process, for the few lookups every request makes (the API token): the ORM compiles a
    joined query anew on each call, and that compilation cost more than the database's
    answer. ``joins`` are (model or None, alias, join clause) after the first model
    (aliased ``t0``); a join without a model only serves ``extra``, SQL expressions read
    after the columns (their parameters come first in a call). ``read(where, params)``
    returns the instances (None for an outer join that found nothing) and the extra
    values, converted as the ORM would (SQLite's dates), or None when no row matches."""

    def __init__(self, first, joins: list[tuple], extra: list[str] = ()):
        self.models = [(first, "t0")] + [(model, alias) for model, alias, _clause in joins if model is not None]
        self.joins = " ".join(clause for _model, _alias, clause in joins)
        self.extra = list(extra)
        self._sql: str | None = None
        self._reads: list = []

    def _compose(self) -> None:
        quote = connection.ops.quote_name
        columns = []
        for model, alias in self.models:
            fields = model._meta.concrete_fields
            columns += [f"{alias}.{quote(field.column)}" for field in fields]
            converted = []
            for index, field in enumerate(fields):
                column = field.get_col(alias)
                chain = [*connection.ops.get_db_converters(column), *field.get_db_converters(connection)]
                if chain:
                    converted.append((index, column, chain))
            self._reads.append((model, [field.attname for field in fields], converted))
        table = quote(self.models[0][0]._meta.db_table)
        # Names and the caller's fixed SQL only; every value is a parameter of ``read``.
        self._sql = f"SELECT {', '.join(columns + self.extra)} FROM {table} t0 {self.joins} WHERE "  # noqa: S608

    def read(self, where: str, params: list) -> tuple[list, list] | None:
        if self._sql is None:
            self._compose()
        with connection.cursor() as cursor:
            cursor.execute(self._sql + where, params)
            row = cursor.fetchone()
        if row is None:
            return None
        instances, at = [], 0
        for model, names, converted in self._reads:
            values = list(row[at:at + len(names)])
            at += len(names)
            if values[0] is None:
                instances.append(None)
                continue
            for index, column, chain in converted:
                for convert in chain:
                    values[index] = convert(values[index], column, connection)
            instances.append(model.from_db(connection.alias, names, values))
        return instances, list(row[at:])
