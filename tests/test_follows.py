"""Following bills, legislators and districts (tracker.follows): sign-up with double
opt-in, bad input and floods, the manage page and one-click unfollowing; events
found by the scan (each stored once, only verified roll calls, the seat rule for
districts); "as it happens" emails and digests queued at most once; feeds parsed
back as Atom and iCalendar; staff counts; export and erase.  Starts from the
invented demo legislature; hearings and new roll calls are built here by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from lxml import etree
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.test_pressure import alert_input, published_alert
from tests.test_subscriptions import mail_works
from tracker import alerts, follows, jobs, localtime, scorecards, seats
from tracker.extensions import db
from tracker.follows import events as scanning
from tracker.models import (
    Bill,
    Follow,
    FollowDigest,
    FollowEvent,
    Hearing,
    HearingBill,
    HearingChange,
    LegislativeSession,
    MemberVote,
    OutboxMessage,
    Person,
    RollCall,
    Scorecard,
    Subscriber,
)
from tracker.models.common import utcnow
from tracker.settings import override

ATOM = "{http://www.w3.org/2005/Atom}"
LINK = re.compile(r"http://localhost/follow/(confirm|manage|stop|stop-all)/(\S+)")


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None, app: Flask) -> None:
    """The demo legislature without its alert; links on http://localhost."""
    override(app, TRACKER_PUBLIC_URL="http://localhost")


# ---------------------------------------------------------------- helpers


def a_vote() -> tuple[RollCall, Bill, Person, str]:
    """A verified Senate passage vote of the current demo session, its bill (which has a
    published position), a senator who voted yes or no, and how."""
    rc = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .where(
            RollCall.chamber == "senate",
            RollCall.kind == "passage",
            RollCall.verified,
            Bill.session.has(identifier="2025-2026"),
        )
        .order_by(RollCall.id)
    ).first()
    assert rc is not None
    vote = next(v for v in rc.member_votes if v.option in ("yes", "no") and v.person_id)
    assert vote.person is not None
    return rc, rc.bill, vote.person, vote.option


def what_bill(bill: Bill) -> str:
    return f"bill:{bill.session.identifier}:{bill.key}"


def signup(
    client: FlaskClient, what: str, email: str, frequency: str = "immediate", **extra: str
) -> Any:
    return client.post(
        "/follow", data={"what": what, "email": email, "frequency": frequency, **extra}
    )


def links(email: str) -> dict[str, str]:
    """The paths in the latest email to ``email``."""
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email.strip().lower())
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    return {kind: f"/follow/{kind}/{token}" for kind, token in LINK.findall(message.body)}


def confirmed(client: FlaskClient, what: str, email: str, frequency: str = "immediate") -> Follow:
    assert signup(client, what, email, frequency).status_code == 200
    path = links(email)["confirm"]
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200 and "You&#39;re following" in done.get_data(as_text=True)
    db.session.expire_all()
    follow, _ = follows.read_confirm_token(path.rsplit("/", 1)[1])
    assert follow.status == "active"
    return follow


def today() -> dt.date:
    return localtime.local(utcnow()).date()


def next_end(frequency: str, moment: dt.datetime) -> dt.date:
    """The day the digest period holding ``moment`` ends (at the digest hour)."""
    local = localtime.local(moment)
    day = local.date() + dt.timedelta(days=0 if local.hour < 7 else 1)
    if frequency == "weekly":
        day += dt.timedelta(days=(7 - day.weekday()) % 7)  # the next Monday
    return day


def new_roll_call(rc: RollCall, *, verified: bool = True, page: str = "9001") -> RollCall:
    """Another roll call on ``rc``'s bill today, with the same votes."""
    copy = RollCall(
        bill_id=rc.bill_id,
        chamber=rc.chamber,
        date=today(),
        motion="Final passage as amended",
        kind="passage",
        journal_page=page,
        yeas=rc.yeas,
        nays=rc.nays,
        outcome="passed",
        verified=verified,
    )
    db.session.add(copy)
    db.session.flush()
    for vote in rc.member_votes:
        db.session.add(
            MemberVote(
                roll_call_id=copy.id,
                person_id=vote.person_id,
                printed_name=vote.printed_name,
                option=vote.option,
            )
        )
    db.session.commit()
    return copy


