"""Risks and their reviews, the two vulnerability vocabularies (Bawaslu's IKP,
Polri's TPS classes) and security patterns."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from coordination import policies, selectors, services
from coordination.choices import RiskStatus
from coordination.filters import IkpScoreFilter, RiskFilter, SecurityPatternFilter, TpsVulnerabilityFilter
from coordination.models import (
    Agency,
    Election,
    ElectionStage,
    IkpScore,
    Region,
    RiskAssessment,
    RiskReview,
    SecurityPattern,
    TpsVulnerability,
)
from kpu_polda.base.csvio import csv_response
from kpu_polda.base.serializers import (
    InputModelSerializer,
    InputSerializer,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet, ScopedViewSet

from .serializers import ImportResultSerializer

# --- serializers ----------------------------------------------------------------------


class RiskSerializer(InputModelSerializer):
    # The browsable API's form offers what the caller's scope holds (as RiskForm does).
    stage = ScopedPrimaryKeyRelatedField(queryset=ElectionStage.objects.select_related("election"),
                                         scope=policies.scope_elections)
    region = ScopedSlugRelatedField(slug_field="code", queryset=Region.objects.all(), scope=policies.scope_regions)
    owner = ScopedSlugRelatedField(slug_field="code", queryset=Agency.objects.all(), required=False,
                                   allow_null=True, scope=policies.scope_agencies)
    election = serializers.CharField(source="stage.election.code", read_only=True)
    level = serializers.CharField(read_only=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = RiskAssessment
        fields = ["id", "election", "stage", "region", "category", "title", "description", "likelihood", "impact",
                  "score", "level", "mitigation", "owner", "due_on", "status", "created_at", "updated_at"]
        read_only_fields = ["score", "status", "created_at", "updated_at"]


class RiskReviewSerializer(InputModelSerializer):
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    likelihood = serializers.IntegerField(min_value=1, max_value=5)
    impact = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = RiskReview
        fields = ["id", "reviewed_by", "reviewed_at", "likelihood", "impact", "note"]
        read_only_fields = ["reviewed_at"]


class TransitionSerializer(InputSerializer):
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


class RiskViewSet(ScopedViewSet):
    """Risk assessments in the caller's region. Likelihood and impact change through
    reviews; status through the transition endpoint."""

    queryset = (
        RiskAssessment.objects.select_related("stage__election", "region", "owner")
        .defer("region__boundary")
        .order_by("-score", "id")
    )
    scope = staticmethod(policies.scope_risks)
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    create_service = staticmethod(services.risk_create)
    update_service = staticmethod(services.risk_update)
    update_instance_name = "risk"

    @extend_schema(request=TransitionSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        """Move the risk to open, mitigating or closed; reopening needs a reason (409 for
        a move the workflow does not allow)."""
        form = TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        risk = services.risk_transition(actor=request.user, risk=self.target_ref(), **form.validated_data)
        return Response(RiskSerializer(self.reread(risk)).data)

    @extend_schema(methods=["GET"], responses=RiskReviewSerializer(many=True))
    @extend_schema(methods=["POST"], request=RiskReviewSerializer, responses={201: RiskReviewSerializer})
    # The trail takes no filter of the risk list (nor does the risk's lookup).
    @action(detail=True, methods=["get", "post"], serializer_class=RiskReviewSerializer, filter_backends=[])
    def reviews(self, request, pk=None):
        """The review trail (GET) or a new review setting likelihood and impact (POST)."""
        risk = self.get_object() if request.method == "GET" else self.target_ref()
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
