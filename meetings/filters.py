"""One filterset per listed model of meetings, for the API's lists."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.filters import IntegerFilter, RegionSubtreeFilter
from kpu_polda.base.forms import StrictFilterSet

from .choices import ActionStatus, MeetingKind, MeetingStatus, Response
from .models import ActionItem, Invitation, Meeting, MeetingSeries
from .selectors import overdue_q

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


class MeetingSeriesFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"), widget=SELECT, empty_label=_("All"))
    organiser = filters.CharFilter(field_name="organiser__code", label=_("Organiser agency code"))
    region = RegionSubtreeFilter(field_name="area_code", label=_("Region code (subtree)"))
    active = filters.BooleanFilter(field_name="active", label=_("Active"))

    class Meta:
        model = MeetingSeries
        fields = ["kind", "organiser", "region", "active"]


class MeetingFilter(StrictFilterSet):
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("Status"),
                                          widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm"}))
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"), widget=SELECT, empty_label=_("All"))
    series = IntegerFilter(field_name="series_id", label=_("Series id"))
    organiser = filters.CharFilter(field_name="organiser__code", label=_("Organiser agency code"))
    # Dates are WITA days: the lookup converts the stored UTC moment to the local date.
    starts_from = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("Starts on or after"),
                                     widget=DATE)
    starts_to = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Starts on or before"),
                                   widget=DATE)
    region = RegionSubtreeFilter(field_name="area_code", label=_("Region code (subtree)"))

    class Meta:
        model = Meeting
        fields = ["status", "kind", "series", "organiser", "starts_from", "starts_to", "region"]


class InvitationFilter(StrictFilterSet):
    meeting = IntegerFilter(field_name="meeting_id", label=_("Meeting id"))
    agency = filters.CharFilter(field_name="agency__code", label=_("Agency code"))
    response = filters.ChoiceFilter(choices=Response.choices, label=_("Reply"), widget=SELECT, empty_label=_("All"))
    region = RegionSubtreeFilter(field_name="meeting__area_code", label=_("Region code (subtree)"))

    class Meta:
        model = Invitation
        fields = ["meeting", "agency", "response", "region"]


class ActionItemFilter(StrictFilterSet):
    status = filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"),
                                          widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm"}))
    meeting = IntegerFilter(field_name="meeting_id", label=_("Meeting id"))
    owner_agency = filters.CharFilter(field_name="owner_agency__code", label=_("Owner agency code"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_from = filters.DateFilter(field_name="due_on", lookup_expr="gte", label=_("Due on or after"), widget=DATE)
    due_to = filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("Due on or before"), widget=DATE)
    region = RegionSubtreeFilter(field_name="area_code", label=_("Region code (subtree)"))

    class Meta:
        model = ActionItem
        fields = ["status", "meeting", "owner_agency", "overdue", "due_from", "due_to", "region"]

    def filter_overdue(self, queryset, name, value):
        late = overdue_q()
        return queryset.filter(late) if value else queryset.exclude(late)
