"""The stand-in app's services: how a real activity app keeps its clause evidence in step
(explicitly, with the actor, in its own transaction)."""

from __future__ import annotations

from django.db import transaction

from coordination import services as coordination
from coordination.models import User

from .models import JointTraining


def joint_training_record(*, actor: User, **facts) -> JointTraining:
    """Record a training; its clause (if any) gains an evidence row naming ``actor``."""
    with transaction.atomic():
        training = JointTraining(**facts)
        training.full_clean()
        training.save()
        coordination.clause_evidence_sync(source=training, actor=actor)
    return training


def joint_training_update(*, actor: User, training: JointTraining, **changes) -> JointTraining:
    with transaction.atomic():
        locked = JointTraining.objects.select_for_update().get(pk=training.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save(update_fields=list(changes))
        coordination.clause_evidence_sync(source=locked, actor=actor)
    return locked


def joint_training_delete(*, actor: User, training: JointTraining) -> None:
    with transaction.atomic():
        coordination.clause_evidence_forget(source=training, actor=actor)
        training.delete()
