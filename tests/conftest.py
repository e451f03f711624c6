"""Shared fixtures: the app on a migrated database, clients and accounts.

The database is SQLite in a temporary file unless ``TEST_DATABASE_URL`` names
a PostgreSQL server (``make test-pg``).  Under pytest-xdist every worker has a
database of its own.  The schema is built once per worker by the real Alembic
migrations.

Each test runs inside one outer transaction that is rolled back afterwards:
the code under test commits as usual (its commits release savepoints), and
nothing outlives the test.  Tests that need real commits seen by other
connections (threads, subprocesses, a second engine, the scheduler's lease)
are marked ``@pytest.mark.committed``: they commit for real and the tables are
emptied afterwards.

Tests that start from the invented demo legislature request the fixture
``demo_full``, ``demo_no_alerts`` or ``demo_no_scorecards`` (directly or
through another fixture): they run against a database of the worker's that
was loaded with that variant once, again inside a rolled-back transaction (a
committed one, on a fresh copy of that database).

The app is built once per worker and database and shared by the tests (building
one compiles every URL rule); its instance folder is emptied before each test,
and its settings and config are put back as built after each.  A test that adds routes is marked
``fresh_app`` and gets its own.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url

from config import Settings
from tracker import accounts, create_app, dataversion, settings, snapshots
from tracker.extensions import db, limiter

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "correct horse battery staple"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
DEMO_VARIANTS = {
    "full": {},
    "no_alerts": {"with_alerts": False},
    "no_scorecards": {"with_scorecards": False},
}

# Password hashing at the cheapest argon2id settings: the tests exercise the
# flow, not the cost (tests/test_auth.py checks the production parameters).
_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    accounts.use_hasher(_FAST_HASHER)


SCRAPER_TESTS = Path(__file__).resolve().parent / "scrapers"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the scrapers' tests ``nodb``: ``scrapers/`` imports no database (the
    layering rule, tests/test_architecture.py), so running them again on PostgreSQL
    would test nothing new.  A test marked ``nodb`` that asks for a database is an
    error here, never a test silently left out of the PostgreSQL part."""
    for item in items:
        if SCRAPER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.nodb)
        if item.get_closest_marker("nodb") and "databases" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid} is marked nodb but uses a database")


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def _pg_admin(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT")


def pg_database(base_url: str, name: str, *, template: str | None = None) -> str:
    """A fresh PostgreSQL database ``name`` on the server of ``base_url`` (dropped
    first when it exists); its URL."""
    admin = _pg_admin(base_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        extra = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{extra}'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


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


def _migrate(url: str, folder: Path) -> None:
    app = create_app(base_config(url, folder))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
        dispose_all_engines()


class Databases:
    """The worker's databases: the migrated empty one and the demo variants,
    built on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        server = os.environ.get("TEST_DATABASE_URL")
        # Named by process too: two runs on one server (a developer's and CI's, or
        # two parts at once) never drop each other's databases.
        self.prefix = f"test_{os.getpid()}_{WORKER}"
        self.created: list[str] = []
        if server:
            self.base = pg_database(server, self.prefix)
            self.created.append(self.prefix)
        else:
            self.base = f"sqlite:///{folder / 'test.db'}"
        self.server = server
        _migrate(self.base, folder)
        self.demo: dict[str, str] = {}

    def demo_url(self, variant: str) -> str:
        if variant not in DEMO_VARIANTS:
            raise pytest.UsageError(f"unknown demo variant {variant!r}")
        if variant in self.demo:
            return self.demo[variant]
        if self.server:
            name = f"{self.prefix}_demo_{variant}"
            url = pg_database(self.server, name, template=self.prefix)
            self.created.append(name)
        else:
            path = self.folder / f"demo_{variant}.db"
            source = sqlite3.connect(self.base.removeprefix("sqlite:///"))
            target = sqlite3.connect(path)
            source.backup(target)
            source.close()
            target.close()
            url = f"sqlite:///{path}"
        app = create_app(base_config(url, self.folder))
        with app.app_context():
            from tracker import demo

            demo.load_demo(**DEMO_VARIANTS[variant])
            db.session.commit()
            db.session.remove()
            dispose_all_engines()
        self.demo[variant] = url
        return url

    def copy_of_demo(self, variant: str) -> str:
        """A fresh copy of the demo database ``variant`` for one committed test, which
        must not change the shared one: copied (a PostgreSQL template, an SQLite
        backup), not loaded again, which took a second or two a test.  The one copy
        per variant is replaced by the next test's; no connection to it may remain
        (the ``app`` fixture disposes of its engines after each test)."""
        source = self.demo_url(variant)
        if self.server:
            name = f"{self.prefix}_copy_{variant}"
            url = pg_database(self.server, name, template=f"{self.prefix}_demo_{variant}")
            if name not in self.created:
                self.created.append(name)
            return url
        path = self.folder / f"copy_{variant}.db"
        with (
            contextlib.closing(sqlite3.connect(source.removeprefix("sqlite:///"))) as original,
            contextlib.closing(sqlite3.connect(path)) as copy,
        ):
            original.backup(copy)
        return f"sqlite:///{path}"

    def drop(self) -> None:
        """Drop the PostgreSQL databases this run made (SQLite files go with tmp)."""
        if not self.server:
            return
        dispose_all_engines()
        admin = _pg_admin(self.server)
        with admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    found = Databases(tmp_path_factory.mktemp("db"))
    yield found
    found.drop()


@pytest.fixture(scope="session")
def database(databases: Databases) -> str:
    """The URL of the worker's migrated, empty database."""
    return databases.base


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The ``app`` fixture keeps an app context pushed for the test body; Flask
    would reuse it for requests, sharing ``g`` and the database session between
    requests and the test.  An empty ``contextvars.Context`` prevents that.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


class JoinedSession(FlaskSession):
    """A session that uses the connection it was given (the test's outer
    transaction) instead of the app's engine."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


def _join(connection: Connection) -> Any:
    return db._make_scoped_session(
        {
            "class_": JoinedSession,
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
        }
    )


@pytest.fixture
def demo_full() -> None:
    """Requesting this fixture (directly or through another) starts the test from
    the demo legislature: the ``app`` fixture picks the demo database."""


@pytest.fixture
def demo_no_alerts() -> None:
    """The demo legislature without its action alert (see ``demo_full``)."""


@pytest.fixture
def demo_no_scorecards() -> None:
    """The demo legislature without positions, scorecards or alerts."""


@pytest.fixture
def app(request: pytest.FixtureRequest, databases: Databases, tmp_path: Path) -> Iterator[Flask]:
    variants = [v for v in DEMO_VARIANTS if f"demo_{v}" in request.fixturenames]
    committed = request.node.get_closest_marker("committed") is not None
    if len(variants) > 1:
        raise pytest.UsageError(f"a test asks for two demo variants: {variants}")
    # A committed test must not change a shared demo database: it gets a copy of
    # it, made afresh for the test (without the demo, the worker's base database,
    # emptied afterwards).
    if variants:
        url = databases.copy_of_demo(variants[0]) if committed else databases.demo_url(variants[0])
    else:
        url = databases.base
    if request.node.get_closest_marker("fresh_app") is not None:
        app, as_built, config = _build_app(url, tmp_path)
    else:
        app, as_built, config = _shared_app(url, databases.folder)
    try:
        yield from _app_in_test(app, committed, emptied=url == databases.base)
    finally:
        settings.install(app, as_built)  # undoes settings.override
        app.config.clear()
        app.config.update(config)


Built = tuple[Flask, Settings, dict[str, Any]]  # an app, its settings and config as built
_APPS: dict[str, Built] = {}


def _build_app(url: str, instance: Path) -> Built:
    app = create_app(base_config(url, instance))
    app.test_client_class = IsolatedClient
    return app, settings.of(app), dict(app.config)


def _shared_app(url: str, folder: Path) -> Built:
    """The worker's app on ``url``, built once (building an app compiles every URL
    rule: a third of a page test's time when each test built its own), with its
    settings and config as built, which are put back after each test.  Its instance
    folder (export cache, photos, HTTP cache) is emptied before each test, as a new
    app's would be.  A test that adds routes to the app is marked ``fresh_app`` and
    gets an app of its own (Flask refuses new routes once an app has served)."""
    if url not in _APPS:
        _APPS[url] = _build_app(url, folder / f"instance-{len(_APPS)}")
    built = _APPS[url]
    instance = Path(built[0].instance_path)
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir(parents=True)
    return built


def _app_in_test(app: Flask, committed: bool, *, emptied: bool) -> Iterator[Flask]:
    """The test's app context: inside one transaction rolled back afterwards, or,
    for a committed test, committing for real (the tables emptied afterwards when
    ``emptied``: the worker's base database, which other tests start from)."""
    with app.app_context():
        limiter.reset()
        # The snapshot cache and the kept values are keyed on the data version,
        # which only grows in a real database; a rolled-back test hands the same
        # number to the next.
        snapshots.clear()
        dataversion.forget_kept()
        if committed:
            try:
                yield app
            finally:
                db.session.rollback()
                db.session.remove()
                if emptied:
                    truncate_all()
                dispose_all_engines()
            return
        connection = db.engine.connect()
        outer = connection.begin()
        real_session = db.session
        db.session = _join(connection)
        try:
            yield app
        finally:
            db.session.remove()
            db.session = real_session
            outer.rollback()
            connection.close()
            db.session.remove()
            dispose_all_engines()


def dispose_engines_of(app: Flask) -> None:
    """Close the pool of a second app a test built; unlike
    :func:`dispose_all_engines`, leaves the test's own connection alone."""
    for engine in db._app_engines.get(app, {}).values():
        engine.dispose()


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
            conn.execute(text("PRAGMA defer_foreign_keys=ON"))  # checked at commit
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))


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
