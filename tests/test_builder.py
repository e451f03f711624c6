"""Two writers at once on the scorecard builder and the publish confirmation, through
the real stack (the harness of ``tests/test_concurrency.py``: a threaded server on
the demo data, committed for real on SQLite or PostgreSQL, two signed-in browsers
posting at the same instant).

Two staff members each add a different roll call from the builder page they both
loaded: one is told the votes were added, the other that the scorecard changed
since (the scorecard's version check), and only the winner's vote is scored, with
one audit event.  Two admins confirming the same publish produce one version.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import test_concurrency
from tests.test_concurrency import HEAVY, Browser, audit_count, judge, race, trials
from tracker import scorecards
from tracker.extensions import db
from tracker.models import LegislativeSession, RollCall, Scorecard, ScorecardVersion, ScorecardVote

pytestmark = pytest.mark.committed
live = test_concurrency.live  # the fixture: the app served on a local port, two admins


def _race_card() -> tuple[str, int]:
    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    )
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Race Scorecard",
            description="",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=True,
        ),
        actor="test",
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    return card.public_id, card.id


def test_two_staff_add_from_the_builder_at_once(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    public_id, card_id = _race_card()
    page_path = f"/staff/scorecards/{public_id}/builder?kind=passage"

    def run(i: int) -> None:
        before = audit_count("scored_vote.add")
        forms: list[dict[str, Any]] = []
        wanted: list[str] = []
        for n, browser in enumerate(browsers):
            page = browser.page(page_path)
            listed = page.xpath("//input[@name='roll_call']/@value")
            assert len(listed) >= 2, "the builder lists the candidates"
            fields = browser.form(page, page_path)
            fields["roll_call"] = [listed[n]]
            fields[f"aligned-{listed[n]}"] = "yes"
            forms.append(fields)
            wanted.append(listed[n])
        assert wanted[0] != wanted[1]
        winner = judge(race(browsers, page_path, tuple(forms), "Added 1 vote"), "Added 1 vote")
        db.session.rollback()
        active = db.session.scalars(
            select(ScorecardVote).where(
                ScorecardVote.scorecard_id == card_id, ScorecardVote.active.is_(True)
            )
        ).all()
        assert [v.roll_call.public_id for v in active] == [wanted[winner]]
        assert audit_count("scored_vote.add") == before + 1
        # Back to an empty draft for the next trial (removed votes are candidates again).
        card = db.session.get(Scorecard, card_id)
        for vote in active:
            scorecards.edit_scored_vote(
                vote,
                aligned=vote.aligned,
                weight=vote.weight,
                description=vote.description,
                active=False,
                expected_version=vote.version,
                actor="test",
            )
        scorecards.recompute_draft(card)
        db.session.commit()

    trials(HEAVY, run)


def test_two_admins_confirm_one_publish(live: tuple[Flask, str]) -> None:
    app, base = live
    browsers = (Browser(app, base, "one@example.org"), Browser(app, base, "two@example.org"))
    public_id, card_id = _race_card()
    card = db.session.get(Scorecard, card_id)
    roll_call = db.session.scalar(
        select(RollCall)
        .where(
            RollCall.chamber == "house",
            RollCall.kind == "passage",
            RollCall.id.in_(
                [
                    c.roll_call.id
                    for c in scorecards.candidate_roll_calls(
                        card, scorecards.CandidateFilter()
                    ).items
                ]
            ),
        )
        .order_by(RollCall.id)
    )
    scorecards.score_roll_call(
        card, roll_call, aligned="yes", weight=1, description="", actor="test"
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    action = f"/staff/scorecards/{public_id}/publish"

    def run(i: int) -> None:
        db.session.rollback()
        versions = db.session.scalar(
            select(func.count())
            .select_from(ScorecardVersion)
            .where(ScorecardVersion.scorecard_id == card_id)
        )
        forms = []
        for browser in browsers:
            page = browser.page(action)  # the confirmation page
            assert page.xpath(f"//button[text()='Publish version {versions + 1}']")
            fields = browser.form(page, action)
            fields["note"] = f"Publish trial {i}."
            forms.append(fields)
        judge(race(browsers, action, tuple(forms), "Published version"), "Published version")
        db.session.rollback()
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ScorecardVersion)
                .where(ScorecardVersion.scorecard_id == card_id)
            )
            == versions + 1
        )

    trials(HEAVY, run)
