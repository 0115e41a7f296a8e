"""Query bounds of the background imports (see test_query_bounds.py): the list of jobs
(page, API, admin) grows with the jobs of the Samarinda operator; one job's page and
progress card read that job alone."""

from django.core.files.uploadedfile import SimpleUploadedFile

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py


def grow_jobs(tree, election, start, count):
    """Ended TPS imports of KPU Samarinda (an ended job does not block the next)."""
    from coordination.models import User
    from kpu_polda.imports import services
    from kpu_polda.imports.models import ImportJob

    operator = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        upload = SimpleUploadedFile(f"tps-{index}.csv", b"village_code,number,voters\n64.72.01.1001,1,10\n")
        job = services.import_start(actor=operator, kind="polling_stations", upload=upload, election=election,
                                    queue=False)
        ImportJob.objects.filter(pk=job.pk).update(status="rejected")


CASES = [
    ("/imports/", grow_jobs, "samarinda_operator", 8, lambda r: len(r.context["jobs"])),
    ("/api/v1/imports/", grow_jobs, "samarinda_operator", 8),
    ("/admin/imports/importjob/", grow_jobs, SCOPED_SECRETARIAT, 14),
]

NO_ROWS = {
    "imports:new": "the upload form of one kind; the elections to choose from are a handful",
    "imports:job": "one job",
    "imports:job-progress": "one job's progress card",
}
