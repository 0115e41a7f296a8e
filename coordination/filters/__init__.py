"""One filterset per listed model, shared by the API and the HTML lists."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination import policies
from coordination.choices import (
    AccessMode,
    AgencyKind,
    AgreementStatus,
    ClauseCategory,
    ElectionKind,
    PolriClass,
    RegionLevel,
    RiskCategory,
    RiskStatus,
)
from coordination.models import (
    Agency,
    Agreement,
    ApiToken,
    Clause,
    Election,
    ElectionStage,
    IkpScore,
    Notification,
    PollingStation,
    Region,
    RiskAssessment,
    SecurityPattern,
    TpsVulnerability,
)
from kpu_polda.base.forms import IntegerField, StrictFilterSet

SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class IntegerFilter(filters.NumberFilter):
    """A whole number in ASCII digits within the bounds given (by default an id: 1 up to
    the 64-bit limit). Anything else is a 400 with the field's message, never a value
    handed to the database to overflow on."""

    field_class = IntegerField

    def get_max_validator(self):
        return None  # the field's own bounds

    def __init__(self, *args, min_value=1, **kwargs):
        super().__init__(*args, min_value=min_value, **kwargs)


class RegionSubtreeFilter(filters.CharFilter):
    """Rows whose ``field_name`` (a lookup ending in a region code) lies in the subtree of
    the code given: the policy's own prefix rule."""

    def filter(self, qs, value):
        value = (value or "").strip()
        return qs.filter(policies.code_in_scope_q(self.field_name, value)) if value else qs


class RegionFilter(StrictFilterSet):
    level = filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    parent = filters.CharFilter(field_name="parent__code", label=_("Parent code"))
    code_prefix = RegionSubtreeFilter(field_name="code", label=_("Code prefix (subtree)"))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Region
        fields = ["level", "parent", "code_prefix", "q"]


class PollingStationFilter(StrictFilterSet):
    election = filters.ModelChoiceFilter(
        queryset=Election.objects.all(), to_field_name="code", label=_("Election"), widget=SELECT,
        empty_label=_("All elections"),
    )
    election_id = IntegerFilter(field_name="election_id", label=_("Election id"))
    region = RegionSubtreeFilter(field_name="village_code", label=_("Region code (subtree)"))
    village_id = IntegerFilter(field_name="village_id", label=_("Village id"))
    access_mode = filters.ChoiceFilter(choices=AccessMode.choices, label=_("Access mode"), widget=SELECT,
                                       empty_label=_("All access modes"))
    is_special_location = filters.BooleanFilter(label=_("Special location"))
    is_remote = filters.BooleanFilter(label=_("Remote area (4T)"))
    q = filters.CharFilter(method="filter_q", label=_("Search village or address"))

    class Meta:
        model = PollingStation
        fields = ["election", "election_id", "region", "village_id", "access_mode", "is_special_location",
                  "is_remote", "q"]


    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(village__name__icontains=value) | Q(address__icontains=value))


class AgencyFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Kind"), widget=SELECT,
                                empty_label=_("All kinds"))
    region = RegionSubtreeFilter(field_name="jurisdiction__code", label=_("Jurisdiction code (subtree)"))
    jurisdiction_id = IntegerFilter(field_name="jurisdiction_id", label=_("Jurisdiction id"))
    q = filters.CharFilter(method="filter_q", label=_("Search name"))

    class Meta:
        model = Agency
        fields = ["kind", "region", "jurisdiction_id", "q"]


    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class AgreementFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    region = RegionSubtreeFilter(field_name="region__code", label=_("Region code (subtree)"))
    party = filters.CharFilter(field_name="parties__code", label=_("Party agency code"))

    class Meta:
        model = Agreement
        fields = ["status", "region", "party"]


class ElectionFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=ElectionKind.choices, label=_("Kind"))

    class Meta:
        model = Election
        fields = ["kind"]


class ApiTokenFilter(StrictFilterSet):
    revoked = filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", exclude=True, label=_("Revoked"))

    class Meta:
        model = ApiToken
        fields = ["revoked"]


