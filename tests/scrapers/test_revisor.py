"""Tests for scrapers.revisor (URLs, search XML, bill status XML, classification, status)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers import revisor, vocab
from scrapers.parsing import ParseError, parse_xml
from scrapers.records import ActionRecord, AuthorRecord
from scrapers.revisor import (
    classify_action,
    content_hash,
    derive_status,
    parse_bill_status_xml,
    parse_search_xml,
    search_ranges,
    search_url,
    session_list_url,
    status_xml_url,
    walk_search,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed"
SEARCH_URL = "https://www.revisor.mn.gov/bills/status_result.php?format=xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def bill(name: str, session: str = "2025-2026"):
    url = f"https://api.revisor.mn.gov/fixture/{name}"
    return parse_bill_status_xml(fixture(name), source_url=url, session=session)


# --- URLs ------------------------------------------------------------------------


def test_search_url():
    url = search_url(
        "https://www.revisor.mn.gov/",
        chamber_body="Senate",
        session_code="1942025",
        start=501,
        end=1000,
        bill_type="bill",
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.revisor.mn.gov/bills/status_result.php"
    )
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["body"] == ["Senate"]
    assert query["location"] == ["Senate"]
    assert query["session"] == ["1942025"]
    assert query["bill"] == ["501-1000"]
    assert query["bill_type"] == ["bill"]
    assert query["format"] == ["xml"]
    assert query["submit_bill"] == ["GO"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"chamber_body": "house"},
        {"bill_type": "bills"},
        {"session_code": "ls94"},
        {"start": 0, "end": 499},
        {"start": 1, "end": 501},
        {"start": 10, "end": 9},
    ],
)
def test_search_url_rejects(kwargs):
    args = {
        "chamber_body": "House",
        "session_code": "0942025",
        "start": 1,
        "end": 500,
        "bill_type": "bill",
    }
    args.update(kwargs)
    with pytest.raises(ValueError):
        search_url("https://www.revisor.mn.gov", **args)


def test_status_xml_and_session_list_urls():
    assert status_xml_url("https://api.revisor.mn.gov", 94, 2025, 0, "HF", 2136) == (
        "https://api.revisor.mn.gov/bills/v1/94/2025/0/HF/2136/"
    )
    assert status_xml_url("https://api.revisor.mn.gov/", 94, 2025, 1, "hf", 5) == (
        "https://api.revisor.mn.gov/bills/v1/94/2025/1/HF/5/"
    )
    with pytest.raises(ValueError):
        status_xml_url("https://api.revisor.mn.gov", 94, 2025, 0, "HB", 5)
    with pytest.raises(ValueError):
        status_xml_url("https://api.revisor.mn.gov", 94, 2025, 0, "HF", 0)
    assert session_list_url("https://www.revisor.mn.gov") == (
        "https://www.revisor.mn.gov/bills/status_search.php?body=House"
    )


# --- search XML -------------------------------------------------------------------------


def test_parse_search_xml_fixture():
    rows = parse_search_xml(fixture("search_house_bills_0942025.xml"), source_url=SEARCH_URL)
    assert [(r.bill_type, r.number) for r in rows] == [("HF", 1), ("HF", 5), ("HF", 2136)]
    assert rows[0].status_xml_url == "https://api.revisor.mn.gov/bills/v1/94/2025/0/HF/1/"
    assert rows[0].latest_text_url == (
        "https://www.revisor.mn.gov/bills/94/2025/0/HF/1/versions/latest/"
    )
    assert rows[0].description == "Legislative session schedule modified."
    assert rows[1].status_xml_url == "https://api.revisor.mn.gov/bills/v1/94/2025/0/HF/5/"
    assert rows[1].latest_text_url is None


def test_parse_search_xml_empty_is_end_of_ranges():
    assert parse_search_xml(fixture("search_empty.xml"), source_url=SEARCH_URL) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (fixture("search_error_page.html"), "malformed XML|expected root"),
        (fixture("bill_status_hf5_2025.xml"), "expected root <SEARCH_RESULTS>, found <BILL>"),
        (b"", "empty body"),
        (b"<SEARCH_RESULTS><BILL_RESULT>", "malformed XML"),
    ],
)
def test_parse_search_xml_rejects(content, message):
    with pytest.raises(ParseError, match=message):
        parse_search_xml(content, source_url=SEARCH_URL)


def test_parse_search_xml_row_without_status_uri_fails():
    content = (
        b"<SEARCH_RESULTS><BILL_RESULT><FILE_TYPE>HF</FILE_TYPE>"
        b"<FILE_NUMBER>7</FILE_NUMBER></BILL_RESULT></SEARCH_RESULTS>"
    )
    with pytest.raises(ParseError, match="STATUS_XML_URI"):
        parse_search_xml(content, source_url=SEARCH_URL)


def make_search_page(numbers, bill_type="HF") -> bytes:
    rows = "".join(
        f"<BILL_RESULT><FILE_TYPE>{bill_type}</FILE_TYPE><FILE_NUMBER>{n}</FILE_NUMBER>"
        f"<DESCRIPTION>Invented bill {n}</DESCRIPTION>"
        f"<STATUS_XML_URI>api.revisor.mn.gov/bills/v1/94/2025/0/{bill_type}/{n}/</STATUS_XML_URI>"
        f"<LATEST_TEXT_HTML_URI></LATEST_TEXT_HTML_URI></BILL_RESULT>"
        for n in numbers
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><SEARCH_RESULTS>{rows}</SEARCH_RESULTS>'.encode()


def test_parse_full_500_row_page():
    rows = parse_search_xml(make_search_page(range(1, 501)), source_url=SEARCH_URL)
    assert len(rows) == 500
    assert rows[0].number == 1 and rows[-1].number == 500
    assert rows[-1].status_xml_url == "https://api.revisor.mn.gov/bills/v1/94/2025/0/HF/500/"


def test_search_ranges():
    ranges = search_ranges()
    assert [next(ranges) for _ in range(3)] == [(1, 500), (501, 1000), (1001, 1500)]
    with pytest.raises(ValueError):
        next(search_ranges(501))


def test_walk_search_goes_past_full_ranges():
    total = 1234  # more than two full pages of 500
    calls = []

    def fetch(start, end):
        calls.append((start, end))
        numbers = [n for n in range(start, end + 1) if n <= total]
        return parse_search_xml(make_search_page(numbers), source_url=SEARCH_URL)

    rows = list(walk_search(fetch))
    assert calls == [(1, 500), (501, 1000), (1001, 1500), (1501, 2000)]
    assert len(rows) == total
    assert [r.number for r in rows] == list(range(1, total + 1))


def test_walk_search_stops_at_first_empty_range_and_dedupes():
    pages = {
        1: parse_search_xml(fixture("search_house_bills_0942025.xml"), source_url=SEARCH_URL),
        501: parse_search_xml(fixture("search_house_bills_0942025.xml"), source_url=SEARCH_URL),
        1001: parse_search_xml(fixture("search_empty.xml"), source_url=SEARCH_URL),
    }
    rows = list(walk_search(lambda start, end: pages[start]))
    assert [(r.bill_type, r.number) for r in rows] == [("HF", 1), ("HF", 5), ("HF", 2136)]


def test_walk_search_has_a_ceiling():
    with pytest.raises(RuntimeError, match="did not end"):
        list(
            walk_search(
                lambda s, e: parse_search_xml(make_search_page([s]), source_url="u"),
                max_number=2000,
            )
        )


# --- bill status XML ----------------------------------------------------------------------


def test_sf1832_lower_case_tags_and_quirks():
    b = bill("bill_status_sf1832_2025.xml")
    assert (b.session, b.bill_type, b.number, b.key) == ("2025-2026", "SF", 1832, "SF1832")
    assert b.title == "Omnibus jobs and economic development appropriations"
    assert b.revisor_number == "25-03911"
    assert (b.companion_type, b.companion_number) == (None, None)
    assert b.authors == (
        AuthorRecord(vocab.SENATE, "Lindqvist, A.", "91001", True, 1),
        AuthorRecord(vocab.SENATE, "Okonkwo", "91002", False, 2),
        AuthorRecord(vocab.SENATE, "Castellanos", "91003", False, 3),
        AuthorRecord(vocab.HOUSE, "Ibáñez-Ortega", "15901", True, 1),
        AuthorRecord(vocab.HOUSE, "Johanssen, P.", "15902", False, 2),
        AuthorRecord(vocab.HOUSE, "Johanssen, R.", "15903", False, 3),
    )
    senate = [a for a in b.actions if a.chamber == vocab.SENATE]
    house = [a for a in b.actions if a.chamber == vocab.HOUSE]
    assert [a.number for a in senate] == list(range(1, 9))  # sorted by ACTION_NUMBER
    assert [a.number for a in house] == [1, 2, 3, 4]
    intro = senate[0]
    assert intro.text == "Introduction and first reading"
    assert intro.classification == ("introduction",)
    assert senate[1].committee == "Jobs and Economic Development"
    assert senate[2].journal_page == "1798a"
    assert senate[2].classification == ("committee-passage", "referral")
    assert senate[3].date is None and senate[3].description == "Castellanos"
    passage = senate[6]
    assert passage == ActionRecord(
        chamber=vocab.SENATE,
        number=7,
        date=dt.date(2025, 4, 29),
        text="Third reading Passed as amended",
        journal_page="4172",
        roll_call="35-30",
        yeas=35,
        nays=30,
        classification=("reading-3", "passage"),
    )
    assert house[1].date is None and house[1].journal_page is None
    house_passage = house[2]
    assert (house_passage.date, house_passage.journal_page) == (dt.date(2025, 5, 9), "3477")
    assert (house_passage.roll_call, house_passage.yeas, house_passage.nays) == ("115-19", 115, 19)
    assert house_passage.description == "for comparison with HF2080"
    assert house[3].description == "Ibáñez-Ortega, Johanssen, P., Whitfield"
    assert all(
        a.roll_call is None and a.yeas is None
        for a in b.actions
        if a is not passage and a is not house_passage
    )
    assert b.status == vocab.IN_CONFERENCE
    v0, v1 = b.versions
    assert v0.name == "2025.0-SF1832-0"
    assert v0.html_url == "https://www.revisor.mn.gov/bills/94/2025/0/SF/1832/versions/0/"
    assert v0.pdf_url == "https://www.revisor.mn.gov/bills/94/2025/0/SF/1832/versions/0/pdf/"
    assert (v0.date, v0.engrossment) == (dt.date(2025, 3, 5), 0)
    assert v1.pdf_url is None and v1.engrossment == 1


def test_hf2136_upper_case_tags_companion_and_chapter():
    b = bill("bill_status_hf2136_2025_upper.xml")
    assert (b.bill_type, b.number, b.title) == ("HF", 2136, "Commerce policy bill")
    assert (b.companion_type, b.companion_number) == ("SF", 2551)
    assert [(a.chamber, a.printed_name, a.chief) for a in b.authors] == [
        (vocab.HOUSE, "Halvorsen", True),
        (vocab.HOUSE, "Johanssen, R.", False),
        (vocab.HOUSE, "Tran, M.", False),
        (vocab.SENATE, "Bergstrom", True),
    ]
    assert {a.chamber for a in b.actions} == {vocab.HOUSE, vocab.SENATE}
    assert b.actions[1].journal_page == "2323a"
    assert b.actions[5].text == "Secretary of State Chapter 21"
    assert b.actions[5].classification == ("became-law",)
    assert b.actions[5].description == "Filed without signature"
    assert not any("executive-signature" in a.classification for a in b.actions)
    assert b.status == vocab.SIGNED
    assert b.versions[0].html_url == (
        "https://www.revisor.mn.gov/bills/94/2025/0/HF/2136/versions/0/"
    )


def test_special_session_bill_is_a_different_bill():
    regular = bill("bill_status_hf5_2025.xml", "2025-2026")
    special = bill("bill_status_hf5_2025s1.xml", "2025s1")
    assert regular.key == special.key == "HF5"
    assert (regular.session, special.session) == ("2025-2026", "2025s1")
    assert (regular.session, regular.bill_type, regular.number) != (
        special.session,
        special.bill_type,
        special.number,
    )
    assert regular.title == "Child care licensing provisions modified"
    assert special.title == "Omnibus education finance appropriations"
    assert regular.status == vocab.IN_COMMITTEE
    assert special.status == vocab.SIGNED
    assert (special.companion_type, special.companion_number) == (None, None)  # number 0
    assert special.versions[0].html_url == (
        "https://www.revisor.mn.gov/bills/94/2025/1/HF/5/versions/0/"
    )
    assert regular.content_hash != special.content_hash


@pytest.mark.parametrize(
    ("name", "session"),
    [
        ("bill_status_hf5_2025s1.xml", "2025-2026"),  # special-session document, regular key
        ("bill_status_hf5_2025.xml", "2025s1"),
        ("bill_status_hf5_2025.xml", "2023-2024"),
    ],
)
def test_session_mismatch_is_parse_error(name, session):
    with pytest.raises(ParseError, match="SESSION_(TYPE|YEAR)"):
        bill(name, session)


def test_bad_session_identifier():
    with pytest.raises(ValueError, match="session must look like"):
        bill("bill_status_hf5_2025.xml", "94")


def test_vetoed_bill():
    b = bill("bill_status_hf1500_2025_vetoed.xml")
    assert b.status == vocab.VETOED
    assert (b.companion_type, b.companion_number) == (None, None)  # SF + 0
    assert b.actions[3].classification == ("executive-veto",)
    assert b.actions[3].date == dt.date(2025, 5, 18)
    senate_vote = [a for a in b.actions if a.chamber == vocab.SENATE][1]
    assert (senate_vote.yeas, senate_vote.nays) == (34, 33)
    assert b.versions == ()


def test_namespaced_concurrent_resolution():
    b = bill("bill_status_sc3_2025_namespaced.xml")
    assert (b.bill_type, b.number) == ("SC", 3)
    assert b.revisor_number == "25-01500"
    assert [a.printed_name for a in b.authors] == ["Whitcombe"]
    assert [a.classification for a in b.actions] == [
        ("introduction",),
        ("passage",),
        ("introduction",),
        ("passage",),
    ]
    assert b.status == vocab.PASSED_BOTH


def test_truncated_bill_is_parse_error():
    with pytest.raises(ParseError, match="malformed XML"):
        bill("bill_status_truncated.xml")


def sf1832_with(old: bytes, new: bytes) -> bytes:
    content = fixture("bill_status_sf1832_2025.xml")
    assert old in content
    return content.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<ROLL_CALL>35-30</ROLL_CALL>",
            b"<ROLL_CALL>35 to 30</ROLL_CALL>",
            "malformed ROLL_CALL",
        ),
        (b"<ROLL_CALL>35-30</ROLL_CALL>", b"<ROLL_CALL>35-</ROLL_CALL>", "malformed ROLL_CALL"),
        (
            b"<DESCRIPTION>Omnibus jobs and economic development appropriations</DESCRIPTION>",
            b"<DESCRIPTION></DESCRIPTION>",
            "DESCRIPTION",
        ),
        (b"<FILE_TYPE>SF</FILE_TYPE>", b"", "FILE_TYPE"),
        (b"<FILE_NUMBER>1832</FILE_NUMBER>", b"<FILE_NUMBER></FILE_NUMBER>", "FILE_NUMBER"),
        (b"<FILE_NUMBER>1832</FILE_NUMBER>", b"<FILE_NUMBER>18a</FILE_NUMBER>", "FILE_NUMBER"),
        (b"<FILE_TYPE>SF</FILE_TYPE>", b"<FILE_TYPE>XB</FILE_TYPE>", "unknown bill type"),
        (
            b"<ACTION_DATE>2025-04-29 00:00:00</ACTION_DATE>",
            b"<ACTION_DATE>04/292025</ACTION_DATE>",
            "date",
        ),
        (b"<ACTION_NUMBER>8</ACTION_NUMBER>", b"<ACTION_NUMBER>7</ACTION_NUMBER>", "duplicate"),
        (
            b"<COMPANION_NUMBER></COMPANION_NUMBER>",
            b"<COMPANION_NUMBER>44</COMPANION_NUMBER>",
            "without a COMPANION_TYPE",
        ),
        (b"<BILL>", b"<BILLS>", "malformed XML|expected root"),
    ],
)
def test_bill_status_strictness(old, new, message):
    content = sf1832_with(old, new)
    if old == b"<BILL>":
        content = content.replace(b"</BILL>", b"</BILLS>")
    with pytest.raises(ParseError, match=message):
        parse_bill_status_xml(content, source_url="u", session="2025-2026")


def test_unknown_chamber_tag_is_parse_error():
    content = fixture("bill_status_hf5_2025.xml").replace(b"<house>", b"<joint>", 1)
    content = content.replace(b"</house>", b"</joint>", 1)
    with pytest.raises(ParseError, match="unknown chamber element <joint>"):
        parse_bill_status_xml(content, source_url="u", session="2025-2026")


def test_chamber_actions_given_twice_is_parse_error():
    """A chamber's block of actions twice repeats its ACTION_NUMBERs: refused, as a
    number repeated within one block is."""
    content = fixture("bill_status_hf1500_2025_vetoed.xml")
    start = content.index(b"<house>", content.index(b"<ACTIONS>"))
    end = content.index(b"</house>", start) + len(b"</house>")
    content = content[:end] + content[start:end] + content[end:]
    with pytest.raises(ParseError, match="duplicate ACTION_NUMBER 1 in the house actions"):
        parse_bill_status_xml(content, source_url="u", session="2025-2026")


def test_content_hash_is_stable_and_sensitive():
    a = bill("bill_status_sf1832_2025.xml")
    b = bill("bill_status_sf1832_2025.xml")
    assert re.fullmatch(r"[0-9a-f]{64}", a.content_hash)
    assert a.content_hash == b.content_hash == content_hash(a)
    # the hash does not include itself
    assert content_hash(dataclasses.replace(a, content_hash="x")) == a.content_hash
    changed = parse_bill_status_xml(
        sf1832_with(b"<JOURNAL_PAGE>4172</JOURNAL_PAGE>", b"<JOURNAL_PAGE>4173</JOURNAL_PAGE>"),
        source_url=a.source_url,
        session="2025-2026",
    )
    assert changed.content_hash != a.content_hash
    # formatting-only differences in the source do not change the hash
    reformatted = parse_bill_status_xml(
        fixture("bill_status_sf1832_2025.xml").replace(b"\n    ", b"\n"),
        source_url=a.source_url,
        session="2025-2026",
    )
    assert reformatted.content_hash == a.content_hash


# --- classification ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Introduced", ("introduction",)),
        ("Introduction and first reading", ("introduction",)),
        ("Introduction and first reading, referred to Taxes", ("introduction", "referral")),
        ("Received from Senate", ("introduction",)),
        ("Referred to Finance", ("referral",)),
        ("Referred by Chair to Ways and Means", ("referral",)),
        ("Withdrawn and re-referred to Rules", ("referral",)),
        ("Second reading", ("reading-2",)),
        ("Third reading", ("reading-3",)),
        ("Third reading Passed", ("reading-3", "passage")),
        ("Third reading Passed as amended", ("reading-3", "passage")),
        ("Bill was passed as amended", ("passage",)),
        ("Bill was repassed as amended by Conference", ("passage",)),
        ("Third reading as amended by Conference and repassed", ("reading-3", "passage")),
        ("Resolution was adopted", ("passage",)),
        ("Adopted", ("passage",)),
        (
            "Comm report: To pass as amended and re-refer to Finance",
            ("committee-passage", "referral"),
        ),
        (
            "Committee report, to pass as amended and re-referred to Taxes",
            ("committee-passage", "referral"),
        ),
        ("Comm report: To pass", ("committee-passage",)),
        ("Comm report, to adopt", ("committee-passage",)),
        ("Governor's action Approval", ("executive-signature",)),
        ("Governor Approval", ("executive-signature",)),
        ("Governor's action Veto", ("executive-veto",)),
        (
            "Governor's action Approval with line item veto",
            ("executive-signature", "executive-veto-line-item"),
        ),
        ("Presented to Governor", ("executive-receipt",)),
        ("Amended", ("amendment-passage",)),
        ("Amendments offered", ("amendment-introduction",)),
        ("Conference committee report adopted", ("conference-report-adoption",)),
        ("Conferees appointed", ("conference-committee",)),
        ("Conference committee appointed", ("conference-committee",)),
        ("Senate refused to concur, conference committee appointed", ("conference-committee",)),
        ("Chapter 21", ("became-law",)),
        ("Secretary of State Chapter 21", ("became-law",)),
        ("Filed with Secretary of State", ("became-law",)),
        ("Chapter number", ()),
        ("Author added", ()),
        ("Author stricken", ()),
        ("See First Special Session, SF1", ()),
        ("", ()),
        ("  third   READING   passed  ", ("reading-3", "passage")),
    ],
)
def test_classify_action(text, expected):
    assert classify_action(text) == expected


def _every_rule(text: str) -> tuple[str, ...]:
    """The classification by every rule in order, without the shortcuts of _classify_text."""
    found: list[str] = []
    for pattern, classes in revisor._ACTION_RULES:
        if pattern.match(text):
            found.extend(c for c in classes if c not in found)
    return tuple(found)


def test_classification_shortcuts_change_nothing():
    """_classify_text tries an ASCII text only against the rules of its first letter
    whose required text it contains: the result is that of every rule, on texts made
    of the rules' own words (any case, hyphens, line-item vetoes, the Kelvin sign)."""
    words = sorted({w for p, _ in revisor._ACTION_RULES for w in re.findall(r"[a-z']+", p.pattern)})
    words += ["Re-referred", "re-refer", "line-item", "HF", "12", ",", ":", "\u212a", "REPASSED"]
    rng = random.Random(1832)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 7))) for _ in range(8000)]
    texts += [t.capitalize() for t in texts[:2000]] + [t.upper() for t in texts[2000:4000]]
    fixture_texts = [
        el.text
        for name in FIXTURES.glob("bill_status_*.xml")
        if "truncated" not in name.name
        for el in parse_xml(name.read_bytes(), source_url="u").iter("ACTION_TEXT")
    ]
    matched = 0
    for text in texts + [" ".join(t.split()) for t in fixture_texts if t]:
        expected = _every_rule(text)
        assert revisor._classify_text(text) == expected, text
        matched += bool(expected)
    assert matched > 2000  # the corpus exercises the rules, not only misses


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"introduced\b", "introduced"),
        (r".*\bre-?referred\b", "referred"),
        (r"comm(?:ittee)?\.? report:?,?\s+to adopt", "to adopt"),
        (r"(?!.*\bline[- ]item veto).*\bveto(?:ed)?\b", "veto"),
        (r"(?:filed with )?secretary of state\b", "secretary of state"),
        (r"ab+c", "ab"),  # one b at least: the run ends there
        (r"abc?d", "ab"),
        (r"ab{2}cd", "cd"),
        (r"a[bc]de", "de"),
        (r"x(y)z|w", ""),  # an alternative at the top level: nothing is required
        (r"[)]xyz", "xyz"),
        (r"\(ab\)", "ab"),
        (r"[\]x]yz", "yz"),  # an escaped bracket does not close the class
        (r"[^]x]yz", "yz"),
        (r"(a[)]b)cd", "cd"),
    ],
)
def test_required_text(pattern, required):
    assert revisor._required_text(pattern) == required


