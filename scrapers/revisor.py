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
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, cast
from urllib.parse import urlencode, urljoin

from lxml import etree

from scrapers import vocab
from scrapers.parsing import (
    ParseError,
    _revisor_datetime,
    local_name,
    parse_date,
    parse_xml,
    parse_xml_keeping_namespaces,
    record_fields,
)
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


def _exact_text(child: etree._Element) -> str | None:
    """A child's text as the parsers read it: its own text when it has no children,
    else all the text inside it.  (Where every child of many records is read, the
    leaf case is written out: ``c.text if len(c) == 0 else _exact_text(c)``.)"""
    # (itertext yields str; the lxml stubs say str | bytes)
    return child.text if len(child) == 0 else "".join(cast("Iterator[str]", child.itertext()))


def _repeated(pairs: Iterable[tuple[object, object]]) -> set[object]:
    """The tags that occur more than once in (tag, text) pairs."""
    seen: set[object] = set()
    dups: set[object] = set()
    for tag, _ in pairs:
        if tag in seen:
            dups.add(tag)
        seen.add(tag)
    return dups


def _several(name: object, tag: str, *, source_url: str) -> ParseError:
    return ParseError(f"<{name}> has several <{tag}> children", source_url=source_url)


def _lacks(name: object, tag: str, *, source_url: str) -> ParseError:
    return ParseError(f"<{name}> lacks a non-empty <{tag}>", source_url=source_url)


class _Fields:
    """The text children of one element, read in a single pass.

    ``get`` returns stripped text or None (missing or empty); a tag that occurs
    more than once raises ParseError when it is read.  When ``namespaced`` tags are
    matched by their local names.
    """

    __slots__ = ("_dups", "_el", "_map", "_url")

    def __init__(self, el: etree._Element, *, source_url: str, namespaced: bool = False) -> None:
        if namespaced:
            children = {local_name(child.tag): child for child in el}
        else:
            children = {child.tag: child for child in el}
        self._el = el
        self._map = children
        self._dups = set()
        if len(children) != len(el):  # some tag occurs more than once
            self._dups = _repeated((local_name(c.tag) if namespaced else c.tag, c) for c in el)
        self._url = source_url

    def get(self, tag: str) -> str | None:
        if self._dups and tag in self._dups:
            raise _several(local_name(self._el.tag), tag, source_url=self._url)
        child = self._map.get(tag)
        if child is None:
            return None
        text = child.text if len(child) == 0 else _exact_text(child)
        if text is None:
            return None
        return text.strip() or None

    def required(self, tag: str) -> str:
        text = self.get(tag)
        if text is None:
            raise _lacks(local_name(self._el.tag), tag, source_url=self._url)
        return text


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


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ,:;'\"-/&")


