"""The one transition service every workflow uses to move a row to a new status.

An app declares its workflow once (the model, its transition table, its status-change
model) and its own transition service wraps ``transition()`` with the rules only it
knows: the policy check and any precondition, passed as ``check``. The sequence itself
(lock, table, fields, validation, save, status-change row, history naming the actor,
after-commit work) lives here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kpu_polda.base import clock
from kpu_polda.base.exceptions import TransitionNotAllowed
from kpu_polda.base.queries import one_in_scope


def ensure_transition(table: Mapping[str, set[str]], current: str, target: str, *, what: str | Promise,
                      labels: Mapping[str, Any] | None = None) -> None:
    """Raise TransitionNotAllowed unless ``table`` lets ``current`` move to ``target``."""
    if target not in table.get(current, set()):
        labels = labels or {}
        raise TransitionNotAllowed(
            _("A %(what)s cannot move from %(current)s to %(target)s.") % {
                "what": what, "current": labels.get(current, current), "target": labels.get(target, target)})


@dataclass(frozen=True)
class Workflow:
    """One workflow's declaration: which rows move, along which table, recorded where.

    ``change_model`` is a concrete kpu_polda.base.models.StatusChange whose foreign key
    to the row is ``subject_field``. ``clean_exclude`` names fields full_clean must skip
    (generated columns). ``lock_related`` names the relations the policy check reads, so
    the locked read fetches them in the same query (only the row itself is locked), and
    ``lock_defer`` the heavy columns it need not load (region outlines). ``scope`` is the
    app's read policy ``(queryset, user) -> queryset``: the locked read goes through it, so
    a row outside the actor's scope reads as missing (404) and a caller may hand over a
    bare reference (``Model(pk=...)``) instead of looking the row up first.
    """

    model: type[models.Model]
    table: Mapping[str, set[str]]
    change_model: type[models.Model]
    subject_field: str
    what: str | Promise
    status_field: str = "status"
    clean_exclude: tuple[str, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)
    lock_related: tuple[str, ...] = ()
    lock_defer: tuple[str, ...] = ()
    scope: Callable[[models.QuerySet, Any], models.QuerySet] | None = None

    def allowed(self, current: str) -> set[str]:
        """The statuses ``current`` may move to (for forms offering only possible moves)."""
        return set(self.table.get(current, set()))


def transition(workflow: Workflow, obj: models.Model, *, actor, to_status: str, reason: str = "",
               changes: Mapping[str, Any] | None = None,
               check: Callable[[models.Model], None] | None = None,
               rules: Callable[[models.Model, str], None] | None = None,
               after_commit: Iterable[Callable[[models.Model, models.Model], None]] = ()) -> models.Model:
    """Move ``obj`` to ``to_status`` on behalf of ``actor`` and return the locked, saved row.

    Inside one transaction: lock the row (SELECT ... FOR UPDATE, so two concurrent moves
    are serialised and the second sees the first's result), run ``check(locked)`` (the
    app's policy: may this actor touch this row at all; the locked read goes through the
    workflow's ``scope`` too, and a trusted caller such as a loader, passing no ``check``,
    skips both), check the table
    (TransitionNotAllowed, a 409, with a reason), run ``rules(locked, from_status)`` (the
    app's conditions on an allowed move, e.g. a reason to reopen), set the status and
    ``changes``, validate (ValidationError, nothing saved),
    save with ``update_fields``, write the status-change row and the history entry naming
    the actor, and register ``after_commit`` callbacks (notifications, tasks), which run
    only once the move is committed.
    """
    changes = dict(changes or {})
    reason = reason.strip()
    with transaction.atomic():
        rows = workflow.model._default_manager.select_for_update(of=("self",))
        if workflow.lock_related:
            rows = rows.select_related(*workflow.lock_related).defer(*workflow.lock_defer)
        if workflow.scope is not None and check is not None:
            rows = workflow.scope(rows, actor)
        locked = one_in_scope(rows, workflow.what, pk=obj.pk)  # deleted meanwhile: as if never seen
        if check is not None:
            check(locked)
        current = getattr(locked, workflow.status_field)
        ensure_transition(workflow.table, current, to_status, what=workflow.what, labels=workflow.labels)
        if rules is not None:
            rules(locked, current)
        setattr(locked, workflow.status_field, to_status)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=list(workflow.clean_exclude))
        locked._history_user = actor
        # Only the person's own words are stored: the move itself is in the record's status
        # and is shown with its labels, in the reader's language (kpu_polda.base.history).
        # The history column holds 100 characters; the status-change row keeps the whole reason.
        locked._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
        fields = [workflow.status_field, *changes]
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            fields.append("updated_at")
        locked.save(update_fields=fields)
        change = workflow.change_model(**{workflow.subject_field: locked}, from_status=current, to_status=to_status,
                                       reason=reason, changed_by=actor, changed_at=clock.now())
        change._history_user = actor
        change.save()
        for callback in after_commit:
            transaction.on_commit(lambda callback=callback: callback(locked, change))
    return locked
