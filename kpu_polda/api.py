"""The one API: every app's api/urls.py under /api/v1/, and the OpenAPI schema and docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kpu_polda.dashboard.api import InboxView

urlpatterns = [
    path("v1/", include("coordination.api.urls")),
    path("v1/", include("logistics.api.urls")),
    path("v1/", include("meetings.api.urls")),
    path("v1/", include("kpu_polda.imports.api")),
    path("v1/inbox/", InboxView.as_view(), name="inbox"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page is for people: an anonymous visitor is sent to log in, not given a 401.
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
]
