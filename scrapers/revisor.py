"""Revisor of Statutes (revisor.mn.gov): URL builders and pure parsers.

Nothing here fetches: callers pass the bytes they downloaded (mn-sources.md
section 2).  Parsers are strict and raise :class:`scrapers.parsing.ParseError`
when a document does not have the documented shape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar
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


_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _absolute(uri: str | None, *, source_url: str) -> str | None:
    """Add the missing ``https://`` to a Revisor URI; empty -> None."""
    if uri is None:
        return None
    uri = uri.strip()
    if not uri:
        return None
    if _HTTP.match(uri):
        return uri
    if uri.startswith("//"):
        return "https:" + uri
    if uri.startswith("/"):
        return urljoin(source_url, uri)
    if _SCHEME.match(uri):
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
        children: dict[object, etree._Element] = {child.tag: child for child in el}
        dups: set[object] = set()
        if len(children) != len(el):  # some tag occurs more than once
            seen: set[object] = set()
            for child in el:
                if child.tag in seen:
                    dups.add(child.tag)
                seen.add(child.tag)
        self._el = el
        self._map = children
        self._dups = dups
        self._url = source_url

    def get(self, tag: str) -> str | None:
        if self._dups and tag in self._dups:
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


def _leaf_records(root: etree._Element, content: bytes | str) -> bool:
    """Whether every AUTHOR, ACTION and DOCUMENT child is a leaf (no element or
    entity reference inside): its ``text`` is then what :class:`_Fields` reads.
    Entity references need a DOCTYPE."""
    doctype = b"<!DOCTYPE" in content if isinstance(content, bytes) else "<!DOCTYPE" in content
    return not doctype and not _NESTED(root)


# (XPath evaluators are thread-safe: each holds a lock while it runs.)
_NESTED = etree.XPath(
    "boolean(AUTHORS/*/AUTHOR/*/* | ACTIONS/*/ACTION/*/* | TEXT_VERSION_LIST/DOCUMENT/*/*)"
)
_Record = TypeVar("_Record")
_DIRECT: dict[type, frozenset[str] | None] = {}


