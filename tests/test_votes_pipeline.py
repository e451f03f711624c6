"""``scrape_votes`` end to end against a local server: House vote summary and Details
pages, House Journal pages (through ``Votes/GetPage``), Senate journal API and generated
journal PDFs.  Every legislator is invented."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug import Request, Response

from tests.conftest import truncate_all
from tests.factories import derive
from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows, odd_head
from tests.sites import serve
from tests.test_votes import VOTES, make_world
from tracker import dataversion, jobs, pipeline
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    ChamberSessionData,
    JournalRoll,
    LegislativeSession,
    Person,
    RollCall,
    Term,
)

SENATORS = ["Amberwick", "Brightwater", "Coldbrook", "Dunmere", "Elmstrand", "Fallowby"]
# Senators whose Open States role has no start date, and one who left after the vote:
# only the day's journal roll shows them seated on 2025-04-29.
NO_START = ("Amberwick", "Brightwater", "Coldbrook")
LEFT = {"Dunmere": dt.date(2025, 6, 30)}
YES = ["Amberwick", "Brightwater", "Coldbrook", "Eklund", "Okonkwo"]
NO = ["Dunmere", "Elmstrand"]
PRESENT = sorted([*SENATORS, "Eklund", "Okonkwo"])  # Fallowby present, but not voting
PDF_PATH = "/journals/2025-2026/20250429041.pdf"
BROKEN_PDF_PATH = "/journals/2025-2026/20250505045.pdf"
HOUSE_JOURNAL_PATH = "/cco/journals/2025-26/J0509068.htm"
MARCH_JOURNAL_PATH = "/cco/journals/2025-26/J0313041.htm"


def senate_journal(*, with_roll: bool = True) -> bytes:
    """A day's journal PDF (hand-built): the day's roll opens page 1, then SF 1832."""
    rows = name_rows(YES, columns=2)  # 3 rows: the list runs onto the next page
    opening = (
        [
            "FORTY-FIRST DAY",
            "St. Paul, Minnesota, Tuesday, April 29, 2025",
            "The Senate met at 11:00 a.m. and was called to order by the President.",
            "The roll was called, and the following Senators answered to their names:",
            *name_rows(PRESENT, columns=5),
            "The President declared a quorum present.",
        ]
        if with_roll
        else []
    )
    page1 = [
        even_head(4172, 41),
        *opening,
        "S.F. No. 1832 was read the third time, as amended, and placed on its final",
        "passage.",
        "The question was taken on the passage of the bill, as amended.",
        "The roll was called, and there were yeas 5 and nays 2, as follows:",
        "Those who voted in the affirmative were:",
        *rows[:2],
    ]
    page2 = [
        odd_head(4173, 41, "TUESDAY, APRIL 29, 2025"),
        *rows[2:],
        "Pursuant to Rule 40, Senator Okonkwo cast the affirmative vote on behalf of the",
        "following Senators: Coldbrook.",
        "Those who voted in the negative were:",
        *name_rows(NO, columns=2),
        "So the bill, as amended, passed and its title was agreed to.",
    ]
    return journal_pdf([page1, page2])


class VoteSite:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.summary = [
            {"Number": "HF0025", "Date": "/Date(-62135575200000)/", "ShortDescription": "x"},
            {"Number": "SF1832", "Date": "/Date(-62135575200000)/", "ShortDescription": "y"},
            {"Number": "HF0099", "Date": "/Date(-62135575200000)/", "ShortDescription": "z"},
        ]
        self.details = {
            "HF0025": (VOTES / "house_details_hf25_amendments.html").read_bytes(),
            "SF1832": (VOTES / "house_details_no_votes.html").read_bytes(),
        }
        self.pages = {
            "4172": {"filename": "20250429041", "fileBiennium": "2025-2026", "internal_page": 1},
            "4173": {"filename": "20250429041", "fileBiennium": "2025-2026", "internal_page": 2},
            "4180": {"filename": "20250505045", "fileBiennium": "2025-2026", "internal_page": 1},
        }
        self.pdfs = {PDF_PATH: senate_journal(), BROKEN_PDF_PATH: senate_journal()[:-300]}
        # House journal page -> the day's journal file it redirects to
        self.journal_pages = {
            "746": MARCH_JOURNAL_PATH,
            "750": MARCH_JOURNAL_PATH,
            "3477a": HOUSE_JOURNAL_PATH,
        }
        self.journals = {
            HOUSE_JOURNAL_PATH: (VOTES / "house_journal_j0509068.html").read_bytes(),
            MARCH_JOURNAL_PATH: (VOTES / "house_journal_j0313041.html").read_bytes(),
        }
        self.get_page_bodies: list[Any] = []

    def handle(self, request: Request) -> Response:
        self.log.append(f"{request.method} {request.full_path}")
        if request.path == "/Votes/GetVoteSummary" and request.method == "POST":
            assert request.form["SessionKey"] == "302"
            return Response(json.dumps(self.summary), content_type="application/json")
        if request.path == "/Votes/Details":
            body = self.details.get(request.args["BillNumber"])
            if body is not None:
                return Response(body, content_type="text/html")
        if request.path == "/Votes/GetPage" and request.method == "POST":
            body = json.loads(request.get_data())
            self.get_page_bodies.append(body)
            assert body["SessionKey"] == 302
            target = self.journal_pages.get(body["PageNumber"])
            if target is not None:
                return Response("", status=302, headers={"Location": target})
        if request.path in self.journals and request.method == "GET":
            return Response(self.journals[request.path], content_type="text/html")
        if request.path == "/api/journal/gotopage":
            assert request.args["ls"] == "94"
            page = self.pages.get(request.args["page"])
            if page is not None:
                return Response(json.dumps(page), content_type="application/json")
        if request.path in self.pdfs:
            return Response(self.pdfs[request.path], content_type="application/pdf")
        return Response("not found", status=404)

    def count(self, fragment: str) -> int:
        return sum(1 for line in self.log if fragment in line)


def add_senate(world: dict[str, Any]) -> None:
    for i, family in enumerate(SENATORS):
        person = Person(name=f"Alba {family}", given_name="Alba", family_name=family)
        start = None if family in NO_START else dt.date(2025, 1, 6)
        person.terms.append(
            Term(
                chamber="senate", district=str(20 + i), start_date=start, end_date=LEFT.get(family)
            )
        )
        db.session.add(person)
    sf1832 = Bill(session=world["session"], bill_type="SF", number=1832, title="Invented jobs bill")
    day = dt.date(2025, 4, 29)
    sf1832.actions = [
        BillAction(
            chamber="senate",
            number=1,
            date=day,
            journal_page="4172",
            text="Third reading Passed as amended",
            roll_call_text="5-2",
            yeas=5,
            nays=2,
        ),
        BillAction(
            chamber="senate",
            number=2,
            date=day,
            journal_page="4173",
            text="Motion to reconsider",
            roll_call_text="3-3",
            yeas=3,
            nays=3,
        ),
        BillAction(
            chamber="senate",
            number=3,
            date=dt.date(2025, 5, 5),
            journal_page="4180",
            text="Repassed",
            roll_call_text="6-1",
            yeas=6,
            nays=1,
        ),
    ]
    db.session.add(sf1832)
    derive()
    db.session.commit()


@pytest.fixture
def site(app: Any, httpserver: Any) -> VoteSite:
    fake = VoteSite()
    serve(app, httpserver, fake, TRACKER_HTTP_READ_TIMEOUT=5.0)
    return fake


@pytest.fixture
def world(app: Any) -> dict[str, Any]:
    data = make_world()
    add_senate(data)
    return data


def snapshot() -> list[tuple[Any, ...]]:
    db.session.expire_all()
    out = []
    for rc in db.session.scalars(
        select(RollCall).order_by(
            RollCall.chamber, RollCall.date, RollCall.amendment_id, RollCall.sequence
        )
    ):
        out.append(
            (
                rc.bill.key,
                rc.chamber,
                rc.date,
                rc.journal_page,
                rc.amendment_id,
                rc.motion,
                rc.sequence,
                rc.yeas,
                rc.nays,
                rc.verified,
                rc.source_url,
                rc.outcome,
                sorted(
                    (mv.person.name if mv.person else mv.printed_name, mv.option)
                    for mv in rc.member_votes
                ),
            )
        )
    return out


def test_full_run_both_chambers(site: VoteSite, world: dict[str, Any]) -> None:
    run = pipeline.scrape_votes(session="2025-2026")
    assert run.status == "partial"
    failed = {e.item: e for e in run.errors}
    assert set(failed) == {"HF99", "SF1832 Senate 3-3 j.p. 4173", "SF1832 Senate 6-1 j.p. 4180"}
    assert "not stored" in failed["HF99"].reason
    assert "does not contain the expected roll call" in failed["SF1832 Senate 3-3 j.p. 4173"].reason
    assert "truncated" in failed["SF1832 Senate 6-1 j.p. 4180"].reason
    assert failed["SF1832 Senate 6-1 j.p. 4180"].url == (
        "https://www.senate.mn/journals/2025-2026/20250505045.pdf"
    )
    assert run.new == 6 and run.failed == 3
    assert site.count(PDF_PATH) == 1  # cached for the second action on the same PDF

    senate = db.session.scalar(select(RollCall).where(RollCall.chamber == "senate"))
    assert senate.verified, senate.verification_note
    assert senate.source_url == "https://www.senate.mn/journals/2025-2026/20250429041.pdf#page=1"
    assert senate.outcome == "passed" and senate.kind == "passage"
    assert senate.action is not None and senate.action.number == 1
    votes = {mv.person.name: mv.option for mv in senate.member_votes}
    assert votes["Nora Okonkwo"] == "yes"  # not the House Okonkwo
    assert votes["Alba Fallowby"] == "not_voting"
    assert votes["Alba Dunmere"] == "no"
    assert "Chidi Okonkwo" not in votes and len(votes) == 8

    house = db.session.scalars(select(RollCall).where(RollCall.chamber == "house")).all()
    assert len(house) == 5 and all(rc.verified for rc in house)
    assert {rc.source_url for rc in house} == {
        "https://www.house.mn.gov/Votes/Details?SessionKey=302&BillNumber=HF0025"
    }
    data = {d.chamber: d for d in db.session.scalars(select(ChamberSessionData))}
    assert set(data) == {"house", "senate"}
    assert data["house"].excused_recorded and "House Journal roll" in data["house"].note
    assert not data["senate"].excused_recorded and "never as excused" in data["senate"].note


def test_senators_without_start_dates_verify_through_the_days_roll(
    site: VoteSite, world: dict[str, Any]
) -> None:
    """Three senators' roles have no start date and one left after the vote: the
    name lists alone cannot be verified, the day's journal roll settles it."""
    run = pipeline.scrape_votes(session="2025-2026", bill="SF1832")
    roll = db.session.scalar(select(JournalRoll).where(JournalRoll.chamber == "senate"))
    assert roll.day == dt.date(2025, 4, 29)
    assert roll.source_url == "https://www.senate.mn/journals/2025-2026/20250429041.pdf#page=1"
    assert [e.printed_name for e in roll.entries] == PRESENT
    assert all(e.person_id is not None for e in roll.entries), [e.reason for e in roll.entries]
    assert {e.basis for e in roll.entries if e.printed_name in NO_START} == {"possible"}
    amberwick = db.session.scalar(select(Person).where(Person.family_name == "Amberwick"))
    [term] = amberwick.terms
    assert term.start_date is None  # Open States still says nothing
    assert (term.held_from, term.held_from_source, term.held_from_basis) == (
        dt.date(2025, 4, 29),
        "journal_roll",
        "seen",
    )
    dunmere = db.session.scalar(select(Person).where(Person.family_name == "Dunmere"))
    assert dunmere.terms[0].held_until == dt.date(2025, 6, 30)  # left since: still seated then

    senate = db.session.scalar(select(RollCall).where(RollCall.chamber == "senate"))
    assert senate.verified, senate.verification_note
    votes = {mv.person.name: mv.option for mv in senate.member_votes}
    assert votes["Alba Amberwick"] == "yes" and votes["Alba Dunmere"] == "no"
    assert votes["Alba Fallowby"] == "not_voting"  # on the roll, in neither list
    assert run.failed == 2  # the 3-3 and 6-1 actions, as in the full run


