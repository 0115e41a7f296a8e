from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from coordination import policies, services
from coordination.filters import AgencyFilter, ApiTokenFilter, PollingStationFilter, RegionFilter
from coordination.models import Agency, ApiToken, PollingStation, Region
from kpu_polda.base.drf import KeysetPagination
from kpu_polda.base.throttling import CacheSafeScopedRateThrottle
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet, ScopedViewSet

from . import serializers as s


class RegionViewSet(ScopedReadOnlyViewSet):
    """Kemendagri regions in the caller's scope: province, kab/kota, kecamatan, desa."""

    queryset = Region.objects.select_related("parent").order_by("code")
    scope = staticmethod(policies.scope_regions)
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_serializer_class(self):
        return s.RegionDetailSerializer if self.action == "retrieve" else s.RegionSerializer


class PollingStationViewSet(ScopedReadOnlyViewSet):
    """Polling stations (TPS) in the caller's scope."""

    queryset = (
        PollingStation.objects.select_related("election", "village__parent__parent")
        .only(*s.PollingStationSerializer.COLUMNS)
        .order_by("village_code", "number", "election_id")  # index tps_by_village_code
    )
    scope = staticmethod(policies.scope_polling_stations)
    serializer_class = s.PollingStationSerializer
    filterset_class = PollingStationFilter
    # Up to 820,000 rows nationally: read by cursor (the id joins the order), so a deep
    # page costs what the first does and nothing is counted.
    pagination_class = KeysetPagination

    @extend_schema(request={"multipart/form-data": s.PollingStationImportSerializer},
                   responses={200: s.ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request):
        """Create or update TPS from a CSV file; all-or-nothing, errors by line number."""
        policies.ensure_can_manage_polling_stations(request.user)
        form = s.PollingStationImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.polling_station_import_csv(
            actor=request.user, election=form.validated_data["election"], stream=form.validated_data["file"],
        )
        return Response(s.ImportResultSerializer(result).data)


class AgencyViewSet(ScopedReadOnlyViewSet):
    """Agencies: those inside the caller's region and those above it."""

    queryset = Agency.objects.select_related("jurisdiction", "parent", "counterpart").order_by("code")
    scope = staticmethod(policies.scope_agencies)
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        """The caller: role, agency and the region code that scopes everything they see."""
        user = request.user
        data = {"username": user.username, "get_full_name": user.get_full_name(), "role": user.role,
                "agency": user.agency, "scope_code": policies.scope_code(user)}
        return Response(s.MeSerializer(data).data)


class AuthTokenView(APIView):
    """Exchange a username and password for a named API token (shown once)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [CacheSafeScopedRateThrottle]  # fails open when the cache is down: see there
    throttle_scope = "auth-token"

    @extend_schema(request=s.TokenRequestSerializer, responses={201: s.IssuedTokenSerializer}, auth=[])
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # The Django request, so django-axes counts failures here like on the login page.
        user = authenticate(request._request, username=form.validated_data["username"],
                            password=form.validated_data["password"])
        # A locked account also lands here (authenticate() returns None); django-axes'
        # middleware then replaces this answer with its 429 lockout response.
        if user is None:
            return Response({"code": "invalid_credentials", "detail": "Wrong username or password."},
                            status=status.HTTP_400_BAD_REQUEST)
        token, key = services.api_token_create(actor=user, name=form.validated_data["name"],
                                               expires_in_days=form.validated_data.get("expires_in_days"))
        token.key = key
        return Response(s.IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenViewSet(ScopedViewSet):
    """The caller's API tokens; DELETE revokes one (it stays listed as revoked)."""

    queryset = ApiToken.objects.order_by("-created_at", "-id")
    scope = staticmethod(policies.scope_own_api_tokens)
    serializer_class = s.ApiTokenSerializer
    filterset_class = ApiTokenFilter
    destroy_service = staticmethod(services.api_token_revoke)
    update_instance_name = "token"
