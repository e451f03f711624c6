"""Every public page at phone (360, 390 px) and desktop (1280 px) widths: nothing
scrolls sideways, and every score shown (``[data-score]``) is on screen without
scrolling the page or any table sideways.  A full-page screenshot of each goes to
``artifacts/screenshots/<page>-<width>.png`` (CI keeps the folder); look at them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from tracker import alerts, localtime
from tracker.extensions import db
from tracker.models import Alert, Bill, Committee, Hearing, Person, RollCall, Scorecard, Term
from tracker.models.common import utcnow

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = [360, 390, 1280]
# page name -> whether it shows at least one score
PAGES = {
    "home": True,
    "legislators": False,
    "legislator": True,
    "scorecards": False,
    "scorecard": True,
    "scorecard-grid": True,
    "bill": False,
    "roll-call": False,
    "bills": False,
    "find-district": True,
    "find-name": True,
    "alerts": False,
    "alert-action": True,
    "methodology": False,
    "alert-report": False,
    "committees": False,
    "committee": True,
    "hearing-alert": True,
}

# Every [data-score] element that is not fully on screen: outside the viewport, or
# outside the visible box of a region that scrolls (a table scrolled sideways).
OFF_SCREEN = """() => {
  const off = [];
  for (const el of document.querySelectorAll('[data-score]')) {
    const r = el.getBoundingClientRect();
    const where = `${el.dataset.score}@${Math.round(r.left)}-${Math.round(r.right)}`;
    if (r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth) {
      off.push(where); continue;
    }
    for (let box = el.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === 'visible' || box.scrollWidth <= box.clientWidth) continue;
      const b = box.getBoundingClientRect();
      if (r.left < b.left || r.right > b.left + box.clientWidth) {
        off.push(where + ' in ' + box.tagName); break;
      }
    }
  }
  return off;
}"""


@pytest.fixture(scope="module")
def paths(live_server: str, live_app: Flask) -> dict[str, str]:
    """The URL of each page on the live demo, with an open alert to act on."""
    with live_app.app_context():
        card = db.session.scalars(
            select(Scorecard).where(Scorecard.versions.any()).order_by(Scorecard.id)
        ).first()
        senator = db.session.scalars(
            select(Person)
            .join(Term)
            .where(Term.chamber == "senate", Term.district == "3", Term.end_date.is_(None))
        ).one()
        bill = db.session.scalars(
            select(Bill)
            .where(Bill.bill_type == "HF", Bill.number == 11)
            .order_by(Bill.session_id.desc())
        ).first()
        bill_roll_call = db.session.scalars(
            select(RollCall).where(RollCall.bill_id == bill.id).order_by(RollCall.id)
        ).first()
        closed = db.session.scalars(select(Alert).where(Alert.status == "closed")).first()
        action = _open_alert()
        hearing_alert, member_district = _hearing_alert()
        committee = db.session.scalars(
            select(Committee)
            .join(Hearing, Hearing.committee_id == Committee.id)
            .order_by(Committee.id)
        ).first()
        paths = {
            "home": "/",
            "legislators": "/legislators",
            "legislator": f"/legislators/{senator.public_id}",
            "scorecards": "/scorecards",
            "scorecard": f"/scorecards/{card.public_id}",
            "scorecard-grid": f"/scorecards/{card.public_id}?show=grid",
            "bill": f"/bills/{bill.session.identifier}/{bill.key}",
            "roll-call": f"/roll-calls/{bill_roll_call.public_id}",
            "bills": "/bills",
            "find-district": "/find?district=3A",
            "find-name": "/find?name=ostergaard",
            "alerts": "/alerts",
            "alert-action": f"/alerts/{action}?district=3A",
            "methodology": f"/scorecards/{card.public_id}/methodology",
            "alert-report": f"/alerts/{closed.public_id}",
            "committees": "/committees",
            "committee": f"/committees/{committee.public_id}",
            "hearing-alert": f"/alerts/{hearing_alert}?district={member_district}",
        }
        db.session.remove()
    return paths


def _open_alert() -> str:
    """A published alert on a Senate vote's bill, open for three days (the demo's own
    alert is closed), with a long email line that must wrap."""
    title = "Width test: call your senator"
    found = db.session.scalar(select(Alert.public_id).where(Alert.title == title))
    if found:
        return found
    rc = db.session.scalars(
        select(RollCall).where(RollCall.chamber == "senate").order_by(RollCall.id)
    ).first()
    alert = alerts.create_alert(
        rc.bill,
        alerts.AlertInput(
            title=title,
            target="floor",
            chamber="senate",
            ask="yes",
            call_script="Hello, I live in district {district}. Please ask {legislator} to "
            "{position} on {bill}.",
            email_subject="Please {position} on {bill}",
            email_template="Dear {legislator},\n\nAs a constituent in district {district} I ask "
            "you to {position} on {bill}; working families across Minnesota are "
            "watching this vote closely.\n\nThank you.",
            deadline=utcnow() + dt.timedelta(days=3),
        ),
        actor="test",
    )
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    return alert.public_id


def _hearing_alert() -> tuple[str, str]:
    """A published hearing alert on the demo's next upcoming hearing (a committee's
    members targeted), and the district of one of them."""
    title = "Width test: the committee hears it"
    found = db.session.scalar(select(Alert).where(Alert.title == title))
    if found is None:
        hearing = db.session.scalars(
            select(Hearing)
            .where(Hearing.date >= localtime.today(), Hearing.cancelled.is_(False))
            .order_by(Hearing.date)
        ).first()
        bill = hearing.bills[0].bill
        found = alerts.create_alert(
            bill,
            alerts.AlertInput(
                title=title,
                target="committee",
                chamber=hearing.chamber,
                ask="no",
                call_script="Please ask {legislator} to {position} on {bill}.",
                email_template="Dear {legislator}, please {position} on {bill}.",
                committee_id=hearing.committee_id,
                hearing_id=hearing.id,
            ),
            actor="test",
        )
        alerts.mark_reviewed(found, expected_version=None, actor="test")
        alerts.publish_alert(found, expected_version=None, actor="test")
        db.session.commit()
    target = found.targets[0]
    return found.public_id, target.district if target.chamber == "house" else f"{target.district}A"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_every_score_is_on_screen(
    page: Page, live_server: str, paths: dict[str, str], name: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(live_server + paths[name])
    assert response is not None and response.status == 200, name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.evaluate("document.documentElement.clientWidth"), scroll_width
    scores = page.locator("[data-score]").count()
    assert (scores > 0) == PAGES[name], scores
    assert page.evaluate(OFF_SCREEN) == []


@pytest.mark.parametrize("lang", ["es", "so"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_at_phone_width_in_other_languages(
    page: Page, live_server: str, paths: dict[str, str], name: str, lang: str
) -> None:
    """Spanish and Somali words run longer than English: the narrowest phone still
    scrolls nothing sideways and shows every score."""
    page.set_viewport_size({"width": 360, "height": 800})
    path = paths[name] + ("&" if "?" in paths[name] else "?") + f"lang={lang}"
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200, name
    assert page.get_attribute("html", "lang") == lang
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-360.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.evaluate("document.documentElement.clientWidth"), scroll_width
    assert (page.locator("[data-score]").count() > 0) == PAGES[name]
    assert page.evaluate(OFF_SCREEN) == []


def test_the_email_preview_wraps(page: Page, live_server: str, paths: dict[str, str]) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + paths["alert-action"])
    preview = page.locator("pre.script").first
    assert "working families across Minnesota" in preview.inner_text()
    box = preview.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert box["height"] > 120  # the long line wrapped onto several lines
