"""Two staff members saving the same thing at the same instant, through the real stack.

A threaded HTTP server runs the app on the demo data (committed for real, on
SQLite or PostgreSQL); two signed-in browsers (``requests`` sessions) load the
same page, wait at a barrier and post at once.  For every trial exactly one is
told its change was saved and the other that someone else changed it first;
the database holds the winner's change, and the audit log one entry.  Two
admins publishing one draft at once produce exactly one version.

``TRACKER_CONCURRENCY_TRIALS`` sets the number of trials of the cheap editors
(default 100); publishing and name mapping, which rebuild scores or re-check
roll calls, run a fifth of that.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from flask import Flask
from lxml import html
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_user
from tracker import alerts as alerting
from tracker.edits import CONFLICT
from tracker.extensions import db
from tracker.models import (
    Alert,
    AuditEvent,
    Bill,
    BillPosition,
    DataQualityItem,
    NameMapping,
    Person,
    RosterConfirmation,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
    Term,
)

pytestmark = pytest.mark.committed
TRIALS = int(os.environ.get("TRACKER_CONCURRENCY_TRIALS", "100"))
HEAVY = max(5, TRIALS // 5)
REFUSED = re.compile(
    r"changed by someone else|someone else saved|someone changed|just published"
    r"|already (resolved|published)|not an open",
    re.I,
)


# ---------------------------------------------------------------- the harness


class Browser:
    """A signed-in browser: GETs pages, posts forms, reads the flash it was given."""

    def __init__(self, app: Flask, base: str, email: str) -> None:
        self.app, self.base = app, base
        self.http = requests.Session()
        page = self.page("/auth/login")
        response = self.http.post(
            self.base + "/auth/login",
            allow_redirects=False,
            data={"email": email, "password": PASSWORD, "csrf_token": self.token(page)},
        )
        assert response.status_code == 302, response.text[:500]

    def page(self, path: str) -> html.HtmlElement:
        response = self.http.get(self.base + path)
        assert response.status_code == 200, (path, response.status_code)
        return html.fromstring(response.text)

    @staticmethod
    def token(page: html.HtmlElement) -> str:
        return str(page.xpath("//input[@name='csrf_token']/@value")[0])

    @staticmethod
    def form(page: html.HtmlElement, action: str) -> dict[str, Any]:
        """The fields of the form posting to ``action`` as the browser would send them."""
        found = [f for f in page.xpath("//form") if (f.get("action") or "").split("#")[0] == action]
        assert found, f"no form posts to {action}"
        fields: dict[str, Any] = {}
        for element in found[0].xpath(".//input|.//textarea|.//select"):
            name = element.get("name")
            if not name or element.get("type") == "submit":
                continue
            if element.tag == "select":
                chosen = element.xpath(".//option[@selected]/@value")
                fields[name] = (
                    chosen
                    if element.get("multiple") is not None
                    else (chosen[0] if chosen else (element.xpath(".//option/@value") or [""])[0])
                )
            elif element.get("type") in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    if element.get("type") == "checkbox":
                        fields.setdefault(name, []).append(element.get("value") or "y")
                    else:
                        fields[name] = element.get("value")
            elif element.tag == "textarea":
                fields[name] = element.text or ""
            else:
                fields[name] = element.get("value") or ""
        return fields

    def post(self, path: str, data: dict[str, Any]) -> str:
        """Post and return the last message flashed to this browser."""
        response = self.http.post(self.base + path, data=data, allow_redirects=False)
        assert response.status_code in (302, 303, 400), (
            path,
            response.status_code,
            response.text[:300],
        )
        if response.status_code == 400:  # a form re-rendered with its error
            found = html.fromstring(response.text).xpath("//*[contains(@class,'flash')]//text()")
            return " ".join(t.strip() for t in found if t.strip())
        cookie = self.http.cookies.get("session")
        serializer = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
        flashes = serializer.loads(cookie).get("_flashes", [])
        return str(flashes[-1][1]) if flashes else ""


@pytest.fixture
def live(app: Flask, demo_full: None) -> Iterator[tuple[Flask, str]]:
    make_user("one@example.org", "admin")
    make_user("two@example.org", "admin")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        db.session.remove()


@dataclass
class Outcome:
    saved: int = 0
    refused: int = 0


def race(
    browsers: tuple[Browser, Browser], path: str, forms: tuple[dict[str, Any], ...], success: str
) -> list[str]:
    """Both browsers post their form at the same instant; returns their messages."""
    barrier = threading.Barrier(2)
    messages = ["", ""]
    errors: list[BaseException] = []

    def go(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            messages[i] = browsers[i].post(path, forms[i])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return messages


def judge(messages: list[str], success: str) -> int:
    """The index of the one browser told it saved; the other must have been refused."""
    saved = [i for i, m in enumerate(messages) if success in m]
    refused = [i for i, m in enumerate(messages) if REFUSED.search(m)]
    assert len(saved) == 1 and len(refused) == 1 and saved != refused, messages
    return saved[0]


def audit_count(action: str) -> int:
    db.session.rollback()
    return (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
        or 0
    )


def trials(n: int, run: Callable[[int], None]) -> None:
    for i in range(n):
        run(i)


# ---------------------------------------------------------------- editors


def test_bill_positions(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    bill = db.session.scalars(select(Bill).order_by(Bill.id)).first()
    page_path = f"/staff/bills/{bill.session.identifier}/{bill.key}"
    action = page_path + "/position"
    bill_id = bill.id

    def run(i: int) -> None:
        before = audit_count("position.edit")
        forms = []
        for n, browser in enumerate(browsers):
            fields = browser.form(browser.page(page_path), action)
            assert "rationale__es" in fields  # the Spanish rationale is on the same form
            fields.update(
                position="support",
                rationale=f"Trial {i} by editor {n}.",
                rationale__es=f"Prueba {i} del editor {n}.",
            )
            forms.append(fields)
        winner = judge(
            race(browsers, action, tuple(forms), "Saved the position"), "Saved the position"
        )
        db.session.rollback()
        row = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill_id))
        assert row.rationale == f"Trial {i} by editor {winner}."
        # the translation is the same writer's: one edit, never half of each
        assert row.translations == {"es": {"rationale": f"Prueba {i} del editor {winner}."}}
        assert audit_count("position.edit") == before + 1

    trials(TRIALS, run)


def test_scorecard_settings(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first()
    path = f"/staff/scorecards/{card.public_id}"
    card_id = card.id

    def run(i: int) -> None:
        before = audit_count("scorecard.edit")
        forms = []
        for n, browser in enumerate(browsers):
            fields = browser.form(browser.page(path), path)
            fields["description"] = f"Settings trial {i} by editor {n}."
            forms.append(fields)
        winner = judge(
            race(browsers, path, tuple(forms), "Saved the scorecard"), "Saved the scorecard"
        )
        db.session.rollback()
        assert (
            db.session.get(Scorecard, card_id).description
            == f"Settings trial {i} by editor {winner}."
        )
        assert audit_count("scorecard.edit") == before + 1

    trials(TRIALS, run)


def test_scored_vote_descriptions(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    vote = db.session.scalars(
        select(ScorecardVote).where(ScorecardVote.active.is_(True)).order_by(ScorecardVote.id)
    ).first()
    page_path = f"/staff/scorecards/{vote.scorecard.public_id}"
    action = f"{page_path}/votes/{vote.id}"
    vote_id = vote.id

    def run(i: int) -> None:
        before = audit_count("scored_vote.edit")
        forms = []
        for n, browser in enumerate(browsers):
            fields = browser.form(browser.page(page_path), action)
            fields["description"] = f"Vote trial {i} by editor {n}"
            forms.append(fields)
        winner = judge(
            race(browsers, action, tuple(forms), "Saved the scored vote"), "Saved the scored vote"
        )
        db.session.rollback()
        assert (
            db.session.get(ScorecardVote, vote_id).description
            == f"Vote trial {i} by editor {winner}"
        )
        assert audit_count("scored_vote.edit") == before + 1

    trials(TRIALS, run)


def test_two_admins_publish_one_draft(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first()
    page_path = f"/staff/scorecards/{card.public_id}"
    action = f"{page_path}/publish"
    card_id = card.id

    def run(i: int) -> None:
        db.session.rollback()
        versions = db.session.scalar(
            select(func.count())
            .select_from(ScorecardVersion)
            .where(ScorecardVersion.scorecard_id == card_id)
        )
        forms = []
        for browser in browsers:
            fields = browser.form(browser.page(action), action)  # the confirmation page
            fields["note"] = f"Publish trial {i}."
            forms.append(fields)
        judge(race(browsers, action, tuple(forms), "Published version"), "Published version")
        db.session.rollback()
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ScorecardVersion)
                .where(ScorecardVersion.scorecard_id == card_id)
            )
            == versions + 1
        )

    trials(HEAVY, run)


def _draft_alert(i: int, reviewed: bool) -> str:
    db.session.rollback()
    bill = db.session.scalars(select(Bill).where(Bill.bill_type == "HF").order_by(Bill.id)).first()
    data = alerting.AlertInput(
        title=f"Call about trial {i}",
        target="floor",
        chamber="house",
        ask="yes",
        summary="A summary.",
        call_script="Please vote yes on {bill}.",
        email_subject="Vote yes",
        email_template="Dear {legislator}, please vote yes.",
        deadline=None,
    )
    alert = alerting.create_alert(bill, data, actor="test")
    if reviewed:
        alerting.mark_reviewed(alert, expected_version=None, actor="test")
    db.session.commit()
    return alert.public_id


def test_alert_edits(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    public_id = _draft_alert(0, reviewed=False)
    path = f"/staff/alerts/{public_id}"

    def run(i: int) -> None:
        before = audit_count("alert.update")
        forms = []
        for n, browser in enumerate(browsers):
            fields = browser.form(browser.page(path), path)
            fields["summary"] = f"Alert trial {i} by editor {n}."
            forms.append(fields)
        winner = judge(race(browsers, path, tuple(forms), "Saved the alert"), "Saved the alert")
        db.session.rollback()
        alert = db.session.scalar(select(Alert).where(Alert.public_id == public_id))
        assert alert.summary == f"Alert trial {i} by editor {winner}."
        assert audit_count("alert.update") == before + 1

    trials(TRIALS, run)


def test_two_admins_publish_one_alert(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))

    def run(i: int) -> None:
        public_id = _draft_alert(i, reviewed=True)
        path = f"/staff/alerts/{public_id}"
        action = f"{path}/publish"
        before = audit_count("alert.publish")
        forms = tuple(b.form(b.page(path), action) for b in browsers)
        judge(race(browsers, action, forms, "Published to"), "Published to")
        assert audit_count("alert.publish") == before + 1

    trials(HEAVY, run)


def test_data_quality_resolutions(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))

    def run(i: int) -> None:
        db.session.rollback()
        item = DataQualityItem(
            kind="unverified_roll_call", message=f"Trial {i}", fingerprint=f"concurrency-{i}"
        )
        db.session.add(item)
        db.session.commit()
        action = f"/staff/quality/{item.id}/resolve"
        forms = tuple(
            {
                "csrf_token": Browser.token(b.page("/staff/quality")),
                "resolution": f"Resolved in trial {i} by editor {n}.",
            }
            for n, b in enumerate(browsers)
        )
        winner = judge(race(browsers, action, forms, "Marked resolved"), "Marked resolved")
        db.session.rollback()
        assert (
            db.session.get(DataQualityItem, item.id).resolution
            == f"Resolved in trial {i} by editor {winner}."
        )

    trials(TRIALS, run)


def test_name_mappings(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    people = db.session.scalars(select(Person).order_by(Person.id).limit(2)).all()
    person_ids = [p.id for p in people]

    def run(i: int) -> None:
        db.session.rollback()
        printed = f"Zed{i}"
        item = DataQualityItem(
            kind="unmatched_name",
            message=f"Unmatched {printed}",
            details={"chamber": "house", "printed_name": printed},
            fingerprint=f"concurrency-name-{i}",
        )
        db.session.add(item)
        db.session.commit()
        action = f"/staff/quality/{item.id}/map"
        forms = tuple(
            {"csrf_token": Browser.token(b.page("/staff/quality")), "person_id": str(person_ids[n])}
            for n, b in enumerate(browsers)
        )
        winner = judge(race(browsers, action, forms, "Mapped"), "Mapped")
        db.session.rollback()
        mappings = db.session.scalars(
            select(NameMapping).where(NameMapping.printed_name == printed)
        ).all()
        assert [m.person_id for m in mappings] == [person_ids[winner]]

    trials(HEAVY, run)


@pytest.mark.parametrize("kind", ["roster_conflict", "seat_conflict"])
def test_roster_confirmations(live: tuple[Flask, str], kind: str) -> None:
    """Two staff settle one disagreement between roster sources, each choosing a
    different answer: one choice is remembered, the other refused."""
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    terms = db.session.scalars(select(Term).where(Term.chamber == "house").order_by(Term.id)).all()[
        :2
    ]
    action = "confirm_bound" if kind == "roster_conflict" else "confirm_seat_holder"

    def run(i: int) -> None:
        db.session.rollback()
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i)
        if kind == "roster_conflict":
            details: dict[str, Any] = {
                "term_id": terms[0].id,
                "bound": "start",
                "options": [
                    {"source": "journal_roll", "day": day.isoformat()},
                    {"source": "openstates", "day": (day + dt.timedelta(days=9)).isoformat()},
                ],
            }
            choices = ("0", "1")
        else:
            details = {
                "chamber": "house",
                "district": terms[0].district,
                "date": day.isoformat(),
                "people": [t.person_id for t in terms],
            }
            choices = tuple(str(t.person_id) for t in terms)
        item = DataQualityItem(
            kind=kind, message=f"Trial {i}", details=details, fingerprint=f"concurrency-{kind}-{i}"
        )
        db.session.add(item)
        db.session.commit()
        before = audit_count(f"roster.{action}")
        forms = tuple(
            {
                "csrf_token": Browser.token(b.page("/staff/quality")),
                "choice": choices[n],
                "note": f"Trial {i}: editor {n} read the journal.",
            }
            for n, b in enumerate(browsers)
        )
        judge(race(browsers, f"/staff/quality/{item.id}/confirm", forms, "Confirmed"), "Confirmed")
        db.session.rollback()
        assert audit_count(f"roster.{action}") == before + 1
        assert db.session.get(DataQualityItem, item.id).status != "open"
        if kind == "seat_conflict":
            assert (
                db.session.scalar(
                    select(func.count())
                    .select_from(RosterConfirmation)
                    .where(RosterConfirmation.kind == "seat_holder", RosterConfirmation.day == day)
                )
                == 1
            )

    trials(HEAVY, run)


def test_two_admins_publish_one_position(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    bill = db.session.scalars(select(Bill).order_by(Bill.id)).first()
    page_path = f"/staff/bills/{bill.session.identifier}/{bill.key}"
    bill_id = bill.id

    def run(i: int) -> None:
        editor = browsers[0]
        fields = editor.form(editor.page(page_path), page_path + "/position")
        fields.update(position="support", rationale=f"Publish trial {i}.")
        assert "Saved the position" in editor.post(page_path + "/position", fields)
        before = audit_count("position.publish")
        action = page_path + "/position/publish"
        forms = tuple(b.form(b.page(page_path), action) for b in browsers)
        judge(race(browsers, action, forms, "Published the position"), "Published the position")
        assert audit_count("position.publish") == before + 1
        row = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill_id))
        assert row.published_rationale == f"Publish trial {i}."

    trials(TRIALS, run)


@pytest.mark.parametrize(
    ("action", "success"), [("review", "Marked reviewed"), ("close", "Closed the alert")]
)
def test_two_staff_review_or_close_one_alert(
    live: tuple[Flask, str], action: str, success: str
) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))

    def run(i: int) -> None:
        public_id = _draft_alert(i, reviewed=action == "close")
        if action == "close":
            alert = db.session.scalar(select(Alert).where(Alert.public_id == public_id))
            alerting.publish_alert(alert, expected_version=None, actor="test")
            db.session.commit()
        path = f"/staff/alerts/{public_id}"
        before = audit_count(f"alert.{action}")
        forms = tuple(b.form(b.page(path), f"{path}/{action}") for b in browsers)
        judge(race(browsers, f"{path}/{action}", forms, success), success)
        assert audit_count(f"alert.{action}") == before + 1

    trials(HEAVY, run)


def test_a_refused_edit_saves_nothing(live: tuple[Flask, str]) -> None:
    """The loser's whole request is rolled back: its audit entry and draft rescoring too."""
    app, base = live
    first = Browser(app, base, "one@example.org")
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first()
    path = f"/staff/scorecards/{card.public_id}"
    stale = first.form(first.page(path), path)
    scorecards_before = audit_count("scorecard.edit")
    fresh = dict(stale, description="The first editor's change.")
    assert "Saved the scorecard" in first.post(path, fresh)
    stale["description"] = "A change from a page loaded before it."
    assert REFUSED.search(first.post(path, stale))
    db.session.rollback()
    assert db.session.get(Scorecard, card.id).description == "The first editor's change."
    assert audit_count("scorecard.edit") == scorecards_before + 1
    assert CONFLICT  # the message a conflict detected at the write itself shows
