"""Tallies: one browser counts an action once, bursts are refused, concurrent
clicks never double-count, closed and expired alerts refuse."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html

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


def _form(client: FlaskClient, alert: Alert, person: Any, kind: str = "called") -> dict[str, str]:
    """The fields of the page's "I called"/"I emailed" button for ``person``, as the
    browser would send them."""
    page = html.fromstring(
        client.get(f"/alerts/{alert.public_id}?person={person.public_id}").get_data(as_text=True)
    )
    for form in page.xpath("//form[contains(@action, '/act')]"):
        fields = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
        if fields.get("person") == person.public_id and fields.get("kind") == kind:
            return fields
    raise AssertionError(f"no {kind} button for {person.name}")


def _post(client: FlaskClient, alert: Alert, person: Any, kind: str = "called") -> Any:
    return client.post(f"/alerts/{alert.public_id}/act", data=_form(client, alert, person, kind))


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


def test_a_click_counts_only_with_the_token_of_the_page_shown(
    app: Flask, client: FlaskClient
) -> None:
    alert = published_alert(world()["bill"])
    person, other = alert.targets[0].person, alert.targets[1].person
    fields = _form(client, alert, person)
    path = f"/alerts/{alert.public_id}/act"
    refused = [
        ({**fields, "token": ""}, "did not come from this alert"),
        ({**fields, "token": fields["token"][:-2] + "xx"}, "did not come from this alert"),
        ({**fields, "person": other.public_id}, "another page or browser"),  # another's token
    ]
    for data, message in refused:
        response = client.post(path, data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    # The page of another browser: its token names that browser, not this one.
    stranger = app.test_client()
    response = client.post(path, data={**fields, "token": _form(stranger, alert, person)["token"]})
    assert response.status_code == 400
    assert "another page or browser" in response.get_data(as_text=True)
    assert _count(alert, person.id) == 0
    assert "thanks=counted" in client.post(path, data=fields).headers["Location"]
    assert _count(alert, person.id) == 1


def test_one_network_address_counts_a_legislator_a_few_times_a_day(app: Flask) -> None:
    """A client that drops its cookies and fetches the page afresh before every
    click gets a new browser each time; its address caps what it can count."""
    override(app, TRACKER_TALLY_PER_ADDRESS="3 per day")
    alert = published_alert(world()["bill"])
    person, other = alert.targets[0].person, alert.targets[1].person
    outcomes = [_post(app.test_client(), alert, person).headers["Location"] for _ in range(5)]
    assert ["thanks=counted" in o for o in outcomes] == [True, True, True, False, False]
    assert all("thanks=address" in o for o in outcomes[3:])
    assert _count(alert, person.id) == 3
    assert "thanks=counted" in _post(app.test_client(), alert, other).headers["Location"]
    assert (
        "thanks=counted" in _post(app.test_client(), alert, person, "emailed").headers["Location"]
    )
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert "thanks=counted" in _post(elsewhere, alert, person).headers["Location"]
    assert _count(alert, person.id) == 4
    page = app.test_client().get(f"/alerts/{alert.public_id}").get_data(as_text=True)
    assert "at most 3 per day from one network address for each legislator" in page


def test_missing_or_forged_cookie_is_refused(app: Flask, client: FlaskClient) -> None:
    alert = published_alert(world()["bill"])
    person = alert.targets[0].person
    fields = _form(client, alert, person)
    client.set_cookie(alerts.TALLY_COOKIE, "forged.value.here", path="/alerts/")
    response = client.post(f"/alerts/{alert.public_id}/act", data=fields)
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
    results: list[str] = []
    errors: list[BaseException] = []

    def click(browser: str) -> None:
        try:
            with app.app_context():
                a = db.session.get(Alert, alert_id)
                person = next(t.person for t in a.targets if t.person_id == person_id)
                results.append(
                    alerts.record_action(
                        a,
                        person,
                        "called",
                        browser,
                        token=alerts.action_token(a, person, browser),
                        address=browser,
                    )
                )
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
    assert results.count(alerts.COUNTED) == 11
    assert _count(alert, person_id) == 11


def test_closed_expired_and_untargeted(app: Flask) -> None:
    w = world()
    alert = published_alert(w["bill"])
    person = alert.targets[0].person
    outsider = published_alert(w["bill"], chamber="house", title="House").targets[0].person
    with pytest.raises(alerts.PressureError, match="not targeted"):
        alerts.record_action(alert, outsider, "called", "b", token="", address="x")
    with pytest.raises(alerts.PressureError, match="called or emailed"):
        alerts.record_action(alert, person, "tweeted", "b", token="", address="x")
    later = utcnow().replace(year=utcnow().year + 1)
    alert.deadline = later
    db.session.commit()
    with pytest.raises(alerts.PressureError, match="deadline passed"):
        alerts.record_action(
            alert,
            person,
            "called",
            "b",
            token="",
            address="x",
            now=later.replace(year=later.year + 1),
        )
    alerts.close_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    with pytest.raises(alerts.PressureError, match="closed"):
        alerts.record_action(alert, person, "called", "b", token="", address="x")
    assert _count(alert, person.id) == 0