def _class_end(pattern: str, i: int) -> int:
    """The index of the ``]`` that closes the class opening at ``pattern[i]``."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":  # a "]" first is literal
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j


def _atoms(pattern: str) -> Iterator[tuple[str, str]]:
    """The top-level atoms of a regular expression, each with the quantifier after it
    ("" for none): a character, an escape, a class ``[...]`` or a group ``(...)``."""
    i, n = 0, len(pattern)
    while i < n:
        start = i
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] in "([":
            depth = 0
            while i < n:
                char = pattern[i]
                if char == "\\":
                    i += 1
                elif char == "[":
                    i = _class_end(pattern, i)
                    if depth == 0:
                        break
                elif char == "(":
                    depth += 1
                elif char == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            i += 1
        else:
            i += 1
        atom = pattern[start:i]
        quantifier = re.match(r"(?:[?*+]|\{[^}]*\})\??", pattern[i:])
        q = quantifier.group(0) if quantifier else ""
        i += len(q)
        yield atom, q


def _required_text(pattern: str) -> str:
    """A lower-case text that every text ``pattern`` matches at its start contains (in
    some case): the longest run of plain characters at the top level of the pattern that
    no quantifier makes optional; "" when there is none, or an alternative (``|``) at the
    top level.  It is read from the pattern so that it never goes out of step with it."""
    runs = [""]
    for atom, quantifier in _atoms(pattern):
        if atom == "|":
            return ""
        plain = len(atom) == 1 and atom.lower() in _PLAIN
        if plain and quantifier in ("", "+", "+?"):
            runs[-1] += atom.lower()
        if not plain or quantifier:
            runs.append("")
    return max(runs, key=len)


# For a text starting with an ASCII letter, only the rules that can match it, in
# order; any other text is tried against every rule (IGNORECASE also folds some
# non-ASCII letters onto ASCII ones, e.g. the Kelvin sign onto "k").  With each
# rule, a text every text it matches contains, lower-cased: an ASCII text without
# it is not tried against the rule (ASCII letters fold onto nothing but each other).
_Rule = tuple[re.Pattern[str], tuple[str, ...], str]
_RULES: tuple[_Rule, ...] = tuple(
    (pattern, classes, "" if pattern.flags & re.VERBOSE else _required_text(pattern.pattern))
    for pattern, classes in _ACTION_RULES
)
_RULES_BY_LETTER: dict[str, tuple[_Rule, ...]] = {
    letter: tuple(
        rule
        for rule in _RULES
        if (first := _first_letters(rule[0].pattern)) is None or letter in first
    )
    for letter in "abcdefghijklmnopqrstuvwxyz"
}


def _classify_text(text: str) -> tuple[str, ...]:
    """The classifications of a whitespace-collapsed action text (see classify_action)."""
    found: list[str] = []
    if text.isascii():
        low = text.lower()
        for pattern, classes, needed in _RULES_BY_LETTER.get(low[:1], _RULES):
            if needed in low and pattern.match(text):
                for name in classes:
                    if name not in found:
                        found.append(name)
    else:
        for pattern, classes, _ in _RULES:
            if pattern.match(text):
                for name in classes:
                    if name not in found:
                        found.append(name)
    return tuple(found)


_classify = functools.lru_cache(maxsize=8192)(_classify_text)


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
        block = blocks.get(action.chamber)
        if block is None:
            blocks[action.chamber] = [action]
        else:
            block.append(action)
    keyed: list[tuple[dt.date, int, int, ActionRecord]] = []
    for block_index, block in enumerate(blocks.values()):
        last = dt.date.min
        block.sort(key=_NUMBER)
        for action in block:
            if action.date is not None:
                last = action.date
            keyed.append((last, block_index, action.number, action))
    keyed.sort(key=_TIMELINE_KEY)
    return [item[3] for item in keyed]


_NUMBER = operator.attrgetter("number")
_TIMELINE_KEY = operator.itemgetter(0, 1, 2)  # date, block, number: never the record


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
    for action in _timeline(actions if isinstance(actions, (list, tuple)) else list(actions)):
        classes = action.classification
        if "executive-signature" in classes or "became-law" in classes:
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


@functools.lru_cache(maxsize=64)
def _session_years(session: str) -> tuple[int, frozenset[int]]:
    """The special session number and the years of an Open States session identifier."""
    m = _SESSION.fullmatch(session)
    if not m:
        raise ValueError(f"session must look like '2025-2026' or '2025s1', got {session!r}")
    special = int(m.group(3) or 0)
    first = int(m.group(1))
    return special, frozenset({first} if special else {first, int(m.group(2))})


def _check_session(fields: _Fields, session: str, *, source_url: str) -> None:
    """Cross-check SESSION_TYPE/SESSION_YEAR (when present) against ``session``."""
    special, years = _session_years(session)
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


# --- bill status records ---------------------------------------------------------------
#
# A record (ACTION, AUTHOR, DOCUMENT) is read as the (tag, text) pairs of its
# children, in one pass over them (each text as _Fields reads it), and checked and
# converted with the checks of _Fields, in the same order, so the same errors come
# first.  Its canonical JSON is written on the way: the text ``_CANONICAL.encode``
# gives it (keys sorted, no spaces, non-ASCII kept), so content_hash needs no second
# walk over the records (tests/scrapers/test_parser_pins.py compares the two).
#
# Action texts and dates repeat from bill to bill: what is made from each is kept
# by its raw text.

_R = TypeVar("_R")
_K = TypeVar("_K")
_V = TypeVar("_V")
_Made = tuple[_R, str]  # a record and its canonical JSON

_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses
_new = object.__new__
_set = object.__setattr__

# Emptied when full.  (benchmarks/bench_parsers.py empties them all for its "every
# text new" figures: keep _MEMOS complete.)
_MEMO_SIZE = 8192
_ACTION_TEXTS: dict[str, tuple[str, tuple[str, ...], str, str]] = {}
_DATES_JSON: dict[str, tuple[dt.date | None, str]] = {}
_MEMOS: tuple[dict[Any, Any], ...] = (_ACTION_TEXTS, _DATES_JSON)


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def _getter(
    name: str, el: etree._Element, *, namespaced: bool, source_url: str
) -> Callable[[str], str | None]:
    """``get(tag)``: the raw text of a record's child, as _Fields reads it (None when
    missing).  Reading a tag that occurs more than once raises, as _Fields does."""
    if namespaced:
        fields = {local_name(c.tag): c.text if len(c) == 0 else _exact_text(c) for c in el}
    else:
        fields = {c.tag: c.text if len(c) == 0 else _exact_text(c) for c in el}
    if len(fields) == len(el):
        return fields.get
    dups = _repeated((local_name(c.tag) if namespaced else c.tag, c) for c in el)

    def get(tag: str) -> str | None:
        if tag in dups:
            raise _several(name, tag, source_url=source_url)
        return fields.get(tag)

    return get


def _action_text(raw: str | None, *, source_url: str) -> tuple[str, tuple[str, ...], str, str]:
    """(text, classification, JSON of the classification, JSON of the text) of an
    ACTION_TEXT as read (whitespace collapsed; empty raises)."""
    if not raw or not (text := " ".join(raw.split())):
        raise _lacks("ACTION", "ACTION_TEXT", source_url=source_url)
    classification = _classify_text(text)  # (this memo is its cache)
    classes = f"[{','.join(map(_str, classification))}]"
    return _remember(_ACTION_TEXTS, raw, (text, classification, classes, _str(text)))


def _date_json(raw: str | None, *, source_url: str) -> tuple[dt.date | None, str]:
    """(date, its JSON) of a date as read (empty -> None)."""
    if not raw:
        return None, "null"
    found = _DATES_JSON.get(raw)
    if found is not None:
        return found
    date = _revisor_datetime(raw)  # parse_date's shorter road, taken first here
    if date is None:
        date = parse_date(raw, source_url=source_url)
    entry = (date, "null" if date is None else f'"{date.isoformat()}"')
    return _remember(_DATES_JSON, raw, entry)


def _read_actions(
    root: etree._Element, *, namespaced: bool, source_url: str
) -> list[_Made[ActionRecord]]:
    """Every ACTION, each chamber block's in ACTION_NUMBER order (stable)."""
    made: list[_Made[ActionRecord]] = []
    chambers: set[str] = set()
    repeated = False  # some ACTION_NUMBER may occur twice in a chamber
    for block in root.iterchildren("{*}ACTIONS"):
        for chamber_el in block:
            chamber = _chamber(local_name(chamber_el.tag), source_url=source_url)
            actions, repeats = _chamber_actions(
                chamber_el, chamber, namespaced=namespaced, source_url=source_url
            )
            made += actions
            repeated = repeated or repeats or chamber in chambers
            chambers.add(chamber)
    if repeated:
        _check_unique([m[0] for m in made], source_url=source_url)
    return made


