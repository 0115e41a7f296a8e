"""API for the agreement and clause health, elections and stages, risks, the two
vulnerability vocabularies, security patterns and the personnel plan."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from coordination import policies, selectors, services
from coordination.choices import RiskStatus
from coordination.filters import (
    ClauseFilter,
    IkpScoreFilter,
    RiskFilter,
    SecurityPatternFilter,
    StageFilter,
    TpsVulnerabilityFilter,
)
from coordination.models import (
    Agency,
    Agreement,
    Clause,
    ClauseEvidence,
    Election,
    ElectionStage,
    IkpScore,
    Region,
    RiskAssessment,
    RiskReview,
    SecurityPattern,
    TpsVulnerability,
)
from kpu_polda.base import clock
from kpu_polda.base.csvio import csv_response
from kpu_polda.base.exceptions import OutOfScope
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet

from .serializers import ImportResultSerializer

# --- serializers ----------------------------------------------------------------------


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    reason = serializers.CharField()
    changes_on = serializers.DateField(allow_null=True)


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

    class Meta:
        model = Agreement
        fields = ["id", "code", "title", "kpu_number", "police_number", "region", "parties", "signed_on",
                  "signed_place", "term_start", "term_end", "parent", "status", "document", "source",
                  "signatories"]


class AgreementDetailSerializer(AgreementSerializer):
    health_summary = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "health_summary"]

    def get_health_summary(self, agreement) -> dict[str, int]:
        return dict(selectors.health_summary(self.context["rows"]))


class EvidenceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    stage = serializers.PrimaryKeyRelatedField(queryset=ElectionStage.objects.all(), required=False, allow_null=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ClauseEvidence
        fields = ["id", "kind", "occurred_on", "description", "region", "stage", "requested_at", "fulfilled_at",
                  "recorded_by"]
        extra_kwargs = {"kind": {"required": False}}


class ElectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Election
        fields = ["code", "name", "kind", "voting_day", "max_voters_per_tps", "source"]


class StageSerializer(serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ElectionStage
        fields = ["id", "election", "code", "parent", "order", "name", "name_en", "starts_on", "ends_on", "end_rule",
                  "regulation", "source", "is_uncertain"]


class RiskSerializer(serializers.ModelSerializer):
    stage = serializers.PrimaryKeyRelatedField(queryset=ElectionStage.objects.all())
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    owner = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all(), required=False,
                                         allow_null=True)
    election = serializers.CharField(source="stage.election.code", read_only=True)
    level = serializers.CharField(read_only=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = RiskAssessment
        fields = ["id", "election", "stage", "region", "category", "title", "description", "likelihood", "impact",
                  "score", "level", "mitigation", "owner", "due_on", "status", "created_at", "updated_at"]
        read_only_fields = ["score", "status", "created_at", "updated_at"]


class RiskReviewSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = RiskReview
        fields = ["id", "reviewed_by", "reviewed_at", "likelihood", "impact", "note"]
        read_only_fields = ["reviewed_at"]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=RiskStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IkpScoreSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    election = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dimensions = serializers.SerializerMethodField()

    class Meta:
        model = IkpScore
        fields = ["id", "region", "election", "score", "category", "published_on", "method_version", "source",
                  "dimensions"]

    def get_dimensions(self, ikp) -> dict[str, str | None]:
        return {d.dimension: (str(d.score) if d.score is not None else None) for d in ikp.dimensions.all()}


class TpsClassSerializer(serializers.ModelSerializer):
    polling_station = serializers.PrimaryKeyRelatedField(read_only=True)
    village_code = serializers.CharField(source="polling_station.village.code", read_only=True)
    number = serializers.IntegerField(source="polling_station.number", read_only=True)
    election = serializers.CharField(source="polling_station.election.code", read_only=True)

    class Meta:
        model = TpsVulnerability
        fields = ["id", "polling_station", "election", "village_code", "number", "polri_class", "voter_rights",
                  "security", "campaign", "neutrality", "logistics", "location", "power_internet", "evidence",
                  "assessed_on"]


class SecurityPatternSerializer(serializers.ModelSerializer):
    police_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SecurityPattern
        fields = ["id", "polri_class", "police", "tps", "linmas", "police_unit", "valid_from", "valid_to", "source"]


class ImportSerializer(serializers.Serializer):
    election = serializers.SlugRelatedField(slug_field="code", queryset=Election.objects.all())
    file = serializers.FileField()


# --- views ----------------------------------------------------------------------------
# Services raise Django's ValidationError for bad input; the API's exception handler turns
# it into a 400 with field errors, so views call services without catching.


class AgreementViewSet(ScopedReadOnlyViewSet):
    """Agreements binding the caller's region, with the health of their clauses."""

    queryset = Agreement.objects.select_related("region").prefetch_related("parties", "signatories").order_by("id")
    scope = staticmethod(policies.scope_agreements)
    serializer_class = AgreementSerializer

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
    @action(detail=True, methods=["get", "post"])
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


class CurrentStagesSerializer(serializers.Serializer):
    current = StageSerializer(many=True)
    next = StageSerializer(allow_null=True)


class ElectionViewSet(ScopedReadOnlyViewSet):
    queryset = Election.objects.order_by("-voting_day")
    scope = staticmethod(policies.scope_elections)
    serializer_class = ElectionSerializer
    lookup_field = "code"

    @extend_schema(responses=CurrentStagesSerializer)
    @action(detail=True, methods=["get"])
    def current(self, request, code=None):
        """The stages under way today (WITA, on the app's clock) and the next to start."""
        election = self.get_object()
        current, upcoming = selectors.current_and_next(list(election.stages.all()), clock.today())
        return Response(CurrentStagesSerializer({"current": current, "next": upcoming}).data)


