"""House roll calls from house.mn.gov ``Votes`` (mn-sources.md section 3).

* :func:`summary_request` / :func:`parse_vote_summary`: the bills with votes in a
  session (``POST /Votes/GetVoteSummary``);
* :func:`details_url` / :func:`parse_vote_details`: every roll-call panel of one
  bill's ``/Votes/Details`` page, member by member.

Pure functions over bytes: no network, no database.  Every panel is returned as
its own :class:`ParsedRollCall` (amendment votes often share motion text and
journal page; they are never collapsed) and the names are exactly those printed,
in page order; whether they add up is :mod:`scrapers.reconcile`'s business.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast
from urllib.parse import urlencode

from lxml import etree

from scrapers import vocab
from scrapers.parsing import (
    ParseError,
    normalize_bill_id,
    parse_date,
    parse_html_plain,
    record,
)
from scrapers.vote_records import ParsedRollCall, VoteSummaryItem

__all__ = [
    "NO_VOTES_MESSAGE",
    "details_url",
    "parse_vote_details",
    "parse_vote_summary",
    "summary_request",
]

NO_VOTES_MESSAGE = "There are no votes on this bill"
_AFFIRMATIVE = "those who voted in the affirmative were"
_NEGATIVE = "those who voted in the negative were"
_HEADER_CELLS = 7
_JOURNAL_PAGE = re.compile(r"\d+[A-Za-z]?")
_INT = re.compile(r"^\d+$")


def _clean(text: str | None) -> str:
    """Whitespace (no-break spaces too) collapsed to single spaces, ends stripped:
    ``_WS.sub(" ", text.replace("\\xa0", " ")).strip()``, without a regex."""
    return " ".join(text.split()) if text else ""


def _clean_all(texts: list[str]) -> list[str]:
    """``[c for t in texts if (c := _clean(t))]`` in a few C passes over the joined
    texts (NUL, which is not whitespace, between them) instead of a call per text:
    whitespace collapsed as :func:`_clean` does, then the spaces beside a NUL (at
    most one on each side) dropped."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text with a NUL in it
        return [c for t in texts if (c := _clean(t))]
    joined = " ".join(joined.split()).replace(" \x00", "\x00").replace("\x00 ", "\x00")
    return [c for c in joined.split("\x00") if c]


def _text_content(el: etree._Element) -> str:
    """``lxml.html``'s ``text_content()`` of a plain element: its text and all its
    descendants' text and tails (not its own tail), i.e. ``"".join(el.itertext())``
    (libxml2's text serialisation writes the same, several times faster)."""
    if len(el) == 0:
        return el.text or ""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


# --- GetVoteSummary -----------------------------------------------------------


def summary_request(house_base: str, session_key: str | int) -> tuple[str, dict[str, str]]:
    """URL and form body of ``POST /Votes/GetVoteSummary`` for one session key (302)."""
    return (
        f"{house_base.rstrip('/')}/Votes/GetVoteSummary",
        {"SessionKey": str(session_key), "sortOption": "BillNumber"},
    )


def parse_vote_summary(content: bytes | str, *, source_url: str) -> list[VoteSummaryItem]:
    """The bills listed by ``GetVoteSummary``, in order, each bill once.

    The body is a JSON array of objects with ``Number`` (``HF0003``) and
    ``ShortDescription``; ``Date`` is ignored (often ``/Date(-62135575200000)/``,
    year 0001).  An empty array is valid.  Anything else (not JSON, not a list,
    an entry without a valid ``Number``) raises :class:`ParseError`.
    """
    try:
        data: Any = json.loads(content)
    except (ValueError, TypeError) as exc:
        raise ParseError(f"vote summary is not JSON: {exc}", source_url=source_url) from exc
    if not isinstance(data, list):
        raise ParseError(
            f"vote summary is a JSON {type(data).__name__}, expected a list",
            source_url=source_url,
        )
    items: list[VoteSummaryItem] = []
    seen: set[tuple[str, int]] = set()
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("Number"), str):
            raise ParseError(f"vote summary entry {index} has no Number", source_url=source_url)
        try:
            bill_type, number = normalize_bill_id(entry["Number"])
        except ValueError as exc:
            raise ParseError(f"vote summary entry {index}: {exc}", source_url=source_url) from exc
        if (bill_type, number) in seen:
            continue
        seen.add((bill_type, number))
        description = entry.get("ShortDescription")
        items.append(
            VoteSummaryItem(
                bill_type=bill_type,
                number=number,
                short_description=_clean(description if isinstance(description, str) else ""),
            )
        )
    return items