class ClauseFilter(StrictFilterSet):
    agreement = IntegerFilter(field_name="agreement_id", label=_("Agreement id"))
    category = filters.ChoiceFilter(choices=ClauseCategory.choices, label=_("Category"), widget=SELECT)

    class Meta:
        model = Clause
        fields = ["agreement", "category"]


class StageFilter(StrictFilterSet):
    election = filters.CharFilter(field_name="election__code", label=_("Election code"))
    parent = IntegerFilter(field_name="parent_id", label=_("Parent stage id"))
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Top-level stages only"))
    current = filters.BooleanFilter(method="filter_current", label=_("Under way today"))

    class Meta:
        model = ElectionStage
        fields = ["election", "parent", "top_level", "current"]

    def filter_current(self, queryset, name, value):
        from kpu_polda.base import clock

        today = clock.today()
        under_way = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        return queryset.filter(under_way) if value else queryset.exclude(under_way)


class RiskFilter(StrictFilterSet):
    election = filters.CharFilter(field_name="stage__election__code", label=_("Election code"))
    stage = IntegerFilter(method="filter_stage", label=_("Stage id (with its sub-stages)"))
    region = RegionSubtreeFilter(field_name="region__code", label=_("Region code (subtree)"))
    level = filters.ChoiceFilter(field_name="region__level", choices=RegionLevel.choices, label=_("Region level"),
                                 widget=SELECT, empty_label=_("All levels"))
    status = filters.ChoiceFilter(choices=RiskStatus.choices, label=_("Status"), widget=SELECT,
                                  empty_label=_("All statuses"))
    # What the home page, the heat map and the map count as an open risk.
    open = filters.BooleanFilter(method="filter_open", label=_("Open or mitigating"))
    category = filters.ChoiceFilter(choices=RiskCategory.choices, label=_("Category"), widget=SELECT,
                                    empty_label=_("All categories"))
    min_score = IntegerFilter(field_name="score", lookup_expr="gte", min_value=0, max_value=25,
                              label=_("Score at least"))
    likelihood = IntegerFilter(max_value=5, label=_("Likelihood"))
    impact = IntegerFilter(max_value=5, label=_("Impact"))

    class Meta:
        model = RiskAssessment
        fields = ["election", "stage", "region", "level", "status", "open", "category", "min_score", "likelihood",
                  "impact"]

    def filter_open(self, queryset, name, value):
        open_statuses = [RiskStatus.OPEN, RiskStatus.MITIGATING]
        return queryset.filter(status__in=open_statuses) if value else queryset.exclude(status__in=open_statuses)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(Q(stage_id=value) | Q(stage__parent_id=value) | Q(stage__parent__parent_id=value))


class TpsVulnerabilityFilter(StrictFilterSet):
    election = filters.CharFilter(field_name="polling_station__election__code", label=_("Election code"))
    region = RegionSubtreeFilter(field_name="polling_station__village_code", label=_("Region code (subtree)"))
    polri_class = filters.ChoiceFilter(choices=PolriClass.choices, label=_("Polri class"), widget=SELECT,
                                       empty_label=_("All classes"))

    class Meta:
        model = TpsVulnerability
        fields = ["election", "region", "polri_class"]


class IkpScoreFilter(StrictFilterSet):
    election = filters.CharFilter(field_name="election__code", label=_("Election code"))
    region = RegionSubtreeFilter(field_name="region__code", label=_("Region code (subtree)"))

    class Meta:
        model = IkpScore
        fields = ["election", "region"]


class SecurityPatternFilter(StrictFilterSet):
    polri_class = filters.ChoiceFilter(choices=PolriClass.choices, label=_("Polri class"))

    class Meta:
        model = SecurityPattern
        fields = ["polri_class"]


class NotificationFilter(StrictFilterSet):
    unread = filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Unread"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Unread")), ("false", _("Read"))],
                            attrs={"class": "form-select form-select-sm"}),
    )
    kind = filters.CharFilter(field_name="kind", label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
