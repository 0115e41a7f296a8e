"""An officer on a 360 px phone: the field page, its one next action, the confirmation
form, and back; nothing scrolls sideways."""

import pytest

from logistics.models import CustodyEvent
from tests.browser.test_journeys import log_in
from tests.factories import escort_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def test_officer_confirms_the_hand_over_from_the_field_page(phone, live_server, personas, stations):
    # Arrived: on the field page whatever today's date, with the officer's hand-over to confirm.
    escort = escort_request(election=stations["samarinda"].election, destination=stations["samarinda"],
                            kpu=personas["samarinda_operator"], police=personas["samarinda_police"],
                            status="arrived")
    log_in(phone, live_server, "samarinda_police")
    phone.goto(f"{live_server.url}/logistics/field/")
    card = phone.locator(f"[data-testid=field-card][data-escort='{escort.pk}']")
    assert escort.number in card.inner_text()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the field page scrolls sideways at 360 px"

    card.locator("[data-testid=next-action]").click()
    phone.wait_for_selector("[data-testid=confirm-form]")
    assert phone.evaluate(NO_SIDEWAYS_SCROLL), "the confirmation form scrolls sideways at 360 px"
    items = list(escort.items.order_by("pk"))
    # At the hand-over the officer counts: the fields start empty, what was sent beside them.
    assert phone.input_value(f"#id_count_{items[0].pk}") == ""
    for item in items:
        phone.fill(f"#id_count_{item.pk}", str(item.quantity))
    phone.fill("#id_seals_seen", " ".join(seal for item in items for seal in item.seals))
    phone.check("input[name=seals_intact][value=yes]")
    phone.fill("#id_acting_as", "Komandan pengawalan")
    phone.fill("#id_note", "Diserahkan di TPS")
    with phone.expect_navigation():
        phone.click("[data-testid=confirm-submit]")

    assert phone.url == f"{live_server.url}/logistics/field/"
    assert phone.locator(".alert-success").count() == 1
    card = phone.locator(f"[data-testid=field-card][data-escort='{escort.pk}']")
    assert card.locator("[data-testid=next-action]").count() == 0  # waiting for the custodian now
    event = CustodyEvent.objects.get(escort=escort, kind="handover_escort")
    assert event.acting_as == "Komandan pengawalan" and event.seals_intact is True
    assert event.count_by_item == {item.pk: item.quantity for item in items}
    assert event.device_time is not None  # the optional script gave the phone's time
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