# --- status -----------------------------------------------------------------------------------


def act(chamber, number, text, date=None):
    day = dt.date.fromisoformat(date) if date else None
    return ActionRecord(chamber, number, day, text, classification=classify_action(text))


H, S = vocab.HOUSE, vocab.SENATE
INTRO = act(H, 1, "Introduction and first reading", "2025-02-01")
REFER = act(H, 2, "Referred to Taxes", "2025-02-01")
H_PASS = act(H, 3, "Bill was passed", "2025-03-01")
S_RECV = act(S, 1, "Received from House", "2025-03-02")
S_REFER = act(S, 2, "Referred to Finance", "2025-03-02")
S_PASS = act(S, 3, "Third reading Passed as amended", "2025-04-01")
CONF = act(H, 4, "Conferees appointed", "2025-04-05")
CONF_ADOPT = act(H, 5, "Conference committee report adopted", "2025-04-20")
REPASS = act(H, 6, "Bill was repassed as amended by Conference", "2025-04-20")
PRESENT = act(H, 7, "Presented to Governor", "2025-04-22")
SIGN = act(H, 8, "Governor's action Approval", "2025-04-25")
VETO = act(H, 8, "Governor's action Veto", "2025-04-25")
LINE_ITEM = act(H, 8, "Governor's action Approval with line item veto", "2025-04-25")
CHAPTER = act(H, 9, "Secretary of State Chapter 12", "2025-04-26")


