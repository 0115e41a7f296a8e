"""Every main page on a desktop and on a 360 px phone: no serious or critical axe-core
violation, tables readable without sideways scrolling, tooltips reachable by tap."""

import re
from pathlib import Path

import pytest

from tests.browser.test_journeys import log_in
from tests.factories import PollingStationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WIDTHS = [1366, 360]
PAGES = [
    "/",
    "/regions/64/",
    "/regions/64.72.01.1001/",
    "/polling-stations/",
    "/agencies/",
    "/agreements/",
    "/elections/pemilu-2024/",
    "/risks/",
    "/risks/matrix/",
    "/risks/heat-map/",
    "/risks/map/",
    "/ikp/",
    "/tps-classes/",
    "/personnel-plan/",
    "/notifications/",
    "/profile/",
]


def axe_violations(page) -> list[dict]:
    """Serious and critical violations axe-core finds on the loaded page."""
    page.add_script_tag(content=AXE)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']} x{len(v['nodes'])}: "
        + "; ".join(f"{' '.join(node['target'])} ({_detail(node)})" for node in v["nodes"][:6])
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def _detail(node) -> str:
    data = next((check.get("data") for check in node.get("any", []) if check.get("data")), None)
    if isinstance(data, dict) and "fgColor" in data:
        return f"{data['fgColor']} on {data['bgColor']}, {data.get('contrastRatio')}:1"
    return node["html"][:80]


@pytest.fixture
def wide_context(browser):
    def make(width):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return context, tab
    return make


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_axe_violation_on_any_main_page(wide_context, live_server, personas, stages, risks, width):
    context, page = wide_context(width)
    try:
        log_in(page, live_server, "province_staff")
        found = {}
        for path in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            if path == "/risks/map/":
                page.wait_for_selector("#risk-map[data-loaded]")
            violations = axe_violations(page)
            if violations:
                found[path] = violations
        assert not found, "\n".join(f"{path} @{width}px: {line}" for path, lines in found.items() for line in lines)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_do_not_scroll_sideways(wide_context, live_server, personas, stages, risks, width):
    context, page = wide_context(width)
    try:
        log_in(page, live_server, "province_staff")
        wide = []
        for path in PAGES:
            page.goto(live_server.url + path)
            overflow = page.evaluate("() => document.documentElement.scrollWidth"
                                     " - document.documentElement.clientWidth")
            tables = page.evaluate("() => [...document.querySelectorAll('.table-responsive')]"
                                   ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
            if overflow > 0 or (width == 360 and tables):
                wide.append((path, overflow, tables))
        assert wide == []
    finally:
        context.close()


def test_personnel_plan_shows_police_and_linmas_on_a_phone(wide_context, live_server, personas, stations):
    context, page = wide_context(360)
    try:
        log_in(page, live_server, "province_staff")
        page.goto(f"{live_server.url}/personnel-plan/")
        total = page.locator("[data-testid=plan-total]")
        for label in ("Personel Polri", "Linmas", "TPS"):
            cell = total.locator(f"td[data-label='{label}']")
            assert cell.is_visible(), label
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (label, box)
            # The label is drawn in front of the number, in the cell itself.
            before = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert before == f'"{label}"'
        # The scroll container is a named region reachable by keyboard.
        region = page.locator("[data-testid=plan]").locator("xpath=..")
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label") == "Rencana kebutuhan personel"
    finally:
        context.close()


def test_uncertain_date_note_opens_by_tap(wide_context, live_server, personas, election):
    from datetime import date

    from tests.factories import stage

    stage(election, "5", date(2023, 7, 1), date(2023, 7, 9), name="Pencalonan", is_uncertain=True)
    context, page = wide_context(360)
    try:
        log_in(page, live_server, "observer")
        page.goto(f"{live_server.url}/elections/{election.code}/")
        note = page.locator(".timeline details.inline-note")
        assert note.count() == 1
        assert note.get_attribute("open") is None
        note.locator("summary").click()
        assert note.get_attribute("open") is not None
        assert note.locator("summary").is_visible()
        assert note.inner_text().strip() != "?"  # the explanation is shown, not only the mark
    finally:
        context.close()


def test_coordinates_read_with_hemispheres_and_open_the_map(wide_context, live_server, personas, tree, election):
    station = PollingStationFactory(village=tree["sam_kel"], election=election, latitude="-0.502100",
                                    longitude="117.153600")
    context, page = wide_context(360)
    try:
        log_in(page, live_server, "samarinda_operator")
        page.goto(f"{live_server.url}/polling-stations/{station.pk}/")
        text = page.inner_text("[data-testid=coordinates]")
        # South and east in words, no minus sign (LS/BT once the Indonesian catalogue has them).
        assert re.match(r"0\.50210° (LS|S), 117\.15360° (BT|E) · ", text), text
        with page.expect_navigation():
            page.click("[data-testid=coordinates] a")
        assert "/risks/map/?lat=-0.502100&lon=117.153600" in page.url
        page.wait_for_selector("#risk-map[data-loaded]")
        page.wait_for_selector("path[stroke='#0d47a1']")  # the marker on the TPS
    finally:
        context.close()
