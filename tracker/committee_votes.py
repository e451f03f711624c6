"""Committee roll calls from the minutes: fetch, store, verify.

Discovery: the minutes linked from each past hearing (a House
``/Committees/minutes/{committee}/{minutes}`` link among its documents), and for a
Senate hearing with a hearing id, its minutes page
(``/schedule/hearing_minutes.html?ls=..&hearing_id=..&type=minutes``).  A hearing's
minutes are read once; again only when ``--full`` is given (then a page that
changed is stored again).  Minutes not posted yet (HTTP 404) are noted on the run.

Each roll call of the minutes (``scrapers.committee_votes.parse_minutes_page``)
becomes a ``RollCall`` of kind ``committee``, linked to its bill, its committee
and its hearing; its identity is (minutes URL, position on the page).  Before
the roll calls, the minutes' members present, excused and absent are recorded
as members that day (``tracker.committees.record_attendance``).

**Verification** is the floor votes' rule (``scrapers.reconcile.verify``) with
the committee's members in place of the chamber: a roll call is verified only
when the names on each side equal the stated tally and every voter resolves
(``scrapers.names``) to one person who was a member of that committee that day
(``tracker.committees``, the membership rule) and seated in the chamber
(``tracker.seats``).  Members in neither list are ``not_voting``, or ``excused``
when the minutes list them as excused; legislators not on the committee get no
vote at all (not eligible, never absent).  Problems take the floor votes'
data-quality flow (unverified roll calls, unmatched names, resolved by a later
scrape); a printed name that is a seated legislator who was not on the committee
that day is also flagged (``committee_nonmember``).  Minutes that state no
tally, or print the tally only, are stored with their counts and not verified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import func, select

from scrapers import vocab
from scrapers.committee_votes import CommitteeRollCall, Minutes, parse_minutes_page
from scrapers.http import FetchError, HttpClient
from scrapers.names import Excluded, Seat, Tier, resolve_names
from scrapers.parsing import ParseError
from scrapers.reconcile import Verification, verify
from scrapers.sources import Sources
from scrapers.vote_records import ParsedRollCall
from tracker import committees, localtime, quality, runs
from tracker.extensions import db
from tracker.models import (
    Bill,
    Committee,
    Hearing,
    LegislativeSession,
    MemberVote,
    RollCall,
    ScorecardVote,
    ScrapeRun,
)
from tracker.models.common import utcnow
from tracker.votes import verification
from tracker.votes.storage import after_votes_changed
from tracker.votes.verification import VERIFICATION_KINDS, Applied, Context, label

KIND = "committee"
# Past hearings whose minutes are looked for (without --full): the minutes of a
# meeting are posted within days; this bounds the requests of a daily run.
MINUTES_DAYS = 120
SENATE_MINUTES_PATH = (
    "/schedule/hearing_minutes.html?ls={ls}&hearing_id={id}&type=minutes&always_show_minutes=Y"
)


# ---------------------------------------------------------------- verification


@dataclass
class Ballot:
    """One committee roll call's names as printed, with its stated tally."""

    yes_names: tuple[str, ...]
    no_names: tuple[str, ...]
    yeas: int | None  # as stated; None when the minutes state none
    nays: int | None
    names_printed: bool = True


def _seats(
    committee: Committee, day: dt.date, ctx: Context
) -> tuple[list[Seat], list[Seat], list[Excluded]]:
    """The committee's members seated that day, the other seated members, and the
    members not seated that day, with why."""
    seated, excluded = ctx.candidates(committee.chamber, day)
    members = committees.member_ids_on(committee.id, day)
    on = [s for s in seated if int(s.person_key) in members]
    off = [s for s in seated if int(s.person_key) not in members]
    return on, off, excluded