def test_without_the_days_roll_the_record_cannot_show_them_seated(
    site: VoteSite, world: dict[str, Any]
) -> None:
    site.pdfs[PDF_PATH] = senate_journal(with_roll=False)
    run = pipeline.scrape_votes(session="2025-2026", bill="SF1832")
    assert any("Senate Journal roll not read" in e.reason for e in run.errors)
    senate = db.session.scalar(select(RollCall).where(RollCall.chamber == "senate"))
    assert not senate.verified
    assert "term start unknown" in (senate.verification_note or "")
    assert "Alba Amberwick" in (senate.verification_note or "")
    assert (
        db.session.scalar(
            select(func.count()).select_from(JournalRoll).where(JournalRoll.chamber == "senate")
        )
        == 0
    )


def test_incremental_run_refetches_nothing_without_a_new_tally(
    site: VoteSite, world: dict[str, Any]
) -> None:
    pipeline.scrape_votes(session="2025-2026")
    before = snapshot()
    site.log.clear()
    version = dataversion.current()
    run = pipeline.scrape_votes(session="2025-2026")
    assert dataversion.current() == version  # a run that changed nothing empties no cache
    assert site.count("/Votes/Details") == 0
    assert site.count("page=4172") == 0  # verified: not fetched again
    assert site.count("GetVoteSummary") == 1
    assert run.new == 0 and run.changed == 0
    assert snapshot() == before

    # a new House tally on HF 25 -> its Details page is fetched again
    hf25 = world["hf25"]
    hf25.actions.append(
        BillAction(
            chamber="house",
            number=3,
            date=dt.date(2025, 5, 20),
            text="Veto override",
            yeas=6,
            nays=1,
            journal_page="5000",
        )
    )
    db.session.commit()
    site.log.clear()
    pipeline.scrape_votes(session="2025-2026")
    assert site.count("/Votes/Details") == 1
    # --full refetches everything; nothing changes
    site.log.clear()
    version = dataversion.current()
    run = pipeline.scrape_votes(session="2025-2026", full=True)
    assert site.count("/Votes/Details") == 2 and site.count("page=4172") == 1
    assert run.new == 0 and run.changed == 0 and run.unchanged == 6
    assert snapshot() == before
    assert dataversion.current() == version


