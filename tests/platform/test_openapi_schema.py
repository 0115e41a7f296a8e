"""The OpenAPI schema as a client generator reads it (kpu_polda/base/schema.py): one
request body type, the error responses with the one error body, nullable fields, only the
filters a list takes, and the same document whatever the request's language."""

import pytest

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"
UPLOADS = {"/api/v1/polling-stations/import/", "/api/v1/tps-classes/import/", "/api/v1/trainings/{id}/materials/",
           "/api/v1/peace-declarations/{id}/document/", "/api/v1/exchanges/{id}/attachments/", "/api/v1/imports/"}
WRITES = {"post", "put", "patch", "delete"}


def fetch_schema(client, language="id"):
    response = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def schema(api_for, personas):
    return fetch_schema(api_for(personas["samarinda_operator"]))


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def query_names(operation):
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def test_each_operation_takes_one_request_body_type(schema):
    bodies = {(path, method): list(op["requestBody"]["content"]) for path, method, op in operations(schema)
              if "requestBody" in op}
    assert bodies, "no operation has a request body"
    for (path, method), media_types in bodies.items():
        expected = ["multipart/form-data"] if path in UPLOADS else ["application/json"]
        assert media_types == expected, (method, path)
    assert ("/api/v1/auth/token/", "post") in bodies and ("/api/v1/risks/{id}/reviews/", "post") in bodies


