"""Attendance in the House Journal (mn-sources.md sections 3.1 item 4, 5 and 11.1).

* :func:`journal_page_request`: URL and JSON body of ``POST /Votes/GetPage``,
  which redirects to the House Journal HTML page holding a journal page
  (``/cco/journals/2025-26/J{MMDD}{day:03d}.htm``);
* :func:`parse_excused`: the day's roll and what it says about attendance.

Each journal day opens with "The roll was called and the following members
were present:" and the printed names of the members present (one per line,
paragraph, ``<br>`` or table cell; older pages print columns in preformatted
text), the presiding officer last as printed (``Spk. Hortman``,
``Sp.Anderson,I``).  Page furniture inside the roll (running heads, page
numbers) is skipped; a remote-voting mark after a name (``Bahner (remote
voting)``) is dropped and the member is present.  Then "A quorum was present."
and sentences such as
"Lindqvist and Okonkwo were excused.", "Castellanos, Johanssen, P., and
Okonkwo were excused.", "Haugland, K. M.; Lindqvist and Okonkwo were excused."
(semicolons when a name carries initials), "Halvorsen was excused for the
day." (or "for today", or "by the Speaker"), "Okonkwo was excused until 1:10
p.m." or "All members not present were excused by the Speaker."  Only
whole-day excusals are ``excused``; "until" excusals are ``excused_until``
(those members are not on the roll); every part-day excusal ("until ...",
"for the remainder of today's session", "between ...") is also in
``partly_excused``.  Sentences and lists broken across lines, ``<br>`` or
paragraphs are joined (after a comma, a semicolon, "and", or a name ending in
initials).  Excusals are read only in the attendance part of the day, which
ends at the first heading or item of business (the reading of the Journal, a
motion, a roll call, a bill): bill text later on the page is never read.  The
first day of a session prints instead the roll of the members-elect by
district ("1A......... Full Name"), returned as ``districts``.  The formats
are those of mn-sources.md sections 5 and 11.1 (2011-2025) and of the older
pages imitated in ``tests/fixtures/mn/reconstructed/journals/``.

On complete days the roll names every seated member once:
:attr:`JournalAttendance.total` (``present`` + ``excused`` +
``excused_until``) is then the number of seats, 134, or 133 with a vacancy.
The parser does not check it (vacancies and partial days exist); callers
compare it with the seats they expect and flag a difference.

Strict: a page without a roll, an empty roll, a roll line that is neither
printed names nor the end of the roll, a line inside the roll followed by more
names, two names run together on one line of a one-column roll (see
:func:`_check_run_together`), in the attendance part an excusal sentence whose
subject is not a list of printed names or whose span is not documented, or a
list of names that belongs to no sentence, raises :class:`ParseError`.
Nothing is guessed.

Pure functions over bytes: no network, no database.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from scrapers.parsing import ParseError

__all__ = [
    "JournalAttendance",
    "is_name_row",
    "is_printed_name",
    "is_prose",
    "journal_page_request",
    "parse_excused",
    "split_columns",
    "split_name_list",
]

_BREAK = "\u2029"  # marks block boundaries while the text is flattened
_LINE = "\u2028"  # marks line breaks inside a block (<br>, newlines in <pre>)
_BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "table",
    "thead",
    "tbody",
    "caption",
    "center",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "address",
    "title",
)
_BLOCK_SET = frozenset(_BLOCK_TAGS)
_SKIP_TAGS = frozenset({"script", "style", "noscript"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Collapsible HTML whitespace: everything but the no-break space, which keeps
# column gaps printed with &nbsp;.
_HTML_WS = re.compile(r"[ \t\n\r\f\v]+")
_WS = re.compile(r"\s+")
_WIDE_GAP = re.compile(r"\s{2,}")

_PRESENT = re.compile(
    r"the\s+roll\s+was\s+called,?\s+and\s+the\s+following\s+members\s+were\s+present\s*:?", re.I
)
_DISTRICT_HEAD = re.compile(
    r"called\s+the\s+roll\s+by\s+legislative\s+districts?\s+in\s+numerical\s+order,?\s+and\s+"
    r"the\s+following\s+members-elect\s+presented\s+proof\s+of\s+their\s+eligibility[^:]{0,300}:",
    re.I,
)
_QUORUM = re.compile(r"^a\s+quorum\s+was\s+(not\s+)?present\b", re.I)
_ALL_ABSENT = re.compile(r"\ball\s+members\s+not\s+present\s+were\s+excused\b", re.I)
_EXCUSED = re.compile(r"^(?P<who>.+?),?\s+(?:was|were)\s+excused\b\s*(?P<tail>.*?)\.?$", re.S)
_EXCUSED_WORD = re.compile(r"\bexcused\b", re.I)
_BY_SPEAKER = re.compile(r"^by\s+the\s+speaker\b\s*", re.I)
_WHOLE_DAY_TAILS = ("", "for the day", "for today")
_UNTIL = re.compile(r"^until\b", re.I)
_PART_DAY = re.compile(r"^(?:until|between|for\s+the\s+remainder\s+of)\b", re.I)
# What ends the attendance part of the day: a heading (capitals), or the next item of
# business: the reading of the Journal, a motion, a roll call, a bill's title.
_BUSINESS = re.compile(
    r"^(?:the\s+chief\s+clerk\s+proceeded\s+to\s+read\b|the\s+roll\s+was\s+called\b"
    r"|a\s+bill\s+for\s+an\s+act\b|(?:[^\W\d_][\w'’.\-]*,?\s+){1,4}moved\b)",
    re.I,
)
# A remote-voting mark printed after a name in the roll (House Rule 10.05): the member
# is present; the name is kept without the mark.
_REMOTE_MARK = re.compile(
    r"(?<=[^\s(])\s*\(\s*(?:remote(?:\s+voting)?|voting\s+remotely)\s*\)", re.I
)
_ELIGIBLE = re.compile(r"^\d+\s+eligible\s+persons\s+answered\b", re.I)
_FURNITURE = (
    re.compile(r"^journal\s+of\s+the\s+house\b.*\btop\s+of\s+page\s+\d+[a-z]?$", re.I),
    re.compile(r"^journal\s+of\s+the\s+house\s*\[\s*\d+(?:st|nd|rd|th)\s+day\b.*\]$", re.I),
    # the printed journal's running heads: "4322 JOURNAL OF THE HOUSE [53RD DAY" (left
    # pages) and "53RD DAY] MONDAY, MAY 6, 2019 4321" (right pages)
    re.compile(
        r"^\d+[a-z]?\s+journal\s+of\s+the\s+house\s*\[\s*\d+(?:st|nd|rd|th)\s+day\]?$", re.I
    ),
    re.compile(
        r"^\d+(?:st|nd|rd|th)\s+day\s*\]\s*[a-z]+day,\s+[a-z]+\s+\d{1,2},\s+\d{4}\s+\d+[a-z]?$",
        re.I,
    ),
    re.compile(r"^\d+[a-z]?$"),  # a bare page number (``3477a``); never a district (``2B``)
    re.compile(r"^this\s+journal\s+as\s+a\s+pdf\s+document$", re.I),
)
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DATE = re.compile(
    r"saint\s+paul,\s+minnesota,\s+(?:[a-z]+day,\s+)?(?P<month>"
    + "|".join(_MONTHS)
    + r")\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})",
    re.I,
)
_INITIALS = re.compile(r"^(?:[^\W\d_]\.\s*)+$")
# One printed name: an optional presiding-officer prefix (``Spk.``, ``Sp.``), a
# surname of one to three words (letters joined by apostrophes or hyphens), and
# optional initials after a comma (``Anderson, P. E.``, ``Ward, J.A.``, ``,I``).
# Every piece is a run of distinct character classes, so matching is linear.
_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
_PRINTED_NAME = re.compile(
    rf"^(?:Spk?\.\s?)?(?P<surname>{_WORD}(?: {_WORD}){{0,2}})"
    r"(?:,\s?(?P<initials>(?:[^\W\d_]\.\s?)*[^\W\d_]\.?))?$"
)
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "la", "le", "du", "da", "di"})
# Districts on the first day: ``1A.......``, ``7B ......``, ``District 1A .``,
# ``District 1AMaxine`` (no dots after "District").
_DISTRICT = re.compile(
    r"(?:\bDistrict\s*(?P<d1>\d{1,2}[AB])\s*\.*|(?<![\w.])(?P<d2>\d{1,2}[AB])\s*\.+)\s*"
)
_DISTRICT_START = re.compile(r"^(?:District\s*\d{1,2}[AB]|\d{1,2}[AB]\s*\.|\.{2,})")
_FULL_NAME_WORD = re.compile(r"^[\"“(]?[^\W\d_](?:[^\W\d_]|['’\-])*\.?[\"”)]?,?$")
_ABBREVIATIONS = frozenset(
    {"jr", "sr", "st", "dr", "mr", "mrs", "ms", "no", "nos", "rev", "spk", "sp", "sen", "rep"}
)
_TERMINAL = re.compile(r"[.!?:]$")
_AND_END = re.compile(r"(?:^|\s)and$")
_INITIALS_END = re.compile(r",\s?(?:[^\W\d_]\.\s?)+$")  # "Hansen, R." ends a name, not a sentence
# First words of a surname that are particles (``Van Engen``, ``Ten Broekhuis``): such a
# surname is never two names run together.
_LEADING_PARTICLES = _PARTICLES | {"ten", "ter", "st", "st."}


@dataclass(frozen=True)
class JournalAttendance:
    """What one House Journal day says about attendance.

    On complete days ``present`` + ``excused`` + ``excused_until`` name every
    seated member.  ``partly_excused`` is the union of every part-day excusal
    ("until ...", "for the remainder of today's session", "between ..."),
    never a whole-day one.  On a session's first day the roll is by district:
    ``districts`` holds (district, full name) pairs as printed and ``present``
    is empty; ``vacant_districts`` are districts printed without a name.
    """

    date: dt.date | None
    excused: tuple[str, ...]  # printed names excused for the day, in journal order
    source_url: str
    partly_excused: tuple[str, ...] = ()  # excused only for part of the day: not used
    present: tuple[str, ...] = ()  # the roll as printed, reading order, presiding officer kept
    excused_until: tuple[str, ...] = ()  # "excused until <time>": absent from the roll
    all_absent_excused: bool = False  # "All members not present were excused ..."
    quorum_present: bool | None = None  # "A quorum was (not) present."; None when not printed
    districts: tuple[tuple[str, str], ...] = ()  # first day: ("1A", "Full Name"), in order
    vacant_districts: tuple[str, ...] = ()  # first day: districts printed with no name

    @property
    def total(self) -> int:
        """How many members the day's roll names: ``present`` + ``excused`` +
        ``excused_until`` (on a session's first day, the members-elect in
        ``districts``).  On complete days this is the number of seats, 134 (133
        with a vacancy); the parser does not check it (vacancies and partial days
        exist): callers compare it with the seats they expect."""
        if self.districts:
            return len(self.districts)
        return len(self.present) + len(self.excused) + len(self.excused_until)


def journal_page_request(
    house_base: str, session_key: str | int, page: str | int
) -> tuple[str, dict[str, str | int]]:
    """URL and JSON body of ``POST /Votes/GetPage`` for one journal page.

    ``{"PageNumber": "643", "SessionKey": 302}``: the page as printed (a string,
    letters kept), the session key as a number when it is one.
    """
    key = str(session_key).strip()
    return (
        f"{house_base.rstrip('/')}/Votes/GetPage",
        {"PageNumber": str(page).strip(), "SessionKey": int(key) if key.isdigit() else key},
    )


# --- names and columns (also used by scrapers.senate_journal) ----------------------------


def is_printed_name(text: str) -> bool:
    """Whether ``text`` is one printed member name as the journals print it.

    ``Acomb``, ``Pérez-Vega``, ``O'Driscoll``, ``Van Binsbergen``,
    ``Anderson, P. E.``, ``Ward, J.A.``, ``Spk. Hortman``, ``Sp.Anderson,I``:
    one to three capitalised words (lowercase particles such as ``van`` after
    the first), at most two of them not particles (``Neu Brindley``,
    ``López Franzen``), at least one lowercase letter (headings are all
    capitals), and optional capital initials after a comma.
    """
    match = _PRINTED_NAME.match(text)
    if not match:
        return False
    words = match["surname"].split(" ")
    if not words[0][0].isupper():
        return False
    if any(not w[0].isupper() and w.lower() not in _PARTICLES for w in words[1:]):
        return False
    if sum(w.lower() not in _LEADING_PARTICLES for w in words) > 2:
        return False  # "Aurdal Bygland Dovre": no surname has three such words
    if not any(c.islower() for c in match["surname"]):
        return False
    initials = match["initials"]
    return initials is None or all(c.isupper() for c in initials if c.isalpha())


def split_columns(lines: Sequence[str]) -> list[list[str]]:
    """The non-empty cells of text rows laid out in columns, row by row.

    A column starts at a character position where every row has a space (or
    has ended) just before it and at least one row has two spaces (or the row
    start) before a printed character: in fixed-width columns a 12-character
    name followed by one space still ends its column (``Koppendrayer Rest``)
    while a two-word surname inside a column stays whole (``Van Engen``).
    Within a column, runs of two or more spaces also separate cells (rows whose
    columns do not line up).  Single spaces elsewhere are kept.
    """
    rows = [line.replace("\xa0", " ").rstrip() for line in lines]
    width = max((len(r) for r in rows), default=0)
    bounds = [0]
    for pos in range(1, width):
        strong = False
        for row in rows:
            if pos > len(row):
                continue
            if row[pos - 1] != " ":
                break
            if pos < len(row) and row[pos] != " " and (pos == 1 or row[pos - 2] == " "):
                strong = True
        else:
            if strong:
                bounds.append(pos)
    cells: list[list[str]] = []
    for row in rows:
        found: list[str] = []
        for start, end in zip(bounds, [*bounds[1:], len(row) + 1], strict=True):
            for cell in _WIDE_GAP.split(row[start:end]):
                if cell.strip():
                    found.append(cell.strip())
        cells.append(found)
    return cells


def is_name_row(raw: str) -> bool:
    """Whether the line ``raw`` holds printed names only (one, or several in columns)."""
    cells = split_columns([raw])[0]
    return bool(cells) and all(is_printed_name(c) for c in cells)


def split_name_list(who: str, *, sentence: str, source_url: str) -> list[str]:
    """Printed names from a list in a sentence, in order.

    ``"Castellanos, Johanssen, P., and Okonkwo"`` (commas; initials after a
    comma stay with their surname) or ``"Hansen, R.; Bahner; Frazier and
    Noor"`` (semicolons, used when a name carries initials).  Anything that is
    not a printed name raises :class:`ParseError` naming ``sentence``.
    """
    who = " ".join(who.split())
    if ";" in who:
        parts: list[str] = []
        for chunk in who.split(";"):
            parts.extend(re.split(r"\s+and\s+|^and\s+", chunk.strip()))
        names = [p.strip() for p in parts if p.strip()]
        for name in names:
            if not is_printed_name(name):
                raise ParseError(
                    f"cannot read the names in {sentence!r}: {name!r} is not a printed name",
                    source_url=source_url,
                )
        if not names:
            raise ParseError(f"no names in {sentence!r}", source_url=source_url)
        return names
    names = []
    for raw in re.split(r",|\s+and\s+|^and\s+", who):
        part = re.sub(r"^and\s+", "", raw.strip()).strip()
        if not part:
            continue
        if _INITIALS.match(part):
            if not names or "," in names[-1]:
                raise ParseError(
                    f"initials {part!r} follow no surname in {sentence!r}", source_url=source_url
                )
            names[-1] = f"{names[-1]}, {' '.join(part.split())}"
        elif is_printed_name(part):
            names.append(part)
        else:
            raise ParseError(
                f"cannot read the names in {sentence!r}: {part!r} is not a printed name",
                source_url=source_url,
            )
    if not names:
        raise ParseError(f"no names in {sentence!r}", source_url=source_url)
    return names


def is_prose(text: str) -> bool:
    """Running text (a sentence or part of one), not a list of names.

    An ordinary lowercase word among three or more words, or among two when
    the line ends a sentence ("A quorum was present.", "Hayden and Laine were
    excused."); or a heading in capitals ("ADJOURNMENT").  ``Smith (absent)``
    is neither prose nor a name.
    """
    words = [w.strip(',.;:()"“”') for w in text.split()]
    lower = any(w and w[0].islower() and w.isalpha() and w.lower() not in _PARTICLES for w in words)
    if lower and (len(words) >= 3 or (len(words) == 2 and _TERMINAL.search(text))):
        return True
    return _is_heading(text)


def _is_heading(text: str) -> bool:
    """A heading in capitals ("ADJOURNMENT", "CALENDAR FOR THE DAY")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters) and not _INITIALS.match(text)


