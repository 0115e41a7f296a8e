"""The personnel plan: police and linmas needed per kecamatan, kab/kota and in total."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from coordination import policies, selectors
from kpu_polda.base.csvio import csv_response
from kpu_polda.base.exceptions import OutOfScope

# --- serializers ----------------------------------------------------------------------


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


# --- views ----------------------------------------------------------------------------


def _plan(request):
    election = selectors.election_for(request.user, request.query_params.get("election"))
    if election is None:
        raise OutOfScope(_("No election has been recorded yet."))
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
