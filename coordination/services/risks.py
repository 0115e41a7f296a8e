from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import RISK_TRANSITIONS, RiskStatus
from coordination.models import Agency, ElectionStage, Region, RiskAssessment, RiskReview, RiskStatusChange, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

RISK_EDITABLE = ["stage", "region", "category", "title", "description", "mitigation", "owner", "due_on"]


def _check_owner(actor: User, owner: Agency | None) -> None:
    # The owner must be an agency the actor can see: theirs, above them, or below them.
    if owner is not None and not policies.scope_agencies(Agency.objects.filter(pk=owner.pk), actor).exists():
        raise ValidationError({"owner": [_("Unknown agency.")]})


def risk_create(*, actor: User, stage: ElectionStage, region: Region, category: str, title: str,
                likelihood: int, impact: int, description: str = "", mitigation: str = "",
                owner: Agency | None = None, due_on: date | None = None) -> RiskAssessment:
    """Record a new risk (status open) for ``stage`` in ``region``.

    Preconditions: the actor may edit risks and ``region`` lies in their scope (else
    OutOfScope / PermissionDenied). Likelihood and impact must be 1-5 (ValidationError with
    field errors; nothing saved).
    """
    policies.ensure_can_create_risk(actor, region)
    _check_owner(actor, owner)
    risk = RiskAssessment(stage=stage, region=region, category=category, title=title, description=description,
                          likelihood=likelihood, impact=impact, mitigation=mitigation, owner=owner, due_on=due_on)
    risk.full_clean(exclude=["score"])
    with transaction.atomic():
        risk._history_user = actor
        risk.save()
    return risk


def risk_update(*, actor: User, risk: RiskAssessment, **changes) -> RiskAssessment:
    """Change what a risk says (not its status or scores: see risk_transition and
    risk_review). The risk, and its new region if moved, must be in the actor's scope."""
    unknown = set(changes) - set(RISK_EDITABLE)
    if unknown:
        raise DomainError(_("Not editable here: %(fields)s (likelihood and impact change through a review, the "
                            "status through a transition).") % {"fields": ", ".join(sorted(unknown))}, code="invalid")
    with transaction.atomic():
        locked = RiskAssessment.objects.select_for_update().get(pk=risk.pk)
        policies.ensure_can_change_risk(actor, locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        policies.ensure_can_change_risk(actor, locked)  # still inside after a move
        if "owner" in changes:
            _check_owner(actor, locked.owner)
        locked.full_clean(exclude=["score"])
        locked._history_user = actor
        locked.save(update_fields=[*changes, "updated_at"])
    return locked


def risk_review(*, actor: User, risk: RiskAssessment, likelihood: int, impact: int, note: str) -> RiskReview:
    """Re-assess a risk: record who looked again and set its likelihood and impact.

    The review rows are the trail; a closed risk cannot be reviewed (reopen it first:
    Conflict, 409).
    """
    if not note.strip():
        raise ValidationError({"note": [_("Say what the review found.")]})
    with transaction.atomic():
        # Lock the risk alone (of=self), with its region for the policy, not its outline.
        rows = RiskAssessment.objects.select_for_update(of=("self",)).select_related("region").defer("region__boundary")
        # Through the scope: out of it reads as missing, so callers may pass a bare reference.
        locked = one_in_scope(policies.scope_risks(rows, actor), RISK_WORKFLOW.what, pk=risk.pk)
        policies.ensure_can_change_risk(actor, locked)
        if locked.status == RiskStatus.CLOSED:
            raise Conflict(_("A closed risk cannot be reviewed; reopen it first."), code="risk_closed")
        review = RiskReview(risk=locked, reviewed_by=actor, reviewed_at=clock.now(), likelihood=likelihood,
                            impact=impact, note=note.strip())
        review.full_clean(exclude=["risk", "reviewed_by"])
        review._history_user = actor
        review.save()
        locked.likelihood, locked.impact = likelihood, impact
        locked._history_user = actor
        locked.save(update_fields=["likelihood", "impact", "updated_at"])
    return review


RISK_WORKFLOW = Workflow(model=RiskAssessment, table=RISK_TRANSITIONS, change_model=RiskStatusChange,
                         subject_field="risk", what=gettext_lazy("risk"), clean_exclude=("score",),
                         labels=dict(RiskStatus.choices), lock_related=("region",),
                         lock_defer=("region__boundary",), scope=policies.scope_risks)


def risk_transition(*, actor: User, risk: RiskAssessment, to_status: str, reason: str = "") -> RiskAssessment:
    """Move a risk between open, mitigating and closed (RISK_TRANSITIONS).

    Reopening a closed risk needs a reason (ValidationError). Raises TransitionNotAllowed
    for a move the table does not allow; records a RiskStatusChange naming the actor.
    """

    def rules(locked: RiskAssessment, from_status: str) -> None:
        if from_status == RiskStatus.CLOSED and not reason.strip():
            raise ValidationError({"reason": [_("Reopening a closed risk needs a reason.")]})

    return transition(RISK_WORKFLOW, risk, actor=actor, to_status=to_status, reason=reason,
                      check=lambda locked: policies.ensure_can_change_risk(actor, locked), rules=rules)
