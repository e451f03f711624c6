"""Scoring committee votes: off by default, scored like a floor vote when staff choose
one, and a legislator not on the committee that day is not eligible ("not on the
committee", never absent) on every page, export and API document that shows it.

The committee roll call is the demo's (``tracker.demo_hearings``: its invented House
Working Families committee voted on HF 11 at a past hearing, verified)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from scrapers.vocab import NOT_SEATED
from tests.conftest import csrf_token, make_user
from tracker import committees, methodology, scorecards, snapshots
from tracker.extensions import db
from tracker.models import (
    Bill,
    Committee,
    FrozenMemberVote,
    LegislativeSession,
    LegislatorScoreRow,
    MemberVote,
    Person,
    RollCall,
    ScorecardVote,
)
from tracker.models.scorecards import DRAFT

BOM = "\ufeff".encode()


@pytest.fixture(autouse=True)
def fresh_snapshots() -> Iterator[None]:
    snapshots.clear()
    yield
    snapshots.clear()


def _committee_vote() -> RollCall:
    return db.session.scalars(select(RollCall).where(RollCall.kind == "committee")).one()


@pytest.fixture
def world(app: Any, demo_no_scorecards: None) -> dict[str, Any]:
    """A House scorecard of the demo's current session scoring HF 11's passage and the
    committee's roll call on it, published."""
    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    rc = _committee_vote()
    passage = db.session.scalars(
        select(RollCall).where(RollCall.bill_id == rc.bill_id, RollCall.kind == "passage")
    ).one()
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Committee votes test card",
            description="",
            session_ids=[session.id],
            chambers=["house", "senate"],
            absence_policy="count_all",
            min_participation_pct=0,
            grade_bands=[(90, "A"), (0, "F")],
            show_sponsorship=False,
        ),
        actor="test",
    )
    scorecards.score_roll_call(card, passage, aligned="yes", weight=1, description="", actor="test")
    scorecards.score_roll_call(
        card,
        rc,
        aligned="yes",
        weight=2,
        description="A yes vote moved HF 11 out of committee.",
        actor="test",
    )
    version = scorecards.publish(card, expected_version=None, note="", actor="test")
    scorecards.recompute_draft(card)
    db.session.commit()
    members = {mv.person_id: mv.option for mv in rc.member_votes}
    house = db.session.scalars(
        select(MemberVote.person_id).where(
            MemberVote.roll_call_id == passage.id, MemberVote.option != NOT_SEATED
        )
    ).all()
    outsider = db.session.get(Person, next(p for p in house if p not in members))
    member = db.session.get(Person, next(p for p, o in members.items() if o == "yes"))
    absent = db.session.get(Person, next(p for p, o in members.items() if o == "not_voting"))
    return {
        "card": card,
        "version": version,
        "rc": rc,
        "passage": passage,
        "members": members,
        "outsider": outsider,
        "member": member,
        "absent": absent,
        "committee": db.session.get(Committee, rc.committee_id),
    }


def test_the_vote_label_rule() -> None:
    assert methodology.vote_label("not_seated", "committee") == "Not on the committee"
    assert methodology.vote_label("not_seated", "passage") == "Not in office"
    assert methodology.vote_label("not_seated") == "Not in office"  # older versions' facts
    assert methodology.vote_label("not_voting", "committee") == "Did not vote"
    assert methodology.vote_label("yes", "committee") == "Yes"
    assert methodology.blank_label(["passage", None]) == "not in office"
    assert (
        methodology.blank_label(["passage", "committee"]) == "not in office or not on the committee"
    )


def test_a_committee_motion_suggests_the_aligned_vote(app: Any, demo_no_scorecards: None) -> None:
    rc = _committee_vote()
    assert "recommended to pass" in rc.motion
    assert scorecards.suggest_aligned("support", rc) == "yes"
    assert scorecards.suggest_aligned("oppose", rc) == "no"
    assert scorecards.suggest_aligned(None, rc) is None
    amendment = RollCall(
        bill_id=rc.bill_id,
        chamber="house",
        date=rc.date,
        kind="committee",
        motion="Representative X moved the A1 amendment",
        amendment_id="A1",
        yeas=1,
        nays=0,
    )
    assert scorecards.suggest_aligned("support", amendment) is None
    tabled = RollCall(
        bill_id=rc.bill_id,
        chamber="house",
        date=rc.date,
        kind="committee",
        motion="Representative X moved that HF 11 be laid over",
        yeas=1,
        nays=0,
    )
    assert scorecards.suggest_aligned("support", tabled) is None


