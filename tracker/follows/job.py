"""The scheduler's ``follows`` job: scan for events, queue the "as it happens"
emails, build the digests that are due.  One writing transaction, serialised by
a lock on a ``follow_state`` row (two runs at once, a cron run and a "run now",
wait for each other); the outbox's ``mail`` job sends what it queued."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker import edits
from tracker.extensions import db
from tracker.follows import delivery, events
from tracker.models.common import utcnow
from tracker.models.follows import FollowState

LOCK = "job"


def _lock() -> None:
    row = db.session.scalar(select(FollowState).where(FollowState.name == LOCK).with_for_update())
    if row is None:
        db.session.add(FollowState(name=LOCK))
        db.session.flush()
        db.session.scalar(select(FollowState).where(FollowState.name == LOCK).with_for_update())


def run(now: dt.datetime | None = None) -> dict[str, int]:
    """Scan, queue, build digests; counts by what was found and queued
    (``found_<kind>``, ``immediate``, ``daily``, ``weekly``)."""
    now = now or utcnow()
    db.session.commit()
    with edits.writing():
        _lock()
        counts = {f"found_{kind}": n for kind, n in events.scan(now).items()}
        counts["immediate"] = delivery.queue_immediate(now)
        counts.update(delivery.queue_digests(now))
        db.session.commit()
    return counts


__all__ = ["run"]