def hearing_on(bill: Bill, day: dt.date, key: str = "house:invented-1") -> Hearing:
    hearing = Hearing(
        source_key=key,
        chamber="house",
        committee_name="Invented Waterways",
        date=day,
        starts_at=dt.datetime.combine(day, dt.time(16, 30), tzinfo=dt.UTC),
        time_text="10:30 AM",
        room="Room 10",
        source_url="https://www.house.mn.gov/Schedules/All",
    )
    hearing.bills.append(
        HearingBill(bill_type=bill.bill_type, number=bill.number, position=0, bill_id=bill.id)
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


def queued(kind: str, email: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    if email:
        query = query.where(OutboxMessage.to_email == email)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- signing up


def test_follow_needs_confirmation_by_post(app: Flask, client: FlaskClient) -> None:
    mail_works(app)
    _, bill, _, _ = a_vote()
    page = client.get(f"/follow?what={what_bill(bill)}")
    assert page.status_code == 200 and f"Follow {bill.label}" in page.get_data(as_text=True)
    response = signup(client, what_bill(bill), "  Member.One@Example.ORG ", "daily")
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    subscriber = db.session.scalars(select(Subscriber)).one()
    assert subscriber.email == "member.one@example.org"  # normalised as alert sign-ups are
    follow = db.session.scalars(select(Follow)).one()
    assert (follow.status, follow.kind, follow.bill_id) == ("pending", "bill", bill.id)
    [message] = queued("confirm")
    assert message.to_email == "member.one@example.org" and bill.label in message.subject
    assert set(links(subscriber.email)) == {"confirm", "manage", "stop", "stop-all"}
    # A link checker's GET shows a button and confirms nothing.
    path = links(subscriber.email)["confirm"]
    page = client.get(path)
    assert page.status_code == 200 and "Confirm" in page.get_data(as_text=True)
    assert "daily digest" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Follow, follow.id).status == "pending"
    # The POST needs the page's CSRF token.
    assert client.post(path).status_code == 400
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200 and "manage" in done.get_data(as_text=True)
    db.session.expire_all()
    follow = db.session.get(Follow, follow.id)
    assert (follow.status, follow.frequency) == ("active", "daily")
    assert follow.confirmed_at is not None


def test_a_repeat_changes_nothing_until_confirmed(app: Flask, client: FlaskClient) -> None:
    _, bill, _, _ = a_vote()
    follow = confirmed(client, what_bill(bill), "repeat@example.org", "weekly")
    # Someone asks again for this address, as it happens: nothing changes, no new email
    # within ten minutes (no mail bombing through the form).
    assert signup(client, what_bill(bill), "repeat@example.org", "immediate").status_code == 200
    assert len(queued("confirm", "repeat@example.org")) == 1
    follow.confirm_sent_at = utcnow() - dt.timedelta(minutes=11)
    db.session.commit()
    assert signup(client, what_bill(bill), "repeat@example.org", "immediate").status_code == 200
    assert len(queued("confirm", "repeat@example.org")) == 2
    db.session.expire_all()
    assert db.session.get(Follow, follow.id).frequency == "weekly"
    assert db.session.query(Follow).count() == 1 and db.session.query(Subscriber).count() == 1


def test_follow_a_legislator_and_a_district(app: Flask, client: FlaskClient) -> None:
    _, _, person, _ = a_vote()
    legislator = confirmed(client, f"legislator:{person.public_id}", "a@example.org")
    assert (legislator.kind, legislator.person_id, legislator.target_key) == (
        "legislator",
        person.id,
        f"person:{person.id}",
    )
    district = confirmed(client, "district: 3a ", "a@example.org", "daily")
    assert (district.kind, district.chamber, district.district, district.target_key) == (
        "district",
        "house",
        "3A",
        "district:house:3A",
    )
    senate = confirmed(client, "district:SD 7", "a@example.org")
    assert senate.target_key == "district:senate:7"
    # The district form on /follow posts a typed district.
    response = client.post(
        "/follow", data={"district": "4B", "email": "b@example.org", "frequency": "weekly"}
    )
    assert response.status_code == 200
    assert (
        db.session.scalars(
            select(Follow.target_key).join(Subscriber).where(Subscriber.email == "b@example.org")
        ).one()
        == "district:house:4B"
    )


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        ({"email": "not-an-address"}, 400, "not an email address"),
        ({"email": ""}, 400, "Enter your email address"),
        ({"email": "x" * 250 + "@example.org"}, 400, "too long"),
        ({"what": "district:99", "email": "a@example.org"}, 400, "numbered 1 to 67"),
        ({"what": "district:", "email": "a@example.org"}, 400, "district number"),
        ({"what": "petition:1", "email": "a@example.org"}, 400, "Choose what to follow"),
        ({"what": "", "email": "a@example.org"}, 400, "Say what to follow"),
        ({"what": "bill:2025-2026:HF99999", "email": "a@example.org"}, 404, ""),
        ({"what": "bill:1999-2000:HF1", "email": "a@example.org"}, 404, ""),
        ({"what": "bill:2025-2026:XX1", "email": "a@example.org"}, 404, ""),
        ({"what": "legislator:no-such-person", "email": "a@example.org"}, 404, ""),
    ],
)
def test_bad_input_is_refused_with_a_message(
    app: Flask, client: FlaskClient, data: dict[str, str], status: int, text: str
) -> None:
    _, bill, _, _ = a_vote()
    data = {"what": what_bill(bill), "frequency": "immediate", **data}
    response = client.post("/follow", data=data)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)
    assert db.session.query(Follow).count() == 0
    assert db.session.query(OutboxMessage).count() == 0


