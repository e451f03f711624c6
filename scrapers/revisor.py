"""Revisor of Statutes (revisor.mn.gov): URL builders and pure parsers.

Nothing here fetches: callers pass the bytes they downloaded (mn-sources.md
section 2).  Parsers are strict and raise :class:`scrapers.parsing.ParseError`
when a document does not have the documented shape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import urlencode, urljoin

from lxml import etree

from scrapers import vocab
from scrapers.parsing import ParseError, parse_date, parse_xml
from scrapers.records import (
    ActionRecord,
    AuthorRecord,
    BillRecord,
    BillSearchResult,
    TextVersionRecord,
)

__all__ = [
    "API_BASE",
    "REVISOR_BASE",
    "SEARCH_RANGE_SIZE",
    "classify_action",
    "content_hash",
    "derive_status",
    "parse_bill_status_xml",
    "parse_search_xml",
    "search_ranges",
    "search_url",
    "session_list_url",
    "status_xml_url",
    "walk_search",
]

REVISOR_BASE = "https://www.revisor.mn.gov"
API_BASE = "https://api.revisor.mn.gov"
SEARCH_RANGE_SIZE = 500  # the search returns at most 500 results per request
SEARCH_BODIES = ("House", "Senate")
SEARCH_BILL_TYPES = ("bill", "concurrent", "resolution")


# --- URLs -----------------------------------------------------------------------


def session_list_url(base: str = REVISOR_BASE) -> str:
    """The status search form whose ``<select name="session">`` lists session codes."""
    return f"{base.rstrip('/')}/bills/status_search.php?body=House"


def search_url(
    base: str = REVISOR_BASE,
    *,
    chamber_body: str,
    session_code: str,
    start: int,
    end: int,
    bill_type: str = "bill",
) -> str:
    """XML search listing of bills ``start``-``end`` (at most 500) in one chamber.

    ``chamber_body`` is ``House`` or ``Senate``; ``bill_type`` is ``bill``,
    ``concurrent`` or ``resolution``.
    """
    if chamber_body not in SEARCH_BODIES:
        raise ValueError(f"chamber_body must be one of {SEARCH_BODIES}, got {chamber_body!r}")
    if bill_type not in SEARCH_BILL_TYPES:
        raise ValueError(f"bill_type must be one of {SEARCH_BILL_TYPES}, got {bill_type!r}")
    if not re.fullmatch(r"\d{7}", session_code, re.ASCII):
        raise ValueError(f"session_code must be a 7-digit Revisor code, got {session_code!r}")
    if start < 1 or end < start or end - start + 1 > SEARCH_RANGE_SIZE:
        raise ValueError(f"bad bill range {start}-{end} (1-based, at most {SEARCH_RANGE_SIZE})")
    params = {
        "body": chamber_body,
        "search": "basic",
        "session": session_code,
        "location": chamber_body,
        "bill": f"{start}-{end}",
        "bill_type": bill_type,
        "rev_number": "",
        "submit_bill": "GO",
        "keyword_type": "all",
        "keyword": "",
        "keyword_field_text": "1",
        "titleword": "",
        "format": "xml",
    }
    return f"{base.rstrip('/')}/bills/status_result.php?{urlencode(params)}"


def status_xml_url(
    api_base: str, legislature: int, year: int, special: int, bill_type: str, number: int
) -> str:
    """Bill status XML: ``{api_base}/bills/v1/94/2025/0/HF/2136/``."""
    bill_type = bill_type.upper()
    if bill_type not in vocab.BILL_TYPES:
        raise ValueError(f"bill_type must be one of {vocab.BILL_TYPES}, got {bill_type!r}")
    if number < 1 or legislature < 1 or special < 0:
        raise ValueError(f"bad bill address {legislature}/{year}/{special}/{bill_type}/{number}")
    return f"{api_base.rstrip('/')}/bills/v1/{legislature}/{year}/{special}/{bill_type}/{number}/"


def _absolute(uri: str | None, *, source_url: str) -> str | None:
    """Add the missing ``https://`` to a Revisor URI; empty -> None."""
    if uri is None:
        return None
    uri = uri.strip()
    if not uri:
        return None
    if re.match(r"^https?://", uri, re.IGNORECASE):
        return uri
    if uri.startswith("//"):
        return "https:" + uri
    if uri.startswith("/"):
        return urljoin(source_url, uri)
    if re.match(r"^[a-z][a-z0-9+.-]*:", uri, re.IGNORECASE):
        raise ParseError(f"unexpected URI scheme in {uri!r}", source_url=source_url)
    return "https://" + uri


