"""Published scorecards in the public API, serialised from their snapshots.

Every document here is a published version's ``tracker.snapshots.Snapshot``
(cached by the data version, the rows in the one order: chamber, district,
name) put into the shape of ``tracker.api.schemas``; nothing is recomputed.
A scorecard's draft is never read, so it cannot leak.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, g
from sqlalchemy import func, select

from tracker import snapshots
from tracker.api import bp, schemas, serialize
from tracker.api.openapi import documented
from tracker.extensions import db
from tracker.models import Person
from tracker.pagecache import cached_page


def _people_changed() -> dt.datetime | None:
    """When a name or id the documents show last changed (an ingest of people)."""
    return db.session.scalar(
        select(func.max(func.coalesce(Person.last_seen_at, Person.created_at)))
    )


def _last_changed(snaps: list[snapshots.Snapshot]) -> dt.datetime | None:
    """The latest publish (lifetime scores change with any) or ingest of people."""
    moments = [s.version.published_at for s in snaps]
    people = _people_changed()
    if people is not None:
        moments.append(people)
    return max(moments, default=None)


@bp.get("/scorecards")
@cached_page
@documented(schemas.ScorecardList)
def scorecards() -> schemas.ScorecardList:
    """Published scorecards, newest first (their latest published versions)."""
    snaps = snapshots.latest()
    g.last_modified = max((s.version.published_at for s in snaps), default=None)
    return schemas.ScorecardList(
        items=[serialize.scorecard_item(s) for s in snaps], total=len(snaps)
    )


@bp.get("/scorecards/<public_id>")
@cached_page
@documented(schemas.ScorecardDetail, query=schemas.ScorecardQuery, not_found=True)
def scorecard(public_id: str, query: schemas.ScorecardQuery) -> schemas.ScorecardDetail:
    """One published version with every legislator's score and votes.

    Everything needed to recompute every score: the methodology, each scored vote once
    (its facts, aligned vote and weight, under a short key) and each legislator's vote
    on each as a map from that key.  Lifetime scores are as of the latest published
    versions.  404 for an unknown or unpublished scorecard or version."""
    latest = snapshots.latest()  # first: one build for every card's latest version
    snap = snapshots.published(public_id, query.version)
    if snap is None:
        if query.version is not None and snapshots.published(public_id) is not None:
            abort(
                404,
                description=f"Scorecard {public_id!r} has no published version {query.version}.",
            )
        abort(404, description=f"No published scorecard with id {public_id!r}.")
    lifetime = snapshots.lifetime([row.person.id for row in snap.rows], latest)
    g.last_modified = _last_changed(latest)
    return serialize.scorecard_detail(snap, lifetime)
