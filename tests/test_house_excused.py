"""Excused House members from the House Journal roll of each vote day, end to end
against a local server (Votes/Details, Votes/GetPage redirecting to hand-built journal
pages).  Every legislator is invented."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from tests.test_votes_pipeline import HOUSE_JOURNAL_PATH, VoteSite
from tests.test_votes_pipeline import site as site  # noqa: F401  (fixture)
from tests.test_votes_pipeline import world as world  # noqa: F401  (fixture)
from tracker import pipeline, scorecards
from tracker.extensions import db
from tracker.models import ChamberSessionData, DataQualityItem, JournalRoll, RollCall


def repassage() -> RollCall:
    db.session.expire_all()
    return db.session.scalar(
        select(RollCall).where(RollCall.chamber == "house", RollCall.journal_page == "3477a")
    )


def options(rc: RollCall) -> dict[str, str]:
    return {mv.person.name: mv.option for mv in rc.member_votes if mv.person}


def chamber_data() -> dict[str, ChamberSessionData]:
    return {d.chamber: d for d in db.session.scalars(select(ChamberSessionData))}


def test_excused_members_stored_from_the_journal(site: VoteSite, world: dict[str, Any]) -> None:
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.failed == 0, [(e.item, e.reason) for e in run.errors]
    # one journal per vote day, read once: 2025-03-13 (page 746) and 2025-05-09 (3477a)
    assert site.get_page_bodies == [
        {"PageNumber": "746", "SessionKey": 302},
        {"PageNumber": "3477a", "SessionKey": 302},
    ]
    assert site.count(HOUSE_JOURNAL_PATH) == 1
    rc = repassage()
    votes = options(rc)
    assert votes["Paula Johanssen"] == "excused"  # "Johanssen, P., was excused."
    assert votes["Rolf Johanssen"] == "not_voting"  # present, in neither list
    assert votes["Chidi Okonkwo"] == "yes"  # excused until 11:40 a.m., voted
    assert rc.verified  # verification concerns the yes/no lists only
    rolls = {r.day.isoformat(): r for r in db.session.scalars(select(JournalRoll))}
    assert set(rolls) == {"2025-03-13", "2025-05-09"}
    statuses = {e.printed_name: e.status for e in rolls["2025-05-09"].entries}
    assert statuses["Johanssen, P."] == "excused" and statuses["Castellanos"] == "present"

    data = chamber_data()
    assert data["house"].excused_recorded
    assert "House Journal roll" in data["house"].note
    assert not data["senate"].excused_recorded and "never as excused" in data["senate"].note
    session = world["session"]
    assert scorecards.excused_supported("house", [session])
    assert not scorecards.excused_supported("senate", [session])

    # a second run changes nothing and reads no journal again
    site.get_page_bodies.clear()
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.new == 0 and run.changed == 0 and run.failed == 0
    assert site.get_page_bodies == []
    assert options(repassage()) == votes
    assert chamber_data()["house"].excused_recorded


def test_journal_failure_leaves_not_voting_and_is_recorded(
    site: VoteSite, world: dict[str, Any]
) -> None:
    site.journals.clear()  # GetPage redirects to a journal that is not there
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.status == "partial" and run.new == 5
    errors = {e.item: e for e in run.errors}
    assert set(errors) == {
        "House Journal of 2025-03-13 (p. 746)",
        "House Journal of 2025-05-09 (p. 3477a)",
    }
    error = errors["House Journal of 2025-05-09 (p. 3477a)"]
    assert error.url == "https://www.house.mn.gov/Votes/GetPage"
    assert "404" in error.reason and "not voting" in error.reason
    rc = repassage()
    assert rc.verified
    votes = options(rc)
    assert votes["Paula Johanssen"] == votes["Rolf Johanssen"] == "not_voting"
    assert not chamber_data()["house"].excused_recorded
    assert not scorecards.excused_supported("house", [world["session"]])


def test_journal_without_attendance_or_for_another_day(
    site: VoteSite, world: dict[str, Any]
) -> None:
    body = site.journals[HOUSE_JOURNAL_PATH]
    site.journals[HOUSE_JOURNAL_PATH] = body.replace(b"The roll was called and", b"Then")
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    [error] = run.errors
    assert error.url == "https://www.house.mn.gov" + HOUSE_JOURNAL_PATH
    assert "no attendance roll" in error.reason
    assert options(repassage())["Paula Johanssen"] == "not_voting"

    site.journals[HOUSE_JOURNAL_PATH] = body.replace(b"May 9, 2025", b"May 8, 2025")
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    [error] = run.errors
    assert "on 2025-05-08, not on 2025-05-09" in error.reason
    assert options(repassage())["Paula Johanssen"] == "not_voting"
    assert (
        db.session.scalar(select(JournalRoll).where(JournalRoll.day == dt.date(2025, 5, 8))) is None
    )


def test_stored_roll_is_not_fetched_again(site: VoteSite, world: dict[str, Any]) -> None:
    pipeline.scrape_votes(session="2025-2026", bill="HF25")
    site.journals.clear()
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25", full=True)
    assert run.failed == 0 and run.changed == 0
    assert options(repassage())["Paula Johanssen"] == "excused"


def test_unmatched_excused_name_is_flagged(site: VoteSite, world: dict[str, Any]) -> None:
    body = site.journals[HOUSE_JOURNAL_PATH]
    site.journals[HOUSE_JOURNAL_PATH] = body.replace(
        b"Johanssen, P., was excused.", b"Johanssen, P., and Quillfeather were excused."
    )
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.failed == 0
    assert options(repassage())["Paula Johanssen"] == "excused"  # the rest is still used
    items = {
        i.details["date"]: i
        for i in db.session.scalars(
            select(DataQualityItem).where(DataQualityItem.kind == "unmatched_name")
        )
    }
    item = items["2025-05-09"]
    assert item.status == "open"  # not settled by the run's name-item cleanup
    assert item.details["printed_name"] == "Quillfeather"
    assert item.details["source"] == "journal_roll"
    assert "House Journal roll of 2025-05-09 prints 'Quillfeather'" in item.message
    assert item.source_url == "https://www.house.mn.gov" + HOUSE_JOURNAL_PATH
    [entry] = [
        e
        for e in db.session.scalar(
            select(JournalRoll).where(JournalRoll.day == dt.date(2025, 5, 9))
        ).entries
        if e.printed_name == "Quillfeather"
    ]
    assert entry.person_id is None and "no member in the House" in entry.reason
