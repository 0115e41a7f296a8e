"""Journeys people take, in a real browser on a phone-sized screen."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_log_in_and_drill_down_to_a_village(page, live_server, personas, stations):
    log_in(page, live_server, "samarinda_operator")
    assert "KPU Samarinda" in page.inner_text("[data-testid=agency]")
    page.goto(f"{live_server.url}/regions/")
    assert page.url.endswith("/regions/64.72/")
    page.click("text=Samarinda Ulu")
    page.click("text=Karang Mumus")
    assert page.url.endswith("/regions/64.72.01.1001/")
    assert "TPS 001" in page.inner_text("[data-testid=stations]")
    page.click("[data-testid=stations] >> text=TPS 001")
    assert "Karang Mumus" in page.inner_text("h1")


def test_switch_language(page, live_server, personas):
    log_in(page, live_server, "observer")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Wilayah" in page.content()
    with page.expect_navigation():
        page.select_option("#language-form select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Regions" in page.content()


def test_samarinda_user_is_refused_a_balikpapan_kecamatan(page, live_server, personas, stations):
    log_in(page, live_server, "samarinda_operator")
    response = page.goto(f"{live_server.url}/regions/64.71.01/")
    assert response.status == 404
    assert "Balikpapan Selatan" not in page.content()


def test_navigation_collapses_on_a_phone(page, live_server, personas):
    log_in(page, live_server, "observer")
    assert page.is_visible(".navbar-toggler")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav.show")
    assert page.is_visible("text=Instansi") or page.is_visible("text=Agencies")
