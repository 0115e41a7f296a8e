"""Checks on uploaded documents, shared by pages, API and admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _


def validate_pdf(upload) -> None:
    """Accept only a PDF (judged by its content, not its name) within the size limit."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(size)d MiB.") % {"size": limit // (1024 * 1024)},
                              code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(5)
    upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("Only PDF documents are accepted."), code="not_pdf")


@contextmanager
def stored_upload(upload, folder: str) -> Iterator[str]:
    """Write ``upload`` to storage before the database transaction (file I/O stays out of
    it) and yield the stored name; delete the file again if the block fails."""
    name = default_storage.save(f"{folder}/{upload.name}", upload)
    try:
        yield name
    except BaseException:
        default_storage.delete(name)
        raise
