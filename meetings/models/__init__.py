from .actions import ActionItem, ActionProgress, ActionStatusChange, CalendarFeed
from .meetings import AgendaItem, Invitation, Meeting, MeetingSeries, MeetingStatusChange
from .minutes import Amendment, Attendance, Minutes, MinutesEntry, Obstacle

__all__ = ["ActionItem", "ActionProgress", "ActionStatusChange", "AgendaItem", "Amendment", "Attendance",
           "CalendarFeed", "Invitation", "Meeting", "MeetingSeries", "MeetingStatusChange", "Minutes", "MinutesEntry",
           "Obstacle"]
