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
