"""The per-process caches of ``tracker.snapshots``.

Lifetime scores are computed for everyone once per data version and kept (asked
for one person or a whole scorecard); they must equal each person's computed
alone, and a change to shown data must never serve the kept ones.  Snapshots
missing from the cache are built once however many threads of a worker ask for
them at the same moment (after every change to shown data, all of them do)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tracker import benchdata, scorecards, snapshots
from tracker.extensions import db
from tracker.models import Person, Scorecard


def _publish_generated() -> list[Scorecard]:
    benchdata.generate("tiny")  # invented data: two sessions, 201 seats, turnover
    cards = list(db.session.scalars(select(Scorecard).order_by(Scorecard.id)))
    for card in cards:
        scorecards.publish(card, expected_version=None, note="test", actor="test")
    db.session.commit()
    return cards


def test_kept_lifetimes_equal_each_person_alone(app: Flask) -> None:
    """The first ask, even for one person, computes everyone's once and keeps them:
    each equals that person's computed alone."""
    _publish_generated()
    snapshots.clear()
    latest = snapshots.latest()
    ids = sorted({r.person.id for s in latest for r in s.rows})
    alone = {p: snapshots._lifetime_of([p], latest)[p] for p in ids}
    assert not snapshots._lifetimes
    first = snapshots.lifetime([ids[0]], latest)
    assert first == {ids[0]: alone[ids[0]]}
    assert len(snapshots._lifetimes) == 1
    (kept,) = snapshots._lifetimes.values()
    assert kept == alone  # everyone's, from the one ask
    together = snapshots.lifetime(ids, latest)
    assert len(snapshots._lifetimes) == 1
    assert together == alone
    assert any(s.score is not None for s in together.values())
    # a person on no scorecard is scored apart (no score), the others read the table
    stranger = Person(name="Not Seated Anywhere", family_name="Anywhere")
    db.session.add(stranger)
    db.session.flush()
    scored = snapshots.lifetime([ids[0], stranger.id], latest)
    assert scored[ids[0]] == alone[ids[0]]
    assert scored[stranger.id].score is None and scored[stranger.id].votes_possible == 0


def test_a_data_change_is_never_served_kept_lifetimes(app: Flask) -> None:
    cards = _publish_generated()
    snapshots.clear()
    latest = snapshots.latest()
    ids = [r.person.id for r in latest[0].rows]
    before = snapshots.lifetime(ids, latest)
    # the newest card's aligned votes turned around and published again: lifetimes move
    card = cards[-1]
    for vote in [v for v in card.votes if v.active]:
        scorecards.edit_scored_vote(
            vote,
            aligned="no",
            weight=vote.weight,
            description=vote.description,
            expected_version=None,
            actor="test",
        )
    scorecards.recompute_draft(card)
    scorecards.publish(card, expected_version=None, note="fewer", actor="test")
    db.session.commit()
    latest = snapshots.latest()
    after = snapshots.lifetime(ids, latest)
    assert after == {p: snapshots._lifetime_of([p], latest)[p] for p in ids}
    assert after != before


def test_threads_missing_the_same_snapshots_build_them_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    snapshots.clear()
    builds: list[list[int]] = []

    def slow_build(versions: list[Any]) -> list[Any]:
        builds.append([v.id for v in versions])
        time.sleep(0.2)  # long enough for every thread to miss meanwhile
        return [f"snapshot of version {v.id}" for v in versions]

    monkeypatch.setattr(snapshots, "build", slow_build)
    monkeypatch.setattr(snapshots.dataversion, "current", lambda: 424242)
    versions = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    barrier = threading.Barrier(8)
    results: list[list[Any]] = []

    def read() -> None:
        barrier.wait(timeout=10)
        results.append(snapshots.of_versions(versions))  # type: ignore[arg-type]

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    snapshots.clear()
    assert builds == [[1, 2]]
    assert results == [["snapshot of version 1", "snapshot of version 2"]] * 8


def test_which_versions_are_latest_is_kept_by_data_version_never_stale(app: Flask) -> None:
    """``latest()`` keeps which versions are the latest by data version: unchanged
    data reads no row for it; a publish is seen at once, before its commit (in its
    own transaction) and after it."""
    from sqlalchemy import event

    def shown() -> dict[int, int]:
        return {s.card.id: s.version.number for s in snapshots.latest()}

    cards = _publish_generated()
    snapshots.clear()
    first = shown()
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert shown() == first
        assert not [s for s in statements if "scorecard_version" in s]  # kept
        card = cards[0]
        card.title = f"{card.title} (revised)"
        scorecards.publish(card, expected_version=None, note="again", actor="test")
        assert shown() == {**first, card.id: first[card.id] + 1}  # its own change
        db.session.commit()
        assert shown() == {**first, card.id: first[card.id] + 1}
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
