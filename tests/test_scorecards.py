"""Positions, scorecards, publishing and materialised scores, on the demo data."""

from __future__ import annotations

from fractions import Fraction

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import make_user
from tracker import scorecards, snapshots
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Bill,
    DataQualityItem,
    LegislativeSession,
    LegislatorScoreRow,
    MemberVote,
    RollCall,
    ScorecardVote,
)
from tracker.scorecards import EditError, ScorecardSettings, StaleEdit


@pytest.fixture
def world(app: Flask, demo_no_scorecards: None):  # type: ignore[no-untyped-def]
    admin = make_user("admin@example.org", "admin")
    staff = make_user("staff@example.org", "staff")
    session = db.session.scalar(select(LegislativeSession).where(
        LegislativeSession.identifier == "2025-2026"))
    db.session.commit()
    return {"admin": admin, "staff": staff, "session": session}


def settings(session: LegislativeSession, **overrides) -> ScorecardSettings:  # type: ignore[no-untyped-def]
    values = {"title": "2025 House Scorecard", "description": "", "session_ids": [session.id],
              "chambers": ["house"], "absence_policy": "exclude", "min_participation_pct": 50,
              "grade_bands": [(90, "A"), (80, "B"), (0, "F")], "show_sponsorship": True}
    return ScorecardSettings(**{**values, **overrides})


def house_roll_calls(session: LegislativeSession) -> list[RollCall]:
    return list(db.session.scalars(
        select(RollCall).join(Bill).where(Bill.session_id == session.id,
                                          RollCall.chamber == "house",
                                          RollCall.kind == "passage").order_by(RollCall.date)))


def untagged_bill(session: LegislativeSession) -> Bill:
    bill = Bill(session=session, bill_type="HF", number=999, title="An untagged invented bill")
    db.session.add(bill)
    db.session.flush()
    return bill


def test_positions_are_drafts_until_published(world) -> None:  # type: ignore[no-untyped-def]
    bill = untagged_bill(world["session"])
    row = scorecards.set_position(bill, "support", "Helps working families.", ["labor", " "],
                                  expected_version=None, actor=world["staff"])
    assert (row.position, row.published_position, row.issue_areas) == ("support", None, ["labor"])
    with pytest.raises(EditError, match="only admins"):
        scorecards.publish_position(bill, expected_version=row.version, actor=world["staff"])
    scorecards.publish_position(bill, expected_version=row.version, actor=world["admin"])
    assert row.published_position == "support" and not row.has_unpublished_changes
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "bill", AuditEvent.entity_id == str(bill.id)))]
    assert actions == ["position.edit", "position.publish"]


def test_stale_position_edit_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    bill = untagged_bill(world["session"])
    row = scorecards.set_position(bill, "support", "First.", [], expected_version=None,
                                  actor=world["staff"])
    seen = row.version
    scorecards.set_position(bill, "oppose", "Second.", [], expected_version=seen,
                            actor=world["admin"])
    with pytest.raises(StaleEdit, match="changed by someone else"):
        scorecards.set_position(bill, "support", "Third.", [], expected_version=seen,
                                actor=world["staff"])
    assert (row.position, row.rationale) == ("oppose", "Second.")


@pytest.mark.parametrize(
    ("position", "kind", "motion", "amendment", "expected"),
    [
        ("support", "passage", "Passage", "", "yes"),
        ("oppose", "passage", "Third reading Passed", "", "no"),
        ("support", "amendment", "Amendment", "H0011A1", None),
        ("support", "passage", "Motion to table", "", None),
        ("none", "passage", "Passage", "", None),
        ("oppose", "passage", "Conference committee report adopted", "", "no"),
    ],
)
def test_suggested_aligned_vote(position, kind, motion, amendment, expected) -> None:  # type: ignore[no-untyped-def]
    roll_call = RollCall(kind=kind, motion=motion, amendment_id=amendment)
    assert scorecards.suggest_aligned(position, roll_call) == expected


