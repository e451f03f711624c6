"""The demo's committees, hearings and one committee roll call (all invented).

Called by ``tracker.demo.load_demo`` once the demo legislature, its positions and
scorecards are in (so the demo scorecards stay floor votes only: committee votes
are scored only when staff choose them).  Per demo session and chamber, three
committees with invented names, a chair, a vice chair and members drawn from the
demo seats held through the session; in the newest session, hearings of demo bills:
past ones (one with a verified committee roll call from its "minutes") and upcoming
ones dated from the day the demo is loaded (one moved, one cancelled), so the
"this week" board and the bill and committee pages have something to show.
``tracker.demo.removal_plan`` lists their removal.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from scrapers.hearings import CHAIR, CHICAGO, MEMBER, VICE_CHAIR
from scrapers.vocab import HOUSE, NO, NOT_VOTING, SENATE, YES
from tracker import committees, localtime, seats
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    Committee,
    CommitteeMembership,
    Hearing,
    HearingBill,
    HearingChange,
    LegislativeSession,
    MemberVote,
    RollCall,
    Term,
)
from tracker.models.votes import COMMITTEE

SOURCE = "demo"  # the source of every demo committee, membership and bound
SOURCE_URL = "demo:invented"  # not a web page: pages link only to http(s) sources
# Invented committee names (no Minnesota committee has exactly these names).
NAMES = ("Working Families", "Clean Energy", "Fair Elections")
SIZES = {HOUSE: 7, SENATE: 5}
ROOMS = {
    HOUSE: ("Invented Hall 120", "Invented Hall 200"),
    SENATE: ("Invented Senate Building 1100", "Invented Senate Building 2308"),
}
NOTE = "Invented demo vote: the names equal the tally by construction."
MAJORITY = "DFL"  # the demo's majority party


@dataclass(frozen=True)
class _Plan:
    """One demo hearing: committee name, chamber, bill, day, local time, room."""

    name: str
    chamber: str
    bill: tuple[str, int]
    day: dt.date
    clock: tuple[int, int] | None
    room: str
    agenda: str
    cancelled: bool = False
    moved_from: tuple[dt.date, tuple[int, int], str] | None = None  # day, time, room


def _steady_seats(chamber: str, start: dt.date, end: dt.date) -> list[Term]:
    """The seats held from the session's first day to its last (one term each)."""
    last = {t.person_id for t in seats.seats_on(chamber, end)}
    return [t for t in seats.seats_on(chamber, start) if t.person_id in last]


