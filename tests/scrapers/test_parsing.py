"""Tests for scrapers.parsing (strict XML/HTML helpers, bill ids, dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from scrapers.parsing import (
    ParseError,
    many,
    normalize_bill_id,
    one,
    parse_date,
    parse_html,
    parse_html_plain,
    parse_xml,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed"
URL = "https://api.revisor.mn.gov/bills/v1/94/2025/0/SF/1832/"


def test_parse_error_carries_url_and_reason():
    err = ParseError("no rows", source_url=URL)
    assert isinstance(err, ValueError)
    assert err.source_url == URL
    assert err.reason == "no rows"
    assert str(err) == f"{URL}: no rows"


def test_parse_xml_ignores_wrong_declared_charset():
    content = (FIXTURES / "bill_status_sf1832_2025.xml").read_bytes()
    assert b'encoding="ISO-8859-1"' in content
    root = parse_xml(content, source_url=URL)
    names = root.xpath("//AUTHOR/MEMBER_NAME/text()")
    assert "Ibáñez-Ortega" in names
    assert "PÃ©rez-Vega" not in names


def test_parse_xml_strips_namespaces():
    content = (FIXTURES / "bill_status_sc3_2025_namespaced.xml").read_bytes()
    root = parse_xml(content, source_url=URL)
    assert root.tag == "BILL"
    assert root.findtext("REVISOR_NUMBER") == "25-01500"
    action = root.find("ACTIONS/senate/ACTION")
    assert action.get("source") == "journal"
    assert root.nsmap == {}


def test_parse_xml_truncated_is_parse_error():
    content = (FIXTURES / "bill_status_truncated.xml").read_bytes()
    with pytest.raises(ParseError) as info:
        parse_xml(content, source_url=URL)
    assert info.value.source_url == URL
    assert "malformed XML" in info.value.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty body"),
        (b"   \n", "empty body"),
        (b"<BILL><FILE_TYPE>HF</BILL>", "malformed XML"),
        (b"not xml at all", "malformed XML"),
        (b"<BILL>\xff\xfe</BILL>", "not valid UTF-8"),
        # counted after the byte order mark, as the "utf-8-sig" codec counts
        (b"\xef\xbb\xbf<BILL>\xff</BILL>", r"not valid UTF-8 \(byte 6\)"),
        (b'<?xml version="1.0"?><BILL>\xc3</BILL>', r"not valid UTF-8 \(byte 27\)"),
        (b"\xef\xbb\xbf \t", "empty body"),
        (" \u2003\n", "empty body"),
    ],
)
def test_parse_xml_rejects_bad_input(content, reason):
    with pytest.raises(ParseError, match=reason):
        parse_xml(content, source_url=URL)


def test_parse_xml_does_not_expand_entities():
    content = (
        b'<?xml version="1.0"?><!DOCTYPE BILL [<!ENTITY x "EXPANDED">]>'
        b"<BILL><DESCRIPTION>&x;</DESCRIPTION></BILL>"
    )
    root = parse_xml(content, source_url=URL)
    assert "EXPANDED" not in "".join(root.itertext())


def test_parse_xml_external_entity_is_not_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE BILL [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<BILL><DESCRIPTION>&x;</DESCRIPTION></BILL>"
    ).encode()
    root = parse_xml(content, source_url=URL)
    assert "TOP-SECRET" not in "".join(root.itertext())


def test_parse_html_and_one_many():
    content = (FIXTURES / "session_list.html").read_bytes()
    root = parse_html(content, source_url="https://www.revisor.mn.gov/bills/status_search.php")
    select = one(root, '//select[@name="session"]', source_url="u")
    assert select.get("id") == "session"
    options = many(select, "option", source_url="u", min=2)
    assert options[1].get("value") == "0942025"
    with pytest.raises(ParseError, match="exactly one"):
        one(root, "//select", source_url="u")  # two selects on the page
    with pytest.raises(ParseError, match="exactly one"):
        one(root, "//table", source_url="u")
    with pytest.raises(ParseError, match="at least 50"):
        many(select, "option", source_url="u", min=50)
    assert many(root, "//table", source_url="u", min=0) == []


def test_parse_html_empty_is_parse_error():
    with pytest.raises(ParseError, match="empty body"):
        parse_html(b"", source_url="u")


_ALL_HTML = sorted((FIXTURES.parent).rglob("*.htm*"))


def _tree_or_error(content: bytes | str) -> bytes | str:
    try:
        return etree.tostring(parse_html_plain(content, source_url="u"))
    except ParseError as exc:
        return f"ParseError: {exc.reason}"


@pytest.mark.parametrize("path", _ALL_HTML, ids=lambda p: p.name)
def test_parse_html_plain_reads_bytes_as_it_reads_their_text(path):
    """UTF-8 bytes go to libxml2 as they are; the tree is the one of the decoded
    text, whatever the page's <meta> says, and bytes that are not UTF-8 are refused
    as the decoding refuses them."""
    data = path.read_bytes()
    variants = [
        data,
        data.replace(b'charset="utf-8"', b'charset="windows-1252"'),
        b"\xef\xbb\xbf" + data,  # a BOM
        data.replace(b"<", "<!-- Ibáñez -->".encode() + b"<", 1),
    ]
    for content in variants:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            assert _tree_or_error(content).startswith("ParseError: body is not valid UTF-8")
            continue
        assert _tree_or_error(content) == _tree_or_error(text)


def test_parse_html_plain_bytes_errors():
    assert _tree_or_error("<p>Ibáñez</p>".encode("latin-1")) == (
        "ParseError: body is not valid UTF-8 (byte 5)"
    )
    page = "<html><body><p>Ibáñez</p></body></html>"
    assert b"Ib\xc3\xa1\xc3\xb1ez" in etree.tostring(
        parse_html_plain(page.encode(), source_url="u"), encoding="utf-8"
    )
    declared = '<?xml version="1.0" encoding="ISO-8859-1"?>' + page
    assert _tree_or_error(declared.encode()) == _tree_or_error(page.encode())
    assert _tree_or_error(b"   ") == "ParseError: empty body"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HF 123", ("HF", 123)),
        ("HF123", ("HF", 123)),
        ("HF0123", ("HF", 123)),
        ("hf0123", ("HF", 123)),
        ("H.F. No. 123", ("HF", 123)),
        ("H.F. 123", ("HF", 123)),
        ("S.F. No. 1832", ("SF", 1832)),
        ("S.F. 5", ("SF", 5)),
        ("SF0005", ("SF", 5)),
        ("  sf 2483 ", ("SF", 2483)),
        ("HR 1", ("HR", 1)),
        ("SR83", ("SR", 83)),
        ("HC 6", ("HC", 6)),
        ("S.C. No. 3", ("SC", 3)),
    ],
)
def test_normalize_bill_id(text, expected):
    assert normalize_bill_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "HF", "HF 0", "HF0000", "XF 12", "HB 12", "HF 12a", "HF -3", "12", "HF 1 2", "H.F. No."],
)
def test_normalize_bill_id_rejects(text):
    with pytest.raises(ValueError, match="bill"):
        normalize_bill_id(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-29 00:00:00", dt.date(2025, 4, 29)),
        ("2025-05-09 13:45:10", dt.date(2025, 5, 9)),
        ("2025-05-09", dt.date(2025, 5, 9)),
        ("05/09/2025", dt.date(2025, 5, 9)),
        ("5/9/2025", dt.date(2025, 5, 9)),
        ("05/09/25", dt.date(2025, 5, 9)),
        (" 04/29/2025 ", dt.date(2025, 4, 29)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "05/272026",  # Revisor typo: never guessed
        "05/27/225",
        "05/27/226",
        "2025-13-01",
        "2025-02-30",
        "02/30/2025",
        "2025-05-09 25:00:00",
        "yesterday",
        "2025/05/09",
        "May 9, 2025",
    ],
)
def test_parse_date_rejects_garbage(text):
    with pytest.raises(ValueError) as info:
        parse_date(text, source_url=URL)
    assert isinstance(info.value, ParseError)
    assert info.value.source_url == URL


def test_parse_date_shortcut_gives_what_the_general_reading_gives():
    """The Revisor's own form (``YYYY-MM-DD HH:MM:SS``) takes a shorter road; every
    value, on it or off it, gets the date or the error of the general reading."""
    from scrapers import parsing

    values = [
        f"{year}-{month:02d}-{day:02d} {time}"
        for year in ("2025", "2024", "0001", "0000", "9999")
        for month in (0, 1, 2, 12, 13)
        for day in (0, 1, 28, 29, 30, 31, 32)
        for time in ("00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "7:00:00")
    ] + [
        "2025-05-09T00:00:00",  # the general branch's other separator
        "2025-05-09 00:00",
        "2025-05-09 00:00:00.5",
        "٢٠٢٥-05-09 00:00:00",  # Unicode digits: not the shortcut, the general branch
        "2025-W19-5 00:00:00",
    ]
    for value in values:
        parsing._DATES.clear()
        try:
            expected: object = parsing._date_of(value, source_url=URL)
        except ParseError as exc:
            expected = str(exc)
        try:
            got: object = parse_date(value, source_url=URL)
        except ParseError as exc:
            got = str(exc)
        assert got == expected, value
