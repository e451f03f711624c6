"""What each legislator is asked about a bill (tracker.asks): the file in their
chamber, and no second ask once their chamber has voted.  Invented people."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from tests.factories import add_term, derive, make_bill, make_person, make_roll_call, make_session
from tracker import asks
from tracker.extensions import db
from tracker.models import MemberVote


def companions() -> tuple:
    session = make_session()
    house_file = make_bill(session, "HF", 18, title="Paid leave")
    senate_file = make_bill(session, "SF", 18, title="Paid leave")
    house_file.companion_id, senate_file.companion_id = senate_file.id, house_file.id
    db.session.flush()
    db.session.expire_all()
    rep = make_person("Oskar Ravnsborg", "Ravnsborg")
    add_term(rep, "house", "12A", dt.date(2025, 1, 14))
    senator = make_person("Liv Aamodt", "Aamodt")
    add_term(senator, "senate", "12", dt.date(2025, 1, 14))
    derive()
    return house_file, senate_file, rep, senator


def test_a_senator_is_asked_about_the_senate_file(app: Flask) -> None:
    house_file, senate_file, rep, senator = companions()
    ask = asks.ask_for(house_file, "yes", senator.id, "senate")
    assert (ask.label, ask.voted, ask.text) == ("SF 18", False, "vote YES on SF 18")
    assert asks.ask_for(house_file, "yes", rep.id, "house").label == "HF 18"
    lone = make_bill(house_file.session, "HF", 77)
    assert asks.ask_for(lone, "no", senator.id, "senate").text == "vote NO on HF 77"
    assert asks.ask_for(senate_file, "support", rep.id, "house").text == "support HF 18"


def test_no_second_ask_once_their_chamber_voted(app: Flask) -> None:
    house_file, _, rep, senator = companions()
    vote = make_roll_call(
        house_file,
        chamber="house",
        date=dt.date(2026, 3, 9),
        verified=True,
        kind="passage",
        yeas=70,
        nays=60,
    )
    db.session.add(MemberVote(roll_call=vote, person_id=rep.id, option="yes"))
    db.session.flush()
    thanked = asks.ask_for(house_file, "yes", rep.id, "house")
    assert thanked.voted and thanked.as_asked
    assert thanked.text == "thank them for voting YES on HF 18 on March 9, 2026"
    told = asks.ask_for(house_file, "no", rep.id, "house")
    assert told.as_asked is False
    assert told.text.startswith("tell them you saw their vote on HF 18 on March 9, 2026 (yes)")
    # The Senate has not voted: the senator is still asked.
    assert not asks.ask_for(house_file, "yes", senator.id, "senate").voted
    # An unverified roll call is no vote yet; nor is one after the day asked about.
    vote.verified = False
    assert not asks.ask_for(house_file, "yes", rep.id, "house").voted
    vote.verified = True
    assert not asks.ask_for(house_file, "yes", rep.id, "house", on=dt.date(2026, 3, 1)).voted


def test_the_call_script_after_their_vote_thanks_them_rather_than_asks(app: Flask) -> None:
    """Once the House voted, the representative's page does not script "I'm calling
    to ask Oskar Ravnsborg to thank them for voting YES": it says what to call about."""
    from tracker import scorecards

    house_file, _, rep, senator = companions()
    house_file.status = "passed_house"
    scorecards.set_position(house_file, "support", "", [], expected_version=None, actor="test")
    scorecards.publish_position(house_file, expected_version=None, actor="test")
    vote = make_roll_call(
        house_file,
        chamber="house",
        date=dt.date(2026, 3, 9),
        verified=True,
        kind="passage",
        yeas=70,
        nays=60,
    )
    db.session.add(MemberVote(roll_call=vote, person_id=rep.id, option="yes"))
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/legislators/{rep.public_id}").get_data(as_text=True)
    assert "to ask Oskar Ravnsborg to thank them" not in page
    assert (
        "Call Oskar Ravnsborg's office to thank them for voting YES on HF 18 on "
        "March 9, 2026 (paid leave)."
    ) in page
    # the senator, whose chamber has not voted, still gets the script that asks
    page = client.get(f"/legislators/{senator.public_id}").get_data(as_text=True)
    assert "I'm calling to ask Liv Aamodt to support SF 18, paid leave." in page
