"""Who held which seat on which day: the one seat rule.

**Policy** (the README's glossary, "seated"): a term is held on a day when the
day lies between its effective bounds, both inclusive.  The start is
``held_from``: the start date a roster source records, or else the first day
a journal roll names the member.  The end is ``held_until``: the recorded end
date (later when a journal roll names the member after it), or the day
before the same person's next term when no source records an end; empty
while the member still serves.  **A term whose start no source records and
no journal roll shows is never counted as held**: nobody is counted seated
before the record shows them seated, and nobody is counted after they left.

``tracker.roster`` derives the bounds (with their source and basis); this
module only answers questions about them.  Every other module asks here:
verification and "not voting", excused absences, scorecard rosters and their
frozen copies, alert targets, district lookup, the legislator page's current
term, the demo.  ``tests/test_seats.py`` fails when a comparison of a term's
dates appears anywhere else.

The roster itself also needs one weaker question while it resolves printed
names: could a source's *recorded* span include a day?  That is
:func:`span_relation`, here as well, so that both answers live in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import selectinload

from tracker import localtime
from tracker.extensions import db
from tracker.models import LegislativeSession, Person, Term

POLICY = (
    "A legislator counts as seated on a day when it falls between the start of their term "
    "(the date a roster source records, or else the first day the chamber's journal roll "
    "names them) and its end (the recorded end, or the last day a journal roll names them if "
    "later); a term whose start no source records and no journal roll shows is never counted."
)

Relation = Literal["inside", "possible", "before", "after"]
ONE_DAY = dt.timedelta(days=1)


class Bounds(Protocol):
    """What the seat rule reads of a term: a ``Term``, or a plain row of its columns
    (``tracker.reads.legislator_list`` reads 2,000 terms without making ORM objects)."""

    @property
    def id(self) -> int | None: ...
    @property
    def start_date(self) -> dt.date | None: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def held_from(self) -> dt.date | None: ...
    @property
    def held_until(self) -> dt.date | None: ...


B = TypeVar("B", bound=Bounds)


# ---------------------------------------------------------------- the rule


def held(held_from: dt.date | None, held_until: dt.date | None, day: dt.date) -> bool:
    """The seat rule over plain bounds (module docstring)."""
    if held_from is None or day < held_from:
        return False
    return held_until is None or day <= held_until


def term_held_on(term: Bounds, day: dt.date) -> bool:
    return held(term.held_from, term.held_until, day)


def not_held_because(
    held_from: dt.date | None, day: dt.date
) -> Literal["start_unknown", "before", "after"]:
    """Why a term starting ``held_from`` is not held on ``day`` (ask only when it is not)."""
    if held_from is None:
        return "start_unknown"
    return "before" if day < held_from else "after"


def held_on_clause(cls: Any, day: dt.date) -> ColumnElement[bool]:
    """The same rule as a SQL condition on the ``term`` table (or an alias of it)."""
    return and_(
        cls.held_from.is_not(None),
        cls.held_from <= day,
        or_(cls.held_until.is_(None), cls.held_until >= day),
    )


def held_during_clause(cls: Any, start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """Terms held on at least one day of ``start``..``end`` (an open end: any later
    day; an open start: any earlier day)."""
    conditions = [cls.held_from.is_not(None)]
    if end is not None:
        conditions.append(cls.held_from <= end)
    if start is not None:
        conditions.append(or_(cls.held_until.is_(None), cls.held_until >= start))
    return and_(*conditions)


def held_during(term: Term, start: dt.date | None, end: dt.date | None) -> bool:
    """:func:`held_during_clause` in Python."""
    if term.held_from is None:
        return False
    if end is not None and term.held_from > end:
        return False
    return start is None or term.held_until is None or term.held_until >= start


def span_relation(start: dt.date | None, end: dt.date | None, day: dt.date) -> Relation:
    """Where ``day`` lies against a *recorded* span whose bounds may be unknown:
    ``inside`` (both bounds known or open-ended and the day between them),
    ``possible`` (an unknown start does not exclude it), ``before`` or ``after``."""
    if end is not None and day > end:
        return "after"
    if start is not None and day < start:
        return "before"
    return "inside" if start is not None else "possible"


def days_outside(start: dt.date | None, end: dt.date | None, day: dt.date) -> int:
    """How many days ``day`` lies outside a recorded span (0 inside or possible)."""
    if end is not None and day > end:
        return (day - end).days
    if start is not None and day < start:
        return (start - day).days
    return 0


def spans_overlap(
    a_start: dt.date | None, a_end: dt.date | None, b_start: dt.date | None, b_end: dt.date | None
) -> bool:
    """Whether two recorded spans could share a day (an unknown bound is open)."""
    if a_end is not None and b_start is not None and b_start > a_end:
        return False
    return not (b_end is not None and a_start is not None and a_start > b_end)


def later(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether bound ``a`` is after bound ``b`` (both known)."""
    return a is not None and b is not None and a > b


