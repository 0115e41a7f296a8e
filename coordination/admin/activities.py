"""Admin of joint trainings (participants and materials inline), stakeholder facilitation
and peace declarations (signatories inline). Every save goes through the same services as
the pages and the API; a training's status moves only on its page or through the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.models import (
    DeclarationSignatory,
    PeaceDeclaration,
    StakeholderFacilitation,
    Training,
    TrainingMaterial,
    TrainingParticipant,
    TrainingStatusChange,
)
from coordination.policies import activities as policy
from coordination.services import activities as services
from kpu_polda.base.exceptions import DomainError
from kpu_polda.base.files import validate_pdf

from .base import ScopedAdmin, ScopedInline, StatusChangeInline


def _refusal(exc) -> str:
    return getattr(exc, "message", None) or "; ".join(exc.messages)


def _save_through(request, obj, form, change, *, create, update, editable, instance_name):
    """Create or update ``obj`` through its services with the form's values, then point
    ``obj`` at the saved row (the admin goes on with it: inlines, the redirect)."""
    if change:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in editable}
        saved = update(actor=request.user, **{instance_name: obj}, **changes) if changes else obj
    else:
        saved = create(actor=request.user, **{name: form.cleaned_data[name] for name in editable
                                              if name in form.cleaned_data})
    obj.pk = saved.pk
    obj.refresh_from_db()
    return obj


class _SecretariatInline:
    """An inline open to whoever may change its parent row in the admin (the secretariat
    within its own region), as the parent's own admin decides: not Django's model
    permissions, which the app's roles do not use."""

    def has_view_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)

    def _may_change(self, request, obj) -> bool:
        if obj is None:
            return policies.can_use_admin(request.user)
        return policies.can_change_in_admin(request.user, obj.area.code)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)


