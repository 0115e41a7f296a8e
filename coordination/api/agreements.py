"""Agreements and their clauses, with clause health and evidence."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from coordination import policies, selectors, services
from coordination.choices import AgreementStatus
from coordination.filters import AgreementFilter, ClauseFilter
from coordination.models import Agreement, Clause, ClauseEvidence, ElectionStage, Region
from coordination.views.files import stored_file_url
from kpu_polda.base.serializers import (
    InputModelSerializer,
    InputSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet, ScopedViewSet

# --- serializers ----------------------------------------------------------------------


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()
    changes_on = serializers.DateField(allow_null=True)
    since = serializers.DateField(allow_null=True, help_text="For a breach: the day it began.")


class ClauseSerializer(serializers.ModelSerializer):
    responsible = serializers.SlugRelatedField(slug_field="code", read_only=True)
    health = serializers.SerializerMethodField()
    evidence_count = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = ["id", "agreement", "number", "title", "text", "category", "responsible", "expectation_kind",
                  "evidence_kind", "expectation_value", "expectation_count", "is_illustrative", "health",
                  "evidence_count"]

    @extend_schema(responses=HealthSerializer)
    def get_health(self, clause) -> dict:
        return HealthSerializer(self.context["rows"][clause.pk].health).data

    def get_evidence_count(self, clause) -> int:
        return self.context["rows"][clause.pk].evidence_count


class SignatorySerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    institution = serializers.CharField()
    role = serializers.CharField()


class AgreementSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    parties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    document = serializers.SerializerMethodField(
        help_text="Where the scanned agreement (PDF) is downloaded, with the same login; null when none is stored.")

    class Meta:
        model = Agreement
        fields = ["id", "code", "title", "kpu_number", "police_number", "region", "parties", "signed_on",
                  "signed_place", "term_start", "term_end", "parent", "status", "document", "source",
                  "signatories"]


    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document(self, agreement) -> str | None:
        if not agreement.document:
            return None
        url = stored_file_url(agreement)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AgreementDetailSerializer(AgreementSerializer):
    health_summary = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "health_summary"]

    def get_health_summary(self, agreement) -> dict[str, int]:
        return dict(selectors.health_summary(self.context["rows"]))


class EvidenceSerializer(InputModelSerializer):
    region = ScopedSlugRelatedField(slug_field="code", queryset=Region.objects.all(), scope=policies.scope_regions)
    stage = ScopedPrimaryKeyRelatedField(queryset=ElectionStage.objects.select_related("election"), required=False,
                                         allow_null=True, scope=policies.scope_elections)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ClauseEvidence
        fields = ["id", "kind", "occurred_on", "description", "region", "stage", "requested_at", "fulfilled_at",
                  "recorded_by"]
        extra_kwargs = {"kind": {"required": False}}


# --- views ----------------------------------------------------------------------------
# Services raise Django's ValidationError for bad input; the API's exception handler turns
# it into a 400 with field errors, so views call services without catching.


class AgreementTransitionSerializer(InputSerializer):
    to_status = serializers.ChoiceField(choices=AgreementStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    changed_by = serializers.CharField(source="changed_by.username")
    changed_at = serializers.DateTimeField()


class AgreementViewSet(ScopedViewSet):
    """Agreements binding the caller's region, with the health of their clauses. The
    secretariat of the agreement's region moves its status (draft, active, expired,
    terminated) through the transition endpoint; every move is in its status trail."""

    queryset = Agreement.objects.select_related("region").prefetch_related("parties", "signatories").order_by("id")
    scope = staticmethod(policies.scope_agreements)
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    @extend_schema(request=AgreementTransitionSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"], serializer_class=AgreementTransitionSerializer)
    def transition(self, request, pk=None):
        """Move the agreement to another status (409 for a move the workflow does not
        allow; terminating needs a reason)."""
        form = AgreementTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        agreement = services.agreement_transition(actor=request.user, agreement=self.target_ref(),
                                                  **form.validated_data)
        return Response(AgreementSerializer(self.reread(agreement)).data)

    @extend_schema(responses=StatusChangeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="status-changes", serializer_class=StatusChangeSerializer,
            filter_backends=[])
    def status_changes(self, request, pk=None):
        """The agreement's status trail, newest first."""
        page = self.paginate_queryset(selectors.status_trail(self.get_target()))
        return self.get_paginated_response(StatusChangeSerializer(page, many=True).data)

    @extend_schema(responses=AgreementDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        agreement = self.get_object()
        rows = selectors.agreement_clause_rows(agreement)
        return Response(AgreementDetailSerializer(agreement, context={"rows": rows, "request": request}).data)


class ClauseViewSet(ScopedReadOnlyViewSet):
    """Clauses with their health: met, at risk, breached or not monitored, why, and the
    date that verdict next changes."""

    queryset = Clause.objects.select_related("agreement", "responsible").order_by("agreement_id", "number")
    scope = staticmethod(policies.scope_clauses)
    serializer_class = ClauseSerializer
    filterset_class = ClauseFilter

    def _context(self, clauses):
        return {**self.get_serializer_context(), "rows": {row.clause.pk: row for row in selectors.clause_rows(clauses)}}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ClauseSerializer(page, many=True, context=self._context(page)).data)

    def retrieve(self, request, *args, **kwargs):
        clause = self.get_object()
        return Response(ClauseSerializer(clause, context=self._context([clause])).data)

    @extend_schema(methods=["GET"], responses=EvidenceSerializer(many=True))
    @extend_schema(methods=["POST"], request=EvidenceSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=EvidenceSerializer, filter_backends=[])
    def evidence(self, request, pk=None):
        """The clause's evidence you may see (GET), or a record of something done (POST)."""
        clause = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.evidence_for(request.user, clause))
            return self.get_paginated_response(EvidenceSerializer(page, many=True).data)
        form = EvidenceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        evidence = services.clause_evidence_record(actor=request.user, clause=clause, **form.validated_data)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
