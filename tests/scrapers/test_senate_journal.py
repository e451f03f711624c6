"""Tests for scrapers.senate_journal: gotopage JSON, PDF text, roll-call parsing.

The journal PDFs are generated here from text (tests/scrapers/pdfgen.py, fpdf2
with DejaVu Sans); every senator is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from scrapers import vocab
from scrapers.parsing import ParseError
from scrapers.senate_journal import (
    extract_pages_text,
    find_roll_call,
    gotopage_url,
    parse_day_roll,
    parse_gotopage,
)
from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows, odd_head

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed" / "votes"
SENATE = "https://www.senate.mn"
PDF_URL = f"{SENATE}/journals/2025-2026/20250429041.pdf"

YES_9 = [
    "Achterberg",
    "Brekke-Núñez",
    "Castellanos",
    "Halvorsen",
    "Ibáñez-Ortega",
    "Johanssen, P.",
    "Lindqvist",
    "Okonkwo",
    "Van Loon",
]
NO_4 = ["Haugland, K. M.", "Johanssen, R.", "Nakamura", "Whitfield"]
ALL_13 = sorted(YES_9 + NO_4)
DATE_LINE = "TUESDAY, APRIL 29, 2025"


def journal_pages() -> list[list]:
    """Two journal pages: SF 1832's 9-4 roll call split across the page break,
    then SF 77's 0-13 amendment vote and HF 25's 13-0 repassage."""
    rows = name_rows(YES_9, columns=4)  # 3 rows: 4, 4, 1
    page1 = [
        even_head(4172, 41),
        "S.F. No. 1832 was read the third time, as amended, and placed on its final",
        "passage.",
        "The question was taken on the passage of the bill, as amended.",
        "The roll was called, and there were yeas 9 and nays 4, as follows:",
        "Those who voted in the affirmative were:",
        *rows[:2],
    ]
    page2 = [
        odd_head(4173, 41, DATE_LINE),
        *rows[2:],
        "Pursuant to Rule 40, Senator Lindqvist cast the affirmative vote on behalf of the",
        "following Senators: Halvorsen and Okonkwo.",
        "Those who voted in the negative were:",
        "Haugland, K. M., Johanssen, R., Nakamura, and Whitfield.",
        "So the bill, as amended, passed and its title was agreed to.",
        "S.F. No. 77: Senator Whitfield moved to amend S.F. No. 77 as follows:",
        'Page 2, line 4, delete "shall" and insert "may"',
        "The question was taken on the adoption of the Whitfield amendment.",
        "The roll was called, and there were yeas 0 and nays 13, as follows:",
        "Those who voted in the negative were:",
        *name_rows(ALL_13, columns=5),
        "The amendment was not adopted.",
        "H.F. No. 25 was read the third time and placed on its repassage.",
        "The question was taken on the repassage of the bill.",
        "The roll was called, and there were yeas 13 and nays 0, as follows:",
        "Those who voted in the affirmative were:",
        *name_rows(ALL_13, columns=5),
        "So the bill was repassed and its title was agreed to.",
        "4173",
    ]
    return [page1, page2]


@pytest.fixture(scope="module")
def journal_bytes() -> bytes:
    return journal_pdf(
        [["10    JOURNAL OF THE SENATE    [41ST DAY", "Preceding page."]] + journal_pages()
    )


@pytest.fixture(scope="module")
def pages_text(journal_bytes: bytes) -> list[str]:
    return extract_pages_text(journal_bytes, 2, 3, source_url=PDF_URL)


def find(pages: list[str], bill_type: str, number: int, yeas: int, nays: int, **kw):
    return find_roll_call(
        pages,
        bill_type=bill_type,
        number=number,
        yeas=yeas,
        nays=nays,
        source_url=PDF_URL,
        first_page=2,
        **kw,
    )


# --- gotopage -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [("4172", "page=4172"), ("1798a", "page=1798"), (3477, "page=3477"), ("0045", "page=45")],
)
def test_gotopage_url_strips_non_digits(page: str | int, expected: str) -> None:
    url = gotopage_url(SENATE + "/", page, 94)
    assert url == f"{SENATE}/api/journal/gotopage?{expected}&ls=94"


@pytest.mark.parametrize("page", ["", "a", "0"])
def test_gotopage_url_rejects_pages_without_a_number(page: str) -> None:
    with pytest.raises(ValueError, match="journal page"):
        gotopage_url(SENATE, page, 94)


def test_parse_gotopage_fixture() -> None:
    content = (FIXTURES / "senate_gotopage_4172.json").read_bytes()
    page = parse_gotopage(content, source_url="u", senate_base="http://127.0.0.1:5123/")
    assert page.filename == "20250429041"
    assert page.biennium == "2025-2026"
    assert page.internal_page == 12
    assert page.pdf_url == "http://127.0.0.1:5123/journals/2025-2026/20250429041.pdf"
    assert page.page_range == (11, 13)


def test_parse_gotopage_accepts_pdf_suffix_and_text_page() -> None:
    content = (
        b'{"filename": "2017052504_ss1.pdf", "fileBiennium": "2017-2018", "internal_page": "1"}'
    )
    page = parse_gotopage(content, source_url="u", senate_base=SENATE)
    assert page.pdf_url == f"{SENATE}/journals/2017-2018/2017052504_ss1.pdf"
    assert page.page_range == (1, 2)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html>error</html>", "not JSON"),
        (b"[]", "expected an object"),
        (b'{"filename": "", "fileBiennium": "", "internal_page": 0}', "no file for this page"),
        (b'{"filename": "../x", "fileBiennium": "2025-2026", "internal_page": 3}', "file name"),
        (b'{"filename": "a", "fileBiennium": "2025", "internal_page": 3}', "biennium"),
        (b'{"filename": "a", "fileBiennium": "2025-2026", "internal_page": "x"}', "not a number"),
        (b'{"filename": "a", "fileBiennium": "2025-2026", "internal_page": true}', "not a number"),
        (b'{"filename": "a", "fileBiennium": "2025-2026", "internal_page": 0}', "not a page"),
    ],
)
def test_parse_gotopage_rejects_bad_responses(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_gotopage(content, source_url="https://g", senate_base=SENATE)
    assert info.value.source_url == "https://g"


# --- PDF text ---------------------------------------------------------------------------


def test_extract_pages_text_keeps_accents_and_column_gaps(pages_text: list[str]) -> None:
    assert len(pages_text) == 2
    assert "Brekke-Núñez" in pages_text[0]
    assert "JOURNAL OF THE SENATE" in pages_text[0]
    row = next(line for line in pages_text[0].splitlines() if "Achterberg" in line)
    assert "Achterberg" in row and "Castellanos" in row
    assert "   " in row.strip()  # columns stay apart


def test_extract_pages_text_clamps_the_range(journal_bytes: bytes) -> None:
    assert len(extract_pages_text(journal_bytes, 0, 99)) == 3
    assert len(extract_pages_text(journal_bytes, 3, 5)) == 1
    with pytest.raises(ParseError, match="outside the document's 3 pages"):
        extract_pages_text(journal_bytes, 4, 6)


def test_truncated_pdf_is_a_parse_error(journal_bytes: bytes) -> None:
    with pytest.raises(ParseError, match="truncated") as info:
        extract_pages_text(journal_bytes[: len(journal_bytes) // 2], 1, 2, source_url=PDF_URL)
    assert info.value.source_url == PDF_URL


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not a PDF"),
        (b"<html><body>Service unavailable</body></html>", "not a PDF"),
        (b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n", "unreadable PDF"),
    ],
)
def test_unreadable_pdf_is_a_parse_error(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        extract_pages_text(content, 1, 1)


def test_encrypted_pdf_is_a_parse_error() -> None:
    locked = journal_pdf([["secret"]], user_password="hunter2")
    with pytest.raises(ParseError, match="encrypted"):
        extract_pages_text(locked, 1, 1)
    # Owner-password-only encryption opens with the empty password, like any reader.
    assert extract_pages_text(journal_pdf([["open"]], user_password=""), 1, 1)[0].strip() == "open"


# --- roll calls ------------------------------------------------------------------------


def test_roll_call_split_across_a_page_break(pages_text: list[str]) -> None:
    rc = find(pages_text, "SF", 1832, 9, 4)
    assert rc.chamber == vocab.SENATE
    assert (rc.bill_type, rc.number, rc.yeas, rc.nays) == ("SF", 1832, 9, 4)
    # Two-column rows across the break; the Rule 40 note and page heads are not names.
    assert rc.yes_names == tuple(YES_9)
    assert rc.no_names == ("Haugland, K. M.", "Johanssen, R.", "Nakamura", "Whitfield")
    assert rc.motion == "The question was taken on the passage of the bill, as amended."
    assert rc.description_lines == (rc.motion,)
    assert rc.outcome == "So the bill, as amended, passed and its title was agreed to."
    assert rc.date == dt.date(2025, 4, 29)  # from the next page's running head
    assert rc.journal_page == "4172"
    assert rc.source_url == PDF_URL + "#page=2"
    assert rc.position == 0
    assert rc.amendment_id == ""


def test_zero_yeas_has_no_affirmative_list(pages_text: list[str]) -> None:
    rc = find(pages_text, "SF", 77, 0, 13)
    assert rc.yes_names == ()
    assert rc.no_names == tuple(ALL_13)
    assert rc.motion == "The question was taken on the adoption of the Whitfield amendment."
    assert rc.outcome == "The amendment was not adopted."
    assert rc.journal_page == "4173"
    assert rc.source_url == PDF_URL + "#page=3"
    assert rc.position == 1


def test_zero_nays_has_no_negative_list(pages_text: list[str]) -> None:
    rc = find(pages_text, "HF", 25, 13, 0, date=dt.date(2025, 4, 30), journal_page="4173a")
    assert rc.yes_names == tuple(ALL_13)
    assert rc.no_names == ()
    assert rc.outcome == "So the bill was repassed and its title was agreed to."
    assert rc.motion == "The question was taken on the repassage of the bill."
    assert rc.date == dt.date(2025, 4, 30)  # the caller's date wins
    assert rc.journal_page == "4173a"


def test_page_without_the_expected_roll_call(pages_text: list[str]) -> None:
    with pytest.raises(
        ParseError, match="journal page does not contain the expected roll call yeas 35 nays 30"
    ) as info:
        find(pages_text, "SF", 1832, 35, 30)
    assert info.value.source_url == PDF_URL


def test_empty_pages_have_no_roll_call() -> None:
    with pytest.raises(ParseError, match="expected roll call yeas 1 nays 2"):
        find_roll_call([], bill_type="SF", number=1, yeas=1, nays=2, source_url=PDF_URL)


def roll_call_block(bill: str, yes: list[str], no: list[str], outcome: str) -> list:
    return [
        f"{bill} was read the third time and placed on its final passage.",
        "The question was taken on the passage of the bill.",
        f"The roll was called, and there were yeas {len(yes)} and nays {len(no)}, as follows:",
        "Those who voted in the affirmative were:",
        *name_rows(yes, 3),
        "Those who voted in the negative were:",
        *name_rows(no, 3),
        outcome,
    ]


def test_same_tally_twice_is_told_apart_by_the_bill_mention() -> None:
    yes, no = ["Lindqvist", "Okonkwo"], ["Nakamura"]
    pages = extract_pages_text(
        journal_pdf(
            [
                roll_call_block(
                    "S.F. No. 12", yes, no, "So the bill passed and its title was agreed to."
                )
                + roll_call_block(
                    "H.F. No. 1200", no + yes[:1], yes[1:], "So the bill failed to pass."
                )
            ]
        ),
        1,
        1,
    )
    rc = find_roll_call(pages, bill_type="HF", number=1200, yeas=2, nays=1, source_url=PDF_URL)
    assert rc.yes_names == ("Nakamura", "Lindqvist")
    assert rc.no_names == ("Okonkwo",)
    assert rc.outcome == "So the bill failed to pass."
    assert rc.source_url == PDF_URL + "#page=1"
    with pytest.raises(ParseError, match="cannot tell which one is SF 999"):
        find_roll_call(pages, bill_type="SF", number=999, yeas=2, nays=1, source_url=PDF_URL)


def test_comma_and_and_separated_names_with_initials_and_motion_outcomes() -> None:
    pages = extract_pages_text(
        journal_pdf(
            [
                [
                    "Senator Okonkwo moved that S.F. No. 5 be laid on the table.",
                    "The question was taken on the adoption of the motion of Senator Okonkwo.",
                    "The roll was called, and there were yeas 3 and nays 2, as follows:",
                    "Those who voted in the affirmative were:",
                    "Johanssen, P., Johanssen, R. and Ibáñez-Ortega.",
                    "Pursuant to Rule 40, Senator Castellanos cast the affirmative vote on",
                    "behalf of the following Senators:",
                    "Johanssen, P.",
                    "Those who voted in the negative were:",
                    ("Haugland, K. M.", "Van Loon"),
                    "The motion prevailed.",
                ]
            ]
        ),
        1,
        1,
    )
    rc = find_roll_call(pages, bill_type="SF", number=5, yeas=3, nays=2, source_url=PDF_URL)
    assert rc.yes_names == ("Johanssen, P.", "Johanssen, R.", "Ibáñez-Ortega")
    assert rc.no_names == ("Haugland, K. M.", "Van Loon")
    assert rc.outcome == "The motion prevailed."
    assert rc.date is None and rc.journal_page == ""


def test_list_without_outcome_stops_at_prose_and_third_reading_fallback() -> None:
    pages = [
        "The roll was called, and there were yeas 2 and nays 0, as follows:\n"
        "Those who voted in the affirmative were:\n"
        "Lindqvist      Okonkwo\n"
        "S.F. No. 9 was read the second time.\n"
    ]
    rc = find_roll_call(pages, bill_type="SF", number=8, yeas=2, nays=0, source_url=PDF_URL)
    assert rc.motion == "Third reading"
    assert rc.yes_names == ("Lindqvist", "Okonkwo")
    assert rc.outcome is None


def test_mismatched_lists_are_returned_as_printed_not_reconciled() -> None:
    pages = [
        "The question was taken on the passage of the bill.\n"
        "The roll was called, and there were yeas 3 and nays 1, as follows:\n"
        "Those who voted in the affirmative were:\n"
        "Lindqvist      Okonkwo\n"
        "Those who voted in the negative were:\n"
        "Nakamura      Whitfield\n"
        "So the bill passed and its title was agreed to.\n"
    ]
    rc = find_roll_call(pages, bill_type="SF", number=8, yeas=3, nays=1, source_url=PDF_URL)
    assert rc.yes_names == ("Lindqvist", "Okonkwo")
    assert rc.no_names == ("Nakamura", "Whitfield")
    assert (rc.yeas, rc.nays) == (3, 1)


# --- the day's roll -----------------------------------------------------------------------

SENATORS = [
    "Aarbakke, E.",
    "Aarbakke, S.",
    "Aas Tveit",
    "Brekke-Núñez",
    "Bryne",
    "Dagsland",
    "Eid Solheim",
    "Fosse",
    "Grindheim",
    "Haugesund",
    "Ivarsøy",
    "Jæren",
    "Kolstø",
    "Lysefjord",
    "Mosvik",
    "Myklebust",
    "Nærbø",
    "Ostrem",
    "Pollestad",
    "Risøy",
    "Sjøvold",
    "Ten Haaf",
    "Tjelta",
]  # 23 invented senators: five full rows and a short one


def day_pdf(*pages: list) -> list[str]:
    """Text of generated journal pages, as extract_pages_text returns it."""
    pdf = journal_pdf(list(pages), column_width=100)
    return extract_pages_text(pdf, 1, len(pages), source_url=PDF_URL)


def opening(date_line: str, day: str) -> list:
    return [
        "STATE OF MINNESOTA",
        "Journal of the Senate",
        "NINETY-SECOND LEGISLATURE",
        day,
        date_line,
        "The Senate met at 11:00 a.m. and was called to order by the President.",
        "Prayer was offered by the Chaplain.",
        "The members of the Senate gave the pledge of allegiance to the flag of the United",
        "States of America.",
    ]


def roll(pages_text: list[str], **kw):
    return parse_day_roll(pages_text, source_url=PDF_URL, **kw)


def test_day_roll_2011_answered_to_their_names() -> None:
    pages = day_pdf(
        opening("St. Paul, Minnesota, Tuesday, March 8, 2011", "THIRTEENTH DAY")
        + [
            "The roll was called, and the following Senators answered to their names:",
            *name_rows(SENATORS, columns=5),
            "The President declared a quorum present.",
            "The reading of the Journal was dispensed with and the Journal, as printed and",
            "corrected, was approved.",
        ]
    )
    day = roll(pages)
    assert day.present == tuple(SENATORS)  # reading order, initials and accents kept
    assert day.remote == ()
    assert day.date == dt.date(2011, 3, 8)
    assert day.source_url == PDF_URL + "#page=1"


def test_day_roll_2017_heading_broken_and_roll_across_a_page_break() -> None:
    rows = name_rows(SENATORS, columns=5)
    previous_day = [
        odd_head(3119, 39, "MONDAY, APRIL 3, 2017"),
        "The Senate adjourned until 9:00 a.m., Tuesday, April 4, 2017.",
        "JoAnne M. Zoff, Secretary of the Senate",
    ]
    page1 = opening("St. Paul, Minnesota, Tuesday, April 4, 2017", "FORTIETH DAY") + [
        "CALL OF THE SENATE",
        "Senator Tjelta imposed a call of the Senate. The Sergeant at Arms was instructed",
        "to bring in the absent members.",
        "The roll was called, and the following Senators answered to",
        "their names:",
        *rows[:3],
        "3121",
    ]
    page2 = [even_head(3122, 40), *rows[3:], "The President declared a quorum present."]
    day = roll(day_pdf(previous_day, page1, page2), first_page=7)
    assert day.present == tuple(SENATORS)
    assert day.date == dt.date(2017, 4, 4)  # the roll page's dateline, not the day before
    assert day.source_url == PDF_URL + "#page=8"  # pages_text[1] is PDF page 8


def test_day_roll_2021_were_present_with_remote_locations() -> None:
    page = opening("St. Paul, Minnesota, Thursday, January 14, 2021", "FOURTH DAY") + [
        "The roll was called, and the following Senators were present:",
        *name_rows(SENATORS, columns=5),
        "The President declared a quorum present.",
        "Pursuant to Rule 14.1, the President announced the following members intend to vote",
        "under Rule 40.7 from the following remote locations: Aarbakke, S. (St. Paul, MN);",
        "Aas Tveit (Buffalo, MN); Jæren (Eagan, MN); Ten Haaf (Duluth, MN); and Tjelta",
        "(Minneapolis, MN).",
        "The reading of the Journal was dispensed with and the Journal, as printed and",
        "corrected, was approved.",
    ]
    day = roll(day_pdf(page))
    assert day.present == tuple(SENATORS)
    assert day.remote == ("Aarbakke, S.", "Aas Tveit", "Jæren", "Ten Haaf", "Tjelta")
    assert day.date == dt.date(2021, 1, 14)


def test_day_roll_remote_note_before_the_quorum_sentence() -> None:
    page = [
        odd_head(1031, 14, "MONDAY, JUNE 28, 2021"),
        "The roll was called, and the following Senators were present:",
        *name_rows(SENATORS[:12], columns=5),
        "Pursuant to Rule 14.1, the President announced the following members intend to vote",
        "under Rule 40.7: Aarbakke, E., Bryne (California), Fosse, and Kolstø.",
        "The President declared a quorum present.",
    ]
    day = roll(day_pdf(page))
    assert day.present == tuple(SENATORS[:12])
    assert day.remote == ("Aarbakke, E.", "Bryne", "Fosse", "Kolstø")
    assert day.date == dt.date(2021, 6, 28)  # no dateline: the running head


def test_day_roll_ignores_other_notes_and_stops_at_the_next_sentence() -> None:
    page = [
        "The roll was called, and the following Senators answered to their names:",
        ("Bryne", "Dagsland", "Eid Solheim"),
        "Pursuant to Rule 14.1, the President announced that the Senate would stand at ease.",
        "The reading of the Journal was dispensed with.",
    ]
    day = roll(day_pdf(page))
    assert day.present == ("Bryne", "Dagsland", "Eid Solheim")
    assert day.remote == ()
    assert day.date is None


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["The Senate met at noon.", "The President declared a quorum present."], "no daily roll"),
        (
            [
                "The roll was called, and the following Senators were present:",
                "The President declared a quorum present.",
            ],
            "the Senate roll is empty",
        ),
        (
            [
                "The roll was called, and the following Senators were present:",
                ("Bryne", "Dagsland 3", "Fosse"),
                "The President declared a quorum present.",
            ],
            "'Dagsland 3' .* is not a printed name",
        ),
        (
            [
                "The roll was called, and the following Senators were present:",
                ("Bryne", "Spk. Fosse"),
                "The President declared a quorum present.",
            ],
            "'Spk. Fosse'",
        ),
        (
            [
                "The roll was called, and the following Senators were present:",
                ("Bryne", "Fosse"),
                "The President declared a quorum present.",
                "Pursuant to Rule 14.1, the President announced the following members intend to",
                "vote under Rule 40.7: Bryne, 12 (Eagan, MN).",
            ],
            "'12' is not a printed name",
        ),
        (
            [
                "The roll was called, and the following Senators were present:",
                ("Bryne", "Fosse"),
                "The President declared a quorum present.",
                "Pursuant to Rule 40.7, Senator Bryne participated remotely.",
            ],
            "cannot read the remote senators",
        ),
    ],
)
def test_day_roll_is_strict(lines: list, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        roll(day_pdf(lines))
    assert info.value.source_url == PDF_URL


def test_day_roll_on_empty_pages() -> None:
    with pytest.raises(ParseError, match="no daily roll"):
        roll([])


def test_day_roll_keeps_find_roll_call_notes_rule(pages_text: list[str]) -> None:
    # the Rule 40 proxy note inside a vote list is still dropped by find_roll_call
    assert find(pages_text, "SF", 1832, 9, 4).yes_names == tuple(YES_9)


@pytest.mark.openstates
def test_day_roll_senators_are_invented() -> None:
    from tests.scrapers.test_house_journal import real_names

    full, family = real_names()
    parts = {p.casefold() for n in SENATORS for p in re.split(r"[\s\-,]+", n.split(",")[0]) if p}
    assert sorted(parts & family) == []
    assert sorted(n for n in SENATORS if n.casefold() in full) == []


# --- interrupted and ragged rolls -------------------------------------------------------------

HEADING = "The roll was called, and the following Senators were present:"


@pytest.mark.parametrize(
    "stray",
    [
        "Pursuant to Rule 40.7, the following Senators took part remotely: Bryne.",
        "(Senator Bryne arrived after the roll was called.)",
        "The President declared a quorum present.",
    ],
)
def test_day_roll_interrupted_by_a_line_raises(stray: str) -> None:
    """A line inside the roll is not its end when more rows of names follow it."""
    rows = name_rows(SENATORS, columns=5)
    lines = [HEADING, rows[0], stray, *rows[1:], "The President declared a quorum present."]
    with pytest.raises(ParseError, match="inside the Senate roll") as info:
        roll(day_pdf(lines))
    assert info.value.source_url == PDF_URL


def test_day_roll_running_head_inside_the_roll_is_skipped() -> None:
    rows = name_rows(SENATORS, columns=5)
    lines = [
        HEADING,
        *rows[:2],
        odd_head(21, 3, "MONDAY, JANUARY 11, 2021"),
        *rows[2:],
        "The President declared a quorum present.",
    ]
    assert roll(day_pdf(lines)).present == tuple(SENATORS)


@pytest.mark.parametrize(
    "rows",
    [
        # "Bryne Dagsland" printed as one cell: a full row of four
        [
            ("Aarbakke, E.", "Aarbakke, S.", "Aas Tveit", "Brekke-Núñez", "Bryne Dagsland"),
            ("Eid Solheim", "Fosse", "Grindheim", "Haugesund"),
            ("Ivarsøy", "Jæren"),
        ],
        [
            ("Aarbakke, E.", "Aarbakke, S.", "Aas Tveit", "Brekke-Núñez", "Bryne"),
            ("Dagsland", "Eid Solheim", "Fosse", "Grindheim", "Haugesund", "Ivarsøy"),
            ("Jæren",),
        ],
    ],
)
def test_day_roll_full_rows_of_other_than_five_raise(rows: list) -> None:
    lines = [HEADING, *rows, "The President declared a quorum present."]
    with pytest.raises(ParseError, match="5 names to a row are printed"):
        roll(day_pdf(lines))


def test_day_roll_multi_word_surnames_in_full_rows() -> None:
    names = [
        "Aas Tveit",
        "Bryne",
        "Eid Solheim",
        "Fosse",
        "Ten Haaf",
        "Tjelta",
        "Van Loon",
        "Aarbakke, E.",
        "Dagsland",
        "Jæren",
        "Kolstø",
    ]
    lines = [HEADING, *name_rows(names, columns=5), "The President declared a quorum present."]
    assert roll(day_pdf(lines)).present == tuple(names)
