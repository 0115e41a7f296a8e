"""Admin for regions, elections, polling stations, agencies, users and API tokens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from coordination import policies, services
from coordination.models import Agency, ApiToken, Election, PollingStation, Region, User

from .base import ReferenceDataAdmin, ScopedAdmin, _unscoped


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    scope = staticmethod(policies.scope_regions)
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        # The Kemendagri code is a region's identity: the loader keys on it, and each TPS
        # keeps a copy of its village's code for scoping. A wrong code is corrected by
        # loading the region under the right one, not by renaming this row.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields


@admin.register(Election)
class ElectionAdmin(ReferenceDataAdmin):
    scope = staticmethod(_unscoped)
    list_display = ["code", "name", "kind", "voting_day", "max_voters_per_tps"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(PollingStation)
class PollingStationAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_polling_stations)
    code_of = staticmethod(lambda station: station.village.code)
    choice_scopes = {"village": policies.scope_regions}
    list_display = ["__str__", "village", "election", "voters", "access_mode", "is_special_location", "is_remote"]
    list_filter = ["election", "access_mode", "is_special_location", "is_remote"]
    search_fields = ["village__code", "village__name", "address"]
    list_select_related = ["village", "election"]
    raw_id_fields = ["village"]
    list_per_page = 100


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_agencies)
    code_of = staticmethod(lambda agency: agency.jurisdiction.code)
    choice_scopes = {"jurisdiction": policies.scope_regions, "parent": policies.scope_agencies,
                     "counterpart": policies.scope_agencies}
    list_display = ["short_name", "name", "kind", "jurisdiction", "counterpart"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["jurisdiction", "counterpart"]
    raw_id_fields = ["jurisdiction", "parent", "counterpart"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    scope = staticmethod(policies.scope_users)
    code_of = staticmethod(lambda user: user.agency.jurisdiction.code if user.agency_id else None)
    choice_scopes = {"agency": policies.scope_agencies_below}
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

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser, staff or Django permissions.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not policies.can_change_in_admin(request.user, self.code_of(obj)):
            raise PermissionDenied
        obj._history_user = request.user
        DjangoUserAdmin.save_model(self, request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_api_tokens)
    code_of = staticmethod(lambda token: token.user.agency.jurisdiction.code if token.user.agency_id else None)
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

