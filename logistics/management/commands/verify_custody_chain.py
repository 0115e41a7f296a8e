"""Check the hash chain of every escort's custody events (or of one escort)."""

from django.core.management.base import BaseCommand, CommandError

from logistics import services
from logistics.models import EscortRequest


class Command(BaseCommand):
    help = ("Recompute the hash chain of custody events of every escort (or --escort NUMBER) and print the "
            "first broken link of each broken chain; exits 1 when any chain is broken.")

    def add_arguments(self, parser):
        parser.add_argument("--escort", metavar="NUMBER", help="one escort's number, e.g. ESC/64.72/2024/000123")

    def handle(self, *args, escort=None, **options):
        escorts = EscortRequest.objects.order_by("id").only("id", "number")
        if escort:
            escorts = escorts.filter(number=escort)
            if not escorts.exists():
                raise CommandError(f"No escort request numbered {escort!r}")
        # Only escorts with events have a chain to check; one escort at a time keeps memory flat.
        escorts = escorts.filter(events__isnull=False).distinct() if not escort else escorts
        checked = broken = events = 0
        for row in escorts.iterator(chunk_size=500):
            report = services.custody_chain_verify(escort=row)
            checked += 1
            events += report.checked
            if not report.ok:
                broken += 1
                self.stdout.write(f"{report.escort}: broken at event {report.broken_at}: {report.problem}")
        self.stdout.write(f"{checked:,} chains checked ({events:,} events), {broken:,} broken")
        if broken:
            raise SystemExit(1)