# --- Details --------------------------------------------------------------------


def details_url(house_base: str, session_key: str | int, bill_type: str, number: int) -> str:
    """``{base}/Votes/Details?SessionKey=302&BillNumber=HF0003`` (number zero-padded)."""
    query = urlencode({"SessionKey": str(session_key), "BillNumber": f"{bill_type}{number:04d}"})
    return f"{house_base.rstrip('/')}/Votes/Details?{query}"


# The first element (in document order, the root too) whose id is DisplayResults:
# ``(//*[@id='DisplayResults'])[1]``, which libxml2 stops looking for at the first.
_DISPLAY_RESULTS = etree.XPath("descendant-or-self::*[@id='DisplayResults'][1]")
# The same element looked up in the document's table of ids, which libxml2's HTML
# parser fills as it goes, keeping the first element of each id; but an ``<a
# name=...>`` is entered there too, so an answer without that id proves nothing.
_BY_ID = etree.XPath("id('DisplayResults')")
_XML_SPACES = str.maketrans("\t\n\r", "   ")  # what XPath's normalize-space() collapses


def _display_results(root: etree._Element) -> etree._Element | None:
    """The first element whose id is DisplayResults (see _DISPLAY_RESULTS), or None."""
    for query in (_BY_ID, _DISPLAY_RESULTS):
        found = query(root)
        first = found[0] if isinstance(found, list) and found else None
        if isinstance(first, etree._Element) and first.get("id") == "DisplayResults":
            return first
    return None


def _classes(value: str) -> list[str]:
    """The class names in a class attribute as XPath's ``normalize-space(@class)``
    separates them (so ``name in _classes(value)`` is ``contains(concat(' ',
    normalize-space(@class), ' '), ' name ')`` for a name without spaces); blanks
    may be among them."""
    return value.translate(_XML_SPACES).split(" ")


def _divs_with_class(el: etree._Element, name: str) -> list[etree._Element]:
    """``.//div[contains(concat(' ', normalize-space(@class), ' '), ' name ')]``:
    libxml2 walks the tree, Python only sees the divs."""
    return [
        div
        for div in el.iterdescendants("div")
        if name in (value := div.get("class") or "") and name in _classes(value)
    ]


