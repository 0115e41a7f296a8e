"""Two people of the receiving side acknowledging the same entry at the same moment, on
PostgreSQL with a connection each: the row lock serialises them, so exactly one
acknowledgement is recorded and the other is told it was already done."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from coordination.models import ExchangeStatusChange, InformationExchange
from coordination.services import exchange as services
from kpu_polda.base.exceptions import Conflict
from tests.conftest import need_service
from tests.coordination.exchange_factories import entry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True),
              pytest.mark.xdist_group("exchange-concurrency")]


@pytest.fixture(autouse=True)
def _postgres_only():
    need_service("PostgreSQL", connection.vendor == "postgresql")


def test_two_concurrent_acknowledgements_record_one(agencies, personas):
    row = entry(agencies, personas)
    people = [personas["samarinda_police"], personas["secretariat"]]
    start = threading.Barrier(2)
    results: list = [None, None]

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = services.exchange_acknowledge(actor=people[index], exchange=row)
        except Exception as exc:  # noqa: BLE001 (the test inspects what each thread met)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    won = [r for r in results if isinstance(r, InformationExchange)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == "already_acknowledged"
    stored = InformationExchange.objects.get(pk=row.pk)
    assert stored.acknowledged_by == won[0].acknowledged_by
    assert ExchangeStatusChange.objects.filter(exchange=row).count() == 1
