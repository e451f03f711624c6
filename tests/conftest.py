"""Shared fixtures: the app on a migrated database, clients, and small factories.

The database is SQLite in a temporary file unless ``TEST_DATABASE_URL`` names
another (``make test-pg`` sets it to PostgreSQL).  The schema is built once
per run by the real Alembic migrations; each test starts with empty tables.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from tracker import create_app
from tracker.extensions import db, limiter

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "correct horse battery staple"


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def base_config(url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "INSTANCE_PATH": str(instance),
        "TRACKER_HTTP_CACHE_DIR": str(instance / "http-cache"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "CACHE_TYPE": "NullCache",  # tests/test_pagecache.py turns the page cache on
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head by Alembic, once per test run."""
    folder = tmp_path_factory.mktemp("db")
    url = database_url(folder)
    if is_postgres(url):
        reset_postgres(url)
    app = create_app(base_config(url, folder))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The ``app`` fixture keeps an app context pushed for the test body; Flask
    would reuse it for requests, sharing ``g`` and the database session between
    requests and the test.  An empty ``contextvars.Context`` prevents that.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(base_config(database, tmp_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        yield app
        db.session.rollback()
        db.session.remove()
        truncate_all()
        dispose_all_engines()


def dispose_all_engines() -> None:
    """Close the pools of every app a test created (some tests build a second
    app on the same database); PostgreSQL connections left to the garbage
    collector raise ResourceWarnings."""
    for engines in list(db._app_engines.values()):  # Flask-SQLAlchemy's per-app engines
        for engine in engines.values():
            engine.dispose()


def truncate_all() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
            conn.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form on ``path``, as a browser would send it."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def make_user(
    email: str = "staff@example.org",
    role: str = "staff",
    password: str = PASSWORD,
    active: bool = True,
) -> Any:
    from tracker import accounts

    user = accounts.create_user(email, role, password, actor="test")
    user.active = active
    db.session.commit()
    return user


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(
        self,
        email: str = "staff@example.org",
        password: str = PASSWORD,
        next_url: str | None = None,
    ) -> Any:
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        token = csrf_token(self.client, path)
        return self.client.post(
            path, data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self) -> Any:
        token = csrf_token(self.client, "/")
        return self.client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def staff_user(app: Flask) -> Any:
    return make_user("staff@example.org", "staff")


@pytest.fixture
def admin_user(app: Flask) -> Any:
    return make_user("admin@example.org", "admin")


def openstates_dir() -> Path:
    """The real Open States data; skipped when absent unless the run demands it
    (``TRACKER_REQUIRE_OPENSTATES=1``, as CI sets), where absence fails."""
    default = PROJECT_ROOT.parent / "shared" / "data" / "openstates-people-mn"
    path = Path(os.environ.get("TRACKER_OPENSTATES_DIR") or default)
    if not (path / "legislature").is_dir():
        message = f"Open States data not found at {path} (set TRACKER_OPENSTATES_DIR)"
        if os.environ.get("TRACKER_REQUIRE_OPENSTATES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
