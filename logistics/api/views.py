"""Escort requests, their workflow steps, the custody chain and discrepancies.

Every step of logistics.choices.ESCORT_STEPS (and the incident report) is a POST action
generated from the table below: decisions call services.escort_decide, confirmations
services.custody_confirm. The services raise Django's ValidationError for bad input, and
the API's exception handler answers it as a 400 with field errors, so views do not catch.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from kpu_polda.base.viewsets import ScopedReadOnlyViewSet, ScopedViewSet

from .. import policies, selectors, services
from ..choices import ESCORT_STEPS
from ..filters import CustodyEventFilter, DiscrepancyFilter, EscortFilter
from ..models import CustodyEvent, Discrepancy, EscortRequest
from ..services.custody import INCIDENT
from .serializers import (
    AssignSerializer,
    ChainSerializer,
    ConfirmationInputSerializer,
    ConfirmationSerializer,
    CountedConfirmationSerializer,
    CustodyEventSerializer,
    DecisionSerializer,
    DiscrepancySerializer,
    EscortSerializer,
    IncidentSerializer,
    ReasonSerializer,
    ResolveSerializer,
    idempotency_key_of,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Up to 80 characters, new for each confirmation (a UUID). A retry with the same key and body "
                "answers the first answer again (header `Idempotent-Replayed: true`) and writes nothing; the "
                "same key with another body is 409 `idempotency_key_reused`.")

CREATE_EXAMPLES = [
    OpenApiExample("Goods to a TPS", request_only=True, value={
        "election": "pemilu-2024", "cargo": "goods", "direction": "outbound",
        "origin_kind": "warehouse", "origin_name": "Gudang KPU Kota Samarinda", "origin_region": "64.72",
        "destination_kind": "tps", "destination_tps": 101,
        "planned_departure": "2024-02-12T08:00:00+08:00", "planned_arrival": "2024-02-12T11:00:00+08:00",
        "transport_mode": "road",
        "items": [{"kind": "ballot_president", "quantity": 204, "unit": "lembar"},
                  {"kind": "ballot_box", "quantity": 5, "unit": "buah", "seal_numbers": "S-001 S-002"}]}),
    OpenApiExample("A KPU team", request_only=True, value={
        "election": "pemilu-2024", "cargo": "team", "origin_kind": "kpu_office", "origin_name": "KPU Kota Samarinda",
        "origin_region": "64.72", "destination_kind": "ppk", "destination_name": "PPK Samarinda Ulu",
        "destination_region": "64.72.01", "planned_departure": "2024-02-15T07:00:00+08:00",
        "planned_arrival": "2024-02-15T08:00:00+08:00", "team_purpose": "Supervise the recount",
        "team_members": "Andi\nSiti"}),
]
CONFIRM_EXAMPLES = [
    OpenApiExample("Departure with counts", request_only=True, value={
        "counts": [{"item": 11, "quantity": 204}, {"item": 12, "quantity": 5}], "seals_intact": True,
        "seals_seen": "S-001 S-002", "latitude": "-0.502106", "longitude": "117.153709",
        "device_time": "2024-02-12T08:02:00+08:00", "acting_as": "komandan pengawalan"}),
]
CHECKPOINT_EXAMPLES = [
    OpenApiExample("A checkpoint", request_only=True, value={
        "note": "Jembatan Mahakam, lancar", "latitude": "-0.511000", "longitude": "117.130000"}),
]
INCIDENT_EXAMPLES = [
    OpenApiExample("A flooded road", request_only=True, value={
        "incident_type": "weather", "severity": "high", "note": "Jalan banjir, memutar lewat Jl. Juanda"}),
]


def _confirmation_input(action_name: str, event: str):
    if action_name == INCIDENT:
        return IncidentSerializer, INCIDENT_EXAMPLES
    if event == "checkpoint":
        return ConfirmationInputSerializer, CHECKPOINT_EXAMPLES
    return CountedConfirmationSerializer, CONFIRM_EXAMPLES


def _decision_input(step) -> type:
    if step.action == "assign":
        return AssignSerializer
    return ReasonSerializer if step.needs_reason else DecisionSerializer


def _decision(step):
    form_class = _decision_input(step)

    def take(self, request, pk=None):
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        escort = services.escort_decide(actor=request.user, escort=self.target_ref(), action=step.action,
                                        **form.validated_data)
        return Response(EscortSerializer(self.reread(escort), context=self.get_serializer_context()).data)

    # Lazy texts: the schema is built in English whatever the request's language.
    schema = extend_schema(summary=step.label, request=form_class, responses={200: EscortSerializer},
                           description=format_lazy("{label}: a decision of the {side}. 409 when the escort's status "
                                                   "does not allow it.", label=step.label, side=step.side))
    return form_class, take, schema


def _confirmation(action_name: str, label: str, event: str):
    form_class, examples = _confirmation_input(action_name, event)

    def confirm(self, request, pk=None):
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.custody_confirm(actor=request.user, escort=self.target_ref(), action=action_name,
                                          idempotency_key=idempotency_key_of(request), **form.validated_data)
        if result.replayed:
            event_row = CustodyEvent.objects.select_related("escort", "actor", "actor_agency").get(pk=result.event.pk)
            found = list(Discrepancy.objects.filter(event=event_row).order_by("pk"))
        else:
            event_row, found = result.event, sorted(result.discrepancies, key=lambda row: row.pk)
            if event_row.actor_agency_id is not None and event_row.actor_agency_id == request.user.agency_id:
                event_row.actor_agency = request.user.agency  # read with the caller: no query to answer
        body = ConfirmationSerializer({"event": event_row, "discrepancies": found}).data
        response = Response(body, status=status.HTTP_201_CREATED)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    description = format_lazy(
        "{label}: a custody confirmation, recorded as the next event of the escort's chain. 409 "
        "`already_confirmed` for a step already taken. JSON, or multipart with a `photo` (counts and reports "
        "then as JSON text).", label=label)
    schema = extend_schema(summary=label, description=description, request=form_class,
                           responses={201: ConfirmationSerializer}, parameters=[IDEMPOTENCY_KEY], examples=examples)
    return form_class, confirm, schema


def step_actions() -> dict:
    """One POST action per step of ESCORT_STEPS, plus the incident report, named by the
    step (``/escorts/{id}/handover-escort/``)."""
    actions = {}
    steps = [(step.action, step.label, step.event, step) for step in ESCORT_STEPS.values()]
    steps.append((INCIDENT, _("Report an incident"), "incident", None))
    for name, label, event, step in steps:
        form_class, view, schema = _confirmation(name, label, event) if event else _decision(step)
        attribute = name.replace("-", "_")
        view.__name__ = attribute
        # extend_schema wraps the action (as its decorator would sit above @action).
        actions[attribute] = schema(action(detail=True, methods=["post"], url_path=name, url_name=name,
                                           serializer_class=form_class, filter_backends=[])(view))
    return actions


StepActions = type("StepActions", (), step_actions())


@extend_schema_view(
    create=extend_schema(examples=CREATE_EXAMPLES),
    list=extend_schema(description="Escort requests in the caller's region (KPU offices: their region; police "
                                   "units: their jurisdiction), by planned departure."),
)
class EscortViewSet(StepActions, ScopedViewSet):
    """Escort requests (pengawalan logistik): raised and changed by the KPU office, moved
    along the workflow by the step endpoints."""

    queryset = EscortRequest.objects.all()
    scope = staticmethod(policies.scope_escorts)
    serializer_class = EscortSerializer
    filterset_class = EscortFilter
    create_service = staticmethod(services.escort_request_create)
    update_service = staticmethod(services.escort_request_update)
    update_instance_name = "escort"

    def get_queryset(self):
        rows = (selectors.escorts_for(self.request.user)
                .select_related("assigned_unit", "origin_region", "destination_region")
                .defer("origin_region__boundary", "destination_region__boundary"))
        return rows.prefetch_related("items").order_by("planned_departure", "id")

    @extend_schema(responses={200: ChainSerializer})
    @action(detail=True, methods=["get"], filter_backends=[])
    def chain(self, request, pk=None):
        """Recompute the escort's custody chain and name its first broken link, if any."""
        report = services.custody_chain_verify(escort=self.get_target())
        return Response(ChainSerializer({"escort": report.escort, "checked": report.checked, "ok": report.ok,
                                         "broken_at": report.broken_at, "problem": report.problem}).data)


