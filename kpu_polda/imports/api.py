"""The API of background imports: POST a file, get 202 and the job's URL; GET the job
until its status is no longer queued or running."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import SimpleRouter

from coordination.models import Election
from kpu_polda.base.viewsets import ScopedReadOnlyViewSet

from . import services
from .kinds import KINDS
from .models import ImportJob, ImportStatus
from .policies import scope_import_jobs


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="import-job-detail")
    election = serializers.SlugRelatedField(slug_field="code", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "url", "kind", "election", "file_name", "file_size", "created_by", "status", "phase",
                  "percent", "bytes_read", "rows_read", "created", "updated", "unchanged", "message", "errors",
                  "error_count", "warnings", "created_at", "started_at", "finished_at"]
        read_only_fields = fields


class ImportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    election = serializers.SlugRelatedField(slug_field="code", queryset=Election.objects.all(), required=False,
                                            allow_null=True)
    file = serializers.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(KINDS)


class ImportJobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices)
    kind = django_filters.CharFilter()

    class Meta:
        model = ImportJob
        fields = ["status", "kind"]


class ImportJobViewSet(ScopedReadOnlyViewSet):
    """Background imports of the region tree, the TPS register and the TPS classes."""

    queryset = ImportJob.objects.select_related("created_by", "election").order_by("-created_at", "-id")
    scope = staticmethod(scope_import_jobs)
    serializer_class = ImportJobSerializer
    filterset_class = ImportJobFilter
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ImportStartSerializer}, responses={202: ImportJobSerializer})
    def create(self, request):
        """Queue an import; answers 202 with the job (its ``url`` to follow), 409
        ``import_running`` while another import of the same data runs."""
        form = ImportStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        job = services.import_start(actor=request.user, kind=data["kind"], upload=data["file"],
                                    election=data.get("election"))
        body = ImportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED,
                        headers={"Location": reverse("import-job-detail", args=[job.pk], request=request)})


router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="import-job")
urlpatterns = router.urls