def _chamber_actions(
    chamber_el: etree._Element, chamber: str, *, namespaced: bool, source_url: str
) -> tuple[list[_Made[ActionRecord]], bool]:
    """The actions of one chamber block in ACTION_NUMBER order (stable), and whether
    a number repeats."""
    texts = _ACTION_TEXTS.get
    dates = _DATES_JSON.get
    made: list[_Made[ActionRecord]] = []
    for el in chamber_el.iterchildren("{*}ACTION"):
        get = _getter("ACTION", el, namespaced=namespaced, source_url=source_url)
        v = get("ACTION_NUMBER")
        v = v.strip() if v else None
        if not v:
            raise _lacks("ACTION", "ACTION_NUMBER", source_url=source_url)
        number = int(v) if v.isascii() and v.isdigit() else 0
        if number < 1:
            _positive_int(v, "ACTION_NUMBER", source_url=source_url)  # raises
        v = get("ACTION_TEXT")
        text, classification, classes, text_json = (v and texts(v)) or _action_text(
            v, source_url=source_url
        )
        v = get("ROLL_CALL")
        roll_call = (v.strip() or None) if v else None
        yeas = nays = None
        if roll_call is not None:
            tally = _ROLL_CALL.match(roll_call)
            if not tally:
                raise ParseError(
                    f"malformed ROLL_CALL {roll_call!r} on {chamber} action {number}",
                    source_url=source_url,
                )
            yeas, nays = int(tally.group(1)), int(tally.group(2))
        v = get("ACTION_DATE")
        date, date_json = (v and dates(v)) or _date_json(v, source_url=source_url)
        v = get("ACTION_DESCRIPTION")
        description = (v.strip() or None) if v else None
        v = get("JOURNAL_PAGE")
        page = (v.strip() or None) if v else None
        v = get("COMMITTEE_NAME")
        committee = (v.strip() or None) if v else None
        action = _new(ActionRecord)
        _set(action, "__dict__", {
            "chamber": chamber, "number": number, "date": date, "text": text,
            "description": description, "journal_page": page, "committee": committee,
            "roll_call": roll_call, "yeas": yeas, "nays": nays,
            "classification": classification,
        })  # fmt: skip
        made.append((action, (
            f'{{"chamber":{_str(chamber)},"classification":{classes},'
            f'"committee":{"null" if committee is None else _str(committee)},'
            f'"date":{date_json},'
            f'"description":{"null" if description is None else _str(description)},'
            f'"journal_page":{"null" if page is None else _str(page)},'
            f'"nays":{"null" if nays is None else nays},"number":{number},'
            f'"roll_call":{"null" if roll_call is None else _str(roll_call)},'
            f'"text":{text_json},"yeas":{"null" if yeas is None else yeas}}}'
        )))  # fmt: skip
    numbers = [m[0].number for m in made]
    if numbers != sorted(numbers):
        made.sort(key=_made_number)
    return made, len(set(numbers)) != len(numbers)


