from django.urls import path
from rest_framework.routers import SimpleRouter

from . import planning, views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("polling-stations", views.PollingStationViewSet, basename="polling-station")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("tokens", views.ApiTokenViewSet, basename="api-token")
router.register("agreements", planning.AgreementViewSet, basename="agreement")
router.register("clauses", planning.ClauseViewSet, basename="clause")
router.register("elections", planning.ElectionViewSet, basename="election")
router.register("stages", planning.StageViewSet, basename="stage")
router.register("risks", planning.RiskViewSet, basename="risk")
router.register("ikp-scores", planning.IkpScoreViewSet, basename="ikp-score")
router.register("tps-classes", planning.TpsClassViewSet, basename="tps-class")
router.register("security-patterns", planning.SecurityPatternViewSet, basename="security-pattern")

urlpatterns = [
    path("auth/token/", views.AuthTokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("personnel-plan/", planning.PersonnelPlanView.as_view(), name="personnel-plan"),
    path("personnel-plan/export/", planning.PersonnelPlanExportView.as_view(), name="personnel-plan-export"),
    *router.urls,
]
