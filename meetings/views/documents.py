"""The meeting's printable documents: the notulen (to print and as a PDF) and the daftar hadir."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ..pdf import notulen_pdf
from ..selectors.documents import daftar_hadir_for, notulen_for


@login_required
def minutes_print(request, pk):
    document = notulen_for(request.user, pk)
    return render(request, "meetings/minutes_print.html", {"document": document, "meeting": document.meeting})


@login_required
def minutes_pdf(request, pk):
    document = notulen_for(request.user, pk)
    response = HttpResponse(notulen_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    # The record of a meeting of a region: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attendance_print(request, pk):
    document = daftar_hadir_for(request.user, pk)
    return render(request, "meetings/attendance_print.html", {"document": document, "meeting": document.meeting})