# --- flattening ----------------------------------------------------------------------------


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Older journal pages are Windows-1252; every byte decodes, accents kept.
        return content.decode("cp1252", errors="replace")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _pre(text: str) -> str:
    # Inside <pre>, spaces and newlines are content: keep them through the
    # whitespace collapsing of the rest of the page.
    return text.replace("\r\n", "\n").replace(" ", "\xa0").replace("\t", "\xa0")


class _Text:
    """The page as lines: ``raw`` keeps inner spacing (``<pre>`` and ``&nbsp;``
    columns), ``flat`` is whitespace-collapsed, ``block`` numbers the HTML block
    each line came from (lines split by ``<br>`` or ``<pre>`` newlines share it);
    ``joined`` is ``flat`` joined by spaces, ``offsets`` where each line starts in it."""

    __slots__ = ("block", "flat", "joined", "offsets", "raw")

    def __init__(self) -> None:
        self.raw: list[str] = []
        self.flat: list[str] = []
        self.block: list[int] = []
        self.offsets: list[int] = []
        self.joined = ""


class _Collector:
    """lxml parser target: the page's text with block and line-break markers, in
    one pass over the parse events (no tree is built)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip = 0  # inside <script>/<style>/<noscript>
        self.pre = 0  # inside <pre>

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        name = tag if isinstance(tag, str) else tag.decode()
        if name in _SKIP_TAGS:
            self.skip += 1
        elif name == "br":
            self.parts.append(_LINE)
        elif name in _BLOCK_SET:
            self.parts.append(_BREAK)
            self.pre += name == "pre"

    def end(self, tag: str | bytes) -> None:
        name = tag if isinstance(tag, str) else tag.decode()
        if name in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif name in _BLOCK_SET:
            self.parts.append(_BREAK)
            self.pre = max(0, self.pre - (name == "pre"))

    def data(self, data: str | bytes) -> None:
        if not self.skip:
            text = data if isinstance(data, str) else data.decode()
            self.parts.append(_pre(text).replace("\n", _LINE) if self.pre else text)

    def comment(self, text: str | bytes) -> None:
        pass

    def close(self) -> str:
        return "".join(self.parts)


def _text(content: bytes | str, source_url: str) -> _Text:
    """One lxml parse (events to :class:`_Collector`), then a linear pass over
    the text split at the block and line markers."""
    source = _XML_DECL.sub("", _decode(content), count=1)
    if not source.strip():
        raise ParseError("empty body", source_url=source_url)
    parser = etree.HTMLParser(target=_Collector(), no_network=True)
    try:
        collected = etree.fromstring(source, parser)  # a text target: no tree, no entities
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"malformed HTML: {exc}", source_url=source_url) from exc
    text = _HTML_WS.sub(" ", str(collected))
    out = _Text()
    cursor = 0
    for number, block in enumerate(text.split(_BREAK)):
        if block.isspace() or not block:
            continue
        for line in block.split(_LINE):
            raw = line.replace("\xa0", " ").rstrip()
            flat = _collapse(raw) if raw else ""
            if flat:
                out.raw.append(raw)
                out.flat.append(flat)
                out.block.append(number)
                out.offsets.append(cursor)
                cursor += len(flat) + 1
    out.joined = " ".join(out.flat)
    return out


def _is_furniture(flat: str) -> bool:
    if not (flat[:1].isdigit() or flat[:4].lower() in ("jour", "this")):
        return False
    return any(p.match(flat) for p in _FURNITURE)


def _find(pattern: re.Pattern[str], text: _Text) -> tuple[int, str] | None:
    """The line where ``pattern`` (searched across line breaks) ends, and what
    follows the match on that line."""
    match = pattern.search(text.joined)
    if not match:
        return None
    index = bisect.bisect_right(text.offsets, match.end() - 1) - 1
    return index, text.flat[index][match.end() - text.offsets[index] :].strip()


def _date(lines: list[str]) -> dt.date | None:
    match = _DATE.search(" ".join(lines[:400]))
    if not match:
        return None
    try:
        return dt.date(
            int(match["year"]), _MONTHS.index(match["month"].lower()) + 1, int(match["day"])
        )
    except ValueError:
        return None


# --- the roll ------------------------------------------------------------------------------


def _read_roll(text: _Text, index: int, rest: str, source_url: str) -> tuple[list[str], int]:
    """The printed names after the heading on line ``index`` (``rest`` is what
    follows the heading on that line) and the index of the line ending the roll.

    Page furniture inside the roll is skipped and remote-voting marks after a name
    are dropped.  The roll ends at "A quorum was (not) present." or at the first line
    of running text; running text followed by more printed names (a line inside the
    roll that is not a name) raises :class:`ParseError`, as does any cell that is not
    a printed name."""
    groups: list[list[str]] = [[_unmark(rest)]] if rest else []
    group_block, group_gap = -1, False
    end = index + 1
    while end < len(text.flat):  # the end of the page ends the roll too
        if _is_furniture(text.flat[end]):
            end += 1
            continue
        raw = _unmark(text.raw[end])
        flat = _collapse(raw)
        if _QUORUM.match(flat):
            break
        if is_prose(flat) and not is_name_row(raw):
            after = next(
                (i for i in range(end + 1, len(text.flat)) if not _is_furniture(text.flat[i])), None
            )
            if after is not None and is_name_row(_unmark(text.raw[after])):
                raise ParseError(
                    f"unexpected line inside the attendance roll: {flat!r} is followed by "
                    f"more names ({text.flat[after]!r})",
                    source_url=source_url,
                )
            break
        # Lines of one block form a group, and so do consecutive rows with column
        # gaps (a grid printed one row per paragraph): columns are found per group.
        gap = bool(_WIDE_GAP.search(raw.strip()))
        if not groups or (text.block[end] != group_block and not (gap or group_gap)):
            groups.append([])
        groups[-1].append(raw)
        group_block, group_gap = text.block[end], gap
        end += 1
    names: list[str] = []
    alone: list[bool] = []  # the name is the only one on its line (a one-column roll)
    for group in groups:
        for row, cells in zip(group, split_columns(group), strict=True):
            for cell in cells:
                if not is_printed_name(cell):
                    raise ParseError(
                        f"cannot read the attendance roll: {cell!r} (in {_collapse(row)!r}) "
                        "is not a printed name",
                        source_url=source_url,
                    )
                names.append(cell)
                alone.append(len(cells) == 1)
    if not names:
        raise ParseError("the attendance roll is empty", source_url=source_url)
    _check_run_together(names, alone, source_url)
    return names, end


def _unmark(raw: str) -> str:
    """``raw`` without remote-voting marks after names, blanked so that the columns of
    preformatted rows stay where they are."""
    if "(" not in raw:
        return raw
    return _REMOTE_MARK.sub(lambda m: " " * len(m.group()), raw)


def _sort_key(name: str) -> str:
    """The alphabetical key of a printed name's surname: accents and punctuation
    dropped, case folded."""
    match = _PRINTED_NAME.match(name)
    surname = match["surname"] if match else name
    plain = unicodedata.normalize("NFKD", surname)
    return "".join(c for c in plain if c.isalpha() or c == " ").casefold()


def _check_run_together(names: Sequence[str], alone: Sequence[bool], source_url: str) -> None:
    """Two names printed on one line of a one-column roll (``Acomb Bahner``).

    The roll is alphabetical.  A two-word surname not led by a particle
    (``Neu Brindley``, ``Maye Quade``) sorts where its first word does, so the next
    name of the column sorts before its second word; when the first word sorts
    before the second and the next name at or after it, the line holds two names
    in order and :class:`ParseError` is raised.  Grid layouts are split by their
    columns instead (:func:`split_columns`)."""
    for i in range(len(names) - 1):
        name, following = names[i], names[i + 1]
        if not (alone[i] and alone[i + 1]) or any(
            n.startswith(("Spk.", "Sp.")) for n in (name, following)
        ):
            continue
        words = _sort_key(name).split()
        if len(words) != 2 or words[0] in _LEADING_PARTICLES:
            continue
        if words[0] < words[1] <= _sort_key(following):
            raise ParseError(
                f"cannot read the attendance roll: {name!r} looks like two names run together "
                f"(the next name, {following!r}, sorts after {name.split()[-1]!r})",
                source_url=source_url,
            )


def _read_districts(
    text: _Text, index: int, rest: str, source_url: str
) -> tuple[list[tuple[str, str]], list[str], int]:
    """(district, full name) pairs and vacant districts of the first day's roll."""
    parts = [rest] if rest else []
    end = index + 1
    while end < len(text.flat):
        flat = text.flat[end]
        if _is_furniture(flat) or _ELIGIBLE.match(flat):
            end += 1
            continue
        if not _DISTRICT_START.match(flat) and (is_prose(flat) or _QUORUM.match(flat)):
            break
        parts.append(flat)
        end += 1
    joined = " ".join(parts)
    tokens = list(_DISTRICT.finditer(joined))
    if not tokens:
        raise ParseError("the roll of the members-elect lists no district", source_url=source_url)
    if joined[: tokens[0].start()].strip():
        raise ParseError(
            f"cannot read the roll of the members-elect: {joined[: tokens[0].start()]!r} "
            "is not a district",
            source_url=source_url,
        )
    pairs: list[tuple[str, str]] = []
    vacant: list[str] = []
    seen: set[str] = set()
    for i, token in enumerate(tokens):
        district = token["d1"] or token["d2"]
        stop = tokens[i + 1].start() if i + 1 < len(tokens) else len(joined)
        name = joined[token.end() : stop].strip()
        if district in seen:
            raise ParseError(f"district {district} is listed twice", source_url=source_url)
        seen.add(district)
        if not name:
            vacant.append(district)
            continue
        words = name.split()
        if len(words) < 2 or not all(
            _FULL_NAME_WORD.match(w) and w.lstrip('"“(')[0].isupper() for w in words
        ):
            raise ParseError(
                f"cannot read the roll of the members-elect: {name!r} (district {district}) "
                "is not a full name",
                source_url=source_url,
            )
        pairs.append((district, name))
    return pairs, vacant, end