@pytest.mark.parametrize(
    ("bill_type", "actions", "expected"),
    [
        ("HF", [], vocab.INTRODUCED),
        ("HF", [INTRO], vocab.INTRODUCED),
        ("HF", [INTRO, REFER], vocab.IN_COMMITTEE),
        (
            "HF",
            [act(H, 1, "Introduction and first reading, referred to Taxes", "2025-02-01")],
            vocab.IN_COMMITTEE,
        ),
        ("HF", [INTRO, REFER, H_PASS], vocab.PASSED_HOUSE),
        ("HF", [INTRO, REFER, H_PASS, S_RECV, S_REFER], vocab.PASSED_HOUSE),
        (
            "SF",
            [
                act(S, 1, "Introduction and first reading", "2025-02-01"),
                act(S, 2, "Third reading Passed", "2025-03-01"),
            ],
            vocab.PASSED_SENATE,
        ),
        ("HF", [INTRO, REFER, H_PASS, S_RECV, S_PASS], vocab.PASSED_BOTH),
        ("HF", [INTRO, H_PASS, CONF, S_PASS], vocab.IN_CONFERENCE),  # S_PASS dated earlier
        ("HF", [INTRO, H_PASS, S_PASS, CONF], vocab.IN_CONFERENCE),
        ("HF", [INTRO, H_PASS, S_PASS, CONF, CONF_ADOPT], vocab.IN_CONFERENCE),
        ("HF", [INTRO, H_PASS, S_PASS, CONF, CONF_ADOPT, REPASS], vocab.PASSED_BOTH),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT], vocab.PRESENTED_TO_GOVERNOR),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT, SIGN], vocab.SIGNED),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT, SIGN, CHAPTER], vocab.SIGNED),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT, CHAPTER], vocab.SIGNED),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT, VETO], vocab.VETOED),
        ("HF", [INTRO, H_PASS, S_PASS, PRESENT, LINE_ITEM], vocab.SIGNED),
        (
            "HR",
            [
                act(H, 1, "Introduction and first reading", "2025-02-01"),
                act(H, 2, "Adopted", "2025-02-01"),
            ],
            vocab.PASSED_HOUSE,
        ),
        (
            "SR",
            [
                act(S, 1, "Introduction and first reading", "2025-02-01"),
                act(S, 2, "Resolution was adopted", "2025-02-03"),
            ],
            vocab.PASSED_SENATE,
        ),
        ("HC", [act(H, 1, "Adopted", "2025-02-01")], vocab.PASSED_HOUSE),
        (
            "HC",
            [
                act(H, 1, "Adopted", "2025-02-01"),
                act(S, 1, "Received from House", "2025-02-02"),
                act(S, 2, "Adopted", "2025-02-05"),
            ],
            vocab.PASSED_BOTH,
        ),
    ],
)
def test_derive_status(bill_type, actions, expected):
    assert expected in vocab.BILL_STATUSES
    assert derive_status(bill_type, actions) == expected