# --- element helpers --------------------------------------------------------------


class _Fields:
    """The text children of one element, read in a single pass.

    ``get`` returns stripped text or None (missing or empty); a tag that occurs
    more than once raises ParseError when it is read.
    """

    __slots__ = ("_dups", "_el", "_map", "_url")

    def __init__(self, el: etree._Element, *, source_url: str) -> None:
        children: dict[object, etree._Element] = {}
        dups: set[object] = set()
        for child in el:
            if child.tag in children:
                dups.add(child.tag)
            else:
                children[child.tag] = child
        self._el = el
        self._map = children
        self._dups = dups
        self._url = source_url

    def get(self, tag: str) -> str | None:
        if tag in self._dups:
            raise ParseError(f"<{self._el.tag}> has several <{tag}> children", source_url=self._url)
        child = self._map.get(tag)
        if child is None:
            return None
        text = child.text if len(child) == 0 else "".join(child.itertext())
        if text is None:
            return None
        return text.strip() or None

    def required(self, tag: str) -> str:
        text = self.get(tag)
        if text is None:
            raise ParseError(f"<{self._el.tag}> lacks a non-empty <{tag}>", source_url=self._url)
        return text


def _child_text(el: etree._Element, tag: str, *, source_url: str) -> str | None:
    """Stripped text of the single child ``tag``; missing or empty -> None."""
    return _Fields(el, source_url=source_url).get(tag)


def _required_text(el: etree._Element, tag: str, *, source_url: str) -> str:
    return _Fields(el, source_url=source_url).required(tag)


def _bill_type(text: str, *, source_url: str) -> str:
    value = text.strip().upper()
    if value not in vocab.BILL_TYPES:
        raise ParseError(f"unknown bill type {text!r}", source_url=source_url)
    return value


def _positive_int(text: str, what: str, *, source_url: str) -> int:
    if not re.fullmatch(r"\d+", text, re.ASCII) or int(text) < 1:
        raise ParseError(f"{what} is not a positive integer: {text!r}", source_url=source_url)
    return int(text)


def _chamber(tag: str, *, source_url: str) -> str:
    value = tag.strip().lower()
    if value not in vocab.CHAMBERS:
        raise ParseError(f"unknown chamber element <{tag}>", source_url=source_url)
    return value


# --- search listing ---------------------------------------------------------------


def parse_search_xml(content: bytes, *, source_url: str) -> list[BillSearchResult]:
    """Rows of a Revisor XML search page (root ``SEARCH_RESULTS``).

    Rows whose ``FILE_NUMBER`` is not all digits are skipped.  An empty
    ``SEARCH_RESULTS`` is a valid empty list (it ends a range walk); any other
    root, or a body that is not XML (an error page), raises ParseError.
    """
    root = parse_xml(content, source_url=source_url)
    if root.tag != "SEARCH_RESULTS":
        raise ParseError(
            f"expected root <SEARCH_RESULTS>, found <{root.tag}>", source_url=source_url
        )
    results: list[BillSearchResult] = []
    for row in root.findall("BILL_RESULT"):
        number_text = _child_text(row, "FILE_NUMBER", source_url=source_url) or ""
        if not re.fullmatch(r"\d+", number_text, re.ASCII) or int(number_text) < 1:
            continue
        bill_type = _bill_type(
            _required_text(row, "FILE_TYPE", source_url=source_url), source_url=source_url
        )
        status = _absolute(
            _required_text(row, "STATUS_XML_URI", source_url=source_url), source_url=source_url
        )
        assert status is not None
        results.append(
            BillSearchResult(
                bill_type=bill_type,
                number=int(number_text),
                description=_child_text(row, "DESCRIPTION", source_url=source_url) or "",
                status_xml_url=status,
                latest_text_url=_absolute(
                    _child_text(row, "LATEST_TEXT_HTML_URI", source_url=source_url),
                    source_url=source_url,
                ),
            )
        )
    return results