def _made_number(made: _Made[ActionRecord]) -> int:
    return made[0].number


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


def _read_authors(
    root: etree._Element, *, namespaced: bool, source_url: str
) -> list[_Made[AuthorRecord]]:
    made: list[_Made[AuthorRecord]] = []
    for block in root.iterchildren("{*}AUTHORS"):
        for chamber_el in block:
            chamber = _chamber(local_name(chamber_el.tag), source_url=source_url)
            made += _chamber_authors(
                chamber_el, chamber, namespaced=namespaced, source_url=source_url
            )
    return made


def _chamber_authors(
    chamber_el: etree._Element, chamber: str, *, namespaced: bool, source_url: str
) -> list[_Made[AuthorRecord]]:
    """The authors of one chamber block."""
    made: list[_Made[AuthorRecord]] = []
    for position, el in enumerate(chamber_el.iterchildren("{*}AUTHOR"), start=1):
        get = _getter("AUTHOR", el, namespaced=namespaced, source_url=source_url)
        v = get("MEMBER_NAME")
        name = (v.strip() or None) if v else None
        if name is None:
            raise _lacks("AUTHOR", "MEMBER_NAME", source_url=source_url)
        v = get("LEGISLATOR_KEY")
        member_id = (v.strip() or None) if v else None
        author = _new(AuthorRecord)
        _set(author, "__dict__", {
            "chamber": chamber, "printed_name": name, "member_id": member_id,
            "chief": position == 1, "position": position,
        })  # fmt: skip
        made.append((author, (
            f'{{"chamber":{_str(chamber)},"chief":{"true" if position == 1 else "false"},'
            f'"member_id":{"null" if member_id is None else _str(member_id)},'
            f'"position":{position},"printed_name":{_str(name)}}}'
        )))  # fmt: skip
    return made


def _read_versions(
    root: etree._Element, *, namespaced: bool, source_url: str
) -> list[_Made[TextVersionRecord]]:
    made: list[_Made[TextVersionRecord]] = []
    for block in root.iterchildren("{*}TEXT_VERSION_LIST"):
        made += _versions(block, namespaced=namespaced, source_url=source_url)
    return made


def _versions(
    block: etree._Element, *, namespaced: bool, source_url: str
) -> list[_Made[TextVersionRecord]]:
    """The text versions of one TEXT_VERSION_LIST (relative URIs resolved against
    the source URL)."""
    made: list[_Made[TextVersionRecord]] = []
    for el in block.iterchildren("{*}DOCUMENT"):
        get = _getter("DOCUMENT", el, namespaced=namespaced, source_url=source_url)
        v = get("DOCUMENT_ENGROSSMENT")
        engrossment = (v.strip() or None) if v else None
        if engrossment is not None and not (engrossment.isascii() and engrossment.isdigit()):
            raise ParseError(f"bad DOCUMENT_ENGROSSMENT {engrossment!r}", source_url=source_url)
        v = get("DOCUMENT_NAME")
        name = (v.strip() or None) if v else None
        if name is None:
            raise _lacks("DOCUMENT", "DOCUMENT_NAME", source_url=source_url)
        html_url = _absolute(get("HTML_URI"), source_url=source_url)
        pdf_url = _absolute(get("PDF_URI"), source_url=source_url)
        date, date_json = _date_json(get("DATE_INSERT"), source_url=source_url)
        number = int(engrossment) if engrossment is not None else None
        version = _new(TextVersionRecord)
        _set(version, "__dict__", {
            "name": name, "html_url": html_url, "pdf_url": pdf_url, "date": date,
            "engrossment": number,
        })  # fmt: skip
        made.append((version, (
            f'{{"date":{date_json},"engrossment":{"null" if number is None else number},'
            f'"html_url":{"null" if html_url is None else _str(html_url)},'
            f'"name":{_str(name)},"pdf_url":{"null" if pdf_url is None else _str(pdf_url)}}}'
        )))  # fmt: skip
    return made