def day_before(day: dt.date) -> dt.date:
    return day - ONE_DAY


# ---------------------------------------------------------------- questions


def seats_on(chamber: str, day: dt.date) -> list[Term]:
    """The terms of ``chamber`` held on ``day``, one per person (the latest
    starting), in district order."""
    terms = db.session.scalars(
        select(Term)
        .options(selectinload(Term.person).selectinload(Person.names))
        .where(Term.chamber == chamber, Term.held_on(day))
        .order_by(Term.person_id, Term.held_from.desc(), Term.id.desc())
    ).all()
    found: dict[int, Term] = {}
    for term in terms:
        found.setdefault(term.person_id, term)
    return sorted(found.values(), key=lambda t: (district_sort_key(t.district), t.person_id))


def seat_of(person_id: int, chamber: str, day: dt.date) -> Term | None:
    """The term of ``person_id`` in ``chamber`` held on ``day``, or None."""
    return db.session.scalars(
        select(Term)
        .where(Term.person_id == person_id, Term.chamber == chamber, Term.held_on(day))
        .order_by(Term.held_from.desc(), Term.id.desc())
        .limit(1)
    ).first()


def holder_of(chamber: str, district: str, day: dt.date) -> Term | None:
    """The term that holds ``chamber`` seat ``district`` on ``day`` (None: vacant,
    or unknown).  Two holders are a roster conflict the roster flags; the later
    start wins here."""
    return holders_of([(chamber, district)], day).get((chamber, district))


def holders_of(seats: Iterable[tuple[str, str]], day: dt.date) -> dict[tuple[str, str], Term]:
    """:func:`holder_of` of several ``(chamber, district)`` seats in one query, each
    term with its person and the person's terms loaded (what a card of the
    holder shows); vacant or unknown seats are left out."""
    wanted = list(dict.fromkeys(seats))
    if not wanted:
        return {}
    terms = db.session.scalars(
        select(Term)
        .options(selectinload(Term.person).selectinload(Person.terms))
        .where(
            or_(*(and_(Term.chamber == c, Term.district == d) for c, d in wanted)),
            Term.held_on(day),
        )
        .order_by(Term.held_from.desc(), Term.id.desc())
    ).all()
    found: dict[tuple[str, str], Term] = {}
    for term in terms:  # the later start first: it wins
        found.setdefault((term.chamber, term.district), term)
    return found


def holders_by_district(chamber: str, day: dt.date) -> dict[str, Term]:
    """``holder_of`` for every district of ``chamber`` at once."""
    found: dict[str, Term] = {}
    for term in seats_on(chamber, day):
        known = found.get(term.district)
        if known is None or later(term.held_from, known.held_from):
            found[term.district] = term
    return found


def roster_of_span(
    chambers: Sequence[str], start: dt.date | None, end: dt.date | None
) -> dict[int, Term]:
    """Everyone who held a seat in ``chambers`` on any day of ``start``..``end``,
    with the term that describes them (the latest one held in the span)."""
    best: dict[int, Term] = {}
    for term in db.session.scalars(
        select(Term).where(Term.chamber.in_(list(chambers)), held_during_clause(Term, start, end))
    ):
        known = best.get(term.person_id)
        if known is None or later(term.held_from, known.held_from):
            best[term.person_id] = term
    return best


