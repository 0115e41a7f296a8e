"""History of one object for its page: who changed what, when (django-simple-history).

Every historical record is dated on the app's clock (kpu_polda.base.clock), so a demo or
drill shows its own time: models declare ``HistoricalRecords`` from here, and bulk writes
use the bulk helpers from here. Values are shown the way the page shows them: choice
labels, the related object's name, Ya/Tidak, moments in WITA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history import models as history_models
from simple_history import utils as history_utils
from simple_history.manager import HistoryDescriptor
from simple_history.template_utils import HistoricalRecordContextHelper

from kpu_polda.base import clock
from kpu_polda.base.templatetags.moments import moment_text

KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

# What transition() wrote as the change reason before reasons were rendered at display
# time: "open -> mitigating". Still shown with labels for rows recorded that way.
_STORED_MOVE = re.compile(r"^(\S+) -> (\S+)$")


class HistoricalRecords(history_models.HistoricalRecords):
    """simple-history's HistoricalRecords, dating each record on the app's clock.

    A caller's own ``instance._history_date`` still wins; it is set only for the record
    being written, so a later save of the same instance gets its own moment.
    """

    def create_historical_record(self, instance, history_type, using=None):
        if hasattr(instance, "_history_date"):
            return super().create_historical_record(instance, history_type, using=using)
        instance._history_date = clock.now()
        try:
            return super().create_historical_record(instance, history_type, using=using)
        finally:
            del instance._history_date


def bulk_create_with_history(objs, model, **kwargs):
    """simple-history's bulk_create_with_history, its records dated on the app's clock."""
    kwargs.setdefault("default_date", clock.now())
    return history_utils.bulk_create_with_history(objs, model, **kwargs)


def bulk_update_with_history(objs, model, fields, **kwargs):
    """simple-history's bulk_update_with_history, its records dated on the app's clock."""
    kwargs.setdefault("default_date", clock.now())
    return history_utils.bulk_update_with_history(objs, model, fields, **kwargs)


def display_value(model_field, value):
    """``value`` of ``model_field`` as a page shows it (a related object is shown by str)."""
    if value is None or value == "":
        return "—"
    if getattr(model_field, "flatchoices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return moment_text(value, with_relative=False)
    if isinstance(value, date):
        return dateformat.format(value, "j M Y")
    return value


def reason_display(model, reason: str) -> str:
    """A change reason as people read it: a stored "open -> mitigating" with its labels."""
    match = _STORED_MOVE.match(reason or "")
    if match:
        for model_field in model._meta.concrete_fields:
            labels = dict(model_field.flatchoices or ())
            if match[1] in labels and match[2] in labels:
                return f"{labels[match[1]]} → {labels[match[2]]}"
    return reason or ""


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    reason: str = ""


def history_entries(obj, limit: int = 20) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``obj``, newest first: two queries, plus one per
    related model whose link changed (to name the objects)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    raw = []
    related_ids: dict[type[models.Model], set] = {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                model_field = obj._meta.get_field(change.field)
                changes.append((model_field, change.old, change.new))
                if model_field.is_relation and model_field.many_to_one:
                    related_ids.setdefault(model_field.related_model, set()).update(
                        v for v in (change.old, change.new) if v is not None)
        raw.append((record, changes))
    named = {related: related._base_manager.in_bulk(ids) for related, ids in related_ids.items()}

    def shown(model_field, value):
        if model_field.is_relation and model_field.many_to_one and value is not None:
            return str(named[model_field.related_model].get(value, value))
        return display_value(model_field, value)

    entries = []
    for record, changes in raw:
        user = record.history_user
        entries.append(HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.username) if user else "—",
            kind=str(KIND.get(record.history_type, record.history_type)),
            changes=[(str(f.verbose_name), shown(f, old), shown(f, new)) for f, old, new in changes],
            reason=reason_display(obj, record.history_change_reason),
        ))
    return entries


class HistoryContextHelper(HistoricalRecordContextHelper):
    """The admin's history page showing values the way pages do (labels, Ya/Tidak, WITA)."""

    def prepare_delta_change_value(self, change, value):
        model_field = self.model._meta.get_field(change.field)
        if model_field.is_relation:
            return super().prepare_delta_change_value(change, value)
        return display_value(model_field, value)


class _OneManagerClassDescriptor(HistoryDescriptor):
    """``obj.history`` with its manager class built once.

    django-simple-history's descriptor builds a new manager class
    (``Manager.from_queryset``, which walks the queryset class with ``inspect``) on every
    access, and it reads ``instance.history`` itself for every historical record it
    writes: profiled on the risk review POST, that was a tenth of the request. The class
    it builds is the same every time, so it is built here once per model.
    """

    def __init__(self, original: HistoryDescriptor):
        super().__init__(original.model, manager=original.manager_class, queryset=original.queryset_class)
        self._manager = original.manager_class.from_queryset(original.queryset_class)

    def __get__(self, instance, owner):
        return self._manager(self.model, instance)


def build_history_managers_once() -> None:
    """Swap every tracked model's history descriptor for _OneManagerClassDescriptor."""
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, _OneManagerClassDescriptor(descriptor))