def _split(made: list[_Made[_R]]) -> tuple[tuple[_R, ...], Sequence[str]]:
    """The records, and their canonical JSON texts."""
    if not made:
        return (), ()
    records, texts = zip(*made, strict=True)
    return records, texts


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


# The records are filled, and their JSON written, for exactly these fields.
_RECORD_FIELDS = {
    AuthorRecord: frozenset({"chamber", "chief", "member_id", "position", "printed_name"}),
    ActionRecord: frozenset({
        "chamber", "classification", "committee", "date", "description", "journal_page",
        "nays", "number", "roll_call", "text", "yeas",
    }),
    TextVersionRecord: frozenset({"date", "engrossment", "html_url", "name", "pdf_url"}),
    BillRecord: frozenset({
        "actions", "authors", "bill_type", "companion_number", "companion_type",
        "content_hash", "number", "revisor_number", "session", "source_url", "status",
        "title", "versions",
    }),
}  # fmt: skip
if any(record_fields(cls) != names for cls, names in _RECORD_FIELDS.items()):
    raise RuntimeError("scrapers.revisor: the record types changed; update the bill status reading")


def parse_bill_status_xml(content: bytes | str, *, source_url: str, session: str) -> BillRecord:
    """Parse a Revisor bill status XML document (root ``BILL``) into a BillRecord.

    ``session`` is the Open States identifier the bill belongs to (``2025-2026``
    or ``2025s1``); when the document carries SESSION_TYPE/SESSION_YEAR they must
    agree with it.  Authors and actions are grouped per chamber (tags matched
    case-insensitively), actions ordered by ACTION_NUMBER within each chamber.
    ``status`` comes from :func:`derive_status` and ``content_hash`` from
    :func:`content_hash`.
    """
    root, namespaced = parse_xml_keeping_namespaces(content, source_url=source_url)
    if (root_tag := local_name(root.tag)) != "BILL":
        raise ParseError(f"expected root <BILL>, found <{root_tag}>", source_url=source_url)
    fields = _Fields(root, source_url=source_url, namespaced=namespaced)
    _check_session(fields, session, source_url=source_url)
    bill_type = _bill_type(fields.required("FILE_TYPE"), source_url=source_url)
    number = _positive_int(fields.required("FILE_NUMBER"), "FILE_NUMBER", source_url=source_url)
    title = " ".join(fields.required("DESCRIPTION").split())
    companion_type, companion_number = _parse_companion(fields, source_url=source_url)
    actions, actions_json = _split(
        _read_actions(root, namespaced=namespaced, source_url=source_url)
    )
    status = derive_status(bill_type, actions)
    revisor_number = fields.get("REVISOR_NUMBER")
    authors, authors_json = _split(
        _read_authors(root, namespaced=namespaced, source_url=source_url)
    )
    versions, versions_json = _split(
        _read_versions(root, namespaced=namespaced, source_url=source_url)
    )
    canonical = (  # content_hash's JSON of the record
        f'{{"actions":[{",".join(actions_json)}],"authors":[{",".join(authors_json)}],'
        f'"bill_type":{_str(bill_type)},'
        f'"companion_number":{"null" if companion_number is None else companion_number},'
        f'"companion_type":{"null" if companion_type is None else _str(companion_type)},'
        f'"number":{number},'
        f'"revisor_number":{"null" if revisor_number is None else _str(revisor_number)},'
        f'"session":{_str(session)},"source_url":{_str(source_url)},"status":{_str(status)},'
        f'"title":{_str(title)},"versions":[{",".join(versions_json)}]}}'
    )
    bill = _new(BillRecord)
    _set(bill, "__dict__", {
        "session": session, "bill_type": bill_type, "number": number, "title": title,
        "status": status, "source_url": source_url, "revisor_number": revisor_number,
        "companion_type": companion_type, "companion_number": companion_number,
        "authors": authors, "actions": actions, "versions": versions,
        "content_hash": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    })  # fmt: skip
    return bill
