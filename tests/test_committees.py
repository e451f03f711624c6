"""Committees and memberships: the membership rule, merging Open States and the
chambers' committee pages with provenance, and the minutes' attendance.

Fixtures: tests/fixtures/mn/reconstructed/committees (HAND-BUILT, invented names; see
its README).  The legislators below are invented too (checked by
tests/test_fictional_names.py for the fixtures' names).
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scrapers.committee_votes import parse_minutes_page
from scrapers.hearings import (
    load_openstates_committees,
    parse_house_committee_members,
    parse_senate_committee_page,
)
from scrapers.names import Seat
from tests.conftest import FIXTURES, PROJECT_ROOT
from tests.factories import add_term, derive, make_person, make_session
from tracker import committees, quality
from tracker.extensions import db
from tracker.models import Committee, CommitteeMembership, DataQualityItem
from tracker.models.common import utcnow
from tracker.votes.verification import Context

COMMITTEES = FIXTURES / "mn" / "reconstructed" / "committees"
D = dt.date
UUID = "11111111-2222-4333-8444-5555555555"
HOUSE_PAGE = "https://www.house.mn.gov/Committees/members/94003"
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)  # 9 a.m. in Saint Paul
LISTED = dt.date(2026, 3, 2)


# --------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("start", "end", "day", "member"),
    [
        (D(2026, 3, 2), None, D(2026, 3, 2), True),
        (D(2026, 3, 2), None, D(2026, 3, 1), False),
        (D(2026, 3, 2), None, D(2027, 1, 1), True),
        (D(2026, 3, 2), D(2026, 4, 1), D(2026, 4, 1), True),
        (D(2026, 3, 2), D(2026, 4, 1), D(2026, 4, 2), False),
        (None, None, D(2026, 3, 2), False),  # an unknown start is never counted
        (None, D(2026, 4, 1), D(2026, 3, 2), False),
    ],
)
def test_the_membership_rule(start: Any, end: Any, day: dt.date, member: bool) -> None:
    assert committees.member_on(start, end, day) is member


def test_the_rule_is_the_same_in_python_and_sql(app: Any) -> None:
    session = make_session()
    committee = Committee(
        session=session,
        chamber="house",
        name="Invented Rules",
        source_ids=[],
        other_names=[],
        sources=["staff"],
    )
    spans = [
        (D(2026, 3, 2), None),
        (D(2026, 3, 2), D(2026, 3, 9)),
        (None, None),
        (D(2026, 3, 5), D(2026, 3, 5)),
    ]
    for i, (start, end) in enumerate(spans):
        committee.memberships.append(
            CommitteeMembership(
                member_key=f"name:m{i}",
                printed_name=f"M{i}",
                role="member",
                role_source="staff",
                member_from=start,
                member_until=end,
                sources=["staff"],
            )
        )
    db.session.add(committee)
    db.session.flush()
    for offset in range(-1, 10):
        day = D(2026, 3, 2) + dt.timedelta(days=offset)
        in_sql = {m.id for m in committees.memberships_on(committee.id, day)}
        in_python = {m.id for m in committee.memberships if committees.membership_on(m, day)}
        assert in_sql == in_python, day


def _membership_date_comparisons(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in node.ops
        ):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and side.attr in ("member_from", "member_until"):
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_membership_dates_are_compared_only_in_tracker_committees() -> None:
    files = [
        p
        for folder in ("tracker", "scrapers")
        for p in (PROJECT_ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts and p != PROJECT_ROOT / "tracker" / "committees.py"
    ]
    assert [hit for p in files for hit in _membership_date_comparisons(p)] == []
    assert _membership_date_comparisons(PROJECT_ROOT / "tracker" / "committees.py")  # it looks


# --------------------------------------------------------------- names


def seat(key: str, family: str, given: str, *forms: str) -> Seat:
    return Seat(
        person_key=key,
        chamber="senate",
        district=key,
        name_forms=forms,
        family_name=family,
        given_name=given,
    )


def test_resolver_form_turns_full_names_into_the_resolvers_forms() -> None:
    seats = [
        seat("1", "Stone Ashby", "Hedda"),
        seat("2", "Ashby", "Sigrid"),
        seat("3", "Whitlock", "Per"),
        seat("4", "Kiel", "Debra"),
    ]
    assert committees.resolver_form("KVALE, Per", seats) == "KVALE, P."
    assert committees.resolver_form("OSTERGAARD, T.", seats) == "OSTERGAARD, T."
    assert committees.resolver_form("Anderson, P. E.", seats) == "Anderson, P. E."
    assert committees.resolver_form("Per Whitlock", seats) == "Whitlock, P."
    # the given name's initial decides between two family names that end the name
    assert committees.resolver_form("Hedda Stone Ashby", seats) == "Stone Ashby, H."
    assert committees.resolver_form("Stone Ashby", seats) == "Stone Ashby"  # a surname
    assert committees.resolver_form("Debra (Deb) Kiel", seats) == "Kiel, D."
    assert committees.resolver_form("Ravens Quill", seats) == "Ravens Quill"  # nobody: as is
    assert committees.resolver_form("QUILLFEATHER", seats) == "QUILLFEATHER"


def test_committee_names_compare_without_chamber_and_committee_words() -> None:
    key = committees.committee_key
    assert (
        key("Civic Process Committee")
        == key("Senate Committee on Civic Process")
        == key("civic process")
    )
    assert (
        key("Legislative Commission on Invented Records [Commission]")
        == "legislative commission on invented records"
    )


# --------------------------------------------------------------- merging member lists


@pytest.fixture
def house(app: Any) -> dict[str, Any]:
    """The Capital Projects Review fixtures' members, seated in the House since 2025."""
    session = make_session()
    people = {}
    rows = [
        ("Wendeline Quillfeather", "01", "15901"),
        ("Orrin Brightwater", "02", "15902"),
        ("Tamsin Ashgrove", "03", "15903"),
        ("Kasimir McFarlow", "04", "15904"),
        ("Teodor Ostergaard", None, "15905"),
        ("Signe Ostergaard", None, None),
        ("Per Kvale", None, None),
    ]
    for i, (name, os_id, house_id) in enumerate(rows):
        person = make_person(
            name, None, openstates_id=f"{UUID}{os_id}" if os_id else None, house_member_id=house_id
        )
        add_term(person, "house", f"{10 + i}A", D(2025, 1, 14))
        people[name.split()[-1] if name.split()[0] not in ("Teodor", "Signe") else name] = person
    derive()
    return {"session": session, **people}


