"""The read layer: the queries public pages, staff pages and the API share.

Each function builds one query (or a fixed few) with what its readers need
loaded eagerly, so that no page issues a query per row.  Scorecard versions
are read through their snapshots (``tracker.snapshots``), not here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, raiseload, selectinload

from scrapers.vocab import EXCUSED, NO, NOT_VOTING, YES
from tracker import dataversion
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillPosition,
    LegislativeSession,
    MemberVote,
    Person,
    RollCall,
    Term,
)

ROLL_CALL_ORDER = (
    RollCall.date,
    RollCall.chamber,
    RollCall.journal_page,
    RollCall.sequence,
    RollCall.id,
)


def bill(session_identifier: str, bill_type: str, number: int) -> Bill | None:
    """One bill with its session (from the join), companion, authors (and their
    people) and actions."""
    return db.session.scalar(
        select(Bill)
        .join(Bill.session)
        .where(
            LegislativeSession.identifier == session_identifier,
            Bill.bill_type == bill_type,
            Bill.number == number,
        )
        .options(
            contains_eager(Bill.session),
            selectinload(Bill.companion).selectinload(Bill.session),
            selectinload(Bill.authors).selectinload(Authorship.person),
            selectinload(Bill.actions),
        )
    )


def roll_calls_of(bill_id: int | None) -> list[RollCall]:
    """A bill's roll calls in the record's order, each with its action (a fixed two
    queries; their bill, loaded already by whoever asks, comes from the session's
    identity map).  Their member votes are read with ``voters_of``: touching
    ``member_votes`` here raises instead of loading a list per roll call."""
    if bill_id is None:
        return []
    return list(
        db.session.scalars(
            select(RollCall)
            .where(RollCall.bill_id == bill_id)
            .options(
                selectinload(RollCall.action),
                raiseload(RollCall.member_votes),
            )
            .order_by(*ROLL_CALL_ORDER)
        )
    )


def roll_call(public_id: str) -> RollCall | None:
    """One roll call by its public id, with its bill (and the bill's session) and its
    action, in one statement; its member votes are read with ``voters_of``."""
    if len(public_id) > 64:
        return None
    return db.session.scalar(
        select(RollCall)
        .where(RollCall.public_id == public_id)
        .options(
            joinedload(RollCall.bill).joinedload(Bill.session),
            joinedload(RollCall.action),
            raiseload(RollCall.member_votes),
        )
    )


# The options a roll call's names are listed under, in the order pages list them
# (a member "not seated" has no member vote to list).
LISTED_OPTIONS = (YES, NO, NOT_VOTING, EXCUSED)


class Voter(NamedTuple):
    """One member vote as pages and documents show it: the name the record printed,
    and the person it is matched to (public id and name), if any.  (A tuple: pages
    key thousands of them in dictionaries.)"""

    option: str
    printed_name: str | None
    person_id: str | None
    person_name: str | None

    @property
    def name(self) -> str:
        """The matched person's name, else the printed name."""
        return self.person_name or self.printed_name or ""


@dataclass(frozen=True, slots=True)
class Voters:
    """Every member vote of one roll call, in the one order pages and documents
    list them: by the name as printed (the record's own alphabetical order), then
    by the matched person's name, ignoring case."""

    all: tuple[Voter, ...]

    def by_option(self) -> list[tuple[str, list[Voter]]]:
        """(option, voters) for each listed option that has any, in page order."""
        grouped: dict[str, list[Voter]] = defaultdict(list)
        for voter in self.all:
            grouped[voter.option].append(voter)
        return [(option, grouped[option]) for option in LISTED_OPTIONS if grouped[option]]


def _voter_order(voter: Voter) -> tuple[str, str]:
    return ((voter.printed_name or voter.name).casefold(), voter.name.casefold())


def people_of(voters: Mapping[int, Voters]) -> set[str]:
    """The public ids of the people among ``voters``: each once."""
    return {v.person_id for found in voters.values() for v in found.all if v.person_id}


def voters_of(roll_call_ids: Sequence[int]) -> dict[int, Voters]:
    """Roll call id -> its member votes, read as plain rows in one query whatever
    their number (a bill with 26 roll calls has 2,750): a bill's page and its API
    document list every one."""
    if not roll_call_ids:
        return {}
    rows: dict[int, list[Voter]] = {rc: [] for rc in roll_call_ids}
    # Core rows on the session's connection: the ORM's result machinery costs more
    # than the query for 2,750 plain rows.
    found = db.session.connection().execute(
        select(
            MemberVote.roll_call_id,
            MemberVote.option,
            MemberVote.printed_name,
            Person.public_id,
            Person.name,
        )
        .outerjoin(Person, Person.id == MemberVote.person_id)
        .where(MemberVote.roll_call_id.in_(list(roll_call_ids)))
    )
    for roll_call_id, option, printed_name, person_id, person_name in found.all():
        rows[roll_call_id].append(Voter(option, printed_name, person_id, person_name))
    return {rc: Voters(tuple(sorted(voters, key=_voter_order))) for rc, voters in rows.items()}


def person(public_id: str) -> Person | None:
    """One person with their terms and name forms, in one statement (a person has a
    few of each: the join's rows are their product, a few dozen at most)."""
    if len(public_id) > 64:
        return None
    return (
        db.session.scalars(
            select(Person)
            .where(Person.public_id == public_id)
            .options(joinedload(Person.terms), joinedload(Person.names))
        )
        .unique()
        .one_or_none()
    )


# the published position of every roll call on a tagged bill, by data version
# (publishing a position bumps it): the scorecard and legislator pages' column
_positions: dataversion.Kept[dict[int, str]] = dataversion.Kept()


def positions_by_roll_call(roll_call_ids: list[int]) -> dict[int, str]:
    """Published position of each roll call's bill (the "our position" column), for
    those roll calls whose bill has one.  Every tagged bill's roll calls are read in
    one query once per data version: a few per tagged bill, whatever the number asked
    for (a legislator at ten sessions has 600)."""
    every = _positions.get(_read_positions)
    return {rc: every[rc] for rc in roll_call_ids if rc in every}


def _read_positions() -> dict[int, str]:
    return {
        rc: str(position)
        for rc, position in db.session.execute(
            select(RollCall.id, BillPosition.published_position)
            .join(BillPosition, BillPosition.bill_id == RollCall.bill_id)
            .where(BillPosition.published_position.in_(["support", "oppose"]))
        )
    }


def published_position_map(bill_ids: list[int]) -> dict[int, BillPosition]:
    if not bill_ids:
        return {}
    return {
        p.bill_id: p
        for p in db.session.scalars(
            select(BillPosition).where(
                BillPosition.bill_id.in_(bill_ids),
                BillPosition.published_position.in_(["support", "oppose"]),
            )
        )
    }


def authorship_of_tagged(person: Person) -> list[tuple[Authorship, BillPosition]]:
    rows = (
        db.session.scalars(
            select(Authorship)
            .join(Bill)
            .where(Authorship.person_id == person.id, Authorship.missing_from_source.is_(False))
            .options(joinedload(Authorship.bill).joinedload(Bill.session))  # one query
            .order_by(Bill.session_id.desc(), Bill.bill_type, Bill.number)
        )
        .unique()
        .all()
    )
    positions = published_position_map([a.bill_id for a in rows])
    return [(a, positions[a.bill_id]) for a in rows if a.bill_id in positions]


PENDING = (
    "introduced",
    "in_committee",
    "passed_house",
    "passed_senate",
    "in_conference",
    "presented_to_governor",
)


def pending_tagged_bills(limit: int = 3) -> list[tuple[Bill, BillPosition]]:
    """Tagged bills still moving, for a call script (latest sessions first)."""
    rows = db.session.execute(
        select(Bill, BillPosition)
        .join(BillPosition, BillPosition.bill_id == Bill.id)
        .options(selectinload(Bill.companion))  # what a member of the other chamber is asked
        .where(BillPosition.published_position.in_(["support", "oppose"]), Bill.status.in_(PENDING))
        .order_by(Bill.session_id.desc(), Bill.bill_type, Bill.number)
        .limit(limit)
    ).all()
    return [(bill, position) for bill, position in rows]


class TermRow(NamedTuple):
    """A term's columns that lists of legislators show and the seat rule reads
    (``tracker.seats.Bounds``).  (Tuples: a frozen dataclass costs three times as
    much to make, and ten sessions of history are 2,010 terms.)"""

    id: int
    chamber: str
    district: str
    party: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    held_from: dt.date | None
    held_until: dt.date | None


class LegislatorRow(NamedTuple):
    """A person as lists of legislators show them, with every term."""

    public_id: str
    name: str
    terms: tuple[TermRow, ...]


# every legislator with their terms (``legislator_list``), by data version
_roster: dataversion.Kept[tuple[LegislatorRow, ...]] = dataversion.Kept()


def legislator_list(chamber: str | None = None) -> list[LegislatorRow]:
    """Every legislator (who ever held a seat in ``chamber``, when given) by family
    name, with their terms.

    Read once per data version, like the scorecards' snapshots (every change to a
    person or a term bumps it), unless this transaction has changes of its own:
    reading ten sessions' 507 people and 2,010 terms was a third of the list's
    render."""
    everyone = _roster.get(_read_roster)
    if chamber:
        return [p for p in everyone if any(t.chamber == chamber for t in p.terms)]
    return list(everyone)


def _read_roster() -> tuple[LegislatorRow, ...]:
    """Every person by family name with every term: two queries of plain rows,
    whatever their number."""
    people = select(Person.id, Person.public_id, Person.name).order_by(
        Person.family_name, Person.name
    )
    connection = db.session.connection()
    found = connection.execute(people).all()
    terms: dict[int, list[TermRow]] = defaultdict(list)
    # fetched at once and unpacked: a row at a time, by attribute, cost more than the query
    for (
        person_id,
        id_,
        chamber_,
        district,
        party,
        start,
        end,
        held_from,
        held_until,
    ) in connection.execute(
        select(
            Term.person_id,
            Term.id,
            Term.chamber,
            Term.district,
            Term.party,
            Term.start_date,
            Term.end_date,
            Term.held_from,
            Term.held_until,
        ).order_by(Term.id)
    ).all():
        terms[person_id].append(
            TermRow(id_, chamber_, district, party, start, end, held_from, held_until)
        )
    return tuple(
        LegislatorRow(public_id, name, tuple(terms.get(person_id, ())))
        for person_id, public_id, name in found
    )
