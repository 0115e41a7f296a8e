from rest_framework.routers import SimpleRouter

from . import views

# Basenames of their own: route names never clash with coordination's.
router = SimpleRouter()
router.register("escorts", views.EscortViewSet, basename="escort-request")
router.register("custody-events", views.CustodyEventViewSet, basename="custody-event")
router.register("discrepancies", views.DiscrepancyViewSet, basename="discrepancy")

urlpatterns = router.urls
