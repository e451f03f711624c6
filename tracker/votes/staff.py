"""Staff actions on roll calls and printed names: map a name to a person,
verify by hand, re-verify after the roster changed.  Audited; the caller commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

from scrapers import vocab
from scrapers.vote_records import ParsedRollCall
from tracker import edits, quality, roster, seats
from tracker.audit import record
from tracker.extensions import db
from tracker.models import (
    DataQualityItem,
    JournalRoll,
    JournalRollEntry,
    NameMapping,
    Person,
    RollCall,
    User,
)
from tracker.models.common import utcnow
from tracker.votes.storage import after_votes_changed
from tracker.votes.verification import (
    Applied,
    Context,
    apply_votes,
    resolve_settled_name_items,
    unmatched_votes,
)

MIN_HAND_REASON = 20


class VotesError(ValueError):
    """A staff action that cannot be done; the message says why.  Nothing changed."""


def parsed_from_stored(rc: RollCall) -> ParsedRollCall:
    votes = sorted(rc.member_votes, key=lambda mv: mv.id or 0)
    yes = tuple(mv.printed_name or "" for mv in votes if mv.option == vocab.YES)
    no = tuple(mv.printed_name or "" for mv in votes if mv.option == vocab.NO)
    return ParsedRollCall(
        bill_type=rc.bill.bill_type,
        number=rc.bill.number,
        chamber=rc.chamber,
        date=rc.date,
        motion=rc.motion,
        description_lines=(rc.motion,),
        amendment_id=rc.amendment_id,
        yeas=rc.yeas,
        nays=rc.nays,
        journal_page=rc.journal_page,
        yes_names=yes,
        no_names=no,
        position=rc.sequence,
        outcome=rc.outcome,
        source_url=rc.source_url or "",
    )


def reverify(rc: RollCall, ctx: Context | None = None) -> Applied:
    """Re-resolve and re-verify a stored roll call from its stored printed names (a
    committee roll call by the committee's rule: ``tracker.committee_votes``)."""
    ctx = ctx or Context.load()
    if rc.kind == "committee":
        from tracker import committee_votes  # it builds on this package

        return committee_votes.reverify(rc, ctx)
    return apply_votes(rc, parsed_from_stored(rc), ctx, rc.bill.session_id)


def reverify_days(chamber: str | None = None, days: Iterable[dt.date] | None = None) -> int:
    """Re-verify the stored roll calls of ``days`` (every day when None) after the
    roster changed; returns how many changed votes or verification."""
    query = select(RollCall)
    if chamber is not None:
        query = query.where(RollCall.chamber == chamber)
    if days is not None:
        query = query.where(RollCall.date.in_(list(days)))
    ctx = Context.load()
    changed: list[int] = []
    for rc in db.session.scalars(query.order_by(RollCall.date, RollCall.id)).all():
        applied = reverify(rc, ctx)
        if applied.changed_votes or applied.verified_changed:
            changed.append(rc.id)
    resolve_settled_name_items()
    after_votes_changed(changed)
    return len(changed)


def _roll_entries(chamber: str, printed: str, session_id: int | None) -> list[JournalRollEntry]:
    from scrapers.names import name_key

    query = (
        select(JournalRollEntry)
        .join(JournalRoll)
        .where(JournalRoll.chamber == chamber, JournalRollEntry.person_id.is_(None))
    )
    if session_id is not None:
        query = query.where(JournalRoll.session_id == session_id)
    wanted = name_key(printed)
    return [e for e in db.session.scalars(query) if name_key(e.printed_name) == wanted]


def map_name(
    target: DataQualityItem | tuple[str, str, int | None],
    person: Person,
    actor: User | str,
) -> tuple[NameMapping, list[RollCall]]:
    """Remember that ``printed_name`` in ``chamber`` (and session, if given) is
    ``person``; re-resolve every stored journal roll entry and unmatched vote
    printed that way.  Returns the mapping and the roll calls re-verified."""
    if isinstance(target, DataQualityItem):
        edits.lock(target)
        details = target.details or {}
        if target.kind != "unmatched_name" or not details.get("printed_name"):
            raise VotesError("this item is not an unmatched name")
        if target.status != "open":
            raise VotesError(
                "this name was already resolved (by someone else just now, or "
                "earlier); reload the page to see how"
            )
        chamber = details.get("chamber", "")
        printed = details["printed_name"]
        session_id = details.get("session_id")
    else:
        chamber, printed, session_id = target
    printed = " ".join((printed or "").split())
    if chamber not in vocab.CHAMBERS or not printed:
        raise VotesError("give a chamber and a printed name")
    chamber_name = vocab.CHAMBER_NAMES[chamber]
    votes = unmatched_votes(chamber, printed, session_id)
    entries = _roll_entries(chamber, printed, session_id)
    if votes and not any(seats.seat_of(person.id, chamber, mv.roll_call.date) for mv in votes):
        raise VotesError(
            f"{person.name} was not seated in the {chamber_name} on the date "
            f"of any vote printed {printed!r}; choose someone seated then"
        )
    if entries and not votes:
        book = roster.Roster.load()
        candidates = {
            seat.person_key
            for entry in entries
            for tier in book.roll_candidates(chamber, entry.roll.day)[0]
            for seat in tier.seats
        }
        if str(person.id) not in candidates:
            raise VotesError(
                f"no roster source places {person.name} in the {chamber_name} near the day of "
                f"the journal roll printing {printed!r}; confirm their term first"
            )
    mapping = db.session.scalar(
        select(NameMapping).where(
            NameMapping.chamber == chamber,
            NameMapping.printed_name == printed,
            NameMapping.session_id.is_(None)
            if session_id is None
            else NameMapping.session_id == session_id,
        )
    )
    before = None
    if mapping is None:
        mapping = NameMapping(
            chamber=chamber,
            printed_name=printed,
            session_id=session_id,
            person_id=person.id,
            created_by_id=quality.actor_id(actor),
        )
        db.session.add(mapping)
    else:
        before = {"person": mapping.person_id}
        mapping.person_id = person.id
    db.session.flush()
    record(
        actor,
        "name_mapping.save",
        mapping,
        before=before,
        after={
            "chamber": chamber,
            "printed_name": printed,
            "session_id": session_id,
            "person": person.public_id,
            "person_name": person.name,
        },
    )
    days = {e.roll.day for e in entries}
    if days:
        roster.reresolve_rolls(chamber, days)
    ctx = Context.load()
    roll_calls = sorted(
        {mv.roll_call for mv in votes} | set(_roll_calls_on(chamber, days)), key=lambda rc: rc.id
    )
    changed: list[int] = []
    for rc in roll_calls:
        applied = reverify(rc, ctx)
        if applied.changed_votes or applied.verified_changed:
            changed.append(rc.id)
    if (
        isinstance(target, DataQualityItem)
        and target.status == "open"
        and not unmatched_votes(chamber, printed, session_id)
        and not _roll_entries(chamber, printed, session_id)
    ):
        quality.auto_resolve([target], f"Mapped to {person.name}.")
        target.resolved_by_id = quality.actor_id(actor)
    resolve_settled_name_items()
    after_votes_changed(changed)
    db.session.flush()
    return mapping, roll_calls


def _roll_calls_on(chamber: str, days: set[dt.date]) -> list[RollCall]:
    if not days:
        return []
    return list(
        db.session.scalars(
            select(RollCall).where(RollCall.chamber == chamber, RollCall.date.in_(sorted(days)))
        )
    )


def verify_by_hand(rc: RollCall, reason: str, actor: User | str) -> RollCall:
    """Mark ``rc`` verified with a written reason (shown publicly); audited."""
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_HAND_REASON:
        raise VotesError(
            f"write the reason for verifying by hand (at least {MIN_HAND_REASON} characters); "
            "it is shown publicly beside the vote"
        )
    if len(reason) > 2000:
        raise VotesError("the reason may have at most 2,000 characters")
    edits.lock(rc)
    if rc.verified:
        raise VotesError("this roll call is already verified (perhaps by someone else just now)")
    before = {
        "verified": rc.verified,
        "verified_by_hand": rc.verified_by_hand,
        "verification_note": rc.verification_note,
    }
    rc.verified = True
    rc.verified_by_hand = True
    rc.verified_by_id = quality.actor_id(actor)
    rc.verified_at = utcnow()
    rc.verification_note = reason
    record(
        actor,
        "roll_call.verify_by_hand",
        rc,
        before=before,
        after={"verified": True, "verified_by_hand": True, "verification_note": reason},
    )
    for item in quality.open_items(["unverified_roll_call"], roll_call_id=rc.id):
        quality.auto_resolve([item], f"Verified by hand: {reason}")
        item.resolved_by_id = quality.actor_id(actor)
    after_votes_changed([rc.id])
    db.session.flush()
    return rc


__all__ = [
    "MIN_HAND_REASON",
    "VotesError",
    "map_name",
    "parsed_from_stored",
    "reverify",
    "reverify_days",
    "verify_by_hand",
]