def _panel_parts(panel: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """The header cells (``.//div[panel-header]//td``) and the bodies
    (``.//div[panel-content]``) of a panel, each in document order, in one walk.

    A header div inside another one adds no cell (its cells are the outer one's),
    and the cells of divs that follow one another follow one another.
    """
    cells: list[etree._Element] = []
    contents: list[etree._Element] = []
    headers = 0
    for div in panel.iterdescendants("div"):
        value = div.get("class")
        if not value or "panel-" not in value:
            continue
        classes = _classes(value)
        if "panel-header" in classes:
            headers += 1
            if headers == 1:
                cells = list(div.iterdescendants("td"))
            else:
                seen = set(cells)
                cells.extend(td for td in div.iterdescendants("td") if td not in seen)
        if "panel-content" in classes:
            contents.append(div)
    return cells, contents


def _br_segments(cell: etree._Element) -> list[str]:
    """The text of ``cell`` split at each ``<br>``, whitespace-collapsed (blanks kept)."""
    segments = [cell.text or ""]
    for child in cell:
        if not isinstance(child.tag, str):
            segments[-1] += child.tail or ""
            continue
        if child.tag == "br":
            segments.append("")
        else:
            segments[-1] += _text_content(child)
        segments[-1] += child.tail or ""
    return [" ".join(s.split()) for s in segments]  # _clean


def _marker(text: str | None) -> str | None:
    """``yes`` or ``no`` when ``text`` holds the affirmative or negative marker sentence.

    Both contain "voted", and no character but the ASCII letters case-folds to
    any of its letters in a row, so a text without it (in any case) is none."""
    if not text or "voted" not in text.lower():
        return None
    low = _clean(text).casefold()
    if _AFFIRMATIVE in low:
        return "yes"
    if _NEGATIVE in low:
        return "no"
    return None


# A table whose cells are leaves and whose text (every cell, every tail inside)
# has no "voted" in any case, so no marker: the "voted" test of _marker.
_CELL_WITH_ELEMENTS = etree.XPath("boolean(.//td/*)")
_CELL_TEXTS = etree.XPath(".//td/text()", smart_strings=False)  # a leaf cell's one text
# Every child of every cell: text nodes as str, anything else (an element) as itself.
# When all are str this is _CELL_TEXTS and no cell has an element in it, in one call.
_CELL_NODES = etree.XPath(".//td/node()", smart_strings=False)


def _plain_names(table: etree._Element) -> list[str] | None:
    """``_clean_all(_CELL_TEXTS(table))`` when the table is plain, else None.

    Plain: ``not(.//td/*) and not(contains(translate(string(.), 'VOTED', 'voted'),
    'voted'))`` (no character but the ASCII letters lowercases to any of those of
    "voted", so the second is the ``.lower()`` test below).  A cell child that is
    not a text (not a str: _clean_all's join refuses it) sends the question to
    ``.//td/*`` itself; otherwise no cell has an element in it and the texts are
    those of ``_CELL_TEXTS``, both from one XPath call.
    """
    if "voted" in _text_content(table).lower():
        return None
    try:  # (its "\x00".join raises TypeError for anything but a str)
        return _clean_all(cast("list[str]", _CELL_NODES(table)))
    except TypeError:
        pass
    if _CELL_WITH_ELEMENTS(table):
        return None
    return _clean_all(cast("list[str]", _CELL_TEXTS(table)))


def _names_after_markers(content: etree._Element) -> tuple[list[str], list[str]]:
    """Names in the first table after each marker sentence, in document order.

    Walks the panel body start/end events so that the marker can be plain text,
    inside ``<b>``/``<p>``, or even a cell of the names table itself.  Cells are
    read when they close (lxml closes ``<td>Smith<td>`` itself); blank spacer
    cells are skipped.
    """
    names: dict[str, list[str]] = {"yes": [], "no": []}
    section: str | None = None
    table: etree._Element | None = None  # the names table of the current section
    open_tables: list[etree._Element] = []
    td_depth = 0

    walk = etree.iterwalk(content, events=("start", "end"))
    for event, el in walk:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        tag = tag.lower()
        if event == "start":
            if tag == "td":
                td_depth += 1
                continue
            if tag == "table":
                open_tables.append(el)
                if section and table is None:
                    table = el
                if (
                    section
                    and table is not None
                    and td_depth == 0
                    and (plain := _plain_names(el)) is not None
                ):
                    # Cells without elements inside and no marker anywhere in the
                    # table: walking it would only take each non-blank cell text.
                    names[section].extend(plain)
                    walk.skip_subtree()  # its end event still comes
                    continue
            # (_marker's own first test, inline: most texts have no "voted".)
            text = el.text
            if text and "voted" in text.lower() and (found := _marker(text)):
                # A marker inside a table cell makes that table the names table.
                section, table = found, (open_tables[-1] if open_tables else None)
            continue
        # end event
        if tag == "td":
            td_depth -= 1
            text = _clean(_text_content(el))
            if found := _marker(text):
                section, table = found, (open_tables[-1] if open_tables else None)
            elif text and section and table is not None and td_depth == 0:
                names[section].append(text)
        elif tag == "table":
            if open_tables and open_tables[-1] is el:
                open_tables.pop()
            if el is table:
                section, table = None, None
        tail = el.tail
        if tail and "voted" in tail.lower() and (found := _marker(tail)):
            section, table = found, (open_tables[-1] if open_tables else None)
    return names["yes"], names["no"]


def _int_cell(text: str, what: str, index: int, source_url: str) -> int:
    if not _INT.match(text):
        raise ParseError(f"panel {index}: {what} {text!r} is not a number", source_url=source_url)
    return int(text)


def _parse_panel(
    panel: etree._Element, index: int, *, source_url: str, bill_type: str, number: int
) -> ParsedRollCall:
    cells, contents = _panel_parts(panel)
    if len(cells) != _HEADER_CELLS:
        raise ParseError(
            f"panel {index}: expected {_HEADER_CELLS} header cells, found {len(cells)}",
            source_url=source_url,
        )
    bill_text = _clean(_text_content(cells[0]))
    if bill_text:
        try:
            bill_type, number = normalize_bill_id(bill_text)
        except ValueError as exc:
            raise ParseError(f"panel {index}: {exc}", source_url=source_url) from exc
    description = tuple(s for s in _br_segments(cells[1]) if s)
    if not description:
        raise ParseError(f"panel {index}: empty description", source_url=source_url)
    amendment_segments = _br_segments(cells[2])
    amendment_id = " ".join(s for s in amendment_segments[1:] if s)
    yeas = _int_cell(_clean(_text_content(cells[3])), "yeas", index, source_url)
    nays = _int_cell(_clean(_text_content(cells[4])), "nays", index, source_url)
    page_match = _JOURNAL_PAGE.search(_clean(_text_content(cells[5])))
    date_text = _clean(_text_content(cells[6]))
    try:
        date = parse_date(date_text, source_url=source_url)
    except ParseError as exc:
        raise ParseError(f"panel {index}: {exc.reason}", source_url=source_url) from exc
    if date is None:
        raise ParseError(f"panel {index}: no date", source_url=source_url)
    if len(contents) != 1:
        raise ParseError(
            f"panel {index}: expected one panel-content, found {len(contents)}",
            source_url=source_url,
        )
    yes_names, no_names = _names_after_markers(contents[0])
    return record(
        ParsedRollCall,
        {
            "bill_type": bill_type,
            "number": number,
            "chamber": vocab.HOUSE,
            "date": date,
            "motion": description[-1],
            "description_lines": description,
            "amendment_id": amendment_id,
            "yeas": yeas,
            "nays": nays,
            "journal_page": page_match.group(0) if page_match else "",
            "yes_names": tuple(yes_names),
            "no_names": tuple(no_names),
            "position": index,
            "outcome": None,
            "source_url": source_url,
        },
    )


def parse_vote_details(
    content: bytes | str, *, source_url: str, bill_type: str, number: int
) -> list[ParsedRollCall]:
    """Every roll-call panel of a ``Votes/Details`` page, in page order.

    ``bill_type``/``number`` are the bill requested; a panel's own bill cell
    (``HF0025``) wins when present.  "There are no votes on this bill" gives an
    empty list.  A page with neither ``#DisplayResults`` panels nor that message,
    or a panel without its seven header cells, a numeric tally, a date or a body,
    raises :class:`ParseError` naming the panel index (0-based).
    """
    root = parse_html_plain(content, source_url=source_url)
    results = _display_results(root)

    def no_votes() -> bool:
        return NO_VOTES_MESSAGE.casefold() in _clean(_text_content(root)).casefold()

    if results is None:
        if no_votes():
            return []
        raise ParseError("no #DisplayResults and no 'no votes' message", source_url=source_url)
    panels = _divs_with_class(results, "collapsible-panel")
    if not panels:
        if no_votes():
            return []
        raise ParseError(
            "#DisplayResults has no roll-call panels and no 'no votes' message",
            source_url=source_url,
        )
    return [
        _parse_panel(panel, index, source_url=source_url, bill_type=bill_type, number=number)
        for index, panel in enumerate(panels)
    ]
