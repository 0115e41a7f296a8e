from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import OutOfScope


def one_in_scope(queryset, what: str, **lookup):
    """The row of an already scoped ``queryset`` matching ``lookup``. Missing and out of
    scope raise the same OutOfScope (read as 404), so ids of other regions reveal nothing."""
    row = queryset.filter(**lookup).first()
    if row is None:
        raise OutOfScope(_("%(what)s not found.") % {"what": what})
    return row
