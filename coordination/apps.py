from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        # The kinds this app writes, for the preferences page (the information exchange
        # registers its own at the import of its services module).
        from .services.clause_breaches import KIND as CLAUSE_BREACH
        from .services.notifications import notification_kind_register

        notification_kind_register(CLAUSE_BREACH, _("Agreement clause not being met"))
        from .import_kinds import register as register_import_kinds

        register_import_kinds()
