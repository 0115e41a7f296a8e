"""Each TPS carries its village's code: set on every write path, used by the scope and the
list's order, and on PostgreSQL the province-wide list walks its index without sorting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination import policies
from coordination.models import PollingStation
from tests.conftest import need_service
from tests.factories import PollingStationFactory


def test_a_saved_tps_copies_its_village_code_and_follows_a_move(tree, election):
    tps = PollingStationFactory(election=election, village=tree["sam_kel"], number=1)
    assert PollingStation.objects.get(pk=tps.pk).village_code == "64.72.01.1001"

    tps.village = tree["sam_kel3"]
    tps.save(update_fields=["village"])
    assert PollingStation.objects.get(pk=tps.pk).village_code == "64.72.02.1001"

    by_id = PollingStation(election=election, village_id=tree["bpn_kel"].pk, number=1, voters=10)
    by_id.save()
    assert PollingStation.objects.get(pk=by_id.pk).village_code == "64.71.01.1001"
    assert by_id.history.first().village_code == "64.71.01.1001"


def test_scope_and_order_read_the_copied_code(personas, tree, election):
    for village, number in [("sam_kel3", 1), ("bpn_kel", 1), ("sam_kel", 2), ("sam_kel", 1), ("sam_kel2", 1)]:
        PollingStationFactory(election=election, village=tree[village], number=number)
    seen = policies.scope_polling_stations(PollingStation.objects.order_by("village_code", "number"),
                                           personas["samarinda_operator"])
    assert [(t.village_code, t.number) for t in seen] == [
        ("64.72.01.1001", 1), ("64.72.01.1001", 2), ("64.72.01.1002", 1), ("64.72.02.1001", 1)]


@pytest.mark.postgres
def test_the_province_wide_list_walks_the_index(personas, tree, election, client):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    for village in ("sam_kel", "sam_kel2", "sam_kel3", "bpn_kel"):
        for number in range(1, 151):
            PollingStationFactory(election=election, village=tree[village], number=number)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coordination_pollingstation")
    client.force_login(personas["province_staff"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/polling-stations/?page=11")  # 500 rows before it: read keys first
    assert response.status_code == 200 and response.json()["count"] == 600
    key_read = 'SELECT "coordination_pollingstation"."id" AS "pk"'
    keys = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(key_read)]
    assert len(keys) == 1
    with connection.cursor() as cursor:
        # A tiny table: ask whether the index can serve the query, not which plan is cheaper.
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + keys[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "tps_by_village_code" in plan and "Sort" not in plan and "coordination_region" not in plan, plan
