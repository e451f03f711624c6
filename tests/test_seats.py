"""The one seat rule (tracker.seats) and the roster it reads (tracker.roster).

Every legislator here is invented.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import add_term, derive, make_person
from tracker import quality, roster, seats
from tracker.extensions import db
from tracker.models import JournalRoll, Term

D = dt.date
ROOT = Path(__file__).resolve().parent.parent


def roll(chamber: str, day: dt.date, *names: str, session_id: int | None = None) -> JournalRoll:
    stored, _ = roster.store_roll(
        chamber,
        day,
        [roster.PrintedEntry(n, "present") for n in names],
        source_url=f"https://example.org/journal/{chamber}/{day}",
        session_id=session_id,
    )
    db.session.flush()
    return stored


@pytest.fixture
def people(app: Flask) -> dict[str, Any]:
    """A small invented legislature with every kind of gap."""
    found: dict[str, Any] = {}
    # Known start, open end: serving.
    found["ada"] = make_person("Ada Brackwater", "Brackwater")
    add_term(found["ada"], "house", "12A", D(2023, 1, 3))
    # Mid-session replacement in 40B: Erik leaves, a vacancy, Kari is sworn in.
    found["erik"] = make_person("Erik Halvorsund", "Halvorsund")
    add_term(found["erik"], "house", "40B", D(2023, 1, 3), D(2025, 3, 31))
    found["kari"] = make_person("Kari Vinterholm", "Vinterholm")
    add_term(found["kari"], "house", "40B", D(2025, 5, 1))
    # Start unknown in every source.
    found["teo"] = make_person("Teo Castelmere", "Castelmere")
    add_term(found["teo"], "senate", "7", None, D(2024, 12, 31))
    # Moved from the House to the Senate: the House role has no end date.
    found["nils"] = make_person("Nils Ostrowe", "Ostrowe")
    add_term(found["nils"], "house", "8A", D(2019, 1, 8))
    add_term(found["nils"], "senate", "8", D(2023, 1, 3))
    # Recorded start later than a day the journal roll names her.
    found["lucia"] = make_person("Lucia Fenwright", "Fenwright")
    add_term(found["lucia"], "senate", "9", D(2024, 2, 20))
    derive()
    return found


def term_of(person: Any, chamber: str) -> Term:
    return next(t for t in person.terms if t.chamber == chamber)


def test_known_start_open_end(people: dict[str, Any]) -> None:
    ada = term_of(people["ada"], "house")
    assert (ada.held_from, ada.held_from_source, ada.held_from_basis) == (
        D(2023, 1, 3),
        "openstates",
        "recorded",
    )
    assert ada.held_until is None
    assert not ada.held_on(D(2023, 1, 2)) and ada.held_on(D(2023, 1, 3))
    assert ada.held_on(D(2030, 1, 1))  # an unknown end: still serving
    assert seats.serving(people["ada"], D(2026, 1, 1))


def test_mid_session_replacement_and_vacancy(people: dict[str, Any]) -> None:
    assert seats.holder_of("house", "40B", D(2025, 3, 31)).person is people["erik"]
    assert seats.holder_of("house", "40B", D(2025, 4, 15)) is None  # vacant
    assert seats.holder_of("house", "40B", D(2025, 5, 1)).person is people["kari"]
    assert seats.seat_of(people["erik"].id, "house", D(2025, 4, 1)) is None
    on_april = {t.person_id for t in seats.seats_on("house", D(2025, 4, 15))}
    assert people["erik"].id not in on_april and people["kari"].id not in on_april
    span = seats.roster_of_span(["house"], D(2025, 1, 14), D(2026, 5, 18))
    assert {people["erik"].id, people["kari"].id, people["ada"].id} <= set(span)
    # Several seats in one query, each as holder_of answers it; a vacant one left out.
    wanted = [("house", "40B"), ("senate", "8"), ("house", "8A"), ("house", "99Z")]
    for day in (D(2025, 3, 31), D(2025, 4, 15), D(2025, 5, 1)):
        held = seats.holders_of(wanted, day)
        assert held == {
            seat: term for seat in wanted if (term := seats.holder_of(*seat, day)) is not None
        }
    assert ("house", "40B") not in seats.holders_of(wanted, D(2025, 4, 15))
    assert seats.holders_of(wanted, D(2025, 5, 1))[("house", "40B")].person is people["kari"]
    assert seats.holders_of(wanted, D(2025, 5, 1))[("senate", "8")].person is people["nils"]
    assert seats.holders_of([], D(2025, 5, 1)) == {}


def test_unknown_start_is_never_seated_until_a_roll_shows_it(people: dict[str, Any]) -> None:
    teo = term_of(people["teo"], "senate")
    assert teo.held_from is None and not teo.held_on(D(2024, 3, 1))
    assert people["teo"].id not in {t.person_id for t in seats.seats_on("senate", D(2024, 3, 1))}
    stored = roll("senate", D(2024, 3, 1), "Castelmere", "Ostrowe", "Fenwright")
    assert [(e.printed_name, e.basis) for e in stored.entries] == [
        ("Castelmere", "possible"),
        ("Ostrowe", "seated"),
        ("Fenwright", "seated"),
    ]
    db.session.refresh(teo)
    assert (teo.held_from, teo.held_from_source, teo.held_from_basis) == (
        D(2024, 3, 1),
        "journal_roll",
        "seen",
    )
    assert teo.held_on(D(2024, 3, 1)) and not teo.held_on(D(2024, 2, 29))
    assert teo.held_until == D(2024, 12, 31)  # the recorded end still bounds it
    # one day's absence from a later roll never ends the term
    roll("senate", D(2024, 4, 2), "Ostrowe", "Fenwright")
    db.session.refresh(teo)
    assert teo.held_on(D(2024, 4, 2)) and teo.held_from == D(2024, 3, 1)


def test_chamber_change_closes_the_open_house_term(people: dict[str, Any]) -> None:
    house, senate = term_of(people["nils"], "house"), term_of(people["nils"], "senate")
    assert house.end_date is None  # the source says nothing
    assert (house.held_until, house.held_until_basis) == (D(2023, 1, 2), "next_term")
    assert seats.seat_of(people["nils"].id, "house", D(2022, 6, 1)) is house
    assert seats.seat_of(people["nils"].id, "house", D(2023, 2, 1)) is None
    assert seats.seat_of(people["nils"].id, "senate", D(2023, 2, 1)) is senate
    assert seats.current_term(people["nils"], D(2025, 1, 1)) is senate
    assert ("Nils Ostrowe", "8A") in {(t.person.name, t.district) for t, _ in roster.gaps()}


def test_on_the_roll_before_the_recorded_start(people: dict[str, Any], admin_user: Any) -> None:
    lucia = term_of(people["lucia"], "senate")
    roll("senate", D(2024, 2, 6), "Fenwright", "Ostrowe")  # 14 days before her recorded start
    db.session.refresh(lucia)
    assert (lucia.held_from, lucia.held_from_source, lucia.held_from_basis) == (
        D(2024, 2, 6),
        "journal_roll",
        "seen",
    )  # the record wins ...
    [item] = quality.open_items(["roster_conflict"])
    assert "Open States records the term's start as 2024-02-20" in item.message
    assert "the journal roll shows them seated on 2024-02-06" in item.message
    assert [o["source"] for o in item.details["options"]] == ["journal_roll", "openstates"]
    # ... until staff confirm the other source: remembered, audited, applied
    with pytest.raises(roster.RosterError, match="say why"):
        roster.confirm_bound(item, 1, "no", admin_user)
    roster.confirm_bound(
        item,
        1,
        "Sworn in on Feb 20 after the special election; the roll name was someone else.",
        admin_user,
    )
    db.session.refresh(lucia)
    assert (lucia.held_from, lucia.held_from_basis) == (D(2024, 2, 20), "confirmed")
    assert item.status == "resolved"
    entry = db.session.scalar(select(JournalRoll).where(JournalRoll.day == D(2024, 2, 6))).entries[
        0
    ]
    assert entry.person_id is None  # she is no candidate that day any more
    assert "confirmed by staff" in entry.reason
    [name_item] = quality.open_items(["unmatched_name"])
    assert name_item.details["printed_name"] == "Fenwright"


def test_two_people_for_one_seat_on_one_day(people: dict[str, Any], admin_user: Any) -> None:
    # Both recorded in 40B on the 31st of March; the roll names both.
    add_term(people["kari"], "house", "40B", D(2025, 3, 1), D(2025, 4, 30))
    derive()
    stored = roll("house", D(2025, 3, 31), "Halvorsund", "Vinterholm", "Brackwater")
    assert all(e.person_id is not None for e in stored.entries)
    [item] = quality.open_items(["seat_conflict"])
    assert item.details["district"] == "40B" and len(item.details["people"]) == 2
    roster.confirm_seat_holder(
        item, people["erik"].id, "The clerk confirmed Erik held 40B that day.", admin_user
    )
    db.session.refresh(stored)
    by_name = {e.printed_name: e for e in stored.entries}
    assert by_name["Halvorsund"].person_id == people["erik"].id
    assert by_name["Vinterholm"].person_id is None  # the seat was someone else's


def test_a_house_roll_that_leaves_out_a_seated_member_is_flagged(people: dict[str, Any]) -> None:
    """A House Journal day names every seated member, present or excused; a roll
    that leaves one out is an absence nobody excused or a roll read short."""
    day = D(2025, 6, 2)
    short = roll("house", day, "Brackwater")
    [item] = quality.open_items(["roll_count"])
    assert item.details == {
        "chamber": "house",
        "date": "2025-06-02",
        "named": 1,
        "left_out": ["Kari Vinterholm"],
    }
    assert "leaves out 1 the roster counts seated that day: Kari Vinterholm (40B)" in item.message
    assert item.source_url == short.source_url
    roll("house", day, "Brackwater", "Vinterholm")  # the day read again, complete
    assert quality.open_items(["roll_count"]) == []
    assert item.status == "resolved"
    # "All members not present were excused": nobody is left out unexcused.
    roster.store_roll(
        "house",
        D(2025, 6, 3),
        [roster.PrintedEntry("Brackwater", "present")],
        source_url="https://example.org/j",
        session_id=None,
        all_absent_excused=True,
    )
    assert quality.open_items(["roll_count"]) == []
    # The Senate prints only who is present: its rolls are never counted this way.
    roll("senate", D(2025, 6, 3), "Ostrowe")
    assert quality.open_items(["roll_count"]) == []


def test_a_member_who_moved_chambers_is_no_candidate_for_the_old_seat(app: Flask) -> None:
    """The House term's recorded end is late (the end of the biennium) but the
    member took a Senate seat in a special election: on the House roll after
    that, the House seat's new holder resolves."""
    mover = make_person("Jorun Abelsett", "Abelsett")
    add_term(mover, "house", "35A", D(2015, 1, 6), D(2016, 12, 31))
    add_term(mover, "senate", "35", D(2016, 2, 22))
    successor = make_person("Kjell Whelandt", "Whelandt")
    add_term(successor, "house", "35A", None)
    derive()
    house = roll("house", D(2016, 3, 10), "Whelandt", "Abelsett")
    by_name = {e.printed_name: e for e in house.entries}
    assert by_name["Whelandt"].person_id == successor.id
    assert by_name["Abelsett"].person_id is None
    assert "their Senate term in district 35 starts 2016-02-22" in by_name["Abelsett"].reason
    senate = roll("senate", D(2016, 3, 10), "Abelsett")
    assert senate.entries[0].person_id == mover.id


