"""The pressure report against a verified roll call: numbers, CSV, chart, API."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET  # noqa: S405 - our own SVG

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.test_openapi import PREFIX, Checker
from tests.test_pressure import published_alert, world
from tracker import alerts, demo
from tracker.extensions import db
from tracker.models import ActionTally, Alert, MemberVote


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None) -> None:
    """Every test here starts from the demo legislature without its alert."""


def _alert_with_vote() -> Alert:
    w = world()
    alert = published_alert(w["bill"], ask="yes")
    alerts.link_roll_call(alert, w["rc"], actor="test")
    for i, target in enumerate(alert.targets):
        for tally in db.session.scalars(
            select(ActionTally).where(
                ActionTally.alert_id == alert.id, ActionTally.person_id == target.person_id
            )
        ):
            tally.count = i + (1 if tally.kind == "called" else 0)
    db.session.commit()
    return alert


def test_numbers_match_the_verified_roll_call(app: Flask) -> None:
    alert = _alert_with_vote()
    report = alerts.pressure_report(alert)
    assert report.vote_status == "verified"
    votes = dict(
        db.session.execute(
            select(MemberVote.person_id, MemberVote.option).where(
                MemberVote.roll_call_id == alert.roll_call_id
            )
        ).all()
    )
    for row in report.rows:
        assert row.vote == votes.get(row.person.id, "not_seated")
        assert row.matched == ({"yes": True, "no": False}.get(row.vote))
    n = len(alert.targets)
    assert report.totals["called"] == sum(i + 1 for i in range(n))
    assert report.totals["emailed"] == sum(range(n))
    assert report.totals["voted_as_asked"] == sum(
        1 for t in alert.targets if votes.get(t.person_id) == "yes"
    )
    assert report.totals["voted_against"] == sum(
        1 for t in alert.targets if votes.get(t.person_id) == "no"
    )
    assert sum(t["legislators"] for t in report.by_party.values()) == n
    assert report.by_chamber["senate"]["actions"] == report.totals["actions"]
    # Unverified: no votes shown.
    alert.roll_call.verified = False
    assert alerts.pressure_report(alert).totals["voted_as_asked"] == 0


def test_csv_chart_and_pages(app: Flask, client: FlaskClient) -> None:
    alert = _alert_with_vote()
    response = client.get(f"/alerts/{alert.public_id}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(alert.targets)
    assert sum(int(r["called"]) for r in rows) == alerts.pressure_report(alert).totals["called"]
    svg = client.get(f"/alerts/{alert.public_id}/report.svg")
    assert svg.mimetype == "image/svg+xml"
    assert ET.fromstring(svg.get_data()).tag.endswith("svg")  # noqa: S314
    png = client.get(f"/alerts/{alert.public_id}/report.png")
    assert png.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/alerts/{alert.public_id}/report.gif").status_code == 404
    page = client.get(f"/alerts/{alert.public_id}").get_data(as_text=True)
    assert "Pressure report" in page and "voted as we asked" in page


def test_the_chart_is_drawn_once_until_a_tally_changes(app: Flask, client: FlaskClient) -> None:
    """The report's chart is kept in the export cache by the data version: a second
    view is a hit, and a member's new call shows on the next view."""
    from tracker.exports import cache

    alert = _alert_with_vote()
    path = f"/alerts/{alert.public_id}/report.svg"
    before = dict(cache.stats)
    first = client.get(path)
    assert client.get(path).data == first.data
    assert cache.stats["misses"] == before["misses"] + 1
    assert cache.stats["hits"] == before["hits"] + 1
    # the Spanish chart is its own entry
    client.get(path + "?lang=es")
    assert cache.stats["misses"] == before["misses"] + 2
    tally = db.session.scalars(
        select(ActionTally).where(ActionTally.alert_id == alert.id, ActionTally.kind == "called")
    ).first()
    tally.count += 40
    db.session.commit()
    redrawn = client.get(path)
    assert cache.stats["misses"] == before["misses"] + 3
    assert redrawn.data != first.data


def test_api_matches_the_openapi_document(app: Flask, client: FlaskClient) -> None:
    alert = _alert_with_vote()
    spec = client.get(f"{PREFIX}/openapi.json").get_json()
    check = Checker(spec, client)
    listed = check.check(f"{PREFIX}/alerts")
    assert listed["total"] == 1
    detail = check.check(listed["items"][0]["url"])
    assert detail["report"]["totals"] == alerts.pressure_report(alert).totals
    check.check(f"{PREFIX}/alerts?page=0", 400)
    check.check(f"{PREFIX}/alerts/nope", 404)
    alert.roll_call = None
    db.session.commit()
    assert check.check(listed["items"][0]["url"])["report"]["vote_status"] == "no_roll_call"


def test_demo_alert(app: Flask) -> None:
    message = alerts.load_demo_alerts()
    assert "closed demo alert" in message
    assert alerts.load_demo_alerts() == "demo alerts already loaded"
    alert = db.session.scalars(select(Alert).where(Alert.is_demo.is_(True))).one()
    report = alerts.pressure_report(alert)
    assert alert.status == "closed" and report.vote_status == "verified"
    assert report.totals["actions"] > 0
    assert alerts.remove_demo_alerts() == 1
    demo.remove_demo()