def merge_openstates(data: dict[str, Any], day: dt.date = LISTED) -> Committee:
    house_records = [
        r for r in load_openstates_committees(COMMITTEES / "openstates") if r.chamber == "house"
    ]
    result = committees.merge_list(
        house_records[0], data["session"], "openstates", day, Context.load(), NOW
    )
    db.session.flush()
    return result.committee


def spans(committee: Committee) -> dict[str, tuple[Any, ...]]:
    db.session.flush()
    db.session.refresh(committee)
    return {
        (m.person.name if m.person else m.printed_name): (
            m.role,
            m.role_source,
            m.member_from,
            m.member_from_source,
            m.member_until,
            m.member_until_source,
        )
        for m in committee.memberships
    }


def test_openstates_committee_with_ids_and_a_member_matched_by_name(house: dict[str, Any]) -> None:
    committee = merge_openstates(house)
    assert (committee.name, committee.source_id, committee.source_ids) == (
        "Capital Projects Review",
        "94003",
        ["94003", "93003"],
    )
    assert committee.sources == ["openstates"]
    assert committee.other_names == ["House Capital Projects Review Committee"]
    day = D(2026, 3, 2)
    assert spans(committee) == {
        "Wendeline Quillfeather": ("co_chair", "openstates", day, "openstates", None, None),
        "Orrin Brightwater": ("co_vice_chair", "openstates", day, "openstates", None, None),
        "Tamsin Ashgrove": ("ranking_minority_member", "openstates", day, "openstates", None, None),
        "Kasimir McFarlow": ("member", "openstates", day, "openstates", None, None),
        # no person_id: matched by name among the House members seated that day
        "Teodor Ostergaard": ("alternate", "openstates", day, "openstates", None, None),
    }
    chairs, vice = committees.chairs(committees.memberships_on(committee.id, day))
    assert [m.person.name for m in chairs] == ["Wendeline Quillfeather"]
    assert [m.person.name for m in vice] == ["Orrin Brightwater"]
    # nothing is assumed about the days before the list was read
    assert committees.member_ids_on(committee.id, day - dt.timedelta(days=1)) == set()


