from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change moments; who made a change lives in the history table."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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
