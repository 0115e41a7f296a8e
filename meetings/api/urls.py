from rest_framework.routers import SimpleRouter

from . import views

# Basenames of their own ("meeting-..."): route names never clash with coordination's or
# logistics'.
router = SimpleRouter()
router.register("meeting-series", views.MeetingSeriesViewSet, basename="meeting-series")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("meeting-invitations", views.InvitationViewSet, basename="meeting-invitation")
router.register("action-items", views.ActionItemViewSet, basename="meeting-action-item")

urlpatterns = router.urls
