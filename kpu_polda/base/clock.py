"""The one clock of the app: every "now" and "today" in rules, tasks and pages.

Production runs on real time. A demo or drill sets CLOCK_START (and CLOCK_ANCHOR, the real
moment that corresponds to it, shared by web, worker and beat so they agree); the clock
then starts at that moment and runs forward at normal speed. Tests pin it with travel_to().

Security timing (session age, login lockout, API token expiry) deliberately stays on real
time: a drill must not make real credentials last longer or expire early.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

_process_started = timezone.now()
_local = threading.local()


def _offset() -> timedelta:
    start = getattr(settings, "CLOCK_START", None)
    if start is None:
        return timedelta(0)
    anchor = getattr(settings, "CLOCK_ANCHOR", None) or _process_started
    return start - anchor


def now() -> datetime:
    """The current moment (aware, UTC) on the app's clock."""
    pinned = getattr(_local, "pinned", None)
    if pinned is not None:
        return pinned
    return timezone.now() + _offset()


def from_real(moment: datetime) -> datetime:
    """Where the app's clock puts a moment kept on real time (a security moment such as an
    API token's expiry): the same distance from now. Without a simulation, ``moment`` itself."""
    if not is_simulated():
        return moment
    return moment + (now() - timezone.now())


def today() -> date:
    """Today's date in WITA on the app's clock."""
    return timezone.localdate(now())


def is_simulated() -> bool:
    return getattr(_local, "pinned", None) is not None or _offset() != timedelta(0)


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Pin the clock at ``moment`` (aware) for the duration of the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel_to needs an aware datetime")
    previous = getattr(_local, "pinned", None)
    _local.pinned = moment
    try:
        yield
    finally:
        _local.pinned = previous
