"""Who voted how on one roll call, checked against the record.

Every printed name is resolved to the one person the seat rule
(``tracker.seats``) counts as seated in that chamber that day (remembered
``NameMapping`` rows win).  Members seated that day who are in neither list
are ``not_voting``, or, in the House, ``excused`` when that day's House
Journal roll excuses them for the whole day.  A roll call is ``verified`` only
when :func:`scrapers.reconcile.verify` says so; otherwise it keeps its
counts, ``verified`` is false, the reasons are in ``verification_note`` and
each problem is a data-quality item (stable fingerprints, resolved
automatically when a later run verifies it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from scrapers import vocab
from scrapers.names import Excluded, NameResolution, Seat, Tier, name_key, resolve_names
from scrapers.reconcile import Verification, verify
from scrapers.vote_records import ParsedRollCall
from tracker import quality
from tracker.extensions import db
from tracker.models import Bill, MemberVote, RollCall
from tracker.roster import Roster, day_roll

# Items about one roll call's verification: resolved when it verifies.
VERIFICATION_KINDS = ("unverified_roll_call", "seated_mismatch")


@dataclass
class Context:
    """What one run (or one staff action) resolves names with: the roster, and
    the seated members per chamber and day (recomputed after the roster changes)."""

    roster: Roster
    _candidates: dict[tuple[str, dt.date], tuple[list[Seat], list[Excluded]]] = field(
        default_factory=dict
    )

    @classmethod
    def load(cls) -> Context:
        return cls(Roster.load())

    def reload(self) -> None:
        """The roster changed (a journal roll was read): load it again."""
        self.roster = Roster.load()
        self._candidates.clear()

    def candidates(self, chamber: str, day: dt.date) -> tuple[list[Seat], list[Excluded]]:
        key = (chamber, day)
        if key not in self._candidates:
            self._candidates[key] = self.roster.vote_candidates(chamber, day)
        return self._candidates[key]

    def mappings_for(self, chamber: str, session_id: int | None) -> dict[str, str]:
        return self.roster.mappings(chamber, session_id)


def resolve_voters(
    names: list[str], chamber: str, day: dt.date, ctx: Context, session_id: int | None
) -> tuple[NameResolution, list[Seat]]:
    """Resolve printed voter names among the members seated that day."""
    seated, excluded = ctx.candidates(chamber, day)
    resolution = resolve_names(
        names,
        tiers=[Tier("seated", tuple(seated))],
        mappings=ctx.mappings_for(chamber, session_id),
        excluded=excluded,
        where=f"seated in the {vocab.CHAMBER_NAMES[chamber]} on {day.isoformat()}",
    )
    return resolution, seated


@dataclass
class Applied:
    changed_votes: bool
    verified_changed: bool


def excused_people(rc: RollCall, verification: Verification, on: dt.date) -> set[str]:
    """The people (keys) to store as excused: seated, in neither list, and excused
    for the whole day by that day's House Journal roll.  When no roll of that day
    is stored, whatever is stored stays as it is."""
    if not verification.not_voting:
        return set()
    stored = {
        str(mv.person_id)
        for mv in rc.member_votes
        if mv.option == vocab.EXCUSED and mv.person_id is not None
    }
    if rc.chamber != vocab.HOUSE:
        return set()
    roll = day_roll(vocab.HOUSE, on)
    if roll is None:
        return stored & set(verification.not_voting)
    excused = {
        str(e.person_id) for e in roll.entries if e.status == "excused" and e.person_id is not None
    }
    if roll.all_absent_excused:
        on_roll = {str(e.person_id) for e in roll.entries if e.person_id is not None}
        excused |= set(verification.not_voting) - on_roll
    return excused & set(verification.not_voting)


def _desired_votes(
    parsed: ParsedRollCall,
    resolution: NameResolution,
    verification: Verification,
    excused: set[str],
) -> list[tuple[int | None, str | None, str]]:
    rows: list[tuple[int | None, str | None, str]] = []
    used: set[str] = set()
    for option, names in ((vocab.YES, parsed.yes_names), (vocab.NO, parsed.no_names)):
        for raw in names:
            printed = " ".join(raw.split())
            if not printed:
                continue
            person = resolution.matched.get(printed)
            if person is not None and person in used:
                person = None  # a duplicate: kept by its printed name only
            if person is not None:
                used.add(person)
            rows.append((int(person) if person else None, printed[:200], option))
    for person in verification.not_voting:
        if person not in used:
            option = vocab.EXCUSED if person in excused else vocab.NOT_VOTING
            rows.append((int(person), None, option))
    return rows


def apply_votes(
    rc: RollCall, parsed: ParsedRollCall, ctx: Context, session_id: int | None
) -> Applied:
    """Resolve ``parsed``'s names, store the member votes, verify and flag ``rc``.

    Excused absences come from the stored House Journal roll of the day
    (``tracker.journals`` reads it before the roll calls of that day)."""
    on = parsed.date or rc.date
    names = [*parsed.yes_names, *parsed.no_names]
    resolution, seated = resolve_voters(names, rc.chamber, on, ctx, session_id)
    verification = verify(parsed, resolution, seated)

    desired = _desired_votes(parsed, resolution, verification, excused_people(rc, verification, on))
    current = [(mv.person_id, mv.printed_name, mv.option) for mv in rc.member_votes]
    changed = Counter(current) != Counter(desired)
    if changed:
        rc.member_votes.clear()
        db.session.flush()
        for person_id, printed, option in desired:
            rc.member_votes.append(
                MemberVote(person_id=person_id, printed_name=printed, option=option)
            )
        db.session.flush()

    was_verified = rc.verified
    if verification.verified:
        if not rc.verified:
            rc.verified = True
        if not rc.verified_by_hand and rc.verification_note is not None:
            rc.verification_note = None
        quality.auto_resolve(
            quality.open_items([*VERIFICATION_KINDS, "tally_mismatch"], roll_call_id=rc.id),
            "Verified by a later scrape: the member lists equal the tallies and every "
            "name resolved to a member seated that day.",
        )
    else:
        note = " ".join(verification.reasons)
        if rc.verified_by_hand and not changed:
            pass  # staff verified this exact data by hand; keep their decision
        else:
            if rc.verified_by_hand:
                note = "The source changed after staff verified it by hand. " + note
                rc.verified_by_hand = False
                rc.verified_by_id = None
                rc.verified_at = None
            if rc.verified:
                rc.verified = False
            if rc.verification_note != note:
                rc.verification_note = note
            flag_unverified(rc, verification, resolution, session_id, on)
    if not verification.reconciles:
        quality.flag(
            "seated_mismatch",
            f"{rc.public_id}:{len(seated)}:{len(verification.not_voting)}",
            f"{label(rc)}: {verification.reasons[-1]}",
            roll_call=rc,
            details={
                "seated": len(seated),
                "yeas": rc.yeas,
                "nays": rc.nays,
                "not_voting": len(verification.not_voting),
            },
        )
    return Applied(changed_votes=changed, verified_changed=was_verified != rc.verified)


def label(rc: RollCall) -> str:
    bill = rc.bill or db.session.get(Bill, rc.bill_id)
    what = f"{rc.motion}" + (f" ({rc.amendment_id})" if rc.amendment_id else "")
    chamber = vocab.CHAMBER_NAMES.get(rc.chamber, rc.chamber)
    bill_label = bill.label if bill is not None else f"bill {rc.bill_id}"
    return f"{bill_label}, {chamber} {rc.date.isoformat()}, {what}, {rc.yeas}-{rc.nays}"


def flag_unverified(
    rc: RollCall,
    verification: Verification,
    resolution: NameResolution,
    session_id: int | None,
    on: dt.date,
) -> None:
    reasons = list(verification.reasons)
    key = f"{rc.public_id}:{quality.fingerprint(*reasons)[:16]}"
    item = quality.flag(
        "unverified_roll_call",
        key,
        f"{label(rc)} is not verified: " + " ".join(reasons),
        roll_call=rc,
        details={"reasons": reasons},
    )
    db.session.flush()
    # Older reasons for the same roll call are superseded by this one.
    quality.auto_resolve(
        [
            i
            for i in quality.open_items(["unverified_roll_call"], roll_call_id=rc.id)
            if i.id != item.id
        ],
        "Superseded by a later scrape with different reasons.",
    )
    for printed, reason in resolution.unmatched.items():
        quality.flag(
            "unmatched_name",
            unmatched_key(rc.chamber, session_id, printed),
            f"The printed name {printed!r} ({vocab.CHAMBER_NAMES[rc.chamber]}) is not matched: "
            f"{reason}.",
            roll_call=rc,
            details={
                "printed_name": printed,
                "chamber": rc.chamber,
                "date": on.isoformat(),
                "session_id": session_id,
                "reason": reason,
            },
        )


def unmatched_key(chamber: str, session_id: int | None, printed: str) -> str:
    return f"{chamber}:{session_id}:{name_key(printed)}"


def unmatched_votes(chamber: str, printed: str, session_id: int | None) -> list[MemberVote]:
    query = (
        select(MemberVote)
        .join(RollCall, MemberVote.roll_call_id == RollCall.id)
        .where(MemberVote.person_id.is_(None), RollCall.chamber == chamber)
    )
    if session_id is not None:
        query = query.where(RollCall.bill.has(Bill.session_id == session_id))
    wanted = name_key(printed)
    return [mv for mv in db.session.scalars(query) if name_key(mv.printed_name or "") == wanted]


def resolve_settled_name_items() -> int:
    """Resolve open ``unmatched_name`` items of roll calls whose printed name no
    longer has an unmatched member vote in that chamber (and session).  Items from
    journal rolls are settled by the roster when the roll is resolved again."""
    count = 0
    for item in quality.open_items(["unmatched_name"]):
        details = item.details or {}
        if details.get("source") in ("journal_roll", "house_journal"):
            continue
        if not unmatched_votes(
            details.get("chamber", ""), details.get("printed_name", ""), details.get("session_id")
        ):
            count += quality.auto_resolve(
                [item], "Every vote with this printed name is now matched."
            )
    return count


__all__ = [
    "VERIFICATION_KINDS",
    "Applied",
    "Context",
    "apply_votes",
    "excused_people",
    "flag_unverified",
    "label",
    "resolve_settled_name_items",
    "resolve_voters",
    "unmatched_key",
    "unmatched_votes",
]