def test_unknown_frequency_is_as_it_happens(app: Flask, client: FlaskClient) -> None:
    _, bill, _, _ = a_vote()
    assert signup(client, what_bill(bill), "f@example.org", "hourly").status_code == 200
    assert "as it happens" in queued("confirm")[0].body


def test_floods_are_limited_per_network_and_per_address(app: Flask, client: FlaskClient) -> None:
    _, bill, _, _ = a_vote()
    limit = 5  # TRACKER_SIGNUP_LIMIT's default: 5 per hour
    statuses = [
        signup(client, what_bill(bill), f"m{i}@example.org").status_code for i in range(limit + 1)
    ]
    assert statuses == [200] * limit + [429]
    # One address from many networks.
    statuses = []
    for i in range(limit + 1):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"192.0.2.{10 + i}"
        statuses.append(signup(other, what_bill(bill), "target@example.org").status_code)
    assert statuses[-1] == 429 and statuses.count(200) == limit
    assert len(queued("confirm", "target@example.org")) == 1  # and one email at most


def test_forged_and_unknown_links(app: Flask, client: FlaskClient) -> None:
    _, bill, _, _ = a_vote()
    follow = confirmed(client, what_bill(bill), "victim@example.org")
    forged = URLSafeSerializer("wrong-key", salt="follow-manage").dumps(
        [follow.subscriber_id, follow.subscriber.token_key]
    )
    for kind in ("manage", "stop", "stop-all", "confirm"):
        response = client.get(f"/follow/{kind}/{forged}")
        assert response.status_code == 400, kind
        assert "That link does not work" in response.get_data(as_text=True)
    # Right key, wrong secret of the subscriber.
    guessed = URLSafeSerializer(app.config["SECRET_KEY"], salt="follow-stop").dumps(
        [follow.id, "0" * 32]
    )
    assert client.post(f"/follow/stop/{guessed}").status_code == 400
    db.session.expire_all()
    assert db.session.get(Follow, follow.id).status == "active"
    # Another subscriber's follow, or none, through a valid manage link: 404.
    other = confirmed(client, what_bill(bill), "other@example.org")
    manage = links("victim@example.org")["manage"]
    token = csrf_token(client, manage)
    for follow_id in (str(other.id), "999999", "x"):
        response = client.post(
            manage, data={"csrf_token": token, "action": "stop", "follow": follow_id}
        )
        assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Follow, other.id).status == "active"