def apply_committee_votes(
    rc: RollCall,
    ballot: Ballot,
    committee: Committee,
    excused_ids: set[int],
    ctx: Context,
    session_id: int | None,
) -> Applied:
    """Resolve the ballot's names among the committee's members that day, store the
    member votes, verify and flag ``rc`` (module docstring)."""
    day = rc.date
    members, others, unseated = _seats(committee, day, ctx)
    where_name = f"{committee.name} ({vocab.CHAMBER_NAMES[committee.chamber]})"
    excluded = [
        Excluded(s, f"not a member of {where_name} on {day.isoformat()}") for s in others
    ] + unseated
    forms = {
        n: committees.resolver_form(n, [*members, *others])
        for n in (*ballot.yes_names, *ballot.no_names)
    }
    resolution = resolve_names(
        list(forms.values()),
        tiers=[Tier("committee", tuple(members))],
        mappings=ctx.mappings_for(rc.chamber, session_id),
        excluded=excluded,
        where=f"of {where_name} seated on {day.isoformat()}",
    )
    yeas = ballot.yeas if ballot.yeas is not None else len(ballot.yes_names)
    nays = ballot.nays if ballot.nays is not None else len(ballot.no_names)
    parsed = ParsedRollCall(
        bill_type=rc.bill.bill_type,
        number=rc.bill.number,
        chamber=rc.chamber,
        date=day,
        motion=rc.motion,
        description_lines=(rc.motion,),
        amendment_id=rc.amendment_id,
        yeas=yeas,
        nays=nays,
        journal_page="",
        yes_names=tuple(forms[n] for n in ballot.yes_names),
        no_names=tuple(forms[n] for n in ballot.no_names),
        position=rc.source_position or 0,
        outcome=rc.outcome,
        source_url=rc.source_url or "",
    )
    checked = verify(parsed, resolution, members)
    extra: list[str] = []
    if not ballot.names_printed:
        extra.append("The minutes print the tally only, not the members' names.")
    elif ballot.yeas is None or ballot.nays is None:
        extra.append("The minutes state no tally to check the names against.")
    reasons = [*extra, *checked.reasons]

    rows: list[tuple[int | None, str | None, str]] = []
    used: set[str] = set()
    for option, names in ((vocab.YES, ballot.yes_names), (vocab.NO, ballot.no_names)):
        for printed in names:
            printed = " ".join(printed.split())
            person = (
                resolution.matched.get(" ".join(forms[printed].split()))
                if printed in forms
                else None
            )
            if person is not None and person in used:
                person = None
            if person is not None:
                used.add(person)
            rows.append((int(person) if person else None, printed[:200], option))
    for person in checked.not_voting:
        if person not in used:
            rows.append(
                (
                    int(person),
                    None,
                    vocab.EXCUSED if int(person) in excused_ids else vocab.NOT_VOTING,
                )
            )

    current = [(mv.person_id, mv.printed_name, mv.option) for mv in rc.member_votes]
    changed = Counter(current) != Counter(rows)
    if changed:
        rc.member_votes.clear()
        db.session.flush()
        for person_id, shown, option in rows:
            rc.member_votes.append(
                MemberVote(person_id=person_id, printed_name=shown, option=option)
            )
        db.session.flush()

    was_verified = rc.verified
    if checked.verified and not extra:
        rc.verified = True
        if not rc.verified_by_hand and rc.verification_note is not None:
            rc.verification_note = None
        quality.auto_resolve(
            quality.open_items([*VERIFICATION_KINDS, "committee_nonmember"], roll_call_id=rc.id),
            "Verified by a later scrape: the names equal the stated tally and every voter "
            "was a member of the committee that day.",
        )
    elif not (rc.verified_by_hand and not changed):
        note = " ".join(reasons)
        if rc.verified_by_hand:
            note = "The source changed after staff verified it by hand. " + note
            rc.verified_by_hand, rc.verified_by_id, rc.verified_at = False, None, None
        rc.verified = False
        if rc.verification_note != note:
            rc.verification_note = note
        flagged = (
            checked
            if not extra
            else Verification(
                verified=False,
                reasons=tuple(reasons),
                not_voting=checked.not_voting,
                reconciles=checked.reconciles,
            )
        )
        # the floor votes' flow: one item per set of reasons, one per unmatched name
        verification.flag_unverified(rc, flagged, resolution, session_id, day)
        _flag_nonmembers(rc, committee, resolution.unmatched, others, ctx, session_id)
    return Applied(changed_votes=changed, verified_changed=was_verified != rc.verified)


