"""What the public sees: published scorecard versions, read into plain data.

Only published versions (never a draft, never score rows of version 0) and
published positions are read here.  Pages and exports call these functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillPosition,
    FrozenMemberVote,
    FrozenVote,
    LegislatorScoreRow,
    Person,
    RollCall,
    Scorecard,
    ScorecardVersion,
)
from tracker.scorecards import latest_versions_query
from tracker.scoring import display_score, medians
from tracker.seats import district_sort_key


@dataclass
class LegislatorRow:
    person: Person
    chamber: str
    party: str | None
    district: str | None
    score: Fraction | None
    grade: str | None
    votes_cast: int
    votes_possible: int
    excused: int
    votes: dict[int, str] = field(default_factory=dict)  # roll call id -> option

    @property
    def display(self) -> int | None:
        return display_score(self.score)

    @property
    def attendance(self) -> Fraction | None:
        return Fraction(self.votes_cast, self.votes_possible) if self.votes_possible else None


@dataclass
class ScorecardView:
    card: Scorecard
    version: ScorecardVersion
    votes: list[FrozenVote]
    rows: list[LegislatorRow]
    chamber_medians: dict[str, Fraction | None]
    party_medians: dict[str, Fraction | None]

    @property
    def methodology(self) -> dict[str, Any]:
        return self.version.methodology


def published_versions() -> list[ScorecardVersion]:
    """The latest published version of every scorecard, newest first."""
    return list(db.session.scalars(
        latest_versions_query().order_by(ScorecardVersion.published_at.desc())))


def find_version(public_id: str, number: int | None = None) -> ScorecardVersion | None:
    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == public_id))
    if card is None or not card.versions:
        return None
    if number is None:
        return card.versions[-1]
    return next((v for v in card.versions if v.number == number), None)


def exact_score(row: LegislatorScoreRow) -> Fraction | None:
    if not row.has_score or not row.eligible_weight:
        return None
    return Fraction(100 * row.aligned_weight, row.eligible_weight)


def scorecard_view(version: ScorecardVersion, person_ids: list[int] | None = None
                   ) -> ScorecardView:
    card = version.scorecard
    query = (select(LegislatorScoreRow)
             .where(LegislatorScoreRow.scorecard_id == card.id,
                    LegislatorScoreRow.version_number == version.number))
    if person_ids is not None:
        query = query.where(LegislatorScoreRow.person_id.in_(person_ids))
    score_rows = list(db.session.scalars(query))
    people = {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_([r.person_id for r in score_rows])))}
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    frozen = select(FrozenMemberVote.person_id, FrozenMemberVote.roll_call_id,
                    FrozenMemberVote.option).where(FrozenMemberVote.version_id == version.id)
    if person_ids is not None:
        frozen = frozen.where(FrozenMemberVote.person_id.in_(person_ids))
    for person_id, roll_call_id, option in db.session.execute(frozen):
        votes[person_id][roll_call_id] = option
    rows = [
        LegislatorRow(
            person=people[r.person_id], chamber=r.chamber, party=r.party, district=r.district,
            score=exact_score(r), grade=r.grade, votes_cast=r.votes_cast,
            votes_possible=r.votes_possible, excused=r.excused, votes=votes.get(r.person_id, {}),
        )
        for r in score_rows
    ]
    rows.sort(key=lambda r: (r.chamber, district_sort_key(r.district), r.person.name))
    all_rows = rows if person_ids is None else _all_rows_for_medians(version)
    return ScorecardView(
        card=card, version=version, votes=list(version.votes), rows=rows,
        chamber_medians=group_medians(all_rows, "chamber"),
        party_medians=group_medians(all_rows, "party"),
    )


def _all_rows_for_medians(version: ScorecardVersion) -> list[LegislatorRow]:
    rows = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.scorecard_id == version.scorecard_id,
        LegislatorScoreRow.version_number == version.number))
    return [LegislatorRow(person=None, chamber=r.chamber, party=r.party,  # type: ignore[arg-type]
                          district=r.district, score=exact_score(r), grade=r.grade, votes_cast=0,
                          votes_possible=0, excused=0) for r in rows]


def group_medians(rows: list[LegislatorRow], attribute: str) -> dict[str, Fraction | None]:
    scores = {str(i): row.score for i, row in enumerate(rows)}
    groups = {str(i): getattr(row, attribute) or "none" for i, row in enumerate(rows)}
    return medians(scores, groups)


# ---------------------------------------------------------------- legislators

def positions_by_roll_call(roll_call_ids: list[int]) -> dict[int, str]:
    """Published position of each roll call's bill (the "our position" column)."""
    if not roll_call_ids:
        return {}
    bills = dict(db.session.execute(
        select(RollCall.id, RollCall.bill_id).where(RollCall.id.in_(roll_call_ids))).all())
    positions = published_position_map(list(set(bills.values())))
    return {rc: str(positions[b].published_position) for rc, b in bills.items()
            if b in positions}


def published_position_map(bill_ids: list[int]) -> dict[int, BillPosition]:
    if not bill_ids:
        return {}
    return {p.bill_id: p for p in db.session.scalars(
        select(BillPosition).where(BillPosition.bill_id.in_(bill_ids),
                                   BillPosition.published_position.in_(["support", "oppose"])))}


def authorship_of_tagged(person: Person) -> list[tuple[Authorship, BillPosition]]:
    rows = db.session.scalars(
        select(Authorship).join(Bill).where(Authorship.person_id == person.id,
                                            Authorship.missing_from_source.is_(False))
        .order_by(Bill.session_id.desc(), Bill.bill_type, Bill.number)).all()
    positions = published_position_map([a.bill_id for a in rows])
    return [(a, positions[a.bill_id]) for a in rows if a.bill_id in positions]


PENDING = ("introduced", "in_committee", "passed_house", "passed_senate", "in_conference",
           "presented_to_governor")


def pending_tagged_bills(limit: int = 3) -> list[tuple[Bill, BillPosition]]:
    """Tagged bills still moving, for a call script (latest sessions first)."""
    rows = db.session.execute(
        select(Bill, BillPosition).join(BillPosition, BillPosition.bill_id == Bill.id)
        .where(BillPosition.published_position.in_(["support", "oppose"]),
               Bill.status.in_(PENDING))
        .order_by(Bill.session_id.desc(), Bill.bill_type, Bill.number).limit(limit)).all()
    return [(bill, position) for bill, position in rows]
