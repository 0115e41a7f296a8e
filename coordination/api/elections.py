"""Elections and their stages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coordination import policies, selectors
from coordination.filters import ElectionFilter, StageFilter
from coordination.models import Election, ElectionStage
from kpu_polda.base import clock
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet

# --- serializers ----------------------------------------------------------------------


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


class CurrentStagesSerializer(serializers.Serializer):
    current = StageSerializer(many=True)
    next = StageSerializer(allow_null=True)


# --- views ----------------------------------------------------------------------------


class ElectionViewSet(ScopedReadOnlyViewSet):
    queryset = Election.objects.order_by("-voting_day")
    scope = staticmethod(policies.scope_elections)
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
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
