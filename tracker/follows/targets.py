"""What can be followed, and the keys that match events to follows.

A follow names one target by a key:

* ``bill:<id>`` - a bill; its events and its companion's reach it;
* ``person:<id>`` - a legislator;
* ``district:house:62A`` - a House district: whoever holds that seat and the
  Senate seat containing it (62) on the day of each event (the seat rule,
  :mod:`tracker.seats`), "both of your legislators";
* ``district:senate:62`` - a Senate district: whoever holds that Senate seat.
  Which House member is someone's depends on the half of the district they
  live in, so the site asks for the House district to follow both (as the
  district lookup does: :func:`tracker.lookup.normalize_district`).

Forms name a target as ``bill:2025-2026:HF18``, ``legislator:<public id>`` or
``district:62A`` (:func:`parse`); an unknown bill or legislator is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from scrapers.parsing import normalize_bill_id
from scrapers.vocab import HOUSE, SENATE
from tracker import i18n, lookup, reads
from tracker.extensions import db
from tracker.models import Bill, Person


class TargetProblem(ValueError):
    """A target the form names in a way we cannot read (the message says why)."""


@dataclass(frozen=True)
class Target:
    kind: str  # bill, legislator, district
    key: str  # bill:12, person:34, district:house:62A
    label: str  # HF 18, Ada Invented, House district 62A
    form_value: str  # what the form posts back
    bill_id: int | None = None
    person_id: int | None = None
    chamber: str | None = None
    district: str | None = None


def bill_key(bill_id: int) -> str:
    return f"bill:{bill_id}"


def person_key(person_id: int) -> str:
    return f"person:{person_id}"


def district_key(chamber: str, district: str) -> str:
    return f"district:{chamber}:{district}"


def seat_keys(chamber: str, district: str) -> list[str]:
    """The district follows that reach the holder of ``chamber`` seat ``district``:
    a representative, by the follows of their House district; a senator, by those of
    their Senate district and of both House districts in it."""
    if chamber == HOUSE:
        return [district_key(HOUSE, district)]
    return [
        district_key(SENATE, district),
        district_key(HOUSE, f"{district}A"),
        district_key(HOUSE, f"{district}B"),
    ]


def district_label(chamber: str, district: str) -> str:
    """``House district 62A``, in the language being rendered."""
    if chamber == HOUSE:
        return gettext("House district %(district)s", district=district)
    return gettext("Senate district %(district)s", district=district)


def for_bill(bill: Bill) -> Target:
    return Target(
        "bill",
        bill_key(bill.id),
        f"{bill.label} ({bill.session.identifier})",
        f"bill:{bill.session.identifier}:{bill.key}",
        bill_id=bill.id,
    )


def for_person(person: Person) -> Target:
    return Target(
        "legislator",
        person_key(person.id),
        person.name,
        f"legislator:{person.public_id}",
        person_id=person.id,
    )


def for_district(house: str | None, senate: str) -> Target:
    chamber, district = (HOUSE, house) if house else (SENATE, senate)
    return Target(
        "district",
        district_key(chamber, district),
        district_label(chamber, district),
        f"district:{district}",
        chamber=chamber,
        district=district,
    )


def parse(value: str) -> Target | None:
    """The target a form names (module docstring); ``None`` when no such bill or
    legislator is stored; :class:`TargetProblem` when the value cannot be read."""
    kind, _, rest = (value or "").strip()[:120].partition(":")
    if kind == "bill":
        session, _, number = rest.partition(":")
        try:
            bill_type, bill_number = normalize_bill_id(number)
        except ValueError:
            return None
        bill = reads.bill(session[:20], bill_type, bill_number)
        return for_bill(bill) if bill is not None else None
    if kind == "legislator":
        person = db.session.scalar(select(Person).where(Person.public_id == rest[:36]))
        return for_person(person) if person is not None else None
    if kind == "district":
        try:
            house, senate = lookup.normalize_district(rest)
        except lookup.LookupProblem as problem:
            raise TargetProblem(i18n.word(problem.message)) from None
        return for_district(house, senate)
    raise TargetProblem(gettext("Choose what to follow: a bill, a legislator or a district."))


__all__ = [
    "Target",
    "TargetProblem",
    "bill_key",
    "district_key",
    "district_label",
    "for_bill",
    "for_district",
    "for_person",
    "parse",
    "person_key",
    "seat_keys",
]
