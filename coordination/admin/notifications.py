"""Notification preferences in the secretariat's admin: read only, scoped to the people of
its region. Each person sets their own (the preferences page, the API, an unsubscribe
link); the secretariat sees what was chosen, when a colleague asks why an email did not
come, and the history of each choice."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordination.models import NotificationPreference
from coordination.selectors.notifications import preferences_in_scope
from coordination.services.notifications import KINDS

from .base import ReadOnly, ScopedAdmin


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnly, ScopedAdmin):
    scope = staticmethod(preferences_in_scope)
    list_display = ["user", "kind_label", "delivery", "updated_at"]
    list_filter = ["delivery", "kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "kind"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "delivery", "updated_at"]
    list_per_page = 100

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return KINDS.get(obj.kind, obj.kind)

