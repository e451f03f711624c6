"""Roll-call votes, member by member, for both chambers: fetch, store, verify.

* House: ``POST /Votes/GetVoteSummary`` lists the bills with votes in a session
  (by ``LegislativeSession.house_vote_key``); each bill's ``/Votes/Details`` page
  gives every roll-call panel with its names.  A bill's page is fetched again
  only when its House actions show a tally that no stored roll call has (or
  with ``full``/``bill``).
* Senate: each Senate action with a tally and a journal page and no verified
  roll call linked to it is looked up through the journal API (``gotopage``),
  the day's journal PDF is fetched (once per run) and the roll call with that
  tally is read from the pages around it.  Every vote is its own item: one
  failing vote never stops the bill or the run.

Storage rules (README, "Roll-call votes"):

* identity is (bill, chamber, date, journal page, amendment id, motion);
  ``sequence`` only numbers panels identical in all of those.  A roll call
  that staff scored is never re-pointed: when it would change identity or
  cannot be matched with certainty it is left as it is and flagged;
* every printed name is resolved to the one person seated in that chamber on
  that date (remembered ``NameMapping`` rows win); members seated that day who
  are in neither list are ``not_voting`` (never anyone not seated), or, in the
  House, ``excused`` when the House Journal of that day (``Votes/GetPage``,
  read once per journal day per run) excuses them for the day.  A journal that
  cannot be fetched or read is an error on the run and changes nothing;
  excused names that match nobody are ``unmatched_name`` items;
* a roll call is ``verified`` only when :func:`scrapers.reconcile.verify` says
  so; otherwise it keeps its counts, ``verified`` is false, the reasons are in
  ``verification_note`` and each problem is a ``DataQualityItem`` (stable
  fingerprints, resolved automatically when a later run verifies it).

Staff actions (:func:`map_name`, :func:`verify_by_hand`, :func:`resolve_item`)
are audited; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from scrapers import house_journal, house_votes, senate_journal, vocab
from scrapers.http import FetchError, HttpClient
from scrapers.names import Seat, name_key, resolve_names, seated_on
from scrapers.parsing import ParseError
from scrapers.reconcile import Verification, verify
from scrapers.sources import Sources
from scrapers.vote_records import ParsedRollCall, VoteSummaryItem
from tracker.audit import record
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    ChamberSessionData,
    DataQualityItem,
    LegislativeSession,
    MemberVote,
    NameMapping,
    Person,
    PersonName,
    RollCall,
    Scorecard,
    ScorecardVote,
    ScrapeRun,
    Term,
    User,
)
from tracker.models.common import utcnow

if TYPE_CHECKING:
    from tracker.pipeline import _Run

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# The printed names a House roll call's journal day lists as excused, or None when
# they are not known (no journal, or it could not be read).
ExcusedLookup = Callable[["RollCall", ParsedRollCall], "tuple[str, ...] | None"]

MIN_HAND_REASON = 20
KINDS = {
    "unverified_roll_call": "Unverified roll calls",
    "unmatched_name": "Unmatched names",
    "tally_mismatch": "Tallies that disagree between sources",
    "ambiguous_link": "Roll calls that match more than one bill action",
    "roll_call_identity": "Scored roll calls that could not be matched with certainty",
    "frozen_roll_call_changed": "Published roll calls whose votes changed",
    "seated_mismatch": "Tallies that do not add up to the members seated",
}
_HOUSE_JOURNAL_NOTE = (
    "House roll calls come from the House vote pages (Votes/Details), which list only the "
    "members voting yes and no. Excused absences come from the House Journal attendance lists "
    '("X and Y were excused.") of the roll call\'s journal day: a member seated that day who '
    "is in neither list and whom the journal excuses for the day is recorded as excused; "
    "every other seated member in neither list, including members excused only for part of "
    "the day, is recorded as not voting, as are all absences on roll calls whose journal "
    "could not be read."
)
_JOURNAL_SOURCE = "house_journal"
# Items about one roll call's verification: resolved when it verifies.
_VERIFICATION_KINDS = ("unverified_roll_call", "seated_mismatch")
_EXCUSED_NOTES = {
    vocab.HOUSE: (
        "House roll calls come from the House vote pages (Votes/Details), which list "
        "only the members voting yes and no. Members seated that day who are in neither "
        "list are recorded as not voting. The House Journal lists excused members, but "
        "this tracker has not read it for this session yet, so no House absence is "
        "recorded as excused."
    ),
    vocab.SENATE: (
        "Senate roll calls come from the Senate Journal, which lists the members voting "
        "yes and no but not absences per vote. Members seated that day who are in "
        "neither list are recorded as not voting, never as excused."
    ),
}
_PASSAGE = re.compile(r"passage|passed|third reading|repass|final", re.I)
_AMENDMENT = re.compile(r"\bamendments?\b", re.I)
_OUTCOMES = (
    (re.compile(r"did not prevail", re.I), "did not prevail"),
    (re.compile(r"prevailed", re.I), "prevailed"),
    (re.compile(r"not adopted", re.I), "not adopted"),
    (re.compile(r"adopted", re.I), "adopted"),
    (re.compile(r"failed|not pass", re.I), "failed"),
    (re.compile(r"passed|repassed", re.I), "passed"),
)


class VotesError(ValueError):
    """A staff action that cannot be done; the message says why.  Nothing changed."""


# ---------------------------------------------------------------- helpers


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _page_digits(page: str | None) -> int | None:
    digits = re.sub(r"\D", "", page or "")
    return int(digits) if digits else None


def kind_of(motion: str, amendment_id: str) -> str:
    if amendment_id or _AMENDMENT.search(motion):
        return "amendment"
    if _PASSAGE.search(motion):
        return "passage"
    return "motion"


def outcome_of(sentence: str | None) -> str | None:
    """The Senate journal's outcome sentence, shortened ("passed", "not adopted")."""
    if not sentence:
        return None
    for pattern, short in _OUTCOMES:
        if pattern.search(sentence):
            return short
    return sentence[:30]


