"""One upload being imported in the background: what, by whom, how far, and how it ended."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import ClockDateTimeField, TimeStampedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


ACTIVE = [ImportStatus.QUEUED, ImportStatus.RUNNING]


class ImportPhase(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    READING = "reading", _("Reading and checking rows")
    APPLYING = "applying", _("Writing the changes")
    DONE = "done", _("Done")


def _upload_to(job: ImportJob, filename: str) -> str:
    # The name the user gave is kept on the row, never in the path.
    return f"imports/{job.kind}/{uuid.uuid4().hex}.csv"


class ImportJob(TimeStampedModel):
    """An uploaded CSV file and its import, run by a worker (kpu_polda.imports.services).

    ``target`` names what the import writes (the kind and, where it has one, the
    election): while one job of a target is queued or running, another is refused.
    Progress (rows and bytes read) is written without history, status changes with it.
    """

    kind = models.CharField(_("kind"), max_length=40)
    target = models.CharField(_("target"), max_length=80, editable=False)
    election = models.ForeignKey("coordination.Election", verbose_name=_("election"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   on_delete=models.PROTECT, related_name="+")
    # The starter's region when the job began: who else may follow it (imports.policies).
    scope_code = models.CharField(_("region code"), max_length=13, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    phase = models.CharField(_("phase"), max_length=10, choices=ImportPhase.choices, default=ImportPhase.WAITING)
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    message = models.TextField(_("message"), blank=True)
    # [[line, text], ...], the first ERRORS_KEPT of each; error_count counts them all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    started_at = ClockDateTimeField(_("started at"), null=True, blank=True)
    finished_at = ClockDateTimeField(_("finished at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["bytes_read", "rows_read", "errors", "warnings"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        constraints = [
            # The database, not a check-then-insert, keeps two imports of one target apart.
            models.UniqueConstraint(fields=["target"], condition=models.Q(status__in=ACTIVE),
                                    name="import_one_active_per_target"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_by_starter")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def kind_label(self):
        from .kinds import KINDS  # registered by the apps once they are ready

        spec = KINDS.get(self.kind)
        return spec.label if spec else self.kind

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        """How far the worker is, by bytes read; the write phase is the last 10%."""
        if self.status not in ACTIVE:
            return 100
        if not self.file_size:
            return 0
        read = min(90, self.bytes_read * 90 // self.file_size)
        return 95 if self.phase == ImportPhase.APPLYING else read
