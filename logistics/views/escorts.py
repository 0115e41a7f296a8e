"""The escort pages: the list, the request form, an escort's page, its decision steps,
its custody confirmations and the resolution of its discrepancies.

Every write calls a service; a refusal re-renders the form with the input kept (400 for
bad input, 409 with the service's message when the escort has moved on), and a success
redirects (POST-redirect-GET)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coordination import selectors as ground
from coordination.models import Region
from coordination.views.common import filtered_page
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError, PermissionDenied
from kpu_polda.base.forms import apply_errors, attempt
from kpu_polda.base.history import history_entries

from .. import policies, selectors, services
from ..choices import ESCORT_STEPS, HANDOVER_EVENTS, Direction, DiscrepancyStatus, EscortStatus, Side
from ..filters import EscortFilter
from ..forms import PHOTO_CONTENT_TYPES, ConfirmForm, EscortRequestForm, ItemFormSet, ResolveForm, StepForm
from ..selectors.documents import DOCUMENTED_STATUSES
from ..services.custody import INCIDENT, INCIDENT_STATUSES

TRAIL = 20  # status changes shown on an escort's page


def _back(request, escort) -> str:
    """Where a step or a confirmation returns: the field page or the dashboard's inbox
    when it came from there."""
    back = request.POST.get("back") or request.GET.get("back")
    if back == "field":
        return reverse("logistics:field")
    if back == "home":
        return reverse("home")
    return reverse("logistics:escort-detail", args=[escort.pk])


# --- the list and the request form --------------------------------------------------------


@login_required
def escort_list(request):
    context = filtered_page(request, EscortFilter, selectors.escorts_for(request.user))
    rows = context["filter"].qs if context["filter"].is_valid() else context["filter"].queryset.none()
    by_status = dict(rows.order_by().values_list("status").annotate(n=Count("id")))
    context.update({
        "counts": [(label, by_status[value]) for value, label in EscortStatus.choices if by_status.get(value)],
        "can_request": policies.can_request(request.user),
    })
    return render(request, "logistics/escort_list.html", context)


def _first_morning() -> datetime:
    """Tomorrow 08:00 WITA on the app's clock: the usual first departure of a leg."""
    tomorrow = clock.today() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(8, 0)))


@login_required
def escort_create(request):
    """A KPU office raises a request for one leg, with up to six rows of goods."""
    if not policies.can_request(request.user):
        raise PermissionDenied(_("Escort requests are raised by KPU offices."))
    elections = ground.elections_for(request.user)
    departure = _first_morning()
    initial = {"election": ground.election_for(request.user, None), "planned_departure": departure,
               "planned_arrival": departure + timedelta(hours=3), "origin_kind": "warehouse",
               "destination_kind": "tps"}
    form = EscortRequestForm(request.POST or None, user=request.user, elections=elections, initial=initial)
    items = ItemFormSet(request.POST or None, prefix="items")
    item_errors: list[str] = []
    if request.method == "POST":
        valid = form.is_valid()
        valid = items.is_valid() and valid
        if valid:
            goods = [row for row in (f.item() for f in items.forms) if row]
            data = form.cleaned_data
            area_field = "destination_region" if data["direction"] == Direction.OUTBOUND else "origin_region"
            try:
                escort = services.escort_request_create(actor=request.user, items=goods, **data)
            except PermissionDenied:
                raise
            except (ValidationError, DomainError) as exc:
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                    errors = exc.message_dict  # a new dict on each read
                    item_errors = errors.pop("items", [])
                    exc = ValidationError(errors) if errors else None
                if exc is not None:
                    apply_errors(form, exc, area_field)
            else:
                messages.success(request, _("Escort request %(number)s was sent to %(unit)s.") % {
                    "number": escort.number, "unit": escort.police_unit})
                return redirect("logistics:escort-detail", pk=escort.pk)
    failed = bool(form.errors or item_errors or any(items.errors) or items.non_form_errors())
    return render(request, "logistics/escort_form.html", {
        "form": form, "items": items, "item_errors": item_errors,
    }, status=400 if failed else 200)


