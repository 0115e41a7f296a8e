"""Pages for the agreement and its clause health, the election timeline, risks (list,
matrix, heat map, map), TPS classes and the personnel plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _

from coordination import policies, selectors, services
from coordination.choices import Health, RiskLevel
from coordination.filters import RiskFilter, TpsVulnerabilityFilter
from coordination.forms import (
    AgreementDocumentForm,
    EvidenceForm,
    RiskEditForm,
    RiskForm,
    RiskReviewForm,
    TpsClassImportForm,
    TransitionForm,
)
from kpu_polda.base.exceptions import DomainError, OutOfScope, PermissionDenied
from kpu_polda.base.forms import apply_errors
from kpu_polda.base.history import history_entries

from .common import csv_import_page, filtered_page, page_of


def _election(request):
    """The election the page is about (``?election=``, else the default); pages about an
    election cannot be drawn without one."""
    election = selectors.election_for(request.user, request.GET.get("election"))
    if election is None:
        raise OutOfScope(_("No election has been recorded yet."))
    return election


# --- agreement ------------------------------------------------------------------------


TRAIL = 20  # entries of a trail shown on an object's page


@login_required
def agreement_list(request):
    agreements = list(selectors.agreements_for(request.user).order_by("-signed_on"))
    return render(request, "coordination/agreement_list.html", {"agreements": agreements})


@login_required
def agreement_detail(request, pk):
    """The agreement with its clause health; the secretariat of its region uploads the
    scan and moves its status (each form posts its ``action``)."""
    agreement = selectors.agreement_get(request.user, pk)
    forms = {
        "document": AgreementDocumentForm(),
        "transition": TransitionForm(workflow=services.AGREEMENT_WORKFLOW, current=agreement.status),
    }
    if request.method == "POST":
        policies.ensure_can_manage_agreement(request.user, agreement)
        action = request.POST.get("action", "document")
        if action == "transition":
            form = forms["transition"] = TransitionForm(request.POST, workflow=services.AGREEMENT_WORKFLOW,
                                                        current=agreement.status)
            call, done = services.agreement_transition, _("The status was changed.")
        else:
            form = forms["document"] = AgreementDocumentForm(request.POST, request.FILES)
            call, done = services.agreement_attach_document, _("The scanned agreement was saved.")
        if form.is_valid():
            values = form.cleaned_data if action == "transition" else {"upload": form.cleaned_data["document"]}
            try:
                call(actor=request.user, agreement=agreement, **values)
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("coordination:agreement-detail", pk=agreement.pk)
    rows = selectors.agreement_clause_rows(agreement)
    counts = selectors.health_summary(rows)
    summary = [(status, Health(status).label, counts[status])
               for status in (Health.BREACHED, Health.AT_RISK, Health.MET, Health.NOT_MONITORED) if counts[status]]
    failed = any(form.errors for form in forms.values())
    return render(request, "coordination/agreement_detail.html", {
        "agreement": agreement, "rows": rows, "summary": summary,
        "form": forms["document"], "transition": forms["transition"],
        "can_manage": policies.can_manage_agreement(request.user, agreement),
        "changes": selectors.status_trail(agreement)[:20],
        "history": history_entries(agreement, limit=5),
    }, status=400 if failed else 200)


@login_required
def clause_detail(request, pk):
    clause = selectors.clause_get(request.user, pk)
    form = EvidenceForm(initial={"region": policies.scope_code(request.user) or ""})
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.clause_evidence_record(
                    actor=request.user, clause=clause, occurred_on=data["occurred_on"],
                    description=data["description"], region=data["region"], stage=data["stage"],
                    attachment=data["attachment"],
                )
            except PermissionDenied:
                raise  # a read-only role: the 403 page, as on the risk page and in the API
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The evidence was recorded."))
                return redirect("coordination:clause-detail", pk=clause.pk)
    return render(request, "coordination/clause_detail.html", {
        "clause": clause, "row": selectors.clause_row(clause),
        "page": page_of(request, selectors.evidence_for(request.user, clause)),
        "form": form, "can_write": policies.can_write(request.user),
        "history": history_entries(clause, limit=5),
    }, status=400 if form.errors else 200)


# --- elections ------------------------------------------------------------------------


@login_required
def election_timeline(request, code):
    election = selectors.election_get(request.user, code)
    return render(request, "coordination/election_timeline.html", {
        "timeline": selectors.timeline(election), "elections": selectors.elections_for(request.user),
    })


@login_required
def stage_detail(request, pk):
    stage = selectors.stage_get(request.user, pk)
    risks = selectors.risks_for(request.user).filter(stage__in=[stage, *stage.children.all()])
    return render(request, "coordination/stage_detail.html", {
        "stage": stage, "children": stage.children.order_by("starts_on", "order"),
        "page": page_of(request, risks), "history": history_entries(stage, limit=5),
    })


# --- risks ----------------------------------------------------------------------------


@login_required
def risk_list(request):
    return render(request, "coordination/risk_list.html", {
        **filtered_page(request, RiskFilter, selectors.risks_for(request.user)),
        "can_write": policies.can_write(request.user),
    })


def _risk_form_kwargs(request):
    return {"agencies": selectors.agencies_for(request.user)}


@login_required
def risk_create(request):
    policies.ensure_can_write(request.user, _("risks"))
    form = RiskForm(request.POST or None, **_risk_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The risk was recorded."))
            return redirect("coordination:risk-detail", pk=risk.pk)
    return render(request, "coordination/risk_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def risk_detail(request, pk):
    """The risk with three forms: edit what it says, review its scores, change its status.
    Each form posts its ``action``; a refusal re-renders that form with the input kept."""
    risk = selectors.risk_get(request.user, pk)
    agencies = _risk_form_kwargs(request)
    forms = {
        "edit": RiskEditForm(initial={**{f: getattr(risk, f) for f in ("stage", "category", "title", "description",
                                                                     "mitigation", "owner", "due_on")},
                                      "region": risk.region.code}, **agencies),
        "review": RiskReviewForm(initial={"likelihood": risk.likelihood, "impact": risk.impact}),
        "transition": TransitionForm(workflow=services.RISK_WORKFLOW, current=risk.status),
    }
    handlers = {
        "edit": (lambda data: RiskEditForm(data, **agencies), services.risk_update, _("The risk was updated.")),
        "review": (RiskReviewForm, services.risk_review, _("The review was recorded.")),
        "transition": (lambda data: TransitionForm(data, workflow=services.RISK_WORKFLOW, current=risk.status),
                       services.risk_transition,
                       _("The status was changed.")),
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in handlers:
        build, service, done = handlers[action]
        form = forms[action] = build(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, risk=risk, **form.cleaned_data)
            except PermissionDenied:
                raise  # a read-only role: the 403 page, not a form error
            except (ValidationError, DomainError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("coordination:risk-detail", pk=risk.pk)
    failed = any(form.errors for form in forms.values())
    # The latest TRAIL entries of each trail (one more read tells whether there are older
    # ones): a risk reviewed every day of a long campaign must not grow its page without end.
    reviews = list(risk.reviews.select_related("reviewed_by")[:TRAIL + 1])
    changes = list(selectors.status_trail(risk)[:TRAIL + 1])
    return render(request, "coordination/risk_detail.html", {
        "risk": risk, **forms, "trail_limit": TRAIL,
        "reviews": reviews[:TRAIL], "older_reviews": len(reviews) > TRAIL,
        "changes": changes[:TRAIL], "older_changes": len(changes) > TRAIL,
        "reviews_api": f"/api/v1/risks/{risk.pk}/reviews/",
        "can_write": policies.can_write(request.user), "history": history_entries(risk, limit=10),
    }, status=400 if failed else 200)


@login_required
def risk_matrix(request):
    context = filtered_page(request, RiskFilter, selectors.risks_for(request.user))
    context["matrix"] = selectors.risk_matrix(context["filter"].qs if context["filter"].is_valid()
                                              else context["filter"].queryset.none())
    return render(request, "coordination/risk_matrix.html", context)


@login_required
def risk_heat_map(request):
    election = _election(request)
    columns, rows = selectors.heat_map(request.user, election)
    return render(request, "coordination/risk_heat_map.html", {
        "election": election, "elections": selectors.elections_for(request.user), "columns": columns, "rows": rows,
    })


@login_required
def risk_map(request):
    election = _election(request)
    return render(request, "coordination/risk_map.html", {
        "election": election, "elections": selectors.elections_for(request.user),
        "levels": [(level.value, level.label) for level in RiskLevel],
    })


@login_required
def risk_map_data(request):
    """GeoJSON of the kab/kota in scope, each with its highest open risk."""
    election = _election(request)
    risk_list = reverse("coordination:risk-list")
    response = JsonResponse(selectors.regency_risk_map(
        request.user, election, link=lambda code: f"{risk_list}?region={code}&election={election.code}&open=true"))
    # The outlines are most of it and rarely change: the browser asks again on every view
    # (risks change), and an unchanged answer is a 304 instead of the whole collection.
    response["Cache-Control"] = "private, no-cache"
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


# --- TPS classes, IKP and the personnel plan --------------------------------------------


@login_required
def tps_class_list(request):
    return render(request, "coordination/tps_class_list.html", {
        **filtered_page(request, TpsVulnerabilityFilter, selectors.tps_vulnerabilities_for(request.user)),
        "can_write": policies.can_write(request.user),
    })


@login_required
def tps_class_import(request):
    policies.ensure_can_write(request.user, _("TPS classes"))
    return csv_import_page(
        request, form_class=TpsClassImportForm, done_url=reverse("coordination:tps-class-list"),
        sample="tps-classes",
        title=_("Import TPS classes (CSV)"),
        run=lambda election, stream: services.tps_vulnerability_import_csv(actor=request.user, election=election,
                                                                           stream=stream),
    )


@login_required
def ikp_list(request):
    return render(request, "coordination/ikp_list.html", {
        # Paged: Bawaslu publishes a score per region and election, so the rows keep growing.
        "page": page_of(request, selectors.ikp_scores_for(request.user)
                        .order_by("region__code", "-published_on", "id")),
        "patterns": selectors.security_patterns_for(request.user),
    })


@login_required
def personnel_plan(request):
    election = _election(request)
    region = request.GET.get("region") or None
    if region:
        policies.ensure_region_in_scope(request.user, region)
    plan = selectors.personnel_plan(request.user, election, under=region)
    return render(request, "coordination/personnel_plan.html", {
        "plan": plan, "elections": selectors.elections_for(request.user), "region": region or "",
        "classes": selectors.CLASS_ORDER,
    })
