"""Invented benchmark data: ``tracker bench-data --scale mn|large``.

Writes an invented legislature into the configured database (meant to be a
database of its own): invented people ("Bench" surnames, marked demo), terms,
sessions, bills, verified roll calls with every member's vote, and one
scorecard per session with scored roll calls.  Nothing here is real.

The ``session`` scale is a full session as the public pages see it (6,000 bills,
HF 1 an omnibus bill with a roll call in every 80, 26 in all); ``history`` is ten
such sessions (``benchmarks/bench_pages.py`` calls :func:`generate` with them).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, func, insert, select

from tracker import localtime
from tracker.extensions import db
from tracker.models import (
    Bill,
    LegislativeSession,
    MemberVote,
    Person,
    RollCall,
    Scorecard,
    ScorecardSession,
    ScorecardVote,
    Term,
)
from tracker.models.common import new_public_id, utcnow
from tracker.roster import derive
from tracker.search import search_text


@dataclass(frozen=True)
class Scale:
    sessions: int
    roll_calls_per_session: int
    scored_per_session: int
    house_share: float = 0.75  # share of roll calls taken in the House
    bills_per_session: int = 0  # 0: one bill per two roll calls, and one more
    omnibus_every: int = 0  # when set, every n-th roll call is on HF 1 instead of its own bill


SCALES = {
    "tiny": Scale(sessions=2, roll_calls_per_session=40, scored_per_session=8),  # for tests
    "mn": Scale(sessions=1, roll_calls_per_session=2000, scored_per_session=60),
    "large": Scale(sessions=10, roll_calls_per_session=2000, scored_per_session=60),
    "session": Scale(
        sessions=1,
        roll_calls_per_session=2000,
        scored_per_session=60,
        bills_per_session=6000,
        omnibus_every=80,
    ),
    "history": Scale(
        sessions=10,
        roll_calls_per_session=2000,
        scored_per_session=60,
        bills_per_session=6000,
        omnibus_every=80,
    ),
}
HOUSE_SEATS = [f"{n}{side}" for n in range(1, 68) for side in "AB"][:134]
SENATE_SEATS = [str(n) for n in range(1, 68)]
TURNOVER = 0.15


class BenchError(RuntimeError):
    pass


def _inserted_key(statement: Insert) -> Any:
    """The primary key of the one row ``statement`` inserts.  (An INSERT gives a
    CursorResult; ``Session.execute`` is typed as returning any Result.)"""
    result = cast("CursorResult[Any]", db.session.execute(statement))
    key = result.inserted_primary_key
    assert key is not None  # always set after a single-row INSERT
    return key[0]


def generate(scale_name: str, *, seed: int = 7) -> dict[str, int]:
    if scale_name not in SCALES:
        raise BenchError(f"unknown scale {scale_name!r}; choose {', '.join(SCALES)}")
    if db.session.scalar(select(func.count()).select_from(Person)):
        raise BenchError("bench-data writes into an empty database of its own; this one has data")
    scale = SCALES[scale_name]
    rng = random.Random(seed)  # noqa: S311 - invented data
    counts = {"people": 0, "terms": 0, "roll_calls": 0, "member_votes": 0, "scored": 0}
    seats = [("house", d) for d in HOUSE_SEATS] + [("senate", d) for d in SENATE_SEATS]
    holder: dict[tuple[str, str], int] = {}
    # The latest session is the one under way today (a biennium starts in an odd year),
    # and each term runs until the next legislature convenes, so members serve today.
    today = localtime.today()
    first_year = (today.year if today.year % 2 else today.year - 1) - 2 * (scale.sessions - 1)

    def new_person() -> int:
        counts["people"] += 1
        number = counts["people"]
        person_id = _inserted_key(
            insert(Person).values(
                public_id=new_public_id(),
                name=f"Member {number:04d} Benchwick",
                given_name=f"Member {number:04d}",
                family_name="Benchwick",
                is_demo=True,
                created_at=utcnow(),
            )
        )
        return int(person_id)

    for index in range(scale.sessions):
        year = first_year + 2 * index
        start, end = dt.date(year, 1, 5), dt.date(year + 1, 5, 20)
        session = LegislativeSession(
            identifier=f"{year}-{year + 1}",
            revisor_code=f"0{80 + index:02d}{year}",
            name=f"{year}-{year + 1} Bench Session",
            legislature=80 + index,
            year=year,
            start_date=start,
            end_date=end,
            is_demo=True,
        )
        db.session.add(session)
        db.session.flush()
        party: dict[int, str] = {}
        terms = []
        for seat in seats:
            if seat not in holder or rng.random() < TURNOVER:
                holder[seat] = new_person()
            pid = holder[seat]
            party[pid] = "DFL" if rng.random() < 0.52 else "R"
            terms.append(
                {
                    "person_id": pid,
                    "chamber": seat[0],
                    "district": seat[1],
                    "party": party[pid],
                    "start_date": start,
                    "end_date": dt.date(year + 2, 1, 4),
                }
            )
        db.session.execute(insert(Term), terms)
        counts["terms"] += len(terms)
        members = {c: [holder[s] for s in seats if s[0] == c] for c in ("house", "senate")}
        bills = []
        for number in range(
            1, (scale.bills_per_session or scale.roll_calls_per_session // 2 + 1) + 1
        ):
            title = f"Invented bench bill {number}"
            bills.append(
                {
                    "session_id": session.id,
                    "bill_type": "HF",
                    "number": number,
                    "title": title,
                    "search_text": search_text(Bill(bill_type="HF", number=number, title=title)),
                    "status": "passed_house",
                    "created_at": utcnow(),
                }
            )
        db.session.execute(insert(Bill), bills)
        bill_ids = list(
            db.session.scalars(
                select(Bill.id).where(Bill.session_id == session.id).order_by(Bill.number)
            )
        )
        card = Scorecard(
            title=f"{year}-{year + 1} Bench Scorecard", chambers=["house", "senate"], is_demo=True
        )
        db.session.add(card)
        db.session.flush()
        db.session.execute(
            insert(ScorecardSession).values(scorecard_id=card.id, session_id=session.id)
        )
        scored_every = max(1, scale.roll_calls_per_session // scale.scored_per_session)
        omnibus = scale.omnibus_every
        for n in range(scale.roll_calls_per_session):
            chamber = "house" if rng.random() < scale.house_share else "senate"
            day = start + dt.timedelta(days=n % 480)
            votes, yeas, nays = [], 0, 0
            for pid in members[chamber]:
                roll = rng.random()
                lean = 0.8 if party[pid] == "DFL" else 0.3
                option = "not_voting" if roll < 0.03 else ("yes" if rng.random() < lean else "no")
                yeas += option == "yes"
                nays += option == "no"
                votes.append({"person_id": pid, "option": option})
            roll_call_id = _inserted_key(
                insert(RollCall).values(
                    public_id=new_public_id(),
                    chamber=chamber,
                    date=day,
                    bill_id=bill_ids[0 if omnibus and n % omnibus == 0 else n // 2],
                    motion="Passage",
                    kind="passage",
                    amendment_id="",
                    journal_page=str(n + 1),
                    sequence=0,
                    yeas=yeas,
                    nays=nays,
                    verified=True,
                    created_at=utcnow(),
                    verification_note="Invented benchmark roll call.",
                )
            )
            for vote in votes:
                vote["roll_call_id"] = roll_call_id
            db.session.execute(insert(MemberVote), votes)
            counts["roll_calls"] += 1
            counts["member_votes"] += len(votes)
            if n % scored_every == 0 and counts["scored"] < scale.scored_per_session * (index + 1):
                db.session.execute(
                    insert(ScorecardVote).values(
                        scorecard_id=card.id,
                        roll_call_id=roll_call_id,
                        aligned="yes",
                        weight=2 if n % (scored_every * 10) == 0 else 1,
                        description="A yes vote.",
                        active=True,
                        version=1,
                        updated_at=utcnow(),
                    )
                )
                counts["scored"] += 1
        db.session.flush()
    derive()  # held_from/held_until from the invented term dates (tracker.roster)
    return counts
