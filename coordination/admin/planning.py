"""Admin for election stages, risks, Bawaslu's IKP, Polri's TPS classes and security
patterns."""

from django.contrib import admin

from coordination import policies, services
from coordination.models import (
    ElectionStage,
    IkpDimensionScore,
    IkpScore,
    IkpThreshold,
    RiskAssessment,
    RiskReview,
    RiskStatusChange,
    SecurityPattern,
    TpsVulnerability,
)

from .base import ReferenceDataAdmin, ScopedAdmin, StatusChangeInline, _unscoped
from .regions import ElectionAdmin


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


class RiskStatusChangeInline(StatusChangeInline, admin.TabularInline):
    model = RiskStatusChange


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ScopedAdmin):
    """Risks are recorded and edited through the same services as the page and API;
    scores change through reviews and the status through transitions, never here."""

    scope = staticmethod(policies.scope_risks)
    code_of = staticmethod(lambda risk: risk.region.code)
    choice_scopes = {"region": policies.scope_regions, "owner": policies.scope_agencies}
    workflow_fields = ("status",)
    list_display = ["title", "region", "stage", "category", "likelihood", "impact", "score", "status"]
    list_filter = ["status", "category", "stage__election"]
    search_fields = ["title", "description", "region__code", "region__name"]
    list_select_related = ["region", "stage"]
    raw_id_fields = ["region", "stage"]
    inlines = [RiskReviewInline, RiskStatusChangeInline]

    def get_readonly_fields(self, request, obj=None):
        # Once recorded, scores change through reviews.
        return [*super().get_readonly_fields(request, obj), *(["likelihood", "impact"] if obj else [])]

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in services.RISK_EDITABLE}
            saved = services.risk_update(actor=request.user, risk=obj, **changes) if changes else obj
        else:
            values = {name: form.cleaned_data[name] for name in form.cleaned_data
                      if name in {*services.RISK_EDITABLE, "likelihood", "impact"}}
            saved = services.risk_create(actor=request.user, **values)
        obj.pk = saved.pk
        obj.refresh_from_db()


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

