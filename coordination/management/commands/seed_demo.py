from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from coordination import demo, services
from coordination.demo import activities, exchange, facilities
from coordination.demo.outbox import demo_outbox_settle
from coordination.models import Agency, PollingStation, Region
from kpu_polda.base.exceptions import DomainError


class Command(BaseCommand):
    help = "Load Kaltim's regions, elections, agencies, demo accounts and Pemilu 2024 TPS (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused in production settings; use load_regions and the admin.")
        actor = services.system_actor()
        try:
            if not Region.objects.exists():
                services.region_import_csv(actor=actor)
            elections = demo.elections_seed(actor=actor)
            agencies = demo.agencies_seed(actor=actor)
            users = demo.demo_users_seed(actor=actor)
            stations = demo.demo_polling_stations_generate(actor=actor)
            reference = demo.reference_seed(actor=actor)
            classified = demo.demo_tps_classify(actor=actor)
            risks = demo.demo_risks_and_evidence(actor=actor)
            cooperation = sum(subject.seed(actor=actor) for subject in (exchange, facilities, activities))
            demo_outbox_settle()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        totals = PollingStation.objects.aggregate(voters=Sum("voters"))
        self.stdout.write(
            f"regions {Region.objects.count():,}; elections +{elections}; agencies {Agency.objects.count()} "
            f"(+{agencies}); demo accounts +{users}; TPS {PollingStation.objects.count():,} (+{stations:,}), "
            f"voters {totals['voters'] or 0:,}; stages +{reference['stages']}; TPS classified +{classified:,}; "
            f"demo risks +{risks}; cooperation records +{cooperation}"
        )
