"""Filtersets of police facilities and their bookings, shared by the API and the pages."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.choices import BookingStatus, FacilityKind
from coordination.models import Facility, FacilityBooking
from kpu_polda.base.forms import StrictFilterSet

from . import IntegerFilter, RegionSubtreeFilter

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
DAY = forms.DateInput(attrs={"class": "form-control form-control-sm", "type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Offered or not")), ("true", _("Offered")), ("false", _("Withdrawn"))]


class FacilityFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=FacilityKind.choices, label=_("Kind"), widget=SELECT,
                                empty_label=_("All kinds"))
    owner = filters.CharFilter(field_name="owner__code", label=_("Owner agency code"))
    owner_id = IntegerFilter(field_name="owner_id", label=_("Owner agency id"))
    region = RegionSubtreeFilter(field_name="region__code", label=_("Region code (subtree)"))
    active = filters.BooleanFilter(field_name="is_active", label=_("Offered"),
                                   widget=forms.Select(choices=YES_NO, attrs={"class": "form-select form-select-sm"}))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Facility
        fields = ["kind", "owner", "owner_id", "region", "active", "q"]


class BookingFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=BookingStatus.choices, label=_("Status"), widget=SELECT,
                                  empty_label=_("All statuses"))
    facility = IntegerFilter(field_name="facility_id", label=_("Facility id"))
    kind = filters.ChoiceFilter(field_name="facility__kind", choices=FacilityKind.choices, label=_("Kind"),
                                widget=SELECT, empty_label=_("All kinds"))
    owner = filters.CharFilter(field_name="facility__owner__code", label=_("Owner agency code"))
    requester = filters.CharFilter(field_name="requester__code", label=_("Requesting office code"))
    requester_id = IntegerFilter(field_name="requester_id", label=_("Requesting office id"))
    region = RegionSubtreeFilter(field_name="facility__region__code", label=_("Facility's region code (subtree)"))
    starts_from = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"), widget=DAY)
    starts_to = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Until"), widget=DAY)

    class Meta:
        model = FacilityBooking
        fields = ["status", "facility", "kind", "owner", "requester", "requester_id", "region", "starts_from",
                  "starts_to"]
