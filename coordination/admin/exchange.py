"""Admin of the information exchange register: the entries, listed through the same
policy as the pages and the API, recorded through exchange_create and acknowledged
through its service (an action), never edited here; and the log of looks at restricted
entries, read-only. Opening a confidential entry here is a look like any other: it is
recorded, and so is an attempt on a restricted entry outside the secretariat's scope."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import RESTRICTED_CLASSIFICATIONS, AccessOutcome
from coordination.models import ExchangeAccess, ExchangeAttachment, ExchangeStatusChange, InformationExchange
from coordination.policies import exchange as policy
from coordination.services import exchange as services
from kpu_polda.base.exceptions import DomainError

from .base import ReadOnly, Refused, ScopedAdmin, ServiceSaves, StatusChangeInline, refusal_text

CREATE_FIELDS = ["kind", "from_agency", "to_agency", "subject", "purpose", "legal_basis", "classification",
                 "content", "response_due_on"]
SHOWN_FIELDS = [*CREATE_FIELDS[:7], "content", "response_due_on", "area", "status", "sent_by", "acknowledged_at",
                "acknowledged_by", "answer", "answered_at", "answered_by", "clause"]


class ExchangeStatusChangeInline(StatusChangeInline, admin.TabularInline):
    model = ExchangeStatusChange


class ExchangeAttachmentInline(ReadOnly, admin.TabularInline):
    """Files are added on the entry's page or through the API (checked by content)."""

    model = ExchangeAttachment
    extra = 0
    fields = ["title", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ExchangeAddForm(forms.ModelForm):
    """A new entry, checked by the service before the admin saves (its refusal shown next
    to the fields, the input kept); ``actor`` is set per request (get_form)."""

    actor = None

    class Meta:
        model = InformationExchange
        fields = CREATE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.actor is None:
            return cleaned
        values = {name: cleaned.get(name) for name in CREATE_FIELDS}
        try:
            services.exchange_check(actor=self.actor, **values)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        except DomainError as exc:
            self.add_error(None, exc.message)
        return cleaned


@admin.register(InformationExchange)
class InformationExchangeAdmin(ServiceSaves, ScopedAdmin):
    """Entries are recorded through the service (as the page does) and then only read
    here: their status, acknowledgement and answer move on the entry's page, through the
    API, or with the acknowledge action."""

    scope = staticmethod(policy.scope_exchanges)
    code_of = staticmethod(lambda entry: entry.area.code)
    choice_scopes = {"from_agency": policies.scope_agencies_below, "to_agency": policies.scope_agencies}
    workflow_fields = ("status", "acknowledged_at", "acknowledged_by", "answer", "answered_at", "answered_by")
    form = ExchangeAddForm
    list_display = ["subject", "kind", "classification", "from_agency", "to_agency", "status", "response_due_on",
                    "created_at"]
    list_filter = ["status", "kind", "classification"]
    search_fields = ["subject", "from_agency__code", "to_agency__code"]
    list_select_related = ["from_agency", "to_agency"]
    actions = ["acknowledge"]
    inlines = [ExchangeAttachmentInline, ExchangeStatusChangeInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user}) if obj is None else form

    def get_fields(self, request, obj=None):
        return CREATE_FIELDS if obj is None else SHOWN_FIELDS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return SHOWN_FIELDS  # never edited: a register entry changes only through its workflow

    def has_change_permission(self, request, obj=None):
        return obj is None and policies.can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # the register, and its access log, are a record

    def _looked_at(self, request, object_id) -> InformationExchange | None:
        """The entry through the scope, its look recorded when confidential; an attempt on
        a restricted entry outside the scope recorded as refused."""
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return None
        entry = self.get_queryset(request).filter(pk=pk).first()
        if entry is not None:
            services.exchange_access_record(viewer=request.user, exchange=entry, channel=services.CHANNEL_ADMIN)
            return entry
        refused = InformationExchange.objects.filter(pk=pk, classification__in=RESTRICTED_CLASSIFICATIONS).first()
        if refused is not None:
            services.exchange_access_record(viewer=request.user, exchange=refused, channel=services.CHANNEL_ADMIN,
                                            outcome=AccessOutcome.REFUSED)
        return None

    def get_object(self, request, object_id, from_field=None):
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        return self._looked_at(request, object_id)

    def history_view(self, request, object_id, extra_context=None):
        # The history shows what the entry said: a look at it, recorded as one.
        self._looked_at(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            raise Refused
        values = {name: form.cleaned_data.get(name) for name in CREATE_FIELDS}
        try:
            saved = services.exchange_create(actor=request.user, **values)
        except (ValidationError, DomainError) as exc:
            messages.error(request, refusal_text(exc))
            raise Refused from exc
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Nothing beside the entry is written here (its inlines are read-only)."""

    @admin.action(description=gettext_lazy("Acknowledge receipt of the selected entries"))
    def acknowledge(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                services.exchange_acknowledge(actor=request.user, exchange=entry)
            except (ValidationError, DomainError) as exc:
                self.message_user(request, f"{entry}: {refusal_text(exc)}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d entries acknowledged.") % {"count": done}, messages.SUCCESS)


@admin.register(ExchangeAccess)
class ExchangeAccessAdmin(ReadOnly, ScopedAdmin):
    """Who looked at restricted entries, and who was refused: read-only, for the
    secretariat of the entries it may see."""

    scope = staticmethod(policy.scope_exchange_rows)
    list_display = ["at", "exchange", "viewer", "agency", "channel", "outcome"]
    list_filter = ["outcome", "channel"]
    search_fields = ["viewer__username", "exchange__subject"]
    list_select_related = ["exchange", "viewer", "agency"]
    fields = list_display
    readonly_fields = list_display

