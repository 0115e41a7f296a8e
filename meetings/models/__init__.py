from .actions import ActionItem, ActionProgress, ActionStatusChange
from .meetings import AgendaItem, Invitation, Meeting, MeetingSeries, MeetingStatusChange

__all__ = ["ActionItem", "ActionProgress", "ActionStatusChange", "AgendaItem", "Invitation", "Meeting",
           "MeetingSeries", "MeetingStatusChange"]