def test_frozen_votes_of_non_members_are_not_seated(world: dict[str, Any]) -> None:
    """The engine's rule, unchanged: a scored roll call missing from someone's votes is
    not_seated, so every legislator not on the committee that day is not eligible."""
    rc, version, members = world["rc"], world["version"], world["members"]
    frozen = {
        r.person_id: r.option
        for r in db.session.scalars(
            select(FrozenMemberVote).where(
                FrozenMemberVote.version_id == version.id, FrozenMemberVote.roll_call_id == rc.id
            )
        )
    }
    assert {p: o for p, o in frozen.items() if o != NOT_SEATED} == members
    assert len(members) == 7 and len(frozen) > 30  # the whole roster of both chambers
    facts = next(v.facts for v in version.votes if v.roll_call_id == rc.id)
    assert facts["kind"] == "committee" and facts["committee"] == "Working Families"
    # Not eligible: neither the score nor the attendance counts it for an outsider ...
    outsider = db.session.scalar(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == world["card"].id,
            LegislatorScoreRow.version_number == version.number,
            LegislatorScoreRow.person_id == world["outsider"].id,
        )
    )
    assert (outsider.votes_possible, outsider.eligible_weight) == (1, 1)
    # ... while the member the minutes show not voting counts as absent (count_all).
    absent = db.session.scalar(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == world["card"].id,
            LegislatorScoreRow.version_number == DRAFT,
            LegislatorScoreRow.person_id == world["absent"].id,
        )
    )
    assert absent.votes_possible == 2 and absent.eligible_weight == 3


def test_pages_say_not_on_the_committee(client: FlaskClient, world: dict[str, Any]) -> None:
    card, outsider, member = world["card"], world["outsider"], world["member"]
    page = client.get(f"/legislators/{outsider.public_id}").get_data(as_text=True)
    section = page[page.index("Committee votes test card") :]
    assert "Not on the committee" in section and "in the Working Families committee" in section
    assert "Not in office" not in section
    mine = client.get(f"/legislators/{member.public_id}").get_data(as_text=True)
    mine = mine[mine.index("Committee votes test card") :]
    assert "Not on the committee" not in mine and "<strong>Yes</strong>" in mine
    grid = client.get(f"/scorecards/{card.public_id}?show=grid").get_data(as_text=True)
    assert "blank: not in office or not on the committee" in grid
    assert '<span class="visually-hidden">not on the committee</span>' in grid
    listed = client.get(f"/scorecards/{card.public_id}").get_data(as_text=True)
    assert "House Working Families committee, " in listed and "committee minutes" not in listed


def test_exports_say_not_on_the_committee(client: FlaskClient, world: dict[str, Any]) -> None:
    card, outsider = world["card"], world["outsider"]
    wide = list(
        csv.reader(
            io.StringIO(
                client.get(f"/scorecards/{card.public_id}/scorecard.csv").data[len(BOM) :].decode()
            )
        )
    )
    column = next(
        i for i, h in enumerate(wide[0]) if h.startswith(f"HF 11 {world['rc'].date.isoformat()}")
    )
    row = next(r for r in wide if outsider.public_id in r)
    assert row[column] == "Not on the committee"
    senators = [r for r in wide[1:] if r[2] == "Senate"]
    assert senators and all(r[column] == "" for r in senators)  # the other chamber: blank
    long = client.get(f"/scorecards/{card.public_id}/votes.csv").data.decode("utf-8-sig")
    assert "Not on the committee" in long
    book = load_workbook(
        io.BytesIO(client.get(f"/scorecards/{card.public_id}/scorecard.xlsx").data), read_only=True
    )
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Not on the committee" in cells
    methodology_sheet = [
        c for ws in book.worksheets[1:] for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert "Committee votes" in methodology_sheet
    pdf = client.get(f"/legislators/{outsider.public_id}/scorecard.pdf")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages
    )
    assert "Not on the committee" in text or "Not on the com- mittee" in text
    whole = client.get(f"/scorecards/{card.public_id}/scorecard.pdf")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(whole.data)).pages
    )
    assert "blank: not in office or not on the committee" in text
    assert "Only the committee's members that day vote in committee" in text


