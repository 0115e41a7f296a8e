from django.urls import path

from . import views
from .views import activities, exchange, facilities
from .views import notifications as notification_pages

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
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement-document"),
    path("addenda/<int:pk>/document/", views.addendum_document, name="addendum-document"),
    path("clauses/<int:pk>/", views.clause_detail, name="clause-detail"),
    path("evidence/<int:pk>/attachment/", views.evidence_attachment, name="evidence-attachment"),
    path("elections/<slug:code>/", views.election_timeline, name="election-timeline"),
    path("stages/<int:pk>/", views.stage_detail, name="stage-detail"),
    path("risks/", views.risk_list, name="risk-list"),
    path("risks/new/", views.risk_create, name="risk-create"),
    path("risks/matrix/", views.risk_matrix, name="risk-matrix"),
    path("risks/heat-map/", views.risk_heat_map, name="risk-heat-map"),
    path("risks/map/", views.risk_map, name="risk-map"),
    path("risks/map.geojson", views.risk_map_data, name="risk-map-data"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("tps-classes/", views.tps_class_list, name="tps-class-list"),
    path("tps-classes/import/", views.tps_class_import, name="tps-class-import"),
    path("imports/<slug:kind>/sample.csv", views.csv_import_sample, name="csv-import-sample"),
    path("ikp/", views.ikp_list, name="ikp-list"),
    path("personnel-plan/", views.personnel_plan, name="personnel-plan"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/preferences/", notification_pages.notification_preferences, name="notification-preferences"),
    path("notifications/unsubscribe/<str:token>/", notification_pages.notification_unsubscribe,
         name="notification-unsubscribe"),
]
urlpatterns += exchange.urlpatterns + facilities.urlpatterns + activities.urlpatterns
