"""API of joint trainings, stakeholder facilitation and peace declarations.

Serializers check the input's shape and refuse fields they do not take; the services
decide, raising ValidationError (400 with field errors), Conflict and TransitionNotAllowed
(409), PermissionDenied (403) and OutOfScope (404), which the API's exception handler
answers, so views do not catch."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from coordination import policies
from coordination.choices import TrainingKind, TrainingStatus
from coordination.filters.activities import DeclarationFilter, FacilitationFilter, TrainingFilter
from coordination.models import (
    Agency,
    DeclarationSignatory,
    PeaceDeclaration,
    Region,
    StakeholderFacilitation,
    Training,
    TrainingMaterial,
    TrainingParticipant,
    User,
)
from coordination.policies import activities as policy
from coordination.selectors import activities as selectors
from coordination.services import activities as services
from kpu_polda.base.serializers import (
    NOT_A_LIST,
    ExactObjectInput,
    FieldsBuiltOnceMixin,
    InputModelSerializer,
    InputSerializer,
    ScopedSlugRelatedField,
)
from kpu_polda.base.viewsets import ScopedViewSet

TEXTAREA = {"base_template": "textarea.html"}
urlpatterns: list = []


def _by_code(queryset, scope, unknown, **kwargs):
    return ScopedSlugRelatedField(slug_field="code", queryset=queryset, scope=scope,
                                  error_messages={"does_not_exist": unknown, "invalid": unknown}, **kwargs)


def agency_field(**kwargs):
    return _by_code(Agency.objects.all(), policies.scope_agencies, _("Unknown agency."), **kwargs)


def region_field(**kwargs):
    return _by_code(Region.objects.defer("boundary"), policies.scope_regions, _("Unknown region."), **kwargs)


class VisibleUserField(ScopedSlugRelatedField):
    """A person by username, found only among the members of agencies the caller can see:
    anyone else reads as unknown, so no other region's accounts show."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return User.objects.none()
        return User.objects.filter(is_active=True, agency__in=policies.scope_agencies(Agency.objects.all(), user))


# Documented by a pattern: "kind" and "status" name other choice sets elsewhere in the API.
@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(TrainingKind.values)})$"})
class TrainingKindField(serializers.ChoiceField):
    pass


@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(TrainingStatus.values)})$"})
class TrainingStatusField(serializers.ChoiceField):
    pass


def _download(request, route: str, pk: int) -> str:
    url = reverse(route, args=[pk])
    return request.build_absolute_uri(url) if request else url


# --- trainings ------------------------------------------------------------------------------


class TrainingSerializer(ExactObjectInput, InputModelSerializer):
    """A joint training (bimtek, simulation, workshop) of a KPU office and a police unit:
    planned, then held (with an evaluation score 0-100) or cancelled through its step
    endpoints. It counts as evidence of the capacity-building clause once held."""

    kind = TrainingKindField(choices=TrainingKind.choices, required=False)
    status = TrainingStatusField(choices=TrainingStatus.choices, read_only=True)
    organiser = agency_field()
    co_organiser = agency_field(required=False, allow_null=True)
    area = region_field()

    class Meta:
        model = Training
        fields = ["id", "title", "kind", "organiser", "co_organiser", "area", "starts_at", "ends_at", "place",
                  "description", "status", "evaluation_score", "clause", "created_at", "updated_at"]
        read_only_fields = ["evaluation_score", "clause", "created_at", "updated_at"]


class TrainingHoldSerializer(ExactObjectInput, InputSerializer):
    evaluation_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                                required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TrainingCancelSerializer(ExactObjectInput, InputSerializer):
    reason = serializers.CharField(max_length=500)


class TrainingScoreSerializer(ExactObjectInput, InputSerializer):
    evaluation_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                                allow_null=True)


class ParticipantSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TrainingParticipant
        fields = ["id", "user", "name", "agency", "position", "attended"]
        read_only_fields = fields


class ParticipantInputSerializer(ExactObjectInput, InputSerializer):
    """A user of the app (their name and agency are read from the account) or a named
    outsider of an agency."""

    user = VisibleUserField(slug_field="username", queryset=User.objects.all(), scope=policies.scope_users,
                            required=False, allow_null=True, default=None,
                            error_messages={"does_not_exist": _("Unknown person."), "invalid": _("Unknown person.")})
    name = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    agency = agency_field(required=False, allow_null=True, default=None)
    position = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class AttendanceInputSerializer(ExactObjectInput, InputSerializer):
    """The daftar hadir: the ids of the participants who attended; every other
    participant is recorded absent."""

    attended = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=2000,
                                     error_messages={"not_a_list": NOT_A_LIST})


class AttendanceResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    participants = ParticipantSerializer(many=True)


class MaterialSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Where the file is downloaded (same login); null for a link.")

    class Meta:
        model = TrainingMaterial
        fields = ["id", "title", "link", "file"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, material) -> str | None:
        if not material.file:
            return None
        return _download(self.context.get("request"), "coordination:training-material-download", material.pk)


class MaterialInputSerializer(ExactObjectInput, InputSerializer):
    """A file (PDF, office document, JPG or PNG) or a link, not both."""

    title = serializers.CharField(max_length=200)
    file = serializers.FileField(required=False, allow_null=True, default=None)
    link = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class TrainingViewSet(ScopedViewSet):
    """Joint trainings in or above the caller's region, soonest last. Arranged by the
    writers of the organising agencies and the secretariat."""

    queryset = Training.objects.select_related("organiser", "co_organiser", "area").defer("area__boundary") \
        .order_by("-starts_at", "-id")
    scope = staticmethod(policy.scope_trainings)
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    create_service = staticmethod(services.training_create)
    update_service = staticmethod(services.training_update)
    update_instance_name = "training"

    def _answer(self, training, code=status.HTTP_200_OK):
        return Response(TrainingSerializer(self.reread(training), context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(request=TrainingHoldSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"], serializer_class=TrainingHoldSerializer, filter_backends=[])
    def hold(self, request, pk=None):
        """Mark the training held (once it has started), optionally with its evaluation
        score 0-100 (409 for a cancelled or held training, or one still to come)."""
        form = TrainingHoldSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.training_hold(actor=request.user, training=self.target_ref(),
                                                   **form.validated_data))

    @extend_schema(request=TrainingCancelSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"], serializer_class=TrainingCancelSerializer, filter_backends=[])
    def cancel(self, request, pk=None):
        """Cancel a planned training, with a reason (409 once held or cancelled)."""
        form = TrainingCancelSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.training_cancel(actor=request.user, training=self.target_ref(),
                                                     **form.validated_data))

    @extend_schema(request=TrainingScoreSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"], serializer_class=TrainingScoreSerializer, filter_backends=[])
    def score(self, request, pk=None):
        """Set (or clear with null) the evaluation score of a held training (409 before)."""
        form = TrainingScoreSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._answer(services.training_score_update(actor=request.user, training=self.target_ref(),
                                                           **form.validated_data))

    @extend_schema(methods=["GET"], responses=ParticipantSerializer(many=True))
    @extend_schema(methods=["POST"], request=ParticipantInputSerializer, responses={201: ParticipantSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=ParticipantInputSerializer, filter_backends=[])
    def participants(self, request, pk=None):
        """The participants by agency (GET), or one more (POST; a user takes part once: 409)."""
        training = self.get_target()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.training_participants(training))
            return self.get_paginated_response(ParticipantSerializer(page, many=True).data)
        form = ParticipantInputSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        row = services.training_participant_add(actor=request.user, training=training, **form.validated_data)
        return Response(ParticipantSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"participants/(?P<participant>[0-9]{1,18})",
            url_name="participant-remove", filter_backends=[])
    def participant_remove(self, request, pk=None, participant=None):
        """Take a participant off the list."""
        row = selectors.training_participant_get(request.user, self.get_target(), int(participant))
        services.training_participant_remove(actor=request.user, participant=row)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AttendanceInputSerializer, responses=AttendanceResultSerializer)
    @action(detail=True, methods=["post"], serializer_class=AttendanceInputSerializer, filter_backends=[])
    def attendance(self, request, pk=None):
        """Record who attended (on the training's day or once held: 409 before)."""
        form = AttendanceInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        training = self.target_ref()
        changed = services.training_attendance_record(actor=request.user, training=training,
                                                      attended=form.validated_data["attended"])
        rows = selectors.training_participants(training)
        return Response({"changed": changed, "participants": ParticipantSerializer(rows, many=True).data})

    @extend_schema(methods=["GET"], responses=MaterialSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": MaterialInputSerializer},
                   responses={201: MaterialSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=MaterialInputSerializer, filter_backends=[],
            parser_classes=[MultiPartParser])
    def materials(self, request, pk=None):
        """The training's materials (GET), or one more: a file or a link (POST, multipart)."""
        training = self.get_target()
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.training_materials(training))
            return self.get_paginated_response(MaterialSerializer(page, many=True, context=context).data)
        form = MaterialInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.training_material_add(actor=request.user, training=training, **form.validated_data)
        return Response(MaterialSerializer(row, context=context).data, status=status.HTTP_201_CREATED)


# --- stakeholder facilitation ---------------------------------------------------------------


class FacilitationSerializer(ExactObjectInput, InputModelSerializer):
    """A meeting a police unit arranged between a KPU office and others (tokoh agama,
    tokoh adat, parties, campaign teams): who came, when, where, what came of it.
    Counts as evidence of the stakeholder-facilitation clause."""

    facilitator = agency_field()
    kpu_office = agency_field()
    area = region_field()
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StakeholderFacilitation
        fields = ["id", "title", "facilitator", "kpu_office", "area", "held_at", "place", "stakeholders", "outcome",
                  "clause", "recorded_by", "created_at", "updated_at"]
        read_only_fields = ["clause", "created_at", "updated_at"]


class FacilitationViewSet(ScopedViewSet):
    """Stakeholder facilitation in or above the caller's region, latest first."""

    queryset = StakeholderFacilitation.objects.select_related("facilitator", "kpu_office", "area", "recorded_by") \
        .defer("area__boundary").order_by("-held_at", "-id")
    scope = staticmethod(policy.scope_facilitations)
    serializer_class = FacilitationSerializer
    filterset_class = FacilitationFilter
    create_service = staticmethod(services.facilitation_create)
    update_service = staticmethod(services.facilitation_update)
    update_instance_name = "facilitation"


# --- peace declarations ---------------------------------------------------------------------


class DeclarationSignatorySerializer(ExactObjectInput, InputModelSerializer):
    """A party that signed and who signed for it (a name, or the position where the
    source names none)."""

    agency = agency_field(required=False, allow_null=True, default=None)

    class Meta:
        model = DeclarationSignatory
        fields = ["party", "representative", "position", "agency"]


class DeclarationSerializer(ExactObjectInput, InputModelSerializer):
    """A peace declaration (deklarasi pemilu damai): the event, date and place, the
    parties that signed in order, and the signed document (a PDF, uploaded to
    /document/). ``signatories`` on a write replaces the list."""

    area = region_field()
    signatories = DeclarationSignatorySerializer(many=True, required=False, error_messages={"not_a_list": NOT_A_LIST})
    document = serializers.SerializerMethodField(
        help_text="Where the signed document (PDF) is downloaded, with the same login; null when none is stored.")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PeaceDeclaration
        fields = ["id", "title", "event", "signed_on", "place", "area", "summary", "source", "signatories",
                  "document", "clause", "recorded_by", "created_at", "updated_at"]
        read_only_fields = ["clause", "created_at", "updated_at"]

    def validate_signatories(self, value):
        return [dict(row) for row in value]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document(self, declaration) -> str | None:
        if not declaration.document:
            return None
        return _download(self.context.get("request"), "coordination:declaration-document", declaration.pk)


class DocumentInputSerializer(ExactObjectInput, InputSerializer):
    document = serializers.FileField()


class DeclarationViewSet(ScopedViewSet):
    """Peace declarations signed in or above the caller's region, latest first."""

    queryset = PeaceDeclaration.objects.select_related("area", "recorded_by").defer("area__boundary") \
        .prefetch_related("signatories__agency").order_by("-signed_on", "-id")
    scope = staticmethod(policy.scope_declarations)
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter
    create_service = staticmethod(services.declaration_create)
    update_service = staticmethod(services.declaration_update)
    update_instance_name = "declaration"

    @extend_schema(request={"multipart/form-data": DocumentInputSerializer}, responses=DeclarationSerializer)
    @action(detail=True, methods=["post"], serializer_class=DocumentInputSerializer, filter_backends=[],
            parser_classes=[MultiPartParser])
    def document(self, request, pk=None):
        """Store (or replace) the signed declaration: a PDF only, judged by its content."""
        form = DocumentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        declaration = services.declaration_attach_document(actor=request.user, declaration=self.get_target(),
                                                           upload=form.validated_data["document"])
        return Response(DeclarationSerializer(self.reread(declaration), context=self.get_serializer_context()).data)


def register(router) -> None:
    """Register this subject's viewsets on the coordination router."""
    router.register("trainings", TrainingViewSet, basename="training")
    router.register("stakeholder-facilitations", FacilitationViewSet, basename="stakeholder-facilitation")
    router.register("peace-declarations", DeclarationViewSet, basename="peace-declaration")