def test_single_bill(site: VoteSite, world: dict[str, Any]) -> None:
    run = pipeline.scrape_votes(session="2025-2026", bill="SF1832")
    assert site.count("BillNumber=SF1832") == 1 and site.count("BillNumber=HF0025") == 0
    assert run.new == 1 and run.failed == 2


def test_missing_house_key_fails_clearly(site: VoteSite, app: Any) -> None:
    make_world(house_key=None)
    run = pipeline.scrape_votes(session="2025-2026")
    assert run.status == "failed"
    assert "tracker session set-house-key 2025-2026" in (run.error or "")
    assert site.log == []


def test_malformed_details_page_recorded_rest_proceeds(
    site: VoteSite, world: dict[str, Any]
) -> None:
    site.details["HF0025"] = (VOTES / "house_details_malformed.html").read_bytes()
    run = pipeline.scrape_votes(session="2025-2026")
    assert "HF25" in {e.item for e in run.errors}
    assert db.session.scalar(select(func.count()).select_from(RollCall)) == 1  # the Senate one


@pytest.mark.committed
def test_record_then_replay(site: VoteSite, world: dict[str, Any], tmp_path: Path) -> None:
    recording = tmp_path / "votes"
    pipeline.scrape_votes(session="2025-2026", record=str(recording))
    before = snapshot()
    db.session.commit()
    db.session.remove()
    truncate_all()
    data = make_world()
    add_senate(data)
    served = len(site.log)
    run = pipeline.scrape_votes(session="2025-2026", replay=str(recording))
    assert len(site.log) == served and run.requests == 0
    assert snapshot() == before


def test_cli_scrape_votes(site: VoteSite, world: dict[str, Any], runner: Any) -> None:
    result = runner.invoke(args=["scrape", "votes", "--session", "2025-2026", "--bill", "HF25"])
    assert result.exit_code == 0, result.output
    assert "votes run" in result.output and "new 5" in result.output
    result = runner.invoke(args=["scrape", "votes", "--bill", "XY1"])
    assert result.exit_code == 2


def test_votes_job_is_available(app: Any) -> None:
    assert jobs.available("votes")
    assert "reserved" not in jobs.JOB_DESCRIPTIONS["votes"]
    assert db.session.scalar(select(func.count()).select_from(LegislativeSession)) == 0
