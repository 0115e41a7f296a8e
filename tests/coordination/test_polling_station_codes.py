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
    user = personas["province_staff"]
    client.force_login(user)
    url = "/api/v1/polling-stations/"
    for _ in range(10):  # to the 11th page, 500 rows before it
        url = client.get(url).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and len(response.json()["results"]) == 50
    tps_reads = [q["sql"] for q in queries.captured_queries if 'FROM "coordination_pollingstation"' in q["sql"]]
    # One read, from the cursor on (the EXPLAIN of it: tests/coordination/test_tps_keyset.py); nothing counted.
    assert len(tps_reads) == 1 and "OFFSET" not in tps_reads[0] and "COUNT(" not in tps_reads[0]

    province = _plan(_walk(user), bitmap=False)
    assert "tps_by_village_code" in province and "Sort" not in province and "coordination_region" not in province
    # A regency's walk starts at its prefix (an index range), not at the first TPS of the
    # province: the column is collated "C" whatever the database's collation.
    regency = _plan(_walk(personas["samarinda_operator"]))
    assert "Index Cond" in regency and "64.72." in regency, regency
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns "
                       "WHERE table_name = 'coordination_pollingstation' AND column_name = 'village_code'")
        assert cursor.fetchone() == ("C",)


def _walk(user):
    ordered = PollingStation.objects.order_by("village_code", "number", "election_id")
    return policies.scope_polling_stations(ordered, user).values("pk")[500:550]


def _plan(queryset, *, bitmap: bool = True) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table: ask whether the index can serve the walk, not which plan is cheaper.
        # Without ``bitmap``, bitmap scans too: on a table that earlier tests left dead rows
        # in, a bitmap scan and a sort can cost less than the ordered walk asked about.
        cursor.execute("SET enable_seqscan = off")
        if not bitmap:
            cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def test_a_village_set_by_id_on_a_read_tps_is_copied(tree, election):
    PollingStationFactory(election=election, village=tree["sam_kel"], number=1)
    tps = PollingStation.objects.select_related("village").get()
    tps.village_id = tree["bpn_kel"].pk
    tps.save(update_fields=["village_id"])
    assert PollingStation.objects.get().village_code == "64.71.01.1001"


def test_the_admin_does_not_rename_a_region(personas, tree, client):
    """A region's code is its identity (and each TPS's copy of it): read-only once saved."""
    secretariat = personas["secretariat"]
    secretariat.is_superuser = True
    secretariat.save(update_fields=["is_superuser"])
    client.force_login(secretariat)
    village = tree["bpn_kel"]
    page = client.get(f"/admin/coordination/region/{village.pk}/change/").content.decode()
    assert 'name="code"' not in page
    client.post(f"/admin/coordination/region/{village.pk}/change/",
                {"code": "64.72.01.1009", "name": village.name, "level": village.level, "kind": village.kind,
                 "parent": tree["sam_kec"].pk})
    village.refresh_from_db()
    assert village.code == "64.71.01.1001"
