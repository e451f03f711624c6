"""Tests for scrapers.sessions (known table, Revisor codes, session dropdown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrapers.parsing import ParseError
from scrapers.sessions import (
    KNOWN_SESSIONS,
    known_session,
    legislature_first_year,
    parse_session_list,
    session_from_revisor_code,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed"
LIST_URL = "https://www.revisor.mn.gov/bills/status_search.php?body=House"


@pytest.mark.parametrize(
    ("code", "identifier", "name", "legislature", "year", "special"),
    [
        ("0942025", "2025-2026", "2025-2026 Regular Session", 94, 2025, 0),
        ("1942025", "2025s1", "2025 1st Special Session", 94, 2025, 1),
        ("0932023", "2023-2024", "2023-2024 Regular Session", 93, 2023, 0),
        ("1912020", "2020s1", "2020 1st Special Session", 91, 2020, 1),
        ("2912020", "2020s2", "2020 2nd Special Session", 91, 2020, 2),
        ("3912020", "2020s3", "2020 3rd Special Session", 91, 2020, 3),
        ("7912020", "2020s7", "2020 7th Special Session", 91, 2020, 7),
        ("1872012", "2012s1", "2012 1st Special Session", 87, 2012, 1),
        ("2862010", "2010s2", "2010 2nd Special Session", 86, 2010, 2),
        ("0952027", "2027-2028", "2027-2028 Regular Session", 95, 2027, 0),
        # the second year of a biennium still means the biennium
        ("0942026", "2025-2026", "2025-2026 Regular Session", 94, 2025, 0),
    ],
)
def test_session_from_revisor_code(code, identifier, name, legislature, year, special):
    session = session_from_revisor_code(code)
    assert session.identifier == identifier
    assert session.name == name
    assert session.legislature == legislature
    assert session.year == year
    assert session.special_number == special
    assert session.revisor_code == code
    assert session.start_date is None and session.house_vote_key is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "7 digits"),
        ("094202", "7 digits"),
        ("09420255", "7 digits"),
        ("094-025", "7 digits"),
        ("O942025", "7 digits"),
        ("０９４２０２５", "7 digits"),  # full-width digits are not ASCII
        ("0942024", "sat in 2025-2026"),
        ("0942027", "sat in 2025-2026"),
        ("1942030", "sat in 2025-2026"),
        ("0002025", "legislature 0"),
    ],
)
def test_session_from_revisor_code_rejects(code, message):
    with pytest.raises(ValueError, match=message):
        session_from_revisor_code(code)


def test_session_from_revisor_code_checks_label():
    session = session_from_revisor_code("1942025", "94th Legislature, 2025 1st Special Session")
    assert session.identifier == "2025s1"
    assert session_from_revisor_code("0942025", "94th Legislature, 2025-2026").year == 2025
    with pytest.raises(ValueError, match="disagrees"):
        session_from_revisor_code("1942025", "94th Legislature, 2025-2026")
    with pytest.raises(ValueError, match="disagrees"):
        session_from_revisor_code("0942025", "93rd Legislature, 2025-2026")
    with pytest.raises(ValueError, match="unrecognised session label"):
        session_from_revisor_code("0942025", "Session of the century")


def test_legislature_first_year():
    assert legislature_first_year(94) == 2025
    assert legislature_first_year(86) == 2009


def test_known_table_contents():
    by_id = {s.identifier: s for s in KNOWN_SESSIONS}
    assert len(by_id) == len(KNOWN_SESSIONS)
    regular = by_id["2025-2026"]
    assert regular.revisor_code == "0942025"
    assert regular.start_date == dt.date(2025, 1, 14)
    assert regular.end_date == dt.date(2026, 5, 18)
    assert regular.house_vote_key == "302"
    special = known_session("2025s1")
    assert special.revisor_code == "1942025"
    assert (special.start_date, special.end_date) == (dt.date(2025, 6, 9), dt.date(2025, 6, 10))
    assert special.house_vote_key == "304"
    assert special.name == "2025 1st Special Session"
    # the House keys are not sequential by date (mn-sources 1.2)
    assert [by_id[f"2020s{n}"].house_vote_key for n in range(1, 8)] == [
        "252",
        "253",
        "254",
        "255",
        "256",
        "258",
        "259",
    ]
    assert by_id["2021-2022"].house_vote_key == "257"
    assert by_id["2015s1"].house_vote_key == "245"
    # unknowns stay unknown rather than invented
    future = by_id["2027-2028"]
    assert future.revisor_code == "0952027"
    assert future.house_vote_key is None and future.start_date is None
    # regular sessions 2011-2023 start on the constitutional convening day (the first
    # Tuesday after the first Monday of January); their end dates are not guessed
    starts = {y: by_id[f"{y}-{y + 1}"].start_date for y in range(2011, 2025, 2)}
    assert starts == {
        2011: dt.date(2011, 1, 4),
        2013: dt.date(2013, 1, 8),
        2015: dt.date(2015, 1, 6),
        2017: dt.date(2017, 1, 3),
        2019: dt.date(2019, 1, 8),
        2021: dt.date(2021, 1, 5),
        2023: dt.date(2023, 1, 3),
    }
    for day in starts.values():
        assert day.weekday() == 1 and day.day in range(2, 9)
    assert all(by_id[f"{y}-{y + 1}"].end_date is None for y in range(2011, 2025, 2))
    assert by_id["2013-2014"].house_vote_key is None
    with pytest.raises(KeyError, match="2031s9"):
        known_session("2031s9")


def test_parse_session_list_merges_known_table():
    sessions = parse_session_list(
        (FIXTURES / "session_list.html").read_bytes(), source_url=LIST_URL
    )
    assert [s.identifier for s in sessions] == [
        "2025-2026",
        "2025s1",
        "2023-2024",
        "2021s1",
        "2021-2022",
        "2020s7",
        "2007-2008",
    ]
    assert [s.revisor_code for s in sessions] == [
        "0942025",
        "1942025",
        "0932023",
        "1922021",
        "0922021",
        "7912020",
        "0852007",
    ]
    assert all(s.source_url == LIST_URL for s in sessions)
    first = sessions[0]
    assert first.start_date == dt.date(2025, 1, 14) and first.house_vote_key == "302"
    assert sessions[1].house_vote_key == "304"
    assert sessions[1].name == "2025 1st Special Session"
    unknown = sessions[-1]
    assert unknown.name == "2007-2008 Regular Session"
    assert unknown.legislature == 85
    assert unknown.house_vote_key is None and unknown.start_date is None


def test_parse_session_list_without_options_fails_loudly():
    page = b"<html><body><select name='bill_type'><option value='bill'>Bill</option></select>"
    with pytest.raises(ParseError, match="no <select") as info:
        parse_session_list(page, source_url=LIST_URL)
    assert info.value.source_url == LIST_URL
    placeholder_only = b"<html><body><select name='session'><option value=''>Pick</option>"
    with pytest.raises(ParseError, match="no <select"):
        parse_session_list(placeholder_only, source_url=LIST_URL)


def test_parse_session_list_bad_option_fails_loudly():
    page = (
        b"<html><body><select name='session'>"
        b"<option value='0942025'>94th Legislature, 2025-2026</option>"
        b"<option value='ls94'>94th Legislature, 2025-2026</option></select>"
    )
    with pytest.raises(ParseError, match="bad session option.*ls94"):
        parse_session_list(page, source_url=LIST_URL)
    mismatched = (
        b"<html><body><select name='session'>"
        b"<option value='1942025'>94th Legislature, 2025-2026</option></select>"
    )
    with pytest.raises(ParseError, match="disagrees"):
        parse_session_list(mismatched, source_url=LIST_URL)
