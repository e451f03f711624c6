"""The Legislative Reference Library's records as roster evidence (tracker.lrl).

The record pages below are hand-built from the layout the parser expects
(scrapers/lrl.py: the real page structure was never seen); every legislator is
invented.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from scrapers import lrl as parser
from scrapers.parsing import ParseError
from tests.factories import add_term, derive, make_person
from tracker import lrl, quality
from tracker.extensions import db

D = dt.date
URL = "https://www.lrl.mn.gov/legdb/fulldetail?ID=90001"


def record_page(*rows: tuple[str, str, str, str]) -> bytes:
    """A hand-built record: one service row per (body, district, start, end)."""
    cells = "".join(
        f"<tr><td>{b}</td><td>{d}</td><td>R</td><td>{s}</td><td>{e}</td></tr>"
        for b, d, s, e in rows
    )
    return (
        f"<html><body><h1>Mattias Fjeldheim</h1><table><tr><th>Body</th><th>District</th>"
        f"<th>Party</th><th>Start</th><th>End</th></tr>{cells}</table></body></html>"
    ).encode()


def test_an_unknown_layout_raises() -> None:
    with pytest.raises(ParseError, match="unknown layout"):
        parser.parse_legislator(
            b"<html><body><p>Served 1999-2016</p></body></html>", source_url=URL
        )
    with pytest.raises(ParseError, match="unknown chamber"):
        parser.parse_legislator(
            record_page(("Congress", "3", "01/05/1999", "present")), source_url=URL
        )


def test_rows_of_one_continuous_service_make_one_span(app: Flask) -> None:
    """The Library lists a member's terms one by one; the House years of a member
    Open States knows only as a senator become one House term, and the Senate
    row dates the senate term Open States left without a start."""
    person = make_person("Mattias Fjeldheim", "Fjeldheim")
    senate = add_term(person, "senate", "39", None)
    derive()
    record = parser.parse_legislator(
        record_page(
            ("House", "35A", "01/05/1999", "01/01/2001"),
            ("House", "35A", "01/02/2001", "01/06/2003"),
            ("House", "35A", "01/07/2003", "02/15/2016"),
            ("Senate", "39", "02/16/2016", "present"),
        ),
        source_url=URL,
    )
    assert [(s.chamber, s.district, s.start, s.end) for s in lrl.services(record)] == [
        ("house", "35A", D(1999, 1, 5), D(2016, 2, 15)),
        ("senate", "39", D(2016, 2, 16), None),
    ]
    assert lrl.attach(person, record) > 0
    derive()
    house = next(t for t in person.terms if t.chamber == "house")
    assert (house.held_from, house.held_until, house.held_from_source) == (
        D(1999, 1, 5),
        D(2016, 2, 15),
        "lrl",
    )
    assert (senate.held_from, senate.held_from_source) == (D(2016, 2, 16), "lrl")
    assert not house.held_on(D(2016, 3, 1)) and senate.held_on(D(2016, 3, 1))
    assert lrl.attach(person, record) == 0  # idempotent
    assert quality.open_items(["roster_conflict"]) == []


def test_the_library_and_open_states_disagreeing_is_flagged(app: Flask) -> None:
    person = make_person("Mattias Fjeldheim", "Fjeldheim")
    senate = add_term(person, "senate", "39", D(2017, 1, 3))
    derive()
    lrl.attach(
        person,
        parser.parse_legislator(
            record_page(("Senate", "39", "02/16/2016", "present")), source_url=URL
        ),
    )
    derive()
    assert (senate.held_from, senate.held_from_source) == (D(2016, 2, 16), "lrl")
    [item] = quality.open_items(["roster_conflict"])
    assert (
        "Legislative Reference Library records the term's start as 2016-02-16" in item.message
        and "Open States records 2017-01-03" in item.message
    )
    assert item.details["options"] == [
        {"source": "lrl", "day": "2016-02-16"},
        {"source": "openstates", "day": "2017-01-03"},
    ]
    # A few days apart is agreement (a swearing-in day against a first day).
    other = make_person("Runa Kvalsund", "Kvalsund")
    add_term(other, "house", "12B", D(2019, 1, 1))
    derive()
    lrl.attach(
        other,
        parser.parse_legislator(
            record_page(("House", "12B", "01/03/2019", "present")), source_url=URL
        ),
    )
    derive()
    assert len(quality.open_items(["roster_conflict"])) == 1
    db.session.rollback()