class StageViewSet(ScopedReadOnlyViewSet):
    queryset = ElectionStage.objects.select_related("election").order_by("election_id", "starts_on", "order")
    scope = staticmethod(policies.scope_elections)
    serializer_class = StageSerializer
    filterset_class = StageFilter


class RiskViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Risk assessments in the caller's region. Likelihood and impact change through
    reviews; status through the transition endpoint."""

    queryset = RiskAssessment.objects.select_related("stage__election", "region", "owner").order_by("-score", "id")
    scope = staticmethod(policies.scope_risks)
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.risk_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.risk_update(actor=self.request.user, risk=serializer.instance,
                                                   **serializer.validated_data)

    @extend_schema(request=TransitionSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the risk to open, mitigating or closed; reopening needs a reason (409 for
        a move the workflow does not allow)."""
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        risk = services.risk_transition(actor=request.user, risk=self.get_object(), **form.validated_data)
        return Response(RiskSerializer(risk).data)

    @extend_schema(methods=["GET"], responses=RiskReviewSerializer(many=True))
    @extend_schema(methods=["POST"], request=RiskReviewSerializer, responses={201: RiskReviewSerializer})
    @action(detail=True, methods=["get", "post"])
    def reviews(self, request, pk=None):
        """The review trail (GET) or a new review setting likelihood and impact (POST)."""
        risk = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(risk.reviews.select_related("reviewed_by"))
            return self.get_paginated_response(RiskReviewSerializer(page, many=True).data)
        form = RiskReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = services.risk_review(actor=request.user, risk=risk, **form.validated_data)
        return Response(RiskReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """All risks matching the filters, as CSV."""
        risks = self.filter_queryset(self.get_queryset())
        return csv_response("risks.csv", selectors.RISK_EXPORT_HEADER, selectors.risk_export_rows(risks))


class IkpScoreViewSet(ScopedReadOnlyViewSet):
    """Bawaslu's IKP scores (0-100, tinggi/sedang/rendah) for the caller's region and
    above it. Never converted into Polri's classes."""

    queryset = IkpScore.objects.select_related("region", "election").prefetch_related("dimensions").order_by("id")
    scope = staticmethod(policies.scope_ikp_scores)
    serializer_class = IkpScoreSerializer
    filterset_class = IkpScoreFilter


class TpsClassViewSet(ScopedReadOnlyViewSet):
    """Polri's class of each TPS with the Bawaslu indicator flags behind it."""

    queryset = TpsVulnerability.objects.select_related("polling_station__village", "polling_station__election") \
        .order_by("polling_station__village__code", "polling_station__number")
    scope = staticmethod(policies.scope_tps_vulnerabilities)
    serializer_class = TpsClassSerializer
    filterset_class = TpsVulnerabilityFilter

    @extend_schema(request={"multipart/form-data": ImportSerializer}, responses={200: ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request):
        """Set classes from a CSV (village_code, number, polri_class, flags); all-or-nothing."""
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.tps_vulnerability_import_csv(actor=request.user, election=form.validated_data["election"],
                                                      stream=form.validated_data["file"])
        return Response(ImportResultSerializer(result).data)


class SecurityPatternViewSet(ScopedReadOnlyViewSet):
    """Pola pengamanan TPS in force and past, general and per Polres."""

    queryset = SecurityPattern.objects.select_related("police_unit").order_by("polri_class", "-valid_from", "id")
    scope = staticmethod(policies.scope_security_patterns)
    serializer_class = SecurityPatternSerializer
    filterset_class = SecurityPatternFilter


class PlanRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    tps = serializers.DictField(child=serializers.IntegerField())
    total_tps = serializers.IntegerField()
    police = serializers.IntegerField()
    linmas = serializers.IntegerField()


class PlanSerializer(serializers.Serializer):
    election = serializers.CharField(source="election.code")
    districts = PlanRowSerializer(many=True)
    regencies = PlanRowSerializer(many=True)
    total = PlanRowSerializer()


PLAN_PARAMETERS = [
    OpenApiParameter("election", str, description="election code (default: the next or latest election)"),
    OpenApiParameter("region", str, description="only under this region code"),
]


def _plan(request):
    code = request.query_params.get("election")
    election = selectors.election_get(request.user, code) if code else selectors.default_election()
    if election is None:
        raise OutOfScope("No election has been recorded yet.")
    region = request.query_params.get("region") or None
    if region:
        policies.ensure_region_in_scope(request.user, region)
    return selectors.personnel_plan(request.user, election, under=region)


class PersonnelPlanView(APIView):
    """Police and linmas needed per kecamatan, kab/kota and in total, from the TPS
    classes and the security patterns in force on voting day."""

    @extend_schema(parameters=PLAN_PARAMETERS, responses=PlanSerializer)
    def get(self, request):
        return Response(PlanSerializer(_plan(request)).data)


class PersonnelPlanExportView(APIView):
    """The personnel plan as CSV: every kecamatan, kab/kota and the total."""

    @extend_schema(parameters=PLAN_PARAMETERS, responses={(200, "text/csv"): str})
    def get(self, request):
        plan = _plan(request)
        header, rows = selectors.plan_export(plan)
        return csv_response(f"personnel-plan-{plan.election.code}.csv", header, rows)
