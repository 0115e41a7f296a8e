"""History of one object for its page: who changed what, when (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryDescriptor

KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


def history_entries(obj, limit: int = 20) -> list[HistoryEntry]:
    """The latest ``limit`` changes of ``obj``, newest first: two queries at most."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                label = obj._meta.get_field(change.field).verbose_name
                changes.append((str(label), change.old, change.new))
        user = record.history_user
        entries.append(HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.username) if user else "—",
            kind=str(KIND.get(record.history_type, record.history_type)),
            changes=changes,
        ))
    return entries


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
