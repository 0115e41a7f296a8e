"""The dashboard in the browser on the whole demo: every panel from live data for the
province's KPU staff and for Polresta Samarinda, on a desktop and on a 360 px phone
(screenshots are written to var/screenshots/; docs/dashboard.png in the README is one of
them); Polresta's inbox lists an escort to accept and its link opens that escort."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.VAR_DIR) / "screenshots"
PANELS = ["inbox", "stage", "region", "clauses", "risks", "escorts", "meetings", "exchanges", "bookings"]
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# The demo's moment (the Makefile's CLOCK_START), shared by the live server's thread.
DEMO_CLOCK = {"CLOCK_START": timezone.make_aware(datetime(2024, 2, 8, 9, 0)), "CLOCK_ANCHOR": timezone.now()}


@pytest.fixture
def demo(db):
    for command in ("seed_demo", "seed_logistics_demo", "seed_meetings_demo"):
        call_command(command, verbosity=0)
    with override_settings(**DEMO_CLOCK):
        yield


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 1000}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
@pytest.mark.parametrize("username", ["kpu.kaltim", "polresta.samarinda"])
def test_every_panel_from_live_data(browser, live_server, demo, username, viewport):
    context = browser.new_context(viewport=viewport, locale="id-ID", is_mobile=viewport["width"] < 400)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _log_in(page, live_server, username)
        for key in PANELS:
            assert page.locator(f"[data-testid=panel-{key}]").is_visible(), key
        page.wait_for_selector("#risk-map[data-loaded]")  # the map drew the kab/kota outlines
        assert int(page.inner_text("[data-testid=home-open-risks]")) > 0
        assert int(page.inner_text("[data-testid=home-escorts-active]")) > 0
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the dashboard scrolls sideways at {viewport['width']} px"
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = f"dashboard-{username.replace('.', '-')}-{'phone' if viewport['width'] < 400 else 'desktop'}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
    finally:
        context.close()


def test_polresta_inbox_lists_an_escort_to_accept_and_links_to_it(page, live_server, demo):
    from logistics.models import EscortRequest

    _log_in(page, live_server, "polresta.samarinda")
    escorts = page.locator("[data-testid=inbox-escorts]")
    link = escorts.locator("[data-testid=inbox-link]", has_text="Terima permintaan pengawalan").first
    href = link.get_attribute("href")
    escort = EscortRequest.objects.get(pk=int(re.fullmatch(r"/logistics/escorts/(\d+)/", href).group(1)))
    assert escort.status == "submitted" and escort.police_unit.code == "polres-samarinda"
    with page.expect_navigation():
        link.click()
    assert page.url == f"{live_server.url}{href}" and escort.number in page.inner_text("body")
