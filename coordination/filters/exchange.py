"""The filterset of the information exchange register, shared by the API and the page."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.choices import OPEN_EXCHANGE_STATUSES, Classification, ExchangeKind, ExchangeStatus
from coordination.models import InformationExchange
from coordination.selectors.exchange import overdue_q
from kpu_polda.base.forms import StrictFilterSet

from . import IntegerFilter, RegionSubtreeFilter

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
YES_NO = [("true", _("Yes")), ("false", _("No"))]


class ExchangeFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=ExchangeKind.choices, label=_("Kind"), widget=SELECT,
                                empty_label=_("All kinds"))
    classification = filters.ChoiceFilter(choices=Classification.choices, label=_("Classification"), widget=SELECT,
                                          empty_label=_("All classifications"))
    status = filters.ChoiceFilter(choices=ExchangeStatus.choices, label=_("Status"), widget=SELECT,
                                  empty_label=_("All statuses"))
    from_agency = filters.CharFilter(field_name="from_agency__code", label=_("Sending agency code"))
    from_agency_id = IntegerFilter(field_name="from_agency_id", label=_("Sending agency id"))
    to_agency = filters.CharFilter(field_name="to_agency__code", label=_("Receiving agency code"))
    to_agency_id = IntegerFilter(field_name="to_agency_id", label=_("Receiving agency id"))
    agency = filters.CharFilter(method="filter_agency", label=_("Either agency's code"))
    region = RegionSubtreeFilter(field_name="area__code", label=_("Sender's region code (subtree)"))
    open = filters.BooleanFilter(method="filter_open", label=_("Open (waiting on the receiver)"),
                                 widget=forms.Select(choices=[("", _("Open or closed")), *YES_NO],
                                                     attrs={"class": "form-select form-select-sm"}))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Past the answer date"),
                                    widget=forms.Select(choices=[("", _("Late or not")), *YES_NO],
                                                        attrs={"class": "form-select form-select-sm"}))
    q = filters.CharFilter(field_name="subject", lookup_expr="icontains", label=_("Subject contains"))

    class Meta:
        model = InformationExchange
        fields = ["kind", "classification", "status", "from_agency", "from_agency_id", "to_agency", "to_agency_id",
                  "agency", "region", "open", "overdue", "q"]

    def filter_agency(self, queryset, name, value):
        return queryset.filter(Q(from_agency__code=value) | Q(to_agency__code=value))

    def filter_open(self, queryset, name, value):
        condition = Q(status__in=OPEN_EXCHANGE_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
