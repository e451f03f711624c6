"""Small builders for test data: sessions, people with terms, bills, roll calls.

Every legislator name used with them in the tests is invented (see
tests/test_fictional_names.py).  Terms are added with their recorded dates;
:func:`derive` then sets the effective bounds the seat rule reads, as the
import pipeline does (``tracker.roster.derive``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.extensions import db
from tracker.models import Bill, LegislativeSession, Person, PersonName, RollCall, Term
from tracker.roster import derive as derive_bounds


def make_session(
    identifier: str = "2025-2026", code: str = "0942025", **kw: Any
) -> LegislativeSession:
    year = int(identifier[:4])
    session = LegislativeSession(
        identifier=identifier,
        revisor_code=code,
        name=kw.pop("name", f"{int(code[1:3])}th Legislature ({identifier})"),
        legislature=kw.pop("legislature", int(code[1:3])),
        year=year,
        start_date=kw.pop("start_date", dt.date(2025, 1, 14) if year == 2025 else None),
        end_date=kw.pop("end_date", dt.date(2026, 5, 18) if year == 2025 else None),
        **kw,
    )
    db.session.add(session)
    db.session.flush()
    return session


def make_person(
    name: str = "Ada Invented", family: str | None = None, *printed: str, **kw: Any
) -> Person:
    """A person named ``name`` (given names, then ``family``), printed as ``printed``."""
    family = family or name.split()[-1]
    given = name[: -len(family)].strip() if name.endswith(family) else name.split()[0]
    person = Person(
        name=name, given_name=kw.pop("given_name", given or None), family_name=family, **kw
    )
    person.names = [PersonName(name=form) for form in printed]
    db.session.add(person)
    db.session.flush()
    return person


def add_term(
    person: Person,
    chamber: str,
    district: str,
    start: dt.date | None,
    end: dt.date | None = None,
    party: str | None = "DFL",
) -> Term:
    term = Term(chamber=chamber, district=district, party=party, start_date=start, end_date=end)
    person.terms.append(term)
    return term


def derive() -> None:
    """Flush, then derive every term's effective bounds (as imports do)."""
    db.session.flush()
    derive_bounds()


def make_bill(
    session: LegislativeSession, bill_type: str = "SF", number: int = 1832, **kw: Any
) -> Bill:
    bill = Bill(
        session=session,
        bill_type=bill_type,
        number=number,
        title=kw.pop("title", "An invented bill"),
        **kw,
    )
    db.session.add(bill)
    db.session.flush()
    return bill


def make_roll_call(bill: Bill, **overrides: Any) -> RollCall:
    values: dict[str, Any] = {
        "chamber": "senate",
        "date": dt.date(2025, 4, 29),
        "motion": "Third reading",
        "journal_page": "4172",
        "yeas": 35,
        "nays": 30,
    }
    values.update(overrides)
    roll_call = RollCall(bill=bill, **values)
    db.session.add(roll_call)
    db.session.flush()
    return roll_call


def house_journal_read(session: LegislativeSession, day: dt.date | None = None) -> None:
    """Record that a House Journal roll of ``session`` was read, as a vote run does
    (so the House records excused absences for it: ``record_chamber_data``)."""
    from tracker.models import JournalRoll
    from tracker.votes import storage

    db.session.add(
        JournalRoll(
            session_id=session.id,
            chamber="house",
            day=day or session.start_date or dt.date(session.year, 2, 1),
            source_url="https://www.house.mn.gov/journals/invented",
            content_hash="0" * 64,
        )
    )
    db.session.flush()
    storage.record_chamber_data(session.id)
