"""The home page's escort figures: active, overdue and with an open discrepancy, in the
user's region only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from logistics import services

pytestmark = pytest.mark.django_db


def _figure(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}"[^>]*>(\d+)<', html)
    assert match, testid
    return int(match.group(1))


def test_home_counts_escorts_of_the_users_region(make_escort, personas, client):
    make_escort("submitted", planned_departure=timezone.now() - timedelta(hours=2))  # late already
    make_escort("assigned")
    arrived = make_escort("arrived")
    counts = {item.pk: item.quantity - 1 for item in arrived.items.all()}
    services.custody_confirm(actor=personas["samarinda_operator"], escort=arrived, action="handover-receipt",
                             counts=counts, seals_intact=True, seals_seen="S-001 S-002")
    make_escort("closed")

    client.force_login(personas["samarinda_operator"])
    html = client.get("/").content.decode()
    assert (_figure(html, "home-escorts-active"), _figure(html, "home-escorts-overdue"),
            _figure(html, "home-escorts-discrepancy")) == (3, 1, 1)

    client.force_login(personas["balikpapan_operator"])
    html = client.get("/").content.decode()
    assert (_figure(html, "home-escorts-active"), _figure(html, "home-escorts-overdue"),
            _figure(html, "home-escorts-discrepancy")) == (0, 0, 0)
