"""Breadcrumbs inside the user's scope, one meaning of "open risk" from the home page to
the map, region pickers by name, coordinates in words."""

import re
from decimal import Decimal

from coordination.templatetags.page_tags import coordinates, map_url
from tests.factories import risk


def test_breadcrumb_above_the_scope_is_text_not_a_link(personas, stations, client):
    client.force_login(personas["samarinda_operator"])
    body = client.get("/regions/64.72.01.1001/").content.decode()
    crumbs = body[body.index('<ol class="breadcrumb'):body.index("</ol>")]
    assert "Kalimantan Timur" in crumbs and 'href="/regions/64/"' not in crumbs
    assert 'href="/regions/64.72/"' in crumbs and 'href="/regions/64.72.01/"' in crumbs
    # Every link on the page opens for this user: the province would be a 404.
    assert client.get("/regions/64/").status_code == 404
    city = client.get("/regions/64.72/").content.decode()
    assert 'data-testid="up"' not in city and 'href="/regions/64/"' not in city


def test_province_user_gets_the_province_as_a_link(personas, stations, client):
    client.force_login(personas["province_staff"])
    body = client.get("/regions/64.72.01/").content.decode()
    crumbs = body[body.index('<ol class="breadcrumb'):body.index("</ol>")]
    assert 'href="/regions/64/"' in crumbs and 'href="/regions/64.72/"' in crumbs
    assert 'data-testid="up"' in body


def _count_on(body: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}"[^>]*>(\d+)<', body).group(1))


def test_home_open_risks_match_the_list_its_link_opens_the_matrix_and_the_map(personas, stages, tree, client):
    risk(stages["campaign"], tree["samarinda"], title="Politik uang", likelihood=4, impact=4)
    risk(stages["campaign"], tree["sam_kec"], title="Baliho", status="mitigating", likelihood=2, impact=2)
    risk(stages["count"], tree["balikpapan"], title="Banjir", likelihood=5, impact=5)
    risk(stages["campaign"], tree["balikpapan"], title="Selesai", status="closed")
    client.force_login(personas["province_staff"])

    home = client.get("/").content.decode()
    link = re.search(r'href="([^"]+)" data-testid="home-open-risks">(\d+)<', home)
    url, shown = link.group(1).replace("&amp;", "&"), int(link.group(2))
    assert shown == 3  # open and mitigating; the closed one is not counted

    listed = client.get(url).content.decode()
    assert _count_on(listed, "risk-count") == shown
    assert "Banjir" in listed and "Baliho" in listed and "Selesai" not in listed

    query = url.split("?", 1)[1]
    matrix = client.get(f"/risks/matrix/?{query}").content.decode()
    assert re.search(rf'data-testid="matrix-counts">{shown} ', matrix)
    unfiltered = client.get("/risks/matrix/").content.decode()
    assert re.search(r'data-testid="matrix-counts">4 ', unfiltered)  # says it counts every status

    features = client.get("/risks/map.geojson").json()["features"]
    assert sum(feature["properties"]["open"] for feature in features) == shown  # no province-wide risk here
    samarinda = next(f["properties"] for f in features if f["properties"]["code"] == "64.72")
    region_list = client.get(samarinda["url"]).content.decode()
    assert _count_on(region_list, "risk-count") == samarinda["open"] == 2


def test_open_filter_is_shared_by_the_api(personas, stages, tree, api_for):
    risk(stages["campaign"], tree["samarinda"], title="Terbuka")
    risk(stages["campaign"], tree["samarinda"], title="Ditutup", status="closed")
    api = api_for(personas["province_staff"])
    titles = {row["title"] for row in api.get("/api/v1/risks/", {"open": "true"}).json()["results"]}
    assert titles == {"Terbuka"}
    titles = {row["title"] for row in api.get("/api/v1/risks/", {"open": "false"}).json()["results"]}
    assert titles == {"Ditutup"}


def test_region_filters_offer_names_in_scope(personas, stations, client):
    client.force_login(personas["samarinda_operator"])
    for path in ("/risks/", "/polling-stations/", "/tps-classes/", "/personnel-plan/"):
        body = client.get(path).content.decode()
        assert 'list="region-options"' in body, path
        assert '<option value="64.72.01">Samarinda Ulu</option>' in body, path
        assert "Balikpapan" not in body[body.index("<datalist"):body.index("</datalist>")], path


def test_coordinates_say_the_hemisphere_and_link_to_the_own_map(english):
    assert coordinates(Decimal("-0.502100"), Decimal("117.153600")) == "0.50210° S, 117.15360° E"
    assert coordinates(Decimal("1.25"), Decimal("-3.5")) == "1.25000° N, 3.50000° W"
    assert coordinates(None, Decimal("117")) == ""
    assert map_url(Decimal("-0.5021"), Decimal("117.1536")) == "/risks/map/?lat=-0.502100&lon=117.153600"