def session_span(sessions: Iterable[LegislativeSession]) -> tuple[dt.date | None, dt.date | None]:
    """The first start and last end of ``sessions`` (None where any is unknown)."""
    chosen = list(sessions)
    starts = [s.start_date for s in chosen]
    ends = [s.end_date for s in chosen]
    start = None if not chosen or None in starts else min(d for d in starts if d)
    end = None if not chosen or None in ends else max(d for d in ends if d)
    return start, end


def held_in_session_clause(cls: Any, session: LegislativeSession) -> ColumnElement[bool]:
    """Terms held on some day of ``session`` (its unknown bounds do not exclude)."""
    return held_during_clause(cls, session.start_date, session.end_date)


def current_term(person: Person, today: dt.date | None = None) -> Term | None:
    """The term ``person`` holds today (the latest starting, if two), else the
    term that ended last (a former member's last seat)."""
    return current_of(person.terms, today)


def current_of(terms: Sequence[B], today: dt.date | None = None) -> B | None:
    """:func:`current_term` of one person's ``terms``."""
    today = today or localtime.today()
    holding = [t for t in terms if held(t.held_from, t.held_until, today)]
    if holding:
        return max(holding, key=lambda t: (t.held_from or dt.date.min, t.id or 0))
    return last_of(terms)


def last_term(person: Person) -> Term | None:
    """The person's latest term: open-ended first, else the one that ended last."""
    return last_of(person.terms)


def last_of(terms: Sequence[B]) -> B | None:
    """:func:`last_term` of one person's ``terms``."""

    def order(t: B) -> tuple[dt.date, dt.date, int]:
        return (t.held_until or dt.date.max, t.held_from or t.start_date or dt.date.min, t.id or 0)

    return max(terms, key=order, default=None)


def serving(person: Person, today: dt.date | None = None) -> bool:
    """Whether ``person`` holds any seat today."""
    return serving_in(person.terms, today)


def serving_in(terms: Iterable[Bounds], today: dt.date | None = None) -> bool:
    """:func:`serving` of one person's ``terms``."""
    today = today or localtime.today()
    return any(term_held_on(t, today) for t in terms)


def terms_in_order(person: Person) -> list[Term]:
    """The person's terms, latest first (for pages)."""

    def order(t: Term) -> tuple[dt.date, int]:
        return (t.held_from or t.start_date or t.held_until or t.end_date or dt.date.min, t.id or 0)

    return sorted(person.terms, key=order, reverse=True)


def recorded_term(terms: Sequence[Term], day: dt.date) -> Term | None:
    """Of one seat's terms, the one whose *recorded* span includes ``day`` (or may:
    an unknown start), the latest starting; else the latest.  Evidence that a
    member held the seat on ``day`` (a member list) belongs to that term."""
    if not terms:
        return None
    ordered = sorted(terms, key=lambda t: (t.start_date or dt.date.min, t.id or 0))
    fitting = [
        t for t in ordered if span_relation(t.start_date, t.end_date, day) in ("inside", "possible")
    ]
    return (fitting or ordered)[-1]


def district_sort_key(district: str | None) -> tuple[int, str]:
    """``9B`` before ``10A``; unknown districts last."""
    if not district:
        return (999, "")
    digits = "".join(c for c in district if c.isdigit())
    return (int(digits) if digits else 999, district)


__all__ = [
    "POLICY",
    "current_term",
    "day_before",
    "days_outside",
    "district_sort_key",
    "held",
    "held_during",
    "held_during_clause",
    "held_in_session_clause",
    "held_on_clause",
    "holder_of",
    "holders_by_district",
    "last_term",
    "later",
    "not_held_because",
    "recorded_term",
    "roster_of_span",
    "seat_of",
    "seats_on",
    "serving",
    "session_span",
    "span_relation",
    "spans_overlap",
    "term_held_on",
    "terms_in_order",
]
