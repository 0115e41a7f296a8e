"""The one check every workflow uses before moving a row to a new status."""

from __future__ import annotations

from collections.abc import Mapping

from kpu_polda.base.exceptions import TransitionNotAllowed


def ensure_transition(table: Mapping[str, set[str]], current: str, target: str, *, what: str) -> None:
    """Raise TransitionNotAllowed unless ``table`` lets ``current`` move to ``target``."""
    if target not in table.get(current, set()):
        raise TransitionNotAllowed(f"A {what} cannot move from {current} to {target}.")
