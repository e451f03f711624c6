"""The Minnesota bill tracker and legislator scorecard."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BY_ENV, BY_FLASK, load_settings

TEMPLATE_FOLDER = Path(__file__).resolve().parent.parent / "templates"
MIGRATIONS_FOLDER = Path(__file__).resolve().parent / "migrations"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.  Wires extensions, blueprints and the CLI; nothing else:
    no network, no scheduler, no database creation.

    With no ``config`` the settings come from the environment; a mapping is
    applied on top of the environment's settings (tests pass one): keys that
    are settings (by variable or Flask key) go into the settings value, any
    other Flask key into the app's config.
    """
    settings = load_settings(overrides=config)

    app = Flask(
        __name__,
        template_folder=str(TEMPLATE_FOLDER),
        instance_path=settings.instance_path,
    )
    from tracker import settings as app_settings

    app_settings.install(app, settings)
    for key, value in (config or {}).items():
        if key not in BY_ENV and key not in BY_FLASK and key != "INSTANCE_PATH":
            app.config[key] = value

    if settings.proxy_count:  # forwarded headers only from proxies the operator named
        hops = settings.proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from tracker import dataversion, models, search  # noqa: F401  (tables; flush hooks)
    from tracker.extensions import cache, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_FOLDER), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    cache.init_app(app)
    compress.init_app(app)

    from tracker import auth, edits, i18n, security, web

    i18n.init_app(app)
    edits.register(app)
    security.init_app(app)
    auth.init_app(app)
    web.init_app(app)

    from tracker.cli import register_commands

    register_commands(app)
    return app
