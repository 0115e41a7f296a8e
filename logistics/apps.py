from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics escort")

    def ready(self):
        # The kinds this app writes to the outbox, for everyone's preferences page.
        from coordination import services

        from .services.notices import ALERT, DISCREPANCY, INCIDENT

        services.notification_kind_register(DISCREPANCY, _("Discrepancy found on an escort"))
        services.notification_kind_register(INCIDENT, _("Incident reported on an escort"))
        services.notification_kind_register(ALERT, _("Escort running late (SLA alert)"))
