"""The logistics pages: documents (the berita acara serah terima, to print and as a PDF)."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ..pdf import berita_acara_pdf
from ..selectors.documents import berita_acara_for


@login_required
def berita_acara(request, pk):
    document = berita_acara_for(request.user, pk)
    # segno writes the SVG itself from the escort number: nothing of it comes from a user's markup.
    qr = mark_safe(segno.make(document.escort.number, error="m").svg_inline(scale=3, title=document.escort.number))  # noqa: S308
    return render(request, "logistics/berita_acara.html", {"document": document, "escort": document.escort,
                                                            "qr_svg": qr})


@login_required
def berita_acara_download(request, pk):
    document = berita_acara_for(request.user, pk)
    response = HttpResponse(berita_acara_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    # A signed record of a region: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