def test_a_seat_recorded_twice_never_gives_a_surname_to_the_earlier_holder(app: Flask) -> None:
    """One source keeps a defeated member in 2A after the winner took it; a bare
    surname they share with another member is never given to them over her."""
    defeated = make_person("Rolf Eriksrud", "Eriksrud")
    add_term(defeated, "house", "2A", D(2013, 1, 8), D(2016, 12, 31))
    winner = make_person("Dagny Hancke", "Hancke")
    add_term(winner, "house", "2A", D(2015, 1, 6))
    namesake = make_person("Sunniva Eriksrud", "Eriksrud")
    add_term(namesake, "house", "15A", None)
    derive()
    stored = roll("house", D(2015, 4, 16), "Eriksrud", "Hancke")
    by_name = {e.printed_name: e for e in stored.entries}
    assert by_name["Hancke"].person_id == winner.id
    assert by_name["Eriksrud"].person_id is None  # two candidates: flagged, never guessed
    assert "Eriksrud" in {i.details["printed_name"] for i in quality.open_items(["unmatched_name"])}


def test_held_on_is_the_same_rule_in_python_and_sql(people: dict[str, Any]) -> None:
    terms = db.session.scalars(select(Term)).all()
    for day in (
        D(2019, 1, 7),
        D(2019, 1, 8),
        D(2023, 1, 2),
        D(2023, 1, 3),
        D(2024, 12, 31),
        D(2025, 1, 1),
        D(2025, 3, 31),
        D(2025, 4, 1),
        D(2025, 5, 1),
        D(2030, 1, 1),
    ):
        in_sql = set(db.session.scalars(select(Term.id).where(Term.held_on(day))))
        in_python = {t.id for t in terms if t.held_on(day)}
        assert in_sql == in_python, day


