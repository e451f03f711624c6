"""Committee roll calls end to end against the invented legislature of
tests/fakesite.py (hand-built pages; every name invented): the hearing schedule,
the committee pages, the minutes linked from a past hearing, stored as a roll call
of kind ``committee`` and verified against the committee's members that day;
recorded and replayed.  Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import truncate_all
from tests.fakesite import HOUSE_COMMITTEE, FakeCommittees, FakeLegislature, FakeSession
from tests.sites import serve
from tracker import committee_votes, committees, hearings, ingest, pipeline, quality
from tracker.extensions import db
from tracker.models import Committee, Hearing, RollCall
from tracker.roster import derive

SESSION = FakeSession("2025-2026", "0942025", "302", dt.date(2025, 1, 14))
BEFORE = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)  # the day before the meeting
AFTER = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)  # every meeting posted is past
MINUTES = f"https://www.house.mn.gov/Committees/minutes/{HOUSE_COMMITTEE[0]}/1001"


@pytest.fixture
def site(app: Flask, httpserver: Any, tmp_path: Path) -> FakeLegislature:
    fake = FakeLegislature([SESSION])
    fake.committees = FakeCommittees(
        fake,
        met_on=dt.date(2026, 3, 3),
        meets_on=dt.date(2026, 3, 10),
        cancelled_on=dt.date(2026, 3, 11),
        cancelled=True,
    )
    base = httpserver.url_for("/").rstrip("/")
    serve(
        app,
        httpserver,
        fake,
        TRACKER_LRL_URL=base,
        TRACKER_OPENSTATES_DIR=str(tmp_path / "no-openstates"),
    )
    return fake


def load_world(site: FakeLegislature) -> None:
    """People (the House members start with the session), then the session's bills."""
    ingest.upsert_people(site.people())
    db.session.flush()
    derive()
    db.session.commit()
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "succeeded", run.error


@pytest.fixture
def world(site: FakeLegislature) -> FakeLegislature:
    load_world(site)
    return site


def schedule_then_pages(site: FakeLegislature, pages_on: dt.datetime = BEFORE) -> None:
    assert hearings.scrape_hearings(now=BEFORE).status == "succeeded"
    run = committees.scrape_committees(session="2025-2026", now=pages_on)
    assert run.status == "succeeded", [e.reason for e in run.errors]
    assert site.committees is not None
    site.committees.minutes_posted = True
    assert hearings.scrape_hearings(now=AFTER).status == "succeeded"


def committee_vote() -> RollCall:
    db.session.expire_all()
    return db.session.scalars(select(RollCall).where(RollCall.kind == "committee")).one()


def votes(rc: RollCall) -> dict[str, str]:
    return {mv.person.name if mv.person else mv.printed_name: mv.option for mv in rc.member_votes}


def test_a_committee_vote_is_stored_linked_and_verified(world: FakeLegislature) -> None:
    schedule_then_pages(world)
    run = committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    assert run.status == "succeeded", [e.reason for e in run.errors]
    assert run.new == 1
    # the Senate's past hearing has no minutes yet (404): noted, not a failure
    assert [e.reason for e in run.errors] == [
        "not posted yet (https://www.senate.mn/schedule/hearing_minutes.html?ls=94&"
        "hearing_id=30001&type=minutes&always_show_minutes=Y)"
    ]

    rc = committee_vote()
    assert rc.verified, rc.verification_note
    assert (rc.kind, rc.chamber, rc.date, rc.bill.key, rc.amendment_id, rc.yeas, rc.nays) == (
        "committee",
        "house",
        dt.date(2026, 3, 3),
        "HF1",
        "H0001A1",
        3,
        1,
    )
    assert rc.motion == "Representative Dunmere moved the H0001A1 amendment"
    assert rc.outcome == "prevailed" and rc.source_url == MINUTES and rc.source_position == 0
    committee = db.session.get(Committee, rc.committee_id)
    hearing = db.session.get(Hearing, rc.hearing_id)
    assert committee.name == "Invented Waterways" and committee.source_id == "94001"
    assert hearing.date == dt.date(2026, 3, 3) and hearing.committee_id == committee.id
    assert hearing.minutes_url == MINUTES and hearing.minutes_hash is not None
    # members only: the three other House members and the senators get no vote at all
    assert votes(rc) == {
        "Alba Amberwick": "yes",
        "Bram Brightwater": "yes",
        "Cleo Coldbrook": "yes",
        "Dorian Dunmere": "no",
        "Esme Elmstrand": "excused",
    }  # the minutes excused her
    assert quality.open_items(["unverified_roll_call", "committee_nonmember"]) == []
    # the staff re-verification path (tracker.votes.staff.reverify for this kind)
    applied = committee_votes.reverify(rc)
    assert not applied.changed_votes and not applied.verified_changed

    # read once: a second run fetches no minutes again
    world.log.clear()
    run = committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    assert run.new == 0 and not any("/Committees/minutes/" in line for line in world.log)
    # --full reads them again and changes nothing
    run = committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER, full=True)
    assert (run.new, run.changed) == (0, 0) and run.unchanged == 1
    assert committee_vote().id == rc.id


