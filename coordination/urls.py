from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("regions/", views.region_root, name="region-root"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path("polling-stations/", views.polling_station_list, name="polling-station-list"),
    path("polling-stations/import/", views.polling_station_import, name="polling-station-import"),
    path("polling-stations/<int:pk>/", views.polling_station_detail, name="polling-station-detail"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<slug:code>/", views.agency_detail, name="agency-detail"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
