"""Starting and running background imports.

The upload is stored and a job row written at once; a worker runs the kind's import
(``run_import_job``) and writes progress as it reads, outside the import's own
transaction so the job page can show it. The import itself is all or nothing.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coordination import policies as coordination_policies
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError, ImportRejected

from .kinds import KINDS, ImportKind, ImportRun, target_of
from .models import ACTIVE, ImportJob, ImportPhase, ImportStatus

log = logging.getLogger(__name__)
ERRORS_KEPT = 1000  # lines of errors and of warnings kept on the job; all are counted
PROGRESS_EVERY = 5000  # rows between two progress writes


def import_kind_get(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise DomainError(_("Unknown import kind %(kind)r.") % {"kind": key}, code="unknown_kind") from None


def import_start(*, actor, kind: str, upload, election=None, queue: bool = True) -> ImportJob:
    """Store ``upload`` and queue its import of ``kind``; returns the queued job.

    Refuses (PermissionDenied) a user the kind does not allow, (DomainError) a missing
    election or a file over the kind's size limit, and (Conflict ``import_running``)
    a second import of the same target while one is queued or running. The worker is
    asked to run it once the job row is committed (unless ``queue`` is False: the caller
    runs it, as the import_file command does).
    """
    spec = import_kind_get(kind)
    if spec.needs_election and election is None:
        raise DomainError(_("Choose the election."), code="election_required")
    spec.ensure_can_start(actor)
    limit = spec.max_bytes()
    if upload.size > limit:
        raise DomainError(_("The file is larger than %(size)s MiB.") % {"size": limit // (1024 * 1024)},
                          code="file_too_large")
    job = ImportJob(kind=kind, target=target_of(spec, election), election=election if spec.needs_election else None,
                    file_name=(upload.name or "upload.csv")[-200:], file_size=upload.size, created_by=actor,
                    scope_code=_scope_text(actor))
    try:
        with transaction.atomic():
            job.file.save("upload.csv", upload, save=False)
            job.save()
    except IntegrityError:
        job.file.delete(save=False)
        running = ImportJob.objects.filter(target=job.target, status__in=ACTIVE).first()
        raise Conflict(_("Another import of the same data is running (job %(id)s); wait for it to end.")
                       % {"id": running.pk if running else "?"}, code="import_running") from None
    if queue:
        from .tasks import import_job_run  # the task module imports this one

        transaction.on_commit(lambda: import_job_run.delay(job.pk), robust=True)
    return job


def _scope_text(actor) -> str:
    prefix = coordination_policies.scope_code(actor)
    return "" if prefix in (None, coordination_policies.ALL) else prefix


def _finish(job: ImportJob, status: str, **fields) -> None:
    for key, value in {"status": status, "phase": ImportPhase.DONE, "finished_at": clock.now(), **fields}.items():
        setattr(job, key, value)
    job.save()


def run_import_job(job_id: int) -> ImportJob | None:
    """Run queued job ``job_id`` to its end: succeeded with its counts, rejected with
    the refused lines (nothing written), or failed. A job already taken by another
    worker, or ended, is left alone (a redelivered task runs nothing twice)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.QUEUED:
            return job
        job.status, job.phase, job.started_at = ImportStatus.RUNNING, ImportPhase.READING, clock.now()
        job.save()
    spec = KINDS[job.kind]
    handle = job.file.open("rb")
    run = ImportRun(actor=job.created_by, election=job.election, stream=_Counting(handle, job),
                    progress=lambda rows: _progress(job, rows))
    try:
        result = spec.run(run)
    except ImportRejected as exc:
        _finish(job, ImportStatus.REJECTED, message=str(exc.message), error_count=len(exc.errors),
                errors=[[line, str(text)] for line, text in exc.errors[:ERRORS_KEPT]],
                warnings=_kept(run.warnings))
    except DomainError as exc:  # a refusal of the service (a conflict among them)
        _finish(job, ImportStatus.REJECTED, message=str(exc.message), warnings=_kept(run.warnings))
    except Exception:
        log.exception("import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, message=_("The import stopped on an unexpected error; nothing was "
                                                    "imported. The secretariat has the details in the log."))
    else:
        _finish(job, ImportStatus.SUCCEEDED, created=result.created, updated=result.updated,
                unchanged=result.unchanged, rows_read=result.created + result.updated + result.unchanged,
                bytes_read=job.file_size, warnings=_kept(run.warnings))
    finally:
        handle.close()
    return job


def _kept(lines: list[tuple[int, str]]) -> list[list]:
    return [[line, str(text)] for line, text in lines[:ERRORS_KEPT]]


def _progress(job: ImportJob, rows: int) -> None:
    if rows % PROGRESS_EVERY:
        return
    job.rows_read = rows
    # A plain update, no history: progress is not a change anyone reviews. Outside any
    # import transaction (the row check runs before it), so the job page sees it.
    ImportJob.objects.filter(pk=job.pk).update(rows_read=rows, bytes_read=job.bytes_read, phase=ImportPhase.READING)


class _Counting:
    """The stored file, counting the bytes the import has read for the progress bar."""

    def __init__(self, handle, job: ImportJob):
        self.handle, self.job = handle, job

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.job.bytes_read += len(data)
        return data
