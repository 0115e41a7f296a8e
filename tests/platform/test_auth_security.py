import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_login_logout_and_failures_are_recorded(personas, client):
    assert client.post(LOGIN, {"username": "observer", "password": "wrong"}).status_code == 200
    response = client.post(LOGIN, {"username": "observer", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    client.post("/accounts/logout/")
    log = AccessLog.objects.get(username="observer")
    assert log.attempt_time and log.logout_time
    assert AccessFailureLog.objects.filter(username="observer").count() == 1


def test_five_failures_lock_the_account_for_fifteen_minutes(personas, client):
    for _ in range(5):
        client.post(LOGIN, {"username": "observer", "password": "wrong"})
    locked = client.post(LOGIN, {"username": "observer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "15" in locked.content.decode()
    assert AccessAttempt.objects.get(username="observer").failures_since_start >= 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    # Another account from the same address is not affected.
    assert client.post(LOGIN, {"username": "secretariat", "password": PASSWORD}).status_code == 302


def test_token_endpoint_counts_toward_the_same_lockout(personas):
    api = APIClient()
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "observer", "password": "wrong"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "observer", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


@pytest.mark.parametrize("weak", ["short", "12345678901", "password123"])
def test_password_validators_refuse_weak_passwords(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_change_keeps_input_and_explains(personas, client):
    client.force_login(personas["observer"])
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "abc",
                                                   "new_password2": "abc"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["samarinda_police", "no_agency"])
def test_a_token_is_read_with_its_holder_as_the_orm_reads_them(personas, who):
    from datetime import datetime

    from coordination import selectors, services
    from coordination.models import ApiToken
    from tests.factories import UserFactory

    user = personas[who] if who in personas else UserFactory(username="no.agency", agency=None)
    token, key = services.api_token_create(actor=user, name="laptop", expires_in_days=30)

    found = selectors.api_token_for_key(key)
    stored = ApiToken.objects.select_related("user__agency").get(pk=token.pk)
    assert _fields(found) == _fields(stored)
    assert _fields(found.user) == _fields(stored.user)
    assert isinstance(found.expires_at, datetime) and isinstance(found.user.date_joined, datetime)
    if stored.user.agency is None:
        assert found.user.agency is None and found.jurisdiction_code is None
    else:
        assert _fields(found.user.agency) == _fields(stored.user.agency)
        assert found.jurisdiction_code == stored.user.agency.jurisdiction.code
    assert found.login_failures is None
    assert selectors.api_token_for_key(key + "x") is None
