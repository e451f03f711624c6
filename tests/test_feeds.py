"""RSS/Atom and iCalendar feeds of published alerts and of tagged bills that moved."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - our own feeds

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from tests.test_pressure import alert_input, published_alert, world
from tracker import alerts, localtime
from tracker.extensions import db
from tracker.models import BillAction
from tracker.models.common import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None) -> None:
    """Every test here starts from the demo legislature without its alert."""


def test_alert_feeds(app: Flask, client: FlaskClient) -> None:
    w = world()
    alert = published_alert(w["bill"], deadline=utcnow() + dt.timedelta(days=2))
    draft = alerts.create_alert(w["bill"], alert_input(title="Secret draft"), actor="test")
    db.session.commit()
    rss = client.get("/feeds/alerts.rss")
    assert rss.status_code == 200 and rss.mimetype == "application/rss+xml"
    items = ET.fromstring(rss.get_data()).findall("./channel/item")  # noqa: S314
    assert [i.findtext("title") for i in items] == [alert.title]
    assert items[0].findtext("link").endswith(f"/alerts/{alert.public_id}")
    atom = ET.fromstring(client.get("/feeds/alerts.atom").get_data())  # noqa: S314
    entries = atom.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [alert.title]
    calendar = Calendar.from_ical(client.get("/feeds/alerts.ics").get_data())
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [alert.title]
    assert events[0].decoded("dtstart") == alert.deadline.replace(microsecond=0)
    assert draft.title not in client.get("/feeds/alerts.rss").get_data(as_text=True)
    assert client.get("/feeds/alerts.xml").status_code == 404


def test_bill_feeds_list_recent_movement(app: Flask, client: FlaskClient) -> None:
    w = world()
    today = localtime.today()
    bill = w["bill"]
    hearing = BillAction(
        bill_id=bill.id,
        chamber="senate",
        number=900,
        date=today,
        text="Hearing scheduled",
        committee="Taxes",
    )
    vote = BillAction(
        bill_id=bill.id,
        chamber="senate",
        number=901,
        date=today,
        text="Third reading Passed",
        yeas=40,
        nays=27,
    )
    db.session.add_all([hearing, vote])
    db.session.commit()
    rss = ET.fromstring(client.get("/feeds/bills.rss").get_data())  # noqa: S314
    titles = [i.findtext("title") for i in rss.findall("./channel/item")]
    assert any("(hearing): Hearing scheduled Taxes" in t for t in titles)
    assert any("(floor vote): Third reading Passed (40–27)" in t for t in titles)
    assert ET.fromstring(client.get("/feeds/bills.atom").get_data()).tag == f"{ATOM}feed"  # noqa: S314
    calendar = Calendar.from_ical(client.get("/feeds/bills.ics").get_data())
    days = {e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert today in days
    # Old actions (outside TRACKER_FEED_DAYS) are not listed.
    old = db.session.scalars(
        select(BillAction).where(BillAction.date < today - dt.timedelta(days=200))
    ).first()
    if old is not None:
        assert f"bill-action-{old.id}@" not in client.get("/feeds/bills.rss").get_data(as_text=True)


def test_staff_written_text_is_plain_text_never_markup(app: Flask, client: FlaskClient) -> None:
    w = world()
    markup = '<img src=x onerror="alert(1)"> <b>Call</b> & act'
    published_alert(w["bill"], title="Call <b>now</b>", summary=markup)
    rss = client.get("/feeds/alerts.rss")
    item = ET.fromstring(rss.get_data()).find("./channel/item")  # noqa: S314
    assert item is not None
    # A reader decodes the description as HTML: it must come out as the text itself.
    description = item.findtext("description") or ""
    assert "<img" not in description and "<b>" not in description
    assert '&lt;img src=x onerror="alert(1)"&gt; &lt;b&gt;Call&lt;/b&gt; &amp; act' in description
    assert b"<img" not in rss.get_data() and b"CDATA" not in rss.get_data()
    atom = ET.fromstring(client.get("/feeds/alerts.atom").get_data())  # noqa: S314
    entry = atom.find(f"{ATOM}entry")
    assert entry is not None
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "text"
    assert markup in (content.text or "")  # the text itself, typed as text
    title = entry.find(f"{ATOM}title")
    assert title is not None and title.get("type", "text") == "text"
    assert title.text == "Call <b>now</b>"