def test_the_minutes_attendance_makes_members_of_a_meeting_before_any_list(
    world: FakeLegislature,
) -> None:
    """The committee page is first read after the meeting; the minutes show who sat."""
    schedule_then_pages(world, pages_on=AFTER)
    committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    rc = committee_vote()
    assert rc.verified, rc.verification_note
    committee = db.session.get(Committee, rc.committee_id)
    spans = {m.person.name: (m.member_from, m.member_from_source) for m in committee.memberships}
    assert spans["Alba Amberwick"] == (dt.date(2026, 3, 3), "minutes")
    assert spans["Esme Elmstrand"] == (dt.date(2026, 3, 3), "minutes")  # excused: a member


def test_a_voter_not_on_the_committee_is_kept_and_flagged(world: FakeLegislature) -> None:
    assert world.committees is not None
    world.committees.extra_voter = "Greystell"  # a House member, not on the committee
    schedule_then_pages(world)
    committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    rc = committee_vote()
    assert not rc.verified and (rc.yeas, rc.nays) == (4, 1)
    assert "'GREYSTELL' is not matched" in rc.verification_note
    assert (
        "Greta Greystell (district 4A): not a member of Invented Waterways" in rc.verification_note
    )
    assert votes(rc)["GREYSTELL"] == "yes"  # kept as printed, matched to nobody
    [nonmember] = quality.open_items(["committee_nonmember"])
    assert nonmember.roll_call_id == rc.id and "Greta Greystell" in nonmember.message
    assert quality.open_items(["unverified_roll_call"], roll_call_id=rc.id)
    assert quality.open_items(["unmatched_name"], roll_call_id=rc.id)


def test_minutes_whose_tally_disagrees_with_the_names_are_kept_unverified(
    world: FakeLegislature,
) -> None:
    assert world.committees is not None
    world.committees.stated_yeas = 4  # three names on the yes side
    schedule_then_pages(world)
    committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    rc = committee_vote()
    assert not rc.verified and (rc.yeas, rc.nays) == (4, 1)  # the tally as stated
    assert "lists 3 affirmative names but the tally says 4 yeas" in rc.verification_note
    assert votes(rc)["Alba Amberwick"] == "yes"  # every name still stored


def test_minutes_of_an_unknown_bill_change_nothing(world: FakeLegislature) -> None:
    schedule_then_pages(world)
    db.session.execute(RollCall.__table__.delete())
    from tracker.models import Bill

    bill = db.session.scalars(select(Bill).where(Bill.bill_type == "HF", Bill.number == 1)).one()
    db.session.delete(bill)
    db.session.commit()
    run = committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER)
    assert run.status == "partial"
    assert any("names HF 1, which is not stored" in e.reason for e in run.errors)
    assert db.session.scalars(select(RollCall)).all() == []


@pytest.mark.committed
def test_a_recorded_committee_vote_replays_verified(world: FakeLegislature, tmp_path: Path) -> None:
    schedule_then_pages(world)
    recording = tmp_path / "minutes"
    committee_votes.scrape_committee_votes(session="2025-2026", now=AFTER, record=str(recording))
    rc = committee_vote()
    expected = (rc.verified, rc.yeas, rc.nays, rc.motion, rc.source_url, votes(rc))
    db.session.commit()
    db.session.remove()
    truncate_all()
    assert world.committees is not None
    world.committees.minutes_posted = False
    load_world(world)
    schedule_then_pages(world)  # the schedule links the minutes again
    served = len(world.log)
    run = committee_votes.scrape_committee_votes(
        session="2025-2026", now=AFTER, replay=str(recording)
    )
    assert run.requests == 0 and len(world.log) == served
    rc = committee_vote()
    assert (rc.verified, rc.yeas, rc.nays, rc.motion, rc.source_url, votes(rc)) == expected
    assert expected[0] is True


def test_cli_scrape_committees_and_committee_votes(world: FakeLegislature, runner: Any) -> None:
    assert hearings.scrape_hearings(now=BEFORE).status == "succeeded"
    result = runner.invoke(args=["scrape", "committees", "--session", "2025-2026"])
    assert result.exit_code == 0, result.output
    assert "committees run" in result.output and "fetched 2" in result.output
    result = runner.invoke(args=["scrape", "committee-votes", "--session", "2025-2026"])
    assert result.exit_code == 0, result.output
    assert "committee_votes run" in result.output
    result = runner.invoke(args=["scrape", "committee-votes", "--session", "twenty"])
    assert result.exit_code == 2


def test_the_jobs_are_available(app: Flask) -> None:
    from tracker import jobs

    for job in ("committees", "hearings", "committee_votes"):
        assert jobs.available(job) and jobs.JOB_DESCRIPTIONS[job]
