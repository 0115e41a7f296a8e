"""Writes in meetings: each validated, saved and recorded in history in one transaction."""

from .actions import action_item_create, action_item_move, action_progress_add, action_reminders_plan
from .agenda import agenda_seed, next_meeting_of
from .reminders import invitees_of, meeting_reminders_plan
from .schedule import (
    MAX_OCCURRENCES,
    MEETING_WORKFLOW,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_postpone,
    recurrence,
    series_create,
    series_extend,
)

__all__ = [
    "MAX_OCCURRENCES",
    "MEETING_WORKFLOW",
    "action_item_create",
    "action_item_move",
    "action_progress_add",
    "action_reminders_plan",
    "agenda_seed",
    "invitees_of",
    "meeting_cancel",
    "meeting_create",
    "meeting_hold",
    "meeting_postpone",
    "meeting_reminders_plan",
    "next_meeting_of",
    "recurrence",
    "series_create",
    "series_extend",
]
