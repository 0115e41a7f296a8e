"""The secretariat's admin. Every list goes through the same policy as pages and API."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordination import policies, services
from coordination.models import Agency, ApiToken, Election, PollingStation, Region, User


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin for the secretariat only, limited to its region, with the history view."""

    scope = None

    def get_queryset(self, request):
        return type(self).scope(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)

    def has_add_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)


def _unscoped(qs, user):
    return qs if policies.scope_code(user) is not None else qs.none()


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_regions)
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    list_per_page = 100


@admin.register(Election)
class ElectionAdmin(ScopedAdmin):
    scope = staticmethod(_unscoped)
    list_display = ["code", "name", "kind", "voting_day", "max_voters_per_tps"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(PollingStation)
class PollingStationAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_polling_stations)
    list_display = ["__str__", "village", "election", "voters", "access_mode", "is_special_location", "is_remote"]
    list_filter = ["election", "access_mode", "is_special_location", "is_remote"]
    search_fields = ["village__code", "village__name", "address"]
    list_select_related = ["village", "election"]
    raw_id_fields = ["village"]
    list_per_page = 100


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_agencies)
    list_display = ["short_name", "name", "kind", "jurisdiction", "counterpart"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["jurisdiction", "counterpart"]
    raw_id_fields = ["jurisdiction", "parent", "counterpart"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    scope = staticmethod(policies.scope_users)
    list_display = ["username", "get_full_name", "agency", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "agency__kind"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["agency"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role", "position", "phone"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Agency and role"), {"fields": ["agency", "role"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_api_tokens)
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are issued to their holder only (profile page or API)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": queryset.count()})