def search_ranges(size: int = SEARCH_RANGE_SIZE, *, first: int = 1) -> Iterator[tuple[int, int]]:
    """Endless bill-number ranges: (1, 500), (501, 1000), ...  The caller stops."""
    if size < 1 or size > SEARCH_RANGE_SIZE:
        raise ValueError(f"range size must be 1-{SEARCH_RANGE_SIZE}, got {size}")
    start = first
    while True:
        yield start, start + size - 1
        start += size


def walk_search(
    fetch: Callable[[int, int], Sequence[BillSearchResult]],
    *,
    size: int = SEARCH_RANGE_SIZE,
    max_number: int = 20000,
) -> Iterator[BillSearchResult]:
    """Walk the search in ranges until a range returns no rows.

    ``fetch(start, end)`` returns the parsed rows for one range (typically
    ``parse_search_xml`` of ``search_url(..., start=start, end=end)``).  A full
    or partly full range moves on to the next one, so more than 500 bills are
    listed; the first empty range ends the walk.  Rows are de-duplicated on
    (bill type, number).  Reaching ``max_number`` without an empty range raises
    RuntimeError rather than looping for ever.
    """
    seen: set[tuple[str, int]] = set()
    for start, end in search_ranges(size):
        if start > max_number:
            raise RuntimeError(f"search did not end before bill number {max_number}")
        rows = fetch(start, end)
        if not rows:
            return
        for row in rows:
            key = (row.bill_type, row.number)
            if key not in seen:
                seen.add(key)
                yield row


# --- action classification ----------------------------------------------------------

_I = re.IGNORECASE
# (pattern matched at the start of the text, classifications), after mn-sources
# §2.5 (Open States) plus conference and chaptering.  Every matching rule adds
# its classifications; the result keeps first-seen order without duplicates.
_ACTION_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, _I), classes)
    for pattern, classes in (
        (r"introduced\b", ("introduction",)),
        (r"introduction and first reading", ("introduction",)),
        (r".*first reading,?\s+(?:and\s+)?referred to", ("introduction", "referral")),
        (r"received from", ("introduction",)),
        (r"referred (?:by chair )?to", ("referral",)),
        (r"second reading", ("reading-2",)),
        (r"third reading", ("reading-3",)),
        (
            r"comm(?:ittee)?\.? report:?,?\s+to pass(?: as amended)? and re-?refer(?:red)? to",
            ("committee-passage", "referral"),
        ),
        (r"comm(?:ittee)?\.? report:?,?\s+to pass", ("committee-passage",)),
        (r"comm(?:ittee)?\.? report:?,?\s+to adopt", ("committee-passage",)),
        (r".*\bre-?referred\b", ("referral",)),
        (r"third reading,?\s+passed", ("passage",)),
        (r"bill was (?:re)?passed", ("passage",)),
        (r".*\brepassed\b", ("passage",)),
        (r"resolution was adopted", ("passage",)),
        (r"adopted\b", ("passage",)),
        (r"governor(?:'s)?(?: action)?:?\s+approval", ("executive-signature",)),
        (r".*\bline[- ]item veto", ("executive-veto-line-item",)),
        (r"(?!.*\bline[- ]item veto).*\bveto(?:ed)?\b", ("executive-veto",)),
        (r"presented to (?:the )?governor", ("executive-receipt",)),
        (r"amended\b", ("amendment-passage",)),
        (r"amendments? adopted", ("amendment-passage",)),
        (r"amendments? offered", ("amendment-introduction",)),
        (r"conference committee report,?\s+adopted", ("conference-report-adoption",)),
        (r"conferees?\s+(?:appointed|named)", ("conference-committee",)),
        (r"conference committee\b(?!\s+report)", ("conference-committee",)),
        (r".*\bconference committee (?:to be )?appointed", ("conference-committee",)),
        (r"chapter\b(?!\s+number\s*$)", ("became-law",)),
        (r"(?:filed with )?secretary of state\b", ("became-law",)),
    )
)


