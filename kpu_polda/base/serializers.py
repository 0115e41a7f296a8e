"""Serializer support shared by every app's API."""

from __future__ import annotations

import copy
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import Field

from kpu_polda.base import validators


class PlainRowsMixin:
    """Renders rows exactly as DRF does, for long read-only lists of plain values.

    A ModelSerializer builds its fields from the model on every request, and DRF reads
    each value through a helper that checks every step of a dotted source for a mapping
    and a callable: on the TPS list that cost more than the values themselves. Here the
    fields are built once per class, each value is read with ``getattr`` along its source
    and rendered by its own field's ``to_representation``, so the output is DRF's. Only
    fields whose rendering does not depend on the request take this path (PLAIN_FIELDS,
    with DRF's own attribute lookup); a serializer with any other field is rendered by
    DRF, and so is a row where a dotted source runs into None.

    A list can go further and read its page as values, not model instances (building
    five instances per TPS, four of them regions, was a fifth of the TPS list):
    ``value_lookups()`` names the ORM lookups of every field, or is None when some field
    is not a plain column path; ``to_representation`` then takes the dict of those
    lookups. A dotted path that runs into NULL renders as DRF renders a missing related
    object, so only paths whose last column cannot be NULL are read this way.
    """

    PLAIN_FIELDS = (serializers.BigIntegerField, serializers.BooleanField, serializers.CharField,
                    serializers.ChoiceField, serializers.DecimalField, serializers.IntegerField,
                    serializers.SlugRelatedField)

    @classmethod
    def _plain_plan(cls) -> list | None:
        if "_plan" not in cls.__dict__:
            plan: list | None = []
            for field in cls().fields.values():
                if field.write_only:
                    continue
                own_lookup = type(field).get_attribute not in (Field.get_attribute,
                                                                serializers.RelatedField.get_attribute)
                if type(field) not in cls.PLAIN_FIELDS or own_lookup:
                    plan = None
                    break
                plan.append((field.field_name, tuple(field.source_attrs), field.to_representation, field))
            cls._plan = plan
        return cls._plan

    @classmethod
    def value_lookups(cls) -> list[str] | None:
        """The ORM lookups a values() row needs for this serializer, or None."""
        if "_lookups" not in cls.__dict__:
            cls._lookups, cls._value_plan = cls._build_value_plan()
        return cls._lookups

    @classmethod
    def _build_value_plan(cls):
        plan = cls._plain_plan()
        if plan is None:
            return None, None
        lookups, value_plan = [], []
        for name, source, represent, field in plan:
            path = list(source)
            if isinstance(field, serializers.SlugRelatedField):
                path.append(field.slug_field)
                represent = _as_is  # the slug is the value itself
            column = _column_at(cls.Meta.model, path)
            if column is None or (len(path) > 1 and column.null):
                return None, None
            lookup = "__".join(path)
            lookups.append(lookup)
            value_plan.append((name, lookup, len(path) > 1, represent, field))
        return lookups, value_plan

    def to_representation(self, instance):
        if isinstance(instance, dict):
            return self._represent_values(instance)
        plan = self._plain_plan()
        if plan is None:
            return super().to_representation(instance)
        row = {}
        for name, source, represent, _field in plan:
            value = instance
            for attr in source:
                if value is None:  # DRF skips or nulls such a field: let it decide
                    return super().to_representation(instance)
                value = getattr(value, attr)
            row[name] = None if value is None else represent(value)
        return row

    def _represent_values(self, values: dict) -> dict:
        type(self).value_lookups()
        row = {}
        for name, lookup, dotted, represent, field in type(self)._value_plan:
            value = values[lookup]
            if value is None and dotted:
                # The related row is missing (the column itself is never NULL): what DRF
                # does when the attribute lookup fails: the default, a null, or no key.
                if field.default is not serializers.empty:
                    row[name] = field.get_default()
                elif field.allow_null:
                    row[name] = None
                continue
            row[name] = None if value is None else represent(value)
        return row


