"""The secretariat's admin for logistics: escort requests with their goods, chain,
discrepancies and status trail; custody events and status changes read-only.

Every list goes through logistics.policies (scope_escorts / scope_escort_rows), as pages
and API do. Nothing is saved around a service: an escort changes through
escort_request_update (its goods too, as one new list), a discrepancy is resolved through
discrepancy_resolve, and the status is never a field here.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from coordination import policies as ground
from coordination.admin.base import ReadOnly, ScopedAdmin, StatusChangeInline
from kpu_polda.base.exceptions import DomainError
from kpu_polda.base.templatetags.moments import moment_text

from . import policies, services
from .choices import EDITABLE_STATUSES, DiscrepancyStatus
from .models import CustodyEvent, Discrepancy, EscortItem, EscortRequest, EscortStatusChange
from .services.escorts import ESCORT_EDITABLE, ITEM_FIELDS


def _refused(request, exc) -> None:
    """Tell the secretariat why the service refused, and undo the rest of the admin's save
    (its change log): the service wrote nothing."""
    message = getattr(exc, "message", None) if isinstance(exc, DomainError) else None
    messages.error(request, str(message) if message else "; ".join(getattr(exc, "messages", [str(exc)])))
    transaction.set_rollback(True)
    request._logistics_refused = True


class RefusalResponse:
    """After a refused save, back to the change form with the refusal alone: Django's
    response_change would add "... was changed successfully" under the error, and its
    change log would write into the transaction _refused has marked for rollback (a 500)."""

    def log_change(self, request, obj, message):
        if getattr(request, "_logistics_refused", False):
            return None
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        if getattr(request, "_logistics_refused", False):
            return None
        return super().log_addition(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "_logistics_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_logistics_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)


def _editable(escort) -> bool:
    return escort is not None and escort.status in EDITABLE_STATUSES


class EscortInline:
    """An inline of an escort's rows, shown to whoever may use the admin (the parent's
    list is already scoped): Django's model permissions play no part, as for ScopedAdmin."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return ground.can_use_admin(request.user)


class EscortItemInline(EscortInline, admin.TabularInline):
    """The goods: changed before departure (as one list, through the service), read-only
    from departure on."""

    model = EscortItem
    fields = ITEM_FIELDS

    def _may_change(self, request, obj) -> bool:
        return _editable(obj) and ground.can_change_in_admin(request.user, obj.area_code)

    def get_readonly_fields(self, request, obj=None):
        return () if self._may_change(request, obj) else self.fields

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)


class ReadOnlyInline(ReadOnly, EscortInline):
    pass


class CustodyEventInline(ReadOnlyInline, admin.TabularInline):
    """The chain, as recorded (append-only: never changed here)."""

    model = CustodyEvent
    fields = ["sequence", "kind", "recorded_at_wita", "actor", "side", "signer_name", "counts", "seals_intact",
              "seals_seen", "note"]
    readonly_fields = fields
    ordering = ["sequence"]

    @admin.display(description=_("recorded at"))
    def recorded_at_wita(self, event):
        return moment_text(event.recorded_at, with_relative=False)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class DiscrepancyInline(ReadOnlyInline, admin.TabularInline):
    """Discrepancies of the escort; each is resolved on its own page (the change link)."""

    model = Discrepancy
    fields = ["reason", "item", "expected", "counted", "description", "status", "resolution"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")


class EscortStatusChangeInline(StatusChangeInline, admin.TabularInline):
    model = EscortStatusChange

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(EscortRequest)
class EscortRequestAdmin(RefusalResponse, ScopedAdmin):
    """Escort requests are raised on the escort pages and the API; here the secretariat
    corrects times, transport, notes, team and goods before departure, through the same
    service. Steps are taken on the escort's page."""

    scope = staticmethod(policies.scope_escorts)
    code_of = staticmethod(lambda escort: escort.area_code)
    choice_scopes = {"stage": ground.scope_elections, "clause": ground.scope_clauses}
    workflow_fields = ("status",)
    list_display = ["number", "route", "status", "area_code", "departs", "requested_by", "police_unit"]
    list_filter = ["status", "cargo", "direction", "transport_mode"]
    search_fields = ["number", "origin_name", "destination_name", "area_code"]
    list_select_related = ["requested_by", "police_unit"]
    raw_id_fields = ["stage", "clause"]
    fields = ["number", "status", "election", "stage", "clause", "cargo", "direction", "origin_kind", "origin_name",
              "destination_kind", "destination_name", "area_code", "requested_by", "police_unit", "transport_mode",
              "planned_departure", "planned_arrival", "notes", "team_purpose", "team_members", "assigned_unit",
              "commander_name", "commander_nrp", "personnel_count", "vehicles", "accepted_at", "handed_over_at"]
    inlines = [EscortItemInline, CustodyEventInline, DiscrepancyInline, EscortStatusChangeInline]

    @admin.display(description=_("planned departure"), ordering="planned_departure")
    def departs(self, escort):
        return moment_text(escort.planned_departure, with_relative=False)

    def get_readonly_fields(self, request, obj=None):
        editable = set(ESCORT_EDITABLE) if _editable(obj) else set()
        return [*super().get_readonly_fields(request, obj), *(name for name in self.fields if name not in editable)]

    def has_add_permission(self, request):
        return False  # raised by the KPU office on the escort pages or the API (numbering, police unit, clause)

    def has_delete_permission(self, request, obj=None):
        return False  # a request is cancelled or rejected, never deleted: its chain refers to it

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in ESCORT_EDITABLE}
        request._escort_refused = False
        if not changes:
            return
        try:
            services.escort_request_update(actor=request.user, escort=obj, **changes)
        except (DomainError, ValidationError) as exc:
            request._escort_refused = True
            _refused(request, exc)

    def save_formset(self, request, form, formset, change):
        # The service saves the goods, not the formset: the change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not EscortItem or getattr(request, "_escort_refused", False) or not formset.has_changed():
            return  # the read-only inlines save nothing
        items = [{name: item.cleaned_data.get(name) for name in ITEM_FIELDS if item.cleaned_data.get(name) is not None}
                 for item in formset.forms
                 if item.cleaned_data and not item.cleaned_data.get("DELETE")
                 and (item.instance.pk or item.has_changed())]
        try:
            services.escort_request_update(actor=request.user, escort=form.instance, items=items)
        except (DomainError, ValidationError) as exc:
            _refused(request, exc)


