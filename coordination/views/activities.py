"""Pages of joint trainings (this module), stakeholder facilitation and peace declarations
(activities_stakeholders). Thin: reads through selectors, writes through services; a
refused form is shown again with the input kept (400, or 409 for a conflict)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coordination.choices import TrainingStatus
from coordination.filters.activities import TrainingFilter
from coordination.forms.activities import (
    AttendanceForm,
    MaterialForm,
    ParticipantForm,
    TrainingCancelForm,
    TrainingForm,
    TrainingHoldForm,
    TrainingScoreForm,
)
from coordination.policies import activities as policy
from coordination.policies import can_write, ensure_can_write
from coordination.selectors import activities as selectors
from coordination.selectors import status_trail
from coordination.services import activities as services
from kpu_polda.base import clock
from kpu_polda.base.forms import attempt
from kpu_polda.base.history import history_entries

from . import activities_stakeholders as stakeholders
from .activities_stakeholders import form_page, home_area
from .common import filtered_page
from .files import serve_material

TRAIL = 20  # status changes shown on a training's page


@login_required
def training_list(request):
    return render(request, "coordination/activities/training_list.html", {
        **filtered_page(request, TrainingFilter, selectors.trainings_for(request.user).order_by("-starts_at", "-id")),
        "can_record": can_write(request.user),
    })


@login_required
def training_create(request):
    ensure_can_write(request.user, _("trainings"))
    form = TrainingForm(request.POST or None, user=request.user,
                        initial={"organiser": request.user.agency_id, "area": home_area(request.user)})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        training, conflict = attempt(form, lambda: services.training_create(actor=request.user, **form.cleaned_data))
        if training is not None:
            messages.success(request, _("The training was recorded."))
            return redirect("coordination:training-detail", pk=training.pk)
    return form_page(request, form, heading=_("New joint training"), back="coordination:training-list",
                     conflict=conflict)


@login_required
def training_edit(request, pk):
    training = selectors.training_get(request.user, pk)
    policy.ensure_can_change_training(request.user, training)
    initial = {name: getattr(training, name) for name in ("title", "kind", "organiser", "co_organiser", "place",
                                                          "description")}
    initial.update(area=training.area.code, starts_at=timezone.localtime(training.starts_at),
                   ends_at=timezone.localtime(training.ends_at))
    form = TrainingForm(request.POST or None, user=request.user, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        done, conflict = attempt(form, lambda: services.training_update(actor=request.user, training=training,
                                                                        **changes))
        if done is not None:
            messages.success(request, _("The training was updated."))
            return redirect("coordination:training-detail", pk=training.pk)
    return form_page(request, form, heading=_("Edit joint training"), back="coordination:training-list",
                     conflict=conflict)


def attendance_open(training) -> bool:
    """Attendance is taken on the training's day or once it is held."""
    if training.status == TrainingStatus.HELD:
        return True
    return training.status == TrainingStatus.PLANNED and timezone.localdate(training.starts_at) <= clock.today()


def _detail(request, training, bound: dict | None = None, conflict: str = "", status: int = 200):
    groups = selectors.participants_by_agency(training)
    participants = [p for group in groups for p in group.participants]
    forms = {
        "hold_form": TrainingHoldForm(),
        "cancel_form": TrainingCancelForm(),
        "score_form": TrainingScoreForm(initial={"evaluation_score": training.evaluation_score}),
        "participant_form": ParticipantForm(user=request.user),
        "attendance_form": AttendanceForm(participants=participants),
        "material_form": MaterialForm(),
        **(bound or {}),
    }
    changes = list(status_trail(training)[:TRAIL + 1])
    return render(request, "coordination/activities/training_detail.html", {
        "training": training, "groups": groups, "participant_count": len(participants),
        "attended_count": sum(1 for p in participants if p.attended),
        "materials": selectors.training_materials(training), **forms,
        "can_change": policy.can_change_training(request.user, training),
        "attendance_open": attendance_open(training), "conflict": conflict,
        "changes": changes[:TRAIL], "older_changes": len(changes) > TRAIL, "trail_limit": TRAIL,
        "history": history_entries(training, limit=10),
    }, status=status)


@login_required
def training_detail(request, pk):
    return _detail(request, selectors.training_get(request.user, pk))


