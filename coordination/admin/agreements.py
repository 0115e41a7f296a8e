"""Admin for agreements (with signatories, clauses and addenda inline), clauses and
clause evidence."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordination import policies, services
from coordination.choices import AgreementStatus
from coordination.models import Addendum, Agreement, AgreementStatusChange, Clause, ClauseEvidence, Signatory
from kpu_polda.base.exceptions import DomainError

from .base import PdfUploadForm, ScopedAdmin, ScopedInline, StatusChangeInline


class AgreementAdminForm(PdfUploadForm):
    pdf_fields = ("document",)

    class Meta:
        model = Agreement
        fields = ["code", "title", "kpu_number", "police_number", "parties", "region", "signed_on", "signed_place",
                  "term_start", "term_end", "parent", "document", "source", "notes"]


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


class ClauseInline(ScopedInline, admin.StackedInline):
    model = Clause
    extra = 0
    choice_scopes = {"responsible": policies.scope_agencies}
    fields = ["number", "title", "category", "responsible", "expectation_kind", "evidence_kind", "expectation_value",
              "expectation_count", "is_illustrative", "text"]


class AgreementStatusChangeInline(StatusChangeInline, admin.TabularInline):
    model = AgreementStatusChange


def _move(status: str, label):
    @admin.action(description=label)
    def move(modeladmin, request, queryset):
        for agreement in queryset:
            try:
                services.agreement_transition(actor=request.user, agreement=agreement, to_status=status)
            except (DomainError, ValidationError) as exc:
                message = getattr(exc, "message", None) or "; ".join(exc.messages)
                modeladmin.message_user(request, f"{agreement}: {message}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{agreement}: {AgreementStatus(status).label}", messages.SUCCESS)

    move.__name__ = f"move_to_{status}"
    return move


@admin.register(Agreement)
class AgreementAdmin(ScopedAdmin):
    """Agreements: the status moves only through the actions below (the one transition
    service, with its trail); terminating needs a reason, given on the agreement page."""

    scope = staticmethod(policies.scope_agreements)
    code_of = staticmethod(lambda agreement: agreement.region.code)
    choice_scopes = {"region": policies.scope_regions, "parties": policies.scope_agencies,
                     "parent": policies.scope_agreements}
    workflow_fields = ("status",)
    form = AgreementAdminForm
    list_display = ["title", "signed_on", "status", "region"]
    list_filter = ["status"]
    search_fields = ["title", "code", "kpu_number", "police_number"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    inlines = [SignatoryInline, ClauseInline, AddendumInline, AgreementStatusChangeInline]
    actions = [_move(AgreementStatus.ACTIVE, _("Activate the selected agreements")),
               _move(AgreementStatus.EXPIRED, _("Mark the selected agreements expired"))]


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

