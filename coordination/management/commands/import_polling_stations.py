from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination import services
from coordination.models import Election, User
from kpu_polda.base.exceptions import DomainError, ImportRejected


class Command(BaseCommand):
    help = ("Import polling stations (TPS) of one election from a CSV file (comma or semicolon, UTF-8); "
            "all-or-nothing. A sample file: /imports/polling-stations/sample.csv")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--election", required=True, help="election code, e.g. pemilu-2024")
        parser.add_argument("--actor", required=True,
                            help="username of the KPU account responsible (their scope applies)")

    def handle(self, *args, file, election, actor=None, **options):
        try:
            target = Election.objects.get(code=election)
        except Election.DoesNotExist as exc:
            raise CommandError(f"Unknown election {election!r}") from exc
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as stream:
                result = services.polling_station_import_csv(
                    actor=User.objects.get(username=actor), election=target, stream=stream,
                )
        except ImportRejected as exc:
            for line, message in exc.errors:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,}")
