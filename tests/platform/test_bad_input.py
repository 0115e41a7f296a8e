"""No input makes the API answer 500: out-of-range numbers, odd digits and dates, control
characters, bodies too large, the database or the cache down, a locked account's token."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from coordination import services
from coordination.forms import EvidenceForm, RiskReviewForm
from tests.conftest import PASSWORD


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "detail"} <= set(body)
    if code is not None:
        assert body["code"] == code, body
    return body


def token_client(user) -> APIClient:
    _token, key = services.api_token_create(actor=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- filters and paging ---------------------------------------------------------------


@pytest.mark.parametrize("query, field", [
    ("election_id=1e30", "election_id"),
    ("election_id=99999999999999999999", "election_id"),
    ("village_id=-99999999999999999999", "village_id"),
    ("village_id=1.5", "village_id"),
    ("election_id=NaN", "election_id"),
    ("election_id=%D9%A1", "election_id"),  # Arabic-Indic one
    ("election_id=%EF%BC%91", "election_id"),  # fullwidth one
    ("page_size=abc", "page_size"),
    ("page_size=0", "page_size"),
    ("page_size=-5", "page_size"),
])
def test_out_of_range_numbers_in_a_list_query_are_a_400(personas, stations, api_for, query, field):
    body = assert_error(api_for(personas["province_staff"]).get(f"/api/v1/polling-stations/?{query}"), 400, "invalid")
    assert field in body["errors"]


@pytest.mark.parametrize("url", [
    "/api/v1/risks/?min_score=1e30", "/api/v1/risks/?stage=99999999999999999999", "/api/v1/risks/?likelihood=6",
    "/api/v1/clauses/?agreement=99999999999999999999", "/api/v1/stages/?parent=-1",
    "/api/v1/agencies/?jurisdiction_id=99999999999999999999",
])
def test_every_numeric_filter_is_bounded(personas, api_for, url):
    assert_error(api_for(personas["province_staff"]).get(url), 400, "invalid")


@pytest.mark.parametrize("page", ["99999999999999999999", "1e30", "-1", "abc"])
def test_a_page_out_of_range_is_a_404_in_the_format(personas, tree, api_for, page):
    assert_error(api_for(personas["province_staff"]).get(f"/api/v1/regions/?page={page}"), 404, "not_found")


@pytest.mark.parametrize("query", ["page=2", "page=abc", "cursor=abc", "cursor=%00", "cursor=" + "a:b" * 500])
def test_the_tps_list_refuses_page_numbers_and_damaged_cursors_in_the_format(personas, stations, api_for, query):
    body = assert_error(api_for(personas["province_staff"]).get(f"/api/v1/polling-stations/?{query}"), 400, "invalid")
    assert list(body["errors"]) == [query.split("=")[0]]


def test_a_valid_id_filter_and_a_large_page_size_still_work(personas, stations, election, api_for):
    client = api_for(personas["province_staff"])
    body = client.get(f"/api/v1/polling-stations/?election_id={election.pk}&page_size=99999999999999999999").json()
    assert len(body["results"]) == 3  # the page size is cut down to the maximum, as before


# --- every error is JSON --------------------------------------------------------------


def test_an_unknown_url_under_api_answers_json(personas, api_for):
    assert_error(api_for(personas["province_staff"]).get("/api/v1/no-such-thing/"), 404, "not_found")


def test_malformed_json_is_a_400(personas, api_for):
    response = api_for(personas["province_staff"]).post("/api/v1/risks/", data=b'{"title": ',
                                                        content_type="application/json")
    assert_error(response, 400, "parse_error")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_body_over_the_size_limit_is_a_413(personas, api_for):
    body = b'{"title": "' + b"x" * 2048 + b'"}'
    response = api_for(personas["province_staff"]).post("/api/v1/risks/", data=body, content_type="application/json")
    assert_error(response, 413, "too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_form_field_over_the_size_limit_in_a_multipart_body_is_a_413(personas, api_for):
    response = api_for(personas["province_staff"]).post("/api/v1/polling-stations/import/",
                                                        {"election": "x" * 4096}, format="multipart")
    assert_error(response, 413, "too_large")


def test_the_database_down_is_a_503(personas, stations):
    client = token_client(personas["province_staff"])

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        response = client.get("/api/v1/polling-stations/")
    assert_error(response, 503, "unavailable")
    assert response["Retry-After"]


def test_the_cache_down_lets_the_token_endpoint_work_without_its_rate_limit(personas, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from kpu_polda.base.throttling import CacheSafeScopedRateThrottle

    down = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens on port 1
    monkeypatch.setattr(CacheSafeScopedRateThrottle, "cache", down)
    response = APIClient().post("/api/v1/auth/token/", {"username": "observer", "password": PASSWORD}, format="json")
    assert response.status_code == 201, response.content[:300]  # fails open: see CacheSafeScopedRateThrottle


def test_a_cache_error_elsewhere_is_a_503(personas, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from coordination.api import views

    def down(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(views.policies, "scope_code", down)
    assert_error(token_client(personas["province_staff"]).get("/api/v1/me/"), 503, "unavailable")


# --- a locked account's tokens --------------------------------------------------------


def test_a_locked_accounts_token_stops_working_while_the_lock_lasts(personas):
    client = token_client(personas["observer"])
    assert client.get("/api/v1/me/").status_code == 200
    for _ in range(5):
        APIClient().post("/api/v1/auth/token/", {"username": "observer", "password": "wrong"}, format="json")
    assert_error(client.get("/api/v1/me/"), 429, "locked_out")
    # Other accounts are not affected, and the lock ends with its cool-off period.
    assert token_client(personas["secretariat"]).get("/api/v1/me/").status_code == 200
    AccessAttempt.objects.filter(username="observer").update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert client.get("/api/v1/me/").status_code == 200


def test_the_lockout_check_costs_no_query(personas):
    from django.test.utils import CaptureQueriesContext

    client = token_client(personas["observer"])
    client.get("/api/v1/me/")  # last use recorded; the next request writes nothing
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me/").status_code == 200
    axes = [q["sql"] for q in queries.captured_queries if "axes_accessattempt" in q["sql"]]
    # Read inside the token's own query, not in one of its own.
    assert len(axes) == 1 and "coordination_apitoken" in axes[0]


# --- validation of input --------------------------------------------------------------


@pytest.fixture
def risk_input(stages, tree):
    return {"stage": stages["campaign"].pk, "region": tree["samarinda"].code, "category": "money_politics",
            "title": "Politik uang", "likelihood": 3, "impact": 3}


@pytest.mark.parametrize("change, field", [
    ({"likelihood": "\u0663"}, "likelihood"),  # Arabic-Indic three
    ({"impact": "\uff13"}, "impact"),  # fullwidth three
    ({"due_on": "1024-01-01"}, "due_on"),
    ({"due_on": "2999-12-31"}, "due_on"),
    ({"due_on": "\u0662\u0660\u0662\u0664-01-01"}, "due_on"),
    ({"title": "Politik\x07uang"}, "title"),
    ({"title": "Politik\nuang"}, "title"),  # a single line
    ({"description": "a\x1bb"}, "description"),
    ({"title": "x" * 201}, "title"),  # max_length 200: refused, not cut
])
def test_risk_input_is_refused_with_a_message(personas, api_for, risk_input, change, field):
    response = api_for(personas["samarinda_operator"]).post("/api/v1/risks/", {**risk_input, **change}, format="json")
    body = assert_error(response, 400, "invalid")
    assert body["errors"][field] and all(isinstance(m, str) and m for m in body["errors"][field])


def test_multi_line_text_keeps_newlines_and_tabs(personas, api_for, risk_input, english):
    response = api_for(personas["samarinda_operator"]).post(
        "/api/v1/risks/", {**risk_input, "description": "Satu\r\n\tdua", "due_on": "2024-02-01"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["description"] == "Satu\r\n\tdua"


def test_the_messages_say_what_is_wrong(personas, api_for, risk_input, english):
    client = api_for(personas["samarinda_operator"])
    errors = client.post("/api/v1/risks/", {**risk_input, "likelihood": "\u0663", "due_on": "1024-01-01",
                                            "title": "a\x00b\x07"}, format="json",
                         HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    assert errors["likelihood"] == ["Use the digits 0-9."]
    assert errors["due_on"] == ["Enter a date between the years 1990 and 2100."]
    assert "Control characters are not allowed." in errors["title"] or "Null characters are not allowed." in \
        errors["title"]


def test_token_request_refuses_overlong_credentials(personas):
    response = APIClient().post("/api/v1/auth/token/", {"username": "u" * 151, "password": "x"}, format="json")
    assert "username" in assert_error(response, 400, "invalid")["errors"]


def test_forms_hold_to_the_same_rules(tree, english):
    form = EvidenceForm(data={"occurred_on": "1900-01-01", "description": "Rapat\r\nkoordinasi", "region": "64.72"})
    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["Enter a date between the years 1990 and 2100."]
    assert "description" not in form.errors  # newlines are fine in a textarea
    form = EvidenceForm(data={"occurred_on": "\u0662\u0660\u0662\u0664-01-01", "description": "x", "region": "64.72"})
    assert not form.is_valid() and form.errors["occurred_on"] == ["Use the digits 0-9."]
    review = RiskReviewForm(data={"likelihood": "3", "impact": "3", "note": "a\x0bb"})
    assert not review.is_valid() and review.errors["note"] == ["Control characters are not allowed."]


def test_a_misconfigured_rate_still_fails_loudly(settings):
    """Only an unreachable cache lets the token endpoint through without its limit."""
    from kpu_polda.base.throttling import CacheSafeScopedRateThrottle

    throttle = CacheSafeScopedRateThrottle()
    throttle.THROTTLE_RATES = {"auth-token": "20 per minute"}

    class View:
        throttle_scope = "auth-token"

    with pytest.raises(ValueError):
        throttle.allow_request(APIClient().get("/").wsgi_request, View())


def test_too_many_query_fields_is_json(personas):
    query = "&".join(f"a{n}=1" for n in range(1200))
    response = token_client(personas["province_staff"]).get(f"/api/v1/polling-stations/?{query}")
    assert_error(response, 400, "bad_request")
