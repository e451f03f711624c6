"""Public pages are cached until something is published, ingested or changed."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import AuthActions, base_config, make_user
from tracker import create_app, scorecards, snapshots
from tracker.extensions import db
from tracker.models import Bill, ScrapeRun


@pytest.fixture
def cached_app(app: Flask, demo_full: None) -> Flask:
    other = create_app({**base_config(app.config["SQLALCHEMY_DATABASE_URI"],
                                      __import__("pathlib").Path(app.instance_path)),
                        "CACHE_TYPE": "SimpleCache"})
    other.test_client_class = app.test_client_class
    return other


def test_second_request_is_a_hit_until_data_changes(cached_app: Flask) -> None:
    client = cached_app.test_client()
    first = client.get("/scorecards")
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    second = client.get("/scorecards")
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data
    assert "Content-Security-Policy" in second.headers  # headers still applied
    db.session.add(ScrapeRun(job="bills", status="succeeded"))  # a run that changed nothing
    db.session.commit()
    assert client.get("/scorecards").headers["X-Page-Cache"] == "hit"
    shown = snapshots.latest_versions()[0]
    shown.title = "A retitled scorecard"  # shown data changes
    db.session.commit()
    changed = client.get("/scorecards")
    assert "X-Page-Cache" not in changed.headers
    assert "A retitled scorecard" in changed.get_data(as_text=True)


def test_a_published_position_shows_at_once(cached_app: Flask) -> None:
    client = cached_app.test_client()
    bill = db.session.scalar(select(Bill).where(Bill.bill_type == "HF").limit(1))
    path = f"/bills/{bill.session.identifier}/{bill.key}"
    client.get(path)
    position = scorecards.position_for(bill)
    scorecards.set_position(bill, "oppose", "A freshly published rationale.", [],
                            expected_version=position.version, actor="test")
    scorecards.publish_position(bill, expected_version=None, actor="test")
    db.session.commit()
    assert "A freshly published rationale." in client.get(path).get_data(as_text=True)


def test_signed_in_users_are_never_served_from_the_cache(cached_app: Flask) -> None:
    make_user("staff@example.org")
    anonymous = cached_app.test_client()
    anonymous.get("/")
    staff = cached_app.test_client()
    AuthActions(staff).login()
    page = staff.get("/")
    assert "X-Page-Cache" not in page.headers
    assert "Sign out (staff@example.org)" in page.get_data(as_text=True)
    assert "Sign out" not in anonymous.get("/").get_data(as_text=True)


def test_errors_are_not_cached(cached_app: Flask) -> None:
    client = cached_app.test_client()
    client.get("/bills/2025-2026/HF9999")
    assert "X-Page-Cache" not in client.get("/bills/2025-2026/HF9999").headers


