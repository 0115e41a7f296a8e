from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coordination.choices import RegionLevel
from coordination.models import Election, ElectionStage, Region, User
from kpu_polda.base.exceptions import DomainError
from logistics import services


class Command(BaseCommand):
    help = ("Plan the outbound escort legs (warehouse -> PPK -> PPS -> TPS) of one kab/kota for one election "
            "from its TPS register; running it again creates only what is missing.")

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, help="election code, e.g. pemilu-2024")
        parser.add_argument("--regency", required=True, help="Kemendagri code of the kab/kota, e.g. 64.72")
        parser.add_argument("--stage", type=int, help="id of the election stage the legs belong to")
        parser.add_argument("--as", dest="actor",
                            help="username of the KPU account responsible (its scope applies; required: "
                                 "the system account raises no escort requests)")

    def handle(self, *args, election, regency, stage=None, actor=None, **options):
        if not actor:
            raise CommandError("Name the KPU account that plans with --as USERNAME (its scope applies).")
        try:
            user = User.objects.get(username=actor)
        except User.DoesNotExist as exc:
            raise CommandError(f"Unknown user {actor!r}") from exc
        try:
            target = Election.objects.get(code=election)
        except Election.DoesNotExist as exc:
            raise CommandError(f"Unknown election {election!r}") from exc
        try:
            region = Region.objects.defer("boundary").get(code=regency, level=RegionLevel.REGENCY)
        except Region.DoesNotExist as exc:
            raise CommandError(f"Unknown kab/kota {regency!r}") from exc
        phase = None
        if stage is not None:
            phase = ElectionStage.objects.filter(pk=stage).first()
            if phase is None:
                raise CommandError(f"Unknown stage {stage}")
        try:
            result = services.escort_plan_outbound(actor=user, election=target, regency=region, stage=phase)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{region.code} {region.name}: {result.created:,} legs created ({result.items:,} items), "
                          f"{result.existing:,} already planned")
