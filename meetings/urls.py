from django.urls import path

from .views import agenda, calendar, documents, meetings, minutes, rsvp, scheduling

app_name = "meetings"

# Each group of pages keeps its routes together; add new routes to their group.
urlpatterns = [
    # meetings: list, the meeting's page, its calendar entry
    path("", meetings.meeting_list, name="meeting-list"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("<int:pk>/calendar.ics", meetings.meeting_ics, name="meeting-ics"),
    # scheduling: new meetings and series, the organisers' steps, replies, attendance
    path("new/", scheduling.meeting_new, name="meeting-new"),
    path("series/new/", scheduling.series_new, name="series-new"),
    path("<int:pk>/step/<slug:step>/", scheduling.meeting_step, name="meeting-step"),
    path("<int:pk>/invitations/<int:invitation>/reply/", scheduling.invitation_reply, name="invitation-reply"),
    path("<int:pk>/attendance/", scheduling.attendance, name="attendance"),
    # agenda and follow-ups: the agenda editor, a new follow-up, one follow-up's page
    path("<int:pk>/agenda/", agenda.agenda, name="agenda"),
    path("<int:pk>/follow-ups/new/", agenda.action_new, name="action-new"),
    path("follow-ups/<int:pk>/", agenda.action_detail, name="action-detail"),
    # calendar: the month, the follow-up lists, the personal feed
    path("calendar/", calendar.month, name="calendar"),
    path("follow-ups/", calendar.my_actions, name="my-actions"),
    path("follow-ups/overdue/", calendar.overdue, name="overdue"),
    path("feed/", calendar.feed_settings, name="feed-settings"),
    path("feed/change/", calendar.feed_change, name="feed-change"),
    path("feed/<str:key>.ics", calendar.feed, name="feed"),
    # rsvp: the reply link of the reminder email (no sign-in)
    path("rsvp/<str:token>/", rsvp.rsvp, name="rsvp"),
    # minutes: the notulen, their approval, the attendance and the printable pages
    path("<int:pk>/minutes/", minutes.minutes_page, name="minutes"),
    # documents: the printable notulen, its PDF, the daftar hadir
    path("<int:pk>/minutes/print/", documents.minutes_print, name="minutes-print"),
    path("<int:pk>/minutes.pdf", documents.minutes_pdf, name="minutes-pdf"),
    path("<int:pk>/attendance/print/", documents.attendance_print, name="attendance-print"),
]
