"""The API fuzzed from its own OpenAPI schema: whatever a caller sends, no answer is a
server error, and every error answers in the one format ({"code", "detail"[, "errors"]}).

Runs in-process against the WSGI application (no server), for an anonymous caller, a KPU
Samarinda operator and a province-wide KPU user, each with a real API token. The number
of examples per operation is bounded so the whole run stays well under a minute.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from coordination import services
from tests.factories import risk, stage

EXAMPLES = 5
PERSONAS = ["anonymous", "samarinda_operator", "province_staff"]

application = get_wsgi_application()


@pytest.fixture
def ground(db, tree, personas, stations, election):
    """Rows for the fuzzer to run into: a stage and a risk each side of the Samarinda line."""
    from datetime import date

    campaign = stage(election, "7", date(2023, 11, 28), date(2024, 2, 10), name="Masa kampanye")
    risk(campaign, tree["samarinda"], title="Politik uang")
    risk(campaign, tree["balikpapan"], title="Banjir")
    return personas


@pytest.fixture
def keys(ground):
    """Each persona's Authorization header (a real token); none for the anonymous caller."""
    headers = {"anonymous": {}}
    for name in PERSONAS[1:]:
        _token, key = services.api_token_create(actor=ground[name], name="fuzz")
        headers[name] = {"Authorization": f"Token {key}"}
    # As Django's test client does: the in-process requests must not close the test's
    # connection (and its transaction) at their end.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield headers
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema_document() -> dict:
    """The OpenAPI document /api/schema/ serves (test_the_served_schema_is_the_one_fuzzed)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_schema_document())
schema.app = application


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_input_makes_a_server_error(case, keys):
    for persona in PERSONAS:
        # Uncompressed: GZipMiddleware would answer in gzip, which the in-process client keeps.
        response = case.call(headers={**keys[persona], "Accept-Encoding": "identity"})
        where = f"{persona}: {case.method} {case.formatted_path} {case.query or ''} -> {response.status_code}"
        assert response.status_code < 500, f"{where}: {response.text_lossy()[:500]}"
        if response.status_code >= 400:
            content_type = response.headers.get("content-type", [""])[0]
            assert content_type.startswith("application/json"), f"{where}: {content_type} {response.text_lossy()[:300]}"
            body = response.json()
            assert isinstance(body, dict) and {"code", "detail"} <= set(body), f"{where}: {body}"


def test_the_fuzz_covers_every_operation():
    """Every operation of the schema is fuzzed (the parametrized test above has one case
    per operation), so a new endpoint is fuzzed without anyone adding it."""
    document = _schema_document()
    operations = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method in {"get", "post", "patch", "put", "delete"}}
    fuzzed = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert len(operations) >= 30 and fuzzed == operations


def test_the_served_schema_is_the_one_fuzzed(ground, api_for):
    served = api_for(ground["province_staff"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    assert set(served.json()["paths"]) == set(_schema_document()["paths"])