def classify_action(text: str) -> tuple[str, ...]:
    """Open States style classifications of a Revisor action text.

    Based on mn-sources §2.5, plus ``conference-committee`` ("Conferees
    appointed", "Conference committee ..."), ``conference-report-adoption``
    ("Conference committee report adopted"), ``became-law`` ("Chapter 10",
    "Secretary of State ...", i.e. chaptered) and ``executive-veto-line-item``
    (an approval with line-item vetoes is not a veto of the bill).
    """
    text = " ".join((text or "").split())
    found: list[str] = []
    for pattern, classes in _ACTION_RULES:
        if pattern.match(text):
            found.extend(c for c in classes if c not in found)
    return tuple(found)


# --- status -------------------------------------------------------------------------


def _timeline(actions: Sequence[ActionRecord]) -> list[ActionRecord]:
    """Actions in the order used for status.

    Actions are ordered by date; an action without a date takes the date of
    the closest earlier dated action in its own chamber block (keeping its
    position there), or sorts first if none precedes it.  Equal dates keep the
    chamber block's order: blocks in document order, then ACTION_NUMBER.
    """
    blocks: dict[str, list[ActionRecord]] = {}
    for action in actions:
        blocks.setdefault(action.chamber, []).append(action)
    keyed: list[tuple[dt.date, int, int, ActionRecord]] = []
    for block_index, block in enumerate(blocks.values()):
        last = dt.date.min
        for action in sorted(block, key=lambda a: a.number):
            if action.date is not None:
                last = action.date
            keyed.append((last, block_index, action.number, action))
    keyed.sort(key=lambda item: item[:3])
    return [item[3] for item in keyed]


def derive_status(bill_type: str, actions: Iterable[ActionRecord]) -> str:
    """Current status (one of ``vocab.BILL_STATUSES``) from classified actions.

    The status reflects the latest dated action, the chamber block's order
    breaking ties; undated actions keep their position in their chamber's block
    (see ``_timeline``).  Walking that timeline:

    * ``referral`` before any floor passage -> ``in_committee``;
    * ``passage`` in a chamber (for resolutions, "Adopted"/"Resolution was
      adopted") -> ``passed_house`` / ``passed_senate``; in both -> ``passed_both``
      (a HR/SR adopted in its chamber ends at passed_house/passed_senate, a
      HC/SC adopted in both chambers is passed_both);
    * ``conference-committee`` -> ``in_conference`` until a later passage
      (repassage of the conference report) -> ``passed_both``;
    * ``executive-receipt`` -> ``presented_to_governor``;
    * ``executive-signature`` or ``became-law`` (chapter / Secretary of State)
      -> ``signed``; ``executive-veto`` -> ``vetoed`` unless a later signature
      or chapter follows (a line-item veto is not a veto of the bill).

    Stages never move backwards except through those rules; a bill without
    actions is ``introduced``.
    """
    if bill_type.upper() not in vocab.BILL_TYPES:
        raise ValueError(f"unknown bill type {bill_type!r}")
    status = vocab.INTRODUCED
    passed: set[str] = set()
    for action in _timeline(list(actions)):
        classes = set(action.classification)
        if classes & {"executive-signature", "became-law"}:
            status = vocab.SIGNED
        elif status == vocab.SIGNED:
            continue
        elif "executive-veto" in classes:
            status = vocab.VETOED
        elif status == vocab.VETOED:
            continue
        elif "executive-receipt" in classes:
            status = vocab.PRESENTED_TO_GOVERNOR
        elif status == vocab.PRESENTED_TO_GOVERNOR:
            continue
        elif "conference-committee" in classes:
            passed.update(vocab.CHAMBERS)
            status = vocab.IN_CONFERENCE
        elif "passage" in classes:
            passed.add(action.chamber)
            if status == vocab.IN_CONFERENCE or len(passed) == len(vocab.CHAMBERS):
                status = vocab.PASSED_BOTH
            elif action.chamber == vocab.HOUSE:
                status = vocab.PASSED_HOUSE
            else:
                status = vocab.PASSED_SENATE
        elif "referral" in classes and not passed and status != vocab.IN_CONFERENCE:
            status = vocab.IN_COMMITTEE
    return status