def _term_date_comparisons(path: Path) -> list[str]:
    """Ordering comparisons of a term's dates in one Python file."""
    fields = {"held_from", "held_until", "start_date", "end_date"}
    found: list[str] = []
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    for node in ast.walk(tree):
        # SQL ranges: ``Term.start_date.between(a, b)``
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "between"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in fields
        ):
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
            continue
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in node.ops):
            continue
        for side in (node.left, *node.comparators):
            if not (isinstance(side, ast.Attribute) and side.attr in fields):
                continue
            owner = ast.unparse(side.value).lower()
            # held_* exist only on terms; start/end dates on sessions too, so those
            # count when their owner is named like a term or one of its views.
            if (
                side.attr.startswith("held_")
                or "term" in owner
                or owner in ("t", "seat", "role", "view", "v", "span", "candidate")
            ):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_one_seat_rule_no_term_date_comparison_outside_tracker_seats() -> None:
    files = [
        p
        for folder in ("tracker", "scrapers", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts
    ]
    offenders = [
        line
        for p in files
        if p != ROOT / "tracker" / "seats.py"
        for line in _term_date_comparisons(p)
    ]
    assert offenders == [], "compare term dates only in tracker/seats.py:\n" + "\n".join(offenders)
    templates = "\n".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    for field in ("held_from", "held_until", "start_date", "end_date"):
        for op in ("<", ">"):
            assert f"{field} {op}" not in templates and f"{op} t.{field}" not in templates


def test_the_guard_finds_a_comparison(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(term, t, day, x):\n    return term.start_date <= day or "
        "day > t.held_until or x.held_from >= day or "
        "Term.end_date.between(day, day)\n"
    )
    assert sorted(_term_date_comparisons(sample)) == sorted(
        [
            "sample.py:2: term.start_date <= day",
            "sample.py:2: day > t.held_until",
            "sample.py:2: x.held_from >= day",
            "sample.py:2: Term.end_date.between(day, day)",
        ]
    )
