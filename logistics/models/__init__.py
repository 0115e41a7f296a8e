"""Logistics escort: requests and their goods, the custody chain, discrepancies, alerts."""

from .custody import CustodyEvent, Discrepancy, EscortAlert
from .escorts import EscortItem, EscortNumberCounter, EscortRequest, EscortStatusChange

__all__ = [
    "CustodyEvent",
    "Discrepancy",
    "EscortAlert",
    "EscortItem",
    "EscortNumberCounter",
    "EscortRequest",
    "EscortStatusChange",
]
