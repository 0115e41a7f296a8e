from django.urls import path

from .views import meetings

app_name = "meetings"

# Each group of pages keeps its routes together; add new routes to their group.
urlpatterns = [
    # meetings: list, the meeting's page, its calendar entry
    path("", meetings.meeting_list, name="meeting-list"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("<int:pk>/calendar.ics", meetings.meeting_ics, name="meeting-ics"),
]
