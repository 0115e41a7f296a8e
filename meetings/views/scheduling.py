"""Scheduling pages: a new meeting, a new series, and the organisers' steps (hold,
postpone, cancel), the invitee's reply, and the attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import selectors as ground
from kpu_polda.base.exceptions import Conflict, OutOfScope
from kpu_polda.base.forms import Form, attempt

from .. import policies, selectors, services
from ..forms import AttendanceFormSet, MeetingForm, PostponeForm, ReasonForm, SeriesForm
from ..services.reminders import meeting_url
from .meetings import detail_context

# The form each step takes (holding takes nothing but the button).
STEPS = {"hold": Form, "cancel": ReasonForm, "postpone": PostponeForm}


def _schedule(request, form_class, create, heading: str, done):
    """A scheduling form (a meeting or a series) for the user's agencies: ``create`` runs
    the service with the cleaned data, ``done(row)`` says what happened and where to go."""
    policies.ensure_acts(request.user)
    agencies = ground.agencies_for(request.user).order_by("name")
    form = form_class(request.POST or None, agencies=agencies, initial={"organiser": request.user.agency_id})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        row, conflict = attempt(form, lambda: create(actor=request.user, **form.cleaned_data))
        if row is not None:
            message, target = done(row)
            messages.success(request, message)
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form, "conflict": conflict, "heading": heading},
                  status=status)


@login_required
def meeting_new(request):
    return _schedule(request, MeetingForm, services.meeting_create, _("New meeting"), lambda meeting: (
        _("The meeting is scheduled and its reminders planned."), meeting_url(meeting)))


@login_required
def series_new(request):
    return _schedule(request, SeriesForm, services.series_create, _("New meeting series"), lambda series: (
        _("%(count)s meetings of the series are scheduled.") % {"count": series.meetings.count()},
        "meetings:meeting-list"))


@login_required
@require_POST
def meeting_step(request, pk, step):
    """Hold, cancel (with a reason) or postpone (new times and a reason), then back to the
    meeting's page; errors are shown there."""
    meeting = selectors.meeting_get(request.user, pk)
    if step not in STEPS:
        raise Http404
    policies.ensure_can_organise(request.user, meeting)
    form = STEPS[step](request.POST)
    calls = {"hold": services.meeting_hold, "cancel": services.meeting_cancel, "postpone": services.meeting_postpone}
    done, conflict = None, ""
    if form.is_valid():
        done, conflict = attempt(form, lambda: calls[step](actor=request.user, meeting=meeting, **form.cleaned_data))
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
        refusals = Form()  # the service's refusals, said above the rows
        done, conflict = attempt(refusals, lambda: services.attendance_record(actor=request.user, meeting=meeting,
                                                                             rows=filled))
        if done is not None:
            messages.success(request, _("The attendance is recorded."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
        error = " ".join(refusals.non_field_errors())
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "formset": formset,
                                                        "conflict": conflict, "error": error}, status=status)
