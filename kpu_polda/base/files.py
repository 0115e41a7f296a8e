"""Checks on uploaded documents, shared by pages, API and admin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError


def validate_pdf(upload) -> None:
    """Accept only a PDF (judged by its content, not its name) within the size limit."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(size)d MiB.") % {"size": limit // (1024 * 1024)},
                              code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        if not _looks_like_pdf(upload):
            raise ValidationError(_("Only PDF documents are accepted."), code="not_pdf")
    finally:
        upload.seek(position)


# A PDF ends with %%EOF; writers may add a line end or a little padding after it, so the
# marker is looked for in the last kilobyte (the tolerance PDF readers commonly allow).
EOF_WINDOW = 1024


def _looks_like_pdf(upload) -> bool:
    """The %PDF- header, an %%EOF trailer near the end, and a structure pypdf can read
    (its cross-reference table and page tree): a file renamed to .pdf, or one with a PDF
    header glued to something else, fails one of the three."""
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        return False
    upload.seek(max(upload.size - EOF_WINDOW, 0))
    if b"%%EOF" not in upload.read():
        return False
    upload.seek(0)
    try:
        # Not strict: scanners often write slightly off cross-reference offsets, which
        # readers repair; a file with no PDF objects in it still fails.
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return True  # readable structure; its pages are behind a password
        return len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return False


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


def delete_after_commit(old_name: str, new_name: str) -> None:
    """Delete the replaced file ``old_name`` once the transaction that points the row at
    ``new_name`` has committed; a rollback keeps the old file, which the row still names."""
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: default_storage.delete(old_name))