def _flag_nonmembers(
    rc: RollCall,
    committee: Committee,
    unmatched: dict[str, str],
    others: Sequence[Seat],
    ctx: Context,
    session_id: int | None,
) -> None:
    """A printed voter who is a seated legislator not on the committee that day."""
    if not unmatched or not others:
        return
    found = resolve_names(
        list(unmatched),
        tiers=[Tier("seated", tuple(others))],
        mappings=ctx.mappings_for(rc.chamber, session_id),
    )
    for printed, person in found.matched.items():
        seat = found.seats[printed]
        quality.flag(
            "committee_nonmember",
            f"{rc.public_id}:{person}",
            f"{label(rc)}: the minutes print {printed!r}, who is {seat.label}, not a member "
            f"of {committee.name} on {rc.date.isoformat()} by the committee's member lists "
            "and minutes. The vote is kept as printed and not verified; if they sat on the "
            "committee that day, the committee's record has to show it.",
            roll_call=rc,
            person_id=int(person),
            details={
                "printed_name": printed,
                "committee": committee.public_id,
                "date": rc.date.isoformat(),
            },
        )


def reverify(rc: RollCall, ctx: Context | None = None) -> Applied:
    """Re-resolve and re-verify a stored committee roll call from its stored names
    (what ``tracker.votes.staff.reverify`` should call for a roll call of kind
    ``committee``): the names as printed, the members the minutes excused."""
    ctx = ctx or Context.load()
    committee = db.session.get(Committee, rc.committee_id) if rc.committee_id else None
    if committee is None:
        raise ValueError(f"{label(rc)} has no committee")
    votes = sorted(rc.member_votes, key=lambda mv: mv.id or 0)
    ballot = Ballot(
        yes_names=tuple(mv.printed_name or "" for mv in votes if mv.option == vocab.YES),
        no_names=tuple(mv.printed_name or "" for mv in votes if mv.option == vocab.NO),
        yeas=rc.yeas,
        nays=rc.nays,
    )
    excused = {mv.person_id for mv in votes if mv.option == vocab.EXCUSED and mv.person_id}
    return apply_committee_votes(rc, ballot, committee, excused, ctx, rc.bill.session_id)


# ---------------------------------------------------------------- storing


def _scored(rc_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(ScorecardVote)
            .where(ScorecardVote.roll_call_id == rc_id)
        )
    )


def _sequence(rc: RollCall) -> int:
    taken = set(
        db.session.scalars(
            select(RollCall.sequence).where(
                RollCall.bill_id == rc.bill_id,
                RollCall.chamber == rc.chamber,
                RollCall.date == rc.date,
                RollCall.journal_page == "",
                RollCall.amendment_id == rc.amendment_id,
                RollCall.motion == rc.motion,
                RollCall.id != (rc.id or 0),
            )
        )
    )
    return next(i for i in range(len(taken) + 1) if i not in taken)


@dataclass
class Stored:
    roll_call: RollCall
    outcome: str  # new | changed | unchanged
    affects_scores: bool


class _Facts(TypedDict):
    """A committee roll call's columns that its minutes give (typed, so ``RollCall(**)``
    is checked)."""

    bill_id: int
    chamber: str
    date: dt.date
    motion: str
    amendment_id: str
    yeas: int
    nays: int
    outcome: str | None
    committee_id: int
    hearing_id: int | None


