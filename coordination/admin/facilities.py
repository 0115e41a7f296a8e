"""Admin of police facilities and their bookings, for the secretariat: facilities are
recorded and edited through facility_create and facility_update (the same rules as the
pages and the API); bookings are only read here, with their status trail and history:
they are requested on the facility's page or through the API, and decided by the owner
there, never in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from coordination import policies
from coordination.choices import AgencyKind
from coordination.models import Facility, FacilityBooking, FacilityBookingStatusChange
from coordination.policies import facilities as policy
from coordination.services import facilities as services
from kpu_polda.base.exceptions import DomainError

from .base import ReadOnly, Refused, ScopedAdmin, ServiceSaves, StatusChangeInline, refusal_text

CREATE_FIELDS = ["owner", "name", "kind", "capacity", "capacity_unit", "region", "address", "notes"]


def _polri_agencies(qs, user):
    return policies.scope_agencies(qs.filter(kind=AgencyKind.POLRI), user)


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [*CREATE_FIELDS, "is_active"]


@admin.register(Facility)
class FacilityAdmin(ServiceSaves, ScopedAdmin):
    """Facilities in the secretariat's region (and those above it, read-only), saved
    through their services; the owner does not change once recorded."""

    scope = staticmethod(policy.scope_facilities)
    code_of = staticmethod(lambda facility: facility.region.code)
    choice_scopes = {"owner": _polri_agencies, "region": policies.scope_regions}
    form = FacilityForm
    list_display = ["name", "owner", "kind", "capacity", "capacity_unit", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "owner__code", "owner__short_name", "region__code", "region__name"]
    list_select_related = ["owner", "region"]
    raw_id_fields = ["region"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("region__boundary")

    def get_fields(self, request, obj=None):
        return CREATE_FIELDS if obj is None else [*CREATE_FIELDS, "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["owner"] if obj is not None else [])]

    def save_model(self, request, obj, form, change):
        try:
            if change:
                changes = {name: form.cleaned_data[name] for name in form.changed_data
                           if name in services.FACILITY_EDITABLE}
                saved = services.facility_update(actor=request.user, facility=obj, **changes) if changes else obj
            else:
                values = {name: form.cleaned_data.get(name) for name in CREATE_FIELDS}
                for name in ("capacity_unit", "address", "notes"):
                    values[name] = values[name] or ""
                saved = services.facility_create(actor=request.user, **values)
        except (ValidationError, DomainError) as exc:
            messages.error(request, refusal_text(exc))
            raise Refused from exc
        obj.pk = saved.pk
        obj.refresh_from_db()


class BookingStatusChangeInline(StatusChangeInline, admin.TabularInline):
    model = FacilityBookingStatusChange


@admin.register(FacilityBooking)
class FacilityBookingAdmin(ReadOnly, ScopedAdmin):
    """Bookings the secretariat may see, read-only: the status moves (approve, reject,
    cancel) through the booking's page or the API, where the overlap rule and the
    owner's decision are kept."""

    scope = staticmethod(policy.scope_bookings)
    code_of = staticmethod(lambda booking: booking.facility.region.code)
    workflow_fields = ("status", "decided_by", "decided_at", "decision_note")
    list_display = ["facility", "requester", "starts_at", "ends_at", "status", "decided_by"]
    list_filter = ["status", "facility__kind"]
    search_fields = ["facility__name", "requester__code", "requester__short_name", "purpose"]
    list_select_related = ["facility", "requester", "decided_by"]
    fields = ["facility", "requester", "starts_at", "ends_at", "purpose", "participants", "requested_by", "status",
              "decided_by", "decided_at", "decision_note", "clause"]
    readonly_fields = fields
    inlines = [BookingStatusChangeInline]

