"""Meetings in the browser: KPU schedules a meeting from the form; after it, the minutes
are written, submitted, approved by KPU and by the police, and then show as locked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Minutes
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_kpu_schedules_a_meeting_from_the_form(page, live_server, personas, agencies):
    log_in(page, live_server, "province_staff")
    page.goto(f"{live_server.url}/meetings/")
    page.click("[data-testid=meeting-new]")
    start = timezone.localtime() + timedelta(days=7)
    page.fill("#id_title", "Rakor kesiapan pemungutan suara")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT09:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT08:00"))  # before the start: refused, input kept
    page.fill("#id_place", "Aula KPU Provinsi")
    page.select_option("#id_co_organiser", str(agencies["polda"].pk))
    page.select_option("#id_invited_agencies", [str(agencies["polda"].pk)])
    page.click("[data-testid=meeting-save]")
    assert page.locator("[data-testid=error-ends_at]").is_visible()
    assert page.input_value("#id_title") == "Rakor kesiapan pemungutan suara"
    assert not Meeting.objects.exists()
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT11:00"))
    with page.expect_navigation():
        page.click("[data-testid=meeting-save]")
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/meetings/{meeting.pk}/")
    assert meeting.co_organiser == agencies["polda"] and meeting.invitations.count() == 1
    assert "Rakor kesiapan pemungutan suara" in page.inner_text("h1")


def test_minutes_written_then_approved_by_both_on_a_phone(browser, live_server, personas, agencies):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    began = timezone.now() - timedelta(hours=2)
    meeting = services.meeting_create(
        actor=personas["province_staff"], title="Rapat evaluasi distribusi", organiser=agencies["kpu"],
        co_organiser=agencies["polda"], starts_at=began, ends_at=began + timedelta(hours=1), place="Aula KPU",
        notulis=personas["province_staff"])
    try:
        log_in(phone, live_server, "province_staff")
        phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
        phone.click("summary")
        with phone.expect_navigation():
            phone.click("[data-testid=step-hold]")
        phone.click("[data-testid=minutes-link]")
        with phone.expect_navigation():
            phone.click("[data-testid=minutes-start]")
        phone.fill("#id_chair_name", "Ketua KPU Provinsi Kalimantan Timur")
        phone.fill("#id_decisions", "Logistik Mahakam Ulu berangkat H-6.")
        phone.fill("#id_entries-0-topic", "Distribusi logistik")
        phone.fill("#id_entries-0-discussion", "Riam di Long Bagun berisiko.")
        phone.fill("#id_obstacles-0-description", "Debit air rendah")
        phone.fill("#id_obstacles-0-proposed_solution", "Kapal cadangan")
        assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the minutes form scrolls sideways at 360 px"
        with phone.expect_navigation():
            phone.click("[data-testid=minutes-save]")
        with phone.expect_navigation():
            phone.click("[data-testid=minutes-submit]")
        with phone.expect_navigation():
            phone.click("[data-testid=minutes-approve]")
        assert "Waiting" in phone.inner_text("[data-testid=minutes-state]") or \
            "Menunggu" in phone.inner_text("[data-testid=minutes-state]")
        context.clear_cookies()
        log_in(phone, live_server, "province_police")
        phone.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
        with phone.expect_navigation():
            phone.click("[data-testid=minutes-approve]")
        assert phone.locator("[data-testid=police-approval]").is_visible()
        assert phone.locator("[data-testid=minutes-form]").count() == 0  # locked: read only
        minutes = Minutes.objects.get(meeting=meeting)
        assert minutes.is_locked and minutes.obstacles.get().proposed_solution == "Kapal cadangan"
        assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        context.close()
