"""The one check every workflow uses before moving a row to a new status."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import TransitionNotAllowed


def ensure_transition(table: Mapping[str, set[str]], current: str, target: str, *, what: str) -> None:
    """Raise TransitionNotAllowed unless ``table`` lets ``current`` move to ``target``."""
    if target not in table.get(current, set()):
        raise TransitionNotAllowed(
            _("A %(what)s cannot move from %(current)s to %(target)s.") % {"what": what, "current": current,
                                                                         "target": target})
