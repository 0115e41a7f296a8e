"""Filtersets of trainings, stakeholder facilitations and peace declarations, shared by
the API and the HTML lists."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.choices import TrainingKind, TrainingStatus
from coordination.models import PeaceDeclaration, StakeholderFacilitation, Training
from kpu_polda.base.forms import StrictFilterSet

from . import IntegerFilter, RegionSubtreeFilter

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
DAY = forms.DateInput(attrs={"class": "form-control form-control-sm", "type": "date"}, format="%Y-%m-%d")


class TrainingFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=TrainingKind.choices, label=_("Kind"), widget=SELECT,
                                empty_label=_("All kinds"))
    status = filters.ChoiceFilter(choices=TrainingStatus.choices, label=_("Status"), widget=SELECT,
                                  empty_label=_("All statuses"))
    region = RegionSubtreeFilter(field_name="area__code", label=_("Region code (subtree)"))
    organiser = filters.CharFilter(method="filter_organiser", label=_("Organising agency code"))
    organiser_id = IntegerFilter(method="filter_organiser_id", label=_("Organising agency id"))
    starts_from = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"), widget=DAY)
    starts_to = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Until"), widget=DAY)

    class Meta:
        model = Training
        fields = ["kind", "status", "region", "organiser", "organiser_id", "starts_from", "starts_to"]

    def filter_organiser(self, queryset, name, value):
        # Organiser or co-organiser: "the trainings of Polresta Samarinda".
        return queryset.filter(Q(organiser__code=value) | Q(co_organiser__code=value))

    def filter_organiser_id(self, queryset, name, value):
        return queryset.filter(Q(organiser_id=value) | Q(co_organiser_id=value))


class FacilitationFilter(StrictFilterSet):
    region = RegionSubtreeFilter(field_name="area__code", label=_("Region code (subtree)"))
    facilitator = filters.CharFilter(field_name="facilitator__code", label=_("Police unit code"))
    facilitator_id = IntegerFilter(field_name="facilitator_id", label=_("Police unit id"))
    kpu_office = filters.CharFilter(field_name="kpu_office__code", label=_("KPU office code"))
    held_from = filters.DateFilter(field_name="held_at", lookup_expr="date__gte", label=_("From"), widget=DAY)
    held_to = filters.DateFilter(field_name="held_at", lookup_expr="date__lte", label=_("Until"), widget=DAY)
    q = filters.CharFilter(field_name="stakeholders", lookup_expr="icontains", label=_("Stakeholder contains"))

    class Meta:
        model = StakeholderFacilitation
        fields = ["region", "facilitator", "facilitator_id", "kpu_office", "held_from", "held_to", "q"]


class DeclarationFilter(StrictFilterSet):
    region = RegionSubtreeFilter(field_name="area__code", label=_("Region code (subtree)"))
    signed_from = filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("From"), widget=DAY)
    signed_to = filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Until"), widget=DAY)
    party = filters.CharFilter(method="filter_party", label=_("Signed by party"))

    class Meta:
        model = PeaceDeclaration
        fields = ["region", "signed_from", "signed_to", "party"]

    def filter_party(self, queryset, name, value):
        return queryset.filter(signatories__party__icontains=value).distinct()
