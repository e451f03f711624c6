"""Which score is a legislator's headline: the one rule for the legislator page,
``/find``, the share tags and images, embeds, alerts and one-page PDFs.

Admins feature a published scorecard (``/admin/featured``): one for every
chamber and, if they wish, one per chamber, which wins for that chamber's
members.  A legislator the featured scorecard does not include, and everyone
until an admin chooses, gets the **oldest** published scorecard that includes
them (the one first published).  So publishing a new scorecard, a two-vote test
included, never changes anyone's headline: only an admin's choice does.  The
other scorecards follow the headline, newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from tracker import audit, dataversion, edits, snapshots
from tracker.extensions import db
from tracker.models import FeaturedScorecard, Scorecard, User
from tracker.models.common import utcnow
from tracker.models.scorecards import FEATURED_CHAMBERS
from tracker.snapshots import Row, Snapshot

DEFAULT_RULE = (
    "Until an admin features a scorecard, each legislator's headline score is "
    "the one from the oldest published scorecard that includes them; publishing "
    "another scorecard never changes it."
)


class FeatureError(ValueError):
    """A choice that cannot be saved; the message says why."""


def choices() -> dict[str, FeaturedScorecard]:
    """The admins' choices, by chamber (``all``, ``house``, ``senate``)."""
    return {row.chamber: row for row in db.session.scalars(select(FeaturedScorecard))}


def _order(
    pairs: Iterable[tuple[Snapshot, Row]], featured: dict[str, int]
) -> list[tuple[Snapshot, Row]]:
    pairs = list(pairs)
    if not pairs:
        return []

    def rank(pair: tuple[Snapshot, Row]) -> tuple[int, object, int]:
        snap, row = pair
        chosen = (
            0
            if featured.get(row.chamber) == snap.card.id
            else 1
            if featured.get("all") == snap.card.id
            else 2
        )
        return (chosen, snap.card.versions[0].published_at, snap.card.id)

    head = min(pairs, key=rank)
    rest = [p for p in pairs if p is not head]  # already newest first
    return [head, *rest]


# the featured scorecard ids, read once per data version (featuring one bumps it):
# every legislator page and /find ranks headlines by them
_featured: dataversion.Kept[dict[str, int]] = dataversion.Kept()


def _featured_ids() -> dict[str, int]:
    return dict(_featured.get(_read_featured_ids))


def _read_featured_ids() -> dict[str, int]:
    return {chamber: row.scorecard_id for chamber, row in choices().items()}


def ordered(person_id: int, snaps: Sequence[Snapshot] | None = None) -> list[tuple[Snapshot, Row]]:
    """The person's row on every published scorecard that covers them, the headline
    first (module docstring), then the others newest first."""
    return _order(snapshots.for_person(person_id, snaps), _featured_ids())


def headlines(
    person_ids: Iterable[int], snaps: Sequence[Snapshot] | None = None
) -> dict[int, tuple[Snapshot, Row]]:
    """The headline snapshot and row of each person who has one."""
    snaps = list(snaps) if snaps is not None else snapshots.latest()
    featured = _featured_ids()
    found: dict[int, tuple[Snapshot, Row]] = {}
    for person_id in set(person_ids):
        pairs = _order(snapshots.for_person(person_id, snaps), featured)
        if pairs:
            found[person_id] = pairs[0]
    return found


def feature(
    chamber: str, card: Scorecard | None, *, expected_version: int | None, actor: User | str
) -> None:
    """Feature ``card`` for ``chamber`` (``None``: back to the default rule).  Only a
    published scorecard can be featured.  Audited; a stale form is refused."""
    if chamber not in FEATURED_CHAMBERS:
        raise FeatureError(f"choose all, house or senate, not {chamber!r}")
    if isinstance(actor, User) and not actor.is_admin:
        raise FeatureError("only admins choose the featured scorecard")
    row = db.session.scalar(select(FeaturedScorecard).where(FeaturedScorecard.chamber == chamber))
    if row is not None:
        edits.lock(row)
    current = row.version if row is not None else 0
    if expected_version is not None and expected_version != current:
        raise FeatureError(
            "someone changed the featured scorecard since you opened the page; "
            "reload it and choose again"
        )
    if card is not None and not snapshots.published(card.public_id):
        raise FeatureError(f"{card.title!r} has no published version to feature")
    previous = row.scorecard if row is not None else None
    if card is None and previous is None:
        return  # the default rule already
    if card is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(
            FeaturedScorecard(
                chamber=chamber, scorecard_id=card.id, updated_by_id=getattr(actor, "id", None)
            )
        )
    else:
        row.scorecard_id, row.updated_at = card.id, utcnow()
        row.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        actor,
        "scorecard.feature",
        card or previous,
        before={"chamber": chamber, "scorecard": previous.title if previous else None},
        after={"chamber": chamber, "scorecard": card.title if card else None},
    )


__all__ = ["DEFAULT_RULE", "FeatureError", "choices", "feature", "headlines", "ordered"]
