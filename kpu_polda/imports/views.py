"""The upload page, the job page with its self-updating progress, and the list of jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kpu_polda.base.exceptions import Conflict, DomainError

from . import selectors, services
from .forms import ImportUploadForm

POLL_SECONDS = 2


@login_required
def import_new(request, kind):
    spec = services.KINDS.get(kind)
    if spec is None:
        raise Http404
    spec.ensure_can_start(request.user)  # the same refusal before the upload as after it
    form = ImportUploadForm(request.POST or None, request.FILES or None, kind=spec, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = services.import_start(actor=request.user, kind=kind, upload=form.cleaned_data["file"],
                                            election=form.cleaned_data.get("election"))
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("imports:job", pk=job.pk)
    sample = reverse("coordination:csv-import-sample", args=[spec.sample]) if spec.sample else ""
    return render(request, "imports/import_new.html", {"form": form, "kind": spec, "sample_url": sample},
                  status=status)


def _context(request, pk):
    job = selectors.import_job_get(request.user, pk)
    spec = services.KINDS.get(job.kind)
    done_url = reverse(spec.done_url) if spec and spec.done_url else ""
    return {"job": job, "kind": spec, "done_url": done_url, "poll_seconds": POLL_SECONDS}


@login_required
@require_GET
def import_job(request, pk):
    return render(request, "imports/import_job.html", _context(request, pk))


@login_required
@require_GET
def import_job_progress(request, pk):
    """The progress card alone, which the job page fetches every few seconds (htmx)."""
    return render(request, "imports/_progress.html", _context(request, pk))


@login_required
@require_GET
def import_job_list(request):
    jobs = selectors.import_jobs_for(request.user)[:50]
    return render(request, "imports/import_job_list.html", {"jobs": jobs, "kinds": services.KINDS.values()})
