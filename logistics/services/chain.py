"""Checking an escort's chain of custody: every event's hash, and each link to the one
before it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import EscortRequest
from ..models.custody import GENESIS


@dataclass(frozen=True)
class ChainReport:
    """The check of one escort's chain: how many events were read, and the first broken
    link (its sequence number and what is wrong), if any."""

    escort: str
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def custody_chain_verify(*, escort: EscortRequest) -> ChainReport:
    """Recompute every event's hash of ``escort`` in order and name the first link that
    does not hold: a row whose content no longer matches its hash, a row whose previous
    hash is not the hash of the event before it, or a missing number in the sequence."""
    previous, expected, checked = GENESIS, 1, 0
    for event in escort.events.order_by("sequence").iterator():
        checked += 1
        if event.sequence != expected:
            return ChainReport(escort.number, checked, expected, _("Event %(n)s is missing.") % {"n": expected})
        if event.previous_hash != previous:
            return ChainReport(escort.number, checked, event.sequence,
                               _("It does not follow the event before it (previous hash differs)."))
        if event.compute_hash() != event.hash:
            return ChainReport(escort.number, checked, event.sequence,
                               _("Its content was changed after it was recorded (hash differs)."))
        previous, expected = event.hash, expected + 1
    return ChainReport(escort.number, checked)
