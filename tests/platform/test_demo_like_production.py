"""The demo is served the way production serves it, and production refuses the demo
accounts whose password the README publishes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from coordination import services
from coordination.choices import Role
from tests.conftest import PASSWORD
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def _local_settings() -> dict:
    """The demo's settings as `make run` loads them: no DEBUG or hosts in the environment."""
    dropped = {"DEBUG", "ALLOWED_HOSTS", "CLOCK_START", "CLOCK_ANCHOR", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {k: v for k, v in os.environ.items() if k not in dropped}
    environ["DJANGO_SETTINGS_MODULE"] = "kpu_polda.settings.local"
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({'debug': s.DEBUG, 'static': s.STORAGES['staticfiles']['BACKEND'], "
            "'hosts': s.ALLOWED_HOSTS, 'demo': s.DEMO_DATA_ALLOWED}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_settings_serve_like_production():
    local = _local_settings()
    assert local["debug"] is False
    assert local["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert {"127.0.0.1", "localhost"} <= set(local["hosts"])
    assert local["demo"] is True


def test_make_run_collects_static_files_before_serving():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "collectstatic --noinput" in recipe
    assert recipe.index("collectstatic") < recipe.index("run-demo")


# The demo's DEBUG, stated here so the pages below are what a demo visitor sees.
@override_settings(DEBUG=False)
@pytest.mark.parametrize("path", ["tps", "agency", "unknown"])
def test_out_of_scope_and_missing_pages_answer_the_projects_404_page(personas, stations, client, path):
    client.force_login(personas["balikpapan_operator"])
    url = {"tps": f"/polling-stations/{stations['samarinda'].pk}/", "agency": "/agencies/kpu-samarinda/",
           "unknown": "/tidak-ada/"}[path]
    response = client.get(url)
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    body = response.content.decode()
    assert "Tidak ditemukan" in body and 'class="navbar' in body  # the project's page, in its layout
    assert "URLconf" not in body and "technical_404" not in body


# --- demo accounts under production settings --------------------------------------------

PRODUCTION = override_settings(DEMO_DATA_ALLOWED=False)


@pytest.fixture
def demo_user(agencies):
    """A demo account as seed_demo makes it (one of coordination.demo.DEMO_USERS)."""
    return UserFactory(username="kpu.samarinda", role=Role.REGIONAL_OFFICE, agency=agencies["kpu_samarinda"])


def test_production_refuses_demo_accounts_on_the_login_page(demo_user, personas, client):
    with PRODUCTION:
        refused = client.post(LOGIN, {"username": "kpu.samarinda", "password": PASSWORD})
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
        assert "alert-danger" in refused.content.decode()
        # A real account signs in as before.
        assert client.post(LOGIN, {"username": "observer", "password": PASSWORD}).status_code == 302
    # The same demo account signs in where demo data is allowed (the demo).
    client.post("/accounts/logout/")
    assert client.post(LOGIN, {"username": "kpu.samarinda", "password": PASSWORD}).status_code == 302


def test_production_refuses_demo_accounts_at_the_token_endpoint(demo_user, personas):
    api = APIClient()
    with PRODUCTION:
        refused = api.post(TOKEN, {"username": "kpu.samarinda", "password": PASSWORD, "name": "skrip"}, format="json")
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_credentials"
        assert api.post(TOKEN, {"username": "observer", "password": PASSWORD, "name": "skrip"},
                        format="json").status_code == 201
    assert api.post(TOKEN, {"username": "kpu.samarinda", "password": PASSWORD, "name": "skrip"},
                    format="json").status_code == 201


def test_production_refuses_existing_tokens_and_sessions_of_demo_accounts(demo_user, client):
    _token, key = services.api_token_create(actor=demo_user, name="skrip")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.force_login(demo_user)
    assert api.get("/api/v1/me/").status_code == 200
    assert client.get("/profile/").status_code == 200
    with PRODUCTION:
        assert api.get("/api/v1/me/").status_code == 401
        response = client.get("/profile/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)