# --- sentences -----------------------------------------------------------------------------


def _paragraphs(flat: Sequence[str]) -> Iterator[str]:
    """Lines joined where a sentence runs on across a line or block break: the
    line ends with a comma, a semicolon or "and" ("Frostad and" / "Nesodden were
    excused."), or the next line starts with a lowercase word or a digit and the
    line has no final punctuation or ends with a name's initials ("... were" /
    "excused.", "... excused until" / "1:55 p.m.", "Hansen, R." / "and Noor ...").
    Page headers are dropped.  Lazy: the reader stops at the end of the
    attendance part."""
    lines = [line for line in flat if not _is_furniture(line)]
    pending = ""
    for i, line in enumerate(lines):
        pending = f"{pending} {line}" if pending else line
        nxt = lines[i + 1][:1] if i + 1 < len(lines) else ""
        if (
            line.endswith((",", ";"))
            or (_AND_END.search(line) and bool(nxt))
            or (
                (nxt.islower() or nxt.isdigit())
                and (not _TERMINAL.search(line) or _INITIALS_END.search(line))
            )
        ):
            continue
        yield pending
        pending = ""
    if pending:
        yield pending


def _sentences(text: str) -> list[str]:
    """Split at a period (or ``!``/``?``) followed by a space, except after an
    initial (``Johanssen, P.``), a common abbreviation (``Jr.``, ``No.``) or a
    time (``2:15 p.m. and``) that the next word continues."""
    out: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?](?=\s)", text):
        i = match.start()
        token = text[start:i].rsplit(" ", 1)[-1].lstrip('("“')
        nxt = text[i + 1 :].lstrip()[:1]
        if token.lower() in ("a.m", "p.m"):
            if not nxt.isupper():
                continue
        elif len(token) == 1 and token.isalpha():
            continue
        elif token.lower().rstrip(".") in _ABBREVIATIONS:
            continue
        out.append(text[start : i + 1].strip())
        start = i + 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_name_list(paragraph: str) -> bool:
    """Whether ``paragraph`` is only a list of printed names ("Sirdal and Tokke.")."""
    for candidate in (paragraph, paragraph.removesuffix(".")):
        try:
            split_name_list(candidate, sentence=paragraph, source_url="")
        except ParseError:
            continue
        return True
    return False


