"""The logistics API's shapes: escort requests with their goods, the small input of each
workflow step, custody events and discrepancies.

Serializers check the input's shape only; the services decide (and raise the field
errors the exception handler answers as 400)."""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coordination import policies as ground
from coordination.models import Agency, Clause, Election, ElectionStage, PollingStation, Region
from kpu_polda.base.serializers import (
    NOT_A_LIST,
    NOT_AN_OBJECT,
    FieldsBuiltOnceMixin,
    InputModelSerializer,
    InputSerializer,
    ObjectInput,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)

from .. import policies
from ..choices import DiscrepancyReason, IncidentType, Severity
from ..models import CustodyEvent, Discrepancy, EscortItem, EscortRequest
from ..services.custody import REPORTED_REASONS

TEXTAREA = {"base_template": "textarea.html"}
class EscortItemSerializer(ObjectInput, InputModelSerializer):
    """One kind of goods: how many, in what unit (a default per kind), under which seals."""

    unit = serializers.CharField(max_length=20, required=False)

    class Meta:
        model = EscortItem
        fields = ["id", "kind", "quantity", "unit", "seal_numbers", "box_label"]


class AssignmentSerializer(serializers.Serializer):
    """The police assignment of an escort (empty until the assign step)."""

    assigned_unit = serializers.CharField(source="assigned_unit.code", read_only=True, allow_null=True, default=None)
    commander_name = serializers.CharField(read_only=True)
    commander_nrp = serializers.CharField(read_only=True)
    personnel_count = serializers.IntegerField(read_only=True, allow_null=True)
    vehicles = serializers.CharField(read_only=True)


class EscortSerializer(ObjectInput, InputModelSerializer):
    """An escort request. Written by its KPU office: created with its goods (``items``) or,
    for a team escort, ``team_members`` (one per line) and ``team_purpose``; changed with
    PATCH before departure (``items`` replaces the whole list). Status moves only through
    the step endpoints."""

    election = serializers.SlugRelatedField(slug_field="code", queryset=Election.objects.all(),
                                            error_messages={"does_not_exist": _("Unknown election."),
                                                            "invalid": _("Unknown election.")})
    stage = ScopedPrimaryKeyRelatedField(queryset=ElectionStage.objects.all(), scope=ground.scope_elections,
                                         required=False, allow_null=True)
    clause = ScopedPrimaryKeyRelatedField(queryset=Clause.objects.all(), scope=ground.scope_clauses,
                                          required=False, allow_null=True)
    origin_region = ScopedSlugRelatedField(slug_field="code", queryset=Region.objects.defer("boundary"),
                                           scope=ground.scope_regions, required=False, allow_null=True)
    destination_region = ScopedSlugRelatedField(slug_field="code", queryset=Region.objects.defer("boundary"),
                                                scope=ground.scope_regions, required=False, allow_null=True)
    origin_tps = ScopedPrimaryKeyRelatedField(queryset=PollingStation.objects.select_related("village"),
                                              scope=ground.scope_polling_stations, required=False, allow_null=True)
    destination_tps = ScopedPrimaryKeyRelatedField(queryset=PollingStation.objects.select_related("village"),
                                                   scope=ground.scope_polling_stations, required=False,
                                                   allow_null=True)
    origin_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    destination_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    items = EscortItemSerializer(many=True, required=False,
                                 error_messages={"not_a_list": NOT_A_LIST, "invalid": NOT_AN_OBJECT})
    status = serializers.CharField(read_only=True)
    area = serializers.CharField(source="area_code", read_only=True)
    route = serializers.CharField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="code", read_only=True)
    police_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assignment = AssignmentSerializer(source="*", read_only=True)

    class Meta:
        model = EscortRequest
        fields = ["id", "number", "status", "election", "stage", "clause", "cargo", "direction",
                  "origin_kind", "origin_name", "origin_region", "origin_tps",
                  "destination_kind", "destination_name", "destination_region", "destination_tps",
                  "area", "route", "transport_mode", "planned_departure", "planned_arrival", "notes",
                  "team_purpose", "team_members", "items", "requested_by", "police_unit", "assignment",
                  "accepted_at", "handed_over_at", "created_at", "updated_at"]
        read_only_fields = ["number", "accepted_at", "handed_over_at", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is not None and "items" in attrs:
            # PATCH: the items are the whole new list, handed to the service as plain dicts.
            attrs["items"] = [dict(item) for item in attrs["items"]]
        return attrs


# --- the steps' input ------------------------------------------------------------------


class DecisionSerializer(ObjectInput, InputSerializer):
    """Accept or close: an optional note for the status trail."""

    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, style=TEXTAREA)


class ReasonSerializer(ObjectInput, InputSerializer):
    """Reject or cancel: the reason is required."""

    reason = serializers.CharField(max_length=2000, style=TEXTAREA)


class AssignSerializer(ObjectInput, InputSerializer):
    """The escort's assignment: the escorting unit (default: the officer's own), the
    commander's name and NRP (digits), how many officers, the vehicles or boats."""

    assigned_unit = ScopedSlugRelatedField(slug_field="code", queryset=Agency.objects.all(),
                                           scope=ground.scope_agencies, required=False, allow_null=True)
    commander_name = serializers.CharField(max_length=120)
    commander_nrp = serializers.CharField(max_length=20)
    personnel_count = serializers.IntegerField(min_value=1, max_value=10000)
    vehicles = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, style=TEXTAREA)


class ItemCountSerializer(ObjectInput, InputSerializer):
    item = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=0, max_value=100_000_000)


REPORTED = sorted(REPORTED_REASONS)


