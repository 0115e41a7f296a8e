from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Evaluation meetings")

    def ready(self):
        from coordination import services

        from . import ics
        from .choices import (
            ACTION_DUE_KIND,
            ACTION_OVERDUE_KIND,
            APPROVAL_KIND,
            CANCELLED_KIND,
            MINUTES_DUE_KIND,
            MOVED_KIND,
            REMINDER_KIND,
        )

        for kind in (REMINDER_KIND, MOVED_KIND, CANCELLED_KIND):
            services.notification_attachments_register(kind, ics.notification_ics)
        # The kinds this app writes to the outbox, for everyone's preferences page.
        for kind, label in ((REMINDER_KIND, _("Meeting reminder")), (MOVED_KIND, _("Meeting moved")),
                            (CANCELLED_KIND, _("Meeting cancelled")), (MINUTES_DUE_KIND, _("Minutes to write")),
                            (APPROVAL_KIND, _("Minutes awaiting your approval")),
                            (ACTION_DUE_KIND, _("Follow-up due soon")), (ACTION_OVERDUE_KIND, _("Follow-up overdue"))):
            services.notification_kind_register(kind, label)
