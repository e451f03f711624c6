"""Positions, scorecards, publishing and materialised scores, on the demo data."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from flask import Flask
from sqlalchemy import func, select

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
    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    db.session.commit()
    return {"admin": admin, "staff": staff, "session": session}


def settings(session: LegislativeSession, **overrides) -> ScorecardSettings:  # type: ignore[no-untyped-def]
    values = {
        "title": "2025 House Scorecard",
        "description": "",
        "session_ids": [session.id],
        "chambers": ["house"],
        "absence_policy": "exclude",
        "min_participation_pct": 50,
        "grade_bands": [(90, "A"), (80, "B"), (0, "F")],
        "show_sponsorship": True,
    }
    return ScorecardSettings(**{**values, **overrides})


def house_roll_calls(session: LegislativeSession) -> list[RollCall]:
    return list(
        db.session.scalars(
            select(RollCall)
            .join(Bill)
            .where(
                Bill.session_id == session.id,
                RollCall.chamber == "house",
                RollCall.kind == "passage",
            )
            .order_by(RollCall.date)
        )
    )


def untagged_bill(session: LegislativeSession) -> Bill:
    bill = Bill(session=session, bill_type="HF", number=999, title="An untagged invented bill")
    db.session.add(bill)
    db.session.flush()
    return bill


def test_positions_are_drafts_until_published(world) -> None:  # type: ignore[no-untyped-def]
    bill = untagged_bill(world["session"])
    row = scorecards.set_position(
        bill,
        "support",
        "Helps working families.",
        ["labor", " "],
        expected_version=None,
        actor=world["staff"],
    )
    assert (row.position, row.published_position, row.issue_areas) == ("support", None, ["labor"])
    with pytest.raises(EditError, match="only admins"):
        scorecards.publish_position(bill, expected_version=row.version, actor=world["staff"])
    scorecards.publish_position(bill, expected_version=row.version, actor=world["admin"])
    assert row.published_position == "support" and not row.has_unpublished_changes
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "bill", AuditEvent.entity_id == str(bill.id)
            )
        )
    ]
    assert actions == ["position.edit", "position.publish"]


def test_stale_position_edit_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    bill = untagged_bill(world["session"])
    row = scorecards.set_position(
        bill, "support", "First.", [], expected_version=None, actor=world["staff"]
    )
    seen = row.version
    scorecards.set_position(
        bill, "oppose", "Second.", [], expected_version=seen, actor=world["admin"]
    )
    with pytest.raises(StaleEdit, match="changed by someone else"):
        scorecards.set_position(
            bill, "support", "Third.", [], expected_version=seen, actor=world["staff"]
        )
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
    roll_call = RollCall(
        kind=kind,
        motion=motion,
        amendment_id=amendment,
        chamber="house",
        date=dt.date(2025, 4, 29),
        yeas=70,
        nays=60,
    )
    assert scorecards.suggest_aligned(position, roll_call) == expected


def test_publish_freezes_and_scores_match_the_engine(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    calls = house_roll_calls(world["session"])[:4]
    for index, roll_call in enumerate(calls):
        scorecards.score_roll_call(
            card,
            roll_call,
            aligned="yes",
            weight=2 if index == 0 else 1,
            description="A yes vote supports it.",
            actor=world["staff"],
        )
    scorecards.recompute_draft(card)
    draft = {
        r.person_id: r
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 0)
        )
    }
    version = scorecards.publish(
        card, expected_version=card.version, note="First edition", actor=world["admin"]
    )
    db.session.commit()
    assert version.number == 1 and len(version.votes) == 4 and version.changes == []
    published = {
        r.person_id: r
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1)
        )
    }
    assert published.keys() == draft.keys() and len(published) >= 20
    # Recompute one legislator by hand from the stored member votes.
    person_id, row = next((p, r) for p, r in published.items() if r.has_score)
    aligned = eligible = 0
    for index, roll_call in enumerate(calls):
        weight = 2 if index == 0 else 1
        vote = db.session.scalar(
            select(MemberVote).where(
                MemberVote.roll_call_id == roll_call.id, MemberVote.person_id == person_id
            )
        )
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
    scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="", actor=world["staff"]
    )
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
        scorecards.score_roll_call(
            card, roll_call, aligned="yes", weight=weight, description="", actor=world["staff"]
        )
    assert db.session.scalars(select(ScorecardVote)).all() == []


def test_roll_call_from_another_session_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    other = db.session.scalar(
        select(RollCall)
        .join(Bill)
        .join(LegislativeSession)
        .where(LegislativeSession.identifier == "2023-2024", RollCall.chamber == "house")
    )
    with pytest.raises(EditError, match="2023-2024 session"):
        scorecards.score_roll_call(
            card, other, aligned="yes", weight=1, description="", actor=world["staff"]
        )


def test_count_unexcused_needs_excused_data(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EditError, match="records excused absences"):
        scorecards.create_scorecard(
            settings(world["session"], absence_policy="count_unexcused"), actor=world["staff"]
        )


def test_new_version_logs_corrections_and_keeps_the_old(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    first, second = house_roll_calls(world["session"])[:2]
    vote = scorecards.score_roll_call(
        card, first, aligned="yes", weight=1, description="A", actor=world["staff"]
    )
    v1 = scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    scorecards.edit_scored_vote(
        vote,
        aligned="yes",
        weight=2,
        description="A",
        expected_version=vote.version,
        actor=world["staff"],
    )
    scorecards.score_roll_call(
        card, second, aligned="no", weight=1, description="B", actor=world["staff"]
    )
    v2 = scorecards.publish(card, expected_version=None, note="Added a vote", actor=world["admin"])
    assert any(line.startswith("Added the vote on") for line in v2.changes)
    assert any("weight" in line and "from 1 to 2" in line for line in v2.changes)
    assert [v.weight for v in v1.votes] == [1]  # the first version stays frozen


def test_rescrape_changing_a_frozen_roll_call_raises_an_item(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    roll_call = house_roll_calls(world["session"])[0]
    scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="", actor=world["staff"]
    )
    version = scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    before = {
        r.person_id: (r.aligned_weight, r.eligible_weight)
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1)
        )
    }
    vote = next(v for v in roll_call.member_votes if v.option == "yes")
    vote.option = "no"  # what a re-scrape would do
    assert scorecards.check_frozen_roll_calls() == 1
    assert scorecards.check_frozen_roll_calls() == 0  # raised once
    item = db.session.scalars(select(DataQualityItem)).one()
    assert item.kind == "frozen_roll_call_changed" and "published version 1" in item.message
    scorecards.recompute_all()
    after = {
        r.person_id: (r.aligned_weight, r.eligible_weight)
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1)
        )
    }
    assert after == before and version.number == 1


def test_lifetime_pools_across_scorecards(world) -> None:  # type: ignore[no-untyped-def]
    old_session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2023-2024")
    )
    for session in (old_session, world["session"]):
        card = scorecards.create_scorecard(
            settings(session, title=session.identifier), actor=world["staff"]
        )
        for roll_call in house_roll_calls(session)[:3]:
            scorecards.score_roll_call(
                card, roll_call, aligned="yes", weight=1, description="", actor=world["staff"]
            )
        scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1)
    ).all()
    person_id = next(r.person_id for r in rows if r.eligible_weight >= 2)
    mine = [r for r in rows if r.person_id == person_id]
    lifetime = snapshots.lifetime([person_id])[person_id]
    assert lifetime.aligned_weight == sum(r.aligned_weight for r in mine)
    assert lifetime.eligible_weight == sum(r.eligible_weight for r in mine)
    assert lifetime.score == Fraction(100 * lifetime.aligned_weight, lifetime.eligible_weight)


def test_scoring_actions_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    roll_call = house_roll_calls(world["session"])[0]
    vote = scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="x", actor=world["staff"]
    )
    scorecards.edit_scored_vote(
        vote,
        aligned="no",
        weight=1,
        description="x",
        active=False,
        expected_version=vote.version,
        actor=world["staff"],
    )
    with pytest.raises(StaleEdit):
        scorecards.edit_scored_vote(
            vote, aligned="yes", weight=1, description="x", expected_version=1, actor=world["staff"]
        )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "scorecard").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == [
        "scorecard.create",
        "scored_vote.add",
        "scored_vote.remove",
    ]
    assert events[-1].before["aligned"] == "yes" and events[-1].after["active"] is False
    assert db.session.get(ScorecardVote, vote.id) is not None  # never deleted


def test_bench_data_and_recompute_cli(runner, app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracker import runs

    analyzed: list[int] = []
    real_analyze = runs.analyze

    def analyze() -> bool:  # the bulk ingest's planner statistics, once, after the data
        analyzed.append(db.session.scalar(select(func.count()).select_from(Bill)) or 0)
        return real_analyze()

    monkeypatch.setattr(runs, "analyze", analyze)
    result = runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert result.exit_code == 0, result.output
    assert len(analyzed) == 1 and analyzed[0] > 0
    assert "invented bench data: " in result.output and "16 scored" in result.output
    from tracker.models import Person, Scorecard

    assert all(
        p.family_name == "Benchwick" and p.is_demo for p in db.session.scalars(select(Person))
    )
    recompute = runner.invoke(args=["scores", "recompute"])
    assert recompute.output.strip() == "recomputed 2 draft(s) and 0 version(s)"
    card = db.session.scalars(select(Scorecard)).first()
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(LegislatorScoreRow.scorecard_id == card.id)
    ).all()
    assert len(rows) == 201
    again = runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert again.exit_code == 1 and "empty database" in again.output


def test_publish_after_a_scored_vote_changed_is_stale(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    first, second = house_roll_calls(world["session"])[:2]
    scorecards.score_roll_call(
        card, first, aligned="yes", weight=1, description="", actor=world["staff"]
    )
    seen = card.version  # the admin opens the publish form
    scorecards.score_roll_call(
        card, second, aligned="yes", weight=1, description="", actor=world["staff"]
    )
    with pytest.raises(StaleEdit):
        scorecards.publish(card, expected_version=seen, note="", actor=world["admin"])
    assert card.versions == []


# ---------------------------------------------------------------- the builder and publishing


def both_chambers_card(world):  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(
        settings(world["session"], chambers=["house", "senate"]), actor=world["staff"]
    )
    db.session.commit()
    return card


def all_candidates(card, **chosen):  # type: ignore[no-untyped-def]
    return scorecards.candidate_roll_calls(
        card, scorecards.CandidateFilter(**chosen), per_page=500
    ).items


def test_candidates_are_the_cards_roll_calls_filtered(world) -> None:  # type: ignore[no-untyped-def]
    card = both_chambers_card(world)
    session = world["session"]
    expected = db.session.scalars(
        select(RollCall.id)
        .join(Bill)
        .where(Bill.session_id == session.id, RollCall.kind != "committee")
    ).all()
    found = all_candidates(card)  # floor votes by default
    assert sorted(c.roll_call.id for c in found) == sorted(expected) and len(expected) > 10
    # committee roll calls (the demo has one) only when committee votes are chosen
    committee = all_candidates(card, committee_votes=True)
    assert [c.roll_call.kind for c in committee] == ["committee"]
    assert committee[0].roll_call.id not in expected
    dates = [c.roll_call.date for c in found]
    assert dates == sorted(dates, reverse=True)
    assert {c.position for c in found} == {"none"} and not any(c.suggested for c in found)
    # Chamber and kind filters.
    senate = all_candidates(card, chamber="senate")
    assert senate and {c.roll_call.chamber for c in senate} == {"senate"}
    amendments = all_candidates(card, kind="amendment")
    assert amendments and {c.roll_call.kind for c in amendments} == {"amendment"}
    assert len(all_candidates(card, kind="passage")) + len(amendments) + len(
        all_candidates(card, kind="motion")
    ) == len(found)
    # A session the card does not cover lists nothing; the card's own lists everything.
    old = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2023-2024")
    )
    assert all_candidates(card, session_id=old.id) == []
    assert len(all_candidates(card, session_id=session.id)) == len(found)
    # Verified only.
    found[0].roll_call.verified = False
    db.session.flush()
    assert found[0].roll_call.id not in {
        c.roll_call.id for c in all_candidates(card, verified_only=True)
    }


def test_candidates_take_the_published_position_or_the_companions(world) -> None:  # type: ignore[no-untyped-def]
    card = both_chambers_card(world)
    house_bill = next(
        rc.bill
        for rc in house_roll_calls(world["session"])
        if rc.bill.companion is not None
        and any(
            r.chamber == "senate"
            for r in db.session.scalars(
                select(RollCall).where(RollCall.bill_id == rc.bill.companion_id)
            )
        )
    )
    senate_bill = house_bill.companion
    scorecards.set_position(
        house_bill, "support", "", [], expected_version=None, actor=world["staff"]
    )
    assert all_candidates(card, position="support") == []  # a draft position is not published
    scorecards.publish_position(house_bill, expected_version=None, actor=world["admin"])
    supported = all_candidates(card, position="support")
    assert {c.roll_call.bill_id for c in supported} == {house_bill.id, senate_bill.id}
    for c in supported:
        assert c.position_via == (
            None if c.roll_call.bill_id == house_bill.id else house_bill.label
        )
        assert c.suggested == ("yes" if c.roll_call.kind == "passage" else None)
    # The Senate bill's own published position wins over its companion's.
    scorecards.set_position(
        senate_bill, "oppose", "", [], expected_version=None, actor=world["staff"]
    )
    scorecards.publish_position(senate_bill, expected_version=None, actor=world["admin"])
    opposed = all_candidates(card, position="oppose")
    assert {c.roll_call.bill_id for c in opposed} == {senate_bill.id}
    assert all(c.position_via is None for c in opposed)
    assert {c.suggested for c in opposed if c.roll_call.kind == "passage"} == {"no"}
    nothing = all_candidates(card, position="none")
    assert not {house_bill.id, senate_bill.id} & {c.roll_call.bill_id for c in nothing}


def test_candidates_already_scored_and_the_query_count(world) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import event

    card = both_chambers_card(world)
    roll_call = house_roll_calls(world["session"])[0]
    vote = scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="", actor=world["staff"]
    )
    scored = all_candidates(card, scored=True)
    assert [(c.roll_call.id, c.scored.id) for c in scored] == [(roll_call.id, vote.id)]
    assert roll_call.id not in {c.roll_call.id for c in all_candidates(card, scored=False)}
    scorecards.edit_scored_vote(
        vote,
        aligned="yes",
        weight=1,
        description="",
        active=False,
        expected_version=vote.version,
        actor=world["staff"],
    )
    assert all_candidates(card, scored=True) == []  # removed from the draft: a candidate again
    # Two queries whatever the page size (no query per row).
    statements: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    card.sessions, card.chambers  # noqa: B018 - loaded before counting
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for size in (2, 20):
            statements.clear()
            page = scorecards.candidate_roll_calls(
                card, scorecards.CandidateFilter(), per_page=size
            )
            assert len(page.items) == size
            read = [
                (
                    c.roll_call.bill.label,
                    c.roll_call.bill.title,  # what the page reads
                    c.roll_call.bill.session.name,
                )
                for c in page.items
            ]
            assert len(read) == size
            assert len(statements) == 2, statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_score_several_at_once_is_all_or_none_and_audited(world) -> None:  # type: ignore[no-untyped-def]
    card = both_chambers_card(world)
    first, second, third = house_roll_calls(world["session"])[:3]
    seen = card.version
    with pytest.raises(EditError, match=rf"choose the aligned vote .* for {second.bill.label} "):
        scorecards.score_roll_calls(
            card,
            [(first.public_id, "yes"), (second.public_id, "")],
            expected_version=seen,
            actor=world["staff"],
        )
    db.session.rollback()  # as the view does: the first one is not kept either
    assert db.session.scalars(select(ScorecardVote)).all() == []
    with pytest.raises(StaleEdit, match="changed by someone else"):
        scorecards.score_roll_calls(
            card, [(first.public_id, "yes")], expected_version=seen - 1, actor=world["staff"]
        )
    with pytest.raises(EditError, match="select at least one"):
        scorecards.score_roll_calls(card, [], expected_version=seen, actor=world["staff"])
    added = scorecards.score_roll_calls(
        card,
        [(first.public_id, "yes"), (second.public_id, "no"), (first.public_id, "yes")],
        expected_version=seen,
        actor=world["staff"],
    )
    assert [(v.roll_call_id, v.aligned, v.weight, v.description) for v in added] == [
        (first.id, "yes", 1, ""),
        (second.id, "no", 1, ""),
    ]
    assert card.version == seen + 2
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "scored_vote.add")
    ).all()
    assert sorted(e.after["roll_call"] for e in events) == sorted(
        [first.public_id, second.public_id]
    )
    with pytest.raises(EditError, match=rf"^{first.bill.label} .*already scored"):
        scorecards.score_roll_calls(
            card,
            [(third.public_id, "yes"), (first.public_id, "no")],
            expected_version=card.version,
            actor=world["staff"],
        )


def test_draft_changes_against_the_published_version(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    first, second, third = house_roll_calls(world["session"])[:3]
    keep = scorecards.score_roll_call(
        card, first, aligned="yes", weight=1, description="A", actor=world["staff"]
    )
    drop = scorecards.score_roll_call(
        card, second, aligned="yes", weight=1, description="B", actor=world["staff"]
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    before = scorecards.draft_changes(card)
    assert (before.number, before.previous, before.refusal) == (1, None, None)
    assert [v.roll_call_id for v in before.votes.added] == [first.id, second.id]
    assert {s.person.id for s in before.scores} == {r.person.id for r in before.draft.rows}
    assert all(s.before is None for s in before.scores)
    scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    db.session.commit()
    same = scorecards.draft_changes(card)
    assert same.number == 2 and same.nothing_changes and same.scores == []
    assert same.unchanged == len(same.draft.rows)

    # Reweight one vote, remove one, add one, change the bands and the participation.
    scorecards.edit_scored_vote(
        keep,
        aligned="no",
        weight=2,
        description="A",
        expected_version=keep.version,
        actor=world["staff"],
    )
    scorecards.edit_scored_vote(
        drop,
        aligned="yes",
        weight=1,
        description="B",
        active=False,
        expected_version=drop.version,
        actor=world["staff"],
    )
    scorecards.score_roll_call(
        card, third, aligned="no", weight=1, description="C", actor=world["staff"]
    )
    scorecards.update_scorecard(
        card,
        settings(world["session"], min_participation_pct=40, grade_bands=[(50, "P"), (0, "F")]),
        expected_version=None,
        actor=world["staff"],
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    diff = scorecards.draft_changes(card)
    assert [v.roll_call_id for v in diff.votes.added] == [third.id]
    assert [v.roll_call_id for v in diff.votes.removed] == [second.id]
    assert [(a.aligned, a.weight, b.aligned, b.weight) for a, b in diff.votes.changed] == [
        ("yes", 1, "no", 2)
    ]
    assert [key for key, _, _ in diff.settings] == ["min_participation_pct", "grade_bands"]
    assert diff.settings[1][1:] == ([[90, "A"], [80, "B"], [0, "F"]], [[50, "P"], [0, "F"]])
    # Every legislator is either listed with their displayed score and grade, or unchanged.
    old = snapshots.published(card.public_id)
    new = snapshots.draft(card)
    people = {r.person.id for r in old.rows} | {r.person.id for r in new.rows}
    assert len(diff.scores) + diff.unchanged == len(people)
    for change in diff.scores:
        was, now = old.row(change.person.id), new.row(change.person.id)
        assert (change.before, change.after) == (was, now)
        assert (was.display, was.grade) != (now.display, now.grade)
    assert diff.scores and not diff.nothing_changes


def test_draft_changes_say_why_publishing_would_be_refused(world) -> None:  # type: ignore[no-untyped-def]
    card = scorecards.create_scorecard(settings(world["session"]), actor=world["staff"])
    db.session.commit()
    assert (
        scorecards.draft_changes(card).refusal
        == "a scorecard with no scored votes cannot be published"
    )
    roll_call = house_roll_calls(world["session"])[0]
    roll_call.verified = False
    scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="", actor=world["staff"]
    )
    db.session.commit()
    refusal = scorecards.draft_changes(card).refusal
    assert refusal is not None and refusal.startswith("1 scored roll call(s) are not verified")
    with pytest.raises(EditError) as refused:
        scorecards.publish(card, expected_version=None, note="", actor=world["admin"])
    assert str(refused.value) == refusal
