"""Stored documents (agreement and addendum scans, evidence attachments), served only
through these views: the object is read through its scope first, so a file outside the
user's region reads as 404, the same as a missing one. Nothing is served from MEDIA_URL."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coordination import selectors
from coordination.models import Addendum, Agreement, ClauseEvidence
from coordination.services.activities import MATERIAL_TYPES
from kpu_polda.base.exceptions import OutOfScope

# model -> (route name, file field): where each stored file is fetched.
DOWNLOADS = {
    Agreement: ("coordination:agreement-document", "document"),
    Addendum: ("coordination:addendum-document", "document"),
    ClauseEvidence: ("coordination:evidence-attachment", "attachment"),
}


def stored_file_url(obj) -> str:
    """The address of ``obj``'s stored file: the view below, which checks the scope."""
    route, _field = DOWNLOADS[type(obj)]
    return reverse(route, args=[obj.pk])


def serve_stored(field, content_type: str) -> FileResponse:
    """A stored file as a download: never rendered inline on this origin, never cached by
    anyone else. The caller has read its row through the scope; an empty or missing file
    reads as 404."""
    if not field:
        raise OutOfScope(_("No document has been stored."))
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as exc:
        raise OutOfScope(_("No document has been stored.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(field.name).name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Behind a login and a scope: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def serve_material(field) -> FileResponse:
    """A stored file of the kinds materials and attachments accept, with the type its
    (checked) extension names."""
    extension = PurePosixPath(field.name or "").suffix.lower()
    return serve_stored(field, MATERIAL_TYPES.get(extension, "application/octet-stream"))


def _serve(obj) -> FileResponse:
    # Uploads are accepted only as PDF (kpu_polda.base.files.validate_pdf), so the type
    # is fixed rather than guessed.
    return serve_stored(getattr(obj, DOWNLOADS[type(obj)][1]), "application/pdf")


@require_safe
@login_required
def agreement_document(request, pk):
    return _serve(selectors.agreement_get(request.user, pk))


@require_safe
@login_required
def addendum_document(request, pk):
    return _serve(selectors.addendum_get(request.user, pk))


@require_safe
@login_required
def evidence_attachment(request, pk):
    return _serve(selectors.evidence_get(request.user, pk))