def load_seats() -> list[Seat]:
    """Every term of every person as a :class:`Seat` (person key = ``Person.id``)."""
    forms: dict[int, list[str]] = defaultdict(list)
    for person_id, name in db.session.execute(select(PersonName.person_id, PersonName.name)):
        forms[person_id].append(name)
    people = {
        p.id: p
        for p in db.session.scalars(select(Person).where(Person.id.in_(select(Term.person_id))))
    }
    seats = []
    for term in db.session.scalars(select(Term).order_by(Term.person_id, Term.start_date)):
        person = people[term.person_id]
        seats.append(
            Seat(
                person_key=str(person.id),
                chamber=term.chamber,
                district=term.district,
                start=term.start_date,
                end=term.end_date,
                name_forms=tuple(forms.get(person.id, ())),
                family_name=person.family_name,
                given_name=person.given_name,
            )
        )
    return seats


def load_mappings(chamber: str, session_id: int | None) -> dict[str, str]:
    """Remembered printed name -> person key; a session's own mapping wins."""
    rows = db.session.scalars(
        select(NameMapping).where(
            NameMapping.chamber == chamber,
            (NameMapping.session_id.is_(None)) | (NameMapping.session_id == session_id),
        )
    ).all()
    rows = sorted(rows, key=lambda m: m.session_id is not None)  # session-specific last
    return {m.printed_name: str(m.person_id) for m in rows}


