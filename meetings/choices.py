"""The meetings app's vocabularies and its workflows' tables, each declared once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluation meeting")
    COORDINATION = "coordination", _("Coordination meeting")
    AD_HOC = "ad_hoc", _("Ad hoc meeting")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")  # moved to a new time, still to come
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


UPCOMING_STATUSES = {MeetingStatus.SCHEDULED, MeetingStatus.POSTPONED}

# Postponing again is allowed: a meeting may move more than once before it is held.
MEETING_TRANSITIONS = {
    MeetingStatus.SCHEDULED: {MeetingStatus.POSTPONED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.POSTPONED: {MeetingStatus.POSTPONED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


class Response(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTENDING = "attending", _("Attending")
    TENTATIVE = "tentative", _("Tentative")
    DECLINED = "declined", _("Declined")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}

ACTION_TRANSITIONS = {
    ActionStatus.OPEN: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED},
    # A closed item found not done after all is taken up again.
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.DROPPED: set(),
}


class AgendaSource(models.TextChoices):
    """Where an agenda item came from: written by hand, or carried over by the seeding."""

    MANUAL = "manual", _("Added by hand")
    ACTION_ITEM = "action_item", _("Open follow-up")
    RISK = "risk", _("Risk level changed")


# Reminders before a meeting, in minutes: 3 days, 1 day, 2 hours.
DEFAULT_REMINDER_OFFSETS = [3 * 24 * 60, 24 * 60, 120]
MAX_REMINDER_OFFSETS = 6
MAX_REMINDER_OFFSET = 30 * 24 * 60

# Outbox kinds written by this app (coordination.models.Notification.kind).
REMINDER_KIND = "meeting_reminder"
MOVED_KIND = "meeting_moved"
CANCELLED_KIND = "meeting_cancelled"
MINUTES_DUE_KIND = "minutes_due"
APPROVAL_KIND = "minutes_approval"
ACTION_DUE_KIND = "action_due"
ACTION_OVERDUE_KIND = "action_overdue"
