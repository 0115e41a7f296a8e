"""One filterset per listed model of logistics, shared by the API and the HTML lists."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.choices import AccessMode
from coordination.filters import IntegerFilter, RegionSubtreeFilter
from kpu_polda.base import clock
from kpu_polda.base.forms import StrictFilterSet

from .choices import Cargo, Direction, DiscrepancyReason, DiscrepancyStatus, EscortStatus, EventKind
from .models import CustodyEvent, Discrepancy, EscortRequest
from .selectors.overdue import overdue_q

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class EscortFilter(StrictFilterSet):
    election = filters.CharFilter(field_name="election__code", label=_("Election code"))
    stage = IntegerFilter(field_name="stage_id", label=_("Stage id"))
    region = RegionSubtreeFilter(field_name="area_code", label=_("Region code (subtree)"))
    status = filters.MultipleChoiceFilter(choices=EscortStatus.choices, label=_("Status"),
                                          widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm"}))
    direction = filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"), widget=SELECT,
                                     empty_label=_("Both directions"))
    cargo = filters.ChoiceFilter(choices=Cargo.choices, label=_("Escorts"), widget=SELECT, empty_label=_("All"))
    transport_mode = filters.ChoiceFilter(choices=AccessMode.choices, label=_("Transport"), widget=SELECT,
                                          empty_label=_("All transport"))
    departs_from = filters.DateFilter(field_name="planned_departure", lookup_expr="date__gte",
                                      label=_("Departs on or after"), widget=DATE)
    departs_to = filters.DateFilter(field_name="planned_departure", lookup_expr="date__lte",
                                    label=_("Departs on or before"), widget=DATE)
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    number = filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Number contains"))
    police_unit = filters.CharFilter(field_name="police_unit__code", label=_("Police unit code"))

    class Meta:
        model = EscortRequest
        fields = ["election", "stage", "region", "status", "direction", "cargo", "transport_mode", "departs_from",
                  "departs_to", "overdue", "number", "police_unit"]

    def filter_overdue(self, queryset, name, value):
        late = overdue_q(clock.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class CustodyEventFilter(StrictFilterSet):
    escort = IntegerFilter(field_name="escort_id", label=_("Escort id"))
    kind = filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"), widget=SELECT, empty_label=_("All"))
    region = RegionSubtreeFilter(field_name="escort__area_code", label=_("Region code (subtree)"))
    since = filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte", label=_("Recorded since"))

    class Meta:
        model = CustodyEvent
        fields = ["escort", "kind", "region", "since"]


class DiscrepancyFilter(StrictFilterSet):
    escort = IntegerFilter(field_name="escort_id", label=_("Escort id"))
    status = filters.ChoiceFilter(choices=DiscrepancyStatus.choices, label=_("Status"), widget=SELECT,
                                  empty_label=_("All statuses"))
    reason = filters.ChoiceFilter(choices=DiscrepancyReason.choices, label=_("Reason"), widget=SELECT,
                                  empty_label=_("All reasons"))
    region = RegionSubtreeFilter(field_name="escort__area_code", label=_("Region code (subtree)"))

    class Meta:
        model = Discrepancy
        fields = ["escort", "status", "reason", "region"]
