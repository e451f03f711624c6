"""The public methodology page: generated only from what publishing stored."""

from __future__ import annotations

import html as html_lib
import re
from fractions import Fraction
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import house_journal_read
from tracker import localtime, scorecards
from tracker.extensions import db
from tracker.models import (
    Bill,
    LegislativeSession,
    LegislatorScoreRow,
    RollCall,
    Scorecard,
    ScorecardVersion,
)
from tracker.scoring import Methodology, ScoredVote, display_score, score_scorecard


@pytest.fixture
def session(app: Flask, demo_no_scorecards: None) -> LegislativeSession:
    return db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )


def _house_roll_calls(session: LegislativeSession) -> list[RollCall]:
    return list(
        db.session.scalars(
            select(RollCall)
            .join(Bill)
            .where(Bill.session_id == session.id, RollCall.chamber == "house")
            .order_by(RollCall.date, RollCall.id)
        )
    )


def _published(session: LegislativeSession, **overrides: Any) -> Scorecard:
    values: dict[str, Any] = {
        "title": "2025 House Scorecard",
        "description": "Votes on working families.",
        "session_ids": [session.id],
        "chambers": ["house"],
        "absence_policy": "exclude",
        "min_participation_pct": 60,
        "grade_bands": [(90, "A"), (75, "B"), (50, "C")],
        "show_sponsorship": True,
        **overrides,
    }
    card = scorecards.create_scorecard(scorecards.ScorecardSettings(**values), actor="test")
    for index, rc in enumerate(_house_roll_calls(session)[:5]):
        scorecards.score_roll_call(
            card,
            rc,
            aligned="no" if rc.kind == "amendment" else "yes",
            weight=2 if index == 0 else 1,
            description=f"A vote number {index} description.",
            actor="test",
        )
    scorecards.publish(card, expected_version=None, note="First edition", actor="test")
    scorecards.recompute_draft(card)
    db.session.commit()
    return card


def _page(client: FlaskClient, card: Scorecard, query: str = "") -> str:
    response = client.get(f"/scorecards/{card.public_id}/methodology{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _shown_rules(page: str) -> tuple[Methodology, list[ScoredVote]]:
    """Read the methodology back from the page's visible text."""
    pct = int(re.search(r'<strong id="min-participation">(\d+)%</strong>', page).group(1))
    policy_text = re.search(r'<p id="absence-policy"[^>]*>([^<]+)</p>', page).group(1)
    policy = {
        "Absences are left out": "exclude",
        "Unexcused absences count": "count_unexcused",
        "All absences count": "count_all",
    }
    absence = next(v for k, v in policy.items() if policy_text.startswith(k))
    bands = [
        (int(floor), letter)
        for letter, floor in re.findall(r'<tr><th scope="row">([A-Z][+-]?)</th><td>(\d+)', page)
    ]
    votes = []
    for public_id, aligned, weight in re.findall(
        r'<tr id="vote-([0-9a-f-]+)">.*?<td class="aligned">(Yes|No)</td>\s*'
        r'<td class="weight">(\d+)',
        page,
        re.S,
    ):
        rc = db.session.scalar(select(RollCall).where(RollCall.public_id == public_id))
        votes.append(ScoredVote(str(rc.id), aligned.lower(), int(weight)))  # type: ignore[arg-type]
    return Methodology(absence, Fraction(pct, 100), tuple(bands)), votes


def test_unknown_drafts_and_bad_versions_are_404(
    client: FlaskClient, session: LegislativeSession
) -> None:
    draft = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Draft only",
            description="",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=False,
        ),
        actor="test",
    )
    db.session.commit()
    assert client.get(f"/scorecards/{draft.public_id}/methodology").status_code == 404
    assert client.get("/scorecards/nope/methodology").status_code == 404
    card = _published(session)
    for query in ("?version=2", "?version=0", "?version=x", "?version=-1"):
        assert client.get(f"/scorecards/{card.public_id}/methodology{query}").status_code == 404
    assert client.get(f"/scorecards/{card.public_id}/methodology?version=1").status_code == 200


def test_page_states_the_stored_settings(client: FlaskClient, session: LegislativeSession) -> None:
    card = _published(session)
    version = scorecards.latest_version(card)
    page = _page(client, card)
    assert (
        f'<strong id="min-participation">{version.methodology["min_participation_pct"]}%' in page
        and version.methodology["min_participation_pct"] == 60
    )
    assert "score = 100 × Σ(weight × aligned) ÷ Σ(weight × eligible)" in page
    assert "Absences are left out" in page
    assert "House: the source records no excused absences" in page
    assert "rounded half up to a whole number: 62.5 shows as 63, 62.25 as 62" in page
    assert "Key votes (weight 2 or more)" in page
    assert '<tr><th scope="row">A</th><td>90 and above</td></tr>' in page
    assert '<tr><th scope="row">B</th><td>75 to below 90</td></tr>' in page
    assert "Scores below 50 get no letter grade." in page
    for frozen in version.votes:
        assert html_lib.escape(frozen.description) in page
        assert f'<tr id="vote-{frozen.facts["public_id"]}">' in page
    assert f'<dd id="vote-count">{len(version.votes)}</dd>' in page
    assert localtime.day_and_clock(version.published_at) in page  # Minnesota time, never UTC
    assert " UTC" not in page
    assert "First edition" in page and "First published version." in page
    assert "Votes on working families." in page


