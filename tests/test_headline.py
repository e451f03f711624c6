"""The headline score: admins feature a scorecard; publishing another never
changes anyone's headline (tracker.headline).  The demo's legislators are
invented."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import AuthActions, csrf_token
from tracker import headline, scorecards, snapshots
from tracker.extensions import db
from tracker.models import AuditEvent, Person, RollCall, Scorecard


@pytest.fixture
def demo(app: Any, demo_full: None) -> None:
    """The demo legislature; it features its current session's scorecard."""


def senator_and_their_vote() -> tuple[Person, RollCall]:
    """A current senator and a verified Senate roll call they voted on."""
    snap = snapshots.latest()[0]
    row = next(
        r
        for r in snap.rows
        if r.chamber == "senate"
        and r.score is not None
        and any(o in ("yes", "no") for o in r.votes.values())
    )
    person = db.session.get(Person, row.person.id)
    roll_call_id = next(rc for rc, o in row.votes.items() if o in ("yes", "no"))
    return person, db.session.get(RollCall, roll_call_id)


def publish_test_scorecard(roll_call: RollCall, aligned: str) -> Scorecard:
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Two-vote test card",
            description="",
            session_ids=[roll_call.bill.session_id],
            chambers=["senate"],
            absence_policy="exclude",
            min_participation_pct=0,
            grade_bands=[],
            show_sponsorship=False,
        ),
        actor="test",
    )
    scorecards.score_roll_call(
        card, roll_call, aligned=aligned, weight=1, description="A test vote.", actor="test"
    )
    scorecards.publish(card, expected_version=None, note="Test.", actor="test")
    db.session.commit()
    return card


def headline_of(client: FlaskClient, person: Person) -> str:
    page = client.get(f"/legislators/{person.public_id}").get_data(as_text=True)
    return re.search(r'<meta property="og:title" content="([^"]*)"', page).group(1)


def test_publishing_a_new_scorecard_never_changes_the_headline(
    client: FlaskClient, demo: None
) -> None:
    person, roll_call = senator_and_their_vote()
    before = headline_of(client, person)
    featured = headline.headlines([person.id])[person.id][0].version.title
    assert featured in before
    option = next(m.option for m in roll_call.member_votes if m.person_id == person.id)
    publish_test_scorecard(roll_call, aligned=option)  # a perfect 100 on the test card
    assert headline_of(client, person) == before
    assert "Two-vote test card" not in before
    district = next(t.district for t in person.terms if t.chamber == "senate")
    find = client.get(f"/find?district={district}").get_data(as_text=True)
    assert featured in find and "Two-vote test card" not in find
    # the other scorecard is still on the page, after the headline
    page = client.get(f"/legislators/{person.public_id}").get_data(as_text=True)
    assert page.index(featured) < page.index("Two-vote test card")


def test_without_a_choice_the_oldest_scorecard_is_the_headline(
    client: FlaskClient, demo: None
) -> None:
    person, roll_call = senator_and_their_vote()
    headline.feature("all", None, expected_version=None, actor="test")
    db.session.commit()
    oldest = min(
        snapshots.for_person(person.id), key=lambda pair: pair[0].card.versions[0].published_at
    )[0].version.title
    assert oldest in headline_of(client, person)
    option = next(m.option for m in roll_call.member_votes if m.person_id == person.id)
    publish_test_scorecard(roll_call, aligned=option)
    assert oldest in headline_of(client, person)


def test_admins_feature_a_scorecard_per_chamber(
    client: FlaskClient, auth: AuthActions, admin_user: Any, demo: None
) -> None:
    person, roll_call = senator_and_their_vote()
    card = publish_test_scorecard(roll_call, aligned="yes")
    auth.login("admin@example.org")
    page = client.get("/admin/featured").get_data(as_text=True)
    assert "Two-vote test card" in page and "the oldest published scorecard" in page
    token = csrf_token(client, "/admin/featured")
    response = client.post(
        "/admin/featured/senate",
        follow_redirects=True,
        data={"csrf_token": token, "scorecard": card.public_id, "version": "0"},
    )
    assert "Senators: the headline score now comes from Two-vote test card" in response.get_data(
        as_text=True
    )
    assert "Two-vote test card" in headline_of(client, person)
    house = db.session.get(
        Person,
        next(r.person.id for snap in snapshots.latest() for r in snap.rows if r.chamber == "house"),
    )
    assert "Two-vote test card" not in headline_of(client, house)  # not on it: the default
    stale = client.post(
        "/admin/featured/senate",
        follow_redirects=True,
        data={"csrf_token": token, "scorecard": "", "version": "0"},
    )
    assert "someone changed the featured scorecard" in stale.get_data(as_text=True)
    back = client.post(
        "/admin/featured/senate",
        follow_redirects=True,
        data={"csrf_token": token, "scorecard": "", "version": "1"},
    )
    assert "the default rule" in back.get_data(as_text=True)
    assert "Two-vote test card" not in headline_of(client, person)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "scorecard.feature")
    ).all()
    assert len(actions) >= 2


def test_staff_cannot_feature(
    client: FlaskClient, auth: AuthActions, staff_user: Any, demo: None
) -> None:
    auth.login()
    assert client.get("/admin/featured").status_code == 403
    card = db.session.scalars(select(Scorecard)).first()
    with pytest.raises(headline.FeatureError, match="only admins"):
        headline.feature("all", card, expected_version=None, actor=staff_user)
    with pytest.raises(headline.FeatureError, match="all, house or senate"):
        headline.feature("assembly", card, expected_version=None, actor="test")


def test_the_headline_is_shown_vote_by_vote_and_the_others_a_link_away(
    client: FlaskClient, demo: None
) -> None:
    """A legislator's page lists the headline scorecard's votes; every other
    scorecard shows its score and links to the same page with its votes listed
    (at ten sessions of history the page would otherwise list 450 votes)."""
    person, roll_call = senator_and_their_vote()
    option = next(m.option for m in roll_call.member_votes if m.person_id == person.id)
    other = publish_test_scorecard(roll_call, aligned=option)
    featured = headline.headlines([person.id])[person.id][0]

    def sections(url: str) -> list[tuple[str, str]]:
        page = client.get(url).get_data(as_text=True)
        return re.findall(r'<section aria-labelledby="(card-\d+)">(.*?)</section>', page, re.S)

    found = sections(f"/legislators/{person.public_id}")
    assert len(found) >= 2
    listed = [anchor for anchor, body in found if "<caption>Scored votes</caption>" in body]
    assert listed == [found[0][0]] and featured.version.title in found[0][1]
    anchor, body = next((a, b) for a, b in found if "Two-vote test card" in b)
    link = f"/legislators/{person.public_id}?scorecard={other.public_id}#{anchor}"
    assert f'href="{link}"' in body and "<caption>" not in body

    chosen = sections(link.split("#")[0])
    listed = [(a, b) for a, b in chosen if "<caption>Scored votes</caption>" in b]
    assert [a for a, _ in listed] == [anchor]
    assert f"/bills/{roll_call.bill.session.identifier}/{roll_call.bill.key}" in listed[0][1]
    assert "A test vote." in listed[0][1]

    unknown = client.get(f"/legislators/{person.public_id}?scorecard=no-such-card")
    assert unknown.status_code == 404
    assert "No published scorecard of this legislator has that id." in unknown.get_data(
        as_text=True
    )
