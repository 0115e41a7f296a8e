"""The dashboard's panels from live data, for the user's scope: stages and days to voting
day, the region, clause health, open risks by level, escorts by status, meetings and
overdue follow-ups; each panel refreshes alone from its own URL."""

import re
from datetime import date, datetime

import pytest
from django.utils import timezone

from kpu_polda.base import clock
from tests.factories import agreement

pytestmark = pytest.mark.django_db

DEMO_MORNING = timezone.make_aware(datetime(2024, 2, 8, 9, 0))


def _panel(html: str, key: str) -> str:
    start = html.index(f'data-testid="panel-{key}"')
    return html[start:html.index("</section>", start)]


def _figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]+)<', html)
    assert match, testid
    return match.group(1).strip()


@pytest.fixture
def home(client):
    def get(user):
        client.force_login(user)
        with clock.travel_to(DEMO_MORNING):
            response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()
    return get


def test_stage_panel_counts_the_days_to_voting_day(stages, personas, home):
    html = _panel(home(personas["samarinda_operator"]), "stage")
    assert _figure(html, "days-to-voting") == "6 days to voting day"
    assert "Masa kampanye" in html[html.index('data-testid="home-current"'):]


def test_risk_panel_counts_open_risks_by_level_in_scope(risks, personas, home):
    html = _panel(home(personas["samarinda_operator"]), "risks")
    assert _figure(html, "home-open-risks") == "2"
    levels = dict(re.findall(r'level-(\w+)">(\d+)</span></a>', html))
    assert levels == {"extreme": "0", "high": "1", "medium": "1", "low": "0"}
    assert 'id="risk-map"' in html and "Banjir" not in html  # Balikpapan's
    province = _panel(home(personas["province_staff"]), "risks")
    assert _figure(province, "home-open-risks") == "3" and "Banjir" in province


def test_escort_panel_counts_by_status(make_escort, personas, home):
    make_escort("submitted")
    make_escort("submitted")
    make_escort("departed")
    html = _panel(home(personas["samarinda_operator"]), "escorts")
    statuses = dict(re.findall(r'status=(\w+)">[^<]+</a>: (\d+)', html))
    assert statuses == {"submitted": "2", "departed": "1"}
    assert _figure(html, "home-escorts-active") == "3"
    assert "status=" not in _panel(home(personas["balikpapan_operator"]), "escorts")


def test_clause_panel_shows_the_health_of_the_agreement_in_force(tree, personas, home):
    from coordination.models import Clause

    pks = agreement(tree["kaltim"], status="active", title="PKS KPU–Polda Kaltim")
    Clause.objects.create(agreement=pks, number=3, title="Pertemuan rutin", text="...",
                          category="evaluation_meetings", expectation_kind="every_days", evidence_kind="meeting",
                          expectation_value=30)
    html = _panel(home(personas["samarinda_operator"]), "clauses")
    assert f'href="/agreements/{pks.pk}/"' in html
    counts = dict(re.findall(r'health-(\w+)">(\d+)</span>', html))
    assert sum(int(n) for n in counts.values()) == 1 and "Pertemuan rutin" in html  # breached or at risk


def test_meetings_panel_lists_upcoming_meetings_and_overdue_follow_ups(monthly, personas, agencies, home):
    from meetings import services

    march = monthly.meetings.order_by("starts_at").first()
    with clock.travel_to(DEMO_MORNING):
        services.action_item_create(actor=personas["province_staff"], meeting=march, title="Terlambat",
                                    owner_agency=agencies["polda"], due_on=date(2024, 2, 1))
    html = _panel(home(personas["province_staff"]), "meetings")
    upcoming = html[html.index('data-testid="upcoming-meetings"'):]
    assert f'href="/meetings/{march.pk}/"' in upcoming and monthly.title in upcoming
    assert _figure(html, "overdue-actions") == "1"
    assert _figure(_panel(home(personas["balikpapan_operator"]), "meetings"), "overdue-actions") == "0"


def test_a_panel_refreshes_alone(risks, personas, client):
    client.force_login(personas["samarinda_operator"])
    with clock.travel_to(DEMO_MORNING):
        response = client.get("/dashboard/panels/risks/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<section")
    assert 'hx-get="/dashboard/panels/risks/"' in body and 'hx-trigger="every 60s"' in body
    assert "<html" not in body and _figure(body, "home-open-risks") == "2"
    assert client.get("/dashboard/panels/nothing/").status_code == 404
    client.logout()
    assert client.get("/dashboard/panels/risks/").status_code == 302  # to the login page