def _step(request, pk, key: str, build, call, done: str):
    """One POST on a training's page: ``build(training)`` the form, ``call(training,
    form)`` the service; back to the page, or the page again with the form's errors."""
    training = selectors.training_get(request.user, pk)
    policy.ensure_can_change_training(request.user, training)
    form = build(training)
    conflict = ""
    if form.is_valid():
        result, conflict = attempt(form, lambda: call(training, form) or True)
        if result is not None:
            messages.success(request, done)
            return redirect("coordination:training-detail", pk=training.pk)
    return _detail(request, selectors.training_get(request.user, pk), {key: form}, conflict,
                   status=409 if conflict else 400)


@login_required
@require_POST
def training_hold(request, pk):
    return _step(request, pk, "hold_form", lambda t: TrainingHoldForm(request.POST),
                 lambda t, form: services.training_hold(actor=request.user, training=t, **form.cleaned_data),
                 _("The training is marked held."))


@login_required
@require_POST
def training_cancel(request, pk):
    return _step(request, pk, "cancel_form", lambda t: TrainingCancelForm(request.POST),
                 lambda t, form: services.training_cancel(actor=request.user, training=t, **form.cleaned_data),
                 _("The training was cancelled."))


@login_required
@require_POST
def training_score(request, pk):
    return _step(request, pk, "score_form", lambda t: TrainingScoreForm(request.POST),
                 lambda t, form: services.training_score_update(actor=request.user, training=t,
                                                                **form.cleaned_data),
                 _("The evaluation score was saved."))


@login_required
@require_POST
def training_participant_add(request, pk):
    return _step(request, pk, "participant_form", lambda t: ParticipantForm(request.POST, user=request.user),
                 lambda t, form: services.training_participant_add(actor=request.user, training=t,
                                                                   **form.service_values()),
                 _("The participant was added."))


@login_required
@require_POST
def training_participant_remove(request, pk, participant):
    training = selectors.training_get(request.user, pk)
    row = selectors.training_participant_get(request.user, training, participant)
    policy.ensure_can_change_training(request.user, training)
    form = ParticipantForm(user=request.user)
    result, conflict = attempt(form, lambda: services.training_participant_remove(actor=request.user,
                                                                                 participant=row) or True)
    if result is not None:
        messages.success(request, _("The participant was removed."))
        return redirect("coordination:training-detail", pk=training.pk)
    return _detail(request, training, {"participant_form": form}, conflict, status=409 if conflict else 400)


@login_required
@require_POST
def training_attendance(request, pk):
    def build(training):
        return AttendanceForm(request.POST, participants=list(selectors.training_participants(training)))

    return _step(request, pk, "attendance_form", build,
                 lambda t, form: services.training_attendance_record(actor=request.user, training=t,
                                                                     attended=form.cleaned_data["attended"]),
                 _("The attendance is recorded."))


@login_required
@require_POST
def training_material_add(request, pk):
    return _step(request, pk, "material_form", lambda t: MaterialForm(request.POST, request.FILES),
                 lambda t, form: services.training_material_add(actor=request.user, training=t,
                                                                **form.cleaned_data),
                 _("The material was added."))


@require_safe
@login_required
def training_material_download(request, pk):
    return serve_material(selectors.training_material_get(request.user, pk).file)


urlpatterns = [
    path("trainings/", training_list, name="training-list"),
    path("trainings/new/", training_create, name="training-create"),
    path("trainings/<int:pk>/", training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", training_edit, name="training-edit"),
    path("trainings/<int:pk>/hold/", training_hold, name="training-hold"),
    path("trainings/<int:pk>/cancel/", training_cancel, name="training-cancel"),
    path("trainings/<int:pk>/score/", training_score, name="training-score"),
    path("trainings/<int:pk>/participants/", training_participant_add, name="training-participant-add"),
    path("trainings/<int:pk>/participants/<int:participant>/remove/", training_participant_remove,
         name="training-participant-remove"),
    path("trainings/<int:pk>/attendance/", training_attendance, name="training-attendance"),
    path("trainings/<int:pk>/materials/", training_material_add, name="training-material-add"),
    path("trainings/materials/<int:pk>/", training_material_download, name="training-material-download"),
    *stakeholders.urlpatterns,
]
