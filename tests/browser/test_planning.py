"""Timeline, heat map, map and a risk edit in a real browser."""

from datetime import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The live server runs in another thread, so the clock is moved through settings.
FEB_8 = {"CLOCK_START": datetime(2024, 2, 8, 9, tzinfo=timezone.get_fixed_timezone(480)),
         "CLOCK_ANCHOR": timezone.now()}


def test_timeline_marks_today_and_the_current_stage(page, live_server, personas, stages):
    with override_settings(**FEB_8):
        log_in(page, live_server, "observer")
        page.goto(f"{live_server.url}/elections/pemilu-2024/")
        assert page.locator(".timeline .today").count() == len(stages)  # one marker per row
        assert page.inner_text("[data-testid=current-row]") == "Masa kampanye"
        assert "Masa tenang" in page.inner_text("[data-testid=current-stage]")
        page.click("[data-testid=current-row]")
        assert page.inner_text("h1") == "Masa kampanye"


def test_heat_map_and_map_show_the_highest_open_risk(page, live_server, personas, risks):
    log_in(page, live_server, "province_staff")
    page.goto(f"{live_server.url}/risks/heat-map/")
    samarinda = page.locator("[data-testid=heat-map] tr", has_text="Kota Samarinda")
    assert samarinda.locator("td.level-high").inner_text() == "16"
    balikpapan = page.locator("[data-testid=heat-map] tr", has_text="Kota Balikpapan")
    assert balikpapan.locator("td.level-extreme").inner_text() == "25"
    page.goto(f"{live_server.url}/risks/map/")
    page.wait_for_selector("#risk-map[data-loaded='2']")  # the two kab/kota of the test tree
    assert page.locator("path[data-code='64.71']").get_attribute("data-level") == "extreme"
    assert page.locator("path[data-code='64.72']").get_attribute("data-level") == "high"
    with page.expect_navigation():
        page.locator("path[data-code='64.72']").click(force=True)
    assert "region=64.72" in page.url and "Politik uang" in page.content()


def test_samarinda_police_edit_a_risk(page, live_server, personas, risks):
    log_in(page, live_server, "samarinda_police")
    risk = risks["samarinda"]
    page.goto(f"{live_server.url}/risks/{risk.pk}/")
    edit = page.locator("[data-testid=edit-form]")
    edit.locator("[name=mitigation]").fill("Patroli gabungan tiap malam")
    edit.locator("[name=region]").fill("64.71")  # Balikpapan: refused, input kept
    with page.expect_navigation():
        edit.locator("button[type=submit]").click()
    assert edit.locator("[name=mitigation]").input_value() == "Patroli gabungan tiap malam"
    error = page.locator("[data-testid=edit-form] .text-danger")
    assert error.count() == 1
    # On a phone the refused form is far down the page: the error is brought into view.
    page.wait_for_function("() => { const e = document.querySelector('[data-testid=edit-form] .text-danger');"
                           " const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    edit.locator("[name=region]").fill("64.72")
    with page.expect_navigation():
        edit.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    assert "Patroli gabungan tiap malam" in page.inner_text("[data-testid=mitigation]")

    review = page.locator("[data-testid=review-form]")
    review.locator("[name=likelihood]").select_option("2")
    review.locator("[name=impact]").select_option("3")
    review.locator("[name=note]").fill("Patroli berjalan")
    with page.expect_navigation():
        review.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=score]").startswith("2 × 3 = 6")

    response = page.goto(f"{live_server.url}/risks/{risks['balikpapan'].pk}/")
    assert response.status == 404
