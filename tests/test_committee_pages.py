"""Public committee pages and the hearing calendars, on the invented demo
legislature with a committee and its hearings added below (hand-built; every name
invented).  The calendars are checked by parsing them back with icalendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from scrapers.hearings import CHICAGO, HearingRecord
from tests.test_statements import LIMIT, counting
from tracker import committees, hearings, localtime, snapshots
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    BillPosition,
    Committee,
    CommitteeMembership,
    HearingBill,
    LegislativeSession,
    Term,
)
from tracker.seats import seats_on

TODAY = localtime.today()
DEMO_HEARINGS = 7  # tracker.demo_hearings: two past, five upcoming (one moved, one cancelled)


def record(
    key: str,
    day: dt.date,
    clock: tuple[int, int] | None,
    bill: Bill,
    *,
    room: str = "Capitol 120",
    cancelled: bool = False,
) -> HearingRecord:
    start = dt.datetime(day.year, day.month, day.day, *clock, tzinfo=CHICAGO) if clock else None
    return HearingRecord(
        chamber="house",
        committee="Invented Waterways",
        committee_id="94001",
        date=day,
        start=start,
        time_text=f"{clock[0]}:{clock[1]:02d}" if clock else "",
        room=room,
        agenda=f"{bill.label} Invented agenda line.",
        bills=((bill.bill_type, bill.number),),
        documents=(),
        cancelled=cancelled,
        status_notes=(),
        source_key=key,
        source_url="https://www.house.mn.gov/Schedules/All",
    )


@pytest.fixture
def world(app: Any, demo_full: None) -> dict[str, Any]:
    """A House committee of the demo's newest session: five members seated today, a
    chair and a vice chair, a bill it was referred, and three hearings of that bill."""
    session = db.session.scalars(
        select(LegislativeSession).order_by(LegislativeSession.year.desc())
    ).first()
    bill = db.session.scalars(
        select(Bill)
        .join(BillPosition, BillPosition.bill_id == Bill.id)
        .where(
            Bill.session_id == session.id,
            Bill.bill_type == "HF",
            BillPosition.published_position.in_(("support", "oppose")),
            Bill.id.not_in(
                select(HearingBill.bill_id).where(  # none of the demo's
                    HearingBill.bill_id.is_not(None)
                )
            ),
        )
        .order_by(Bill.number)
    ).first()
    committee = Committee(
        session=session,
        chamber="house",
        name="Invented Waterways",
        source_id="94001",
        source_ids=["94001"],
        other_names=[],
        sources=["house_page"],
        source_url="https://www.house.mn.gov/Committees/members/94001",
    )
    day = committees.as_of(committee, TODAY)
    members = seats_on("house", day)[:5]
    for i, term in enumerate(members):
        committee.memberships.append(
            CommitteeMembership(
                person_id=term.person_id,
                member_key=f"person:{term.person_id}",
                printed_name=term.person.name,
                role=["chair", "vice_chair"][i] if i < 2 else "member",
                role_source="house_page",
                member_from=session.start_date,
                member_from_source="house_page",
                sources=["house_page"],
            )
        )
    db.session.add(committee)
    number = max(a.number for a in bill.actions) + 1 if bill.actions else 1
    db.session.add(
        BillAction(
            bill=bill,
            chamber="house",
            number=number,
            date=session.start_date,
            text="Referred to Invented Waterways",
            committee="Invented Waterways",
        )
    )
    db.session.flush()
    soon, later, past = (
        TODAY + dt.timedelta(days=3),
        TODAY + dt.timedelta(days=5),
        TODAY - dt.timedelta(days=4),
    )
    hearings.ingest_schedule(
        "house",
        [
            record("house:00000000000000a1", soon, (8, 15), bill),
            record("house:00000000000000a2", later, None, bill),
            record("house:00000000000000a3", past, (10, 0), bill, cancelled=True),
        ],
    )
    db.session.commit()
    snapshots.clear()
    return {
        "session": session,
        "committee": committee,
        "bill": bill,
        "members": members,
        "soon": soon,
        "later": later,
    }


def test_committees_index_by_chamber_and_session(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    page = client.get("/committees").get_data(as_text=True)
    assert "House committees" in page and "Senate committees" in page
    assert "Invented Waterways" in page
    chair = world["members"][0].person.name
    assert chair in page
    assert f"/committees/{world['committee'].public_id}" in page
    house_only = client.get("/committees?chamber=house").get_data(as_text=True)
    assert "Senate committees" not in house_only
    assert client.get("/committees?session=1999-2000").status_code == 404


def test_committee_page(client: FlaskClient, world: dict[str, Any]) -> None:
    committee = world["committee"]
    response = client.get(f"/committees/{committee.public_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    members = world["members"]
    for term in members:
        assert term.person.name in page
    assert "Vice chair" in page
    # members' headline scores: the element carries data-score
    assert len(re.findall(r'data-score="\d*"', page)) == len(members)
    # the upcoming hearing in Minnesota time; the one without a time says so
    soon = world["soon"]
    assert f"{soon:%B} {soon.day}, {soon.year}, 8:15 a.m." in page
    assert "no time posted" in page
    assert "cancelled" in page  # the past, cancelled hearing stays listed
    assert world["bill"].label in page and "Referred to Invented Waterways" in page
    assert f"/feeds/committees/{committee.public_id}.ics" in page
    assert client.get("/committees/no-such-committee").status_code == 404


def test_committee_pages_need_few_statements(client: FlaskClient, world: dict[str, Any]) -> None:
    for url in (
        "/committees",
        f"/committees/{world['committee'].public_id}",
        f"/feeds/committees/{world['committee'].public_id}.ics",
        "/feeds/hearings.ics",
    ):
        snapshots.clear()
        db.session.expire_all()
        with counting() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= LIMIT, (url, len(statements))


def events(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_committee_calendar_parses_back(client: FlaskClient, world: dict[str, Any]) -> None:
    committee = world["committee"]
    response = client.get(f"/feeds/committees/{committee.public_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    found = events(response.data)
    assert len(found) == 3
    by_status = {str(e["status"]): e for e in found.values()}
    timed = by_status["CONFIRMED"]
    soon = world["soon"]
    assert timed.decoded("dtstart") == dt.datetime(
        soon.year, soon.month, soon.day, 8, 15, tzinfo=CHICAGO
    )
    assert str(timed["location"]) == "Capitol 120"
    assert world["bill"].label in str(timed["summary"])
    assert int(timed["sequence"]) == 0
    untimed = by_status["TENTATIVE"]  # no time posted: an all-day event on its date
    assert untimed.decoded("dtstart") == world["later"]
    assert untimed.decoded("dtend") == world["later"] + dt.timedelta(days=1)
    assert "No time posted" in str(untimed["description"])
    assert "(cancelled)" in str(by_status["CANCELLED"]["summary"])


def test_a_moved_hearing_keeps_its_calendar_event(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    committee, bill, soon = world["committee"], world["bill"], world["soon"]
    before = events(client.get(f"/feeds/committees/{committee.public_id}.ics").data)
    hearings.ingest_schedule(
        "house",
        [
            record("house:00000000000000a1", soon, (10, 30), bill, room="Capitol G3"),
            record("house:00000000000000a2", world["later"], None, bill),
        ],
        now=dt.datetime.now(dt.UTC),
    )
    db.session.commit()
    after = events(client.get(f"/feeds/committees/{committee.public_id}.ics").data)
    assert set(after) == set(before)  # same UIDs: calendars update the event
    moved = next(e for e in after.values() if str(e["status"]) == "CONFIRMED")
    assert moved.decoded("dtstart").astimezone(CHICAGO).hour == 10
    assert str(moved["location"]) == "Capitol G3"
    assert int(moved["sequence"]) == 2  # moved, and another room
    page = client.get(f"/committees/{committee.public_id}").get_data(as_text=True)
    assert ">moved<" in page


def test_the_hearing_calendars_of_our_bills(client: FlaskClient, world: dict[str, Any]) -> None:
    bill, session = world["bill"], world["session"]
    found = events(client.get("/feeds/hearings.ics").data)
    # these three, and the demo's own hearings (every demo bill has a position)
    assert len(found) == 3 + DEMO_HEARINGS
    upcoming, past = hearings.for_bill(bill.id)
    assert {f"hearing-{h.public_id}" for h in upcoming + past} <= {
        uid.split("@")[0] for uid in found
    }
    one = client.get(f"/feeds/bills/{session.identifier}/{bill.key}/hearings.ics")
    assert one.status_code == 200 and len(events(one.data)) == 3
    other = Bill(session=session, bill_type="HF", number=9999, title="Invented, no position")
    db.session.add(other)
    db.session.commit()
    assert (
        client.get(f"/feeds/bills/{session.identifier}/{other.key}/hearings.ics").status_code == 404
    )
    assert client.get(f"/feeds/bills/{session.identifier}/XY1/hearings.ics").status_code == 404


def test_hearings_of_a_bill_for_the_bill_page(world: dict[str, Any]) -> None:
    upcoming, past = hearings.for_bill(world["bill"].id)
    assert [h.date for h in upcoming] == [world["soon"], world["later"]]
    assert len(past) == 1 and past[0].cancelled


def test_the_hearings_include_renders(app: Any, world: dict[str, Any]) -> None:
    from flask import render_template_string

    upcoming, past = hearings.for_bill(world["bill"].id)
    with app.test_request_context("/"):
        html = render_template_string(
            "{% include 'public/_hearings.html' %}",
            upcoming_hearings=upcoming,
            past_hearings=past,
            hearings_feed="/feeds/x.ics",
        )
    assert "Invented Waterways" in html and "Add these hearings to your calendar" in html
    assert html.count('class="card hearing"') == 3
    assert "Term" not in html and isinstance(world["members"][0], Term)
