from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Evaluation meetings")

    def ready(self):
        from coordination import services

        from . import ics
        from .choices import CANCELLED_KIND, MOVED_KIND, REMINDER_KIND

        for kind in (REMINDER_KIND, MOVED_KIND, CANCELLED_KIND):
            services.notification_attachments_register(kind, ics.notification_ics)