def store_roll_call(
    call: CommitteeRollCall,
    bill: Bill,
    committee: Committee,
    hearing: Hearing | None,
    day: dt.date,
    source_url: str,
    excused_ids: set[int],
    ctx: Context,
) -> Stored | None:
    """Upsert one committee roll call on its identity (minutes URL, position)."""
    rc = db.session.scalar(
        select(RollCall).where(
            RollCall.kind == KIND,
            RollCall.source_url == source_url[:500],
            RollCall.source_position == call.position,
        )
    )
    facts: _Facts = {
        "bill_id": bill.id,
        "chamber": committee.chamber,
        "date": day,
        "motion": call.motion[:500],
        "amendment_id": call.amendment[:50],
        "yeas": call.yeas if call.yeas is not None else len(call.yes_names),
        "nays": call.nays if call.nays is not None else len(call.no_names),
        "outcome": call.outcome[:30] or None,
        "committee_id": committee.id,
        "hearing_id": hearing.id if hearing else None,
    }
    outcome = "unchanged"
    if rc is None:
        rc = RollCall(
            kind=KIND,
            journal_page="",
            source_url=source_url[:500],
            source_position=call.position,
            verified=False,
            **facts,
        )
        rc.bill = bill
        rc.sequence = _sequence(rc)
        db.session.add(rc)
        db.session.flush()
        outcome = "new"
    else:
        identity = (rc.bill_id, rc.motion, rc.amendment_id, rc.date)
        if identity != (facts["bill_id"], facts["motion"], facts["amendment_id"], day) and _scored(
            rc.id
        ):
            quality.flag(
                "roll_call_identity",
                f"{rc.public_id}:minutes:{quality.fingerprint(*identity)}",
                f"{label(rc)} is scored, and its minutes now print roll call "
                f"{call.position + 1} as {call.motion!r}; it was left unchanged.",
                roll_call=rc,
                source_url=source_url,
            )
            return None
        for name, value in facts.items():
            if getattr(rc, name) != value:
                setattr(rc, name, value)
                outcome = "changed"
        if outcome == "changed":
            rc.sequence = _sequence(rc)
    rc.last_seen_at = utcnow()
    ballot = Ballot(call.yes_names, call.no_names, call.yeas, call.nays, call.names_printed)
    applied = apply_committee_votes(rc, ballot, committee, excused_ids, ctx, bill.session_id)
    if outcome == "unchanged" and (applied.changed_votes or applied.verified_changed):
        outcome = "changed"
    return Stored(
        rc, outcome, applied.changed_votes or applied.verified_changed or outcome == "changed"
    )


def minutes_urls(hearing: Hearing, base: LegislativeSession | None) -> list[str]:
    """Where a hearing's minutes are (production URLs), in the order tried."""
    found = [hearing.minutes_url] if hearing.minutes_url else []
    key = hearing.source_key.split(":", 1)[1]
    if hearing.chamber == vocab.SENATE and key.isdigit() and base is not None:
        url = "https://www.senate.mn" + SENATE_MINUTES_PATH.format(ls=base.legislature, id=key)
        if url not in found:
            found.append(url)
    return found


def _bill(session: LegislativeSession, call: CommitteeRollCall) -> Bill | None:
    if call.bill_type is None or call.bill_number is None:
        return None
    from tracker.hearings import bill_session_on

    wanted = bill_session_on(call.date) if call.date else None
    ids = [s.id for s in (wanted, session) if s is not None]
    return db.session.scalar(
        select(Bill)
        .where(
            Bill.session_id.in_(ids),
            Bill.bill_type == call.bill_type,
            Bill.number == call.bill_number,
        )
        .order_by(Bill.session_id.desc())
        .limit(1)
    )


def store_minutes(
    hearing: Hearing, minutes: Minutes, source_url: str, ctx: Context, run: runs.Run
) -> list[Stored]:
    """The minutes' attendance, then each roll call (module docstring)."""
    header = minutes.header
    session = hearing.session or committees.regular_session_on(header.date)
    if session is None:
        run.item_failed(
            f"minutes of {hearing.committee_name}",
            source_url,
            f"no stored session covers {header.date}; run `tracker scrape sessions`",
        )
        return []
    committee = hearing.committee or committees.find_committee(
        session.id,
        hearing.chamber,
        ids=[hearing.committee_source_id],
        names=[hearing.committee_name, header.committee],
    )
    if committee is None:
        run.item_failed(
            f"minutes of {hearing.committee_name}",
            source_url,
            "the committee is not stored; run `tracker scrape committees` first",
        )
        return []
    if header.date != hearing.date:
        run.note(
            f"minutes of {hearing.committee_name}",
            f"the minutes are dated {header.date} for a hearing posted for {hearing.date}; "
            "the minutes' date is used",
        )
    people = committees.record_attendance(committee, header, ctx, session.id, source_url)
    excused = {people[m.name] for m in header.excused if people.get(m.name) is not None}
    results: list[Stored] = []
    for call in minutes.roll_calls:
        item = f"{committee.name} {header.date} roll call {call.position + 1}"
        bill = _bill(session, call)
        if bill is None:
            why = (
                "names no bill (neither in the motion nor in a heading above it)"
                if call.bill_type is None
                else f"names {call.bill_type} {call.bill_number}, which is not stored; run "
                "`tracker scrape bills` first"
            )
            run.item_failed(item, source_url, f"the roll call {why}")
            continue
        stored = store_roll_call(
            call,
            bill,
            committee,
            hearing,
            header.date,
            source_url,
            {i for i in excused if i is not None},
            ctx,
        )
        if stored is not None:
            results.append(stored)
    return results