# --- bill status XML ------------------------------------------------------------------

_ROLL_CALL = re.compile(r"^(\d+)\s*-\s*(\d+)$", re.ASCII)


def _plain(value: object) -> object:
    """JSON-ready form of a record tree (cheaper than ``dataclasses.asdict``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_hash(bill: BillRecord) -> str:
    """sha256 hex of a canonical JSON serialisation of ``bill`` minus its hash.

    Every field of the record and its nested records goes in (keys sorted,
    dates as ISO strings), so any parsed change - a new action, a corrected
    journal page, a different status - changes the hash.
    """
    data = _plain(bill)
    assert isinstance(data, dict)
    data.pop("content_hash", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check_session(root: etree._Element, session: str, *, source_url: str) -> None:
    """Cross-check SESSION_TYPE/SESSION_YEAR (when present) against ``session``."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{4})|s(\d+))", session)
    if not m:
        raise ValueError(f"session must look like '2025-2026' or '2025s1', got {session!r}")
    special = int(m.group(3) or 0)
    years = {int(m.group(1))} if special else {int(m.group(1)), int(m.group(2))}
    session_type = _child_text(root, "SESSION_TYPE", source_url=source_url)
    if session_type is not None and session_type != str(special):
        raise ParseError(
            f"document is for SESSION_TYPE {session_type}, not session {session!r}",
            source_url=source_url,
        )
    session_year = _child_text(root, "SESSION_YEAR", source_url=source_url)
    if session_year is not None and (not session_year.isdigit() or int(session_year) not in years):
        raise ParseError(
            f"document is for SESSION_YEAR {session_year}, not session {session!r}",
            source_url=source_url,
        )


def _parse_authors(root: etree._Element, *, source_url: str) -> tuple[AuthorRecord, ...]:
    authors: list[AuthorRecord] = []
    for block in root.findall("AUTHORS"):
        for chamber_el in block:
            chamber = _chamber(chamber_el.tag, source_url=source_url)
            for position, author in enumerate(chamber_el.findall("AUTHOR"), start=1):
                fields = _Fields(author, source_url=source_url)
                authors.append(
                    AuthorRecord(
                        chamber=chamber,
                        printed_name=fields.required("MEMBER_NAME"),
                        member_id=fields.get("LEGISLATOR_KEY"),
                        chief=position == 1,
                        position=position,
                    )
                )
    return tuple(authors)


def _parse_action(el: etree._Element, chamber: str, *, source_url: str) -> ActionRecord:
    fields = _Fields(el, source_url=source_url)
    number = _positive_int(fields.required("ACTION_NUMBER"), "ACTION_NUMBER", source_url=source_url)
    text = " ".join(fields.required("ACTION_TEXT").split())
    roll_call = fields.get("ROLL_CALL")
    yeas = nays = None
    if roll_call is not None:
        tally = _ROLL_CALL.match(roll_call)
        if not tally:
            raise ParseError(
                f"malformed ROLL_CALL {roll_call!r} on {chamber} action {number}",
                source_url=source_url,
            )
        yeas, nays = int(tally.group(1)), int(tally.group(2))
    return ActionRecord(
        chamber=chamber,
        number=number,
        date=parse_date(fields.get("ACTION_DATE"), source_url=source_url),
        text=text,
        description=fields.get("ACTION_DESCRIPTION"),
        journal_page=fields.get("JOURNAL_PAGE"),
        committee=fields.get("COMMITTEE_NAME"),
        roll_call=roll_call,
        yeas=yeas,
        nays=nays,
        classification=classify_action(text),
    )


