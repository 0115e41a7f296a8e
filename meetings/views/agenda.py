"""The agenda editor and the follow-ups: added, moved, noted, from the pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coordination import selectors as ground
from kpu_polda.base.exceptions import OutOfScope
from kpu_polda.base.forms import attempt
from kpu_polda.base.queries import one_in_scope

from .. import policies, selectors, services
from ..forms import ActionItemForm, ActionMoveForm, AgendaItemForm, ProgressForm


def _refusal(form, call):
    """"" when ``call`` did it, a Conflict's message, or None with the refusal on ``form``."""
    done, conflict = attempt(form, lambda: call() or True)
    return "" if done else (conflict or None)


@login_required
def agenda(request, pk):
    """The organisers add, order and remove items; everyone in scope reads the agenda."""
    meeting = selectors.meeting_get(request.user, pk)
    items = list(meeting.agenda.all())
    parents = [item for item in items if item.parent_id is None]
    form = AgendaItemForm(parents=parents)
    outcome, status = None, 200
    if request.method == "POST":
        policies.ensure_can_organise(request.user, meeting)
        action = request.POST.get("action", "add")
        if action == "add":
            form = AgendaItemForm(request.POST, parents=parents)
            if form.is_valid():
                data = dict(form.cleaned_data)
                parent_id = data.pop("parent")
                parent = next((item for item in parents if item.pk == parent_id), None)
                outcome = _refusal(form, lambda: services.agenda_item_add(actor=request.user, meeting=meeting,
                                                                          parent=parent, **data))
        elif action in {"up", "down", "remove"}:
            target = next((item for item in items if str(item.pk) == request.POST.get("item")), None)
            if target is None:
                raise OutOfScope(_("Agenda item not found."))
            if action == "remove":
                outcome = _refusal(form, lambda: services.agenda_item_remove(actor=request.user, item=target))
            else:
                outcome = _refusal(form, lambda: services.agenda_item_move(
                    actor=request.user, item=target, step=-1 if action == "up" else 1))
        if outcome == "":
            messages.success(request, _("The agenda is updated."))
            return redirect("meetings:agenda", pk=meeting.pk)
        status = 409 if outcome else 400
    tree = [(item, [child for child in items if child.parent_id == item.pk]) for item in parents]
    return render(request, "meetings/agenda.html", {
        "meeting": meeting, "tree": tree, "form": form, "conflict": outcome or "",
        "can_organise": policies.can_organise(request.user, meeting)}, status=status)


@login_required
def action_new(request, pk):
    """The organisers record a follow-up agreed at the meeting."""
    meeting = selectors.meeting_get(request.user, pk)
    policies.ensure_can_organise(request.user, meeting)
    agencies = ground.agencies_for(request.user).order_by("name")
    form = ActionItemForm(request.POST or None, agencies=agencies)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        conflict = _refusal(form, lambda: services.action_item_create(actor=request.user, meeting=meeting,
                                                                      **form.cleaned_data))
        if conflict == "":
            messages.success(request, _("The follow-up is recorded; its owner will be reminded."))
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "meetings/action_form.html", {"meeting": meeting, "form": form,
                                                         "conflict": conflict or ""}, status=status)


@login_required
def action_detail(request, pk):
    """One follow-up: its status moves and progress notes (the owner agency, the organisers)."""
    action = one_in_scope(selectors.action_items_for(request.user).prefetch_related("progress__author"),
                          _("Follow-up"), pk=pk)
    move, progress = ActionMoveForm(initial={"to_status": action.status}), ProgressForm()
    conflict, status = "", 200
    if request.method == "POST":
        policies.ensure_can_move_action(request.user, action)
        if request.POST.get("action") == "progress":
            progress = ProgressForm(request.POST)
            if progress.is_valid():
                conflict = _refusal(progress, lambda: services.action_progress_add(
                    actor=request.user, action=action, note=progress.cleaned_data["note"]))
        else:
            move = ActionMoveForm(request.POST)
            if move.is_valid():
                conflict = _refusal(move, lambda: services.action_item_move(actor=request.user, action=action,
                                                                            **move.cleaned_data))
        if conflict == "":
            messages.success(request, _("The follow-up is updated."))
            return redirect("meetings:action-detail", pk=action.pk)
        status = 409 if conflict else 400
    return render(request, "meetings/action_detail.html", {
        "action": action, "move_form": move, "progress_form": progress, "conflict": conflict or "",
        "can_move": policies.can_move_action(request.user, action)}, status=status)
