"""Errors of /api/v1/ as its schema documents them: the statuses, the logins and one body.

schemathesis (tests/fuzz/test_api_schemathesis.py) checks every operation against these
rules with generated data; these tests name the rules with data chosen by hand.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    return api_client.get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method != "parameters":
                yield path, method, operation


def test_public_reads_need_no_login_and_writes_do(schema):
    events = schema["paths"]["/api/v1/events/"]
    assert {} in events["get"]["security"]
    assert {} not in events["post"]["security"]
    registrations = schema["paths"]["/api/v1/registrations/"]
    assert {} not in registrations["get"]["security"]


def test_every_operation_documents_the_errors_it_can_answer(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        # Any operation refuses a token that is not valid.
        assert "401" in responses, label
        if "{" in path:
            assert "404" in responses, label
        if method != "get" or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, label
        if {} not in operation.get("security", [{}]):
            assert "403" in responses, label
        for code, response in responses.items():
            if code.startswith("4") and (label, code) != ("POST /api/v1/checkin/redeem/", "404"):
                assert response["content"]["application/json"]["schema"] == error, (label, code)


def test_rate_limited_operations_document_429_with_retry_after(schema):
    for path in ("/api/v1/checkin/redeem/", "/api/v1/member-registrations/"):
        response = schema["paths"][path]["post"]["responses"]["429"]
        assert "Retry-After" in response["headers"]
    assert "429" not in schema["paths"]["/api/v1/events/"]["post"]["responses"]


def test_error_body_is_one_documented_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["type"] == "object"
    assert error["properties"]["detail"] == {"type": "string"}


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "1.5"},
        {"page_size": "x"},
        {"page_size": "0"},
        {"page_size": "501"},
    ],
)
def test_page_and_page_size_must_be_whole_numbers_from_one(api_client, check_schema, query):
    response = api_client.get("/api/v1/events/", query)
    assert response.status_code == 400
    body = check_schema(response)
    assert list(body) == list(query)


def test_pages_within_range_are_answered(api_client, check_schema):
    response = api_client.get("/api/v1/events/", {"page": "1", "page_size": "500"})
    assert response.status_code == 200
    check_schema(response)


def test_page_schema_says_whole_numbers_from_one(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_id_filters_document_their_bounds(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/works/"]["get"]["parameters"]}
    assert parameters["edition"]["schema"]["maximum"] == 2**63 - 1


def test_an_address_under_the_api_that_is_no_route_is_a_json_404(api_client, check_schema):
    response = api_client.get("/api/v1/events/1.5e-3/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_the_api_reads_json_and_refuses_form_posts_as_documented(api_as, project_leader):
    response = api_as(project_leader).post(
        "/api/v1/municipalities/", {"name": "Bergen"}, format="multipart"
    )
    assert response.status_code == 415
    assert "detail" in response.json()


def test_a_bad_token_is_refused_even_where_no_login_is_needed(api_client, check_schema):
    response = api_client.get("/api/v1/events/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    check_schema(response)


def test_text_fields_document_that_nul_is_refused(schema, api_as, project_leader):
    name = schema["components"]["schemas"]["MunicipalityRequest"]["properties"]["name"]
    assert name["pattern"] == "^[^\\u0000]*$"
    number = schema["components"]["schemas"]["MunicipalityRequest"]["properties"]["number"]
    assert number["pattern"] == r"^\d{4}$"
    response = api_as(project_leader).post(
        "/api/v1/municipalities/", {"name": "Ber\x00gen", "number": "4601", "county": "V"}
    )
    assert response.status_code == 400 and "name" in response.json()


def test_decimal_inputs_need_digits(schema):
    price = schema["components"]["schemas"]["OfferRequest"]["properties"]["price"]
    assert price["pattern"] == r"^-?\d{1,8}(?:\.\d{1,2})?$"


def test_json_input_keeps_the_documented_types(api_as, project_leader, check_schema):
    client = api_as(project_leader)
    number_as_text = client.post(
        "/api/v1/municipalities/",
        {"name": 4601, "number": "4601", "county": "Vestland", "valid_from": "2020-01-01"},
    )
    assert number_as_text.status_code == 400
    assert list(check_schema(number_as_text)) == ["name"]


def test_an_id_is_a_whole_number(api_as, project_leader, check_schema):
    client = api_as(project_leader)
    municipality = client.post(
        "/api/v1/municipalities/",
        {"name": "Bergen", "number": "4601", "county": "Vestland", "valid_from": "2020-01-01"},
    ).json()
    venue = {"name": "Grieghallen", "municipality": municipality["id"] + 0.5}
    response = client.post("/api/v1/venues/", venue)
    assert response.status_code == 400
    assert "municipality" in check_schema(response)
