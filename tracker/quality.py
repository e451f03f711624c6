"""Data-quality items: what does not reconcile with the record, for staff.

Flagged, never guessed.  An item has a kind (``KINDS``), a stable key (its
fingerprint: flagging the same thing twice refreshes one item) and links to
what it is about (roll call, bill, person, source URL).  Items resolve
themselves when a later scrape settles them, or staff resolve them with a
note; every staff resolution is audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from tracker import edits
from tracker.audit import record
from tracker.extensions import db
from tracker.models import DataQualityItem, RollCall, User
from tracker.models.common import utcnow

KINDS = {
    "unverified_roll_call": "Unverified roll calls",
    "unmatched_name": "Unmatched names",
    "roster_conflict": "Roster sources that disagree",
    "seat_conflict": "Two people for one seat on one day",
    "author_mismatch": "Authors whose member key points at someone else",
    "tally_mismatch": "Tallies that disagree between sources",
    "ambiguous_link": "Roll calls that match more than one bill action",
    "roll_call_identity": "Scored roll calls that could not be matched with certainty",
    "frozen_roll_call_changed": "Published roll calls whose votes changed",
    "seated_mismatch": "Tallies that do not add up to the members seated",
    "roll_count": "House Journal rolls that do not name every seated member",
    # committees and hearings (tracker.committees, tracker.hearings, tracker.committee_votes)
    "hearing_without_time": "Hearings posted without a time",
    "hearing_moved_twice": "Hearings moved more than once in a day",
    "hearing_identity": "Hearings the schedule no longer tells apart",
    "committee_member_unmatched": "Committee members not matched to a legislator",
    "committee_nonmember": "Committee votes by legislators not on the committee that day",
}


class QualityError(ValueError):
    """A staff action on an item that cannot be done; the message says why."""


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def flag(
    kind: str,
    key: str,
    message: str,
    *,
    roll_call: RollCall | None = None,
    bill_id: int | None = None,
    person_id: int | None = None,
    source_url: str | None = None,
    details: dict[str, Any] | None = None,
) -> DataQualityItem:
    """Open (or refresh) the item with this kind and key; never duplicates.  A
    resolved item that is flagged again stays resolved (staff decided)."""
    if kind not in KINDS:
        raise ValueError(f"unknown data-quality kind {kind!r}")
    print_ = fingerprint(kind, key)
    item = db.session.scalar(select(DataQualityItem).where(DataQualityItem.fingerprint == print_))
    if item is None:
        item = DataQualityItem(kind=kind, fingerprint=print_, status="open", message=message)
        db.session.add(item)
    if item.message != message:
        item.message = message
    if roll_call is not None and item.roll_call_id != roll_call.id:
        item.roll_call_id = roll_call.id
    bill_id = bill_id if bill_id is not None else (roll_call.bill_id if roll_call else None)
    if bill_id is not None and item.bill_id != bill_id:
        item.bill_id = bill_id
    if person_id is not None and item.person_id != person_id:
        item.person_id = person_id
    source_url = source_url or (roll_call.source_url if roll_call else None)
    if source_url and item.source_url != source_url:
        item.source_url = source_url[:1000]
    if details is not None and item.details != details:
        item.details = details
    return item


def find(kind: str, key: str) -> DataQualityItem | None:
    return db.session.scalar(
        select(DataQualityItem).where(DataQualityItem.fingerprint == fingerprint(kind, key))
    )


def auto_resolve(items: Iterable[DataQualityItem], resolution: str) -> int:
    """Resolve the open ones among ``items`` (a later scrape settled them)."""
    count = 0
    now = utcnow()
    for item in items:
        if item.status == "open":
            item.status = "resolved"
            item.resolved_at = now
            item.resolution = resolution
            count += 1
    return count


def open_items(kinds: Sequence[str], **where: Any) -> list[DataQualityItem]:
    """Open items of ``kinds`` (``roll_call_id=``, ``person_id=`` narrow them)."""
    query = select(DataQualityItem).where(
        DataQualityItem.kind.in_(kinds), DataQualityItem.status == "open"
    )
    for column, value in where.items():
        query = query.where(getattr(DataQualityItem, column) == value)
    return list(db.session.scalars(query.order_by(DataQualityItem.id)))


def actor_id(actor: User | str) -> int | None:
    return actor.id if isinstance(actor, User) else None


def resolve_item(item: DataQualityItem, resolution: str, actor: User | str) -> DataQualityItem:
    """Mark an open item resolved with a note; audited."""
    resolution = " ".join((resolution or "").split())
    edits.lock(item)
    if item.status != "open":
        raise QualityError("this item is already resolved")
    if len(resolution) < 3:
        raise QualityError("write a short note saying how it was resolved")
    if len(resolution) > 2000:
        raise QualityError("the note may have at most 2,000 characters")
    item.status = "resolved"
    item.resolved_at = utcnow()
    item.resolved_by_id = actor_id(actor)
    item.resolution = resolution
    db.session.flush()
    record(
        actor,
        "data_quality.resolve",
        item,
        before={"status": "open"},
        after={"status": "resolved", "resolution": resolution, "kind": item.kind},
    )
    return item


__all__ = [
    "KINDS",
    "QualityError",
    "actor_id",
    "auto_resolve",
    "find",
    "fingerprint",
    "flag",
    "open_items",
    "resolve_item",
]
