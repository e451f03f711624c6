"""Browser tests: the app served on a local port, driven by Debian's Chromium.

pytest-playwright's own browser options look for a downloaded browser; the
launch is pointed at the system Chromium instead, and nothing is downloaded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, base_config, is_postgres
from tracker import accounts, create_app, demo
from tracker.extensions import db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def live_app(live_server: str) -> Flask:
    """The app behind ``live_server`` (to point it at a local geocoder stand-in)."""
    return _LIVE["app"]


_LIVE: dict[str, Any] = {}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.db'}"
    assert not is_postgres(url)
    # As in production: CSRF checked, and the page cache on (a process's own memory
    # here; Redis in production), so pages are served as members get them.
    config = {
        **base_config(url, Path(folder)),
        "TESTING": False,
        "WTF_CSRF_ENABLED": True,
        "CACHE_TYPE": "SimpleCache",
    }
    app = create_app(config)
    with app.app_context():
        upgrade()
        demo.load_demo()
        accounts.create_user("admin@example.org", "admin", PASSWORD, actor="test")
        db.session.commit()
        db.session.remove()
    _LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
