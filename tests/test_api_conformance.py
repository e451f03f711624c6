"""The API does what its OpenAPI document says, class by class of the mismatches
schemathesis found (``tests/run_suites.py --only api`` runs schemathesis itself
against a live server on the demo data):

* a method other than GET, HEAD or OPTIONS is a 405 with an ``Allow`` header;
* an empty value of a number, true/false or choice argument is a 400 like any
  value outside its schema; an empty text argument is no filter;
* choices, numbers and true/false are taken exactly as documented (no folding
  of case, no ``1_000``, no ``yes``);
* every string parameter states its length limit and the characters the app
  refuses (``tracker.inputs``), and a request within every limit fits gunicorn's
  request line, so a schema-valid request never meets the 414; the 414 is
  documented for the rest;
* a schema-valid request is never refused: a contradictory filter is an empty
  page, a path segment that names no bill or alert is a 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import inputs, snapshots
from tracker.api.openapi import request_line_limit
from tracker.extensions import db
from tracker.models import Alert, Bill

PREFIX = "/api/v1"
UNDECLARED = ("PUT", "POST", "DELETE", "PATCH", "TRACE")


@pytest.fixture(autouse=True)
def fresh_snapshots() -> Iterator[None]:
    snapshots.clear()
    yield
    snapshots.clear()


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    return client.get(f"{PREFIX}/openapi.json").get_json()


def parameters(spec: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [p for p in spec["paths"][path]["get"]["parameters"] if "name" in p]


def query_parameters(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in spec["paths"]:
        for parameter in parameters(spec, path):
            if parameter["in"] == "query":
                yield path, parameter


def concrete(path: str) -> str:
    """A documented path with its parameters filled in (any values route)."""
    return re.sub(r"{\w+}", "x", path)


def json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (status, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert body["status"] == status and body["message"], body
    return body


# ------------------------------------------------------------------ methods


def test_undeclared_methods_answer_405_with_allow(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    for path in spec["paths"]:
        for method in UNDECLARED:
            response = client.open(concrete(path), method=method)
            json_error(response, 405)
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
            assert allowed == {"GET", "HEAD", "OPTIONS"}, (method, path, allowed)
            assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "405" in spec["info"]["description"] and "Allow" in spec["info"]["description"]


# ------------------------------------------------------------------ empty values


def test_empty_number_choice_and_boolean_arguments_are_400(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    seen = set()
    for path, parameter in query_parameters(spec):
        if parameter["schema"]["type"] == "string" and "enum" not in parameter["schema"]:
            continue
        name = parameter["name"]
        body = json_error(client.get(f"{concrete(path)}?{name}="), 400)
        assert body["message"].startswith(f"{name} must be "), body
        seen.add(name)
    assert seen == {"page", "per_page", "chamber", "status", "tagged", "position", "version"}


def test_empty_text_arguments_are_no_filter(
    client: FlaskClient, spec: dict[str, Any], demo_full: None
) -> None:
    seen = set()
    for path, parameter in query_parameters(spec):
        if parameter["schema"]["type"] != "string" or "enum" in parameter["schema"]:
            continue
        name = parameter["name"]
        given = client.get(f"{path}?{name}=")
        assert given.status_code == 200, (path, name, given.get_data(as_text=True)[:200])
        assert given.get_json()["items"] == client.get(path).get_json()["items"]
        assert given.get_json()["total"] > 0
        seen.add(name)
    assert seen == {"q", "session", "district", "name"}


# ------------------------------------------------------------------ exact values


@pytest.mark.parametrize(
    "query",
    [
        "legislators?chamber=House",
        "bills?chamber=SENATE",
        "bills?status=%20signed",
        "bills?position=Support",
        "bills?tagged=1",
        "bills?tagged=yes",
        "bills?tagged=True",
        "bills?page=1_000",
        "bills?per_page=%2B5",
        "legislators?page=%201",
    ],
)
def test_values_are_taken_exactly_as_documented(client: FlaskClient, query: str) -> None:
    json_error(client.get(f"{PREFIX}/{query}"), 400)


def test_documented_values_are_accepted(client: FlaskClient, demo_full: None) -> None:
    for query in (
        "legislators?chamber=house",
        "bills?chamber=senate&status=introduced",
        "bills?position=support&tagged=true",
        "bills?tagged=false&page=1&per_page=200",
        "bills?page=01",
    ):
        response = client.get(f"{PREFIX}/{query}")
        assert response.status_code == 200, (query, response.get_data(as_text=True))


def test_a_contradictory_filter_is_an_empty_page(client: FlaskClient, demo_full: None) -> None:
    """tagged=false and a position are each schema-valid; together they match no bill."""
    assert client.get(f"{PREFIX}/bills?position=support").get_json()["total"] > 0
    response = client.get(f"{PREFIX}/bills?tagged=false&position=support")
    assert response.status_code == 200
    assert (response.get_json()["items"], response.get_json()["total"]) == ([], 0)


def test_a_segment_naming_no_bill_or_alert_is_404(client: FlaskClient, demo_full: None) -> None:
    for segment in ("0", "XX12", "SF0", "SF", "SF123456", "'; DROP TABLE bill; --"):
        body = json_error(client.get(f"{PREFIX}/bills/2025-2026/{quote(segment)}"), 404)
        assert "bill" in body["message"]
    bill = db.session.scalars(select(Bill)).first()
    assert bill is not None
    ok = client.get(f"{PREFIX}/bills/{bill.session.identifier}/{bill.key.lower()}")
    assert ok.status_code == 200  # the spellings of a bill id still find it
    alert = db.session.scalars(select(Alert).where(Alert.status == "closed")).first()
    assert alert is not None
    assert client.get(f"{PREFIX}/alerts/{alert.public_id}").status_code == 200
    json_error(client.get(f"{PREFIX}/alerts/{alert.public_id}x"), 404)


# ------------------------------------------------------------------ limits in the schema


def string_parameters(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in spec["paths"]:
        for parameter in parameters(spec, path):
            schema = parameter["schema"]
            if schema["type"] == "string" and "enum" not in schema:
                yield path, parameter


def test_every_string_parameter_states_its_limits(spec: dict[str, Any]) -> None:
    seen = set()
    for path, parameter in string_parameters(spec):
        schema = parameter["schema"]
        assert parameter["description"], (path, parameter["name"])
        if schema.get("format") == "uuid":
            continue
        assert isinstance(schema.get("maxLength"), int), (path, parameter)
        pattern = re.compile(schema["pattern"])
        for code in [*range(0x20), 0x7F, 0xA0, 0x2028, 0xFFFD, 0x1F600]:
            assert (pattern.search(chr(code)) is None) is inputs.unstorable(chr(code)), code
        seen.add(parameter["name"])
    assert seen == {"q", "session", "district", "name", "bill"}
    for path, parameter in query_parameters(spec):
        if parameter["schema"]["type"] == "integer":
            assert {"minimum", "maximum"} <= set(parameter["schema"]), (path, parameter)


def test_the_server_enforces_the_stated_lengths(client: FlaskClient, spec: dict[str, Any]) -> None:
    for path, parameter in string_parameters(spec):
        if parameter["in"] != "query":
            continue
        longest = parameter["schema"]["maxLength"]
        name = parameter["name"]
        assert client.get(f"{path}?{name}={'é' * longest}").status_code in (200, 404)
        body = json_error(client.get(f"{path}?{name}={'é' * (longest + 1)}"), 400)
        assert body["message"] == f"{name} may have at most {longest} characters."


def worst_case(path: str, spec: dict[str, Any]) -> int:
    """The longest request line a schema-valid GET of ``path`` can have: each string
    parameter at its maximum length of four-byte characters, percent-encoded."""
    line = len("GET  HTTP/1.1") + len(path)
    for parameter in parameters(spec, path):
        schema = parameter["schema"]
        if parameter["in"] == "header":
            continue
        if "enum" in schema:
            value = max(len(str(v)) for v in schema["enum"])
        elif schema["type"] == "string":
            value = 36 if schema.get("format") == "uuid" else schema["maxLength"] * 12
        elif schema["type"] == "integer":
            value = len(str(schema["maximum"]))
        else:
            value = len("false")
        if parameter["in"] == "path":
            line += value - len(parameter["name"]) - 2
        else:
            line += len(parameter["name"]) + 2 + value
    return line


def test_a_schema_valid_request_fits_the_request_line(spec: dict[str, Any]) -> None:
    limit = request_line_limit()
    for path in spec["paths"]:
        assert worst_case(path, spec) <= limit, (path, worst_case(path, spec), limit)
        response = spec["paths"][path]["get"]["responses"]["414"]
        assert str(limit) in response["description"]
        assert "text/html" in response["content"]
