"""Reference data with its sources: election stages, the KPU-Polda agreement, Bawaslu's
IKP thresholds and Kaltim's IKP, and Polri's security patterns. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from coordination.choices import IkpDimension, PolriClass, RegionLevel
from coordination.models import (
    Agency,
    Election,
    IkpDimensionScore,
    IkpScore,
    IkpThreshold,
    Region,
    SecurityPattern,
    User,
)
from coordination.services import agreement_load_json, ikp_category_for, stages_import_csv

IKP_SOURCE = "https://mediakaltim.com/bawaslu-beber-ikp-jelang-pemilu-2024-kaltim-urutan-ke-5-rawan-pelanggaran/?amp"


THRESHOLD_SOURCE = "https://alinea.id/amp/daerah/upaya-polri-jaga-kamtibmas-kalimantan-tengah-saat-pemilu-b2iaR9Ppx"


PATTERN_SOURCE_2024 = (
    "https://benuanta.co.id/index.php/2024/02/11/polisi-petakan-pola-pam-tps-wilayah-sangat-rawan-"
    "terapkan-2-1-2/134515/14/01/15/"
)


PATTERN_SOURCE_2019 = (
    "https://independensi.com/2019/04/16/polri-turunjan-271-880-personel-dan-16-juta-linmas-untuk-"
    "amankan-tps-saat-pencoblosan"
)


# N of 2-N-2N for kurang rawan TPS, set per Polres. Demo values within the reported 3-16.
KURANG_RAWAN_N = {"polres-samarinda": 5, "polres-balikpapan": 6, "polres-mahulu": 3, "polres-kubar": 4}


def reference_seed(*, actor: User) -> dict[str, int]:
    """Stages, the agreement, IKP thresholds and Kaltim's IKP, and the security patterns
    (2024 with Polres overrides, and 2019's for the record). Idempotent."""
    counts = {"stages": stages_import_csv(actor=actor).created}
    agreement_load_json(actor=actor)
    with transaction.atomic():
        for level, high, medium in [(RegionLevel.PROVINCE, "68.50", "21.70"), (RegionLevel.REGENCY, "49.33", "13.47")]:
            if not IkpThreshold.objects.filter(level=level).exists():
                row = IkpThreshold(
                    level=level,
                    valid_from=date(2022, 12, 16),
                    high_from=Decimal(high),
                    medium_from=Decimal(medium),
                    source=THRESHOLD_SOURCE,
                )
                row._history_user = actor
                row.save()
        if not IkpScore.objects.exists():
            # Written directly: seeding is not a person acting within a region's policy.
            kaltim, published = Region.objects.get(code="64"), date(2022, 12, 20)
            ikp = IkpScore(
                region=kaltim,
                election=Election.objects.get(code="pemilu-2024"),
                score=Decimal("77.04"),
                published_on=published,
                source=IKP_SOURCE,
                method_version="IKP 2024",
                category=ikp_category_for(kaltim, Decimal("77.04"), published),
            )
            ikp._history_user = actor
            ikp.save()
            for dimension, value in [
                (IkpDimension.SOCIAL_POLITICAL, "72.70"),
                (IkpDimension.ADMINISTRATION, "100"),
                (IkpDimension.PARTICIPATION, "30.92"),
                (IkpDimension.CONTESTATION, None),
            ]:
                IkpDimensionScore.objects.create(ikp=ikp, dimension=dimension, score=Decimal(value) if value else None)
        if not SecurityPattern.objects.exists():
            patterns = [
                (PolriClass.LOW, 2, 8, 16, None),
                (PolriClass.VULNERABLE, 2, 2, 4, None),
                (PolriClass.VERY_VULNERABLE, 2, 1, 2, None),
                (PolriClass.SPECIAL, 2, 1, 2, None),
            ]
            for cls, police, tps, linmas, unit in patterns:
                SecurityPattern.objects.create(
                    polri_class=cls,
                    police=police,
                    tps=tps,
                    linmas=linmas,
                    police_unit=unit,
                    valid_from=date(2023, 10, 17),
                    source=PATTERN_SOURCE_2024,
                )
            for code, n in KURANG_RAWAN_N.items():
                SecurityPattern.objects.create(
                    polri_class=PolriClass.LOW,
                    police=2,
                    tps=n,
                    linmas=2 * n,
                    police_unit=Agency.objects.get(code=code),
                    valid_from=date(2023, 10, 17),
                    source="nilai demo (N ditetapkan per Polres)",
                )
            for cls, police, tps, linmas in [
                (PolriClass.LOW, 2, 4, 6),
                (PolriClass.VULNERABLE, 4, 2, 8),
                (PolriClass.VERY_VULNERABLE, 6, 2, 8),
            ]:
                SecurityPattern.objects.create(
                    polri_class=cls,
                    police=police,
                    tps=tps,
                    linmas=linmas,
                    valid_from=date(2019, 1, 1),
                    valid_to=date(2019, 12, 31),
                    source=PATTERN_SOURCE_2019,
                )
            counts["patterns"] = SecurityPattern.objects.count()
    return counts
