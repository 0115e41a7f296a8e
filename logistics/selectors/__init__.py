"""Every non-trivial read of logistics, scoped through logistics.policies."""

from .escorts import (
    custody_events_for,
    discrepancies_for,
    escort_get,
    escort_next_steps,
    escort_trail,
    escorts_for,
)

__all__ = [
    "custody_events_for",
    "discrepancies_for",
    "escort_get",
    "escort_next_steps",
    "escort_trail",
    "escorts_for",
]
