"""Excused House members from the House Journal attendance lists, end to end against a
local server (Votes/Details, Votes/GetPage redirecting to a hand-built journal page).
Every legislator is invented."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.test_votes_pipeline import HOUSE_JOURNAL_PATH, VoteSite
from tests.test_votes_pipeline import site as site  # noqa: F401  (fixture)
from tests.test_votes_pipeline import world as world  # noqa: F401  (fixture)
from tracker import pipeline, scorecards
from tracker.extensions import db
from tracker.models import ChamberSessionData, DataQualityItem, RollCall


def repassage() -> RollCall:
    db.session.expire_all()
    return db.session.scalar(select(RollCall).where(
        RollCall.chamber == "house", RollCall.journal_page == "3477a"))


def options(rc: RollCall) -> dict[str, str]:
    return {mv.person.name: mv.option for mv in rc.member_votes if mv.person}


def chamber_data() -> dict[str, ChamberSessionData]:
    return {d.chamber: d for d in db.session.scalars(select(ChamberSessionData))}


def test_excused_members_stored_from_the_journal(site: VoteSite, world: dict[str, Any]) -> None:
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.failed == 0, [(e.item, e.reason) for e in run.errors]
    assert site.get_page_bodies == [{"PageNumber": "3477a", "SessionKey": 302}]
    assert site.count(HOUSE_JOURNAL_PATH) == 1
    rc = repassage()
    votes = options(rc)
    assert votes["Paula Johanssen"] == "excused"  # "Johanssen, P., was excused."
    assert votes["Rolf Johanssen"] == "not_voting"  # present, in neither list
    assert votes["Chidi Okonkwo"] == "yes"  # excused until 11:40 a.m., voted
    assert rc.verified  # verification concerns the yes/no lists only
    # roll calls where everyone seated voted need no journal
    assert site.count("/Votes/GetPage") == 1

    data = chamber_data()
    assert data["house"].excused_recorded
    assert "House Journal attendance" in data["house"].note
    assert not data["senate"].excused_recorded and "never as excused" in data["senate"].note
    session = world["session"]
    assert scorecards.excused_supported("house", [session])
    assert not scorecards.excused_supported("senate", [session])

    # a second full run changes nothing; the House stays recorded as supporting excused
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.new == 0 and run.changed == 0 and run.failed == 0
    assert options(repassage()) == votes
    assert chamber_data()["house"].excused_recorded


def test_journal_failure_leaves_not_voting_and_is_recorded(
    site: VoteSite, world: dict[str, Any]
) -> None:
    site.journals.clear()  # GetPage redirects to a journal that is not there
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.status == "partial" and run.new == 5
    [error] = run.errors
    assert error.item == "HF25 House journal p. 3477a (2025-05-09)"
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
    assert "2025-05-08, not on the roll call's date 2025-05-09" in error.reason
    assert options(repassage())["Paula Johanssen"] == "not_voting"


def test_failed_reread_keeps_stored_excused(site: VoteSite, world: dict[str, Any]) -> None:
    pipeline.scrape_votes(session="2025-2026", bill="HF25")
    site.journals.clear()
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.failed == 1 and run.changed == 0
    assert options(repassage())["Paula Johanssen"] == "excused"


def test_unmatched_excused_name_is_flagged(site: VoteSite, world: dict[str, Any]) -> None:
    body = site.journals[HOUSE_JOURNAL_PATH]
    site.journals[HOUSE_JOURNAL_PATH] = body.replace(
        b"Johanssen, P., was excused.", b"Johanssen, P., and Quillfeather were excused.")
    run = pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert run.failed == 0
    assert options(repassage())["Paula Johanssen"] == "excused"  # the rest is still used
    [item] = db.session.scalars(select(DataQualityItem).where(
        DataQualityItem.kind == "unmatched_name")).all()
    assert item.status == "open"  # not settled by the run's name-item cleanup
    assert item.details["printed_name"] == "Quillfeather"
    assert item.details["source"] == "house_journal"
    assert "House Journal lists 'Quillfeather' as excused" in item.message
    assert item.roll_call_id == repassage().id
    # the same journal again: one item, still open
    pipeline.scrape_votes(session="2025-2026", bill="HF25")
    assert db.session.scalars(select(DataQualityItem).where(
        DataQualityItem.kind == "unmatched_name")).all() == [item]
    assert item.status == "open"
