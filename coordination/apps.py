from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _sync(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures load rows as they are
        return
    from coordination.services.agreements import clause_evidence_sync

    clause_evidence_sync(source=instance, actor=getattr(instance, "_history_user", None))


def _forget(sender, instance, **kwargs):
    from coordination.services.agreements import clause_evidence_forget

    clause_evidence_forget(source=instance)


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from coordination.models import ClauseActivity

        # Every activity model that declares a clause link gets its evidence kept in step.
        for model in apps.get_models():
            if issubclass(model, ClauseActivity):
                post_save.connect(_sync, sender=model, dispatch_uid=f"clause-evidence-{model._meta.label}")
                post_delete.connect(_forget, sender=model, dispatch_uid=f"clause-forget-{model._meta.label}")
