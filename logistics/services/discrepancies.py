"""Discrepancies: those a confirmation reveals, and resolving them (the KPU's decision,
with a note)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.models import User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.history import bulk_create_with_history
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import COUNTED_EVENTS, DiscrepancyReason, DiscrepancyStatus, Side
from ..models import CustodyEvent, Discrepancy, EscortItem, EscortRequest
from ..models.escorts import seal_list


def discrepancies_found(event: CustodyEvent, items: list[EscortItem], reports) -> list[Discrepancy]:
    """The discrepancies (unsaved) an event reveals: counts that differ from what was sent, seals
    broken or other than recorded, and the damaged or wrong items the party reported."""
    found = []
    counted = event.count_by_item
    for item in items:
        if item.pk in counted and counted[item.pk] != item.quantity:
            reason = DiscrepancyReason.MISSING if counted[item.pk] < item.quantity else DiscrepancyReason.SURPLUS
            found.append(Discrepancy(escort_id=event.escort_id, item=item, event=event, reason=reason,
                                     expected=item.quantity, counted=counted[item.pk]))
    sealed = [item for item in items if item.seals]
    if event.kind in COUNTED_EVENTS and sealed:
        seen = set(seal_list(event.seals_seen))
        for item in sealed:
            absent = [seal for seal in item.seals if seal not in seen] if event.seals_seen else []
            if event.seals_intact is False or absent:
                text = _("Seals reported broken.") if event.seals_intact is False else ""
                if absent:
                    text = f"{text} " + _("Seal numbers not seen: %(seals)s.") % {"seals": ", ".join(absent)}
                found.append(Discrepancy(escort_id=event.escort_id, item=item, event=event,
                                         reason=DiscrepancyReason.SEAL_BROKEN, description=text.strip()))
    by_id = {item.pk: item for item in items}
    for report in reports:
        item = by_id.get(int(report["item"])) if report.get("item") is not None else None
        found.append(Discrepancy(escort_id=event.escort_id, item=item, event=event, reason=report["reason"],
                                 description=str(report.get("note", "")).strip()))
    return found


def discrepancies_open(actor: User, escort: EscortRequest, found: list[Discrepancy]) -> list[Discrepancy]:
    """Save, naming ``actor``, the discrepancies found that are not already open for the same item and reason
    (both parties seeing the same broken seal make one), saved with history."""
    if not found:
        return []
    open_now = set(escort.discrepancies.filter(status=DiscrepancyStatus.OPEN).values_list("item_id", "reason"))
    fresh, keys = [], set()
    for row in found:
        key = (row.item_id, row.reason)
        if key not in open_now and key not in keys:
            keys.add(key)
            fresh.append(row)
    return bulk_create_with_history(fresh, Discrepancy, default_user=actor) if fresh else []


def discrepancy_resolve(*, actor: User, discrepancy: Discrepancy, resolution: str) -> Discrepancy:
    """Close an open discrepancy with the KPU's note on what was done (replaced, recounted,
    reported). Only the KPU side of the escort's region (PermissionDenied); an already
    resolved one is Conflict ``already_resolved``; a note is required (ValidationError)."""
    if not resolution.strip():
        raise ValidationError({"resolution": [_("Say how the discrepancy was resolved.")]})
    with transaction.atomic():
        rows = Discrepancy.objects.select_for_update(of=("self",)).select_related("escort")
        locked = one_in_scope(policies.scope_escort_rows(rows, actor), gettext_lazy("discrepancy"),
                              pk=discrepancy.pk)
        policies.ensure_can_act(actor, locked.escort, Side.KPU)
        if locked.status != DiscrepancyStatus.OPEN:
            raise Conflict(_("This discrepancy is already resolved."), code="already_resolved")
        locked.status, locked.resolved_at, locked.resolved_by = DiscrepancyStatus.RESOLVED, clock.now(), actor
        locked.resolution = resolution.strip()
        locked.full_clean()
        locked._history_user = actor
        locked.save(update_fields=["status", "resolved_at", "resolved_by", "resolution", "updated_at"])
    return locked