@dataclass
class Context:
    """What one run (or one staff action) resolves names with."""

    seats: list[Seat]
    mappings: dict[tuple[str, int | None], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Context:
        return cls(load_seats())

    def mappings_for(self, chamber: str, session_id: int | None) -> dict[str, str]:
        key = (chamber, session_id)
        if key not in self.mappings:
            self.mappings[key] = load_mappings(chamber, session_id)
        return self.mappings[key]


# ---------------------------------------------------------------- data quality


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
    """Open (or refresh) the item with this kind and key; never duplicates."""
    fingerprint = _fingerprint(kind, key)
    item = db.session.scalar(
        select(DataQualityItem).where(DataQualityItem.fingerprint == fingerprint)
    )
    if item is None:
        item = DataQualityItem(kind=kind, fingerprint=fingerprint, status="open")
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


def _auto_resolve(items: Iterable[DataQualityItem], resolution: str) -> int:
    count = 0
    now = utcnow()
    for item in items:
        if item.status == "open":
            item.status = "resolved"
            item.resolved_at = now
            item.resolution = resolution
            count += 1
    return count


def _open_items(roll_call_id: int, kinds: Sequence[str]) -> list[DataQualityItem]:
    return list(
        db.session.scalars(
            select(DataQualityItem).where(
                DataQualityItem.roll_call_id == roll_call_id,
                DataQualityItem.kind.in_(kinds),
                DataQualityItem.status == "open",
            )
        )
    )


def resolve_settled_name_items() -> int:
    """Resolve open ``unmatched_name`` items whose printed name no longer has an
    unmatched member vote in that chamber (and session)."""
    count = 0
    for item in db.session.scalars(
        select(DataQualityItem).where(
            DataQualityItem.kind == "unmatched_name", DataQualityItem.status == "open"
        )
    ).all():
        details = item.details or {}
        if details.get("source") == _JOURNAL_SOURCE:
            continue  # settled when a later journal read matches the name
        if not _unmatched_votes(
            details.get("chamber", ""), details.get("printed_name", ""), details.get("session_id")
        ):
            count += _auto_resolve([item], "Every vote with this printed name is now matched.")
    return count


def _unmatched_votes(chamber: str, printed: str, session_id: int | None) -> list[MemberVote]:
    query = (
        select(MemberVote)
        .join(RollCall, MemberVote.roll_call_id == RollCall.id)
        .where(MemberVote.person_id.is_(None), RollCall.chamber == chamber)
    )
    if session_id is not None:
        query = query.join(Bill, RollCall.bill_id == Bill.id).where(Bill.session_id == session_id)
    wanted = name_key(printed)
    return [mv for mv in db.session.scalars(query) if name_key(mv.printed_name or "") == wanted]


# ---------------------------------------------------------------- one roll call


@dataclass
class Applied:
    changed_votes: bool
    verified_changed: bool


def _desired_votes(
    parsed: ParsedRollCall,
    resolution: Any,
    verification: Verification,
    excused: set[str] | frozenset[str] = frozenset(),
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


def _excused_people(
    rc: RollCall,
    parsed: ParsedRollCall,
    verification: Verification,
    ctx: Context,
    session_id: int | None,
    on: dt.date,
    lookup: ExcusedLookup | None,
) -> set[str]:
    """The people (keys) to store as excused: seated, in neither list, and excused
    for the day by the House Journal.  Without a lookup, or when the journal
    could not be read, whatever is stored stays as it is."""
    stored = {
        str(mv.person_id)
        for mv in rc.member_votes
        if mv.option == vocab.EXCUSED and mv.person_id is not None
    }
    if not verification.not_voting:
        return set()
    if lookup is None or rc.chamber != vocab.HOUSE:
        return stored & set(verification.not_voting)
    printed = lookup(rc, parsed)
    if printed is None:
        return stored & set(verification.not_voting)
    resolution = resolve_names(
        printed,
        chamber=rc.chamber,
        on=on,
        seats=ctx.seats,
        mappings=ctx.mappings_for(rc.chamber, session_id),
    )
    for name in resolution.matched:
        fingerprint = _fingerprint(
            "unmatched_name", _journal_name_key(rc.chamber, session_id, name)
        )
        _auto_resolve(
            db.session.scalars(
                select(DataQualityItem).where(DataQualityItem.fingerprint == fingerprint)
            ),
            "The name now matches a member seated that day.",
        )
    for name, reason in resolution.unmatched.items():
        flag(
            "unmatched_name",
            _journal_name_key(rc.chamber, session_id, name),
            f"The House Journal lists {name!r} as excused on {on.isoformat()}, but the name "
            f"is not matched: {reason}. Absences stay recorded as not voting until it is.",
            roll_call=rc,
            details={
                "printed_name": name,
                "chamber": rc.chamber,
                "date": on.isoformat(),
                "session_id": session_id,
                "reason": reason,
                "source": _JOURNAL_SOURCE,
            },
        )
    return set(resolution.matched.values()) & set(verification.not_voting)


def _journal_name_key(chamber: str, session_id: int | None, printed: str) -> str:
    return f"{chamber}:{session_id}:{name_key(printed)}:{_JOURNAL_SOURCE}"


def apply_votes(
    rc: RollCall,
    parsed: ParsedRollCall,
    ctx: Context,
    session_id: int | None,
    excused: ExcusedLookup | None = None,
) -> Applied:
    """Resolve ``parsed``'s names, store the member votes, verify and flag ``rc``.

    ``excused`` gives the House Journal's excused names for the roll call's day
    (called only when someone seated is in neither list); without it, members
    already stored as excused stay so while they are still in neither list."""
    on = parsed.date or rc.date
    seats = ctx.seats
    mappings = ctx.mappings_for(rc.chamber, session_id)
    names = [*parsed.yes_names, *parsed.no_names]
    resolution = resolve_names(names, chamber=rc.chamber, on=on, seats=seats, mappings=mappings)
    seated = seated_on(seats, rc.chamber, on)
    verification = verify(parsed, resolution, seated)

    excused_people = _excused_people(rc, parsed, verification, ctx, session_id, on, excused)
    desired = _desired_votes(parsed, resolution, verification, excused_people)
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
        _auto_resolve(
            _open_items(rc.id, (*_VERIFICATION_KINDS, "tally_mismatch")),
            "Verified by a later scrape: the member lists equal the tallies and every "
            "name resolved.",
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
            _flag_unverified(rc, verification, resolution, session_id, on)
    if not verification.reconciles:
        flag(
            "seated_mismatch",
            f"{rc.public_id}:{len(seated)}:{len(verification.not_voting)}",
            f"{_label(rc)}: {verification.reasons[-1]}",
            roll_call=rc,
            details={
                "seated": len(seated),
                "yeas": rc.yeas,
                "nays": rc.nays,
                "not_voting": len(verification.not_voting),
            },
        )
    return Applied(changed_votes=changed, verified_changed=was_verified != rc.verified)


def _label(rc: RollCall) -> str:
    bill = rc.bill or db.session.get(Bill, rc.bill_id)
    what = f"{rc.motion}" + (f" ({rc.amendment_id})" if rc.amendment_id else "")
    chamber = vocab.CHAMBER_NAMES.get(rc.chamber, rc.chamber)
    label = bill.label if bill is not None else f"bill {rc.bill_id}"
    return f"{label}, {chamber} {rc.date.isoformat()}, {what}, {rc.yeas}-{rc.nays}"


def _flag_unverified(
    rc: RollCall,
    verification: Verification,
    resolution: Any,
    session_id: int | None,
    on: dt.date,
) -> None:
    reasons = list(verification.reasons)
    key = f"{rc.public_id}:{_fingerprint(*reasons)[:16]}"
    item = flag(
        "unverified_roll_call",
        key,
        f"{_label(rc)} is not verified: " + " ".join(reasons),
        roll_call=rc,
        details={"reasons": reasons},
    )
    db.session.flush()
    # Older reasons for the same roll call are superseded by this one.
    _auto_resolve(
        [i for i in _open_items(rc.id, ("unverified_roll_call",)) if i.id != item.id],
        "Superseded by a later scrape with different reasons.",
    )
    for printed, reason in resolution.unmatched.items():
        flag(
            "unmatched_name",
            f"{rc.chamber}:{session_id}:{name_key(printed)}",
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


# ---------------------------------------------------------------- linking


def link_candidates(
    rc_yeas: int, rc_nays: int, on: dt.date, page: str, actions: Sequence[BillAction]
) -> list[BillAction]:
    """Actions matching a roll call: tally first, then date, then journal page
    (within one page; letters ignored).  More than one means a tie."""
    found = [a for a in actions if (a.yeas, a.nays) == (rc_yeas, rc_nays)]
    if len(found) > 1:
        dated = [a for a in found if a.date == on]
        if dated:
            found = dated
        elif all(a.date is not None for a in found):
            found = []
    elif found and found[0].date is not None and found[0].date != on:
        found = []
    if len(found) > 1:
        wanted = _page_digits(page)
        if wanted is not None:
            near = [
                a
                for a in found
                if (p := _page_digits(a.journal_page)) is not None and abs(p - wanted) <= 1
            ]
            if near:
                found = near
    return found


def _tally_mismatch(rc: RollCall, actions: Sequence[BillAction]) -> None:
    """Flag an action on the roll call's date and page (within one) whose tally differs."""
    wanted = _page_digits(rc.journal_page)
    for action in actions:
        if action.yeas is None or action.nays is None or action.date != rc.date:
            continue
        page = _page_digits(action.journal_page)
        if wanted is None or page is None or abs(page - wanted) > 1:
            continue
        if (action.yeas, action.nays) == (rc.yeas, rc.nays):
            continue
        flag(
            "tally_mismatch",
            f"{rc.public_id}:{action.id}:{action.yeas}-{action.nays}:{rc.yeas}-{rc.nays}",
            f"{_label(rc)}: the bill's action {action.text!r} (journal page "
            f"{action.journal_page}) records {action.yeas}-{action.nays}, the vote page "
            f"{rc.yeas}-{rc.nays}.",
            roll_call=rc,
            details={
                "action_id": action.id,
                "action_tally": [action.yeas, action.nays],
                "roll_call_tally": [rc.yeas, rc.nays],
            },
        )


def link_house_roll_calls(bill: Bill, roll_calls: Sequence[RollCall]) -> None:
    """Link each roll call to the one House action it matches; ties stay unlinked."""
    actions = [
        a
        for a in bill.actions
        if a.chamber == vocab.HOUSE and a.yeas is not None and a.nays is not None
    ]
    choice: dict[int, list[BillAction]] = {}
    for rc in roll_calls:
        choice[rc.id] = link_candidates(rc.yeas, rc.nays, rc.date, rc.journal_page, actions)
    claims: Counter[int] = Counter(c[0].id for c in choice.values() if len(c) == 1)
    for rc in roll_calls:
        found = choice[rc.id]
        target = found[0].id if len(found) == 1 and claims[found[0].id] == 1 else None
        if target is None and (len(found) > 1 or (found and claims[found[0].id] > 1)):
            flag(
                "ambiguous_link",
                f"{rc.public_id}",
                f"{_label(rc)} matches more than one bill action, or an action that another "
                "roll call also matches; it was left unlinked rather than guessed.",
                roll_call=rc,
                details={"actions": [a.id for a in found]},
            )
        if target is None and not found:
            _tally_mismatch(rc, actions)
        if target is None and rc.action_id is not None:
            # Keep an existing link to a now-ambiguous action only if still a candidate.
            if rc.action_id in {a.id for a in found}:
                continue
        if rc.action_id != target:
            rc.action_id = target


# ---------------------------------------------------------------- upsert


def _scored(rc_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(ScorecardVote)
            .where(ScorecardVote.roll_call_id == rc_id)
        )
    )


def _identity(p: ParsedRollCall) -> tuple[Any, ...]:
    return (p.date, p.journal_page[:20], p.amendment_id[:50], p.motion[:500])


def _rc_identity(rc: RollCall) -> tuple[Any, ...]:
    return (rc.date, rc.journal_page, rc.amendment_id, rc.motion)


def _fill(rc: RollCall, p: ParsedRollCall, source_url: str) -> bool:
    values = {
        "yeas": p.yeas,
        "nays": p.nays,
        "kind": kind_of(p.motion, p.amendment_id),
        "outcome": outcome_of(p.outcome),
        "source_url": source_url[:500],
    }
    changed = False
    for name, value in values.items():
        if getattr(rc, name) != value:
            setattr(rc, name, value)
            changed = True
    rc.last_seen_at = utcnow()
    return changed


@dataclass
class Stored:
    roll_call: RollCall
    outcome: str  # new | changed | unchanged
    affects_scores: bool


def store_house_page(
    bill_of: Callable[[str, int], Bill | None],
    panels: Sequence[ParsedRollCall],
    ctx: Context,
    session_id: int,
    on_failure: Callable[[str, str], None],
    excused: ExcusedLookup | None = None,
) -> list[Stored]:
    """Upsert the panels of one Details page (one requested bill); ``excused`` as
    for :func:`apply_votes`."""
    results: list[Stored] = []
    by_bill: dict[tuple[str, int], list[ParsedRollCall]] = defaultdict(list)
    for panel in panels:
        by_bill[(panel.bill_type, panel.number)].append(panel)
    for (bill_type, number), group in by_bill.items():
        bill = bill_of(bill_type, number)
        if bill is None:
            on_failure(
                f"{bill_type}{number}",
                "a panel names a bill that is not stored; run `tracker scrape bills` first",
            )
            continue
        results.extend(_store_bill_panels(bill, group, ctx, session_id, on_failure, excused))
    return results


def _store_bill_panels(
    bill: Bill,
    panels: Sequence[ParsedRollCall],
    ctx: Context,
    session_id: int,
    on_failure: Callable[[str, str], None],
    excused: ExcusedLookup | None = None,
) -> list[Stored]:
    stored = list(
        db.session.scalars(
            select(RollCall)
            .where(RollCall.bill_id == bill.id, RollCall.chamber == vocab.HOUSE)
            .order_by(RollCall.sequence)
        )
    )
    stored_groups: dict[tuple[Any, ...], list[RollCall]] = defaultdict(list)
    for rc in stored:
        stored_groups[_rc_identity(rc)].append(rc)
    parsed_groups: dict[tuple[Any, ...], list[ParsedRollCall]] = defaultdict(list)
    for panel in panels:
        parsed_groups[_identity(panel)].append(panel)

    results: list[Stored] = []
    matched_ids: set[int] = set()
    unmatched_panels: list[ParsedRollCall] = []
    for key, group in parsed_groups.items():
        olds = stored_groups.get(key, [])
        scored = [rc for rc in olds if _scored(rc.id)]
        uncertain = len(group) > 1 or len(olds) > 1
        if (
            uncertain
            and scored
            and (
                len(olds) != len(group)
                or any(
                    (rc.yeas, rc.nays) != (group[rc.sequence].yeas, group[rc.sequence].nays)
                    for rc in scored
                    if rc.sequence < len(group)
                )
            )
        ):
            for rc in scored:
                matched_ids.add(rc.id)
                flag(
                    "roll_call_identity",
                    f"{rc.public_id}:uncertain",
                    f"{_label(rc)} is scored, and the vote page now has {len(group)} panel(s) "
                    f"identical in bill, date, journal page, amendment and motion where "
                    f"{len(olds)} were stored; it cannot be matched with certainty, so it was "
                    "left unchanged.",
                    roll_call=rc,
                    details={"stored": len(olds), "on_page": len(group)},
                )
            for rc in olds:
                matched_ids.add(rc.id)
            continue
        by_seq = {rc.sequence: rc for rc in olds}
        for sequence, panel in enumerate(group):
            rc = by_seq.get(sequence)
            if rc is None:
                unmatched_panels.append(panel)
                continue
            matched_ids.add(rc.id)
            results.append(_update(rc, panel, ctx, session_id, excused))

    # Stored scored roll calls the page no longer shows under the same identity.
    missing_scored = [rc for rc in stored if rc.id not in matched_ids and _scored(rc.id)]
    next_sequence: dict[tuple[Any, ...], int] = {}
    explained: set[int] = set()
    for panel in unmatched_panels:
        twin = next(
            (
                rc
                for rc in missing_scored
                if (rc.date, rc.yeas, rc.nays, rc.amendment_id)
                == (panel.date, panel.yeas, panel.nays, panel.amendment_id[:50])
            ),
            None,
        )
        if twin is not None:
            explained.add(twin.id)
            flag(
                "roll_call_identity",
                f"{twin.public_id}:moved:{'|'.join(str(x) for x in _identity(panel))}",
                f"{_label(twin)} is scored, and the vote page now shows it with a different "
                f"journal page or motion ({panel.journal_page!r}, {panel.motion!r}). The "
                "scored roll call was left unchanged; check the source and re-score if needed.",
                roll_call=twin,
                source_url=panel.source_url,
                details={"journal_page": panel.journal_page, "motion": panel.motion},
            )
            continue
        key = _identity(panel)
        sequence = next_sequence.get(key, len(stored_groups.get(key, [])))
        next_sequence[key] = sequence + 1
        results.append(_create(bill, panel, sequence, ctx, session_id, excused))
    for rc in missing_scored:
        if rc.id in explained:
            continue
        flag(
            "roll_call_identity",
            f"{rc.public_id}:missing",
            f"{_label(rc)} is scored but no longer appears on the House vote page under the "
            "same bill, date, journal page, amendment and motion; it was left unchanged.",
            roll_call=rc,
        )
    db.session.flush()
    link_house_roll_calls(bill, [s.roll_call for s in results])
    return results


def _create(
    bill: Bill,
    p: ParsedRollCall,
    sequence: int,
    ctx: Context,
    session_id: int,
    excused: ExcusedLookup | None = None,
) -> Stored:
    rc = RollCall(
        bill=bill,
        chamber=p.chamber,
        date=p.date,
        motion=p.motion[:500],
        amendment_id=p.amendment_id[:50],
        journal_page=p.journal_page[:20],
        sequence=sequence,
        yeas=p.yeas,
        nays=p.nays,
        verified=False,
    )
    _fill(rc, p, p.source_url)
    db.session.add(rc)
    db.session.flush()
    apply_votes(rc, p, ctx, session_id, excused)
    return Stored(rc, "new", affects_scores=False)


def _update(
    rc: RollCall,
    p: ParsedRollCall,
    ctx: Context,
    session_id: int,
    excused: ExcusedLookup | None = None,
) -> Stored:
    facts = _fill(rc, p, p.source_url)
    applied = apply_votes(rc, p, ctx, session_id, excused)
    changed = facts or applied.changed_votes or applied.verified_changed
    return Stored(
        rc,
        "changed" if changed else "unchanged",
        affects_scores=applied.changed_votes or applied.verified_changed or facts,
    )


def store_senate_roll_call(
    action: BillAction, p: ParsedRollCall, ctx: Context, session_id: int
) -> Stored | None:
    """Upsert the Senate roll call of one action; None when left alone (flagged)."""
    bill = action.bill
    linked = db.session.scalar(select(RollCall).where(RollCall.action_id == action.id))
    same = list(
        db.session.scalars(
            select(RollCall)
            .where(
                RollCall.bill_id == bill.id,
                RollCall.chamber == vocab.SENATE,
                RollCall.date == p.date,
                RollCall.journal_page == p.journal_page[:20],
                RollCall.amendment_id == "",
                RollCall.motion == p.motion[:500],
            )
            .order_by(RollCall.sequence)
        )
    )
    rc = linked
    if rc is None:
        rc = next(
            (r for r in same if r.action_id is None and (r.yeas, r.nays) == (p.yeas, p.nays)), None
        )
    if rc is not None and _rc_identity(rc) != _identity(p):
        if _scored(rc.id):
            flag(
                "roll_call_identity",
                f"{rc.public_id}:moved:{'|'.join(str(x) for x in _identity(p))}",
                f"{_label(rc)} is scored, and the journal now gives it a different date, page "
                f"or motion ({p.date}, {p.journal_page!r}, {p.motion!r}); it was left "
                "unchanged.",
                roll_call=rc,
                source_url=p.source_url,
            )
            return None
        taken = {r.sequence for r in same if r.id != rc.id}
        rc.date, rc.journal_page = p.date, p.journal_page[:20]
        rc.motion, rc.amendment_id = p.motion[:500], ""
        rc.sequence = next(i for i in range(len(taken) + 1) if i not in taken)
        result = _update(rc, p, ctx, session_id)
        result.outcome = "changed"
    elif rc is not None:
        result = _update(rc, p, ctx, session_id)
    else:
        taken = {r.sequence for r in same}
        sequence = next(i for i in range(len(taken) + 1) if i not in taken)
        result = _create(bill, p, sequence, ctx, session_id)
        rc = result.roll_call
    if rc.action_id != action.id:
        rc.action_id = action.id
    return result


def record_chamber_data(session_id: int, *, house_journal_read: bool = False) -> None:
    """What the vote data of each chamber supports (read by the methodology).

    The House records excused absences once a House Journal attendance list
    has been read for the session (in this run or an earlier one); the Senate
    never does."""
    for chamber in vocab.CHAMBERS:
        row = db.session.scalar(
            select(ChamberSessionData).where(
                ChamberSessionData.session_id == session_id, ChamberSessionData.chamber == chamber
            )
        )
        if row is None:
            row = ChamberSessionData(session_id=session_id, chamber=chamber, excused_recorded=False)
            db.session.add(row)
        recorded = chamber == vocab.HOUSE and (house_journal_read or bool(row.excused_recorded))
        note = _HOUSE_JOURNAL_NOTE if recorded else _EXCUSED_NOTES[chamber]
        if row.excused_recorded is not recorded:
            row.excused_recorded = recorded
        if row.note != note:
            row.note = note


def after_votes_changed(roll_call_ids: Iterable[int]) -> None:
    """Flag published roll calls whose votes changed and recompute affected drafts."""
    from tracker import scorecards

    ids = set(roll_call_ids)
    scorecards.check_frozen_roll_calls()
    if not ids:
        return
    cards = db.session.scalars(
        select(Scorecard).where(
            Scorecard.id.in_(
                select(ScorecardVote.scorecard_id).where(ScorecardVote.roll_call_id.in_(ids))
            )
        )
    ).all()
    for card in cards:
        scorecards.recompute_draft(card)


# ---------------------------------------------------------------- the run


def _journal_file_date(url: str, year: int) -> dt.date | None:
    """The day in a House Journal file name (``J0509068.htm``), in ``year``."""
    match = re.search(r"/J(\d{2})(\d{2})\d*(?:CAL)?\.htm", url, re.I)
    if not match:
        return None
    try:
        return dt.date(year, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def _house_needs_fetch(bill: Bill) -> bool:
    """A House action shows a tally no stored House roll call of the bill has."""
    tallies = {
        (a.yeas, a.nays)
        for a in bill.actions
        if a.chamber == vocab.HOUSE and a.yeas is not None and a.nays is not None
    }
    if not tallies:
        return False
    have = {
        (y, n)
        for y, n in db.session.execute(
            select(RollCall.yeas, RollCall.nays).where(
                RollCall.bill_id == bill.id, RollCall.chamber == vocab.HOUSE
            )
        )
    }
    return bool(tallies - have)


def scrape_votes(
    *,
    session: str | None = None,
    bill: str | None = None,
    full: bool = False,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    progress: Progress | None = None,
) -> ScrapeRun:
    """House vote pages and Senate journal roll calls of a session (module docstring)."""
    from tracker import pipeline
    from tracker.demo import refuse_if_demo

    refuse_if_demo("scraping votes")
    wanted = pipeline.parse_bill_arg(bill) if bill else None
    if session is not None and not re.match(r"^\d{4}(?:-\d{4}|s\d+)$", session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    stored_session = pipeline.ensure_session(session) if session else pipeline.default_session()
    session_id = stored_session.id
    options = {
        "session": stored_session.identifier,
        "bill": f"{wanted[0]}{wanted[1]}" if wanted else None,
        "full": full,
        "record": record,
        "replay": replay,
    }
    src = pipeline.sources()
    with pipeline._client(record, replay) as client:
        with pipeline._running("votes", options, triggered_by, client) as run:
            sess = db.session.get(LegislativeSession, session_id)
            assert sess is not None
            if not sess.house_vote_key:
                raise pipeline.RunFailed(
                    f"session {sess.identifier} has no House vote key; set it with "
                    f"`tracker session set-house-key {sess.identifier} KEY` (e.g. 302)"
                )
            record_chamber_data(session_id)
            run.commit()
            job = _VotesJob(run, client, src, sess, wanted, full, progress)
            job.house()
            job.senate()
            job.finish()
    return run.row


class _VotesJob:
    def __init__(
        self,
        run: _Run,
        client: HttpClient,
        src: Sources,
        sess: LegislativeSession,
        wanted: tuple[str, int] | None,
        full: bool,
        progress: Progress | None,
    ) -> None:
        self.run = run
        self.client = client
        self.src = src
        self.session_id = sess.id
        self.identifier = sess.identifier
        self.legislature = sess.legislature
        self.house_key = sess.house_vote_key or ""
        self.wanted = wanted
        self.full = full
        self.progress = progress
        self.ctx = Context.load()
        self.prod = Sources()
        self.pdfs: dict[str, bytes | Exception] = {}
        self.affected: set[int] = set()
        # House Journal attendance, per journal day and per journal page (a
        # failure is remembered as its reason, recorded once).
        self.journal_days: dict[dt.date, house_journal.JournalAttendance] = {}
        self.journal_pages: dict[str, house_journal.JournalAttendance | str] = {}
        self.journal_read = False

    # -- shared
    def _bill(self, bill_type: str, number: int) -> Bill | None:
        return db.session.scalar(
            select(Bill).where(
                Bill.session_id == self.session_id,
                Bill.bill_type == bill_type,
                Bill.number == number,
            )
        )

    def _count(self, results: Iterable[Stored]) -> None:
        for result in results:
            self.run.bump(result.outcome)
            if result.affects_scores or result.outcome == "changed":
                self.affected.add(result.roll_call.id)

    # -- House
    def house(self) -> None:
        url, form = house_votes.summary_request(self.prod.house, self.house_key)
        response = self.client.post(self.src.rebase(url), data=form)
        self.run.bump("fetched")
        listed = house_votes.parse_vote_summary(response.content, source_url=url)
        if self.wanted:
            listed = [i for i in listed if (i.bill_type, i.number) == self.wanted] or [
                VoteSummaryItem(self.wanted[0], self.wanted[1], "")
            ]
        total = len(listed)
        for done, item in enumerate(listed, start=1):
            self._house_bill(item.bill_type, item.number)
            if self.progress:
                self.progress(done, total)

    def _house_bill(self, bill_type: str, number: int) -> None:
        key = f"{bill_type}{number}"
        url = house_votes.details_url(self.prod.house, self.house_key, bill_type, number)
        bill = self._bill(bill_type, number)
        if bill is None:
            self.run.item_failed(
                key,
                url,
                "listed by the House vote summary but not stored; run `tracker scrape bills` first",
            )
            self.run.commit()
            return
        if not (self.full or self.wanted or _house_needs_fetch(bill)):
            return
        try:
            response = self.client.get(self.src.rebase(url))
            self.run.bump("fetched")
            panels = house_votes.parse_vote_details(
                response.content, source_url=url, bill_type=bill_type, number=number
            )
        except (FetchError, ParseError) as exc:
            self.run.item_failed(key, url, getattr(exc, "reason", None) or str(exc))
            self.run.commit()
            return
        try:
            results = store_house_page(
                self._bill,
                panels,
                self.ctx,
                self.session_id,
                lambda item, reason: self.run.item_failed(item, url, reason),
                self._journal_excused,
            )
            self._count(results)
            self.run.commit()
        except (SQLAlchemyError, ValueError) as exc:
            db.session.rollback()
            self.run.item_failed(key, url, f"could not store: {exc}")
            self.run.commit()

    def _journal_excused(self, rc: RollCall, parsed: ParsedRollCall) -> tuple[str, ...] | None:
        """The House Journal's excused names for ``rc``'s day; None (recorded on the
        run) when the journal cannot be fetched or read, or is for another day."""
        on = parsed.date or rc.date
        if on in self.journal_days:
            return self.journal_days[on].excused
        page = (parsed.journal_page or rc.journal_page or "").strip()
        bill = rc.bill or db.session.get(Bill, rc.bill_id)
        item = f"{bill.key if bill else rc.bill_id} House journal p. {page or '?'} ({on})"
        url, body = house_journal.journal_page_request(self.prod.house, self.house_key, page)
        cached = self.journal_pages.get(page)
        if isinstance(cached, str):
            return None  # already recorded on the run
        if cached is None:
            try:
                if not page:
                    raise ParseError("the roll call has no journal page", source_url=url)
                response = self.client.post(self.src.rebase(url), json=body)
                self.run.bump("fetched")
                url = self._production(response.url)
                cached = house_journal.parse_excused(response.content, source_url=url)
            except (FetchError, ParseError) as exc:
                reason = getattr(exc, "reason", None) or str(exc)
                self.journal_pages[page] = reason
                self.run.item_failed(
                    item,
                    url,
                    f"House Journal attendance not read: {reason}; "
                    "absences stay recorded as not voting",
                )
                return None
            self.journal_pages[page] = cached
        day = cached.date or _journal_file_date(cached.source_url, on.year)
        if day != on:
            reason = (
                f"the journal page is on {day or 'an unknown day'}, not on the roll "
                f"call's date {on}"
            )
            self.journal_pages[page] = reason
            self.run.item_failed(
                item,
                cached.source_url,
                f"House Journal attendance not "
                f"used: {reason}; absences stay recorded as not voting",
            )
            return None
        self.journal_days[on] = cached
        self.journal_read = True
        return cached.excused

    def _production(self, url: str) -> str:
        """A URL the local or configured House host answered, on the production host."""
        configured = self.src.house.rstrip("/")
        if url.startswith(configured + "/"):
            return self.prod.house + url[len(configured) :]
        return url

    # -- Senate
    def _senate_actions(self) -> list[int]:
        query = (
            select(BillAction.id)
            .join(Bill, BillAction.bill_id == Bill.id)
            .where(
                Bill.session_id == self.session_id,
                BillAction.chamber == vocab.SENATE,
                BillAction.yeas.is_not(None),
                BillAction.nays.is_not(None),
                BillAction.journal_page.is_not(None),
                BillAction.journal_page != "",
            )
            .order_by(Bill.bill_type, Bill.number, BillAction.number)
        )
        if self.wanted:
            query = query.where(Bill.bill_type == self.wanted[0], Bill.number == self.wanted[1])
        elif not self.full:
            verified = (
                select(RollCall.id)
                .where(RollCall.action_id == BillAction.id, RollCall.verified.is_(True))
                .exists()
            )
            query = query.where(~verified)
        return list(db.session.scalars(query))

    def senate(self) -> None:
        ids = self._senate_actions()
        for done, action_id in enumerate(ids, start=1):
            self._senate_vote(action_id)
            if self.progress:
                self.progress(done, len(ids))

    def _pdf(self, url: str) -> bytes:
        cached = self.pdfs.get(url)
        if isinstance(cached, Exception):
            raise cached
        if cached is None:
            try:
                response = self.client.get(self.src.rebase(url))
            except FetchError as exc:
                self.pdfs[url] = exc
                raise
            self.run.bump("fetched")
            self.pdfs[url] = cached = response.content
        return cached

    def _senate_vote(self, action_id: int) -> None:
        action = db.session.get(BillAction, action_id)
        assert action is not None
        bill = action.bill
        item = f"{bill.key} Senate {action.yeas}-{action.nays} j.p. {action.journal_page}"
        url = ""
        try:
            url = senate_journal.gotopage_url(
                self.prod.senate, action.journal_page or "", self.legislature
            )
            response = self.client.get(self.src.rebase(url))
            self.run.bump("fetched")
            page = senate_journal.parse_gotopage(
                response.content, source_url=url, senate_base=self.prod.senate
            )
            url = page.pdf_url
            first, last = page.page_range
            texts = senate_journal.extract_pages_text(self._pdf(url), first, last, source_url=url)
            parsed = senate_journal.find_roll_call(
                texts,
                bill_type=bill.bill_type,
                number=bill.number,
                yeas=action.yeas or 0,
                nays=action.nays or 0,
                source_url=url,
                first_page=first,
                date=action.date,
                journal_page=action.journal_page,
            )
            if parsed.date is None:
                raise ParseError(
                    "no date for the roll call (neither the action nor the "
                    "journal's running head has one)",
                    source_url=url,
                )
        except (FetchError, ParseError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            self.run.item_failed(item, url or None, reason)
            self.run.commit()
            return
        try:
            result = store_senate_roll_call(action, parsed, self.ctx, self.session_id)
            if result is not None:
                self._count([result])
            else:
                self.run.bump("unchanged")
            self.run.commit()
        except (SQLAlchemyError, ValueError) as exc:
            db.session.rollback()
            self.run.item_failed(item, url, f"could not store: {exc}")
            self.run.commit()

    def finish(self) -> None:
        record_chamber_data(self.session_id, house_journal_read=self.journal_read)
        resolve_settled_name_items()
        after_votes_changed(self.affected)
        self.run.commit()


# ---------------------------------------------------------------- staff actions


def _parsed_from_stored(rc: RollCall) -> ParsedRollCall:
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
    """Re-resolve and re-verify a stored roll call from its stored printed names."""
    ctx = ctx or Context.load()
    return apply_votes(rc, _parsed_from_stored(rc), ctx, rc.bill.session_id)


def _actor_id(actor: User | str) -> int | None:
    return actor.id if isinstance(actor, User) else None


def map_name(
    target: DataQualityItem | tuple[str, str, int | None],
    person: Person,
    actor: User | str,
) -> tuple[NameMapping, list[RollCall]]:
    """Remember that ``printed_name`` in ``chamber`` (and session, if given) is
    ``person``, and re-resolve every stored unmatched vote printed that way.
    Returns the mapping and the roll calls re-verified."""
    if isinstance(target, DataQualityItem):
        details = target.details or {}
        if target.kind != "unmatched_name" or not details.get("printed_name"):
            raise VotesError("this item is not an unmatched name")
        chamber = details.get("chamber", "")
        printed = details["printed_name"]
        session_id = details.get("session_id")
    else:
        chamber, printed, session_id = target
    printed = " ".join((printed or "").split())
    if chamber not in vocab.CHAMBERS or not printed:
        raise VotesError("give a chamber and a printed name")
    votes = _unmatched_votes(chamber, printed, session_id)
    seats = [s for s in load_seats() if s.person_key == str(person.id) and s.chamber == chamber]
    if votes and not any(seated_on(seats, chamber, mv.roll_call.date) for mv in votes):
        raise VotesError(
            f"{person.name} was not seated in the {vocab.CHAMBER_NAMES[chamber]} on the date "
            f"of any vote printed {printed!r}; choose someone seated then"
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
            created_by_id=_actor_id(actor),
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
    ctx = Context.load()
    roll_calls = sorted({mv.roll_call for mv in votes}, key=lambda rc: rc.id)
    changed: list[int] = []
    for rc in roll_calls:
        applied = reverify(rc, ctx)
        if applied.changed_votes or applied.verified_changed:
            changed.append(rc.id)
    if (
        isinstance(target, DataQualityItem)
        and target.status == "open"
        and not _unmatched_votes(chamber, printed, session_id)
    ):
        _auto_resolve([target], f"Mapped to {person.name}.")
        target.resolved_by_id = _actor_id(actor)
    resolve_settled_name_items()
    after_votes_changed(changed)
    db.session.flush()
    return mapping, roll_calls


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
    before = {
        "verified": rc.verified,
        "verified_by_hand": rc.verified_by_hand,
        "verification_note": rc.verification_note,
    }
    rc.verified = True
    rc.verified_by_hand = True
    rc.verified_by_id = _actor_id(actor)
    rc.verified_at = utcnow()
    rc.verification_note = reason
    record(
        actor,
        "roll_call.verify_by_hand",
        rc,
        before=before,
        after={"verified": True, "verified_by_hand": True, "verification_note": reason},
    )
    for item in _open_items(rc.id, ("unverified_roll_call",)):
        _auto_resolve([item], f"Verified by hand: {reason}")
        item.resolved_by_id = _actor_id(actor)
    after_votes_changed([rc.id])
    db.session.flush()
    return rc


def resolve_item(item: DataQualityItem, resolution: str, actor: User | str) -> DataQualityItem:
    """Mark an open item resolved with a note; audited."""
    resolution = " ".join((resolution or "").split())
    if item.status != "open":
        raise VotesError("this item is already resolved")
    if len(resolution) < 3:
        raise VotesError("write a short note saying how it was resolved")
    if len(resolution) > 2000:
        raise VotesError("the note may have at most 2,000 characters")
    item.status = "resolved"
    item.resolved_at = utcnow()
    item.resolved_by_id = _actor_id(actor)
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
    "VotesError",
    "map_name",
    "resolve_item",
    "reverify",
    "scrape_votes",
    "verify_by_hand",
]
