from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kpu_polda.dashboard import views as dashboard

# The admin names the system the way every page does (templates/base.html).
admin.site.site_header = format_lazy("{} · KPU–Polda Kaltim", _("Election security coordination"))
admin.site.site_title = "KPU–Polda Kaltim"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("dashboard/panels/<slug:key>/", dashboard.panel, name="dashboard-panel"),
    path("healthz", dashboard.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("coordination.urls")),
    path("logistics/", include("logistics.urls")),
    path("meetings/", include("meetings.urls")),
    path("imports/", include("kpu_polda.imports.urls")),
    path("api/", include("kpu_polda.api")),
    path("admin/", admin.site.urls),
]
