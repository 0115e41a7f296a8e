from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kpu_polda.base.exceptions import DomainError
from meetings import demo
from meetings.models import ActionItem, Meeting, Minutes
from meetings.selectors import OPEN_ACTION_STATUSES


class Command(BaseCommand):
    help = "Load the meetings demo: the monthly KPU-Polda evaluation since March 2023 (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused in production settings.")
        try:
            created = demo.demo_meetings_seed()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"meetings +{created} (held {Meeting.objects.filter(status='held').count()}, "
            f"to come {Meeting.objects.filter(status__in=['scheduled', 'postponed']).count()}); "
            f"minutes locked {Minutes.objects.exclude(locked_at=None).count()}; "
            f"open follow-ups {ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES).count()}")