# --- an escort's page ----------------------------------------------------------------------


def _chain_rows(events, items) -> list[dict]:
    """Each event with its counts named by item and compared with what was sent."""
    by_id = {item.pk: item for item in items}
    sequence_of = {event.pk: event.sequence for event in events}
    rows = []
    for event in events:
        counts = [{"item": by_id.get(pk), "counted": n, "differs": pk in by_id and by_id[pk].quantity != n}
                  for pk, n in event.count_by_item.items()]
        rows.append({"event": event, "counts": counts, "corrects": sequence_of.get(event.corrects_id)})
    return rows


def _detail(request, escort, *, step_forms=None, resolve_forms=None, conflict: str = "", status: int = 200):
    user = request.user
    items = list(escort.items.all())
    events = list(selectors.escort_trail(escort))
    confirmed = {event.kind for event in events if event.kind in HANDOVER_EVENTS}
    steps = selectors.escort_next_steps(user, escort, confirmed=confirmed)
    step_forms = step_forms or {}
    decisions = [(step, step_forms.get(step.action) or StepForm(step=step, user=user))
                 for step in steps if not step.event]
    confirmations = [step for step in steps if step.event]
    discrepancies = sorted(escort.discrepancies.select_related("item", "event", "resolved_by"),
                           key=lambda d: (d.status != DiscrepancyStatus.OPEN, -d.pk))
    can_resolve = policies.may_act(user, Side.KPU)
    resolve_forms = resolve_forms or {}
    changes = list(escort.status_changes.select_related("changed_by")[:TRAIL + 1])
    # Both ends' regions in one read (escort_get brings the leg's area, not its ends).
    ends = {region.pk: region for region in Region.objects.filter(
        pk__in=[escort.origin_region_id, escort.destination_region_id]).only("code", "name")}
    return render(request, "logistics/escort_detail.html", {
        "escort": escort, "items": items, "chain": _chain_rows(events, items),
        "origin_region": ends.get(escort.origin_region_id),
        "destination_region": ends.get(escort.destination_region_id),
        "decisions": decisions, "confirmations": confirmations,
        "can_report_incident": escort.status in INCIDENT_STATUSES and bool(
            policies.side_of(user) or user.is_superuser),
        "discrepancies": [(d, resolve_forms.get(d.pk) or ResolveForm(prefix=f"d{d.pk}"))
                          for d in discrepancies],
        "open_discrepancies": sum(d.status == DiscrepancyStatus.OPEN for d in discrepancies),
        "can_resolve": can_resolve, "changes": changes[:TRAIL], "older_changes": len(changes) > TRAIL,
        "berita_acara_url": reverse("logistics:berita-acara", args=[escort.pk])
        if escort.status in DOCUMENTED_STATUSES else None,
        "conflict": conflict, "history": history_entries(escort, limit=5),
    }, status=status)


@login_required
def escort_detail(request, pk):
    return _detail(request, selectors.escort_get(request.user, pk))


@login_required
@require_POST
def escort_step(request, pk, action):
    """A decision step (accept, reject, assign, cancel, close) through escort_decide."""
    escort = selectors.escort_get(request.user, pk)
    step = ESCORT_STEPS.get(action)
    if step is None or step.event:
        raise Http404
    policies.ensure_can_act(request.user, escort, step.side)
    form = StepForm(request.POST, step=step, user=request.user)
    moved, conflict = None, ""
    if form.is_valid():
        moved, conflict = attempt(form, lambda: services.escort_decide(
            actor=request.user, escort=escort, action=action, **form.service_arguments()))
    if moved is not None:
        messages.success(request, _("%(step)s: done. The escort is now %(status)s.") % {
            "step": step.label, "status": moved.get_status_display().lower()})
        return redirect(_back(request, moved))
    escort = selectors.escort_get(request.user, pk)
    return _detail(request, escort, step_forms={action: form}, conflict=conflict,
                   status=409 if conflict else 400)