def _due(session: LegislativeSession, today: dt.date, full: bool) -> list[Hearing]:
    query = select(Hearing).where(
        Hearing.cancelled.is_(False), Hearing.date < today, Hearing.session_id == session.id
    )
    if not full:
        query = query.where(
            Hearing.minutes_hash.is_(None), Hearing.date >= today - dt.timedelta(days=MINUTES_DAYS)
        )
    return list(db.session.scalars(query.order_by(Hearing.date, Hearing.id)))


def scrape_committee_votes(
    *,
    session: str | None = None,
    full: bool = False,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    progress: runs.Progress | None = None,
    now: dt.datetime | None = None,
) -> ScrapeRun:
    """The minutes of the session's past hearings and their roll calls."""
    from tracker.demo import refuse_if_demo
    from tracker.sessions import SESSION_ID, default_session, ensure_session

    refuse_if_demo("scraping committee votes")
    if session is not None and not SESSION_ID.match(session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    stored_session = ensure_session(session) if session else default_session()
    session_id = stored_session.id
    options = {
        "session": stored_session.identifier,
        "full": full,
        "record": record,
        "replay": replay,
    }
    src = runs.sources()
    with (
        runs.client(record, replay) as http,
        runs.running("committee_votes", options, triggered_by, http) as run,
    ):
        sess = db.session.get(LegislativeSession, session_id)
        assert sess is not None
        today = localtime.today(now)
        ctx = Context.load()
        affected: set[int] = set()
        due = _due(sess, today, full)
        for done, hearing in enumerate(due, start=1):
            _read_minutes(hearing, sess, src, http, ctx, run, full, affected)
            if progress:
                progress(done, len(due))
        verification.resolve_settled_name_items()
        after_votes_changed(affected)
        run.commit()
    return run.row


def _read_minutes(
    hearing: Hearing,
    session: LegislativeSession,
    src: Sources,
    http: HttpClient,
    ctx: Context,
    run: runs.Run,
    full: bool,
    affected: set[int],
) -> None:
    what = f"minutes of {hearing.committee_name} {hearing.date}"
    for url in minutes_urls(hearing, session):
        try:
            response = http.get(src.rebase(url))
            run.bump("fetched")
        except FetchError as exc:
            if exc.status == 404:
                run.note(what, f"not posted yet ({url})")
                continue
            run.item_failed(what, url, exc.reason)
            run.commit()
            return
        digest = hashlib.sha256(response.content).hexdigest()
        hearing.last_fetched_at = utcnow()
        if digest == hearing.minutes_hash and not full:
            run.bump("unchanged")
            run.commit()
            return
        try:
            minutes = parse_minutes_page(response.content, source_url=url, chamber=hearing.chamber)
        except ParseError as exc:
            run.item_failed(what, url, str(exc))
            run.commit()
            return
        try:
            results = store_minutes(hearing, minutes, url, ctx, run)
        except Exception:
            db.session.rollback()
            raise
        hearing.minutes_url = url
        hearing.minutes_hash = digest
        for result in results:
            run.bump(result.outcome)
            if result.affects_scores:
                affected.add(result.roll_call.id)
        run.commit()
        return


__all__ = [
    "KIND",
    "MINUTES_DAYS",
    "Ballot",
    "apply_committee_votes",
    "minutes_urls",
    "reverify",
    "scrape_committee_votes",
    "store_minutes",
    "store_roll_call",
]
