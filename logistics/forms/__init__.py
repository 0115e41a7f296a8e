"""The logistics pages' forms. They only read and check input; the services decide."""

from .requests import EscortRequestForm, ItemFormSet, PlanForm
from .steps import PHOTO_CONTENT_TYPES, PHOTO_TYPES, ConfirmForm, ResolveForm, StepForm

__all__ = ["PHOTO_CONTENT_TYPES", "PHOTO_TYPES", "ConfirmForm", "EscortRequestForm", "ItemFormSet", "PlanForm",
           "ResolveForm", "StepForm"]
