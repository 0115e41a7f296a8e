"""API of police facilities (/api/v1/facilities/) and their bookings
(/api/v1/facility-bookings/).

Serializers check the input's shape and refuse fields they do not take; the services
decide, raising ValidationError (400 with field errors), Conflict and TransitionNotAllowed
(409: ``booking_overlap`` names the approved booking in the way), PermissionDenied (403)
and OutOfScope (404), which the API's exception handler answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coordination import policies
from coordination.choices import AgencyKind, BookingStatus, FacilityKind
from coordination.filters.facilities import BookingFilter, FacilityFilter
from coordination.models import Agency, Facility, FacilityBooking, Region
from coordination.policies import facilities as policy
from coordination.services import facilities as services
from kpu_polda.base.serializers import (
    ExactObjectInput,
    InputModelSerializer,
    InputSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from kpu_polda.base.viewsets import ScopedViewSet

urlpatterns: list = []
ID = "[0-9]{1,18}"  # an id the database can hold: anything else is no route (404)


def _agency_field(kind: str, **kwargs):
    unknown = _("Unknown agency.")
    return ScopedSlugRelatedField(slug_field="code", queryset=Agency.objects.filter(kind=kind)
                                  .select_related("jurisdiction").defer("jurisdiction__boundary"),
                                  scope=policies.scope_agencies,
                                  error_messages={"does_not_exist": unknown, "invalid": unknown}, **kwargs)


def _pattern(choices) -> dict:
    return {"type": "string", "pattern": f"^({'|'.join(choices.values)})$"}


# Documented by a pattern: "kind" and "status" name other choice sets elsewhere in the API.
@extend_schema_field(_pattern(FacilityKind))
class FacilityKindField(serializers.ChoiceField):
    pass


@extend_schema_field(_pattern(BookingStatus))
class BookingStatusField(serializers.ChoiceField):
    pass


class FacilitySerializer(ExactObjectInput, InputModelSerializer):
    """A facility of Polda or a Polres that KPU offices may book: a hall, warehouse,
    vehicle or boat, where it stands (``region``, a Kemendagri code) and how much it holds
    (``capacity`` in ``capacity_unit``; a capacity in people limits a booking's
    participants). ``is_active`` false: withdrawn from offer (set by PATCH)."""

    owner = _agency_field(AgencyKind.POLRI, help_text="The Polri agency's code, e.g. polda-kaltim.")
    kind = FacilityKindField(choices=FacilityKind.choices)
    region = ScopedSlugRelatedField(slug_field="code", queryset=Region.objects.defer("boundary"),
                                    scope=policies.scope_regions,
                                    error_messages={"does_not_exist": _("Unknown region code, or outside your "
                                                                        "region.")})
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    class Meta:
        model = Facility
        fields = ["id", "owner", "name", "kind", "capacity", "capacity_unit", "region", "address", "notes",
                  "is_active", "created_at", "updated_at"]
        read_only_fields = ["is_active", "created_at", "updated_at"]


class FacilityUpdateSerializer(FacilitySerializer):
    """A change: not the owner; ``is_active`` withdraws the facility or offers it again."""

    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta(FacilitySerializer.Meta):
        read_only_fields = ["created_at", "updated_at"]


class FacilityViewSet(ScopedViewSet):
    """The facilities the caller may see: those standing in the caller's region and below
    it, and in the regions above it. Recorded and changed by the owner's police officers
    and the secretariat in scope."""

    queryset = Facility.objects.select_related("owner", "region").defer("region__boundary") \
        .order_by("region__code", "owner__short_name", "name", "id")
    scope = staticmethod(policy.scope_facilities)
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    create_service = staticmethod(services.facility_create)
    update_service = staticmethod(services.facility_update)
    update_instance_name = "facility"
    lookup_value_regex = ID

    def get_serializer_class(self):
        return FacilityUpdateSerializer if self.action == "partial_update" else FacilitySerializer


class BookingSerializer(ExactObjectInput, InputModelSerializer):
    """A KPU office's request to use a facility from ``starts_at`` until ``ends_at``
    (half-open; ISO 8601, WITA unless the offset says otherwise) for ``purpose``. The
    owner approves or rejects it (the step endpoints); two approved bookings of one
    facility never overlap. ``requester`` defaults to the caller's own office; the
    secretariat may name a KPU office in its scope."""

    facility = ScopedPrimaryKeyRelatedField(queryset=Facility.objects.all(), scope=policy.scope_facilities,
                                            error_messages={"does_not_exist": _("Unknown facility.")})
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    owner = serializers.CharField(source="facility.owner.code", read_only=True)
    requester = _agency_field(AgencyKind.KPU, required=False)
    status = BookingStatusField(choices=BookingStatus.choices, read_only=True)
    participants = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = FacilityBooking
        fields = ["id", "facility", "facility_name", "owner", "requester", "starts_at", "ends_at", "purpose",
                  "participants", "status", "requested_by", "decided_by", "decided_at", "decision_note", "clause",
                  "created_at", "updated_at"]
        read_only_fields = ["decided_at", "decision_note", "clause", "created_at", "updated_at"]


class ApproveSerializer(ExactObjectInput, InputSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RejectSerializer(ExactObjectInput, InputSerializer):
    reason = serializers.CharField(max_length=500)


class CancelSerializer(ExactObjectInput, InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   help_text="Required when the owner cancels an approved booking.")


class FacilityBookingViewSet(ScopedViewSet):
    """The bookings the caller may see, soonest first: of the caller's own office or
    facilities, and of the facilities standing in the caller's region. Requested by KPU
    offices and the secretariat; decided by the owner's police officers and the
    secretariat in scope."""

    queryset = (FacilityBooking.objects
                .select_related("facility__owner", "requester", "requested_by", "decided_by")
                .order_by("starts_at", "id"))
    scope = staticmethod(policy.scope_bookings)
    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    create_service = staticmethod(services.booking_request)
    lookup_value_regex = ID

    def _step(self, serializer_class, service):
        form = serializer_class(data=self.request.data)
        form.is_valid(raise_exception=True)
        booking = service(actor=self.request.user, booking=self.target_ref(), **form.validated_data)
        return Response(BookingSerializer(self.reread(booking), context=self.get_serializer_context()).data)

    @extend_schema(request=ApproveSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=ApproveSerializer, filter_backends=[])
    def approve(self, request, pk=None):
        """Approve a request (the owner's officers or the secretariat); 409 with code
        ``booking_overlap`` when an approved booking of the facility overlaps it."""
        return self._step(ApproveSerializer, services.booking_approve)

    @extend_schema(request=RejectSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=RejectSerializer, filter_backends=[])
    def reject(self, request, pk=None):
        """Reject a request, with a reason."""
        return self._step(RejectSerializer, services.booking_reject)

    @extend_schema(request=CancelSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"], serializer_class=CancelSerializer, filter_backends=[])
    def cancel(self, request, pk=None):
        """Cancel a booking: the requesting office (requested or approved), or the owner
        once approved (with a reason)."""
        return self._step(CancelSerializer, services.booking_cancel)


def register(router) -> None:
    """Register this subject's viewsets on the coordination router."""
    router.register("facilities", FacilityViewSet, basename="facility")
    router.register("facility-bookings", FacilityBookingViewSet, basename="facility-booking")