def test_the_api_reads_json_and_no_form_encoding(api_for, personas, risks):
    client = api_for(personas["samarinda_operator"])
    url = f"/api/v1/risks/{risks['samarinda'].pk}/reviews/"
    form = client.post(url, "likelihood=1&impact=2", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415 and set(form.json()) == {"code", "detail"}
    assert client.post(url, {"likelihood": 1, "impact": 2, "note": "Aman"}, format="json").status_code == 201


def test_error_responses_carry_the_one_error_body(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "detail", "errors"}
    assert error["required"] == ["code", "detail"]
    for path, _method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status >= "400":
                assert response["content"] == {"application/json": {"schema": {"$ref": ERROR_REF}}}, (path, status)

    def statuses(path, method):
        return {s for s in schema["paths"][path][method]["responses"] if s >= "400"}

    # 503 everywhere: the database or the cache unreachable (ApiErrorsMiddleware).
    assert statuses("/api/v1/risks/{id}/transition/", "post") == {"400", "401", "403", "404", "409", "413", "503"}
    assert statuses("/api/v1/risks/", "get") == {"400", "401", "403", "404", "503"}  # filters; a page past the end
    assert statuses("/api/v1/risks/{id}/", "get") == {"400", "401", "403", "404", "503"}
    assert statuses("/api/v1/me/", "get") == {"401", "403", "503"}
    assert statuses("/api/v1/personnel-plan/", "get") == {"401", "403", "404", "503"}  # an election or region code
    assert statuses("/api/v1/tokens/{id}/", "delete") == {"400", "401", "403", "404", "409", "503"}
    # Open to anyone and throttled (django-axes' lockout is a 429 too).
    assert statuses("/api/v1/auth/token/", "post") == {"400", "413", "429", "503"}


def test_error_bodies_match_the_documented_shape(client, api_for, personas, risks):
    documented = {"code", "detail", "errors"}
    anonymous = client.get("/api/v1/risks/")
    observer = api_for(personas["observer"])
    refused = observer.post(f"/api/v1/risks/{risks['samarinda'].pk}/transition/", {"to_status": "closed"},
                            format="json")
    missing = observer.get("/api/v1/risks/999999/")
    invalid = observer.get("/api/v1/risks/", {"status": "nope"})
    for response, status in [(anonymous, 401), (refused, 403), (missing, 404), (invalid, 400)]:
        assert response.status_code == status
        assert {"code", "detail"} <= set(response.json()) <= documented, response.json()
    assert set(invalid.json()["errors"]) == {"status"}


def test_nullable_fields_are_marked(schema):
    components = schema["components"]["schemas"]

    def nullable(component, field):
        return components[component]["properties"][field].get("nullable", False)

    for component, field in [("Region", "parent_code"), ("Agency", "parent_code"), ("Agency", "counterpart_code"),
                             ("Stage", "parent"), ("Agreement", "parent"), ("SecurityPattern", "police_unit"),
                             ("Clause", "responsible"), ("Risk", "owner"), ("Risk", "due_on")]:
        assert nullable(component, field), (component, field)
    for component, field in [("Region", "code"), ("Stage", "election"), ("Agreement", "signatories"),
                             ("Risk", "region")]:
        assert not nullable(component, field), (component, field)


def test_a_root_region_reads_null_as_documented(api_for, personas):
    rows = api_for(personas["province_staff"]).get("/api/v1/regions/", {"code_prefix": "64"}).json()["results"]
    assert {row["code"]: row["parent_code"] for row in rows}["64"] is None


def test_nested_lists_document_only_their_paging(schema):
    for path in ["/api/v1/risks/{id}/reviews/", "/api/v1/agreements/{id}/status-changes/",
                 "/api/v1/clauses/{id}/evidence/"]:
        assert query_names(schema["paths"][path]["get"]) == {"page", "page_size"}, path
    risk_filters = query_names(schema["paths"]["/api/v1/risks/"]["get"]) - {"page", "page_size"}
    assert {"status", "region", "stage"} <= risk_filters
    # The CSV export takes the list's filters, and no paging.
    assert query_names(schema["paths"]["/api/v1/risks/export/"]["get"]) == risk_filters


def test_a_nested_list_ignores_the_parent_lists_filters(api_for, personas, risks):
    """The risk's filters used to narrow the lookup of the risk itself: an open risk's
    reviews read as 404 with ``?status=closed``."""
    client = api_for(personas["samarinda_operator"])
    response = client.get(f"/api/v1/risks/{risks['samarinda'].pk}/reviews/", {"status": "closed"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_write_without_a_service_is_neither_offered_nor_documented(schema, api_for, personas):
    assert "post" not in schema["paths"]["/api/v1/agreements/"]
    assert "post" in schema["paths"]["/api/v1/agreements/{id}/transition/"]
    response = api_for(personas["secretariat"]).post("/api/v1/agreements/", {"code": "x"}, format="json")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_the_schema_is_the_same_in_every_language(api_for, personas):
    client = api_for(personas["samarinda_operator"])
    indonesian, english = fetch_schema(client, "id"), fetch_schema(client, "en")
    # Decided: no translated free text either; the whole document is built in English.
    assert indonesian == english
    assert {op["operationId"] for _p, _m, op in operations(indonesian)} \
        == {op["operationId"] for _p, _m, op in operations(english)}
    status = indonesian["components"]["schemas"]["AgreementStatusEnum"]
    assert status["enum"] == ["draft", "active", "expired", "terminated"]
    assert "`draft` - Draft\n" in status["description"] and "Berlaku" not in status["description"]
    # The API's own messages still follow the request's language.
    assert client.get("/api/v1/risks/999999/", HTTP_ACCEPT_LANGUAGE="id").json()["detail"] \
        != client.get("/api/v1/risks/999999/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]


def test_the_browsable_forms_offer_only_the_callers_scope(client, personas, stages, agencies):
    client.force_login(personas["samarinda_operator"])
    page = client.get("/api/v1/risks/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="64.72.01"' in html and 'value="64.71"' not in html
    assert 'value="kpu-samarinda"' in html and 'value="kpu-kaltim"' in html  # in and above the region
    assert 'value="polres-balikpapan"' not in html
    assert f'value="{stages["campaign"].pk}"' in html


def test_the_browsable_form_of_a_nested_action_is_its_own(client, personas, risks):
    client.force_login(personas["samarinda_operator"])
    page = client.get(f"/api/v1/risks/{risks['samarinda'].pk}/reviews/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="note"' in html and 'name="region"' not in html


def test_the_tps_list_documents_its_cursor_paging(schema):
    operation = schema["paths"]["/api/v1/polling-stations/"]["get"]
    assert {"cursor", "page_size"} <= query_names(operation) and "page" not in query_names(operation)
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paged = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(paged["properties"]) == {"next", "previous", "results"} and paged["required"] == ["results"]
    assert paged["properties"]["next"]["nullable"] and paged["properties"]["previous"]["nullable"]
    assert paged["properties"]["results"]["items"] == {"$ref": "#/components/schemas/PollingStation"}
    # The lists still paged by number keep their count.
    assert "count" in schema["components"]["schemas"]["PaginatedRegionList"]["properties"]
