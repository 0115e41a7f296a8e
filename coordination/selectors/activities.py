"""Reads of joint trainings, stakeholder facilitation and peace declarations: scoped by
coordination.policies.activities, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from coordination.choices import TrainingStatus
from coordination.models import (
    Agency,
    DeclarationSignatory,
    PeaceDeclaration,
    StakeholderFacilitation,
    Training,
    TrainingMaterial,
    TrainingParticipant,
)
from coordination.policies import activities as policy
from kpu_polda.base import clock
from kpu_polda.base.queries import one_in_scope


def trainings_for(user) -> QuerySet[Training]:
    return policy.scope_trainings(
        Training.objects.select_related("organiser", "co_organiser", "area").defer("area__boundary"), user)


def training_get(user, pk: int) -> Training:
    return one_in_scope(trainings_for(user).select_related("clause__agreement"), _("Joint training"), pk=pk)


def upcoming_trainings(user, days: int = 30) -> QuerySet[Training]:
    """Planned trainings the user may see that start within ``days`` from now, soonest
    first (the dashboard)."""
    now = clock.now()
    return trainings_for(user).filter(status=TrainingStatus.PLANNED, starts_at__gte=now,
                                      starts_at__lt=now + timedelta(days=days)).order_by("starts_at", "id")


def training_participants(training: Training) -> QuerySet[TrainingParticipant]:
    return training.participants.select_related("agency", "user").order_by("agency__short_name", "name", "id")


@dataclass
class AgencyGroup:
    agency: Agency
    participants: list[TrainingParticipant]

    @property
    def attended(self) -> int:
        return sum(1 for p in self.participants if p.attended)


def participants_by_agency(training: Training) -> list[AgencyGroup]:
    """The participants grouped by the agency they come from (one query)."""
    groups: dict[int, AgencyGroup] = {}
    for participant in training_participants(training):
        groups.setdefault(participant.agency_id, AgencyGroup(participant.agency, [])).participants.append(participant)
    return list(groups.values())


def training_materials(training: Training) -> QuerySet[TrainingMaterial]:
    return training.materials.order_by("id")


def training_material_get(user, pk: int) -> TrainingMaterial:
    """A material of a training the user may see (its download is scoped like the page)."""
    return one_in_scope(policy.scope_training_rows(TrainingMaterial.objects.select_related("training"), user),
                        _("Training material"), pk=pk)


def training_participant_get(user, training: Training, pk: int) -> TrainingParticipant:
    return one_in_scope(training.participants.all(), _("Participant"), pk=pk)


def facilitations_for(user) -> QuerySet[StakeholderFacilitation]:
    return policy.scope_facilitations(
        StakeholderFacilitation.objects.select_related("facilitator", "kpu_office", "area", "recorded_by")
        .defer("area__boundary"), user)


def facilitation_get(user, pk: int) -> StakeholderFacilitation:
    return one_in_scope(facilitations_for(user).select_related("clause__agreement"),
                        _("Stakeholder facilitation"), pk=pk)


def declarations_for(user) -> QuerySet[PeaceDeclaration]:
    return policy.scope_declarations(
        PeaceDeclaration.objects.select_related("area", "recorded_by").defer("area__boundary"), user)


def declaration_get(user, pk: int) -> PeaceDeclaration:
    """One declaration with its signatories in their order (two queries)."""
    signatories = Prefetch("signatories", queryset=DeclarationSignatory.objects.select_related("agency")
                           .order_by("order", "id"))
    return one_in_scope(declarations_for(user).select_related("clause__agreement").prefetch_related(signatories),
                        _("Peace declaration"), pk=pk)