def test_publish_freezes_and_scores_match_the_engine(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    calls = house_roll_calls(world["session"])[:4]
    for index, roll_call in enumerate(calls):
        scorecards.score_roll_call(card, roll_call, aligned="yes", weight=2 if index == 0 else 1,
                                   description="A yes vote supports it.", actor=world["staff"])
    scorecards.recompute_draft(card)
    draft = {r.person_id: r for r in db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.version_number == 0))}
    version = scorecards.publish(card, expected_version=card.version, note="First edition",
                                 actor=world["admin"])
    db.session.commit()
    assert version.number == 1 and len(version.votes) == 4 and version.changes == []
    published = {r.person_id: r for r in db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.version_number == 1))}
    assert published.keys() == draft.keys() and len(published) >= 20
    # Recompute one legislator by hand from the stored member votes.
    person_id, row = next((p, r) for p, r in published.items() if r.has_score)
    aligned = eligible = 0
    for index, roll_call in enumerate(calls):
        weight = 2 if index == 0 else 1
        vote = db.session.scalar(select(MemberVote).where(
            MemberVote.roll_call_id == roll_call.id, MemberVote.person_id == person_id))
        if vote and vote.option in ("yes", "no"):
            eligible += weight
            aligned += weight * (vote.option == "yes")
    assert (row.aligned_weight, row.eligible_weight) == (aligned, eligible)


def test_publish_is_refused_without_votes_or_with_unverified(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    with pytest.raises(EditError, match="no scored votes"):
        scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    roll_call = house_roll_calls(world["session"])[0]
    roll_call.verified = False
    scorecards.score_roll_call(card, roll_call, aligned="yes", weight=1, description="",
                               actor=world["staff"])
    with pytest.raises(EditError, match="not verified"):
        scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    assert card.versions == []


def test_staff_cannot_publish(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    with pytest.raises(EditError, match="only admins"):
        scorecards.publish(card, expected_version=None, note="", actor=world["staff"])


@pytest.mark.parametrize("weight", ["0", "11", "1.5", "two", "", None, -1])
def test_invalid_weights_change_nothing(world, weight) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    roll_call = house_roll_calls(world["session"])[0]
    with pytest.raises(EditError, match="weight must be a whole number"):
        scorecards.score_roll_call(card, roll_call, aligned="yes", weight=weight,
                                   description="", actor=world["staff"])
    assert db.session.scalars(select(ScorecardVote)).all() == []


def test_roll_call_from_another_session_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    other = db.session.scalar(select(RollCall).join(Bill).join(LegislativeSession).where(
        LegislativeSession.identifier == "2023-2024", RollCall.chamber == "house"))
    with pytest.raises(EditError, match="2023-2024 session"):
        scorecards.score_roll_call(card, other, aligned="yes", weight=1, description="",
                                   actor=world["staff"])


def test_count_unexcused_needs_excused_data(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EditError, match="records excused absences"):
        scorecards.create_scorecard(settings(world["session"], absence_policy="count_unexcused"),
                                    actor=world["staff"])


def test_new_version_logs_corrections_and_keeps_the_old(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    first, second = house_roll_calls(world["session"])[:2]
    vote = scorecards.score_roll_call(card, first, aligned="yes", weight=1, description="A",
                                      actor=world["staff"])
    v1 = scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    scorecards.edit_scored_vote(vote, aligned="yes", weight=2, description="A",
                                expected_version=vote.version, actor=world["staff"])
    scorecards.score_roll_call(card, second, aligned="no", weight=1, description="B",
                               actor=world["staff"])
    v2 = scorecards.publish(card, expected_version=None, note="Added a vote",
                            actor=world["admin"])
    assert any(line.startswith("Added the vote on") for line in v2.changes)
    assert any("weight" in line and "from 1 to 2" in line for line in v2.changes)
    assert [v.weight for v in v1.votes] == [1]  # the first version stays frozen


def test_rescrape_changing_a_frozen_roll_call_raises_an_item(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    roll_call = house_roll_calls(world["session"])[0]
    scorecards.score_roll_call(card, roll_call, aligned="yes", weight=1, description="",
                               actor=world["staff"])
    version = scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    before = {r.person_id: (r.aligned_weight, r.eligible_weight) for r in db.session.scalars(
        select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1))}
    vote = next(v for v in roll_call.member_votes if v.option == "yes")
    vote.option = "no"  # what a re-scrape would do
    assert scorecards.check_frozen_roll_calls() == 1
    assert scorecards.check_frozen_roll_calls() == 0  # raised once
    item = db.session.scalars(select(DataQualityItem)).one()
    assert item.kind == "frozen_roll_call_changed" and "published version 1" in item.message
    scorecards.recompute_all()
    after = {r.person_id: (r.aligned_weight, r.eligible_weight) for r in db.session.scalars(
        select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1))}
    assert after == before and version.number == 1


def test_lifetime_pools_across_scorecards(world) -> None:  # type: ignore[no-untyped-def]
    old_session = db.session.scalar(select(LegislativeSession).where(
        LegislativeSession.identifier == "2023-2024"))
    for session in (old_session, world["session"]):
        card = scorecards.create_scorecard(settings(session, title=session.identifier),
                                           actor=world["staff"])
        for roll_call in house_roll_calls(session)[:3]:
            scorecards.score_roll_call(card, roll_call, aligned="yes", weight=1,
                                       description="", actor=world["staff"])
        scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    rows = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.version_number == 1)).all()
    person_id = next(r.person_id for r in rows if r.eligible_weight >= 2)
    mine = [r for r in rows if r.person_id == person_id]
    lifetime = snapshots.lifetime([person_id])[person_id]
    assert lifetime.aligned_weight == sum(r.aligned_weight for r in mine)
    assert lifetime.eligible_weight == sum(r.eligible_weight for r in mine)
    assert lifetime.score == Fraction(100 * lifetime.aligned_weight, lifetime.eligible_weight)


