"""Resolving discrepancies (the KPU's decision, with a note)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.models import User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import DiscrepancyStatus, Side
from ..models import Discrepancy


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