def test_manage_page(app: Flask, client: FlaskClient) -> None:
    _, bill, person, _ = a_vote()
    first = confirmed(client, what_bill(bill), "manager@example.org")
    second = confirmed(client, f"legislator:{person.public_id}", "manager@example.org")
    manage = links("manager@example.org")["manage"]
    page = client.get(manage).get_data(as_text=True)
    assert bill.label in page and person.name in page and "manager@example.org" in page
    token = csrf_token(client, manage)
    assert (
        client.post(manage, data={"action": "stop", "follow": str(first.id)}).status_code == 400
    )  # no CSRF token
    changed = client.post(
        manage,
        data={
            "csrf_token": token,
            "action": "frequency",
            "follow": str(first.id),
            "frequency": "weekly",
        },
    )
    assert changed.status_code == 200 and "weekly digest" in changed.get_data(as_text=True)
    assert (
        client.post(
            manage,
            data={
                "csrf_token": token,
                "action": "frequency",
                "follow": str(first.id),
                "frequency": "hourly",
            },
        ).status_code
        == 400
    )
    stopped = client.post(
        manage, data={"csrf_token": token, "action": "stop", "follow": str(second.id)}
    )
    assert stopped.status_code == 200 and f"no longer follow {person.name}" in stopped.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Follow, first.id).frequency == "weekly"
    assert db.session.get(Follow, second.id).status == "stopped"
    everything = client.post(manage, data={"csrf_token": token, "action": "stop_all"})
    assert "You follow nothing now (1 stopped)" in everything.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Follow, first.id).status == "stopped"


def test_one_click_stop_and_stop_all(app: Flask, client: FlaskClient) -> None:
    _, bill, person, _ = a_vote()
    first = confirmed(client, what_bill(bill), "leaver@example.org")
    second = confirmed(client, f"legislator:{person.public_id}", "leaver@example.org")
    paths = links("leaver@example.org")  # the second confirmation: stop is the second follow
    # GET never stops (scanners prefetch); the RFC 8058 POST does, without a CSRF token.
    assert client.get(paths["stop"]).status_code == 200
    db.session.expire_all()
    assert db.session.get(Follow, second.id).status == "active"
    response = client.post(paths["stop"], data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Unfollowed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Follow, second.id).status == "stopped"
    assert db.session.get(Follow, first.id).status == "active"
    assert client.post(paths["stop"]).status_code == 200  # again: nothing left to do
    assert client.post(paths["stop-all"], data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Follow, first.id).status == "stopped"
    assert "follows nothing" in client.get(paths["stop-all"]).get_data(as_text=True)
    # Following again: a new confirmation makes it active again, from then on.
    first.confirm_sent_at = utcnow() - dt.timedelta(minutes=11)
    db.session.commit()
    again = confirmed(client, what_bill(bill), "leaver@example.org")
    assert again.id == first.id and again.status == "active"


# ---------------------------------------------------------------- events