def test_scoring_actions_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    roll_call = house_roll_calls(world["session"])[0]
    vote = scorecards.score_roll_call(card, roll_call, aligned="yes", weight=1, description="x",
                                      actor=world["staff"])
    scorecards.edit_scored_vote(vote, aligned="no", weight=1, description="x", active=False,
                                expected_version=vote.version, actor=world["staff"])
    with pytest.raises(StaleEdit):
        scorecards.edit_scored_vote(vote, aligned="yes", weight=1, description="x",
                                    expected_version=1, actor=world["staff"])
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "scorecard").order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["scorecard.create", "scored_vote.add",
                                          "scored_vote.remove"]
    assert events[-1].before["aligned"] == "yes" and events[-1].after["active"] is False
    assert db.session.get(ScorecardVote, vote.id) is not None  # never deleted


def test_bench_data_and_recompute_cli(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert result.exit_code == 0, result.output
    assert "invented bench data: " in result.output and "16 scored" in result.output
    from tracker.models import Person, Scorecard

    assert all(p.family_name == "Benchwick" and p.is_demo for p in db.session.scalars(
        select(Person)))
    recompute = runner.invoke(args=["scores", "recompute"])
    assert recompute.output.strip() == "recomputed 2 draft(s) and 0 version(s)"
    card = db.session.scalars(select(Scorecard)).first()
    rows = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.scorecard_id == card.id)).all()
    assert len(rows) == 201
    again = runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert again.exit_code == 1 and "empty database" in again.output


def test_publish_after_a_scored_vote_changed_is_stale(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    first, second = house_roll_calls(world["session"])[:2]
    scorecards.score_roll_call(card, first, aligned="yes", weight=1, description="",
                               actor=world["staff"])
    seen = card.version  # the admin opens the publish form
    scorecards.score_roll_call(card, second, aligned="yes", weight=1, description="",
                               actor=world["staff"])
    with pytest.raises(StaleEdit):
        scorecards.publish(card, expected_version=seen, note="", actor=world["admin"])
    assert card.versions == []
