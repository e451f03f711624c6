"""Tallies: one browser counts an action once, bursts are refused, concurrent
clicks never double-count, closed and expired alerts refuse."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token
from tests.test_pressure import published_alert, world
from tracker import alerts
from tracker.extensions import db
from tracker.models import Alert, TallyReceipt
from tracker.models.common import utcnow
from tracker.settings import override


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None) -> None:
    """Every test here starts from the demo legislature without its alert."""


def _count(alert: Alert, person_id: int, kind: str = "called") -> int:
    db.session.commit()  # end the read transaction: see what other connections committed
    return alerts.tallies(db.session.get(Alert, alert.id))[person_id][kind]


def _post(client: FlaskClient, alert: Alert, person: Any, kind: str = "called") -> Any:
    token = csrf_token(client, f"/alerts/{alert.public_id}?district=1")
    return client.post(f"/alerts/{alert.public_id}/act",
                       data={"person": person.public_id, "kind": kind, "csrf_token": token})


def test_one_browser_counts_once(app: Flask, client: FlaskClient) -> None:
    alert = published_alert(world()["bill"])
    person = alert.targets[0].person
    first = _post(client, alert, person)
    assert first.status_code == 302 and "thanks=counted" in first.headers["Location"]
    again = _post(client, alert, person)
    assert "thanks=already" in again.headers["Location"]
    assert _post(client, alert, person, "emailed").status_code == 302
    assert _count(alert, person.id) == 1 and _count(alert, person.id, "emailed") == 1
    # A second browser (a new cookie) counts.
    other = app.test_client()
    _post(other, alert, person)
    assert _count(alert, person.id) == 2
    # The receipt holds no personal data: a keyed hash, not the cookie or the address.
    receipts = db.session.query(TallyReceipt).all()
    assert all(len(r.browser) == 64 for r in receipts)


def test_missing_or_forged_cookie_is_refused(app: Flask, client: FlaskClient) -> None:
    alert = published_alert(world()["bill"])
    person = alert.targets[0].person
    token = csrf_token(client, f"/alerts/{alert.public_id}")
    client.set_cookie(alerts.TALLY_COOKIE, "forged.value.here", path="/alerts/")
    response = client.post(f"/alerts/{alert.public_id}/act",
                           data={"person": person.public_id, "kind": "called",
                                 "csrf_token": token})
    assert response.status_code == 400
    assert "cookie" in response.get_data(as_text=True)
    assert _count(alert, person.id) == 0


def test_burst_from_one_browser_is_refused(app: Flask, client: FlaskClient) -> None:
    alert = published_alert(world()["bill"])
    statuses = []
    for target in alert.targets:
        for kind in ("called", "emailed"):
            statuses.append(_post(client, alert, target.person, kind).status_code)
    assert 429 in statuses
    assert statuses[:6] == [302] * 6  # BROWSER_LIMIT: 6 per minute
    refused = _post(client, alert, alert.targets[-1].person)
    assert refused.status_code == 429
    assert "Nothing extra was counted" in refused.get_data(as_text=True)
    total = sum(sum(k.values()) for k in alerts.tallies(alert).values())
    assert total == 6


def test_burst_from_one_address_is_refused(app: Flask) -> None:
    override(app, TRACKER_TALLY_LIMIT_ADDRESS="5 per minute")
    alert = published_alert(world()["bill"])
    person = alert.targets[0].person
    statuses = [_post(app.test_client(), alert, person).status_code for _ in range(7)]
    assert statuses.count(302) == 5 and statuses[-1] == 429
    assert _count(alert, person.id) == 5


@pytest.mark.committed
def test_concurrent_clicks_never_double_count(app: Flask) -> None:
    alert = published_alert(world()["bill"])
    alert_id, person_id = alert.id, alert.targets[0].person_id
    results: list[bool] = []
    errors: list[BaseException] = []

    def click(browser: str) -> None:
        try:
            with app.app_context():
                a = db.session.get(Alert, alert_id)
                person = next(t.person for t in a.targets if t.person_id == person_id)
                results.append(alerts.record_action(a, person, "called", browser))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    # 10 threads clicking as the same browser, 10 as distinct browsers.
    threads = [threading.Thread(target=click, args=("same",)) for _ in range(10)]
    threads += [threading.Thread(target=click, args=(f"b{i}",)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results.count(True) == 11
    assert _count(alert, person_id) == 11


def test_closed_expired_and_untargeted(app: Flask) -> None:
    w = world()
    alert = published_alert(w["bill"])
    person = alert.targets[0].person
    outsider = published_alert(w["bill"], chamber="house", title="House").targets[0].person
    with pytest.raises(alerts.PressureError, match="not targeted"):
        alerts.record_action(alert, outsider, "called", "b")
    with pytest.raises(alerts.PressureError, match="called or emailed"):
        alerts.record_action(alert, person, "tweeted", "b")
    later = utcnow().replace(year=utcnow().year + 1)
    alert.deadline = later
    db.session.commit()
    with pytest.raises(alerts.PressureError, match="deadline passed"):
        alerts.record_action(alert, person, "called", "b",
                             now=later.replace(year=later.year + 1))
    alerts.close_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    with pytest.raises(alerts.PressureError, match="closed"):
        alerts.record_action(alert, person, "called", "b")
    assert _count(alert, person.id) == 0