def _committees(
    rng: random.Random, session: LegislativeSession, newest: bool
) -> dict[tuple[str, str], Committee]:
    """The session's committees; the newest session's members stay members (no list
    has left them out), an older session's until its last day."""
    assert session.start_date is not None and session.end_date is not None
    until = None if newest else session.end_date
    made: dict[tuple[str, str], Committee] = {}
    for chamber in (HOUSE, SENATE):
        pool = _steady_seats(chamber, session.start_date, session.end_date)
        majority = [t for t in pool if t.party == MAJORITY]
        minority = [t for t in pool if t.party != MAJORITY]
        for name in NAMES:
            size = SIZES[chamber]
            # the majority party holds a majority of the seats, the chair and vice chair
            ours = rng.sample(majority, min(size // 2 + 1, len(majority)))
            chosen = ours + rng.sample(minority, min(size - len(ours), len(minority)))
            leaders = chosen[:2]
            ordered = leaders + sorted(
                (t for t in chosen if t not in leaders),
                key=lambda t: seats.district_sort_key(t.district),
            )
            committee = Committee(
                session_id=session.id,
                chamber=chamber,
                name=name,
                source_ids=[],
                other_names=[],
                sources=[SOURCE],
            )
            for index, term in enumerate(ordered):
                role = CHAIR if index == 0 else VICE_CHAIR if index == 1 else MEMBER
                committee.memberships.append(
                    CommitteeMembership(
                        person_id=term.person_id,
                        member_key=committees.member_key(term.person_id, ""),
                        printed_name=term.person.name,
                        role=role,
                        role_source=SOURCE,
                        member_from=session.start_date,
                        member_from_source=SOURCE,
                        member_until=until,
                        member_until_source=SOURCE if until else None,
                        sources=[SOURCE],
                    )
                )
            db.session.add(committee)
            made[(chamber, name)] = committee
    db.session.flush()
    return made


def _moment(day: dt.date, clock: tuple[int, int] | None) -> dt.datetime | None:
    if clock is None:
        return None
    return dt.datetime(day.year, day.month, day.day, *clock, tzinfo=CHICAGO).astimezone(dt.UTC)


def _time_text(clock: tuple[int, int] | None) -> str:
    if clock is None:
        return ""
    hour, minute = clock
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def _hearing(
    session: LegislativeSession, committee: Committee, plan: _Plan, bill: Bill, key: str
) -> Hearing:
    hearing = Hearing(
        source_key=key,
        chamber=plan.chamber,
        session_id=session.id,
        committee_id=committee.id,
        committee_name=committee.name,
        date=plan.day,
        starts_at=_moment(plan.day, plan.clock),
        time_text=_time_text(plan.clock),
        room=plan.room,
        agenda=plan.agenda,
        status_notes=["Cancelled (demo)"] if plan.cancelled else [],
        cancelled=plan.cancelled,
        source_url=SOURCE_URL,
    )
    hearing.bills.append(
        HearingBill(position=0, bill_type=bill.bill_type, number=bill.number, bill_id=bill.id)
    )
    if plan.moved_from is not None:
        day, clock, room = plan.moved_from
        seen = dt.datetime.combine(day - dt.timedelta(days=2), dt.time(15), tzinfo=dt.UTC)
        hearing.changes.append(
            HearingChange(
                kind="date",
                before={"date": day.isoformat()},
                after={"date": plan.day.isoformat()},
                seen_at=seen,
            )
        )
        hearing.changes.append(
            HearingChange(
                kind="moved",
                before={"starts_at": _iso(_moment(day, clock)), "time_text": _time_text(clock)},
                after={"starts_at": _iso(hearing.starts_at), "time_text": hearing.time_text},
                seen_at=seen,
            )
        )
        hearing.changes.append(
            HearingChange(
                kind="room", before={"room": room}, after={"room": plan.room}, seen_at=seen
            )
        )
    if plan.cancelled:
        hearing.changes.append(
            HearingChange(
                kind="cancelled",
                before={},
                after={},
                seen_at=dt.datetime.combine(
                    plan.day - dt.timedelta(days=1), dt.time(18), tzinfo=dt.UTC
                ),
            )
        )
    db.session.add(hearing)
    return hearing


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _bill(session: LegislativeSession, key: tuple[str, int]) -> Bill:
    found: Bill | None = db.session.scalar(
        select(Bill).where(
            Bill.session_id == session.id, Bill.bill_type == key[0], Bill.number == key[1]
        )
    )
    assert found is not None, key
    return found


def _plans(session: LegislativeSession, today: dt.date) -> list[_Plan]:
    """The newest demo session's hearings: past ones on the bills it passed, upcoming
    ones (from ``today``) on the bills still in committee."""
    in_committee = db.session.scalars(
        select(Bill)
        .where(Bill.session_id == session.id, Bill.status == "in_committee")
        .order_by(Bill.number)
    ).all()
    house = [b for b in in_committee if b.bill_type == "HF"]
    senate = [b for b in in_committee if b.bill_type == "SF"]
    first = min(
        (a.date for b in (_bill(session, ("HF", 11)),) for a in b.actions if a.date),
        default=session.start_date or today,
    )
    soon = [today + dt.timedelta(days=n) for n in range(1, 11)]
    plans = [
        _Plan(
            "Working Families",
            HOUSE,
            ("HF", 11),
            first + dt.timedelta(days=21),
            (10, 0),
            ROOMS[HOUSE][0],
            "HF 11 (demo): paid family and medical leave. Testimony, then "
            "a motion to recommend the bill to pass.",
        ),
        _Plan(
            "Working Families",
            SENATE,
            ("SF", 13),
            first + dt.timedelta(days=28),
            (8, 30),
            ROOMS[SENATE][0],
            "SF 13 (demo): paid family and medical leave. Laid over.",
        ),
    ]
    if house:
        plans.append(
            _Plan(
                "Fair Elections",
                HOUSE,
                ("HF", house[0].number),
                soon[1],
                (10, 30),
                ROOMS[HOUSE][1],
                f"HF {house[0].number} (demo): {house[0].title}. Public testimony will be taken.",
            )
        )
    if senate:
        plans.append(
            _Plan(
                "Fair Elections",
                SENATE,
                ("SF", senate[0].number),
                soon[2],
                (13, 0),
                ROOMS[SENATE][1],
                f"SF {senate[0].number} (demo): {senate[0].title}. Moved to the afternoon (demo).",
                moved_from=(soon[0], (8, 30), ROOMS[SENATE][0]),
            )
        )
    if len(senate) > 1:
        plans.append(
            _Plan(
                "Working Families",
                SENATE,
                ("SF", senate[1].number),
                soon[3],
                (9, 0),
                ROOMS[SENATE][0],
                f"SF {senate[1].number} (demo): {senate[1].title}.",
                cancelled=True,
            )
        )
        plans.append(
            _Plan(
                "Working Families",
                SENATE,
                ("SF", senate[1].number),
                soon[9],
                (9, 0),
                ROOMS[SENATE][0],
                f"SF {senate[1].number} (demo): {senate[1].title}. Rescheduled (demo).",
            )
        )
    if len(house) > 1:
        plans.append(
            _Plan(
                "Clean Energy",
                HOUSE,
                ("HF", house[1].number),
                soon[4],
                (15, 0),
                ROOMS[HOUSE][0],
                f"HF {house[1].number} (demo): {house[1].title}.",
            )
        )
    return plans


def _committee_vote(
    rng: random.Random, hearing: Hearing, committee: Committee, bill: Bill
) -> RollCall:
    """The verified roll call of the hearing's "minutes": every member that day votes
    (the majority party yes, the others no, one of them not voting); no one else gets
    a vote."""
    members = [
        m
        for m in committees.memberships_on(committee.id, hearing.date)
        if m.person_id is not None
        and seats.seat_of(m.person_id, committee.chamber, hearing.date) is not None
    ]
    chair = members[0].person
    assert chair is not None
    rc = RollCall(
        bill=bill,
        chamber=committee.chamber,
        date=hearing.date,
        kind=COMMITTEE,
        motion=f"{'Representative' if committee.chamber == HOUSE else 'Senator'} "
        f"{chair.family_name or chair.name} moved that "
        f"{bill.label} be recommended to pass and be re-referred to the Committee "
        "on Ways and Means (demo)",
        journal_page="",
        yeas=0,
        nays=0,
        source_url=None,
        verified=True,
        verification_note=NOTE,
        committee_id=committee.id,
        hearing_id=hearing.id,
        source_position=0,
    )
    terms = {
        m.person_id: seats.seat_of(m.person_id or 0, committee.chamber, hearing.date)
        for m in members
    }
    others = [m for m in members if getattr(terms[m.person_id], "party", None) != MAJORITY]
    absent = rng.choice(others) if others else None
    yeas = nays = 0
    for membership in members:
        term = terms[membership.person_id]
        assert term is not None and membership.person is not None
        option = NOT_VOTING if membership is absent else YES if term.party == MAJORITY else NO
        yeas += option == YES
        nays += option == NO
        rc.member_votes.append(
            MemberVote(
                person_id=membership.person_id,
                printed_name=membership.person.family_name,
                option=option,
            )
        )
    rc.yeas, rc.nays = yeas, nays
    rc.outcome = "prevailed" if yeas > nays else "failed"
    db.session.add(rc)
    return rc


def _refer(bill: Bill, committee: Committee) -> None:
    """The bill's referral to the committee (its committee page lists it)."""
    intro = min((a.date for a in bill.actions if a.date), default=None)
    taken = {a.number for a in bill.actions if a.chamber == committee.chamber}
    number = next(n for n in range(2, 100) if n not in taken)
    db.session.add(
        BillAction(
            bill=bill,
            chamber=committee.chamber,
            number=number,
            date=intro + dt.timedelta(days=1) if intro else None,
            text="Referred to",
            committee=committee.name,  # as the bill status page prints it
            classification="referral-committee",
        )
    )


def load_demo_hearings(seed: int = 15, today: dt.date | None = None) -> str:
    """The demo's committees, hearings and committee roll call (module docstring)."""
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    today = today or localtime.today()
    sessions: Sequence[LegislativeSession] = db.session.scalars(
        select(LegislativeSession)
        .where(LegislativeSession.is_demo.is_(True))
        .order_by(LegislativeSession.year)
    ).all()
    if not sessions:
        return "no demo sessions"
    newest = sessions[-1]
    made = {s.id: _committees(rng, s, s is newest) for s in sessions}
    count = 0
    referred: set[tuple[int, int]] = set()
    for plan in _plans(newest, today):
        committee = made[newest.id][(plan.chamber, plan.name)]
        bill = _bill(newest, plan.bill)
        if (bill.id, committee.id) not in referred:
            referred.add((bill.id, committee.id))
            _refer(bill, committee)
        hearing = _hearing(newest, committee, plan, bill, f"demo:{plan.chamber}:{count + 1}")
        count += 1
        db.session.flush()
        if count == 1:  # the first, past hearing: its minutes record a roll call
            _committee_vote(rng, hearing, committee, bill)
    db.session.flush()
    return (
        f"{sum(len(c) for c in made.values())} committees, {count} hearings, 1 committee roll call"
    )


__all__ = ["NAMES", "SOURCE", "SOURCE_URL", "load_demo_hearings"]
