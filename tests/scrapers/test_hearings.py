"""Tests for scrapers.hearings: hearing schedules, committee pages, Open States committees.

Fixtures: tests/fixtures/mn/reconstructed/committees (HAND-BUILT, invented names; see its
README).  Inline pages below are hand-built with invented names too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from scrapers import vocab
from scrapers.hearings import (
    CHICAGO,
    ROLES,
    CommitteeMember,
    HearingDocument,
    committee_role,
    load_openstates_committees,
    parse_house_committee_members,
    parse_house_schedule,
    parse_openstates_committee,
    parse_senate_committee_page,
    parse_senate_schedule,
)
from scrapers.parsing import ParseError
from tests.conftest import openstates_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed" / "committees"
HOUSE_SCHEDULE = "https://www.house.mn.gov/Schedules/All"
SENATE_SCHEDULE = "https://www.senate.mn/api/schedule/upcoming"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def house_schedule(name: str = "house_schedule_all.html") -> list[Any]:
    return parse_house_schedule(fixture(name), source_url=HOUSE_SCHEDULE)


def card(header: str, body: str = "<b>Location:</b> Capitol 120") -> str:
    return (
        '<html><body><div class="card my-2 d-print-block"><div class="card-header">'
        f'{header}</div><div class="card-body">{body}</div></div></body></html>'
    )


LINK = (
    '<h3><a class="text-white" href="/Committees/Home/94003">'
    "<b>Capital Projects Review</b></a></h3>"
)


# --- House schedule -------------------------------------------------------------------


def test_house_schedule_cards() -> None:
    hearings = house_schedule()
    assert [h.committee for h in hearings] == [
        "Capital Projects Review",
        "Rural Broadband Division",
        "Rules and Procedure",
        "Rules and Procedure",
        "Capital Projects Review",
        # "[Commission]" dropped; the floor session card is skipped
        "Legislative Commission on Invented Records",
    ]
    first = hearings[0]
    assert first.chamber == vocab.HOUSE
    assert first.committee_id == "94003"
    assert first.date == dt.date(2026, 3, 3)
    assert first.start == dt.datetime(2026, 3, 3, 8, 15, tzinfo=CHICAGO)
    assert first.start is not None and first.start.utcoffset() == dt.timedelta(hours=-6)
    assert first.has_time and first.time_text == "8:15 AM"
    assert first.room == "Capitol 120"
    assert first.agenda.splitlines()[0] == "I. Call to order"
    assert first.bills == (("HF", 2210), ("HF", 2215), ("SF", 2190))
    assert first.documents == (
        HearingDocument(
            "H2210A2 amendment", "https://www.house.mn.gov/comm/docs/H2210A2-invented.pdf"
        ),
        HearingDocument(
            "invented-fiscal-note.pdf",
            "https://www.house.mn.gov/comm/docs/invented-fiscal-note.pdf",
        ),
    )  # relative link made absolute, empty title from the file name, mailto skipped
    assert not first.cancelled and first.status_notes == ()
    assert first.source_url == HOUSE_SCHEDULE
    assert first.source_key.startswith("house:")


def test_house_schedule_placeholder_time_and_date_only_entries_keep_no_time() -> None:
    hearings = house_schedule()
    broadband = hearings[1]
    assert broadband.start is None and not broadband.has_time
    assert broadband.date == dt.date(2026, 3, 3)
    assert broadband.time_text == "12:00 AM"  # printed, never turned into midnight
    assert broadband.time_note == "Immediately following the floor session"
    commission = hearings[-1]
    assert commission.start is None and commission.time_text == ""
    assert commission.date == dt.date(2026, 3, 5)
    assert commission.joint
    assert commission.room == "G-15 State Capitol"


def test_moved_hearing_keeps_its_key_and_a_second_meeting_gets_its_own() -> None:
    now = house_schedule()
    before = house_schedule("house_schedule_all_earlier.html")
    moved_now, evening = now[2], now[3]
    moved_before = before[2]
    assert moved_before.start == dt.datetime(2026, 3, 3, 13, 0, tzinfo=CHICAGO)
    assert moved_before.room == "Capitol 120"
    assert moved_now.start == dt.datetime(2026, 3, 3, 15, 0, tzinfo=CHICAGO)
    assert moved_now.room == "Capitol G3"
    assert moved_now.status_notes == ("Time Changed", "Location Changed")
    assert moved_now.source_key == moved_before.source_key
    assert evening.source_key != moved_now.source_key  # same committee, same day, second meeting
    assert [h.source_key for h in now] == [h.source_key for h in before]
    assert len({h.source_key for h in now}) == len(now)


def test_cancelled_hearing() -> None:
    now = house_schedule()[4]
    before = house_schedule("house_schedule_all_earlier.html")[4]
    assert now.cancelled and not before.cancelled
    assert now.status_notes == ("Hearing Canceled",)
    assert now.source_key == before.source_key


@pytest.mark.parametrize(
    ("status", "cancelled"),
    [
        ("CANCELLED", True),
        ("Meeting Postponed", True),
        ("Rescheduled", False),
        ("Agenda Changed", False),
    ],
)
def test_house_status_lines(status: str, cancelled: bool) -> None:
    page = card(
        LINK + '<span class="text-white">Monday, March 2, 2026 , 1:00 PM</span>',
        f"<div><b>{status}</b></div><b>Location:</b> Capitol 120",
    )
    (hearing,) = parse_house_schedule(page, source_url=HOUSE_SCHEDULE)
    assert hearing.cancelled is cancelled
    assert hearing.status_notes == (status,)
    assert hearing.start == dt.datetime(2026, 3, 2, 13, 0, tzinfo=CHICAGO)


def test_house_schedule_daylight_saving_time() -> None:
    page = card(LINK + '<span class="text-white">Tuesday, April 14, 2026, 12:30 PM</span>')
    (hearing,) = parse_house_schedule(page, source_url=HOUSE_SCHEDULE)
    assert hearing.start is not None and hearing.start.utcoffset() == dt.timedelta(hours=-5)


def test_house_schedule_empty_page() -> None:
    page = "<html><body><h1>Currently Posted Meetings</h1><p>No meetings.</p></body></html>"
    assert parse_house_schedule(page, source_url=HOUSE_SCHEDULE) == []


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("<html><body><p>Server Error</p></body></html>", "no meeting cards"),
        (card(LINK), "no date in the card header"),
        (
            card(LINK + '<span class="text-white">Someday, Smarch 3, 2026</span>'),
            "unrecognised date",
        ),
        (card(LINK + '<span class="text-white">Tuesday, February 30, 2026</span>'), "invalid date"),
        (card(LINK + '<span class="text-white">March 3, 2026, 13:15 PM</span>'), "invalid time"),
        (
            card(
                '<h3><a class="text-white" href="/x"><b> </b></a></h3>'
                '<span class="text-white">March 3, 2026</span>'
            ),
            "empty committee name",
        ),
        (
            '<html><body><div class="my-2 d-print-block"><p>no header</p></div></body></html>',
            "expected one card-header",
        ),
    ],
)
def test_house_schedule_parse_errors(page: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_house_schedule(page, source_url=HOUSE_SCHEDULE)
    assert info.value.source_url == HOUSE_SCHEDULE


# --- Senate schedule ------------------------------------------------------------------


def senate(data: Any) -> list[Any]:
    return parse_senate_schedule(json.dumps(data), source_url=SENATE_SCHEDULE)


def event(**fields: Any) -> dict[str, Any]:
    return {
        "committee": {"committee_name": "Civic Process Committee"},
        "hearing_start": "2026-03-03 12:30:00",
    } | fields


def test_senate_schedule_fixture() -> None:
    first, no_time, cancelled, postponed = parse_senate_schedule(
        fixture("senate_schedule_upcoming.json"), source_url=SENATE_SCHEDULE
    )
    assert first.chamber == vocab.SENATE
    assert first.committee == "Civic Process Committee"
    assert first.committee_id == "3901"  # from committee.link
    assert first.start == dt.datetime(2026, 3, 3, 12, 30, tzinfo=CHICAGO)
    assert first.room == "1200 Minnesota Senate Bldg."
    assert first.bills == (("SF", 2636), ("HF", 3301), ("SF", 2640))
    assert first.agenda.splitlines() == [
        "Bills may be taken in any order. S.F. 2640 will be heard if time allows.",
        "Invented elections budget omnibus bill.",
        "Invented poll worker training bill.",
    ]
    assert first.documents == (
        HearingDocument(
            "SCS2636A-2 amendment",
            "https://www.senate.mn/committees/2025-2026/3901_Civic_Process/SCS2636A-2.pdf",
        ),
        HearingDocument(
            "invented_spreadsheet.pdf",
            "https://www.senate.mn/committees/2025-2026/3901_Civic_Process/invented_spreadsheet.pdf",
        ),
    )
    assert first.source_key == "senate:21907"
    assert not first.cancelled
    assert no_time.date == dt.date(2026, 3, 5) and no_time.start is None and no_time.time_text == ""
    assert no_time.room == "Minnesota Senate Bldg."
    assert no_time.committee_id == "3902" and no_time.source_key == "senate:21911"
    assert cancelled.cancelled and cancelled.status_notes == ("CANCELLED",)
    assert cancelled.start == dt.datetime(2026, 3, 6, 9, 0, tzinfo=CHICAGO)
    assert postponed.cancelled  # "POSTPONED" in the notes; "cancelled": "N" is false
    assert postponed.source_key.startswith("senate:") and postponed.source_key != "senate:"
    assert postponed.committee_id == "3955"


def test_senate_schedule_times() -> None:
    assert senate({"events": []}) == []
    (utc,) = senate({"events": [event(hearing_start="2026-03-03T18:30:00Z")]})
    assert utc.start == dt.datetime(2026, 3, 3, 12, 30, tzinfo=CHICAGO)
    (offset,) = senate({"events": [event(hearing_start="2026-07-01 09:00:00-05:00")]})
    assert offset.start == dt.datetime(2026, 7, 1, 9, 0, tzinfo=CHICAGO)
    (midnight,) = senate({"events": [event(hearing_start="2026-03-03 00:00:00")]})
    assert midnight.start is None and midnight.date == dt.date(2026, 3, 3)
    (us,) = senate({"events": [event(hearing_start="3/4/2026 1:15 PM")]})
    assert us.start == dt.datetime(2026, 3, 4, 13, 15, tzinfo=CHICAGO)
    (us_date,) = senate({"events": [event(hearing_start="3/4/2026")]})
    assert us_date.start is None


def test_senate_keys_without_ids_count_meetings_per_committee_and_day() -> None:
    a, b = senate({"events": [event(), event(hearing_start="2026-03-03 18:00:00")]})
    assert a.source_key != b.source_key
    (again,) = senate({"events": [event(hearing_start="2026-03-03 14:00:00")]})
    assert again.source_key == a.source_key  # moved the same day: same key


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("not json", "not JSON"),
        ([], "no 'events' list"),
        ({"events": {}}, "no 'events' list"),
        ({"events": ["x"]}, "event 0 is not an object"),
        ({"events": [{"hearing_start": "2026-03-03"}]}, "event 0 has no committee.committee_name"),
        ({"events": [event(committee={"committee_name": ""})]}, "has no committee.committee_name"),
        ({"events": [event(hearing_start=None)]}, "no hearing_start"),
        ({"events": [event(hearing_start="soon")]}, "unrecognised hearing_start"),
        ({"events": [event(hearing_start="2026-02-30 10:00:00")]}, "invalid hearing_start"),
        ({"events": [event(agenda="S.F. 1")]}, "agenda is not a list"),
        ({"events": [event(agenda=["x"])]}, "agenda item 0 is not an object"),
        ({"events": [event(agenda=[{"bill_type": "S.F.", "bill_number": "0"}])]}, "agenda item 0"),
        ({"events": [event(agenda=[{"files": [{"filename": "x"}]}])]}, "file without file_path"),
    ],
)
def test_senate_schedule_parse_errors(data: Any, reason: str) -> None:
    content = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(ParseError, match=reason) as info:
        parse_senate_schedule(content, source_url=SENATE_SCHEDULE)
    assert info.value.source_url == SENATE_SCHEDULE


# --- committee pages --------------------------------------------------------------------


def test_house_committee_members_page() -> None:
    committee = parse_house_committee_members(
        fixture("house_committee_members.html"),
        source_url="https://www.house.mn.gov/Committees/members/94003",
    )
    assert committee.chamber == vocab.HOUSE
    assert committee.name == "Capital Projects Review"
    assert committee.source_id == "94003" and committee.source_ids == ("94003",)
    assert committee.members[0] == CommitteeMember(
        name="Wendeline Quillfeather",
        role="chair",
        role_text="Committee Chair",
        member_id="15901",
        party="DFL",
    )
    assert [m.role for m in committee.members] == [
        "chair",
        "vice_chair",
        "ranking_minority_member",
        "member",
        "member",
    ]
    assert committee.members[2].party == "R" and committee.members[3].role_text == ""


def test_senate_committee_page() -> None:
    committee = parse_senate_committee_page(
        fixture("senate_committee_bio.html"),
        source_url="https://www.senate.mn/committees/committee_bio.html?cmte_id=3955&ls=94",
    )
    assert committee.chamber == vocab.SENATE
    assert committee.name == "Subcommittee on Invented Records"
    assert committee.source_id == "3955"
    assert committee.parent == "Civic Process Committee"
    assert [(m.name, m.role, m.member_id) for m in committee.members] == [
        ("Tamsin Vikstrom", "chair", "1401"),
        ("Orrin Paley", "vice_chair", "1402"),
        ("Corin Corbin", "ranking_minority_member", "1403"),
        ("Hedda Stone Ashby", "member", "1404"),
        ("Idris Farrow", "member", "1405"),  # "Idris Farrow, R"
    ]


@pytest.mark.parametrize(
    ("parser", "page", "reason"),
    [
        (parse_house_committee_members, "<html><body><p>x</p></body></html>", "no committee name"),
        (
            parse_house_committee_members,
            "<html><body><h1>Capital Projects Review</h1></body></html>",
            "no committee members",
        ),
        (
            parse_house_committee_members,
            '<html><body><h1>Taxes</h1><div class="media"><div class="media-body"><span>'
            "<b>Rep. Tova Wennberg (DFL)<br><u>Speaker Emerita</u></b>"
            "</span></div></div></body></html>",
            "unknown committee role",
        ),
        (
            parse_house_committee_members,
            '<html><body><h1>Taxes</h1><div class="media"><div class="media-body"><span>'
            "<b>Rep. 42 (DFL)</b></span></div></div></body></html>",
            "cannot read a member name",
        ),
        (
            parse_senate_committee_page,
            "<html><body><h2>Taxes</h2></body></html>",
            "no committee members",
        ),
        (
            parse_senate_committee_page,
            '<html><body><h2>Taxes</h2><div class="media-body"><b>Treasurer:</b> '
            '<a href="member_bio.html?mem_id=1">Tova Wennberg</a></div></body></html>',
            "unknown committee role",
        ),
    ],
)
def test_committee_page_parse_errors(parser: Any, page: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parser(page, source_url="https://example.invalid/committee")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Committee Chair", "chair"),
        ("Chair:", "chair"),
        ("co-chair", "co_chair"),
        ("Vice-Chair", "vice_chair"),
        ("VC", "vice_chair"),
        ("co-vice chair", "co_vice_chair"),
        ("Ranking Minority Member:", "ranking_minority_member"),
        ("ranking republican member", "ranking_minority_member"),
        ("Republican Lead", "ranking_minority_member"),
        ("democratic\u2013farmer\u2013labor party lead", "ranking_minority_member"),
        ("alternate", "alternate"),
        ("", "member"),
        (None, "member"),
    ],
)
def test_committee_roles(text: str | None, role: str) -> None:
    assert committee_role(text) == role
    assert role in ROLES


def test_unknown_committee_role_raises() -> None:
    with pytest.raises(ParseError, match="unknown committee role 'Sergeant'"):
        committee_role("Sergeant", source_url="https://x")


# --- Open States committee YAML ---------------------------------------------------------


def test_load_openstates_committees_fixture() -> None:
    house, senate_committee = load_openstates_committees(FIXTURES / "openstates")
    assert house.chamber == vocab.HOUSE and house.name == "Capital Projects Review"
    assert house.openstates_id == "7e1f0c2a-5b3d-4c6e-9f10-2a3b4c5d6e7f"
    assert house.source_ids == ("94003", "93003") and house.source_id == "94003"
    assert house.other_names == ("House Capital Projects Review Committee",)
    assert [(m.role, m.role_text) for m in house.members] == [
        ("co_chair", "co-chair"),
        ("co_vice_chair", "co-vice chair"),
        ("ranking_minority_member", "ranking republican member"),
        ("member", "member"),
        ("alternate", "alternate"),
    ]
    assert house.members[0].person_id == "11111111-2222-4333-8444-555555555501"
    assert house.members[-1].person_id is None
    assert house.source_url.startswith("file://")
    assert senate_committee.chamber == vocab.SENATE
    assert senate_committee.source_ids == ("3901", "3870")  # ls=94 before ls=93
    # the committees/ folder itself works too
    assert load_openstates_committees(FIXTURES / "openstates" / "committees")[0] == house


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("x", "not a mapping"),
        ({"chamber": "lower"}, "has no name"),
        ({"name": "Taxes", "chamber": "legislature"}, "unknown committee chamber"),
        ({"name": "Taxes", "chamber": "lower", "members": {}}, "members is not a list"),
        (
            {"name": "Taxes", "chamber": "lower", "members": [{"role": "chair"}]},
            "member 0 has no name",
        ),
        (
            {
                "name": "Taxes",
                "chamber": "upper",
                "members": [{"name": "Tova Wennberg", "role": "clerk"}],
            },
            "unknown committee role",
        ),
    ],
)
def test_openstates_committee_parse_errors(data: Any, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_openstates_committee(data, source_url="file:///x.yml")


def test_load_openstates_committees_errors(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no committee YAML files"):
        load_openstates_committees(tmp_path)
    (tmp_path / "bad.yml").write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ParseError, match="invalid YAML"):
        load_openstates_committees(tmp_path)


@pytest.mark.openstates
def test_load_real_openstates_committees() -> None:
    committees = load_openstates_committees(openstates_dir())
    assert len(committees) == 45
    assert {c.chamber for c in committees} == {vocab.HOUSE, vocab.SENATE}
    assert all(c.source_id for c in committees)
    assert all(c.openstates_id for c in committees)
    members = [m for c in committees for m in c.members]
    assert len(members) > 500 and all(m.role in ROLES for m in members)
    assert sum(1 for c in committees for m in c.members if m.role == "chair") >= 20