def test_the_chamber_page_wins_and_a_member_it_leaves_out_leaves(house: dict[str, Any]) -> None:
    committee = merge_openstates(house)
    page = parse_house_committee_members(
        (COMMITTEES / "house_committee_members.html").read_bytes(), source_url=HOUSE_PAGE
    )
    # a week later the page lists the same members but McFarlow, with its own roles
    page = page.__class__(
        **{
            **page.__dict__,
            "members": tuple(m for m in page.members if m.name != "Kasimir McFarlow"),
        }
    )
    later = NOW + dt.timedelta(days=7)
    result = committees.merge_list(
        page, house["session"], "house_page", D(2026, 3, 9), Context.load(), later
    )
    assert result.committee.id == committee.id and result.outcome == "changed"
    assert committee.sources == ["openstates", "house_page"]
    assert committee.source_url == HOUSE_PAGE
    got = spans(committee)
    assert got["Wendeline Quillfeather"][:2] == ("chair", "house_page")  # the page's role
    assert got["Teodor Ostergaard"][:2] == ("member", "house_page")
    # McFarlow was last shown on March 2: the span ends there, on the page's word
    assert got["Kasimir McFarlow"][4:] == (D(2026, 3, 2), "house_page")
    mcfarlow = house["McFarlow"].id
    assert committees.is_member(committee.id, mcfarlow, D(2026, 3, 2))
    assert not committees.is_member(committee.id, mcfarlow, D(2026, 3, 3))
    # Open States read again no longer changes the members: the page keeps them
    merge_openstates(house, D(2026, 3, 10))
    assert spans(committee)["Kasimir McFarlow"][4] == D(2026, 3, 2)
    assert not committees.is_member(committee.id, mcfarlow, D(2026, 3, 10))


def test_the_minutes_show_members_before_any_list_did(house: dict[str, Any]) -> None:
    committee = merge_openstates(house, D(2026, 3, 20))
    minutes = parse_minutes_page(
        (COMMITTEES / "house_minutes_comma_list.html").read_bytes(),
        source_url="https://www.house.mn.gov/Committees/minutes/94003/1",
        chamber="house",
    )
    people = committees.record_attendance(
        committee, minutes.header, Context.load(), house["session"].id, minutes.header.source_url
    )
    assert people["QUILLFEATHER, Wendeline"] == house["Quillfeather"].id
    assert people["KVALE, Per"] == house["Kvale"].id
    assert people["OSTERGAARD, Signe"] == house["Signe Ostergaard"].id  # full given name
    got = spans(committee)
    meeting = D(2026, 3, 11)
    # the list read on March 20 now reaches back to the meeting the minutes record
    assert got["Wendeline Quillfeather"][2:4] == (meeting, "minutes")
    assert got["Wendeline Quillfeather"][:2] == ("co_chair", "openstates")  # lists decide roles
    assert got["Per Kvale"] == ("member", "minutes", meeting, "minutes", meeting, "minutes")
    # names no seated legislator has are kept out and flagged, never guessed
    unmatched = {
        i.details["printed_name"]
        for i in db.session.scalars(
            select(DataQualityItem).where(DataQualityItem.kind == "committee_member_unmatched")
        )
    }
    assert "FENWICK, Idris" in unmatched and "SANDVOSS, Elin" in unmatched  # (excused)
    assert "KVALE, Per" not in unmatched
    # a later meeting the list does not cover extends a span the minutes made
    assert committees.attended(
        committee, house["Kvale"].id, "KVALE, Per", "member", "", D(2026, 3, 18)
    )
    assert spans(committee)["Per Kvale"][4] == D(2026, 3, 18)
    assert committees.is_member(committee.id, house["Kvale"].id, D(2026, 3, 15))
    # then a list that shows Kvale reopens that span instead of starting another
    assert committees.listed(
        committee, house["Kvale"].id, "Per Kvale", "member", "", "openstates", D(2026, 3, 25), NOW
    )
    kvale = [m for m in committee.memberships if m.person_id == house["Kvale"].id]
    assert len(kvale) == 1 and kvale[0].member_until is None


def test_an_unmatched_member_is_kept_by_name_and_flagged(house: dict[str, Any]) -> None:
    page = parse_senate_committee_page(
        (COMMITTEES / "senate_committee_bio.html").read_bytes(),
        source_url="https://www.senate.mn/committees/committee_bio.html?cmte_id=3955&ls=94",
    )
    result = committees.merge_list(
        page, house["session"], "senate_page", D(2026, 3, 2), Context.load(), NOW
    )
    assert result.outcome == "new" and len(result.unmatched) == 5  # no senators stored
    committee = result.committee
    assert committee.parent_name == "Civic Process Committee"
    assert all(m.person_id is None for m in committee.memberships)
    assert committees.member_ids_on(committee.id, D(2026, 3, 2)) == set()
    items = quality.open_items(["committee_member_unmatched"])
    assert len(items) == 5
    assert "Tamsin Vikstrom" in items[0].message and "no member seated" in items[0].message


def test_openstates_import_only_into_the_legislature_it_describes(app: Any) -> None:
    from tracker import runs

    session = make_session(
        "2023-2024", "0932023", start_date=D(2023, 1, 3), end_date=D(2024, 5, 20)
    )
    with runs.running("committees", {}, "test") as run:
        committees.import_openstates(
            COMMITTEES / "openstates", session, run, Context.load(), D(2024, 5, 20), utcnow()
        )
        assert "describe the 94 Legislature" in run._pending[0].reason
    assert db.session.scalar(select(Committee.id)) is None
