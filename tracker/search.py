"""The one search of bills and of people, used by public pages, staff pages and the API.

Bills: a query matches a bill id (``HF 2136``, ``hf2136``), a bare number
(every bill with that number) or, word by word, the bill's *search text*: its
title and its authors' names (printed and matched) folded by
:func:`scrapers.names.fold`, so ``ibanez`` finds ``Ibáñez-Ortega`` and
``child care`` finds ``Child-care``...  The search text is kept in
``bill.search_text`` by a flush hook here, whoever writes the bill or its
authors, so the comparison is a plain ``LIKE`` on SQLite and PostgreSQL alike
(no ``unaccent`` extension).  Results come in one stable order: newest
session first, then bill type and number.

People: :func:`name_ranks` matches a folded needle against every name form of
every person (a few thousand rows at most), in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, event, exists, false, inspect, or_, select
from sqlalchemy.orm import InstanceState, Session, selectinload
from sqlalchemy.sql import Select

from scrapers.names import fold
from scrapers.parsing import normalize_bill_id
from tracker import dataversion
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillPosition,
    LegislativeSession,
    Person,
    PersonName,
    RollCall,
)

QUERY_MAX = 200
TAGGED = ("support", "oppose")
CHAMBER_TYPES = {"house": ("HF", "HR", "HC"), "senate": ("SF", "SR", "SC")}


# ---------------------------------------------------------------- the search text


def search_text(bill: Bill) -> str:
    """A bill's title and its authors' names, folded."""
    names: list[str] = []
    for author in bill.authors:
        names.append(author.printed_name)
        if author.person is not None and author.person.name != author.printed_name:
            names.append(author.person.name)
    return fold(" ".join([bill.title or "", *names]))


@event.listens_for(Session, "before_flush")
def _index(session: Session, _context: Any, _instances: Any) -> None:
    touched: set[Bill] = set()
    for obj in session.new:
        if isinstance(obj, Bill):
            touched.add(obj)
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Bill) and obj not in touched:
            # Annotated: inspect() of an instance of an untyped model infers Never.
            state: InstanceState[Bill] = inspect(obj)
            attrs = state.attrs
            if attrs.title.history.has_changes() or attrs.authors.history.has_changes():
                touched.add(obj)
        elif isinstance(obj, Authorship) and obj.bill is not None:
            touched.add(obj.bill)
    for obj in session.deleted:
        if isinstance(obj, Authorship) and obj.bill is not None and obj.bill not in session.deleted:
            touched.add(obj.bill)
    for bill in touched:
        text = search_text(bill)
        if bill.search_text != text:
            bill.search_text = text


# ---------------------------------------------------------------- bills


@dataclass(frozen=True)
class BillFilter:
    """What a reader asks of the bill list.  ``tagged``/``position`` look at the
    *published* position (what the public sees); ``working_tagged`` at the
    staff's working position; ``roll_calls`` at whether any roll call is stored."""

    q: str = ""
    session: str | None = None  # identifier, e.g. 2025-2026
    chamber: str | None = None
    status: str | None = None
    position: str | None = None
    tagged: bool | None = None
    working_tagged: bool | None = None
    roll_calls: bool | None = None


def text_clause(q: str) -> Any:
    """The condition for a typed query (see the module docstring), or None when empty."""
    q = q.strip()[:QUERY_MAX]
    if not q:
        return None
    conditions = []
    try:
        bill_type, number = normalize_bill_id(q)
    except ValueError:
        pass
    else:
        conditions.append(and_(Bill.bill_type == bill_type, Bill.number == number))
    if q.isdigit() and len(q) <= 6:
        conditions.append(Bill.number == int(q))
    words = fold(q).split()
    if words:
        conditions.append(and_(*(Bill.search_text.contains(w, autoescape=True) for w in words)))
    return or_(*conditions)


# Every session's id and identifier, newest first (the one order of sessions), read
# once per data version: a bill list orders by its session's place in it, so that
# PostgreSQL sorts bills alone instead of joining every matching bill to its session
# (the page of a search for a word all 6,000 bills of a session hold: PostgreSQL's
# execution 3.2 ms -> 1.9, its count 1.2 -> 0.8).
_sessions: dataversion.Kept[tuple[tuple[int, str], ...]] = dataversion.Kept()


def _read_sessions() -> tuple[tuple[int, str], ...]:
    rows = db.session.execute(
        select(LegislativeSession.id, LegislativeSession.identifier).order_by(
            LegislativeSession.year.desc(),
            LegislativeSession.special_number.desc(),
            LegislativeSession.id,
        )
    )
    return tuple((int(id_), str(identifier)) for id_, identifier in rows)


def ordered(query: Select[Any]) -> Select[Any]:
    """The one order of bill lists: newest session first (the year, then the special
    session's number), then type and number."""
    places = {id_: place for place, (id_, _) in enumerate(_sessions.get(_read_sessions))}
    if places:
        query = query.order_by(case(places, value=Bill.session_id, else_=len(places)))
    return query.order_by(Bill.bill_type, Bill.number, Bill.id)


def bills(spec: BillFilter) -> Select[Any]:
    """The bills ``spec`` asks for, in the one order, sessions loaded."""
    query = select(Bill).options(selectinload(Bill.session))
    if spec.session:
        ids = [id_ for id_, name in _sessions.get(_read_sessions) if name == spec.session]
        query = query.where(Bill.session_id.in_(ids) if ids else false())
    if spec.chamber:
        query = query.where(Bill.bill_type.in_(CHAMBER_TYPES[spec.chamber]))
    if spec.status:
        query = query.where(Bill.status == spec.status)
    clause = text_clause(spec.q)
    if clause is not None:
        query = query.where(clause)
    if spec.tagged is not None or spec.position:
        published = exists().where(
            BillPosition.bill_id == Bill.id,
            BillPosition.published_position.in_([spec.position] if spec.position else TAGGED),
        )
        query = query.where(published if spec.tagged is not False else ~published)
    if spec.working_tagged is not None:
        working = exists().where(BillPosition.bill_id == Bill.id, BillPosition.position != "none")
        query = query.where(working if spec.working_tagged else ~working)
    if spec.roll_calls is not None:
        stored = exists().where(RollCall.bill_id == Bill.id)
        query = query.where(stored if spec.roll_calls else ~stored)
    return ordered(query)


# ---------------------------------------------------------------- people


def name_ranks(query: str) -> dict[int, int]:
    """Person id -> rank (0: a name form has a word starting with the query,
    1: contains it) for every person one of whose names contains ``query``,
    folded.  Literal: ``%`` and ``_`` are ordinary characters."""
    needle = fold(query or "")
    best: dict[int, int] = {}
    if not needle:
        return best

    def consider(rows: Iterable[Any]) -> None:
        for person_id, name in rows:
            folded = fold(name or "")
            at = folded.find(needle)
            if at < 0:
                continue
            rank = 0 if at == 0 or not folded[at - 1].isalnum() else 1
            if rank < best.get(person_id, 2):
                best[person_id] = rank

    consider(db.session.execute(select(Person.id, Person.name)))
    consider(db.session.execute(select(PersonName.person_id, PersonName.name)))
    return best


__all__ = ["BillFilter", "bills", "name_ranks", "ordered", "search_text", "text_clause"]
