"""Scheduling pages: a new meeting, a new series, and the organisers' steps (hold,
postpone, cancel), the invitee's reply, and the attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import selectors as ground
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied
from kpu_polda.base.forms import attempt

from .. import policies, selectors, services
from ..forms import AttendanceFormSet, MeetingForm, PostponeForm, ReasonForm, SeriesForm
from .meetings import detail_context

STEPS = {"hold": None, "cancel": ReasonForm, "postpone": PostponeForm}


def _ensure_acts(user) -> None:
    if not policies.acts(user):
        raise PermissionDenied(_("Meetings are scheduled by the staff of KPU and the police."))


@login_required
def meeting_new(request):
    _ensure_acts(request.user)
    agencies = ground.agencies_for(request.user).order_by("name")
    form = MeetingForm(request.POST or None, agencies=agencies, initial={"organiser": request.user.agency_id})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        meeting, conflict = attempt(form, lambda: services.meeting_create(actor=request.user, **form.cleaned_data))
        if meeting is not None:
            messages.success(request, _("The meeting is scheduled and its reminders planned."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form, "conflict": conflict,
                                                          "heading": _("New meeting")}, status=status)


@login_required
def series_new(request):
    _ensure_acts(request.user)
    agencies = ground.agencies_for(request.user).order_by("name")
    form = SeriesForm(request.POST or None, agencies=agencies, initial={"organiser": request.user.agency_id})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        series, conflict = attempt(form, lambda: services.series_create(actor=request.user, **form.cleaned_data))
        if series is not None:
            messages.success(request, _("%(count)s meetings of the series are scheduled.")
                             % {"count": series.meetings.count()})
            return redirect("meetings:meeting-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form, "conflict": conflict,
                                                          "heading": _("New meeting series")}, status=status)


@login_required
@require_POST
def meeting_step(request, pk, step):
    """Hold, cancel (with a reason) or postpone (new times and a reason), then back to the
    meeting's page; errors are shown there."""
    meeting = selectors.meeting_get(request.user, pk)
    if step not in STEPS:
        return render(request, "meetings/meeting_detail.html", detail_context(request, meeting), status=404)
    policies.ensure_can_organise(request.user, meeting)
    form_class = STEPS[step] or ReasonForm
    form = form_class(request.POST) if STEPS[step] else None
    done, conflict = None, ""
    if form is None:
        done, conflict = attempt(ReasonForm(), lambda: services.meeting_hold(actor=request.user, meeting=meeting))
    elif form.is_valid():
        call = {"cancel": lambda: services.meeting_cancel(actor=request.user, meeting=meeting, **form.cleaned_data),
                "postpone": lambda: services.meeting_postpone(actor=request.user, meeting=meeting,
                                                              **form.cleaned_data)}[step]
        done, conflict = attempt(form, call)
    if done is not None:
        messages.success(request, _("Done: the meeting is now %(status)s.") % {"status": done.get_status_display()})
        return redirect("meetings:meeting-detail", pk=meeting.pk)
    context = detail_context(request, selectors.meeting_get(request.user, pk))
    context.update({f"{step}_form": form, "conflict": conflict})
    return render(request, "meetings/meeting_detail.html", context, status=409 if conflict else 400)


@login_required
@require_POST
def invitation_reply(request, pk, invitation):
    meeting = selectors.meeting_get(request.user, pk)
    row = next((inv for inv in meeting.invitations.all() if inv.pk == invitation), None)
    if row is None:
        raise OutOfScope(_("Invitation not found."))
    try:
        services.invitation_reply(actor=request.user, invitation=row, response=request.POST.get("response", ""),
                                  note=request.POST.get("note", ""))
    except (ValidationError, Conflict) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Thank you: your reply is recorded."))
    return redirect("meetings:meeting-detail", pk=meeting.pk)


@login_required
def attendance(request, pk):
    """The notulis or an organiser records who came, per agency and person."""
    meeting = selectors.meeting_get(request.user, pk)
    policies.ensure_can_write_minutes(request.user, meeting)
    agencies = ground.agencies_for(request.user).order_by("name")
    rows = [{"agency": row.agency_id, "name": row.name, "position": row.position, "present": row.present}
            for row in meeting.attendance.all()]
    choices = [("", "---------"), *((agency.pk, agency.name) for agency in agencies)]
    formset = AttendanceFormSet(request.POST or None, initial=rows, prefix="rows",
                                form_kwargs={"agencies": agencies, "agency_choices": choices})
    conflict, error = "", ""
    if request.method == "POST" and formset.is_valid():
        filled = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("name")]
        try:
            services.attendance_record(actor=request.user, meeting=meeting, rows=filled)
        except (PermissionDenied, OutOfScope):
            raise
        except Conflict as exc:
            conflict = exc.message
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "formset": formset,
                                                        "conflict": conflict, "error": error}, status=status)