def test_derive_status_orders_by_date_not_document_order():
    # the Senate block comes first in the document but the veto is dated later
    actions = [
        act(S, 1, "Received from House", "2025-03-02"),
        act(S, 2, "Third reading Passed", "2025-03-10"),
        act(H, 1, "Bill was passed", "2025-03-01"),
        act(H, 2, "Presented to Governor", "2025-03-12"),
        act(H, 3, "Governor's action Veto", "2025-03-15"),
    ]
    assert derive_status("HF", actions) == vocab.VETOED
    assert derive_status("HF", list(reversed(actions))) == vocab.VETOED


def test_derive_status_undated_action_keeps_block_position():
    # An undated referral after a dated passage in the same block stays after it,
    # so it cannot drag the bill back into committee.
    actions = [
        act(H, 1, "Introduction and first reading", "2025-02-01"),
        act(H, 2, "Bill was passed", "2025-03-01"),
        act(H, 3, "Referred to Rules"),
    ]
    assert derive_status("HF", actions) == vocab.PASSED_HOUSE
    # Undated actions at the top of a block sort before everything dated.
    actions = [
        act(H, 1, "Referred to Taxes"),
        act(H, 2, "Introduction and first reading", "2025-02-01"),
    ]
    assert derive_status("HF", actions) == vocab.IN_COMMITTEE


def test_derive_status_equal_dates_use_block_order():
    same_day = "2025-05-18"
    actions = [
        act(H, 1, "Presented to Governor", same_day),
        act(H, 2, "Governor's action Veto", same_day),
    ]
    assert derive_status("HF", actions) == vocab.VETOED
    assert derive_status("HF", list(reversed(actions))) == vocab.VETOED  # ACTION_NUMBER wins


def test_derive_status_rejects_unknown_type():
    with pytest.raises(ValueError, match="unknown bill type"):
        derive_status("XX", [])