def parse_excused(content: bytes | str, *, source_url: str) -> JournalAttendance:
    """The day's roll and excusals on a House Journal page (module docstring).

    The roll is read strictly; excusal sentences are read in the attendance
    part of the day only: from the end of the roll to the first heading or item
    of business (the reading of the Journal, a motion, a roll call, a bill), so
    that bill text and later business ("A pupil whose absence was excused ...")
    are never read as excusals.  No roll ("The roll was called and the following
    members were present", or the first day's roll by district) raises
    :class:`ParseError`, and so does, in the attendance part, a sentence saying
    "excused" that is not an excusal of printed names for a documented span, or
    a list of names that is part of no sentence.
    """
    text = _text(content, source_url)
    ordinary = _find(_PRESENT, text)
    by_district = _find(_DISTRICT_HEAD, text)
    if ordinary is None and by_district is None:
        raise ParseError(
            'no attendance roll ("The roll was called and the following members were '
            'present") on this House Journal page',
            source_url=source_url,
        )
    present: list[str] = []
    pairs: list[tuple[str, str]] = []
    vacant: list[str] = []
    ends: list[int] = []
    if ordinary is not None:
        present, end = _read_roll(text, *ordinary, source_url)
        ends.append(end)
    if by_district is not None:
        pairs, vacant, end = _read_districts(text, *by_district, source_url)
        ends.append(end)

    excused: list[str] = []
    until: list[str] = []
    partly: list[str] = []
    all_absent = False
    quorum: bool | None = None
    listed = False  # a list of names may follow: after a colon, or a list not yet ended
    for number, paragraph in enumerate(_paragraphs(text.flat[min(ends) :])):
        if _is_heading(paragraph) or _BUSINESS.match(paragraph):
            break  # the end of the attendance part
        if number == 0 and (q := _QUORUM.match(paragraph)):
            quorum = q.group(1) is None
        may_list, listed = listed, paragraph.endswith(":")
        if not _EXCUSED_WORD.search(paragraph):
            if _is_name_list(paragraph):
                # the names of a note ending "...: " (remote voting), else part of no sentence
                if not may_list:
                    raise ParseError(
                        f"the names {paragraph!r} after the attendance roll are not part of a "
                        "sentence",
                        source_url=source_url,
                    )
                listed = not _TERMINAL.search(paragraph) or bool(_INITIALS_END.search(paragraph))
            continue
        for sentence in _sentences(paragraph):
            lowered = sentence.lower()
            if not _EXCUSED_WORD.search(sentence) or lowered.startswith("pursuant to"):
                continue
            if _ALL_ABSENT.search(sentence):
                all_absent = True
                continue
            match = _EXCUSED.match(sentence)
            if not match:
                raise ParseError(f"cannot read the excusal {sentence!r}", source_url=source_url)
            names = split_name_list(match["who"], sentence=sentence, source_url=source_url)
            tail = " ".join(match["tail"].split()).rstrip(".")
            tail = _BY_SPEAKER.sub("", tail).lower()
            if tail in _WHOLE_DAY_TAILS:
                excused.extend(n for n in names if n not in excused)
                continue
            if not _PART_DAY.match(tail):
                raise ParseError(
                    f"cannot read the excusal {sentence!r}: {tail!r} is neither the whole day "
                    "nor part of it",
                    source_url=source_url,
                )
            if _UNTIL.match(tail):
                until.extend(n for n in names if n not in until)
            partly.extend(n for n in names if n not in partly)
    return JournalAttendance(
        date=_date(text.flat),
        excused=tuple(excused),
        source_url=source_url,
        partly_excused=tuple(n for n in partly if n not in excused),
        present=tuple(present),
        excused_until=tuple(n for n in until if n not in excused),
        all_absent_excused=all_absent,
        quorum_present=quorum,
        districts=tuple(pairs),
        vacant_districts=tuple(vacant),
    )
