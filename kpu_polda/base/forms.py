"""Form support shared by every app: the input rules of kpu_polda.base.validators."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _

from kpu_polda.base import clock, validators
from kpu_polda.base.exceptions import Conflict, DomainError, OutOfScope, PermissionDenied

# The browser's datetime-local input sends "2024-02-13T08:00" with no zone: read in WITA
# (TIME_ZONE), which is what the person typing it means.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
LOCAL_WIDGET_FORMAT = "%Y-%m-%dT%H:%M"

# Fields whose text is read as a number or a date (a model choice by its numeric key).
NUMERIC = (forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateField, forms.DateTimeField,
           forms.TimeField, forms.DurationField, forms.ModelChoiceField)


def harden(field: forms.Field) -> None:
    """Applies the platform's input rules to one (per-form) field instance."""
    if isinstance(field, NUMERIC):
        validators.refuse_foreign_digits(field, "to_python")
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(validators.validate_date_range)
    if isinstance(field, forms.IntegerField) and field.max_value is None:
        field.validators += [MinValueValidator(-validators.BIGINT_MAX - 1), MaxValueValidator(validators.BIGINT_MAX)]
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        multi_line = isinstance(field.widget, forms.Textarea)
        field.validators.append(validators.validate_multi_line if multi_line else validators.validate_single_line)


class StrictFormMixin:
    """A form whose fields hold to the platform's input rules: ASCII digits in numbers,
    dates and keys; dates from 1990 to 2100; no control characters in text (newlines and
    tabs only in a textarea). Text over a field's max_length is refused by the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden(field)


class Form(StrictFormMixin, forms.Form):
    pass


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits within the 64-bit range: for ids and counts typed
    into filters, which are sent to the database as they are."""

    def __init__(self, *, min_value=-validators.BIGINT_MAX - 1, max_value=validators.BIGINT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        validators.check_digits(value)
        if isinstance(value, str) and value.strip() and not value.strip().lstrip("+-").isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def apply_errors(form: forms.BaseForm, exc: ValidationError | DomainError, region_field: str | None = "region") -> None:
    """Show a service's refusal on the form, next to the field it names when it names one.
    An OutOfScope is shown on ``region_field``: the one thing a form can name outside the
    user's scope is a region."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, OutOfScope) and region_field in form.fields:
        form.add_error(region_field, _("Unknown region code, or outside your region."))
    else:
        form.add_error(None, getattr(exc, "message", None) or exc.messages)


def attempt(form: forms.BaseForm, call):
    """Run a form's service call: (its result, ""), or (None, the message of a Conflict,
    shown as a 409), or (None, "") with any other refusal put on the form. A permission
    refusal propagates: the 403 page, as everywhere."""
    try:
        return call(), ""
    except PermissionDenied:
        raise
    except Conflict as exc:
        return None, exc.message
    except (ValidationError, DomainError) as exc:
        apply_errors(form, exc, None)
        return None, ""


class StrictFilterSet(django_filters.FilterSet):
    """A filterset whose form holds to the platform's input rules, as every form does: a
    date out of range or a digit of another script is a 400 with the field's error, not a
    database error."""

    def get_form_class(self):
        return type(f"{type(self).__name__}Form", (StrictFormMixin, super().get_form_class()), {})


def month_param(value: str | None) -> date:
    """The first day of the month a calendar page asks for ("2024-02"), or of the app
    clock's month: a bad value reads as this month (a calendar never answers 400)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1990 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return clock.today().replace(day=1)
