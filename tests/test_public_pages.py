"""Public pages on the demo data: legislators, scorecards, bills; drafts never leak."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import scorecards
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillPosition,
    LegislatorScoreRow,
    Person,
    RollCall,
    Scorecard,
    Term,
)
from tracker.scoring import display_score


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def latest_card() -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def test_scorecard_page_lists_every_legislator_with_published_scores(
        client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    page = text(client.get(f"/scorecards/{card.public_id}"))
    rows = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == 1)).all()
    assert f"{len(rows)} legislators" in page
    for row in rows:
        assert row.person.name in page
        if row.has_score:
            shown = display_score(Fraction(100 * row.aligned_weight,
                                                      row.eligible_weight))
            assert re.search(rf">{re.escape(row.person.name)}</a></th>.*?"
                             rf'<span class="score">{shown}</span>', page)
    assert "How scores are calculated" in page


def test_scorecard_sorting_and_filters(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    page = text(client.get(f"/scorecards/{card.public_id}?sort=score&dir=desc&chamber=senate"))
    shown = [int(s) for s in re.findall(r'data-score="(\d+)"', page)]
    assert shown == sorted(shown, reverse=True) and shown
    assert ">House<" not in page.split("<tbody>")[1]
    page = text(client.get(f"/scorecards/{card.public_id}?party=R&sort=bogus"))
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>R</td>" in body and "<td>DFL</td>" not in body
    assert client.get(f"/scorecards/{card.public_id}?district=' OR 1=1 --").status_code == 200


def test_distribution_chart_is_svg(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    moved = client.get(f"/scorecards/{card.public_id}/distribution.svg")
    assert moved.status_code == 301
    assert moved.location.endswith(f"/scorecards/{card.public_id}/charts/distribution.svg")
    response = client.get(moved.location)
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<?xml") and b"<svg" in response.data


def test_legislator_page_shows_votes_with_sources(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    row = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == 1,
        LegislatorScoreRow.has_score.is_(True))).first()
    person = row.person
    page = text(client.get(f"/legislators/{person.public_id}"))
    assert f"<h1>{person.name}</h1>" in page
    assert card.versions[-1].title in page
    assert f"{row.votes_cast} of {row.votes_possible} votes cast" in page
    assert "Lifetime score:" in page
    assert person.phone in page and f"mailto:{person.email}" in page
    for vote in card.versions[-1].votes:
        if vote.facts["chamber"] == row.chamber:
            assert vote.description in page


def test_former_legislator_keeps_a_page(client: FlaskClient, loaded: None) -> None:
    term = db.session.scalars(select(Term).where(Term.end_date.is_not(None))).first()
    page = text(client.get(f"/legislators/{term.person.public_id}"))
    assert f"served until {term.end_date}" in page or "to " + str(term.end_date) in page


def test_bill_page_shows_position_and_every_member_vote(client: FlaskClient,
                                                       loaded: None) -> None:
    bill = db.session.scalar(select(Bill).where(Bill.bill_type == "HF", Bill.number == 11)
                             .order_by(Bill.session_id.desc()))
    page = text(client.get(f"/bills/{bill.session.identifier}/hf11"))
    assert f"{bill.label}" in page and "supports this bill" in page
    roll_call = db.session.scalars(select(RollCall).where(RollCall.bill_id == bill.id)).first()
    for vote in roll_call.member_votes:
        if vote.option in ("yes", "no"):
            assert vote.person.name in page


def test_draft_positions_and_scorecards_never_leak(client: FlaskClient, loaded: None) -> None:
    bill = db.session.scalar(select(Bill).where(Bill.bill_type == "SF").limit(1))
    position = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill.id))
    scorecards.set_position(bill, "oppose", "A SECRET DRAFT RATIONALE", [],
                            expected_version=position.version, actor="test")
    draft = scorecards.create_scorecard(scorecards.ScorecardSettings(
        title="Unpublished Draft Card", description="", session_ids=[bill.session_id],
        chambers=["senate"], absence_policy="exclude", min_participation_pct=50,
        grade_bands=[], show_sponsorship=True), actor="test")
    db.session.commit()
    for path in ("/scorecards", f"/bills/{bill.session.identifier}/{bill.key}", "/bills"):
        page = text(client.get(path))
        assert "SECRET DRAFT" not in page and "Unpublished Draft Card" not in page
    assert client.get(f"/scorecards/{draft.public_id}").status_code == 404
    assert client.get(f"/scorecards/{draft.public_id}/methodology").status_code == 404


@pytest.mark.parametrize("path", [
    "/legislators/no-such-person", "/legislators/" + "x" * 300, "/scorecards/nope",
    "/scorecards/nope/charts/distribution.svg", "/bills/2025-2026/XX1", "/bills/1999-2000/HF1",
])
def test_unknown_ids_are_404(client: FlaskClient, loaded: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<main" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "hf 11", "'; DROP TABLE bill; --", "%_%", "x" * 500])
def test_bill_search_never_fails(client: FlaskClient, loaded: None, query: str) -> None:
    response = client.get("/bills", query_string={"q": query})
    assert response.status_code == 200
    assert db.session.scalar(select(Bill).limit(1)) is not None


def test_pages_have_titles_and_descriptions(client: FlaskClient, loaded: None) -> None:
    person = db.session.scalars(select(Person)).first()
    for path in ("/", "/scorecards", "/legislators", f"/legislators/{person.public_id}",
                 f"/scorecards/{latest_card().public_id}", "/bills"):
        html = client.get(path).get_data(as_text=True)
        title = re.search(r"<title>(.+?)</title>", html, re.S).group(1)
        assert len(title.strip()) > 10
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
