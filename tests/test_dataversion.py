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


def test_values_kept_per_data_version_follow_each_change(demo: None) -> None:
    """What pages read once per data version (published positions by roll call, the
    published versions of each scorecard, the featured scorecards, whether
    boundaries are imported and which) is read again
    after a committed change that bumps it, and a transaction's own change is read,
    not served the kept value."""
    from tracker import headline, lookup, maps, reads
    from tracker.models import DistrictShape, RollCall

    bill = db.session.scalars(
        select(Bill).join(RollCall, RollCall.bill_id == Bill.id).order_by(Bill.id)
    ).first()
    calls = [
        rc.id for rc in db.session.scalars(select(RollCall).where(RollCall.bill_id == bill.id))
    ]
    position = scorecards.position_for(bill)
    before = reads.positions_by_roll_call(calls)
    wanted = "oppose" if before.get(calls[0]) == "support" else "support"
    scorecards.set_position(bill, wanted, "Why.", [], expected_version=position.version, actor="t")
    scorecards.publish_position(bill, expected_version=None, actor="t")
    assert reads.positions_by_roll_call(calls) == dict.fromkeys(calls, wanted)  # own change
    assert all(kept.get(calls[0]) != wanted for kept in reads._positions._kept.values())
    db.session.commit()
    assert reads.positions_by_roll_call(calls) == dict.fromkeys(calls, wanted)
    assert reads.positions_by_roll_call([]) == {}

    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    first = snapshots.published(card.public_id)
    assert first is not None and snapshots.published(card.public_id, first.version.number)
    assert snapshots.published(card.public_id, first.version.number + 1) is None
    assert snapshots.published("no-such-scorecard") is None
    scorecards.publish(card, expected_version=None, note="A correction.", actor="t")
    db.session.commit()
    latest = snapshots.published(card.public_id)
    assert latest is not None and latest.version.number == first.version.number + 1
    old = snapshots.published(card.public_id, first.version.number)
    assert old is not None and old.version.number == first.version.number

    assert headline._featured_ids().get("house") != card.id
    headline.feature("house", card, expected_version=None, actor="t")
    db.session.commit()
    assert headline._featured_ids()["house"] == card.id

    assert lookup.shapes_available() is False  # the demo's shapes are invented
    stamp = maps._stamp.get(maps._read_stamp)
    db.session.add(
        DistrictShape(
            chamber="senate", district="99", geometry='{"type": "Polygon", "coordinates": []}',
            min_lon=-94.0, min_lat=45.0, max_lon=-93.9, max_lat=45.1, source_file="real.zip",
        )
    )  # fmt: skip
    db.session.flush()
    assert lookup.shapes_available() is True  # this transaction's own row
    db.session.commit()
    assert lookup.shapes_available() is True
    assert maps._stamp.get(maps._read_stamp) != stamp


def test_a_kept_value_is_read_in_one_step(app: Any) -> None:
    """Threads of one worker share a kept value: one that finds it must not lose it
    to another that moves the keep to a newer version between the check and the
    read (a KeyError in a page)."""

    class Racing(dict):  # another thread empties the keep right after any check
        def __contains__(self, key: object) -> bool:
            found = super().__contains__(key)
            self.clear()
            return found

    kept: dataversion.Kept[int] = dataversion.Kept()
    assert kept.get(lambda: 1) == 1  # kept for this version
    kept._kept = Racing(kept._kept)
    assert kept.get(lambda: 2) == 1  # still the kept value, read in one step
