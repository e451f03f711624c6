"""Hostile input: text the app cannot store is a plain 400 on every route, before
any query (issue 13).  PostgreSQL refuses NUL in text, so before the hook these
requests were 500s there; the sweep runs on both engines (``TEST_DATABASE_URL``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter, PathConverter

from tests.conftest import AuthActions, csrf_token
from tracker.extensions import db
from tracker.inputs import MESSAGE, unstorable

NUL = "\x00"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def sample_value(rule: Rule, name: str) -> Any:
    converter = rule._converters[name]
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return converter.items[0]  # type: ignore[attr-defined]
    if isinstance(converter, PathConverter):
        return "style.css"
    return "x"


def build(app: Flask, rule: Rule, nul_in_path: bool = False) -> str:
    """The rule's URL with sample values; with a NUL in a text argument (or, when it
    has none, after the path) when ``nul_in_path``."""
    values = {name: sample_value(rule, name) for name in rule.arguments}
    text_args = [
        n
        for n, v in values.items()
        if isinstance(v, str) and not isinstance(rule._converters[n], AnyConverter)
    ]
    if nul_in_path and text_args:
        values[text_args[0]] += NUL
    adapter = app.url_map.bind("localhost")
    path = adapter.build(rule.endpoint, values, method=sorted(rule.methods or {"GET"})[0])
    if nul_in_path and not text_args:
        path += "%00"
    assert not nul_in_path or "%00" in path
    return path


def hostile_requests(app: Flask) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, url, client.open keywords) for every route: NUL in the path, in the
    query string, in form fields, and a NUL and a lone surrogate in a JSON body."""
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - SKIPPED_METHODS)
        clean = build(app, rule)
        for method in methods:
            yield method, build(app, rule, nul_in_path=True), {}
            yield method, f"{clean}?q=%00&next=/x%00&page=%00", {}
            yield method, f"{clean}?name%00=1", {}
        yield (
            "POST",
            clean,
            {
                "data": {
                    "email": f"a{NUL}@example.org",
                    "password": "x",
                    "q": NUL,
                    "address": f"1 Main{NUL}",
                }
            },
        )
        yield "POST", clean, {"data": {"note": "bell\x07", "reason": "escape\x1b[31m"}}
        yield "POST", clean, {"json": {"name": NUL, "nested": [{"deep": "x"}]}}
        yield "POST", clean, {"data": '{"name": "\\ud800"}', "content_type": "application/json"}


@pytest.fixture
def statements(app: Flask) -> Iterator[list[Any]]:
    """The parameters of every SQL statement the app runs during the test."""
    seen: list[Any] = []

    def record(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        seen.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_every_route_refuses_unstorable_text_with_a_plain_400(
    app: Flask, client: FlaskClient, statements: list[Any]
) -> None:
    app.config["PROPAGATE_UNEXPECTED"] = True  # a 500 would raise here and name the route
    checked = 0
    for method, url, options in hostile_requests(app):
        response = client.open(url, method=method, **options)
        where = f"{method} {url} {options}"
        assert response.status_code == 400, where
        if url.startswith("/api/") or url.split("?")[0] == "/healthz":  # JSON answers
            document = response.get_json()
            assert document == {"error": "Bad Request", "message": MESSAGE, "status": 400}, where
        else:
            assert response.mimetype == "text/html", where
            page = response.get_data(as_text=True)
            assert "<h1>Bad Request</h1>" in page and MESSAGE in page, where
        response.close()
        checked += 1
    assert checked > 400  # every route, several ways
    for statement, parameters in statements:
        assert not any(unstorable(value) for value in texts(parameters)), statement


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def test_sign_in_with_a_nul_is_refused_not_an_error(client: FlaskClient, app: Flask) -> None:
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login",
        data={"email": f"staff{NUL}@example.org", "password": "x", "csrf_token": token},
    )
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_signed_in_form_with_control_characters_is_refused(
    client: FlaskClient, auth: AuthActions, admin_user: Any
) -> None:
    auth.login("admin@example.org")
    token = csrf_token(client, "/admin/users")
    response = client.post(
        "/admin/users",
        data={"email": f"new{NUL}@example.org", "role": "staff", "csrf_token": token},
    )
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    from tracker.models import User

    assert db.session.query(User).count() == 1  # nothing was created


def test_tab_newline_and_ordinary_text_still_pass(client: FlaskClient) -> None:
    assert client.get("/bills?q=tax%09credit%0Afor%20famil%C3%AEes").status_code == 200
    assert client.get("/find?name=Zo%C3%AB").status_code == 200
    response = client.post(
        "/api/v1/bills",
        data=json.dumps({"note": "line\nbreak\ttab"}),
        content_type="application/json",
    )
    assert response.status_code != 400


@pytest.mark.parametrize(
    "text,refused",
    [
        ("plain", False),
        ("tab\tnew\nline\r", False),
        ("Zoë – “quoted”", False),
        (NUL, True),
        ("\x01", True),
        ("\x1f", True),
        ("\x0b", True),
        ("\ud800", True),
        ("\udfff", True),
    ],
)
def test_the_rule(text: str, refused: bool) -> None:
    assert unstorable(text) is refused
