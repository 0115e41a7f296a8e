from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base import clock


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose ``auto_now``/``auto_now_add`` take the moment from the app's
    clock (kpu_polda.base.clock), so a demo or drill records its own time, not the real one.

    Migrations see a plain DateTimeField: only the value written differs, not the column.
    """

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


def keep_code_copy(instance: models.Model, relation: str, copy_field: str, save_kwargs: dict) -> None:
    """Before a save: set ``copy_field`` to the ``code`` of the row the foreign key
    ``relation`` points at now, and add it to ``update_fields`` when the key is saved.

    For tables scoped and ordered by a region code without a join (a TPS's village code,
    an escort's region code). The code comes from the related object when it is the one
    assigned, else it is read (the key may have been set directly, and Django then drops
    the cached object).
    """
    key = instance._meta.get_field(relation)
    pk = getattr(instance, key.attname)
    cached = instance._state.fields_cache.get(relation)
    if cached is not None and cached.pk == pk:
        setattr(instance, copy_field, cached.code)
    elif pk is not None:
        setattr(instance, copy_field, key.related_model._default_manager.values_list("code", flat=True).get(pk=pk))
    fields = save_kwargs.get("update_fields")
    if fields is not None and {relation, key.attname} & set(fields):
        save_kwargs["update_fields"] = {*fields, copy_field}


class TimeStampedModel(models.Model):
    """Creation and last-change moments (app clock); who made a change lives in the history table."""

    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One move of a workflow's row from one status to another: who moved it, when, why.

    Each workflow has a concrete subclass with a foreign key to its row; the one
    transition service (kpu_polda.base.transitions) writes it.
    """

    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]
