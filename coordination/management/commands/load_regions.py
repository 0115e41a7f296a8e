from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination import services
from kpu_polda.base.exceptions import ImportRejected


class Command(BaseCommand):
    help = ("Load the region tree (regions.csv and GeoJSON boundaries); idempotent, all-or-nothing. "
            "A sample regions.csv: /imports/regions/sample.csv")

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="folder with regions.csv (default: the shipped Kaltim data)")
        parser.add_argument("--actor", help="username recorded in history (default: system)")

    def handle(self, *args, dir=None, actor=None, **options):
        try:
            counts = services.region_import_csv(actor=services.actor_by_username(actor), directory=dir)
        except ImportRejected as exc:
            for line, message in exc.errors:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from exc
        for level, count in counts.items():
            total = sum(count.values())
            self.stdout.write(f"{level:9} {total:6,}  created {count['created']:,}, updated {count['updated']:,}, "
                              f"unchanged {count['unchanged']:,}")