class _AddOnlyInline(_SecretariatInline):
    """Existing rows are shown, not changed here (a participant's attendance is recorded on
    the training's page); new ones are added through the service."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return False


class ParticipantInline(_AddOnlyInline, ScopedInline, admin.TabularInline):
    model = TrainingParticipant
    fields = ["user", "name", "agency", "position", "attended"]
    readonly_fields = ["attended"]
    raw_id_fields = ["user"]
    choice_scopes = {"agency": policies.scope_agencies}


class MaterialForm(forms.ModelForm):
    class Meta:
        model = TrainingMaterial
        fields = ["title", "file", "link"]
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            services.validate_material_file(upload)
        return upload


class MaterialInline(_AddOnlyInline, admin.TabularInline):
    model = TrainingMaterial
    form = MaterialForm
    fields = ["title", "file", "link"]

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingStatusChangeInline(StatusChangeInline, _SecretariatInline, admin.TabularInline):
    model = TrainingStatusChange


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    """Joint trainings; held and cancelled are set on the training's page or through the
    API (the one workflow), and the score with them."""

    scope = staticmethod(policy.scope_trainings)
    code_of = staticmethod(lambda training: training.area.code)
    choice_scopes = {"organiser": policies.scope_agencies, "co_organiser": policies.scope_agencies,
                     "area": policies.scope_regions}
    workflow_fields = ("status", "evaluation_score", "clause")
    fields = ["title", "kind", "organiser", "co_organiser", "area", "starts_at", "ends_at", "place", "description",
              "status", "evaluation_score", "clause"]
    list_display = ["title", "kind", "starts_at", "area", "organiser", "status", "evaluation_score"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "place", "area__code", "area__name"]
    list_select_related = ["area", "organiser"]
    raw_id_fields = ["area"]
    inlines = [ParticipantInline, MaterialInline, TrainingStatusChangeInline]

    def save_model(self, request, obj, form, change):
        _save_through(request, obj, form, change, create=services.training_create,
                      update=services.training_update, editable=services.TRAINING_EDITABLE,
                      instance_name="training")

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        training = formset.instance
        try:
            if formset.model is TrainingParticipant:
                for row in formset.deleted_objects:
                    services.training_participant_remove(actor=request.user, participant=row)
                for row in formset.new_objects:
                    services.training_participant_add(actor=request.user, training=training, user=row.user,
                                                      name=row.name, agency=row.agency, position=row.position)
            elif formset.model is TrainingMaterial:
                for row in formset.new_objects:
                    services.training_material_add(actor=request.user, training=training, title=row.title,
                                                   file=row.file or None, link=row.link)
        except (ValidationError, DomainError) as exc:
            self.message_user(request, _refusal(exc), messages.ERROR)


@admin.register(StakeholderFacilitation)
class FacilitationAdmin(ScopedAdmin):
    scope = staticmethod(policy.scope_facilitations)
    code_of = staticmethod(lambda row: row.area.code)
    choice_scopes = {"facilitator": policies.scope_agencies, "kpu_office": policies.scope_agencies,
                     "area": policies.scope_regions}
    fields = ["title", "facilitator", "kpu_office", "area", "held_at", "place", "stakeholders", "outcome", "clause",
              "recorded_by"]
    readonly_fields = ["clause", "recorded_by"]
    list_display = ["title", "held_at", "facilitator", "kpu_office", "area"]
    search_fields = ["title", "stakeholders", "outcome", "area__code", "area__name"]
    list_select_related = ["facilitator", "kpu_office", "area"]
    raw_id_fields = ["area"]

    def save_model(self, request, obj, form, change):
        _save_through(request, obj, form, change, create=services.facilitation_create,
                      update=services.facilitation_update, editable=services.FACILITATION_EDITABLE,
                      instance_name="facilitation")


class SignatoryInline(_SecretariatInline, ScopedInline, admin.TabularInline):
    model = DeclarationSignatory
    extra = 0
    fields = ["order", "party", "representative", "position", "agency"]
    choice_scopes = {"agency": policies.scope_agencies}


class DeclarationAdminForm(forms.ModelForm):
    """The signed document: a new upload only, a PDF judged by its content."""

    class Meta:
        model = PeaceDeclaration
        fields = ["title", "event", "signed_on", "place", "area", "summary", "source", "document"]
        widgets = {"document": forms.FileInput(attrs={"accept": "application/pdf"})}

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload and hasattr(upload, "content_type"):
            validate_pdf(upload)
        return upload


@admin.register(PeaceDeclaration)
class DeclarationAdmin(ScopedAdmin):
    scope = staticmethod(policy.scope_declarations)
    code_of = staticmethod(lambda row: row.area.code)
    choice_scopes = {"area": policies.scope_regions}
    form = DeclarationAdminForm
    readonly_fields = ["stored_document", "clause", "recorded_by"]
    list_display = ["title", "signed_on", "place", "area"]
    search_fields = ["title", "event", "place", "signatories__party"]
    list_select_related = ["area"]
    raw_id_fields = ["area"]
    inlines = [SignatoryInline]

    @admin.display(description=_("stored document"))
    def stored_document(self, obj):
        if not obj or not obj.document:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("coordination:declaration-document", args=[obj.pk]),
                           _("Download (PDF)"))

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("document")
        _save_through(request, obj, form, change, create=services.declaration_create,
                      update=services.declaration_update, editable=services.DECLARATION_EDITABLE,
                      instance_name="declaration")
        if upload and hasattr(upload, "content_type"):
            services.declaration_attach_document(actor=request.user, declaration=obj, upload=upload)
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if not formset.has_changed():
            return
        formset.save(commit=False)
        deleted = {row.pk for row in formset.deleted_objects}
        kept = [f.instance for f in formset.initial_forms if f.instance.pk not in deleted]
        rows = sorted([*kept, *formset.new_objects], key=lambda row: (row.order, row.pk or 0))
        signatories = [{"party": row.party, "representative": row.representative, "position": row.position,
                        "agency": row.agency} for row in rows]
        try:
            services.declaration_signatories_set(actor=request.user, declaration=formset.instance,
                                                 signatories=signatories)
        except (ValidationError, DomainError) as exc:
            self.message_user(request, _refusal(exc), messages.ERROR)
