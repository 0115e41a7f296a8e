"""Writes of joint trainings, stakeholder facilitation and peace declarations, gathered
from their modules: ``activities_trainings`` and ``activities_stakeholders``."""

from .activities_stakeholders import (
    DECLARATION_EDITABLE,
    FACILITATION_EDITABLE,
    declaration_attach_document,
    declaration_create,
    declaration_signatories_set,
    declaration_update,
    facilitation_create,
    facilitation_update,
)
from .activities_trainings import (
    MATERIAL_TYPES,
    TRAINING_EDITABLE,
    TRAINING_WORKFLOW,
    training_attendance_record,
    training_cancel,
    training_create,
    training_hold,
    training_material_add,
    training_participant_add,
    training_participant_remove,
    training_score_update,
    training_update,
    validate_material_file,
)

__all__ = [
    "DECLARATION_EDITABLE",
    "FACILITATION_EDITABLE",
    "MATERIAL_TYPES",
    "TRAINING_EDITABLE",
    "TRAINING_WORKFLOW",
    "declaration_attach_document",
    "declaration_create",
    "declaration_signatories_set",
    "declaration_update",
    "facilitation_create",
    "facilitation_update",
    "training_attendance_record",
    "training_cancel",
    "training_create",
    "training_hold",
    "training_material_add",
    "training_participant_add",
    "training_participant_remove",
    "training_score_update",
    "training_update",
    "validate_material_file",
]