def test_scan_finds_each_event_once(app: Flask) -> None:
    rc, bill, _, _ = a_vote()
    t0 = utcnow()
    first = scanning.scan(t0)
    db.session.commit()
    backfilled = db.session.scalar(select(func.count()).select_from(FollowEvent))
    # The first scan starts the watermarks; what it finds of the recent past is
    # feed material only (backfill), never mailed.
    assert (
        db.session.scalar(
            select(func.count()).select_from(FollowEvent).where(FollowEvent.backfill.is_(False))
        )
        == 0
    )
    assert set(first) <= {"score", "roll_call", "hearing"}
    assert scanning.scan(t0) == {}  # nothing new: nothing stored

    later = new_roll_call(rc)
    unverified = new_roll_call(rc, verified=False, page="9002")
    hearing = hearing_on(bill, today() + dt.timedelta(days=3))
    bill.status = "passed_both"
    t1 = t0 + dt.timedelta(minutes=5)
    bill.last_fetched_at = t1
    db.session.commit()
    found = scanning.scan(t1)
    db.session.commit()
    assert found == {"roll_call": 1, "hearing": 1, "status": 1}
    rows = {
        e.kind: e
        for e in db.session.scalars(select(FollowEvent).where(FollowEvent.backfill.is_(False)))
    }
    assert rows["roll_call"].roll_call_id == later.id  # only the verified one
    assert rows["hearing"].hearing_id == hearing.id and rows["hearing"].bill_id == bill.id
    assert rows["status"].details["after"] == "passed_both"
    assert rows["status"].details["before"] not in (None, "passed_both")
    assert scanning.scan(t1) == {}

    # Verified later (by a re-scrape or by staff): announced then.
    unverified.verified = True
    # The hearing moves: an event per bill on the agenda.
    hearing.starts_at = hearing.starts_at + dt.timedelta(hours=2)
    hearing.changes.append(HearingChange(kind="moved", before={}, after={}, seen_at=t1))
    db.session.commit()
    assert scanning.scan(t1 + dt.timedelta(minutes=5)) == {"roll_call": 1, "hearing_change": 1}
    assert db.session.scalar(select(func.count()).select_from(FollowEvent)) == backfilled + 5


def test_scores_and_alerts_are_events(app: Flask) -> None:
    scanning.scan(utcnow())
    db.session.commit()
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    assert card is not None
    version = scorecards.publish(card, expected_version=None, note="Second edition.", actor="test")
    _, bill, _, _ = a_vote()
    alert = published_alert(bill)
    db.session.commit()
    found = scanning.scan(utcnow())
    assert (found["score"], found["alert"]) == (1, 1)
    kinds = {
        e.kind: e
        for e in db.session.scalars(select(FollowEvent).where(FollowEvent.backfill.is_(False)))
    }
    assert kinds["score"].version_id == version.id and kinds["alert"].alert_id == alert.id


def test_district_follows_reach_the_holders_on_the_day(app: Flask) -> None:
    rc, bill, person, option = a_vote()
    term = seats.seat_of(person.id, "senate", today())
    assert term is not None
    later = new_roll_call(rc)
    scanning.scan(utcnow())
    db.session.commit()
    event = db.session.scalars(
        select(FollowEvent).where(FollowEvent.roll_call_id == later.id)
    ).one()
    with alerts.public_urls():
        told = follows.audiences([event])[event.id]
    words = {"yes": "voted yes on", "no": "voted no on"}[option]
    line = told[f"person:{person.id}"]
    assert line.text.startswith(f"Sen. {person.name} {words} {bill.label}; our position: ")
    # A senator reaches the followers of their Senate district and of both House halves.
    for key in (
        f"district:senate:{term.district}",
        f"district:house:{term.district}A",
        f"district:house:{term.district}B",
    ):
        assert told[key] == line
    # The bill's followers, and its companion's, hear of the vote itself.
    assert f"bill:{bill.id}" in told and "Senate floor vote" in told[f"bill:{bill.id}"].text
    assert bill.companion_id and "is the companion of" in told[f"bill:{bill.companion_id}"].text


# ---------------------------------------------------------------- delivery


