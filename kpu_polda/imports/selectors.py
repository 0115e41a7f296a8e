from __future__ import annotations

from django.db.models import QuerySet

from kpu_polda.base.queries import one_in_scope

from .models import ImportJob
from .policies import scope_import_jobs


def import_jobs_for(user) -> QuerySet[ImportJob]:
    return scope_import_jobs(ImportJob.objects.select_related("created_by", "election"), user)


def import_job_get(user, pk: int) -> ImportJob:
    return one_in_scope(import_jobs_for(user), f"Import {pk}", pk=pk)