@login_required
@require_POST
def discrepancy_resolve(request, pk, discrepancy):
    escort = selectors.escort_get(request.user, pk)
    row = escort.discrepancies.filter(pk=discrepancy).first()
    if row is None:
        raise Http404
    policies.ensure_can_act(request.user, escort, Side.KPU)
    form = ResolveForm(request.POST, prefix=f"d{row.pk}")
    resolved, conflict = None, ""
    if form.is_valid():
        resolved, conflict = attempt(form, lambda: services.discrepancy_resolve(
            actor=request.user, discrepancy=row, resolution=form.cleaned_data["resolution"]))
    if resolved is not None:
        messages.success(request, _("The discrepancy was resolved."))
        return redirect("logistics:escort-detail", pk=escort.pk)
    return _detail(request, escort, resolve_forms={row.pk: form}, conflict=conflict,
                   status=409 if conflict else 400)


# --- a custody confirmation ----------------------------------------------------------------


def _confirmed_message(result) -> str:
    text = _("%(step)s recorded for %(number)s (event no. %(n)s).") % {
        "step": result.event.get_kind_display(), "number": result.escort.number, "n": result.event.sequence}
    if result.handed_over:
        text += " " + _("Both parties agree: the goods are handed over.")
    if result.disagreement:
        text += " " + _("The other party's count or seals differ: the hand-over is not complete. Recount "
                        "together, then the party who was wrong confirms again.")
    if result.discrepancies:
        text += " " + _("%(n)s discrepancy(ies) recorded; both agencies were notified.") % {
            "n": len(result.discrepancies)}
    return text


@login_required
def escort_confirm(request, pk, action):
    """The confirmation form of one event step (or an incident report), for a phone and
    without JavaScript. A retried POST with the same idempotency key gets the first
    answer; a step already taken or no longer open is a 409 with the service's message."""
    user = request.user
    escort = selectors.escort_get(user, pk)
    step = ESCORT_STEPS.get(action)
    if action != INCIDENT and (step is None or not step.event):
        raise Http404
    if action == INCIDENT:
        policies.ensure_can_report_incident(user, escort)
    else:
        policies.ensure_can_act(user, escort, step.side)
    items = list(escort.items.all())
    again = None
    if step is not None and step.event in HANDOVER_EVENTS and escort.status == EscortStatus.ARRIVED:
        state = selectors.handover_state(escort)
        if state.complete and not state.agree:
            again = state.latest.get(step.event)
    form = ConfirmForm(request.POST or None, request.FILES or None, action=action, items=items, user=user,
                       again=again)
    conflict = ""
    if request.method == "POST":
        result = None
        if form.is_valid():
            result, conflict = attempt(form, lambda: services.custody_confirm(
                actor=user, escort=escort, action=action, **form.service_arguments()))
        if result is not None:
            messages.success(request, _confirmed_message(result))
            return redirect(_back(request, result.escort))
    elif action == INCIDENT:
        if escort.status not in INCIDENT_STATUSES:
            conflict = _("Incidents are reported while the escort is assigned or under way.")
    elif step not in selectors.escort_next_steps(user, escort):
        conflict = _("%(step)s is not open now: the escort is %(status)s.") % {
            "step": step.label, "status": escort.get_status_display().lower()}
    title = _("Report an incident") if action == INCIDENT else step.label
    status = 409 if conflict and request.method == "POST" else 400 if form.errors else 200
    return render(request, "logistics/escort_confirm.html", {
        "escort": escort, "form": form, "title": title, "action": action, "conflict": conflict, "again": again,
        "back": "field" if (request.POST.get("back") or request.GET.get("back")) == "field" else "escort",
        "back_url": _back(request, escort),
    }, status=status)


@require_safe
@login_required
def custody_photo(request, pk, sequence):
    """The photo of one custody event, read through the escort's scope (another region's
    reads as 404, the same as a missing one). Never served from MEDIA_URL."""
    escort = selectors.escort_get(request.user, pk)
    event = escort.events.filter(sequence=sequence).exclude(photo="").first()
    if event is None:
        raise Http404
    try:
        handle = event.photo.storage.open(event.photo.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = PurePosixPath(event.photo.name).name
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=PHOTO_CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(),
                                                                 "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # behind a login and a scope
    return response
