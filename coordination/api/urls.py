from django.urls import path
from rest_framework.routers import SimpleRouter

from . import activities, agreements, elections, exchange, facilities, notifications, plan, risks, views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("polling-stations", views.PollingStationViewSet, basename="polling-station")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("tokens", views.ApiTokenViewSet, basename="api-token")
router.register("agreements", agreements.AgreementViewSet, basename="agreement")
router.register("clauses", agreements.ClauseViewSet, basename="clause")
router.register("elections", elections.ElectionViewSet, basename="election")
router.register("stages", elections.StageViewSet, basename="stage")
router.register("risks", risks.RiskViewSet, basename="risk")
router.register("ikp-scores", risks.IkpScoreViewSet, basename="ikp-score")
router.register("tps-classes", risks.TpsClassViewSet, basename="tps-class")
router.register("security-patterns", risks.SecurityPatternViewSet, basename="security-pattern")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
for subject in (exchange, facilities, activities):
    subject.register(router)

urlpatterns = [
    path("auth/token/", views.AuthTokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("personnel-plan/", plan.PersonnelPlanView.as_view(), name="personnel-plan"),
    path("personnel-plan/export/", plan.PersonnelPlanExportView.as_view(), name="personnel-plan-export"),
    path("notification-preferences/", notifications.NotificationPreferencesView.as_view(),
         name="notification-preferences"),
    *exchange.urlpatterns,
    *facilities.urlpatterns,
    *activities.urlpatterns,
    *router.urls,
]
