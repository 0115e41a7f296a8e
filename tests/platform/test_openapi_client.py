"""A regional office's programmer generates a Python client from the schema with
openapi-python-client: it must generate, import, and talk to a running server."""

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE = "kpu_polda_client"


def generate(schema: dict, where: Path) -> None:
    if importlib.util.find_spec("openapi_python_client") is None:
        pytest.skip("openapi-python-client is not installed (pip install -r requirements-dev.txt)")
    (where / "schema.json").write_text(json.dumps(schema))
    # No formatter hooks: the generated code is imported, not read.
    (where / "config.json").write_text(json.dumps({"post_hooks": [], "package_name_override": PACKAGE}))
    command = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(  # noqa: S603 (our own arguments)
        [str(command), "generate", "--path", str(where / "schema.json"), "--output-path", str(where / PACKAGE),
         "--config", str(where / "config.json"), "--meta", "none"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def generated_client(tmp_path, api_for, personas):
    schema = api_for(personas["samarinda_operator"]).get("/api/schema/", {"format": "json"}).json()
    generate(schema, tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_a_generated_client_reads_and_writes_against_a_live_server(generated_client, live_server, personas, stages):
    api = importlib.import_module(f"{PACKAGE}.api.v1")
    for module in ("v1_auth_token_create", "v1_regions_list", "v1_risks_create", "v1_risks_retrieve",
                   "v1_risks_reviews_create", "v1_risks_transition_create", "v1_clauses_evidence_create"):
        importlib.import_module(f"{api.__name__}.{module}")
    models = importlib.import_module(f"{PACKAGE}.models")

    # A write open to anyone: the token, shown once.
    anonymous = generated_client.Client(base_url=live_server.url)
    token = api.v1_auth_token_create.sync(client=anonymous, body=models.TokenRequestRequest(
        username="samarinda_operator", password=PASSWORD, name="client"))
    assert isinstance(token, models.IssuedToken), token
    client = generated_client.AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")

    # A read, parsed by the generated models: the kab/kota's parent is the province, the
    # province's parent null (as the schema says).
    regions = api.v1_regions_list.sync(client=client)
    assert isinstance(regions, models.PaginatedRegionList), regions
    assert {region.code: region.parent_code for region in regions.results}["64.72"] == "64"

    # A write with a JSON body.
    risk = api.v1_risks_create.sync(client=client, body=models.RiskRequest(
        stage=stages["campaign"].pk, region="64.72.01", category=models.RiskCategoryEnum.SECURITY,
        title="Intimidasi saksi", likelihood=3, impact=4))
    assert isinstance(risk, models.Risk), risk
    assert (risk.score, risk.level, risk.owner) == (12, "high", None)

    # An error parses as the one error body.
    missing = api.v1_risks_retrieve.sync(id=risk.id + 1000, client=client)
    assert isinstance(missing, models.Error) and missing.code == "not_found"