def _direct(cls: type[_Record], values: dict[str, object]) -> _Record:
    """``cls(**values)`` for a frozen dataclass without ``__post_init__`` given every
    field: the instance's ``__dict__`` is filled in one step instead of one
    ``object.__setattr__`` per field (the same instance, three times cheaper)."""
    names = _DIRECT.get(cls, ())
    if names == ():
        params = getattr(cls, "__dataclass_params__", None)
        plain = (
            params is not None
            and params.frozen
            and not hasattr(cls, "__post_init__")
            and not hasattr(cls, "__slots__")
        )
        names = _DIRECT[cls] = (
            frozenset(f.name for f in dataclasses.fields(cls)) if plain else None  # type: ignore[arg-type]
        )
    if names is not None and values.keys() == names:
        record: _Record = object.__new__(cls)
        record.__dict__.update(values)
        return record
    return cls(**values)


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
    if not (text.isascii() and text.isdigit()) or int(text) < 1:  # r"\d+" in ASCII
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
        fields = _Fields(row, source_url=source_url)
        number_text = fields.get("FILE_NUMBER") or ""
        if not (number_text.isascii() and number_text.isdigit()) or int(number_text) < 1:
            continue
        bill_type = _bill_type(fields.required("FILE_TYPE"), source_url=source_url)
        status = _absolute(fields.required("STATUS_XML_URI"), source_url=source_url)
        description = fields.get("DESCRIPTION") or ""
        latest = _absolute(fields.get("LATEST_TEXT_HTML_URI"), source_url=source_url)
        assert status is not None
        results.append(
            BillSearchResult(
                bill_type=bill_type,
                number=int(number_text),
                description=description,
                status_xml_url=status,
                latest_text_url=latest,
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


def _first_letters(pattern: str) -> frozenset[str] | None:
    """The lower-case ASCII letters a text must start with for ``pattern`` to match
    it, or None when the pattern may match other starts too (``.*``, a lookahead)."""
    depth = 0
    for char in re.sub(r"\\.|\[[^]]*\]", "", pattern):  # a top-level alternative could
        depth += {"(": 1, ")": -1}.get(char, 0)  # start anywhere
        if char == "|" and depth == 0:
            return None
    optional = re.match(r"\(\?:([a-z])[a-z ]*\)\?([a-z])(?![?*{])", pattern)
    if optional:  # "(?:filed with )?secretary of state"
        return frozenset(optional.groups())
    if re.match(r"[a-z](?![?*{])", pattern):
        return frozenset(pattern[0])
    return None


# For a text starting with an ASCII letter, only the rules that can match it, in
# order; any other text is tried against every rule (IGNORECASE also folds some
# non-ASCII letters onto ASCII ones, e.g. the Kelvin sign onto "k").
_RULES_BY_LETTER: dict[str, tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]] = {
    letter: tuple(
        (pattern, classes)
        for pattern, classes in _ACTION_RULES
        if (first := _first_letters(pattern.pattern)) is None or letter in first
    )
    for letter in "abcdefghijklmnopqrstuvwxyz"
}


@functools.lru_cache(maxsize=8192)
def _classify(text: str) -> tuple[str, ...]:
    first = text[:1]
    rules = _RULES_BY_LETTER.get(first.lower(), _ACTION_RULES) if first.isascii() else _ACTION_RULES
    found: list[str] = []
    for pattern, classes in rules:
        if pattern.match(text):
            found.extend(c for c in classes if c not in found)
    return tuple(found)


def classify_action(text: str) -> tuple[str, ...]:
    """Open States style classifications of a Revisor action text.

    Based on mn-sources §2.5, plus ``conference-committee`` ("Conferees
    appointed", "Conference committee ..."), ``conference-report-adoption``
    ("Conference committee report adopted"), ``became-law`` ("Chapter 10",
    "Secretary of State ...", i.e. chaptered) and ``executive-veto-line-item``
    (an approval with line-item vetoes is not a veto of the bill).  Texts repeat
    from bill to bill, so the classifications are cached.
    """
    return _classify(" ".join((text or "").split()))


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


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _json_default(value: object) -> object:
    """The JSON form of a record or a date inside a record (tuples are arrays already):
    a record's fields as a dict, exactly ``{f.name: getattr(value, f.name)}``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        names = frozenset(f.name for f in dataclasses.fields(value))
        _FIELD_NAMES[cls] = names
    state = getattr(value, "__dict__", None)
    if state is not None and state.keys() == names:
        return state  # the fields and nothing else; only read by the encoder
    return {name: getattr(value, name) for name in names}


_CANONICAL = json.JSONEncoder(
    default=_json_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
)


def content_hash(bill: BillRecord) -> str:
    """sha256 hex of a canonical JSON serialisation of ``bill`` minus its hash.

    Every field of the record and its nested records goes in (keys sorted,
    dates as ISO strings), so any parsed change - a new action, a corrected
    journal page, a different status - changes the hash.  (The serialisation is
    that of ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
    of the records as nested dicts, lists and ISO dates; the digests of stored
    bills must never change: tests/scrapers/test_parser_pins.py pins them.)
    """
    fields = _json_default(bill)
    assert isinstance(fields, dict)
    data = dict(fields)  # a copy: it may be the record's own __dict__
    data.pop("content_hash", None)
    return hashlib.sha256(_CANONICAL.encode(data).encode("utf-8")).hexdigest()


_SESSION = re.compile(r"(\d{4})(?:-(\d{4})|s(\d+))")


def _check_session(fields: _Fields, session: str, *, source_url: str) -> None:
    """Cross-check SESSION_TYPE/SESSION_YEAR (when present) against ``session``."""
    m = _SESSION.fullmatch(session)
    if not m:
        raise ValueError(f"session must look like '2025-2026' or '2025s1', got {session!r}")
    special = int(m.group(3) or 0)
    years = {int(m.group(1))} if special else {int(m.group(1)), int(m.group(2))}
    session_type = fields.get("SESSION_TYPE")
    if session_type is not None and session_type != str(special):
        raise ParseError(
            f"document is for SESSION_TYPE {session_type}, not session {session!r}",
            source_url=source_url,
        )
    session_year = fields.get("SESSION_YEAR")
    if session_year is not None and (not session_year.isdigit() or int(session_year) not in years):
        raise ParseError(
            f"document is for SESSION_YEAR {session_year}, not session {session!r}",
            source_url=source_url,
        )


# The canonical JSON of parsed records, written directly: the same text as
# ``_CANONICAL.encode`` of the records (keys sorted, no spaces, non-ASCII kept),
# for the field types the parser produces.  ``_FAST_HASH`` turns it off should the
# records gain or lose a field; tests compare it with :func:`content_hash`.
_str = json.encoder.encode_basestring


def _opt_str(value: str | None) -> str:
    return "null" if value is None else _str(value)


def _opt_int(value: int | None) -> str:
    return "null" if value is None else str(value)


def _opt_date(value: dt.date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _names(cls: type) -> tuple[str, ...]:
    return tuple(sorted(f.name for f in dataclasses.fields(cls)))


_FAST_HASH = (
    _names(AuthorRecord) == ("chamber", "chief", "member_id", "position", "printed_name")
    and _names(ActionRecord)
    == (
        "chamber", "classification", "committee", "date", "description", "journal_page",
        "nays", "number", "roll_call", "text", "yeas",
    )
    and _names(TextVersionRecord) == ("date", "engrossment", "html_url", "name", "pdf_url")
    and _names(BillRecord)
    == (
        "actions", "authors", "bill_type", "companion_number", "companion_type",
        "content_hash", "number", "revisor_number", "session", "source_url", "status",
        "title", "versions",
    )
)  # fmt: skip


# --- bill status records: the exact reading --------------------------------------------


def _parse_authors(root: etree._Element, *, source_url: str) -> tuple[AuthorRecord, ...]:
    authors: list[AuthorRecord] = []
    for block in root.iterchildren("AUTHORS"):
        for chamber_el in block:
            chamber = _chamber(chamber_el.tag, source_url=source_url)
            for position, author in enumerate(chamber_el.iterchildren("AUTHOR"), start=1):
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
    for block in root.iterchildren("ACTIONS"):
        for chamber_el in block:
            chamber = _chamber(chamber_el.tag, source_url=source_url)
            rows = [
                _parse_action(el, chamber, source_url=source_url)
                for el in chamber_el.iterchildren("ACTION")
            ]
            rows.sort(key=lambda a: a.number)
            actions.extend(rows)
    _check_unique(actions, source_url=source_url)
    return tuple(actions)


def _check_unique(actions: Iterable[ActionRecord], *, source_url: str) -> None:
    seen: set[tuple[str, int]] = set()
    for action in actions:
        key = (action.chamber, action.number)
        if key in seen:
            raise ParseError(
                f"duplicate ACTION_NUMBER {action.number} in the {action.chamber} actions",
                source_url=source_url,
            )
        seen.add(key)


def _parse_versions(root: etree._Element, *, source_url: str) -> tuple[TextVersionRecord, ...]:
    versions: list[TextVersionRecord] = []
    for block in root.iterchildren("TEXT_VERSION_LIST"):
        for doc in block.iterchildren("DOCUMENT"):
            fields = _Fields(doc, source_url=source_url)
            engrossment = fields.get("DOCUMENT_ENGROSSMENT")
            if engrossment is not None and not (engrossment.isascii() and engrossment.isdigit()):
                raise ParseError(f"bad DOCUMENT_ENGROSSMENT {engrossment!r}", source_url=source_url)
            versions.append(
                TextVersionRecord(
                    name=fields.required("DOCUMENT_NAME"),
                    html_url=_absolute(fields.get("HTML_URI"), source_url=source_url),
                    pdf_url=_absolute(fields.get("PDF_URI"), source_url=source_url),
                    date=parse_date(fields.get("DATE_INSERT"), source_url=source_url),
                    engrossment=int(engrossment) if engrossment is not None else None,
                )
            )
    return tuple(versions)


def _parse_companion(fields: _Fields, *, source_url: str) -> tuple[str | None, int | None]:
    ctype = fields.get("COMPANION_TYPE")
    cnumber = fields.get("COMPANION_NUMBER")
    if cnumber is None or not cnumber.strip("0"):  # r"0+": no companion
        return None, None
    number = _positive_int(cnumber, "COMPANION_NUMBER", source_url=source_url)
    if ctype is None:
        raise ParseError(
            f"COMPANION_NUMBER {cnumber} without a COMPANION_TYPE", source_url=source_url
        )
    return _bill_type(ctype, source_url=source_url), number


# --- bill status records: the fast reading ---------------------------------------------
#
# The same records for a document without surprises, read with as little Python
# as possible: every AUTHOR, ACTION and DOCUMENT child a leaf, no tag repeated in
# a record, every value well-formed.  Anything else (including any ParseError)
# raises _Unusual and the exact reading above runs instead, so errors and their
# order are those of the exact reading.  The canonical JSON of content_hash is
# written along (the text ``_CANONICAL.encode`` gives: keys sorted, no spaces,
# non-ASCII kept) for the field types read here; tests compare the two readings.


class _Unusual(Exception):
    """The fast reading does not apply: use the exact one."""


_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def _json_str(value: str | None) -> str:
    return "null" if value is None else _str(value)


def _json_int(value: int | None) -> str:
    return "null" if value is None else str(value)


def _json_date(value: dt.date | None) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _sorted_fields(cls: type) -> tuple[str, ...]:
    return tuple(sorted(f.name for f in dataclasses.fields(cls)))


# The JSON below is written for exactly these fields (in sorted order).
_FAST_FIELDS = (
    _sorted_fields(AuthorRecord) == ("chamber", "chief", "member_id", "position", "printed_name")
    and _sorted_fields(ActionRecord)
    == (
        "chamber", "classification", "committee", "date", "description", "journal_page",
        "nays", "number", "roll_call", "text", "yeas",
    )
    and _sorted_fields(TextVersionRecord) == ("date", "engrossment", "html_url", "name", "pdf_url")
    and _sorted_fields(BillRecord)
    == (
        "actions", "authors", "bill_type", "companion_number", "companion_type",
        "content_hash", "number", "revisor_number", "session", "source_url", "status",
        "title", "versions",
    )
)  # fmt: skip


def _texts(el: etree._Element) -> dict[object, str | None]:
    """The texts of the (leaf) children of a record, by tag; a repeated tag is unusual."""
    texts: dict[object, str | None] = {child.tag: child.text for child in el}
    if len(texts) != len(el):
        raise _Unusual
    return texts


def _fast_authors(root: etree._Element, json_parts: list[str]) -> tuple[AuthorRecord, ...]:
    authors: list[AuthorRecord] = []
    for block in root.iterchildren("AUTHORS"):
        for chamber_el in block:
            chamber = chamber_el.tag.strip().lower()
            if chamber not in vocab.CHAMBERS:
                raise _Unusual
            for position, author in enumerate(chamber_el.iterchildren("AUTHOR"), start=1):
                t = _texts(author)
                name = (v.strip() or None) if (v := t.get("MEMBER_NAME")) else None
                if name is None:
                    raise _Unusual
                key = (v.strip() or None) if (v := t.get("LEGISLATOR_KEY")) else None
                chief = position == 1
                authors.append(
                    _direct(
                        AuthorRecord,
                        {
                            "chamber": chamber,
                            "printed_name": name,
                            "member_id": key,
                            "chief": chief,
                            "position": position,
                        },
                    )
                )
                json_parts.append(
                    f'{{"chamber":{_str(chamber)},"chief":{"true" if chief else "false"},'
                    f'"member_id":{_json_str(key)},"position":{position},'
                    f'"printed_name":{_str(name)}}}'
                )
    return tuple(authors)


def _fast_actions(
    root: etree._Element, json_parts: list[str], *, source_url: str
) -> tuple[ActionRecord, ...]:
    actions: list[ActionRecord] = []
    for block in root.iterchildren("ACTIONS"):
        for chamber_el in block:
            chamber = chamber_el.tag.strip().lower()
            if chamber not in vocab.CHAMBERS:
                raise _Unusual
            rows: list[tuple[int, ActionRecord, str]] = []
            for el in chamber_el.iterchildren("ACTION"):
                t = _texts(el)
                number_text = v.strip() if (v := t.get("ACTION_NUMBER")) else ""
                if not (number_text.isascii() and number_text.isdigit()):
                    raise _Unusual
                number = int(number_text)
                raw_text = v.strip() if (v := t.get("ACTION_TEXT")) else ""
                if number < 1 or not raw_text:
                    raise _Unusual
                text = " ".join(raw_text.split())
                roll_call = (v.strip() or None) if (v := t.get("ROLL_CALL")) else None
                yeas = nays = None
                if roll_call is not None:
                    tally = _ROLL_CALL.match(roll_call)
                    if not tally:
                        raise _Unusual
                    yeas, nays = int(tally.group(1)), int(tally.group(2))
                date_text = (v.strip() or None) if (v := t.get("ACTION_DATE")) else None
                date = parse_date(date_text, source_url=source_url)
                description = (v.strip() or None) if (v := t.get("ACTION_DESCRIPTION")) else None
                page = (v.strip() or None) if (v := t.get("JOURNAL_PAGE")) else None
                committee = (v.strip() or None) if (v := t.get("COMMITTEE_NAME")) else None
                classification = _classify(text)  # ``text`` is normalised already
                action = _direct(
                    ActionRecord,
                    {
                        "chamber": chamber,
                        "number": number,
                        "date": date,
                        "text": text,
                        "description": description,
                        "journal_page": page,
                        "committee": committee,
                        "roll_call": roll_call,
                        "yeas": yeas,
                        "nays": nays,
                        "classification": classification,
                    },
                )
                rows.append(
                    (
                        number,
                        action,
                        f'{{"chamber":{_str(chamber)},'
                        f'"classification":[{",".join(map(_str, classification))}],'
                        f'"committee":{_json_str(committee)},"date":{_json_date(date)},'
                        f'"description":{_json_str(description)},'
                        f'"journal_page":{_json_str(page)},"nays":{_json_int(nays)},'
                        f'"number":{number},"roll_call":{_json_str(roll_call)},'
                        f'"text":{_str(text)},"yeas":{_json_int(yeas)}}}',
                    )
                )
            rows.sort(key=lambda row: row[0])
            actions.extend(row[1] for row in rows)
            json_parts.extend(row[2] for row in rows)
    _check_unique(actions, source_url=source_url)
    return tuple(actions)


def _fast_versions(
    root: etree._Element, json_parts: list[str], *, source_url: str
) -> tuple[TextVersionRecord, ...]:
    versions: list[TextVersionRecord] = []
    for block in root.iterchildren("TEXT_VERSION_LIST"):
        for doc in block.iterchildren("DOCUMENT"):
            t = _texts(doc)
            engrossment = (v.strip() or None) if (v := t.get("DOCUMENT_ENGROSSMENT")) else None
            if engrossment is not None and not (engrossment.isascii() and engrossment.isdigit()):
                raise _Unusual
            name = (v.strip() or None) if (v := t.get("DOCUMENT_NAME")) else None
            if name is None:
                raise _Unusual
            html = (v.strip() or None) if (v := t.get("HTML_URI")) else None
            html_url = _absolute(html, source_url=source_url)
            pdf = (v.strip() or None) if (v := t.get("PDF_URI")) else None
            pdf_url = _absolute(pdf, source_url=source_url)
            date_text = (v.strip() or None) if (v := t.get("DATE_INSERT")) else None
            date = parse_date(date_text, source_url=source_url)
            number = int(engrossment) if engrossment is not None else None
            versions.append(
                _direct(
                    TextVersionRecord,
                    {
                        "name": name,
                        "html_url": html_url,
                        "pdf_url": pdf_url,
                        "date": date,
                        "engrossment": number,
                    },
                )
            )
            json_parts.append(
                f'{{"date":{_json_date(date)},"engrossment":{_json_int(number)},'
                f'"html_url":{_json_str(html_url)},"name":{_str(name)},'
                f'"pdf_url":{_json_str(pdf_url)}}}'
            )
    return tuple(versions)


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
    fields = _Fields(root, source_url=source_url)
    _check_session(fields, session, source_url=source_url)
    bill_type = _bill_type(fields.required("FILE_TYPE"), source_url=source_url)
    number = _positive_int(fields.required("FILE_NUMBER"), "FILE_NUMBER", source_url=source_url)
    title = " ".join(fields.required("DESCRIPTION").split())
    companion_type, companion_number = _parse_companion(fields, source_url=source_url)
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])
    try:
        if not (_FAST_FIELDS and _leaf_records(root, content)):
            raise _Unusual
        actions = _fast_actions(root, parts[0], source_url=source_url)
        status = derive_status(bill_type, actions)
        revisor_number = fields.get("REVISOR_NUMBER")
        authors = _fast_authors(root, parts[1])
        versions = _fast_versions(root, parts[2], source_url=source_url)
        fast = True
    except (_Unusual, ParseError):
        actions = _parse_actions(root, source_url=source_url)
        status = derive_status(bill_type, actions)
        revisor_number = fields.get("REVISOR_NUMBER")
        authors = _parse_authors(root, source_url=source_url)
        versions = _parse_versions(root, source_url=source_url)
        fast = False
    bill = _direct(
        BillRecord,
        {
            "session": session,
            "bill_type": bill_type,
            "number": number,
            "title": title,
            "status": status,
            "source_url": source_url,
            "revisor_number": revisor_number,
            "companion_type": companion_type,
            "companion_number": companion_number,
            "authors": authors,
            "actions": actions,
            "versions": versions,
            "content_hash": "",
        },
    )
    if fast:
        canonical = (
            f'{{"actions":[{",".join(parts[0])}],"authors":[{",".join(parts[1])}],'
            f'"bill_type":{_str(bill_type)},"companion_number":{_json_int(companion_number)},'
            f'"companion_type":{_json_str(companion_type)},"number":{number},'
            f'"revisor_number":{_json_str(revisor_number)},"session":{_str(session)},'
            f'"source_url":{_str(source_url)},"status":{_str(status)},"title":{_str(title)},'
            f'"versions":[{",".join(parts[2])}]}}'
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    else:
        digest = content_hash(bill)
    # The record is not shared yet: set its hash in place (as a frozen dataclass's
    # __post_init__ would) rather than build it twice with dataclasses.replace.
    object.__setattr__(bill, "content_hash", digest)
    return bill