def _parse_actions(root: etree._Element, *, source_url: str) -> tuple[ActionRecord, ...]:
    actions: list[ActionRecord] = []
    for block in root.findall("ACTIONS"):
        for chamber_el in block:
            chamber = _chamber(chamber_el.tag, source_url=source_url)
            rows = [
                _parse_action(el, chamber, source_url=source_url)
                for el in chamber_el.findall("ACTION")
            ]
            rows.sort(key=lambda a: a.number)
            actions.extend(rows)
    seen: set[tuple[str, int]] = set()
    for action in actions:
        key = (action.chamber, action.number)
        if key in seen:
            raise ParseError(
                f"duplicate ACTION_NUMBER {action.number} in the {action.chamber} actions",
                source_url=source_url,
            )
        seen.add(key)
    return tuple(actions)


def _parse_versions(root: etree._Element, *, source_url: str) -> tuple[TextVersionRecord, ...]:
    versions: list[TextVersionRecord] = []
    for doc in root.findall("TEXT_VERSION_LIST/DOCUMENT"):
        engrossment = _child_text(doc, "DOCUMENT_ENGROSSMENT", source_url=source_url)
        if engrossment is not None and not re.fullmatch(r"\d+", engrossment, re.ASCII):
            raise ParseError(f"bad DOCUMENT_ENGROSSMENT {engrossment!r}", source_url=source_url)
        versions.append(
            TextVersionRecord(
                name=_required_text(doc, "DOCUMENT_NAME", source_url=source_url),
                html_url=_absolute(
                    _child_text(doc, "HTML_URI", source_url=source_url), source_url=source_url
                ),
                pdf_url=_absolute(
                    _child_text(doc, "PDF_URI", source_url=source_url), source_url=source_url
                ),
                date=parse_date(
                    _child_text(doc, "DATE_INSERT", source_url=source_url), source_url=source_url
                ),
                engrossment=int(engrossment) if engrossment is not None else None,
            )
        )
    return tuple(versions)


def _parse_companion(root: etree._Element, *, source_url: str) -> tuple[str | None, int | None]:
    ctype = _child_text(root, "COMPANION_TYPE", source_url=source_url)
    cnumber = _child_text(root, "COMPANION_NUMBER", source_url=source_url)
    if cnumber is None or re.fullmatch(r"0+", cnumber):
        return None, None
    number = _positive_int(cnumber, "COMPANION_NUMBER", source_url=source_url)
    if ctype is None:
        raise ParseError(
            f"COMPANION_NUMBER {cnumber} without a COMPANION_TYPE", source_url=source_url
        )
    return _bill_type(ctype, source_url=source_url), number


def parse_bill_status_xml(content: bytes, *, source_url: str, session: str) -> BillRecord:
    """Parse a Revisor bill status XML document (root ``BILL``) into a BillRecord.

    ``session`` is the Open States identifier the bill belongs to (``2025-2026``
    or ``2025s1``); when the document carries SESSION_TYPE/SESSION_YEAR they must
    agree with it.  Authors and actions are grouped per chamber (tags matched
    case-insensitively), actions ordered by ACTION_NUMBER within each chamber.
    ``status`` comes from :func:`derive_status` and ``content_hash`` from
    :func:`content_hash`.
    """
    root = parse_xml(content, source_url=source_url)
    if root.tag != "BILL":
        raise ParseError(f"expected root <BILL>, found <{root.tag}>", source_url=source_url)
    _check_session(root, session, source_url=source_url)
    bill_type = _bill_type(
        _required_text(root, "FILE_TYPE", source_url=source_url), source_url=source_url
    )
    number = _positive_int(
        _required_text(root, "FILE_NUMBER", source_url=source_url),
        "FILE_NUMBER",
        source_url=source_url,
    )
    title = " ".join(_required_text(root, "DESCRIPTION", source_url=source_url).split())
    companion_type, companion_number = _parse_companion(root, source_url=source_url)
    actions = _parse_actions(root, source_url=source_url)
    bill = BillRecord(
        session=session,
        bill_type=bill_type,
        number=number,
        title=title,
        status=derive_status(bill_type, actions),
        source_url=source_url,
        revisor_number=_child_text(root, "REVISOR_NUMBER", source_url=source_url),
        companion_type=companion_type,
        companion_number=companion_number,
        authors=_parse_authors(root, source_url=source_url),
        actions=actions,
        versions=_parse_versions(root, source_url=source_url),
    )
    return dataclasses.replace(bill, content_hash=content_hash(bill))
