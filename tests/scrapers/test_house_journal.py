"""scrapers.house_journal: GetPage request and excused members in House Journal attendance.

The journal pages are hand-built (tests/fixtures/mn/reconstructed/votes/); every name
is invented."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.house_journal import journal_page_request, parse_excused
from scrapers.parsing import ParseError
from tests.conftest import FIXTURES

VOTES = FIXTURES / "mn" / "reconstructed" / "votes"
URL = "https://www.house.mn.gov/cco/journals/2025-26/J0313041.htm"


def page(body: str) -> bytes:
    return f"<html><body>{body}</body></html>".encode()


ROLL = "<p>The roll was called and the following members were present:</p><p>Okonkwo</p>"


def test_journal_page_request() -> None:
    assert journal_page_request("https://www.house.mn.gov/", "302", "643") == (
        "https://www.house.mn.gov/Votes/GetPage", {"PageNumber": "643", "SessionKey": 302})
    assert journal_page_request("http://x", 302, " 3477a ")[1]["PageNumber"] == "3477a"


def test_lists_initials_accents_and_whole_day_only() -> None:
    found = parse_excused((VOTES / "house_journal_j0313041.html").read_bytes(), source_url=URL)
    assert found.date == dt.date(2025, 3, 13)
    assert found.source_url == URL
    # "A, B, C and D were excused." (wrapped over two source lines, after "A quorum was
    # present." in the same paragraph) and "A and B were excused for the day."
    assert found.excused == ("Castellanos", "Haugland, K. M.", "Ibáñez-Ortega",
                             "Johanssen, R.", "Lindqvist", "Quillfeather")
    # excused between two times / for the remainder of the session: never "excused"
    assert found.partly_excused == ("Okonkwo", "Halvorsen")


def test_single_member_with_initial_and_partial_day() -> None:
    found = parse_excused((VOTES / "house_journal_j0509068.html").read_bytes(),
                          source_url=URL)
    assert found.date == dt.date(2025, 5, 9)
    assert found.excused == ("Johanssen, P.",)
    assert found.partly_excused == ("Okonkwo",)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Lindqvist and Okonkwo were excused.", ("Lindqvist", "Okonkwo")),
    ("Lindqvist was excused.", ("Lindqvist",)),
    ("Castellanos, Johanssen, P., and Okonkwo were excused.",
     ("Castellanos", "Johanssen, P.", "Okonkwo")),
    ("Johanssen, P. and Johanssen, R. were excused for the day.",
     ("Johanssen, P.", "Johanssen, R.")),
    ("Haugland, K. M. was excused.", ("Haugland, K. M.",)),
    ("Okonkwo was excused until 1:10 p.m.", ()),
])
def test_sentence_forms(sentence: str, expected: tuple[str, ...]) -> None:
    assert parse_excused(page(ROLL + f"<p>{sentence}</p>"), source_url=URL).excused == expected


def test_nobody_excused_is_valid() -> None:
    found = parse_excused(page(ROLL + "<p>A quorum was present.</p>"), source_url=URL)
    assert found.excused == () and found.date is None


def test_excused_before_the_roll_is_not_read() -> None:
    found = parse_excused(page("<p>Lindqvist was excused.</p>" + ROLL), source_url=URL)
    assert found.excused == ()


def test_no_attendance_section_raises() -> None:
    with pytest.raises(ParseError, match="no attendance roll") as info:
        parse_excused((VOTES / "house_journal_no_attendance.html").read_bytes(),
                      source_url=URL)
    assert info.value.source_url == URL


def test_unreadable_names_raise_rather_than_guess() -> None:
    with pytest.raises(ParseError, match="not a printed name"):
        parse_excused(page(ROLL + "<p>The following members were excused.</p>"),
                      source_url=URL)
    with pytest.raises(ParseError, match="follow no surname"):
        parse_excused(page(ROLL + "<p>P. and Okonkwo were excused.</p>"), source_url=URL)


def test_windows_1252_page() -> None:
    body = (ROLL + "<p>Ibáñez-Ortega was excused.</p>").encode("cp1252")
    assert parse_excused(b"<html><body>" + body + b"</body></html>",
                         source_url=URL).excused == ("Ibáñez-Ortega",)
