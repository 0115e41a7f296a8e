"""The reads every confirmation makes, on PostgreSQL: each has the index it needs, and
the planner takes it however many events an officer has confirmed."""

from __future__ import annotations

import pytest
from django.db import connection

from logistics import services
from logistics.choices import EventKind, Side
from logistics.models import CustodyEvent
from logistics.services.custody import CHAIN_TAIL_SQL
from tests.conftest import need_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    need_service("PostgreSQL", connection.vendor == "postgresql")


def index_columns(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.relname, array_agg(a.attname ORDER BY k.ord)
            FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE t.relname = %s GROUP BY i.relname""", [table])
        return dict(cursor.fetchall())


def test_the_escort_and_the_officer_are_looked_up_through_the_unique_constraints_alone():
    columns = index_columns(CustodyEvent._meta.db_table)
    assert columns["custody_sequence_unique"] == ["escort_id", "sequence"]
    assert columns["custody_idempotency_unique"] == ["actor_id", "idempotency_key"]
    # A second index on actor_id alone is one the planner took with stale statistics,
    # walking every event of the officer to find one key.
    assert ["actor_id"] not in columns.values() and ["escort_id"] not in columns.values()


def test_an_officer_with_many_events_finds_a_key_through_its_index(make_escort, personas):
    officer = personas["samarinda_police"]
    escort = make_escort("departed")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {CustodyEvent._meta.db_table}")
    tail = escort.events.order_by("-sequence").first()
    # Events added after the statistics were taken, as on a busy election day.
    CustodyEvent.objects.bulk_create(
        CustodyEvent(escort=escort, sequence=tail.sequence + n, kind=EventKind.CHECKPOINT, actor=officer,
                     side=Side.POLICE, signer_name="Iptu Bench", recorded_at=tail.recorded_at,
                     idempotency_key=f"bench-{n}", previous_hash=tail.hash, hash=f"{n:064x}")
        for n in range(1, 2001))

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + CHAIN_TAIL_SQL, [escort.pk, escort.pk, officer.pk, "bench-1999"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "custody_idempotency_unique" in plan, plan
    assert "custody_sequence_unique" in plan, plan
    assert "Seq Scan" not in plan, plan
    # And the service answers the retry from it.
    replay = services.custody_confirm(actor=officer, escort=escort, action="checkpoint", idempotency_key="k-1",
                                      note="Pos Jembatan Mahkota II")
    again = services.custody_confirm(actor=officer, escort=escort, action="checkpoint", idempotency_key="k-1",
                                     note="Pos Jembatan Mahkota II")
    assert again.replayed and again.event.pk == replay.event.pk