def test_as_it_happens_and_digests_are_queued_once(app: Flask, client: FlaskClient) -> None:
    rc, bill, person, option = a_vote()
    mail_works(app)
    now_follow = confirmed(client, what_bill(bill), "now@example.org", "immediate")
    confirmed(client, f"legislator:{person.public_id}", "now@example.org", "immediate")
    confirmed(client, what_bill(bill), "daily@example.org", "daily")
    confirmed(client, f"legislator:{person.public_id}", "weekly@example.org", "weekly")
    confirmed(client, what_bill(bill), "bounced@example.org", "immediate")
    alerts.record_bounce("bounced@example.org", "550 mailbox unknown")
    db.session.commit()

    t0 = utcnow()
    counts = follows.run(t0)  # the first run: the past is backfill, nothing is mailed
    assert counts["immediate"] == 0 and not queued("event")
    later = new_roll_call(rc)
    t1 = t0 + dt.timedelta(minutes=5)
    counts = follows.run(t1)
    assert counts["found_roll_call"] == 1 and counts["immediate"] == 1
    [message] = queued("event")
    assert message.to_email == "now@example.org"
    assert message.dedupe_key == f"event:{now_follow.subscriber_id}:" + str(
        db.session.scalar(select(FollowEvent.id).where(FollowEvent.roll_call_id == later.id))
    )
    # One email for the event, telling both follows.
    assert f"Senate floor vote on {bill.label}" in message.body
    assert f"Sen. {person.name} voted {option} on {bill.label}; our position:" in message.body
    # each line leads to the roll call's own page: every member's vote, and its source
    assert f"http://localhost/roll-calls/{later.public_id}" in message.body
    assert "/follow/stop-all/" in message.body and "/follow/manage/" in message.body
    assert message.unsubscribe_url.startswith("http://localhost/follow/stop-all/")
    # A second run, or a crash before the watermark moved: nothing queued twice.
    assert follows.run(t1)["immediate"] == 0
    scanning.states()["immediate"].number = 0
    db.session.commit()
    assert follows.run(t1)["immediate"] == 0
    assert len(queued("event")) == 1

    # The daily digest of the day to 7 a.m. (Minnesota) after the vote; the weekly one
    # on the Monday after.
    day = next_end("daily", t1)
    after = follows.period_bounds("daily", day)[1] + dt.timedelta(minutes=30)
    assert follows.run(after)["daily"] == 1
    [digest] = queued("digest", "daily@example.org")
    assert digest.to_email == "daily@example.org"
    assert digest.dedupe_key == f"digest:daily:{day.isoformat()}:{digest.subscriber_id}"
    assert f"{bill.label} (2025-2026)" in digest.body and "Senate floor vote" in digest.body
    assert "in the day to 7:00 a.m. C" in digest.body and localtime.day(day) in digest.body
    assert follows.run(after)["daily"] == 0
    assert (
        day
        in db.session.scalars(
            select(FollowDigest.period_end).where(FollowDigest.frequency == "daily")
        ).all()
    )
    monday = next_end("weekly", t1)
    follows.run(follows.period_bounds("weekly", monday)[1] + dt.timedelta(minutes=1))
    follows.run(follows.period_bounds("weekly", monday)[1] + dt.timedelta(minutes=2))
    [weekly] = queued("digest", "weekly@example.org")
    assert weekly.dedupe_key == f"digest:weekly:{monday.isoformat()}:{weekly.subscriber_id}"
    assert len(queued("digest")) == 2  # one daily, one weekly: nobody twice
    assert f"Sen. {person.name} voted {option}" in weekly.body
    assert "in the week to 7:00 a.m. C" in weekly.body and localtime.day(monday) in weekly.body
    assert not queued("event", "bounced@example.org")  # a bounce marks the address


def test_events_before_a_follow_are_not_sent(app: Flask, client: FlaskClient) -> None:
    rc, bill, _, _ = a_vote()
    follows.run(utcnow())
    new_roll_call(rc)
    scanning.scan(utcnow())  # found before the follow below was confirmed
    db.session.commit()
    confirmed(client, what_bill(bill), "late@example.org")
    assert follows.run(utcnow())["immediate"] == 0 and not queued("event")


def test_stop_all_cancels_queued_follow_emails(app: Flask, client: FlaskClient) -> None:
    rc, bill, _, _ = a_vote()
    confirmed(client, what_bill(bill), "quick@example.org")
    follows.run(utcnow())
    new_roll_call(rc)
    follows.run(utcnow())
    [message] = queued("event")
    subscriber = db.session.get(Subscriber, message.subscriber_id)
    follows.stop_all(subscriber)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "failed"


# ---------------------------------------------------------------- feeds


