"""The TPS lists page by cursor (kpu_polda.base.keyset): in the API and on the page, every
TPS comes exactly once and in order, filters hold across pages, a deep page reads like
the first (a row comparison, no OFFSET, nothing counted), and a damaged cursor or an old
page number never breaks the list."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from coordination.models import Election, PollingStation, Region
from kpu_polda.base.drf import KeysetPagination
from kpu_polda.base.keyset import InvalidCursor, KeysetPaginator, RowComparison
from tests.conftest import need_service
from tests.factories import ElectionFactory

API = "/api/v1/polling-stations/"
KEY = ("village_code", "number", "election_id", "id")
# How PostgreSQL's plan shows the page's condition on the index (the column cast to text).
KEY_CONDITION = r"Index Cond: .*ROW\(\(?village_code\)?(::text)?, number, election_id, id\) [<>] ROW\("
ROW_COMPARISON = ('("coordination_pollingstation"."village_code", "coordination_pollingstation"."number", '
                  '"coordination_pollingstation"."election_id", "coordination_pollingstation"."id") > (')


def _add_stations(tree, elections, villages, numbers) -> None:
    """TPS in bulk, as the imports write them (the village's code copied onto each)."""
    PollingStation.objects.bulk_create([
        PollingStation(election=election, village=tree[village], village_code=tree[village].code, number=number,
                       voters=200 + number, address=f"Jalan {village} {number}")
        for election in elections for village in villages for number in numbers])


@pytest.fixture
def second_election(db):
    return ElectionFactory(code="pilkada-2024", name="Pilkada 2024")


@pytest.fixture
def many(tree, election, second_election):
    """23 TPS of two elections in four villages, created out of the list's order."""
    _add_stations(tree, [second_election, election], ["sam_kel3", "bpn_kel"], [3, 1, 2])
    _add_stations(tree, [election, second_election], ["sam_kel", "sam_kel2"], [2, 1])
    _add_stations(tree, [election], ["sam_kel"], [3, 4, 5])
    return PollingStation.objects.count()


def _in_order(**filters) -> list[int]:
    return list(PollingStation.objects.filter(**filters).order_by(*KEY).values_list("pk", flat=True))


def _walk_api(client, url, **params) -> tuple[list[list[int]], list[dict]]:
    """Every page by the ``next`` links: the ids of each page, and each answer."""
    pages, answers = [], []
    body = client.get(url, params).json()
    while True:
        assert set(body) == {"next", "previous", "results"}, body
        pages.append([row["id"] for row in body["results"]])
        answers.append(body)
        if body["next"] is None:
            return pages, answers
        assert len(pages) < 100, "the walk does not end"
        body = client.get(body["next"]).json()


# --- the API ------------------------------------------------------------------------------


def test_walking_the_api_by_cursor_returns_every_tps_once_in_order(many, personas, api_for):
    client = api_for(personas["province_staff"])
    pages, answers = _walk_api(client, API, page_size=5)
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert [pk for page in pages for pk in page] == _in_order()
    assert answers[0]["previous"] is None and all(answer["previous"] for answer in answers[1:])
    assert all("page_size=5" in answer["next"] for answer in answers[:-1])


def test_the_filters_hold_across_the_pages(many, personas, api_for, second_election):
    client = api_for(personas["province_staff"])
    pages, answers = _walk_api(client, API, page_size=2, region="64.72", election=second_election.code)
    expected = _in_order(village_code__startswith="64.72.", election=second_election)
    assert len(expected) == 7 and [pk for page in pages for pk in page] == expected
    for answer in answers[:-1]:
        query = parse_qs(urlsplit(answer["next"]).query)
        assert query["region"] == ["64.72"] and query["election"] == [second_election.code]
    # The scope holds too: a Samarinda operator walks Samarinda alone.
    own, _ = _walk_api(api_for(personas["samarinda_operator"]), API, page_size=4)
    assert [pk for page in own for pk in page] == _in_order(village_code__startswith="64.72.")


def test_previous_links_walk_back_over_the_same_pages(many, personas, api_for):
    client = api_for(personas["province_staff"])
    forward, answers = _walk_api(client, API, page_size=4)
    backward, body = [], answers[-1]
    while body["previous"] is not None:
        body = client.get(body["previous"]).json()
        backward.append([row["id"] for row in body["results"]])
    assert backward == forward[-2::-1]
    assert body["next"] is not None  # back on the first page, which links forward again


def test_rows_added_between_pages_are_neither_skipped_nor_repeated(many, personas, api_for, tree, election):
    client = api_for(personas["province_staff"])
    first = client.get(API, {"page_size": 10}).json()
    seen = [row["id"] for row in first["results"]]
    # One TPS before the cursor (not shown: its page was read), one after it (shown).
    _add_stations(tree, [election], ["bpn_kel"], [4])
    _add_stations(tree, [election], ["sam_kel3"], [9])
    pages, _ = _walk_api(client, first["next"])
    seen += [pk for page in pages for pk in page]
    expected = _in_order()
    before = PollingStation.objects.get(village_code="64.71.01.1001", number=4).pk
    assert before in expected[:10]
    assert len(seen) == len(set(seen)) and seen == [pk for pk in expected if pk != before]


@pytest.mark.parametrize("damage", [
    lambda cursor: "nonsense",
    lambda cursor: cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),  # the signature
    lambda cursor: cursor[:5] + ("A" if cursor[5] != "A" else "B") + cursor[6:],  # the key itself
    lambda cursor: cursor + "x" * 1000,
])
def test_a_damaged_cursor_is_a_400_on_the_cursor(many, personas, api_for, damage):
    client = api_for(personas["province_staff"])
    cursor = parse_qs(urlsplit(client.get(API, {"page_size": 5}).json()["next"]).query)["cursor"][0]
    response = client.get(API, {"cursor": damage(cursor)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == ["cursor"] and body["errors"]["cursor"]


def test_a_cursor_of_another_list_is_refused(many, personas, api_for):
    regions = Region.objects.order_by("code")
    foreign = KeysetPaginator(regions, 2).page().next_cursor
    response = api_for(personas["province_staff"]).get(API, {"cursor": foreign})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_old_page_numbers_take_page_one_and_refuse_the_others(many, personas, api_for):
    client = api_for(personas["province_staff"])
    first = client.get(API, {"page_size": 5}).json()
    assert client.get(API, {"page_size": 5, "page": "1"}).json()["results"] == first["results"]
    for page in ("2", "abc", "99999999999999999999"):
        response = client.get(API, {"page": page})
        assert response.status_code == 400, page
        assert response.json()["code"] == "invalid" and list(response.json()["errors"]) == ["page"]
    # The links never carry an old page number along.
    assert "page=" not in first["next"].replace("page_size=", "")


def test_the_page_size_is_read_as_before():
    paginator = KeysetPagination()
    factory = APIRequestFactory()
    assert paginator.get_page_size(Request(factory.get(API, {"page_size": "99999"}))) == 500
    assert paginator.get_page_size(Request(factory.get(API))) == 50


def test_a_deep_page_reads_by_row_comparison_without_offset_or_count(many, personas, api_for):
    client = api_for(personas["province_staff"])
    deep = client.get(API, {"page_size": 5}).json()["next"]
    deep = client.get(client.get(deep).json()["next"]).json()["next"]  # the fourth page
    with CaptureQueriesContext(connection) as first_queries:
        client.get(API, {"page_size": 5})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(deep)
    assert response.status_code == 200 and len(response.json()["results"]) == 5
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "coordination_pollingstation"' in q["sql"]]
    assert len(reads) == 1, reads
    sql = reads[0]
    assert ROW_COMPARISON in sql and "OFFSET" not in sql and "LIMIT 6" in sql and "COUNT(" not in sql
    assert sql.index("ORDER BY") > sql.index(ROW_COMPARISON)
    assert len(queries.captured_queries) == len(first_queries.captured_queries)


def test_the_api_page_is_read_as_plain_values(many, personas, api_for, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a Region instance was built")

    monkeypatch.setattr(Region, "from_db", classmethod(refuse))
    pages, _ = _walk_api(api_for(personas["province_staff"]), API, page_size=7)
    assert [pk for page in pages for pk in page] == _in_order()


def test_without_row_values_the_comparison_is_spelled_out(many, personas, api_for, monkeypatch):
    monkeypatch.setattr(RowComparison, "native", staticmethod(lambda connection: False))
    client = api_for(personas["province_staff"])
    with CaptureQueriesContext(connection) as queries:
        pages, _ = _walk_api(client, API, page_size=3)
    assert [pk for page in pages for pk in page] == _in_order()
    deep = [q["sql"] for q in queries.captured_queries if 'FROM "coordination_pollingstation"' in q["sql"]][-1]
    assert ROW_COMPARISON not in deep and " OR " in deep and "OFFSET" not in deep


# --- the paginator itself -------------------------------------------------------------------


def test_a_descending_order_walks_both_ways(many):
    rows = PollingStation.objects.order_by("-village_code", "-number", "-election_id")
    forward, cursor = [], None
    while True:
        page = KeysetPaginator(rows, 4).page(cursor)
        forward.append([station.pk for station in page])
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert [pk for page in forward for pk in page] == _in_order()[::-1]
    back = KeysetPaginator(rows, 4).page(page.previous_cursor)
    assert [station.pk for station in back] == forward[-2]


def test_an_order_that_cannot_be_a_key_is_refused(db):
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(PollingStation.objects.order_by("village_code", "-number"), 5)  # mixed directions
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(PollingStation.objects.order_by("travel_minutes"), 5)  # nullable
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(PollingStation.objects.order_by("village__name"), 5)  # another table's
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Election.objects.order_by(), 5)  # no order at all
    assert KeysetPaginator(PollingStation.objects.order_by(*KEY[:3]), 5).key == list(KEY)


def test_a_cursor_must_name_a_whole_key(many):
    paginator = KeysetPaginator(PollingStation.objects.order_by(*KEY[:3]), 5)
    signer = signing.Signer(salt=paginator._salt)
    for payload in ({"f": 1, "k": ["64.72.01.1001", 1, 1]}, {"f": 1, "k": ["64.72.01.1001", "x", 1, 1]},
                    {"f": 2, "k": ["64.72.01.1001", 1, 1, 1]}, {"f": 1, "k": ["64.72.01.1001", None, 1, 1]}, []):
        with pytest.raises(InvalidCursor):
            paginator.page(signer.sign_object(payload))
    assert len(paginator.page(signer.sign_object({"f": 1, "k": ["64.72.01.1001", 1, 1, 1]}))) == 5


# --- the page ------------------------------------------------------------------------------


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', body)
    return None if found is None else "/polling-stations/" + html.unescape(found.group(1))


def _walk_page(client, url) -> tuple[list[list[int]], list[str]]:
    pages, bodies = [], []
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200
        pages.append([station.pk for station in response.context["page"]])
        bodies.append(response.content.decode())
        url = _link(bodies[-1], "next")
        assert len(pages) < 100, "the walk does not end"
    return pages, bodies


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("coordination.views.common.PAGE_SIZE", 4)


def test_the_page_walks_next_and_previous_with_its_filters(many, personas, client, small_pages, election):
    client.force_login(personas["province_staff"])
    pages, bodies = _walk_page(client, f"/polling-stations/?region=64.72&election={election.code}")
    expected = _in_order(village_code__startswith="64.72.", election=election)
    assert [pk for page in pages for pk in page] == expected and len(pages) == 3
    assert 'rel="prev"' not in bodies[0] and 'rel="first"' not in bodies[0]
    for body in bodies[1:]:
        assert "region=64.72" in _link(body, "prev") and "region=64.72" in _link(body, "first")
    assert "Page 1 of" not in bodies[0] and "Halaman 1 dari" not in bodies[0]  # no page numbers
    back = client.get(_link(bodies[-1], "prev"))
    assert [station.pk for station in back.context["page"]] == pages[-2]
    assert client.get(_link(bodies[-1], "first")).context["page"].rows == [
        PollingStation.objects.get(pk=pk) for pk in pages[0]]


def test_the_page_shows_no_total_until_the_summaries_give_one(many, personas, client):
    client.force_login(personas["province_staff"])
    response = client.get("/polling-stations/")
    assert response.context["total"] is None
    assert 'data-testid="total"' not in response.content.decode()


@pytest.mark.parametrize("query", ["cursor=nonsense", "page=3", "cursor=abc%3Adef&page=2"])
def test_a_damaged_cursor_or_an_old_page_number_shows_the_first_page(many, personas, client, small_pages, query):
    client.force_login(personas["province_staff"])
    response = client.get(f"/polling-stations/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [s.pk for s in response.context["page"]] == _in_order()[:4]
    assert 'role="alert"' in response.content.decode()


def test_a_deep_page_of_the_page_costs_what_the_first_does(many, personas, client, small_pages):
    client.force_login(personas["province_staff"])
    _, bodies = _walk_page(client, "/polling-stations/")
    deep = _link(bodies[3], "next")
    with CaptureQueriesContext(connection) as first:
        client.get("/polling-stations/")
    with CaptureQueriesContext(connection) as queries:
        client.get(deep)
    assert len(queries.captured_queries) == len(first.captured_queries)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "coordination_pollingstation"' in q["sql"]]
    assert len(reads) == 1 and ROW_COMPARISON in reads[0] and "OFFSET" not in reads[0]


# --- PostgreSQL: the index serves a deep page ------------------------------------------------


@pytest.mark.postgres
def test_a_deep_page_walks_the_index_on_postgresql(tree, election, personas, api_for):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    # Few rows: those a test writes stay in the table as dead rows after its rollback,
    # and a heavier table changes the plans the next PostgreSQL tests see.
    _add_stations(tree, [election], ["sam_kel", "sam_kel2", "sam_kel3", "bpn_kel"], range(1, 61))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coordination_pollingstation")
    client = api_for(personas["province_staff"])
    url = client.get(API, {"page_size": 20}).json()["next"]
    for _ in range(8):
        url = client.get(url).json()["next"]
    previous = client.get(url).json()["previous"]
    for link, scan in ((url, "Index Scan using tps_by_village_code"),
                       (previous, "Index Scan Backward using tps_by_village_code")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(link).status_code == 200
        sql = [q["sql"] for q in queries.captured_queries if 'FROM "coordination_pollingstation"' in q["sql"]][0]
        plan = _plan(sql)
        assert scan in plan and "Sort" not in plan and "OFFSET" not in sql, plan
        assert re.search(KEY_CONDITION, plan), plan


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        # A small table: ask whether the index can serve the page, not which plan is
        # cheaper (a seq or bitmap scan and a sort can be, over a few hundred rows).
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