# Documented by a pattern, not an enum: a second choice set under the name "reason"
# (beside the discrepancies' own) is a schema warning.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(REPORTED)})$"})
class ReportedReasonField(serializers.ChoiceField):
    pass


class ReportSerializer(ObjectInput, InputSerializer):
    """Damaged goods or a wrong item, reported by hand with a confirmation."""

    item = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    reason = ReportedReasonField(choices=[(r.value, r.label) for r in DiscrepancyReason if r in REPORTED_REASONS],
                                 help_text="damaged or wrong_item")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", style=TEXTAREA)


class JsonListField(serializers.ListField):
    """A list, given as JSON in a JSON body, or as one JSON text in a multipart form
    (where a confirmation carries its photo)."""

    default_error_messages = {"not_a_list": NOT_A_LIST}

    def get_value(self, dictionary):
        value = super().get_value(dictionary)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            return value[0]
        return value

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("not_a_list", input_type="text")
        return super().to_internal_value(data)


class ConfirmationInputSerializer(ObjectInput, InputSerializer):
    """What a party records with a confirmation: where and when (their device's time),
    in which role and name, witnesses, a note and an optional photo (multipart). The
    ``Idempotency-Key`` header makes a retry safe."""

    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="", style=TEXTAREA)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         default=None)
    device_time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    acting_as = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    signer_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    witnesses = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    photo = serializers.ImageField(required=False, allow_null=True, default=None)


class CountedConfirmationSerializer(ConfirmationInputSerializer):
    """Departure, arrival and both hand-over sides: a count of every item
    (``[{"item": id, "quantity": n}]``; departure and arrival default to the listed
    quantities, a hand-over must count), the seals seen, and damaged or wrong items.
    A correction names the earlier event (``corrects``) and says why (``reason``)."""

    counts = JsonListField(child=ItemCountSerializer(), required=False, allow_null=True, default=None)
    seals_intact = serializers.BooleanField(required=False, allow_null=True, default=None)
    seals_seen = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    reports = JsonListField(child=ReportSerializer(), required=False, default=list)
    corrects = ScopedPrimaryKeyRelatedField(queryset=CustodyEvent.objects.all(), scope=policies.scope_escort_rows,
                                            required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", style=TEXTAREA)

    def validate_counts(self, value):
        return None if value is None else [dict(entry) for entry in value]

    def validate_reports(self, value):
        return [dict(entry) for entry in value]


class IncidentSerializer(ConfirmationInputSerializer):
    """An incident on the way: what happened and how severe (high and critical notify
    both agencies at once)."""

    incident_type = serializers.ChoiceField(choices=IncidentType.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)


# --- what a confirmation answers ---------------------------------------------------------


class FoundDiscrepancySerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """A discrepancy a confirmation opened, as it was found (its later resolution is read
    from /discrepancies/): so a replay answers exactly what the first request did."""

    class Meta:
        model = Discrepancy
        fields = ["id", "item", "reason", "expected", "counted", "description"]


class CustodyEventSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """One confirmation in an escort's chain: who, in which role, when, where, what they
    counted, the seals, and the hash linking it to the event before."""

    escort_number = serializers.CharField(source="escort.number", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    actor_agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    counts = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = CustodyEvent
        fields = ["id", "escort", "escort_number", "sequence", "kind", "actor", "side", "actor_agency", "acting_as",
                  "signer_name", "device_time", "recorded_at", "latitude", "longitude", "counts", "seals_intact",
                  "seals_seen", "witnesses", "note", "has_photo", "corrects", "reason", "incident_type",
                  "severity", "previous_hash", "hash"]
        read_only_fields = fields

    def get_counts(self, event) -> list[dict[str, int]]:
        return [{"item": int(c["item"]), "quantity": int(c["quantity"])} for c in event.counts]

    def get_has_photo(self, event) -> bool:
        return bool(event.photo)


class ConfirmationSerializer(serializers.Serializer):
    """The answer to a confirmation: the recorded event and the discrepancies it opened.
    A replay (same ``Idempotency-Key``, same body) answers the same, with the header
    ``Idempotent-Replayed: true``; the escort's status is read from /escorts/{id}/."""

    event = CustodyEventSerializer(read_only=True)
    discrepancies = FoundDiscrepancySerializer(many=True, read_only=True)


class ChainSerializer(serializers.Serializer):
    """The check of an escort's custody chain: events read, and the first broken link."""

    escort = serializers.CharField(read_only=True)
    checked = serializers.IntegerField(read_only=True)
    ok = serializers.BooleanField(read_only=True)
    broken_at = serializers.IntegerField(read_only=True, allow_null=True)
    problem = serializers.CharField(read_only=True)


class DiscrepancySerializer(serializers.ModelSerializer):
    """A difference between what was sent and what a party found; open until the KPU
    resolves it with a note."""

    escort_number = serializers.CharField(source="escort.number", read_only=True)
    item_kind = serializers.CharField(source="item.kind", read_only=True, allow_null=True, default=None)
    found_at = serializers.IntegerField(source="event.sequence", read_only=True)
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Discrepancy
        fields = ["id", "escort", "escort_number", "item", "item_kind", "event", "found_at", "reason", "expected",
                  "counted", "description", "status", "resolved_at", "resolved_by", "resolution", "created_at"]
        read_only_fields = fields


class ResolveSerializer(ObjectInput, InputSerializer):
    resolution = serializers.CharField(max_length=4000, style=TEXTAREA,
                                       help_text=_("What was done: replaced, recounted, reported."))


def idempotency_key_of(request) -> str:
    """The request's ``Idempotency-Key`` header (blank without one); over 80
    characters is refused by the service with a field error."""
    return request.headers.get("Idempotency-Key", "").strip()

