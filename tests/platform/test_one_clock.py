"""One clock: in a demo or drill every moment a person reads comes from the app's clock,
so a demo that starts in February 2024 never shows today's real date next to it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from coordination import services
from coordination.models import ApiToken, PollingStation
from kpu_polda.base import clock
from tests.test_helpers import csv_upload

WITA = timezone.get_fixed_timezone(8 * 60)
FEB_8 = datetime(2024, 2, 8, 9, 0, tzinfo=WITA)


def render(source: str, **context) -> str:
    return Template("{% load moments %}" + source).render(Context(context))


def test_records_people_read_are_dated_on_the_app_clock(personas, risks, stations):
    actor, risk = personas["secretariat"], risks["samarinda"]
    with clock.travel_to(FEB_8):
        services.risk_transition(actor=actor, risk=risk, to_status="mitigating")
        review = services.risk_review(actor=actor, risk=risk, likelihood=2, impact=2, note="Patroli rutin")
        token, _key = services.api_token_create(actor=actor, name="skrip-tps", expires_in_days=30)
    july = datetime(2023, 7, 1, 9, 0, tzinfo=WITA)
    with clock.travel_to(july):
        services.polling_station_import_csv(actor=personas["samarinda_operator"],  # a bulk write
                                            election=stations["samarinda"].election,
                                            stream=csv_upload("64.72.01.1001,1,221"))
    risk.refresh_from_db()
    assert risk.history.order_by("-history_id").first().history_date == FEB_8  # the fixture wrote on real time
    assert risk.updated_at == FEB_8
    assert risk.status_changes.get().changed_at == FEB_8
    assert review.reviewed_at == FEB_8
    assert ApiToken.objects.get(pk=token.pk).created_at == FEB_8
    station_records = PollingStation.history.filter(id=stations["samarinda"].pk).order_by("-history_id")
    assert station_records.first().history_date == july
    # Security timing stays real: the token lives 30 real days from now.
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_each_save_gets_its_own_moment(personas, risks):
    risk, actor = risks["samarinda"], personas["secretariat"]
    with clock.travel_to(FEB_8):
        services.risk_transition(actor=actor, risk=risk, to_status="mitigating")
    with clock.travel_to(FEB_8 + timedelta(hours=2)):
        services.risk_transition(actor=actor, risk=risk, to_status="closed")
    dates = list(risk.history.order_by("-history_id").values_list("history_date", flat=True)[:2])
    assert dates == [FEB_8 + timedelta(hours=2), FEB_8]


def test_a_moment_reads_in_wita_with_its_distance_from_now():
    moment = datetime(2024, 2, 8, 1, 0, tzinfo=timezone.get_fixed_timezone(0))  # 09:00 WITA
    with clock.travel_to(moment + timedelta(days=3)), translation.override("en"):
        assert render("{{ m|when }}", m=moment) == "8 Feb 2024 09:00 WITA (3\xa0days ago)"
        assert render("{{ m|when }}", m=moment + timedelta(days=17)) == "25 Feb 2024 09:00 WITA (2\xa0weeks from now)"
        assert render("{{ m|is_future }}", m=moment) == "False"
    with clock.travel_to(moment + timedelta(days=3)), translation.override("id"):
        assert render("{{ m|when }}", m=moment) == "8 Feb 2024 09:00 WITA (3\xa0hari yang lalu)"
    assert render("{{ m|when }}", m=None) == ""


def test_a_real_time_moment_is_shown_where_the_app_clock_puts_it():
    real_expiry = timezone.now() + timedelta(days=30)
    with override_settings(CLOCK_START=FEB_8, CLOCK_ANCHOR=timezone.now()), translation.override("en"):
        text = render('{{ m|when:"real" }}', m=real_expiry)
        assert text.startswith("9 Mar 2024 ") and "WITA" in text and "from now" in text
        assert render('{{ m|is_future:"real" }}', m=real_expiry) == "True"


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_demo_page_never_shows_the_real_year(personas, stages, tree, client):
    """Risk page (history, reviews, status trail) and profile (tokens) of a demo."""
    from tests.factories import risk as make_risk

    real_year = str(timezone.now().year)
    actor = personas["samarinda_operator"]
    in_english(client)
    with override_settings(CLOCK_START=FEB_8, CLOCK_ANCHOR=timezone.now()):
        risk = make_risk(stages["campaign"], tree["samarinda"], title="Politik uang", likelihood=4, impact=4)
        services.risk_transition(actor=personas["secretariat"], risk=risk, to_status="mitigating")
        services.risk_review(actor=personas["secretariat"], risk=risk, likelihood=3, impact=2,
                             note="Patroli gabungan")
        token, _key = services.api_token_create(actor=actor, name="skrip-tps", expires_in_days=30)
        services.api_token_touch(ApiToken.objects.get(pk=token.pk))
        client.force_login(actor)
        risk_page = client.get(f"/risks/{risk.pk}/").content.decode()
        profile = client.get("/profile/").content.decode()
    for body in (risk_page, profile):
        assert "8 Feb 2024" in body and "WITA" in body
        if real_year != "2024":
            assert real_year not in body
    assert "expires on 9 Mar 2024" in profile and "from now" in profile


def test_an_expired_token_reads_as_past(personas, client):
    user = personas["samarinda_operator"]
    in_english(client)
    token, _key = services.api_token_create(actor=user, name="lama", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=2))
    client.force_login(user)
    body = client.get("/profile/").content.decode()
    assert "expired on" in body and "2\xa0days ago" in body
