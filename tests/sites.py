"""The app pointed at a local stand-in of the Legislature's sites (tests only): every
scraper base URL at one pytest-httpserver, HTTP made fast and without retries, and the
``scrape`` commands registered."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tracker import scrape_cli
from tracker.settings import override


def point_at(app: Flask, base: str, **settings: Any) -> None:
    """Every site the scrapers read at ``base``; ``settings`` add to or replace these."""
    fast = {
        "TRACKER_REVISOR_URL": base,
        "TRACKER_REVISOR_API_URL": base,
        "TRACKER_HOUSE_URL": base,
        "TRACKER_SENATE_URL": base,
        "TRACKER_LEG_URL": base,
        "TRACKER_REQUESTS_PER_SECOND": 10000.0,
        "TRACKER_HTTP_RETRIES": 0,
        "TRACKER_HTTP_BACKOFF": 0.0,
        "TRACKER_HTTP_READ_TIMEOUT": 10.0,
    }
    override(app, **{**fast, **settings})


def serve(app: Flask, httpserver: Any, fake: Any, **settings: Any) -> str:
    """``fake.handle`` answers every request (looked up per request: a test may swap
    it); the app reads from there (:func:`point_at`). The base URL."""
    httpserver.expect_request(re.compile(".*")).respond_with_handler(
        lambda request: fake.handle(request)
    )
    base = str(httpserver.url_for("/")).rstrip("/")
    point_at(app, base, **settings)
    if "scrape" not in app.cli.commands:
        scrape_cli.register(app)
    return base
