"""The secretariat's admin. Every list goes through the same policy as pages and API."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordination import policies, services
from coordination.models import (
    Addendum,
    Agency,
    Agreement,
    ApiToken,
    Clause,
    ClauseEvidence,
    Election,
    ElectionStage,
    IkpDimensionScore,
    IkpScore,
    IkpThreshold,
    PollingStation,
    Region,
    RiskAssessment,
    RiskReview,
    SecurityPattern,
    Signatory,
    TpsVulnerability,
    User,
)
from kpu_polda.base.files import validate_pdf


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin for the secretariat only, limited to its region, with the history view.

    Reads follow ``scope`` (the app's policy). Writes follow ``code_of`` (the region code
    an object belongs to): only inside the secretariat's own subtree, re-checked after the
    form is applied so an object cannot be moved out of it. Foreign-key choices are scoped
    the same way.
    """

    scope = None
    code_of = None
    # Foreign key field name -> policy scoping that field's choices.
    choice_scopes: dict = {}

    def get_queryset(self, request):
        return type(self).scope(super().get_queryset(request), request.user)

    def _in_scope(self, request, object_id) -> bool:
        return self.get_queryset(request).filter(pk=object_id).exists()

    def history_view(self, request, object_id, extra_context=None):
        # simple-history looks the object up itself; without this a foreign id would show.
        if not self._in_scope(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._in_scope(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = self.choice_scopes.get(db_field.name)
        if scope is not None:
            kwargs["queryset"] = scope(db_field.remote_field.model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not policies.can_change_in_admin(request.user, type(self).code_of(obj)):
            raise PermissionDenied
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)

    def has_add_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.can_use_admin(request.user)
        return policies.can_change_in_admin(request.user, type(self).code_of(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ReferenceDataAdmin(ScopedAdmin):
    """Regions and elections: corrected only by a province-level secretariat."""

    def has_add_permission(self, request):
        return policies.can_edit_reference_data(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_reference_data(request.user)

    def save_model(self, request, obj, form, change):
        if not policies.can_edit_reference_data(request.user):
            raise PermissionDenied
        obj._history_user = request.user
        super(ScopedAdmin, self).save_model(request, obj, form, change)


def _unscoped(qs, user):
    return qs if policies.scope_code(user) is not None else qs.none()


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    scope = staticmethod(policies.scope_regions)
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    list_per_page = 100


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


# --- agreements, stages, risks --------------------------------------------------------


class PdfUploadForm(forms.ModelForm):
    """Admin forms whose file fields accept only PDF (checked by content), like the pages."""

    pdf_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.pdf_fields:
            upload = cleaned.get(name)
            if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
                try:
                    validate_pdf(upload)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class AgreementAdminForm(PdfUploadForm):
    pdf_fields = ("document",)

    class Meta:
        model = Agreement
        fields = ["code", "title", "kpu_number", "police_number", "parties", "region", "signed_on", "signed_place",
                  "term_start", "term_end", "parent", "status", "document", "source", "notes"]


class AddendumForm(PdfUploadForm):
    pdf_fields = ("document",)

    class Meta:
        model = Addendum
        fields = ["number", "title", "signed_on", "summary", "document"]


class EvidenceAdminForm(PdfUploadForm):
    pdf_fields = ("attachment",)

    class Meta:
        model = ClauseEvidence
        fields = ["clause", "kind", "occurred_on", "description", "region", "stage", "requested_at", "fulfilled_at",
                  "attachment"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class AddendumInline(admin.TabularInline):
    model = Addendum
    form = AddendumForm
    extra = 0


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = ["number", "title", "category", "responsible", "expectation_kind", "evidence_kind", "expectation_value",
              "expectation_count", "is_illustrative", "text"]


@admin.register(Agreement)
class AgreementAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_agreements)
    code_of = staticmethod(lambda agreement: agreement.region.code)
    choice_scopes = {"region": policies.scope_regions}
    form = AgreementAdminForm
    list_display = ["title", "signed_on", "status", "region"]
    list_filter = ["status"]
    search_fields = ["title", "code", "kpu_number", "police_number"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    inlines = [SignatoryInline, ClauseInline, AddendumInline]


@admin.register(Clause)
class ClauseAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_clauses)
    code_of = staticmethod(lambda clause: clause.agreement.region.code)
    choice_scopes = {"agreement": policies.scope_agreements, "responsible": policies.scope_agencies}
    list_display = ["number", "title", "agreement", "category", "expectation_kind"]
    list_filter = ["category", "expectation_kind"]
    search_fields = ["title", "text"]
    list_select_related = ["agreement"]


@admin.register(ClauseEvidence)
class ClauseEvidenceAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_evidence)
    code_of = staticmethod(lambda evidence: evidence.region.code)
    choice_scopes = {"region": policies.scope_regions, "clause": policies.scope_clauses}
    form = EvidenceAdminForm
    list_display = ["occurred_on", "clause", "kind", "region", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["description"]
    list_select_related = ["clause", "region", "recorded_by"]
    raw_id_fields = ["region", "stage", "clause"]


class StageInline(admin.TabularInline):
    model = ElectionStage
    extra = 0
    fields = ["code", "parent", "order", "name", "starts_on", "ends_on", "end_rule", "regulation", "is_uncertain"]
    fk_name = "election"


ElectionAdmin.inlines = [StageInline]


@admin.register(ElectionStage)
class ElectionStageAdmin(ReferenceDataAdmin):
    scope = staticmethod(policies.scope_elections)
    list_display = ["name", "election", "code", "starts_on", "ends_on", "regulation", "is_uncertain"]
    list_filter = ["election", "is_uncertain"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["election"]


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    readonly_fields = ["reviewed_by", "reviewed_at", "likelihood", "impact", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # reviews go through the page or API so the scores follow them


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_risks)
    code_of = staticmethod(lambda risk: risk.region.code)
    choice_scopes = {"region": policies.scope_regions, "owner": policies.scope_agencies}
    list_display = ["title", "region", "stage", "category", "likelihood", "impact", "score", "status"]
    list_filter = ["status", "category", "stage__election"]
    search_fields = ["title", "description", "region__code", "region__name"]
    list_select_related = ["region", "stage"]
    raw_id_fields = ["region", "stage"]
    inlines = [RiskReviewInline]

    def get_readonly_fields(self, request, obj=None):
        # Once recorded, scores change through reviews and status through transitions.
        return ["status", "likelihood", "impact"] if obj else ["status"]


class IkpDimensionInline(admin.TabularInline):
    model = IkpDimensionScore
    extra = 0


@admin.register(IkpScore)
class IkpScoreAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_ikp_scores)
    code_of = staticmethod(lambda ikp: ikp.region.code)
    choice_scopes = {"region": policies.scope_regions}
    # The category follows from Bawaslu's thresholds for the region's level, never typed.
    readonly_fields = ["category"]

    def save_model(self, request, obj, form, change):
        obj.category = services.ikp_category_for(obj.region, obj.score, obj.published_on)
        super().save_model(request, obj, form, change)
    list_display = ["region", "election", "score", "category", "published_on"]
    list_filter = ["election", "category"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region", "election"]
    raw_id_fields = ["region"]
    inlines = [IkpDimensionInline]


@admin.register(IkpThreshold)
class IkpThresholdAdmin(ReferenceDataAdmin):
    scope = staticmethod(_unscoped)
    list_display = ["level", "valid_from", "high_from", "medium_from"]
    list_filter = ["level"]
    search_fields = ["source"]


@admin.register(TpsVulnerability)
class TpsVulnerabilityAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_tps_vulnerabilities)
    code_of = staticmethod(lambda row: row.polling_station.village.code)
    choice_scopes = {"polling_station": policies.scope_polling_stations}
    list_display = ["polling_station", "polri_class", "assessed_on", "assessed_by"]
    list_filter = ["polri_class", "polling_station__election"]
    search_fields = ["polling_station__village__code", "polling_station__village__name"]
    list_select_related = ["polling_station__village", "assessed_by"]
    raw_id_fields = ["polling_station"]


@admin.register(SecurityPattern)
class SecurityPatternAdmin(ScopedAdmin):
    scope = staticmethod(policies.scope_security_patterns)
    code_of = staticmethod(lambda pattern: pattern.police_unit.jurisdiction.code if pattern.police_unit_id else "")
    choice_scopes = {"police_unit": policies.scope_agencies_below}
    list_display = ["__str__", "polri_class", "police_unit", "valid_from", "valid_to"]
    list_filter = ["polri_class"]
    search_fields = ["source", "police_unit__name"]
    list_select_related = ["police_unit"]
