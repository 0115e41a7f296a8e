"""Run one import job to its end in this process, e.g. from a script or the national bench:
the same job, checks and writes as an upload, without waiting for a worker."""

import json
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from coordination import services as coordination_services
from coordination.models import Election
from kpu_polda.base.exceptions import DomainError
from kpu_polda.imports import services
from kpu_polda.imports.kinds import KINDS


class Command(BaseCommand):
    help = "Import a CSV file as a background import job would, and print the job as one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--election", type=int, help="the election's id")
        parser.add_argument("--actor", required=True, help="the username the import is done as")

    def handle(self, *args, kind, file, election, actor, **options):
        file = Path(file)
        if not file.is_file():
            raise CommandError(f"{file} is not a file")
        chosen = Election.objects.filter(pk=election).first() if election else None
        if election and chosen is None:
            raise CommandError(f"no election {election}")
        started = time.perf_counter()
        with file.open("rb") as handle:
            try:
                job = services.import_start(actor=coordination_services.actor_by_username(actor), kind=kind,
                                            upload=File(handle, name=file.name), election=chosen, queue=False)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        job = services.run_import_job(job.pk)
        self.stdout.write(json.dumps({
            "job": job.pk, "status": job.status, "rows": job.rows_read, "created": job.created,
            "updated": job.updated, "unchanged": job.unchanged, "errors": job.error_count, "message": job.message,
            "seconds": round(time.perf_counter() - started, 3)}))
        if job.status != "succeeded":
            raise CommandError(job.message or job.status)
