"""What the outbox tests share: people with addresses, a fixed sender, a composer."""

import hashlib
from datetime import date, datetime

from django.utils import timezone

from coordination import services
from coordination.models import Clause
from tests.factories import agreement

WITA = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, h=9, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=WITA)


def compose(context):
    return f"Subjek {context['key']}", f"Isi {context['key']}"


def note(user, key, **extra):
    return services.notification_enqueue(recipient=user, kind=extra.pop("kind", "test"), dedupe_key=key,
                                         template=compose, context={"key": key}, **extra)


def expected_message_id(key):
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@example.org>"


def agreement_with_meetings_clause(tree, people, term_start=date(2023, 3, 13), term_end=date(2024, 12, 31)):
    """An agreement in force between KPU Kaltim and Polda Kaltim with a monitored meetings
    clause, a monitored escort clause and one that is not monitored."""
    agencies = {user.agency.code: user.agency for user in people.values()}
    row = agreement(tree["kaltim"], status="active", parties=[agencies["kpu-kaltim"], agencies["polda-kaltim"]],
                    title="PKS KPU-Polda Kaltim", signed_on=term_start, term_start=term_start, term_end=term_end)
    return {
        "meetings": Clause.objects.create(agreement=row, number=3, title="Rapat evaluasi rutin", text="...",
                                          category="evaluation_meetings", expectation_kind="every_days",
                                          evidence_kind="meeting", expectation_value=30),
        "escort": Clause.objects.create(agreement=row, number=8, title="Pengawalan logistik", text="...",
                                        category="escort", expectation_kind="within_hours", evidence_kind="escort",
                                        expectation_value=24),
        "purpose": Clause.objects.create(agreement=row, number=1, title="Maksud", text="...",
                                         category="other"),
    }
