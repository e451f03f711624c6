"""Tests for scrapers.house_votes (fixtures: tests/fixtures/mn/reconstructed/votes, hand-built)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrapers import vocab
from scrapers.house_votes import (
    details_url,
    parse_vote_details,
    parse_vote_summary,
    summary_request,
)
from scrapers.parsing import ParseError
from scrapers.vote_records import VoteSummaryItem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed" / "votes"
URL = "https://www.house.mn.gov/Votes/Details?SessionKey=302&BillNumber=HF0025"


def details(name: str = "house_details_hf25_amendments.html", **kw):
    content = kw.pop("content", None) or (FIXTURES / name).read_bytes()
    return parse_vote_details(content, source_url=URL, bill_type="HF", number=25, **kw)


def test_summary_request_and_details_url() -> None:
    url, form = summary_request("http://127.0.0.1:5123/", 302)
    assert url == "http://127.0.0.1:5123/Votes/GetVoteSummary"
    assert form == {"SessionKey": "302", "sortOption": "BillNumber"}
    assert details_url("https://www.house.mn.gov", "302", "HF", 3) == (
        "https://www.house.mn.gov/Votes/Details?SessionKey=302&BillNumber=HF0003"
    )
    assert details_url("https://www.house.mn.gov/", 302, "SF", 1832).endswith("BillNumber=SF1832")


def test_parse_vote_summary_fixture() -> None:
    items = parse_vote_summary(
        (FIXTURES / "house_vote_summary_302.json").read_bytes(), source_url="https://s"
    )
    assert items == [
        VoteSummaryItem("HF", 3, "Invented early childhood bill"),
        VoteSummaryItem("HF", 25, "Invented education finance bill"),
        VoteSummaryItem("SF", 1832, "Invented jobs omnibus bill"),
    ]  # zero padding dropped, whitespace collapsed, the repeated HF0025 listed once


def test_parse_vote_summary_empty_list_is_valid() -> None:
    assert parse_vote_summary(b"[]", source_url="https://s") == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html>Server Error</html>", "not JSON"),
        (b'{"Number": "HF0003"}', "expected a list"),
        (b'[{"Date": "/Date(0)/"}]', "entry 0 has no Number"),
        (b'[{"Number": "HF0003"}, "x"]', "entry 1 has no Number"),
        (b'[{"Number": "Bill 3"}]', "not a Minnesota bill identifier"),
    ],
)
def test_parse_vote_summary_garbage(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_vote_summary(content, source_url="https://s")
    assert info.value.source_url == "https://s"


def test_every_panel_is_its_own_roll_call() -> None:
    calls = details()
    assert [c.position for c in calls] == [0, 1, 2, 3, 4]
    assert [c.amendment_id for c in calls] == ["H0025A5", "H0025A6", "H0025A7", "", ""]
    # Panels 1 and 2 share motion, journal page, date and tally: never collapsed.
    a6, a7 = calls[1], calls[2]
    assert (a6.motion, a6.journal_page, a6.date, a6.yeas, a6.nays) == (
        a7.motion,
        a7.journal_page,
        a7.date,
        a7.yeas,
        a7.nays,
    )
    assert a6.yes_names != a7.yes_names
    assert {c.chamber for c in calls} == {vocab.HOUSE}
    assert {c.source_url for c in calls} == {URL}
    assert {c.outcome for c in calls} == {None}


def test_amendment_panel_header_and_unclosed_name_cells() -> None:
    first = details()[0]
    assert (first.bill_type, first.number) == ("HF", 25)
    assert first.description_lines == ("H.F. NO. 25", "CALENDAR FOR THE DAY", "Amendment")
    assert first.motion == "Amendment"
    assert (first.yeas, first.nays) == (4, 3)
    assert first.journal_page == "746"
    assert first.date == dt.date(2025, 3, 13)
    assert first.yes_names == ("Lindqvist", "Okonkwo", "Ibáñez-Ortega", "Johanssen, P.")
    assert first.no_names == ("Castellanos", "Halvorsen", "Johanssen, R.")


def test_header_cells_left_unclosed_and_nbsp_spacers() -> None:
    a6 = details()[1]
    assert (a6.yeas, a6.nays, a6.journal_page) == (3, 4, "746")
    assert a6.yes_names == ("Lindqvist", "Okonkwo", "Ibáñez-Ortega")
    assert a6.no_names == ("Castellanos", "Halvorsen", "Johanssen, P.", "Johanssen, R.")


def test_zero_nays_absent_or_empty_negative_table() -> None:
    passage, repassage = details()[3:]
    assert passage.motion == "Passage, as amended"
    assert passage.amendment_id == ""
    assert len(passage.yes_names) == 7 and passage.no_names == ()
    assert repassage.motion == "Concurrence and repassage"
    assert repassage.journal_page == "3477a"
    assert repassage.date == dt.date(2025, 5, 9)
    assert repassage.yes_names == (
        "Castellanos",
        "Haugland, K. M.",
        "Ibáñez-Ortega",
        "Lindqvist",
        "Okonkwo",
    )
    assert repassage.no_names == ()


def test_no_votes_page_is_an_empty_list() -> None:
    assert details("house_details_no_votes.html") == []


def test_malformed_panel_names_its_index() -> None:
    with pytest.raises(ParseError, match="panel 0: expected 7 header cells, found 4") as info:
        details("house_details_malformed.html")
    assert info.value.source_url == URL


PANEL = """<div class="collapsible-panel"><div class="panel-header"><table><tr>
<td>{bill}<td>H.F. NO. 25<br>Passage<td><br>{amendment}<td>{yeas}<td>{nays}<td>{page}<td>{date}
</table></div><div class="panel-content">{body}</div></div>"""


def page(**overrides: str) -> bytes:
    values = {
        "bill": "HF0025",
        "amendment": "",
        "yeas": "1",
        "nays": "1",
        "page": "<a>J pg. 12</a>",
        "date": "03/13/2025",
        "body": "Those who voted in the affirmative were:<table><tr><td>Okonkwo<td></table>"
        "Those who voted in the negative were:<table><tr><td>Lindqvist<td></table>",
    }
    values.update(overrides)
    panel = PANEL.format(**values)
    return f'<html><body><div id="DisplayResults">{panel}</div></body></html>'.encode()


def test_generated_panel_variants() -> None:
    (rc,) = details(content=page(bill="SF1832", page="", body="<table><tr><td>x</table>"))
    assert (rc.bill_type, rc.number) == ("SF", 1832)  # the panel's own bill cell wins
    assert rc.journal_page == ""
    assert rc.yes_names == () and rc.no_names == ()  # no markers: no names guessed
    (rc,) = details(content=page(bill=""))
    assert (rc.bill_type, rc.number) == ("HF", 25)
    (rc,) = details(
        content=page(
            body="<table><tr><td colspan=2>Those who voted in the affirmative were:"
            "<tr><td>Okonkwo<td><td>Castellanos</table>"
        )
    )
    assert rc.yes_names == ("Okonkwo", "Castellanos")  # marker inside the names table


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"yeas": "many"}, "panel 0: yeas 'many' is not a number"),
        ({"nays": ""}, "panel 0: nays '' is not a number"),
        ({"date": ""}, "panel 0: no date"),
        ({"date": "13/45/2025"}, "panel 0: invalid date"),
        ({"bill": "Bill"}, "panel 0: not a Minnesota bill identifier"),
    ],
)
def test_bad_panel_values(overrides: dict[str, str], reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        details(content=page(**overrides))


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><h1>Service unavailable</h1></body></html>",
        b'<html><body><div id="DisplayResults"></div></body></html>',
    ],
)
def test_page_without_panels_or_message(content: bytes) -> None:
    with pytest.raises(ParseError, match="no 'no votes' message"):
        details(content=content)


def test_empty_body() -> None:
    with pytest.raises(ParseError, match="empty body"):
        details(content=b" ")


@pytest.mark.parametrize(
    "body",
    [
        '<div id="DisplayResults">x</div>',
        '<a name="DisplayResults"></a><p id="DisplayResults"></p><div id="DisplayResults"></div>',
        '<p id="x"></p><div id="DisplayResults"><div id="DisplayResults"></div></div>',
        '<div id=" DisplayResults">x</div><span id="DisplayResults">y</span>',
        '<div id=" DisplayResults">x</div>',
        '<div name="DisplayResults">x</div>',
        "<p>none</p>",
    ],
)
def test_results_found_by_id_as_by_the_xpath(body: str) -> None:
    """The id table gives the first element whose id is DisplayResults, as the XPath
    does (an <a name> there is not taken for it)."""
    from scrapers import house_votes
    from scrapers.parsing import parse_html_plain

    root = parse_html_plain(f"<html><body>{body}</body></html>".encode(), source_url=URL)
    by_xpath = house_votes._DISPLAY_RESULTS(root)
    assert house_votes._display_results(root) is (by_xpath[0] if by_xpath else None)


def test_text_content_is_itertext() -> None:
    from scrapers import house_votes
    from scrapers.parsing import parse_html_plain

    page = (FIXTURES / "house_details_hf25_amendments.html").read_bytes()
    root = parse_html_plain(page, source_url=URL)
    elements = list(root.iter())
    assert len(elements) > 100
    for el in elements:
        assert house_votes._text_content(el) == "".join(el.itertext())
