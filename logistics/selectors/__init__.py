"""Every non-trivial read of logistics, scoped through logistics.policies."""

from .board import BOARD_STATUSES, Board, BoardRow, board_export, board_region, escort_board
from .documents import BeritaAcara, berita_acara_for, date_in_words
from .escorts import (
    custody_events_for,
    discrepancies_for,
    escort_get,
    escort_next_steps,
    escort_trail,
    escorts_for,
    field_escorts,
    handover_closed_kinds,
    handover_state,
    handover_state_of,
    station_for,
)

__all__ = [
    "BOARD_STATUSES",
    "Board",
    "BoardRow",
    "board_export",
    "board_region",
    "BeritaAcara",
    "berita_acara_for",
    "custody_events_for",
    "date_in_words",
    "discrepancies_for",
    "escort_board",
    "escort_get",
    "escort_next_steps",
    "escort_trail",
    "escorts_for",
    "field_escorts",
    "handover_closed_kinds",
    "handover_state",
    "handover_state_of",
    "station_for",
]