@extend_schema_view(list=extend_schema(
    description="Custody events of the escorts in the caller's region, newest first. Incidents are the events "
                "with kind=incident: `/api/v1/custody-events/?kind=incident`."))
class CustodyEventViewSet(ScopedReadOnlyViewSet):
    """The custody confirmations (append-only; incidents among them, ``kind=incident``)."""

    queryset = CustodyEvent.objects.all()
    scope = staticmethod(policies.scope_escort_rows)
    serializer_class = CustodyEventSerializer
    filterset_class = CustodyEventFilter

    def get_queryset(self):
        return selectors.custody_events_for(self.request.user).order_by("-recorded_at", "-id")


class DiscrepancyViewSet(ScopedReadOnlyViewSet):
    """Discrepancies found by confirmations; the KPU resolves them with a note."""

    queryset = Discrepancy.objects.all()
    scope = staticmethod(policies.scope_escort_rows)
    serializer_class = DiscrepancySerializer
    filterset_class = DiscrepancyFilter

    def get_queryset(self):
        return selectors.discrepancies_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ResolveSerializer, responses={200: DiscrepancySerializer})
    @action(detail=True, methods=["post"], serializer_class=ResolveSerializer, filter_backends=[])
    def resolve(self, request, pk=None):
        """Resolve an open discrepancy with the KPU's note (409 ``already_resolved``)."""
        form = ResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.discrepancy_resolve(actor=request.user, discrepancy=self.target_ref(),
                                           resolution=form.validated_data["resolution"])
        return Response(DiscrepancySerializer(self.reread(row)).data)
