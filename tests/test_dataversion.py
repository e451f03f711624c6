"""The data version moves when shown data changes, and only then: a staff edit of
a draft (a position, a scorecard's settings, a scored vote, the draft scores)
empties no public cache; publishing does (tracker.dataversion)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tracker import dataversion, scorecards, snapshots
from tracker.extensions import db
from tracker.models import Bill, BillPosition, Scorecard


@pytest.fixture
def demo(app: Any, demo_full: None) -> None:
    """The demo legislature with its published positions and scorecards."""


def test_drafts_move_nothing_publishing_does(demo: None) -> None:
    bill = db.session.scalars(select(Bill).join(BillPosition).order_by(Bill.id)).first()
    position = scorecards.position_for(bill)
    version = dataversion.current()
    scorecards.set_position(
        bill,
        "oppose",
        "A draft rationale nobody sees yet.",
        [],
        expected_version=position.version,
        actor="test",
    )
    db.session.commit()
    assert dataversion.current() == version
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first()
    draft_before = snapshots.draft(card)
    card.description = "A new draft description."
    card.version += 1
    scorecards.recompute_draft(card)
    db.session.commit()
    assert dataversion.current() == version
    assert snapshots.draft(card) is not draft_before  # the draft is kept by its own version
    scorecards.publish_position(bill, expected_version=position.version, actor="test")
    db.session.commit()
    assert dataversion.current() > version
    published = dataversion.current()
    scorecards.publish(card, expected_version=None, note="A correction.", actor="test")
    db.session.commit()
    assert dataversion.current() > published
