"""Writes in meetings: each validated, saved and recorded in history in one transaction."""

from .actions import action_item_create, action_item_move, action_progress_add, action_reminders_plan
from .agenda import agenda_item_add, agenda_item_move, agenda_item_remove, agenda_seed, next_meeting_of
from .feeds import calendar_feed_create, calendar_feed_revoke
from .invitations import RsvpLinkError, invitation_add, invitation_reply, rsvp_read, rsvp_token, rsvp_url
from .minutes import (
    approvers_of,
    attendance_record,
    minutes_amend,
    minutes_approve,
    minutes_start,
    minutes_submit,
    minutes_update,
)
from .reminders import invitees_of, meeting_reminders_plan
from .schedule import (
    MAX_OCCURRENCES,
    MEETING_WORKFLOW,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_postpone,
    meeting_update,
    recurrence,
    series_create,
    series_extend,
)

__all__ = [
    "RsvpLinkError",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "approvers_of",
    "attendance_record",
    "invitation_add",
    "invitation_reply",
    "minutes_amend",
    "minutes_approve",
    "minutes_start",
    "minutes_submit",
    "minutes_update",
    "rsvp_read",
    "rsvp_token",
    "rsvp_url",
    "MAX_OCCURRENCES",
    "MEETING_WORKFLOW",
    "action_item_create",
    "action_item_move",
    "action_progress_add",
    "action_reminders_plan",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_seed",
    "invitees_of",
    "meeting_cancel",
    "meeting_create",
    "meeting_hold",
    "meeting_postpone",
    "meeting_update",
    "meeting_reminders_plan",
    "next_meeting_of",
    "recurrence",
    "series_create",
    "series_extend",
]
