"""The app's settings (``config.Settings``): built once by ``create_app``, read here.

    from tracker.settings import current
    current().public_url

Tests change a value with :func:`override`, which builds a new frozen value."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from config import Settings, flask_config, replace

KEY = "tracker.settings"


def of(app: Flask) -> Settings:
    settings: Settings = app.extensions[KEY]
    return settings


def current() -> Settings:
    """The settings of the app in context."""
    return of(current_app)


def install(app: Flask, settings: Settings) -> None:
    app.extensions[KEY] = settings
    app.config.update(flask_config(settings))


def override(app: Flask, **changes: Any) -> Settings:
    """Change settings of a running app (by field name or variable name)."""
    settings = replace(of(app), **changes)
    install(app, settings)
    return settings


__all__ = ["KEY", "current", "install", "of", "override"]
