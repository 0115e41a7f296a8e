"""API of the information exchange register (/api/v1/exchanges/).

Serializers check the input's shape and refuse fields they do not take; the services
decide, raising ValidationError (400 with field errors), Conflict and TransitionNotAllowed
(409), PermissionDenied (403) and OutOfScope (404), which the API's exception handler
answers. Reading one confidential entry is recorded (the retrieve, and every action
answering with the entry), and so is a refused attempt on a restricted entry; the list
is not."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from coordination import policies
from coordination.choices import Classification, ExchangeKind, ExchangeStatus
from coordination.filters.exchange import ExchangeFilter
from coordination.models import Agency, ExchangeAccess, ExchangeAttachment, InformationExchange
from coordination.policies import exchange as policy
from coordination.selectors import exchange as selectors
from coordination.services import exchange as services
from kpu_polda.base.serializers import (
    ExactObjectInput,
    FieldsBuiltOnceMixin,
    InputModelSerializer,
    InputSerializer,
    ScopedSlugRelatedField,
)
from kpu_polda.base.viewsets import ScopedViewSet

urlpatterns: list = []
ID = "[0-9]{1,18}"  # an id the database can hold: anything else is no route (404)


def _agency_field(**kwargs):
    unknown = _("Unknown agency.")
    return ScopedSlugRelatedField(slug_field="code", queryset=Agency.objects.select_related("jurisdiction")
                                  .defer("jurisdiction__boundary"), scope=policies.scope_agencies,
                                  error_messages={"does_not_exist": unknown, "invalid": unknown}, **kwargs)


def _pattern(choices) -> dict:
    return {"type": "string", "pattern": f"^({'|'.join(choices.values)})$"}


# Documented by a pattern: "kind", "status" and "classification" name other choice sets
# elsewhere in the API.
@extend_schema_field(_pattern(ExchangeKind))
class ExchangeKindField(serializers.ChoiceField):
    pass


@extend_schema_field(_pattern(Classification))
class ClassificationField(serializers.ChoiceField):
    pass


@extend_schema_field(_pattern(ExchangeStatus))
class ExchangeStatusField(serializers.ChoiceField):
    pass


class ExchangeAttachmentSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Where the file is downloaded, with the same login.")
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ExchangeAttachment
        fields = ["id", "title", "file", "uploaded_by", "uploaded_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_file(self, row) -> str:
        url = reverse("coordination:exchange-attachment", args=[row.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ExchangeSerializer(ExactObjectInput, InputModelSerializer):
    """An entry of the information exchange register: a request for information (kind
    ``request``, answered by ``response_due_on``) or information shared (kind ``sharing``,
    its ``content``), from one agency to another, with its purpose and legal basis.
    Limited and confidential entries are seen by the two agencies and the secretariat
    only. The receiver acknowledges and answers, the sender may withdraw, through the
    step endpoints. On create, ``attachment`` (multipart) adds a first file."""

    kind = ExchangeKindField(choices=ExchangeKind.choices)
    from_agency = _agency_field()
    to_agency = _agency_field()
    classification = ClassificationField(choices=Classification.choices, required=False,
                                         default=Classification.PUBLIC)
    status = ExchangeStatusField(choices=ExchangeStatus.choices, read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text="The sender's region: where the entry counts as evidence.")
    overdue = serializers.SerializerMethodField(help_text="A request still open after its answer date (WITA).")
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    attachments = ExchangeAttachmentSerializer(many=True, read_only=True)
    attachment = serializers.FileField(write_only=True, required=False, allow_null=True, default=None,
                                       help_text="A first file (multipart): PDF, office document or image.")
    attachment_title = serializers.CharField(write_only=True, required=False, allow_blank=True, default="",
                                             max_length=200)

    class Meta:
        model = InformationExchange
        fields = ["id", "kind", "from_agency", "to_agency", "area", "subject", "purpose", "legal_basis",
                  "classification", "content", "response_due_on", "status", "overdue", "sent_by", "acknowledged_at",
                  "acknowledged_by", "answer", "answered_at", "answered_by", "clause", "attachments", "attachment",
                  "attachment_title", "created_at", "updated_at"]
        read_only_fields = ["acknowledged_at", "answer", "answered_at", "clause", "created_at", "updated_at"]

    def get_overdue(self, entry) -> bool:
        return selectors.is_overdue(entry)


class ExchangeAcknowledgeSerializer(ExactObjectInput, InputSerializer):
    """Nothing to send: the receipt is confirmed by the caller, now."""


class ExchangeAnswerSerializer(ExactObjectInput, InputSerializer):
    answer = serializers.CharField(style={"base_template": "textarea.html"}, max_length=20000)


class ExchangeWithdrawSerializer(ExactObjectInput, InputSerializer):
    reason = serializers.CharField(max_length=500)


class ExchangeFileSerializer(ExactObjectInput, InputSerializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ExchangeAccessSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    viewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    outcome = serializers.CharField(read_only=True, help_text="shown, or refused (outside the two agencies).")
    channel = serializers.CharField(read_only=True, help_text="page, api, admin or file.")

    class Meta:
        model = ExchangeAccess
        fields = ["id", "viewer", "agency", "channel", "outcome", "at"]
        read_only_fields = fields


class ExchangeViewSet(ScopedViewSet):
    """The register entries the caller may see, newest first: public ones of the
    caller's region, above it and below it; limited and confidential ones only when the
    caller's agency is a party, or for the secretariat in scope."""

    queryset = (InformationExchange.objects
                .select_related("from_agency", "to_agency", "area", "sent_by", "acknowledged_by", "answered_by")
                .defer("area__boundary")
                .prefetch_related(Prefetch("attachments", queryset=ExchangeAttachment.objects
                                           .select_related("uploaded_by").order_by("id")))
                .order_by("-created_at", "-id"))
    scope = staticmethod(policy.scope_exchanges)
    serializer_class = ExchangeSerializer
    filterset_class = ExchangeFilter
    create_service = staticmethod(services.exchange_create)
    lookup_value_regex = ID

    def _entry(self, *, shown: bool, rows=None):
        """The entry of the URL, read through the scope; a refused attempt on a restricted
        entry is recorded (selectors.exchange_get)."""
        return selectors.exchange_get(self.request.user, int(self.kwargs["pk"]), channel=services.CHANNEL_API,
                                      shown=shown, rows=rows)

    def _answer(self, entry, code=status.HTTP_200_OK):
        entry = self.reread(entry)
        services.exchange_access_record(viewer=self.request.user, exchange=entry, channel=services.CHANNEL_API)
        return Response(ExchangeSerializer(entry, context=self.get_serializer_context()).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._entry(shown=True, rows=self.get_queryset())).data)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        services.exchange_access_record(viewer=self.request.user, exchange=serializer.instance,
                                        channel=services.CHANNEL_API)

    @extend_schema(request=ExchangeAcknowledgeSerializer, responses=ExchangeSerializer)
    @action(detail=True, methods=["post"], serializer_class=ExchangeAcknowledgeSerializer, filter_backends=[])
    def acknowledge(self, request, pk=None):
        """Confirm receipt (the receiving agency or the secretariat); acknowledging again
        is a 409 with code ``already_acknowledged``."""
        ExchangeAcknowledgeSerializer(data=request.data).is_valid(raise_exception=True)
        entry = services.exchange_acknowledge(actor=request.user, exchange=self._entry(shown=False))
        return self._answer(entry)

    @extend_schema(request=ExchangeAnswerSerializer, responses=ExchangeSerializer)
    @action(detail=True, methods=["post"], serializer_class=ExchangeAnswerSerializer, filter_backends=[])
    def answer(self, request, pk=None):
        """Answer a request (acknowledging it too when it was not yet); 409 once answered
        or withdrawn, 400 for information shared."""
        form = ExchangeAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = services.exchange_answer(actor=request.user, exchange=self._entry(shown=False),
                                         **form.validated_data)
        return self._answer(entry)

    @extend_schema(request=ExchangeWithdrawSerializer, responses=ExchangeSerializer)
    @action(detail=True, methods=["post"], serializer_class=ExchangeWithdrawSerializer, filter_backends=[])
    def withdraw(self, request, pk=None):
        """Withdraw an open entry (the sending agency or the secretariat), with a reason."""
        form = ExchangeWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = services.exchange_withdraw(actor=request.user, exchange=self._entry(shown=False),
                                           **form.validated_data)
        return self._answer(entry)

    @extend_schema(request={"multipart/form-data": ExchangeFileSerializer},
                   responses={201: ExchangeAttachmentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ExchangeFileSerializer, filter_backends=[],
            parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Add a file (multipart: ``file``, optional ``title``), by either agency or the
        secretariat: PDF, office document or image."""
        form = ExchangeFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = services.exchange_attach(actor=request.user, exchange=self._entry(shown=False), **form.validated_data)
        return Response(ExchangeAttachmentSerializer(row, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=ExchangeAccessSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=ExchangeAccessSerializer, filter_backends=[])
    def accesses(self, request, pk=None):
        """Who looked at a restricted entry, and who was refused, newest first: for the
        sending agency and the secretariat (403 for the receiving agency)."""
        entry = self._entry(shown=False)
        policy.ensure_can_see_accesses(request.user, entry)
        page = self.paginate_queryset(selectors.exchange_accesses(entry))
        return self.get_paginated_response(ExchangeAccessSerializer(page, many=True).data)


def register(router) -> None:
    """Register this subject's viewsets on the coordination router."""
    router.register("exchanges", ExchangeViewSet, basename="exchange")