def test_the_api_names_committee_votes(client: FlaskClient, world: dict[str, Any]) -> None:
    card, rc, outsider = world["card"], world["rc"], world["outsider"]
    doc = client.get(f"/api/v1/scorecards/{card.public_id}").get_json()
    vote = next(v for v in doc["votes"] if v["roll_call_id"] == rc.public_id)
    assert (vote["kind"], vote["committee"], vote["not_seated_label"]) == (
        "committee",
        "Working Families",
        "Not on the committee",
    )
    floor = next(v for v in doc["votes"] if v["roll_call_id"] == world["passage"].public_id)
    assert (floor["kind"], floor["committee"], floor["not_seated_label"]) == (
        "floor",
        None,
        "Not in office",
    )
    theirs = next(r for r in doc["legislators"] if r["id"] == outsider.public_id)
    assert vote["key"] not in theirs["votes"]  # not eligible: no vote, never an absence


def test_the_methodology_page_says_how_committee_votes_count(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    page = client.get(f"/scorecards/{world['card'].public_id}/methodology").get_data(as_text=True)
    text = page[page.index('id="committee-votes-text"') :]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text[: text.index("</p>")])).split())
    assert (
        "1 committee vote is scored, from the minutes of the Working Families committee "
        "(House). Only the committee's members that day vote in committee."
    ) in text
    assert "not eligible" in text and "never counts as an absence" in text
    assert "House Working Families committee, " in page


def test_floor_only_scorecards_say_so(client: FlaskClient, app: Any, demo_full: None) -> None:
    card = db.session.scalars(select(ScorecardVote.scorecard_id)).first()
    from tracker.models import Scorecard

    public_id = db.session.get(Scorecard, card).public_id
    page = client.get(f"/scorecards/{public_id}/methodology").get_data(as_text=True)
    assert "Only floor votes are scored; no committee vote is on this version." in page


def test_the_builder_lists_committee_votes_only_when_chosen(
    client: FlaskClient, auth: Any, app: Any, demo_no_scorecards: None
) -> None:
    make_user()
    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Builder card",
            description="",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=0,
            grade_bands=[(0, "F")],
            show_sponsorship=False,
        ),
        actor="test",
    )
    db.session.commit()
    rc = _committee_vote()
    auth.login()
    page = f"/staff/scorecards/{card.public_id}/builder"
    floor = client.get(page).get_data(as_text=True)
    assert f'id="rc-{rc.public_id}"' not in floor and "Committee votes" in floor
    chosen = client.get(page + "?votes=committee").get_data(as_text=True)
    assert "1 roll call matches" in chosen and f'id="rc-{rc.public_id}"' in chosen
    assert "Working Families committee" in chosen
    assert client.get(page + "?votes=both").status_code == 400
    token = csrf_token(client, page + "?votes=committee")
    response = client.post(
        page + "?votes=committee",
        data={
            "csrf_token": token,
            "version": str(card.version),
            "roll_call": rc.public_id,
            f"aligned-{rc.public_id}": "yes",
        },
    )
    assert response.status_code == 302 and "votes=committee" in response.headers["Location"]
    assert [v.roll_call_id for v in card.votes if v.active] == [rc.id]


def test_the_staff_bill_page_scores_a_committee_vote(
    client: FlaskClient, auth: Any, app: Any, demo_no_scorecards: None
) -> None:
    make_user()
    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Bill page card",
            description="",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=0,
            grade_bands=[(0, "F")],
            show_sponsorship=False,
        ),
        actor="test",
    )
    db.session.commit()
    rc = _committee_vote()
    bill = db.session.get(Bill, rc.bill_id)
    auth.login()
    path = f"/staff/bills/{session.identifier}/{bill.key}"
    page = client.get(path).get_data(as_text=True)
    block = page[page.index(f'id="rc-{rc.public_id}"') :]
    block = block[: block.index("</article>")]
    assert "Working Families" in block and "A committee vote" in block
    assert "Score this vote on “Bill page card”" in block
    token = csrf_token(client, path)
    response = client.post(
        path + "/score",
        data={
            "csrf_token": token,
            "roll_call": rc.public_id,
            "scorecard": card.public_id,
            "aligned": "yes",
            "weight": "1",
            "description": "Out of committee.",
        },
    )
    assert response.status_code == 302
    scored = db.session.scalars(
        select(ScorecardVote).where(ScorecardVote.scorecard_id == card.id)
    ).one()
    assert scored.roll_call_id == rc.id
    # the draft scores count it for the members only
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == DRAFT,
            LegislatorScoreRow.votes_possible > 0,
        )
    ).all()
    members = committees.member_ids_on(rc.committee_id, rc.date)
    assert {r.person_id for r in rows} == members
