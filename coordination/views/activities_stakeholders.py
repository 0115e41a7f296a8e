"""Pages of stakeholder facilitation and peace declarations (list, new, detail, edit, and a
declaration's signed document)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coordination.filters.activities import DeclarationFilter, FacilitationFilter
from coordination.forms.activities import DeclarationDocumentForm, DeclarationForm, FacilitationForm
from coordination.policies import activities as policy
from coordination.policies import can_write, ensure_can_write, scope_code
from coordination.selectors import activities as selectors
from coordination.services import activities as services
from kpu_polda.base.forms import attempt
from kpu_polda.base.history import history_entries

from .common import filtered_page
from .files import serve_stored


def form_page(request, form, *, heading: str, back: str, conflict: str = ""):
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "coordination/activities/form.html", {
        "form": form, "heading": heading, "back": back, "conflict": conflict,
    }, status=status)


def home_area(user) -> str:
    """The region a new record starts in: the user's own (the scope read once per request)."""
    return scope_code(user) or ""


# --- stakeholder facilitation ---------------------------------------------------------------


@login_required
def facilitation_list(request):
    return render(request, "coordination/activities/facilitation_list.html", {
        **filtered_page(request, FacilitationFilter, selectors.facilitations_for(request.user)
                        .order_by("-held_at", "-id")),
        "can_record": can_write(request.user),
    })


@login_required
def facilitation_create(request):
    ensure_can_write(request.user, _("stakeholder facilitations"))
    form = FacilitationForm(request.POST or None, user=request.user, initial={"area": home_area(request.user)})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        row, conflict = attempt(form, lambda: services.facilitation_create(actor=request.user, **form.cleaned_data))
        if row is not None:
            messages.success(request, _("The facilitation was recorded."))
            return redirect("coordination:facilitation-detail", pk=row.pk)
    return form_page(request, form, heading=_("New stakeholder facilitation"),
                      back="coordination:facilitation-list", conflict=conflict)


@login_required
def facilitation_detail(request, pk):
    row = selectors.facilitation_get(request.user, pk)
    return render(request, "coordination/activities/facilitation_detail.html", {
        "facilitation": row, "can_change": policy.can_change_facilitation(request.user, row),
        "history": history_entries(row, limit=10),
    })


@login_required
def facilitation_edit(request, pk):
    row = selectors.facilitation_get(request.user, pk)
    policy.ensure_can_change_facilitation(request.user, row)
    initial = {name: getattr(row, name) for name in ("title", "facilitator", "kpu_office", "place", "stakeholders",
                                                     "outcome")}
    initial.update(area=row.area.code, held_at=timezone.localtime(row.held_at))
    form = FacilitationForm(request.POST or None, user=request.user, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        done, conflict = attempt(form, lambda: services.facilitation_update(actor=request.user, facilitation=row,
                                                                            **changes))
        if done is not None:
            messages.success(request, _("The facilitation was updated."))
            return redirect("coordination:facilitation-detail", pk=row.pk)
    return form_page(request, form, heading=_("Edit stakeholder facilitation"),
                      back="coordination:facilitation-list", conflict=conflict)


# --- peace declarations ---------------------------------------------------------------------


@login_required
def declaration_list(request):
    return render(request, "coordination/activities/declaration_list.html", {
        **filtered_page(request, DeclarationFilter, selectors.declarations_for(request.user)
                        .order_by("-signed_on", "-id")),
        "can_record": can_write(request.user),
    })


@login_required
def declaration_create(request):
    ensure_can_write(request.user, _("peace declarations"))
    form = DeclarationForm(request.POST or None, user=request.user, initial={"area": home_area(request.user)})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        row, conflict = attempt(form, lambda: services.declaration_create(actor=request.user, **form.cleaned_data))
        if row is not None:
            messages.success(request, _("The declaration was recorded."))
            return redirect("coordination:declaration-detail", pk=row.pk)
    return form_page(request, form, heading=_("New peace declaration"), back="coordination:declaration-list",
                      conflict=conflict)


def _declaration_page(request, row, document_form=None, status: int = 200):
    return render(request, "coordination/activities/declaration_detail.html", {
        "declaration": row, "signatories": list(row.signatories.all()),
        "can_change": policy.can_change_declaration(request.user, row),
        "document_form": document_form or DeclarationDocumentForm(),
        "history": history_entries(row, limit=10),
    }, status=status)


@login_required
def declaration_detail(request, pk):
    return _declaration_page(request, selectors.declaration_get(request.user, pk))


@login_required
def declaration_edit(request, pk):
    row = selectors.declaration_get(request.user, pk)
    policy.ensure_can_change_declaration(request.user, row)
    initial = {name: getattr(row, name) for name in ("title", "event", "signed_on", "place", "summary", "source")}
    initial.update(area=row.area.code, signatories=DeclarationForm.signatories_text(row))
    form = DeclarationForm(request.POST or None, user=request.user, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "signatories"}
        signatories = form.cleaned_data["signatories"] if "signatories" in form.changed_data else None
        done, conflict = attempt(form, lambda: services.declaration_update(
            actor=request.user, declaration=row, signatories=signatories, **changes))
        if done is not None:
            messages.success(request, _("The declaration was updated."))
            return redirect("coordination:declaration-detail", pk=row.pk)
    return form_page(request, form, heading=_("Edit peace declaration"), back="coordination:declaration-list",
                      conflict=conflict)


@require_safe
@login_required
def declaration_document(request, pk) -> FileResponse:
    # Accepted only as PDF (declaration_attach_document), so the type is fixed, not guessed.
    return serve_stored(selectors.declaration_get(request.user, pk).document, "application/pdf")


@login_required
@require_POST
def declaration_document_upload(request, pk):
    row = selectors.declaration_get(request.user, pk)
    policy.ensure_can_change_declaration(request.user, row)
    form = DeclarationDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        done, _conflict = attempt(form, lambda: services.declaration_attach_document(
            actor=request.user, declaration=row, upload=form.cleaned_data["document"]))
        if done is not None:
            messages.success(request, _("The signed document was saved."))
            return redirect("coordination:declaration-detail", pk=row.pk)
    return _declaration_page(request, selectors.declaration_get(request.user, pk), form, status=400)


urlpatterns = [
    path("facilitations/", facilitation_list, name="facilitation-list"),
    path("facilitations/new/", facilitation_create, name="facilitation-create"),
    path("facilitations/<int:pk>/", facilitation_detail, name="facilitation-detail"),
    path("facilitations/<int:pk>/edit/", facilitation_edit, name="facilitation-edit"),
    path("declarations/", declaration_list, name="declaration-list"),
    path("declarations/new/", declaration_create, name="declaration-create"),
    path("declarations/<int:pk>/", declaration_detail, name="declaration-detail"),
    path("declarations/<int:pk>/edit/", declaration_edit, name="declaration-edit"),
    path("declarations/<int:pk>/document/", declaration_document, name="declaration-document"),
    path("declarations/<int:pk>/document/upload/", declaration_document_upload, name="declaration-document-upload"),
]