class FieldsBuiltOnceMixin:
    """For a read-only ModelSerializer whose fields do not depend on the request: the
    fields are built from the model once per class and each instance gets copies, as a
    plain Serializer's declared fields are copied. Building them anew for every answer
    was a sixth of a custody confirmation's cost."""

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)


def _as_is(value):
    return value


def _column_at(model, path: list[str]):
    """The concrete field at the end of ``path`` (attribute names from ``model``), or None."""
    field = None
    for index, name in enumerate(path):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False):
            return None
        if index < len(path) - 1:
            if not field.is_relation or field.many_to_many:
                return None
            model = field.related_model
    return None if field is None or field.is_relation else field


class ScopedChoicesMixin:
    """A related field whose choices (the browsable API's select) are the rows the
    request's user may see, through the app's policy ``scope(queryset, user)``.

    Only the offer is scoped: a value outside the scope still reaches the service, which
    answers it as everywhere else (OutOfScope, a 404, the same as a missing row).
    """

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_choices(self, cutoff=None):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        queryset = self.get_queryset()
        queryset = self.scope(queryset, user) if user is not None else queryset.none()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {self.to_representation(item): self.display_value(item) for item in queryset}


class ScopedPrimaryKeyRelatedField(ScopedChoicesMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedChoicesMixin, serializers.SlugRelatedField):
    pass


# --- input rules (kpu_polda.base.validators) -----------------------------------------

# Fields whose text is read as a number, a date or a numeric key.
NUMERIC_FIELDS = (serializers.IntegerField, serializers.FloatField, serializers.DecimalField,
                  serializers.DateField, serializers.DateTimeField, serializers.TimeField,
                  serializers.DurationField, serializers.PrimaryKeyRelatedField)


def harden(field) -> None:
    """Applies the platform's input rules to one (per-serializer) writable field."""
    if field.read_only:
        return
    if isinstance(field, NUMERIC_FIELDS):
        validators.refuse_foreign_digits(field, "to_internal_value")
    if isinstance(field, serializers.DateField | serializers.DateTimeField):
        field.validators.append(validators.validate_date_range)
    if isinstance(field, serializers.IntegerField) and field.max_value is None:
        field.validators += [MinValueValidator(-validators.BIGINT_MAX - 1), MaxValueValidator(validators.BIGINT_MAX)]
    if isinstance(field, serializers.CharField) and field.style.get("input_type") != "password":
        multi_line = field.style.get("base_template") == "textarea.html"
        field.validators.append(validators.validate_multi_line if multi_line else validators.validate_single_line)


class StrictInputMixin:
    """A serializer whose input holds to the platform's rules: ASCII digits in numbers,
    dates and keys; dates from 1990 to 2100; whole numbers within 64 bits; no control
    characters in text (newlines and tabs only in multi-line text, a model TextField or
    a field styled as a textarea). Text over max_length is refused by the field itself
    (ModelSerializer takes max_length from the model; declared fields must state it)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            harden(field)
        return fields


# DRF's own wording reaches the user in English (and names Python types): the project's
# words instead, translated like the rest of the answer.
NOT_AN_OBJECT = _("Send an object with the fields (a JSON dictionary), not a {datatype}.")
NOT_A_LIST = _("Send a list (a JSON array).")
# Sent by the browsable API's HTML form with every post.
FORM_KEYS = {"csrfmiddlewaretoken"}


class ObjectInput:
    """An input serializer whose "not an object" error is in the project's words."""

    default_error_messages = {"invalid": NOT_AN_OBJECT}


class ExactObjectInput(ObjectInput):
    """An input that also refuses what it does not take: an unknown field, or one that is
    only read (an ``id``, a ``status``), each as a field error, so a misspelt field is an
    error rather than silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            fields = self.fields
            errors = {name: [_("Unknown field.") if name not in fields else _("Not editable here.")]
                      for name in data if name not in FORM_KEYS and (name not in fields or fields[name].read_only)}
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class InputSerializer(StrictInputMixin, serializers.Serializer):
    pass


class InputModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    pass
