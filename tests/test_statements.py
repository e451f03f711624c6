"""No public page or API document needs more than 20 SQL statements, whatever its size.

Each URL is requested cold: the page cache is off in tests and the snapshot
cache is emptied first, so the count includes building the scorecard
snapshots.  The demo holds two sessions, three scorecards and 201 invented
legislators; the bill and legislator chosen are the ones with the most roll
calls and scored votes, so a query per row would show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from tracker import snapshots
from tracker.extensions import db
from tracker.models import (
    Alert,
    Bill,
    Committee,
    FrozenMemberVote,
    Hearing,
    LegislativeSession,
    MemberVote,
    Person,
    RollCall,
    Scorecard,
)

LIMIT = 20


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
            statements.append(statement)  # the test's own transaction nesting is not counted

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def busiest_bill() -> tuple[str, str]:
    bill_id = db.session.scalar(
        select(RollCall.bill_id)
        .group_by(RollCall.bill_id)
        .order_by(func.count().desc(), RollCall.bill_id)
        .limit(1)
    )
    bill = db.session.get(Bill, bill_id)
    return bill.session.identifier, bill.key


def busiest_person() -> Person:
    person_id = db.session.scalar(
        select(FrozenMemberVote.person_id)
        .group_by(FrozenMemberVote.person_id)
        .order_by(func.count().desc(), FrozenMemberVote.person_id)
        .limit(1)
    )
    return db.session.get(Person, person_id)


def busiest_roll_call() -> str:
    roll_call_id = db.session.scalar(
        select(MemberVote.roll_call_id)
        .group_by(MemberVote.roll_call_id)
        .order_by(func.count().desc(), MemberVote.roll_call_id)
        .limit(1)
    )
    return db.session.get(RollCall, roll_call_id).public_id


def urls() -> list[str]:
    session, key = busiest_bill()
    roll_call = busiest_roll_call()
    person = busiest_person().public_id
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first().public_id
    alert = db.session.scalars(select(Alert).order_by(Alert.id)).first().public_id
    newest = (
        db.session.scalars(select(LegislativeSession).order_by(LegislativeSession.year.desc()))
        .first()
        .identifier
    )
    # the committee with the most members and hearings (the demo's: tracker.demo_hearings)
    committee = (
        db.session.scalars(
            select(Committee)
            .join(Hearing, Hearing.committee_id == Committee.id)
            .group_by(Committee.id)
            .order_by(func.count().desc(), Committee.id)
        )
        .first()
        .public_id
    )
    committees = [
        "/committees",
        f"/committees?session={newest}&chamber=house",
        f"/committees/{committee}",
        f"/feeds/committees/{committee}.ics",
        "/feeds/hearings.ics",
        f"/feeds/bills/{session}/{key}/hearings.ics",
    ]
    return [
        *committees,
        "/",
        "/legislators",
        "/legislators?chamber=senate",
        f"/legislators/{person}",
        "/scorecards",
        f"/scorecards/{card}",
        f"/scorecards/{card}?sort=score&dir=desc",
        f"/scorecards/{card}/methodology",
        "/bills",
        "/bills?q=child+care",
        f"/bills?session={newest}",
        f"/bills/{session}/{key}",
        f"/roll-calls/{roll_call}",
        "/alerts",
        f"/alerts/{alert}",
        "/find?name=an",
        "/find?district=1A",
        f"/embed/legislators/{person}",
        f"/embed/scorecards/{card}",
        "/embed/find?district=1A",
        f"/embed/legislators/{person}/badge.svg",
        "/embed/embed.css",
        "/theme.css",
        "/feeds/bills.atom",
        "/feeds/bills.rss",
        "/feeds/alerts.atom",
        "/feeds/alerts.ics",
        f"/legislators/{person}/photo",
        f"/legislators/{person}/record.svg",
        f"/legislators/{person}/scorecard.pdf",
        f"/legislators/{person}/share.png",
        f"/scorecards/{card}/charts/house.svg",
        f"/scorecards/{card}/distribution.svg",
        f"/scorecards/{card}/scorecard.csv",
        f"/scorecards/{card}/votes.csv",
        f"/scorecards/{card}/scorecard.xlsx",
        f"/scorecards/{card}/scorecard.pdf",
        f"/scorecards/{card}/share.png",
        f"/scorecards/{card}/map.svg",
        f"/scorecards/{card}/map.png",
        f"/sessions/{newest}/votes.csv",
        f"/alerts/{alert}/report.csv",
        f"/alerts/{alert}/report.svg",
        "/alerts/subscribe",
        "/healthz",
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/bills",
        "/api/v1/bills?q=child&tagged=true",
        f"/api/v1/bills/{session}/{key}",
        f"/api/v1/roll-calls/{roll_call}",
        "/api/v1/legislators",
        "/api/v1/legislators?name=an",
        f"/api/v1/legislators/{person}",
        "/api/v1/scorecards",
        f"/api/v1/scorecards/{card}",
        "/api/v1/alerts",
        f"/api/v1/alerts/{alert}",
        "/follow",
        f"/feeds/bills/{session}/{key}.atom",
        f"/feeds/bills/{session}/{key}.ics",
        f"/feeds/legislators/{person}.atom",
        f"/feeds/legislators/{person}.ics",
    ]


# Public GET routes a member can only reach from an email (signed, single-use tokens).
TOKEN_ROUTES = {
    "public.alert_confirm",
    "public.alert_unsubscribe",
    "public.follow_confirm",
    "public.follow_manage",
    "public.follow_stop",
    "public.follow_stop_all",
}


def test_the_list_covers_every_public_route(app: Any, demo: None) -> None:
    """A new public page or document is counted the day it is added."""
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url.split("?")[0], method="GET")[0] for url in urls()}
    public = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "GET" in (r.methods or set())
        and (r.endpoint.split(".")[0] in ("public", "api") or r.endpoint == "healthz")
    }
    assert public - TOKEN_ROUTES - covered == set()


@pytest.fixture
def demo(app: Any, demo_full: None) -> None:
    """The demo legislature (with its invented district shapes, for the maps)."""


def test_every_public_page_and_document_within_the_limit(client: FlaskClient, demo: None) -> None:
    over = {}
    for url in urls():
        snapshots.clear()
        db.session.expire_all()
        with counting() as statements:
            response = client.get(url)
            response.close()  # a file sent as it is (a photo) is read to the end
        assert response.status_code in (200, 301), (url, response.status_code)
        if len(statements) > LIMIT:
            over[url] = len(statements)
    assert not over, over


def test_the_count_sees_a_query_per_row(client: FlaskClient, demo: None) -> None:
    """The counter itself: a loop of lazy loads is counted one statement each."""
    with counting() as statements:
        people = db.session.scalars(select(Person).limit(5)).all()
        for person in people:
            db.session.expire(person)
            _ = person.name
    assert len(statements) == 6