def test_bill_and_legislator_feeds_parse(app: Flask, client: FlaskClient) -> None:
    rc, bill, person, option = a_vote()
    follows.run(utcnow())
    hearing_on(bill, today() + dt.timedelta(days=2))
    new_roll_call(rc)
    follows.run(utcnow())
    atom = client.get(f"/feeds/bills/2025-2026/{bill.key}.atom")
    assert atom.status_code == 200 and atom.content_type.startswith("application/atom+xml")
    root = etree.fromstring(atom.data)
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert any(t.startswith(f"{bill.label}: Senate floor vote") for t in titles), titles
    assert any(t.startswith(f"{bill.label} hearing: House Invented Waterways") for t in titles)
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}content").get("type") == "text"
    calendar = icalendar.Calendar.from_ical(
        client.get(f"/feeds/bills/2025-2026/{bill.key}.ics").data
    )
    events = list(calendar.walk("VEVENT"))
    labels = (bill.label, bill.companion.label if bill.companion else bill.label)
    assert events and all(any(label in str(e["summary"]) for label in labels) for e in events)
    assert f"House Invented Waterways: {bill.label}" in [str(e["summary"]) for e in events]

    legislator = client.get(f"/feeds/legislators/{person.public_id}.atom")
    root = etree.fromstring(legislator.data)
    contents = [e.findtext(f"{ATOM}content") for e in root.iter(f"{ATOM}entry")]
    assert any(
        c.startswith(f"Sen. {person.name} voted {option} on {bill.label}; our position: ")
        for c in contents
    ), contents
    assert any("score on" in c for c in contents)  # the demo's published scorecards
    calendar = icalendar.Calendar.from_ical(
        client.get(f"/feeds/legislators/{person.public_id}.ics").data
    )
    assert calendar["x-wr-calname"].startswith(f"Hearings of {person.name}")
    for path in (
        f"/feeds/bills/2025-2026/{bill.key}.rss",
        "/feeds/bills/2025-2026/HF99999.atom",
        "/feeds/legislators/nobody.atom",
        f"/feeds/legislators/{person.public_id}.rss",
    ):
        assert client.get(path).status_code == 404, path


# ---------------------------------------------------------------- staff, privacy, jobs


def test_counts_and_alert_reach_never_name_an_address(app: Flask, client: FlaskClient) -> None:
    rc, bill, person, _ = a_vote()
    term = seats.seat_of(person.id, "senate", localtime.today())
    assert term is not None
    confirmed(client, what_bill(bill), "one@example.org")
    confirmed(client, what_bill(bill), "two@example.org", "weekly")
    confirmed(client, f"legislator:{person.public_id}", "one@example.org")
    confirmed(client, f"district:{term.district}A", "three@example.org")
    signup(client, what_bill(bill), "pending@example.org")  # never confirmed: not counted
    found = follows.counts(bill_ids=[bill.id], person_ids=[person.id])
    assert found.bills == {bill.id: 2}
    assert found.legislators == {person.id: 1}
    assert found.districts == {person.id: 1}
    alert = alerts.create_alert(bill, alert_input(), actor="test")
    # A floor alert targets every senator: the legislator's and the district's followers.
    assert follows.alert_reach(alert) == 2


