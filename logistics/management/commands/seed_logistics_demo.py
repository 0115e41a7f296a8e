from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from kpu_polda.base.exceptions import DomainError
from logistics import demo
from logistics.choices import EscortStatus
from logistics.models import Discrepancy, EscortRequest


class Command(BaseCommand):
    help = "Load the logistics demo: Pemilu 2024 escorts in Samarinda and Mahakam Ulu (idempotent; after seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused in production settings.")
        try:
            created = demo.demo_escorts_seed()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        by_status = dict(EscortRequest.objects.values_list("status").annotate(n=Count("id")).order_by())
        statuses = ", ".join(f"{status} {by_status.get(status, 0)}" for status in EscortStatus.values)
        self.stdout.write(f"escort requests +{created} ({statuses}); "
                          f"open discrepancies {Discrepancy.objects.filter(status='open').count()}")
