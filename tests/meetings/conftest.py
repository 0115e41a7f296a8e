"""The meetings tests' ground: the province's KPU and Polda organising, on a pinned clock."""

from datetime import datetime

import pytest
from django.utils import timezone

from kpu_polda.base import clock

# Monday 5 Feb 2024, 08:00 WITA: a working morning before the first Monday of March.
NOW = timezone.make_aware(datetime(2024, 2, 5, 8, 0))


def wita(year, month, day, hour=9, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def now():
    with clock.travel_to(NOW):
        yield NOW


@pytest.fixture(autouse=True)
def english():
    """Services' messages read in English here (pages keep their own language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def mailboxes(db, personas):
    """Every persona has an address: reminders are emails."""
    from coordination.models import User

    for user in personas.values():
        user.email = f"{user.username}@example.id"
    User.objects.bulk_update(personas.values(), ["email"])
    return personas


@pytest.fixture
def meeting_clause(tree):
    from datetime import date

    from coordination.models import Agreement, Clause

    agreement = Agreement.objects.create(code="pks-kaltim", title="PKS", region=tree["kaltim"],
                                         signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13), status="active")
    return Clause.objects.create(agreement=agreement, number=3, title="Pertemuan rutin", text="...",
                                 category="evaluation_meetings", expectation_kind="every_days",
                                 evidence_kind="meeting", expectation_value=30)


@pytest.fixture
def monthly(now, agencies, personas, meeting_clause):
    """The monthly KPU-Polda evaluation, first Monday 09:00 WITA, for a year."""
    from meetings import services

    return services.series_create(
        actor=personas["province_staff"], title="Rapat evaluasi bulanan KPU-Polda Kaltim",
        rrule="FREQ=MONTHLY;BYDAY=1MO;COUNT=12", first_start=wita(2024, 3, 4), organiser=agencies["kpu"],
        co_organiser=agencies["polda"], place="Aula KPU Provinsi Kalimantan Timur, Samarinda",
        invited_agencies=[agencies["kpu"], agencies["polda"]])
