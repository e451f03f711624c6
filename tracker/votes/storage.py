"""Storing roll calls: identity, upsert, links to bill actions, what a change affects.

Rules (README, "Roll-call votes"):

* identity is (bill, chamber, date, journal page, amendment id, motion);
  ``sequence`` only numbers panels identical in all of those.  A roll call
  that staff scored is never re-pointed: when it would change identity or
  cannot be matched with certainty it is left as it is and flagged;
* roll calls are linked to the bill's actions by tally first, then date, then
  journal page (pages may differ by one; letters are ignored); ties are left
  unlinked and flagged;
* when a scrape changes a roll call's votes, published scorecards are flagged
  (never changed) and draft scores are recomputed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from scrapers import vocab
from scrapers.vote_records import ParsedRollCall
from tracker import quality
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    ChamberSessionData,
    JournalRoll,
    RollCall,
    Scorecard,
    ScorecardVote,
)
from tracker.models.common import utcnow
from tracker.models.votes import COMMITTEE
from tracker.votes.verification import Context, apply_votes, label

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
_HOUSE_JOURNAL_NOTE = (
    "House roll calls come from the House vote pages (Votes/Details), which list only the "
    "members voting yes and no. Excused absences come from the House Journal roll of the roll "
    'call\'s day ("X and Y were excused."): a member seated that day who is in neither list '
    "and whom the journal excuses for the day is recorded as excused; every other seated "
    "member in neither list, including members excused only for part of the day, is recorded "
    "as not voting, as are all absences on days whose journal roll could not be read."
)
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
        quality.flag(
            "tally_mismatch",
            f"{rc.public_id}:{action.id}:{action.yeas}-{action.nays}:{rc.yeas}-{rc.nays}",
            f"{label(rc)}: the bill's action {action.text!r} (journal page "
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
            quality.flag(
                "ambiguous_link",
                f"{rc.public_id}",
                f"{label(rc)} matches more than one bill action, or an action that another "
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


def _date(p: ParsedRollCall) -> dt.date:
    """The roll call's date, which a stored roll call must have: the House parser refuses
    a panel without one and the Senate job a journal roll call without one."""
    if p.date is None:
        raise ValueError(f"the roll call {p.motion!r} has no date")
    return p.date


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
    before_store: Callable[[Sequence[ParsedRollCall]], None] | None = None,
) -> list[Stored]:
    """Upsert the panels of one Details page (one requested bill).  ``before_store``
    is called with each bill's panels first (the run reads those days' journal rolls)."""
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
        if before_store is not None:
            before_store(group)
        results.extend(_store_bill_panels(bill, group, ctx, session_id, on_failure))
    return results


def _store_bill_panels(
    bill: Bill,
    panels: Sequence[ParsedRollCall],
    ctx: Context,
    session_id: int,
    on_failure: Callable[[str, str], None],
) -> list[Stored]:
    stored = list(
        db.session.scalars(
            select(RollCall)
            .where(
                RollCall.bill_id == bill.id,
                RollCall.chamber == vocab.HOUSE,
                RollCall.kind != COMMITTEE,
            )  # the floor's roll calls only
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
                quality.flag(
                    "roll_call_identity",
                    f"{rc.public_id}:uncertain",
                    f"{label(rc)} is scored, and the vote page now has {len(group)} panel(s) "
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
            same = by_seq.get(sequence)
            if same is None:
                unmatched_panels.append(panel)
                continue
            matched_ids.add(same.id)
            results.append(_update(same, panel, ctx, session_id))

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
            quality.flag(
                "roll_call_identity",
                f"{twin.public_id}:moved:{'|'.join(str(x) for x in _identity(panel))}",
                f"{label(twin)} is scored, and the vote page now shows it with a different "
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
        results.append(_create(bill, panel, sequence, ctx, session_id))
    for rc in missing_scored:
        if rc.id in explained:
            continue
        quality.flag(
            "roll_call_identity",
            f"{rc.public_id}:missing",
            f"{label(rc)} is scored but no longer appears on the House vote page under the "
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
) -> Stored:
    rc = RollCall(
        bill=bill,
        chamber=p.chamber,
        date=_date(p),
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
    apply_votes(rc, p, ctx, session_id)
    return Stored(rc, "new", affects_scores=False)


def _update(
    rc: RollCall,
    p: ParsedRollCall,
    ctx: Context,
    session_id: int,
) -> Stored:
    facts = _fill(rc, p, p.source_url)
    applied = apply_votes(rc, p, ctx, session_id)
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
                RollCall.kind != COMMITTEE,
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
            quality.flag(
                "roll_call_identity",
                f"{rc.public_id}:moved:{'|'.join(str(x) for x in _identity(p))}",
                f"{label(rc)} is scored, and the journal now gives it a different date, page "
                f"or motion ({p.date}, {p.journal_page!r}, {p.motion!r}); it was left "
                "unchanged.",
                roll_call=rc,
                source_url=p.source_url,
            )
            return None
        taken = {r.sequence for r in same if r.id != rc.id}
        rc.date, rc.journal_page = _date(p), p.journal_page[:20]
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


def record_chamber_data(session_id: int) -> None:
    """What the vote data of each chamber supports (read by the methodology).

    The House records excused absences once a House Journal roll of the session
    has been read; the Senate never does (its journal lists no absences)."""
    house_read = db.session.scalar(
        select(func.count())
        .select_from(JournalRoll)
        .where(JournalRoll.session_id == session_id, JournalRoll.chamber == vocab.HOUSE)
    )
    for chamber in vocab.CHAMBERS:
        row = db.session.scalar(
            select(ChamberSessionData).where(
                ChamberSessionData.session_id == session_id, ChamberSessionData.chamber == chamber
            )
        )
        if row is None:
            row = ChamberSessionData(session_id=session_id, chamber=chamber, excused_recorded=False)
            db.session.add(row)
        recorded = chamber == vocab.HOUSE and (bool(house_read) or bool(row.excused_recorded))
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