def test_export_and_erase(app: Flask, client: FlaskClient, runner: Any) -> None:
    _, bill, _, _ = a_vote()
    confirmed(client, what_bill(bill), "Keep.Me@example.org", "daily")
    result = runner.invoke(args=["subscribers", "export", "KEEP.me@example.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["email"] == "keep.me@example.org"
    assert [f["follows"] for f in data["follows"]] == [f"{bill.label} (2025-2026)"]
    assert data["follows"][0]["frequency"] == "daily" and data["follows"][0]["status"] == "active"
    assert [e["kind"] for e in data["emails"]] == ["confirm"]
    assert "/follow/confirm/" in data["emails"][0]["body"]
    refused = runner.invoke(args=["subscribers", "erase", "keep.me@example.org"], input="n\n")
    assert refused.exit_code == 1 and db.session.query(Subscriber).count() == 1
    result = runner.invoke(args=["subscribers", "erase", "keep.me@example.org", "--yes"])
    assert result.exit_code == 0 and "1 follows, 1 emails" in result.output
    db.session.expire_all()
    assert db.session.query(Subscriber).count() == 0
    assert db.session.query(Follow).count() == 0 and db.session.query(OutboxMessage).count() == 0
    missing = runner.invoke(args=["subscribers", "export", "keep.me@example.org"])
    assert missing.exit_code == 1 and "no subscriber" in missing.output


@pytest.mark.parametrize(
    ("day", "slot", "runs"),
    [
        (dt.date(2026, 3, 3), True, True),  # a Tuesday in session: the frequent slot
        (dt.date(2026, 3, 3), False, False),  # ... and not the daily one
        (dt.date(2026, 3, 7), True, False),  # a Saturday, no hearing, no vote the day before
        (dt.date(2026, 3, 7), False, True),
        (dt.date(2026, 7, 7), True, False),  # a Tuesday between sessions
        (dt.date(2026, 7, 7), False, True),
    ],
)
def test_votes_slots_follow_meeting_days(
    app: Flask, monkeypatch: pytest.MonkeyPatch, day: dt.date, slot: bool, runs: bool
) -> None:
    ran: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        jobs, "execute", lambda job, options=None, **kw: ran.append((job, options or {}))
    )
    monkeypatch.setattr(
        follows.freshness, "refresh_watched", lambda session, **kw: ran.append(("watched", {}))
    )
    demo = db.session.scalars(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    ).one()
    db.session.execute(
        RollCall.__table__.delete().where(RollCall.date.in_([day - dt.timedelta(days=1), day]))
    )  # no roll call the day before
    assert demo.start_date <= dt.date(2026, 3, 3) <= demo.end_date
    jobs.scheduled_votes(in_session_slot=slot, today=day)
    override(app, TRACKER_CRON_VOTES_IN_SESSION="off")  # without the frequent slot ...
    jobs.scheduled_votes(in_session_slot=False, today=day)  # ... the daily one runs always
    assert ran[-1] == ("votes", {})
    ran.pop()
    if not runs:
        assert ran == []
    elif slot:
        assert ran == [
            ("bills", {"session": "2025-2026"}),
            ("watched", {}),
            ("votes", {"session": "2025-2026"}),
        ]
    else:
        assert ran == [("votes", {})]


def test_a_saturday_with_a_hearing_is_a_meeting_day(app: Flask) -> None:
    _, bill, _, _ = a_vote()
    saturday = dt.date(2026, 3, 7)
    session = jobs.current_session(saturday)
    assert session is not None
    db.session.execute(
        RollCall.__table__.delete().where(
            RollCall.date.in_([saturday, saturday - dt.timedelta(days=1)])
        )
    )
    db.session.execute(Hearing.__table__.delete().where(Hearing.date == saturday))
    assert not follows.meeting_day(session, saturday)
    hearing = hearing_on(bill, saturday)
    assert follows.meeting_day(session, saturday)
    hearing.cancelled = True  # a cancelled hearing is no meeting
    assert not follows.meeting_day(session, saturday)
    new_roll_call(db.session.scalars(select(RollCall)).first(), page="9003").date = (
        saturday - dt.timedelta(days=1)
    )  # a Friday floor session runs into the weekend
    db.session.flush()
    assert follows.meeting_day(session, saturday)
    assert not follows.meeting_day(None, dt.date(2026, 3, 3))


def test_watched_bills(app: Flask, client: FlaskClient) -> None:
    _, bill, _, _ = a_vote()
    session_id = bill.session_id
    watched = {b.id for b in follows.watched_bills(session_id)}
    # The demo publishes a position on every bill: all of the session's are watched,
    # except those already signed or vetoed.
    open_bills = set(
        db.session.scalars(
            select(Bill.id).where(
                Bill.session_id == session_id, Bill.status.not_in(("signed", "vetoed"))
            )
        )
    )
    assert watched == open_bills