class ScopedRecordAdmin(ReadOnly, ScopedAdmin):
    """A scoped, read-only list of rows that are their own record (no history table):
    the admin's own change log stands in for the history view."""

    object_history_template = None

    def history_view(self, request, object_id, extra_context=None):
        if not self._in_scope(request, object_id):
            raise Http404
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404


@admin.register(CustodyEvent)
class CustodyEventAdmin(ScopedRecordAdmin):
    """Custody confirmations: append-only (a trigger refuses changes on PostgreSQL), so
    read-only here; a mistake is corrected by a new confirmation."""

    scope = staticmethod(policies.scope_escort_rows)
    code_of = staticmethod(lambda event: event.escort.area_code)
    list_display = ["escort", "sequence", "kind", "recorded", "actor", "side", "signer_name"]
    list_filter = ["kind", "side", "severity"]
    search_fields = ["escort__number", "signer_name", "note"]
    list_select_related = ["escort", "actor"]

    @admin.display(description=_("recorded at"), ordering="recorded_at")
    def recorded(self, event):
        return moment_text(event.recorded_at, with_relative=False)


@admin.register(Discrepancy)
class DiscrepancyAdmin(RefusalResponse, ScopedAdmin):
    """Discrepancies are found by confirmations; the secretariat resolves an open one by
    writing the resolution (through discrepancy_resolve); everything else is read-only."""

    scope = staticmethod(policies.scope_escort_rows)
    code_of = staticmethod(lambda row: row.escort.area_code)
    workflow_fields = ("status",)
    list_display = ["escort", "reason", "item", "expected", "counted", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["escort__number", "description", "resolution"]
    list_select_related = ["escort", "item"]
    fields = ["escort", "item", "event", "reason", "expected", "counted", "description", "status", "resolved_at",
              "resolved_by", "resolution"]

    def get_readonly_fields(self, request, obj=None):
        open_now = obj is not None and obj.status == DiscrepancyStatus.OPEN
        return [*super().get_readonly_fields(request, obj),
                *(name for name in self.fields if name != "resolution" or not open_now)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "resolution" in form.base_fields:
            form.base_fields["resolution"].required = True
        return form

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A resolved discrepancy is a record: viewed, never changed again.
        open_now = obj is None or obj.status == DiscrepancyStatus.OPEN
        return open_now and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if "resolution" not in form.cleaned_data:
            return
        try:
            services.discrepancy_resolve(actor=request.user, discrepancy=obj,
                                         resolution=form.cleaned_data["resolution"])
        except (DomainError, ValidationError) as exc:
            _refused(request, exc)


@admin.register(EscortStatusChange)
class EscortStatusChangeAdmin(ReadOnly, ScopedAdmin):
    """The escorts' status trail, written by the transition service only."""

    scope = staticmethod(policies.scope_escort_rows)
    code_of = staticmethod(lambda row: row.escort.area_code)
    list_display = ["escort", "from_status", "to_status", "changed", "changed_by", "reason"]
    list_filter = ["to_status"]
    search_fields = ["escort__number", "reason"]
    list_select_related = ["escort", "changed_by"]

    @admin.display(description=_("changed at"), ordering="changed_at")
    def changed(self, row):
        return moment_text(row.changed_at, with_relative=False)
