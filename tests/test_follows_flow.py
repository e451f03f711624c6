"""Following, end to end: the invented legislature of tests/fakesite.py served on a
local port (hand-built pages; every name invented) and a local SMTP server
(aiosmtpd, as tests/test_mail.py uses).  Members follow a bill, a legislator and a
district through the form and confirm; the House posts a roll call; the
meeting-day votes slot (watched bills, then votes) stores and verifies it; the
follows job queues the emails; the mail job sends them with RFC 8058 headers;
one-click unsubscribe works; the daily digest arrives; an unchanged slot costs
only listing requests, counted here (the figure in the README)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email.utils import parseaddr
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.conftest import csrf_token
from tests.fakesite import FakeLegislature, FakeSession
from tests.sites import serve
from tests.test_follows import new_roll_call
from tests.test_mail import Handler, free_port
from tracker import alerts, follows, ingest, jobs, localtime, pipeline, scorecards
from tracker.extensions import db
from tracker.models import Bill, Follow, OutboxMessage, Person, RollCall
from tracker.models.common import utcnow
from tracker.roster import derive
from tracker.settings import override

TUESDAY_IN_SESSION = dt.date(2026, 3, 3)  # the stored 2025-2026 session is in progress
BASE = "https://action.example.org"


class PostsLater(FakeLegislature):
    """The fake legislature, except that the floor votes of the bills numbered in
    ``unposted`` are not posted yet: no vote action in their status document, not in
    the House vote summary."""

    unposted: set[int]

    def status_xml(self, s: FakeSession, bill_type: str, number: int) -> bytes:
        body = super().status_xml(s, bill_type, number)
        if number in self.unposted:
            body = re.sub(
                rb"<ACTION><ACTION_NUMBER>2</ACTION_NUMBER>.*?</ACTION>\n", b"", body, flags=re.S
            )
        return body

    def vote_summary(self, s: FakeSession) -> bytes:
        body = super().vote_summary(s)
        for number in self.unposted:
            body = re.sub(rb'\{"Number": "HF%04d"[^}]*\}(, )?' % number, b"", body)
        return body.replace(b", ]", b"]")


@pytest.fixture
def smtp(app: Flask) -> Iterator[Handler]:
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    override(
        app,
        TRACKER_SMTP_URL=f"smtp://127.0.0.1:{controller.port}?timeout=5",
        TRACKER_MAIL_FROM="news@example.org",
        TRACKER_PUBLIC_URL=BASE,
    )
    yield handler
    controller.stop()


@pytest.fixture
def site(app: Flask, httpserver: Any, tmp_path: Any, smtp: Handler) -> PostsLater:
    # Pages dated in the last weeks (the votes are news, not history).
    start = localtime.today() - dt.timedelta(days=60)
    fake = PostsLater([FakeSession("2025-2026", "0942025", "302", start, bills=2)])
    fake.unposted = {2}
    base = httpserver.url_for("/").rstrip("/")
    serve(
        app,
        httpserver,
        fake,
        TRACKER_LRL_URL=base,
        TRACKER_OPENSTATES_DIR=str(tmp_path / "no-openstates"),
    )
    ingest.upsert_people(fake.people())
    db.session.flush()
    derive()
    db.session.commit()
    assert pipeline.scrape_bills(session="2025-2026").status == "succeeded"
    run = pipeline.scrape_votes(session="2025-2026")
    assert run.status == "succeeded", [e.reason for e in run.errors]
    return fake


def _links(body: str) -> dict[str, str]:
    return {
        kind: f"/follow/{kind}/{token}"
        for kind, token in re.findall(
            re.escape(BASE) + r"/follow/(confirm|manage|stop|stop-all)/(\S+)", body
        )
    }


def follow(client: FlaskClient, what: str, address: str, frequency: str) -> None:
    response = client.post("/follow", data={"what": what, "email": address, "frequency": frequency})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = db.session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.to_email == address)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert body is not None
    path = _links(body)["confirm"]
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200


def mail_out() -> Any:
    counts, result = alerts.run_mail_job()
    assert result.error is None and result.failed == 0, result.summary()
    return result


def test_follow_a_posted_roll_call_end_to_end(
    app: Flask, client: FlaskClient, site: PostsLater, smtp: Handler
) -> None:
    hf2 = db.session.scalars(select(Bill).where(Bill.bill_type == "HF", Bill.number == 2)).one()
    assert not db.session.scalars(select(RollCall).where(RollCall.bill_id == hf2.id)).all()
    scorecards.set_position(
        hf2,
        "support",
        "Invented rationale for the test.",
        ["water"],
        expected_version=None,
        actor="test",
    )
    scorecards.publish_position(hf2, expected_version=None, actor="test")
    db.session.commit()
    representative = db.session.scalars(
        select(Person).where(Person.house_member_id == "90000")
    ).one()
    district = representative.terms[0].district  # 1A

    follow(client, "bill:2025-2026:HF2", "bill.fan@example.org", "immediate")
    follow(client, f"legislator:{representative.public_id}", "watcher@example.org", "immediate")
    follow(client, f"district:{district}", "neighbour@example.org", "daily")
    result = mail_out()  # the three confirmations
    assert result.sent == 3 and len(smtp.received) == 3
    confirmation = smtp.parsed("bill.fan@example.org")[0]
    assert confirmation["List-Unsubscribe"].strip("<>").startswith(f"{BASE}/follow/stop/")
    smtp.received.clear()
    first = follows.run()  # the first scan: what was stored before is history
    assert first["immediate"] == 0

    # The House posts the vote on HF 2; the meeting-day slot picks it up.
    site.unposted.clear()
    site.log.clear()
    jobs.scheduled_votes(in_session_slot=True, today=TUESDAY_IN_SESSION)
    rc = db.session.scalars(select(RollCall).where(RollCall.bill_id == hf2.id)).one()
    assert rc.verified, rc.verification_note
    assert any("/bills/v1/94/2025/0/HF/2/" in line for line in site.log)  # watched: refetched
    assert site.count("/Votes/Details") == 1
    counts = follows.run()
    # The vote, and the status it gave the bill: two emails to the bill's follower.
    assert (counts["found_roll_call"], counts["found_status"]) == (1, 1)
    assert counts["immediate"] == 3
    result = mail_out()
    assert result.sent == 3
    assert smtp.counts() == {"bill.fan@example.org": 2, "watcher@example.org": 1}
    status, to_fan = sorted(
        smtp.parsed("bill.fan@example.org"), key=lambda m: "vote" in m["Subject"]
    )
    assert status["Subject"] == "HF 2: Passed the House"
    assert "HF 2 (Invented bill 2) is now: Passed the House" in status.get_content()
    body = to_fan.get_content()
    assert "House floor vote on HF 2 (Passage), " in body and f"{rc.yeas}–{rc.nays}" in body
    assert parseaddr(to_fan["From"]) == ("Minnesota Scorecard", "news@example.org")
    assert "from Minnesota Scorecard because you follow HF 2 (2025-2026)" in body
    [to_watcher] = smtp.parsed("watcher@example.org")
    option = {"yes": "voted yes on", "no": "voted no on"}[
        next(mv.option for mv in rc.member_votes if mv.person_id == representative.id)
    ]
    assert (
        f"Rep. {representative.name} {option} HF 2; our position: support."
        in to_watcher.get_content()
    )

    # RFC 8058: the header names a one-click URL that works with a bare POST.
    assert to_fan["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = to_fan["List-Unsubscribe"].strip("<>")
    assert one_click.startswith(f"{BASE}/follow/stop/") and one_click in body
    response = client.post(one_click.removeprefix(BASE), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    fan = db.session.scalars(select(Follow).where(Follow.kind == "bill")).one()
    assert fan.status == "stopped"
    manage = _links(to_watcher.get_content())["manage"]
    assert "Unfollow" in client.get(manage).get_data(as_text=True)

    # The daily digest for the district, once its day ends (7 a.m. Minnesota time).
    smtp.received.clear()
    day = follows.due_periods("daily", utcnow() + dt.timedelta(days=1), None)[-1]
    after = follows.period_bounds("daily", day)[1] + dt.timedelta(minutes=1)
    assert follows.run(after)["daily"] == 1
    # The clock has moved on to the digest hour: the queued digest is due now.
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.kind == "digest").values(next_attempt_at=utcnow())
    )
    db.session.commit()
    assert mail_out().sent == 1
    [digest] = smtp.parsed("neighbour@example.org")
    text = digest.get_content()
    assert f"House district {district}" in text
    assert f"Rep. {representative.name} {option} HF 2" in text
    assert digest["List-Unsubscribe"].strip("<>").startswith(f"{BASE}/follow/stop-all/")

    # Nothing is sent twice: another run of everything queues and sends nothing.
    smtp.received.clear()
    assert follows.run(after)["daily"] == 0
    assert mail_out().sent == 0 and smtp.received == []

    # An unchanged meeting-day slot: only listing requests, plus the watched bill.
    site.log.clear()
    jobs.scheduled_votes(in_session_slot=True, today=TUESDAY_IN_SESSION)
    searched = site.count("/bills/status_result.php")
    assert searched == 8  # House and Senate: bills (a full range, then an empty one), 2 types
    assert site.count("/bills/v1/") == 1  # the one watched bill (HF 2)
    assert site.count("/Votes/GetVoteSummary") == 1
    assert len(site.log) == searched + 1 + 1, site.log
    assert follows.run()["immediate"] == 0


def test_a_bounce_marks_the_address(
    app: Flask, client: FlaskClient, site: PostsLater, smtp: Handler
) -> None:
    follow(client, "district:1A", "gone@example.org", "immediate")
    smtp.reject.add("gone@example.org")
    db.session.execute(update(OutboxMessage).values(status="failed"))
    db.session.commit()
    follows.run()
    hf2 = db.session.scalars(select(Bill).where(Bill.bill_type == "HF", Bill.number == 2)).one()
    scorecards.set_position(
        hf2, "oppose", "Invented rationale for the test.", [], expected_version=None, actor="test"
    )
    scorecards.publish_position(hf2, expected_version=None, actor="test")
    db.session.commit()
    site.unposted.clear()
    jobs.scheduled_votes(in_session_slot=True, today=TUESDAY_IN_SESSION)
    assert follows.run()["immediate"] == 1
    result = alerts.run_mail_job()[1]
    assert result.bounced == 1
    db.session.expire_all()
    subscriber = db.session.scalars(select(Follow)).one().subscriber
    assert subscriber.bounced_at is not None and "550" in (subscriber.bounce_reason or "")
    # A later event is not queued for the bounced address.
    rc = db.session.scalars(select(RollCall).where(RollCall.bill_id == hf2.id)).one()
    new_roll_call(rc)
    counts = follows.run()
    assert counts["found_roll_call"] == 1 and counts["immediate"] == 0
