"""The notulen page: start, write, submit, approve, amend; one POST action at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import Conflict, DomainError, OutOfScope, PermissionDenied
from kpu_polda.base.forms import apply_errors

from .. import policies, selectors, services
from ..forms import AmendForm, EntryFormSet, MinutesForm, ObstacleFormSet, filled


def _forms(minutes, data=None):
    entries = [{"topic": e.topic, "speaker": e.speaker, "discussion": e.discussion} for e in minutes.entries.all()]
    obstacles = [{"description": o.description, "proposed_solution": o.proposed_solution}
                 for o in minutes.obstacles.all()]
    initial = {"chair_name": minutes.chair_name, "opening": minutes.opening, "decisions": minutes.decisions,
               "closing": minutes.closing}
    return (MinutesForm(data, initial=initial), EntryFormSet(data, initial=entries, prefix="entries"),
            ObstacleFormSet(data, initial=obstacles, prefix="obstacles"))


@login_required
def minutes_page(request, pk):
    meeting = selectors.meeting_get(request.user, pk)
    minutes = selectors.minutes_of(meeting)
    user = request.user
    invited = [invitation.agency_id for invitation in meeting.invitations.all()]
    context = {"meeting": meeting, "minutes": minutes, "can_write": policies.can_write_minutes(user, meeting),
               "side": policies.approval_side(user, meeting, invited), "amend_form": AmendForm(), "status": 200}
    if minutes is not None and not minutes.is_locked:
        context["form"], context["entries"], context["obstacles"] = _forms(minutes)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in {"start", "save", "submit", "approve", "amend"}:
            context.update(error=_("Unknown action."), status=400)
            return render(request, "meetings/minutes.html", context, status=400)
        try:
            done = _act(request, action, meeting, minutes, context)
        except (PermissionDenied, OutOfScope):
            raise  # the 403 / 404 page, as everywhere
        except Conflict as exc:
            context.update(conflict=exc.message, status=409)
        except (ValidationError, DomainError) as exc:
            context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
            context["status"] = 400
        else:
            if done:
                messages.success(request, done)
                return redirect("meetings:minutes", pk=meeting.pk)
            context["status"] = 400
    return render(request, "meetings/minutes.html", context, status=context["status"])


def _act(request, action, meeting, minutes, context) -> str:
    """Run one action; its success message, or "" with the errors left on the forms."""
    user = request.user
    if action == "start":
        services.minutes_start(actor=user, meeting=meeting)
        return _("The minutes are open for writing.")
    if minutes is None:
        raise Conflict(_("Start the minutes first."), code="no_minutes")
    if action == "save":
        form, entries, obstacles = _forms(minutes, request.POST)
        context.update(form=form, entries=entries, obstacles=obstacles)
        if not (form.is_valid() and entries.is_valid() and obstacles.is_valid()):
            return ""
        try:
            services.minutes_update(actor=user, minutes=minutes, entries=filled(entries), obstacles=filled(obstacles),
                                    **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, None)
            return ""
        return _("The minutes are saved.")
    if action == "submit":
        services.minutes_submit(actor=user, minutes=minutes)
        return _("The minutes are submitted for approval.")
    if action == "approve":
        approved = services.minutes_approve(actor=user, minutes=minutes)
        return _("Approved. The minutes are now locked.") if approved.is_locked else _("Approved for your party.")
    form = AmendForm(request.POST)
    context["amend_form"] = form
    if not form.is_valid():
        return ""
    services.minutes_amend(actor=user, minutes=minutes, reason=form.cleaned_data["reason"],
                           **{form.cleaned_data["part"]: form.cleaned_data["text"]})
    return _("The amendment is recorded.")