def test_text_and_numbers_cannot_disagree(client: FlaskClient, session: LegislativeSession) -> None:
    """Scores recomputed from the rules as the page states them equal the
    published scores, even after the draft changed."""
    card = _published(session)
    # Change the draft in every way after publishing: none of it may show.
    scorecards.update_scorecard(
        card,
        scorecards.ScorecardSettings(
            title="Renamed draft",
            description="Changed.",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="count_all",
            min_participation_pct=10,
            grade_bands=[(50, "P")],
            show_sponsorship=False,
        ),
        expected_version=None,
        actor="test",
    )
    first = card.votes[0]
    scorecards.edit_scored_vote(
        first,
        aligned="no",
        weight=7,
        description="Reworded draft.",
        expected_version=first.version,
        actor="test",
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    page = _page(client, card)
    assert "Renamed draft" not in page and "Reworded draft." not in page
    assert "2025 House Scorecard" in page and "A vote number 0 description." in page
    assert '<strong id="min-participation">60%</strong>' in page
    assert "All absences count" not in page

    methodology, votes = _shown_rules(page)
    version = scorecards.latest_version(card)
    assert methodology == scorecards.methodology_from_frozen(version.methodology)
    _, member_votes = scorecards.frozen_inputs(version)
    results = score_scorecard(member_votes, votes, methodology)
    stored = {
        str(r.person_id): r
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == 1
            )
        )
    }
    assert stored.keys() == results.keys() and len(stored) >= 20
    shown_scores = set()
    for person_id, result in results.items():
        row = stored[person_id]
        assert (row.aligned_weight, row.eligible_weight, row.has_score, row.grade) == (
            result.aligned_weight,
            result.eligible_weight,
            result.score is not None,
            result.grade,
        )
        shown_scores.add(display_score(result.score))
    assert len(shown_scores) > 1  # the comparison is not vacuous


def test_new_version_and_older_versions(client: FlaskClient, session: LegislativeSession) -> None:
    card = _published(session)
    scorecards.update_scorecard(
        card,
        scorecards.ScorecardSettings(
            title="2025 House Scorecard",
            description="Votes on working families.",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="count_all",
            min_participation_pct=40,
            grade_bands=[],
            show_sponsorship=False,
        ),
        expected_version=None,
        actor="test",
    )
    removed = card.votes[1]
    scorecards.edit_scored_vote(
        removed,
        aligned=removed.aligned,
        weight=removed.weight,
        description=removed.description,
        active=False,
        expected_version=removed.version,
        actor="test",
    )
    scorecards.publish(card, expected_version=None, note="Second edition", actor="test")
    db.session.commit()
    latest = _page(client, card)
    assert '<strong id="min-participation">40%</strong>' in latest
    assert "All absences count against the legislator" in latest
    assert "This scorecard gives no letter grades." in latest
    assert "Changed the minimum participation from 60 to 40." in latest
    assert "Removed the vote on" in latest and "Second edition" in latest
    assert "First edition" in latest  # every version's log
    assert f'<tr id="vote-{removed.roll_call.public_id}">' not in latest
    older = _page(client, card, "?version=1")
    assert '<strong id="min-participation">60%</strong>' in older
    assert "This is an older version" in older and "Absences are left out" in older
    assert f'<tr id="vote-{removed.roll_call.public_id}">' in older
    assert "Changed the minimum participation from 60 to 40." in older
    versions = db.session.scalars(select(ScorecardVersion).order_by(ScorecardVersion.number))
    assert [v.methodology["min_participation_pct"] for v in versions] == [60, 40]


def test_excused_absences_recorded_per_chamber(
    client: FlaskClient, session: LegislativeSession
) -> None:
    rc = _house_roll_calls(session)[0]
    next(v for v in rc.member_votes if v.option == "not_voting").option = "excused"
    house_journal_read(session, rc.date)
    db.session.commit()
    card = _published(session, absence_policy="count_unexcused")
    page = _page(client, card)
    assert "Unexcused absences count against the legislator" in page
    assert "House: the source records excused absences separately" in page


def test_demo_scorecards_have_methodology_pages(
    client: FlaskClient, app: Flask, demo_full: None
) -> None:
    cards = db.session.scalars(select(Scorecard)).all()
    assert cards
    for card in cards:
        page = _page(client, card)
        assert "House: the source records" in page and "Senate: the source records" in page
        assert "(key vote)" in page


def test_methodology_states_the_verified_share_of_each_session(
    client: FlaskClient, app: Flask, demo_full: None
) -> None:
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    version = card.versions[-1]
    kept = version.methodology["fidelity"]["2025-2026"]
    house = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .where(
            RollCall.chamber == "house",
            Bill.session.has(identifier="2025-2026"),
            RollCall.kind != "committee",
        )
    ).all()  # the floor's figures (the demo has one
    # committee roll call, which tracker.fidelity leaves out)
    assert kept["house"] == {
        "roll_calls": len(house),
        "member_level": len(house),
        "verified": sum(rc.verified for rc in house),
    }
    page = _page(client, card)
    assert "How much of the record is verified" in page
    assert f"2025-2026, House: {len(house)} of {len(house)} roll calls verified (100.0%)" in page
    assert "when this version was published" in page
