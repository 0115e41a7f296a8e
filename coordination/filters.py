"""One filterset per listed model, shared by the API and the HTML lists."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import AccessMode, AgencyKind, RegionLevel
from coordination.models import Agency, Election, PollingStation, Region

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


def _prefix(field: str):
    def apply(queryset, name, value):
        return queryset.filter(policies.code_in_scope_q(field, value.strip())) if value.strip() else queryset

    return apply


class RegionFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    parent = filters.CharFilter(field_name="parent__code", label=_("Parent code"))
    code_prefix = filters.CharFilter(method="filter_prefix", label=_("Code prefix (subtree)"))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Region
        fields = ["level", "parent", "code_prefix", "q"]

    def filter_prefix(self, queryset, name, value):
        return _prefix("code")(queryset, name, value)


class PollingStationFilter(filters.FilterSet):
    election = filters.ModelChoiceFilter(
        queryset=Election.objects.all(), to_field_name="code", label=_("Election"), widget=SELECT,
        empty_label=_("All elections"),
    )
    election_id = filters.NumberFilter(field_name="election_id", label=_("Election id"))
    region = filters.CharFilter(method="filter_region", label=_("Region code (subtree)"))
    village_id = filters.NumberFilter(field_name="village_id", label=_("Village id"))
    access_mode = filters.ChoiceFilter(choices=AccessMode.choices, label=_("Access mode"), widget=SELECT,
                                       empty_label=_("All access modes"))
    is_special_location = filters.BooleanFilter(label=_("Special location"))
    is_remote = filters.BooleanFilter(label=_("Remote area (4T)"))
    q = filters.CharFilter(method="filter_q", label=_("Search village or address"))

    class Meta:
        model = PollingStation
        fields = ["election", "election_id", "region", "village_id", "access_mode", "is_special_location",
                  "is_remote", "q"]

    def filter_region(self, queryset, name, value):
        return _prefix("village__code")(queryset, name, value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(village__name__icontains=value) | Q(address__icontains=value))


class AgencyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Kind"), widget=SELECT,
                                empty_label=_("All kinds"))
    region = filters.CharFilter(method="filter_region", label=_("Jurisdiction code (subtree)"))
    jurisdiction_id = filters.NumberFilter(field_name="jurisdiction_id", label=_("Jurisdiction id"))
    q = filters.CharFilter(method="filter_q", label=_("Search name"))

    class Meta:
        model = Agency
        fields = ["kind", "region", "jurisdiction_id", "q"]

    def filter_region(self, queryset, name, value):
        return _prefix("jurisdiction__code")(queryset, name, value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))
