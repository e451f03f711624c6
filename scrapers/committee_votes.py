"""Roll calls in committee minutes (mn-sources.md section 11.2).

* :func:`parse_minutes`: every roll call of a minutes page, in page order, as
  :class:`CommitteeRollCall`;
* :func:`parse_minutes_header`: the page's committee, date, members present,
  excused and absent (:class:`MinutesHeader`);
* :func:`parse_minutes_page`: both from one parse (:class:`Minutes`).

Pages: House ``https://www.house.mn.gov/Committees/minutes/{committee id}/{minutes id}``;
Senate ``https://www.senate.mn/schedule/hearing_minutes.html?ls=..&hearing_id=..&type=minutes``.
Pure functions over bytes: one lxml parse, then one linear scan of the page's
lines (block elements and ``<br>`` end a line; a table row is one line with its
cells kept apart).  No network, no database.

**What a roll call is.**  A roll call is requested ("... moved the A3 amendment
and requested a roll call", "Senator X requested a roll call vote on ...") and/or
printed as a vote block, and always ends with a result sentence ("On a vote of
11 Yeas and 18 Nays, THE MOTION DID NOT PREVAIL.", "By a roll call vote of 6
Yeas and 8 Nays, the motion failed", "There were 8 AYES and 5 NAYS. THE MOTION
PREVAILED.", "MOTION FAILED").  The vote blocks read (one committee and year
each in the stored copies):

1. ``The following eighteen members voted Nay:`` then ``QUILLFEATHER, BRIGHTWATER,
   OSTERGAARD, T., ...`` (upper-case surnames, initials inside the comma list, the count in
   digits or words), ``... voted Yea:``, ``Not present:``;
2. a table headed ``AYES | NAYS`` with ``SURNAME, First`` cells (a cell may lack
   its comma: ``RUSTAD Arne``), one name per cell or several separated by ``<br>``;
3. headings such as ``The following members voted aye:`` / ``MEMBERS VOTING NAY``
   / ``MEMBERS EXCUSED`` with one ``Representative O’Surname`` or ``Surname, First``
   (``Chair – Surname, First``) per line;
4. one ``Senator Surname – Yea`` / ``– Nay`` per line (en dash or hyphen);
5. ``5/6 (Ayes: A, B, Stone Ashby; Nays: ...)``;
6. a requested roll call whose minutes print only the tally
   ("There were 5 yes votes and 7 no votes" / "Motion did not prevail"):
   returned with no names and ``names_printed=False``.

**Names** are returned as printed, in printed order: titles ("Representative",
"Rep.", "Senator", "Sen.") and offices ("Chair –", ", Vice Chair") stripped,
whitespace collapsed, initials kept (``OSTERGAARD, T.``), case and apostrophes as
printed (``QUILLFEATHER``, ``O’Halloran``; the name matcher compares case- and
apostrophe-insensitively).  One change is made: a table cell or list line
printed ``SURNAME First`` without its comma is returned as ``SURNAME, First``
(an upper-case surname followed by a mixed-case given name is unambiguous).

**Tallies** are the numbers stated, never counted: ``yeas``/``nays`` come from
the result sentence, else a tally line of the block, else the compact ``5/6``,
else the list headings ("The following 6 members voted Nay"); None when the
page states no number.  ``heading_yeas``/``heading_nays`` keep the headings'
counts when printed.  Names are **not** reconciled with tallies (that is
:mod:`scrapers.reconcile`'s rule): both are returned as printed.

A roll call that cannot be read raises :class:`~scrapers.parsing.ParseError`:
a request with no result sentence before the next request or the end of the
page, a result with neither tally nor names after a request, a vote block that
ends without a result sentence, a line inside a vote block that is not a name,
an ambiguous list ("Ridley, Farrow": one name or two?), a table row that does not
fit the header, a roll call with no motion before it.  Nothing is guessed.  A
counted vote with neither request nor names ("On a vote of 8 Yeas and 5 Nays"
alone) is a division, not a roll call, and is not returned.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Final

from lxml import etree

from scrapers import vocab
from scrapers.hearings import committee_role
from scrapers.parsing import ParseError, normalize_bill_id, parse_html

__all__ = [
    "CommitteeRollCall",
    "Minutes",
    "MinutesHeader",
    "MinutesMember",
    "parse_minutes",
    "parse_minutes_header",
    "parse_minutes_page",
]


# --- records ----------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesMember:
    """A member named in the minutes' header, as printed."""

    name: str  # "KVALE, Per", "Per Whitlock" (Senate prints full names)
    role: str  # scrapers.hearings.ROLES
    role_text: str = ""  # the office as printed ("Vice Chair", "VC", "Republican Lead")


@dataclass(frozen=True)
class MinutesHeader:
    """The opening of a minutes page: who the committee is and who attended."""

    chamber: str
    committee: str  # the page heading as printed ("Ways and Means", "Elections Committee")
    date: dt.date
    present: tuple[MinutesMember, ...]
    excused: tuple[MinutesMember, ...]
    absent: tuple[MinutesMember, ...]
    source_url: str


@dataclass(frozen=True)
class CommitteeRollCall:
    """One committee roll call exactly as its minutes print it.

    Identity (what ingest should match a re-scrape on): (source_url, position)
    within a chamber, or (committee, date, motion, amendment, position).
    """

    chamber: str  # vocab.HOUSE | vocab.SENATE
    motion: str  # "Senator Corbin moved the A25 Amendment"
    amendment: str  # "A25", "H0025A5", "SCS1234A-2"; "" when none is printed
    yeas: int | None  # as stated (module docstring); None when no number is printed
    nays: int | None
    yes_names: tuple[str, ...]
    no_names: tuple[str, ...]
    absent_names: tuple[str, ...]  # "Not present:", "MEMBERS EXCUSED", "– Absent"
    outcome: str  # "prevailed", "did not prevail", "failed", "carried", "adopted", "not adopted"
    result_text: str  # the result line as printed
    position: int  # 0-based index of the roll call on the page
    source_url: str
    bill_type: str | None = None  # the bill in the motion, else the bill heading above it
    bill_number: int | None = None
    heading_yeas: int | None = None  # counts printed in the list headings, when printed
    heading_nays: int | None = None
    names_printed: bool = True  # False: the minutes print the tally only
    form: str = ""  # "comma_list", "table", "per_line", "dash_lines", "compact", "tally_only"
    committee: str = ""  # from the header when it can be read
    date: dt.date | None = None


@dataclass(frozen=True)
class Minutes:
    header: MinutesHeader
    roll_calls: tuple[CommitteeRollCall, ...]


# --- lines ----------------------------------------------------------------------------

_INVISIBLE: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
_BLOCK_TAGS: Final = frozenset(
    {
        "p", "div", "li", "ul", "ol", "table", "thead", "tbody", "h1", "h2", "h3", "h4",
        "h5", "h6", "center", "blockquote", "pre", "section", "article", "header", "footer",
        "main", "nav", "dl", "dt", "dd", "hr", "form",
    }
)  # fmt: skip
_SKIP_TAGS: Final = frozenset({"script", "style", "noscript", "template"})


def _clean(text: str | None) -> str:
    """Whitespace (``&nbsp;`` included) collapsed, zero-width characters dropped."""
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


class _Guarded:
    """A compiled pattern tried only when the text contains one of its needles
    (case-insensitively): a cheap substring prefilter for the per-line classifiers."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str], *needles: str) -> None:
        self.pattern = pattern
        self.needles = needles

    def _maybe(self, text: str, low: str | None) -> bool:
        low = text.lower() if low is None else low
        for needle in self.needles:
            if needle in low:
                return True
        return False

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        """``low``: ``text.lower()`` when the caller has it already."""
        return self.pattern.search(text) if self._maybe(text, low) else None

    def match(self, text: str, low: str | None = None) -> re.Match[str] | None:
        return self.pattern.match(text) if self._maybe(text, low) else None


@dataclass(frozen=True)
class _Line:
    text: str
    cells: tuple[tuple[str, ...], ...] | None = None  # a table row: each cell's segments
    low: str = field(default="", compare=False)  # text.lower(), for the prefilters

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", self.text.lower())


def _lines(root: etree._Element) -> list[_Line]:
    """The page as lines, in one walk (see the module docstring)."""
    lines: list[_Line] = []
    buf: list[str] = []
    row: list[tuple[str, ...]] | None = None
    cell: list[str] | None = None

    def flush() -> None:
        if not buf:
            return
        text = _clean("".join(buf))
        buf.clear()
        if not text:
            return
        if cell is not None:
            cell.append(text)
        elif row is None:
            lines.append(_Line(text))

    def add(text: str | None) -> None:
        if text and (cell is not None or row is None):
            buf.append(text)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):
            if event == "end":
                add(el.tail)
            continue
        tag = el.tag.lower()
        if event == "start":
            if tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag == "tr":
                flush()
                row, cell = [], None
                continue
            if tag in {"td", "th"} and row is not None:
                flush()
                cell = []
            elif tag in _BLOCK_TAGS or tag == "br":
                flush()
            add(el.text)
            continue
        if tag in _SKIP_TAGS:
            add(el.tail)
            continue
        if tag in {"td", "th"} and row is not None and cell is not None:
            flush()
            row.append(tuple(cell))
            cell = None
        elif tag == "tr" and row is not None:
            if cell is not None:
                flush()
                row.append(tuple(cell))
                cell = None
            if any(row):
                lines.append(_Line(" ".join(s for c in row for s in c), tuple(row)))
            row = None
        elif tag in _BLOCK_TAGS:
            flush()
        add(el.tail)
    flush()
    return lines


# --- numbers, names -------------------------------------------------------------------

_UNITS: Final = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS: Final = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS: Final[dict[str, int]] = {w: i for i, w in enumerate(_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}
_NUM: Final = (
    r"(?:\d{1,3}|(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS[1:10]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)


def _number(text: str) -> int:
    value = text.strip().casefold()
    if value.isdigit():
        return int(value)
    parts = re.split(r"[- ]", value)
    if len(parts) == 2:
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    return _NUMBER_WORDS[value]


_TITLE = re.compile(r"^(?:Representative|Rep\.|Senator|Sen\.)\s+", re.IGNORECASE)
_ROLE_WORDS: Final = (
    r"(?:chair|vice[\s-]?chair|vc|co-?chair|co-?vice[\s-]?chair|(?:republican|dfl|minority)\s+lead"
    r"|lead|ranking\s+minority\s+member)"
)
_ROLE_PREFIX = re.compile(rf"^(?P<role>{_ROLE_WORDS})\s*[–—-]\s*", re.IGNORECASE)
_ROLE_SUFFIX = re.compile(rf"^{_ROLE_WORDS}$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[^\W\d_]\.\s*)+$")
_PARTICLES: Final = frozenset("van von de la le du del der den da di ten ter".split())
_NOT_NAME_WORDS: Final = frozenset(
    {
        "the", "and", "was", "were", "is", "are", "moved", "moves", "motion", "amendment",
        "vote", "voted", "voting", "roll", "call", "committee", "bill", "prevailed", "adopted",
        "present", "quorum", "members", "member", "none", "following", "meeting", "called",
        "order", "of", "to", "a", "an", "on", "by", "for", "with", "at", "in", "that", "this",
    }
)  # fmt: skip
_NAME_CHARS = re.compile(r"^[^\W\d_][^\W\d_\s'’\-.]*(?:[\s'’\-.]+[^\W\d_][^\W\d_'’\-.]*)*\.?$")


@functools.lru_cache(maxsize=8192)
def _is_upper_word(word: str) -> bool:
    core = re.sub(r"^(?:Mc|Mac)", "", word)
    letters = [c for c in core if c.isalpha()]
    return len(letters) >= 2 and all(not c.islower() for c in letters)


@functools.lru_cache(maxsize=8192)
def _word_kind(part: str) -> str:
    """``I`` initials, ``U`` upper-case surname, ``M`` mixed case, ``?`` not a name."""
    if _INITIALS.match(part):
        return "I"
    if not _looks_like_name(part):
        return "?"
    words = part.split()
    if all(_is_upper_word(w) for w in words if w.casefold() not in _PARTICLES):
        return "U"
    return "M"


@functools.lru_cache(maxsize=8192)
def _looks_like_name(text: str) -> bool:
    if not text or len(text) > 60 or not _NAME_CHARS.match(text):
        return False
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if _INITIALS.match(word):
            continue
        bare = word.strip(".'’-").casefold()
        if bare in _NOT_NAME_WORDS:
            return False
        if word[0].islower() and bare not in _PARTICLES:
            return False
    return True


def _strip_title(text: str) -> str:
    return _TITLE.sub("", text.strip()).strip()


@functools.lru_cache(maxsize=8192)
def _restore_comma(text: str) -> str:
    """``RUSTAD Arne`` -> ``RUSTAD, Arne``; anything else unchanged."""
    if "," in text:
        return text
    words = text.split()
    for cut in range(1, len(words)):
        surname, given = words[:cut], words[cut:]
        if all(_is_upper_word(w) for w in surname) and all(
            not _is_upper_word(w) and w[:1].isupper() for w in given
        ):
            return f"{' '.join(surname)}, {' '.join(given)}"
    return text


@functools.lru_cache(maxsize=8192)
def _normal_name(name: str) -> str | None:
    """``name`` with ", " after its comma when it is one printed name, else None."""
    name = _clean(name)
    family, _, rest = name.partition(",")
    ok = _looks_like_name(family.strip()) and (
        not rest or bool(_INITIALS.match(rest.strip())) or _looks_like_name(rest.strip())
    )
    if not ok or name.count(",") > 1:
        return None
    return re.sub(r"\s*,\s*", ", ", name)


def _check(name: str, *, where: str, source_url: str) -> str:
    normal = _normal_name(name)
    if normal is None:
        raise ParseError(f"{where}: {_clean(name)!r} is not a printed name", source_url=source_url)
    return normal


@functools.lru_cache(maxsize=8192)
def _read_name_line(line: str) -> tuple[str, str] | str:
    """One name per line -> (name, office as printed), or the reason it is not one."""
    text = _clean(line)
    role_text = ""
    if match := _ROLE_PREFIX.match(text):
        role_text = _clean(match["role"])
        text = text[match.end() :]
    text = _strip_title(text)
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and _ROLE_SUFFIX.match(parts[-1]):
        role_text = parts.pop()
    if len(parts) == 1:
        name = _restore_comma(parts[0])
    elif len(parts) == 2 and _word_kind(parts[1]) in {"I", "M"}:
        name = f"{parts[0]}, {parts[1]}"
    else:
        return f"{line!r} is not one printed name"
    normal = _normal_name(name)
    if normal is None:
        return f"{_clean(name)!r} is not a printed name"
    return normal, role_text


def _name_line(line: str, *, where: str, source_url: str) -> tuple[str, str]:
    """One name per line: -> (name, office as printed).  Titles and offices stripped."""
    found = _read_name_line(line)
    if isinstance(found, str):
        raise ParseError(f"{where}: {found}", source_url=source_url)
    return found


@functools.lru_cache(maxsize=4096)
def _read_comma_list(text: str, mixed_case_surnames: bool) -> tuple[str, ...] | str:
    parts = [p.strip() for p in re.split(r",|;|\s+and\s+", _clean(text)) if p.strip()]
    parts = [p if _INITIALS.match(p) else p.removesuffix(".") for p in parts]
    names: list[str] = []
    kinds: list[str] = []
    for part in parts:
        has_title = bool(_TITLE.match(part))
        bare = _strip_title(part)
        kind = _word_kind(bare)
        if kind == "I":
            if not names or "," in names[-1]:
                return f"initials {bare!r} follow no surname in {text!r}"
            names[-1] = f"{names[-1]}, {bare}"
        elif kind == "M" and not has_title and names and kinds[-1] == "U" and "," not in names[-1]:
            names[-1] = f"{names[-1]}, {bare}"  # "KVALE, Per": an upper surname's given name
        elif kind in {"U", "M"}:
            if kind == "M" and not has_title and kinds and kinds[-1] == "M":
                if not mixed_case_surnames:
                    return (
                        f"in {text!r}, {bare!r} may be {names[-1]!r}'s given name or "
                        "another surname"
                    )
            names.append(bare)
            kinds.append("T" if has_title else kind)
        else:
            return f"{part!r} is not a printed name in {text!r}"
    normal = [_normal_name(n) for n in names]
    for name, checked in zip(names, normal, strict=True):
        if checked is None:
            return f"{_clean(name)!r} is not a printed name"
    return tuple(n for n in normal if n is not None)


def _comma_list(
    text: str, *, where: str, source_url: str, mixed_case_surnames: bool = False
) -> list[str]:
    """``KVALE, RUSTAD, OSTERGAARD, T., McFARLOW`` -> four names (initials attach).

    A mixed-case part after an upper-case surname is its given name (``KVALE, Per``).
    Two untitled mixed-case parts in a row (``Ridley, Farrow``) are ambiguous (a surname
    and a given name, or two surnames?) and raise, unless ``mixed_case_surnames``
    says the form is a list of surnames (the compact ``5/6 (Ayes: ...)`` form).
    """
    found = _read_comma_list(text, mixed_case_surnames)
    if isinstance(found, str):
        raise ParseError(f"{where}: {found}", source_url=source_url)
    return list(found)


def _split_run(line: str, *, where: str, source_url: str) -> list[str]:
    """``ABRAMS, Ron MARANI, Carlos`` -> the two names (a new upper-case surname
    after a given name starts the next one)."""
    tokens = line.replace(",", " , ").split()
    chunks: list[list[str]] = [[]]
    for token in tokens:
        current = chunks[-1]
        has_given = any(t != "," and not _is_upper_word(t) for t in current)
        if _is_upper_word(token) and has_given:
            chunks.append([token])
        else:
            current.append(token)
    names = [re.sub(r"\s+,", ",", " ".join(chunk)) for chunk in chunks if chunk]
    return [_check(n, where=where, source_url=source_url) for n in names]


# --- sentences, motions, amendments, bills --------------------------------------------

_ABBREVIATIONS: Final = frozenset("rep sen no dr mr mrs ms st jr sr bldg rm vs inc co dept".split())


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"(?<=[.!?])\s+", text):
        if out:
            last = out[-1].rstrip(".!?").split()[-1:] or [""]
            word = last[0].casefold()
            if (
                len(word) <= 1
                or word in _ABBREVIATIONS
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word)
                or part[:1].islower()
            ):
                out[-1] = f"{out[-1]} {part}"
                continue
        out.append(part)
    return out


_MOVER = _Guarded(
    re.compile(r"\bmove[sd]\b|\brenew(?:s|ed)\s+(?:his|her|their|the)\s+motion\b", re.IGNORECASE),
    "move",
    "renew",
)
_MOVED_FOR_ROLL = re.compile(r"\bmove[sd]\s+for\s+(?:a\s+|the\s+)?roll[\s-]*call\b", re.IGNORECASE)
_REQUEST = _Guarded(
    re.compile(
        r"\b(?:request(?:s|ed)?|ask(?:s|ed)\s+for|call(?:s|ed)\s+for|mov(?:es|ed)\s+for|demand(?:s|ed))"
        r"\s+(?:a\s+|the\s+)?roll[\s-]*call\b",
        re.IGNORECASE,
    ),
    "roll",
)
_DEFERRED = _Guarded(
    re.compile(
        r"\broll[\s-]*call\s+(?:vote\s+)?(?:on|for|at)\s+(?:the\s+)?final\b|\bon\s+final\s+(?:passage|action)\b",
        re.IGNORECASE,
    ),
    "final",
)
_WITHDRAWN = _Guarded(
    re.compile(r"\bwithdr[ae]w\b.*\broll[\s-]*call\b", re.IGNORECASE),
    "withdr",
)
_REQUEST_TAIL = re.compile(
    r",?\s+and\s+(?:then\s+)?(?:request(?:s|ed)|ask(?:s|ed)\s+for|call(?:s|ed)\s+for)\s+(?:a\s+|the\s+)?roll[\s-]*call\b.*$",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?\s?[Mm]\.?\s+")
_AMENDMENT_BEFORE = re.compile(
    r"(?<![\w-])([A-Z0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s*,?\s+"
    r"(?:delete[- ]all\s+|oral\s+)?amendment\b",
    re.IGNORECASE,
)
_AMENDMENT_AFTER = re.compile(
    r"\bamendment\s+(?:no\.?\s*|number\s+)?([A-Z0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\b"
)
_AMENDMENT_TOKEN = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)(?![\w-])")
_BILL_ID_SHAPE = re.compile(r"^(?:[HS][FRC]\d+|\d+)$", re.IGNORECASE)
_BILL = re.compile(
    r"(?<![A-Za-z])([HS])\.?\s?([FRC])\.?\s?(?:No\.?\s?)?0*(\d{1,5})(?!\d)", re.ASCII
)
_BILL_HEADING = re.compile(
    r"^(?:[IVXLC]+\.\s*|\d+\.\s*)?[HS]\.?\s?[FRC]\.?\s?(?:No\.?\s?)?\d", re.ASCII
)


def _is_amendment_id(token: str) -> bool:
    return (
        len(token) >= 2
        and any(c.isdigit() for c in token)
        and any(c.isalpha() for c in token)
        and token == token.upper()
        and not _BILL_ID_SHAPE.match(token)
    )


def _amendment(text: str) -> str:
    for match in _AMENDMENT_BEFORE.finditer(text):
        if _is_amendment_id(match.group(1)):
            return match.group(1)
    for match in _AMENDMENT_AFTER.finditer(text):
        if _is_amendment_id(match.group(1)):
            return match.group(1)
    if re.search(r"\bamendment\b", text, re.IGNORECASE):
        for match in _AMENDMENT_TOKEN.finditer(text):
            if _is_amendment_id(match.group(1)):
                return match.group(1)
    return ""


def _bill(text: str) -> tuple[str, int] | None:
    for match in _BILL.finditer(text):
        try:
            return normalize_bill_id("".join(match.groups()))
        except ValueError:
            continue
    return None


def _motion_in(text: str) -> str | None:
    """The last motion sentence of a line, request tail and timestamps removed."""
    found: str | None = None
    for sentence in _sentences(text):
        if _MOVER.search(sentence) and not _MOVED_FOR_ROLL.search(sentence):
            motion = _TIMESTAMP.sub("", sentence.strip())
            motion = _REQUEST_TAIL.sub("", motion)
            motion = re.split(r"\s+-\s+MOTION\b", motion)[0]
            found = motion.strip().rstrip(".").strip()
    return found


# --- vote-block lines ---------------------------------------------------------------------

_YES_WORD: Final = r"(?:yeas?|ayes?|yes(?:\s+votes?)?|affirmative)"
_NO_WORD: Final = r"(?:nays?|noes|no(?:\s+votes?)?|negative)"
_TALLY = _Guarded(
    re.compile(
        rf"(?<![\w/])(?P<y>{_NUM})\s+{_YES_WORD}\s*,?\s+(?:and|to)\s+(?P<n>{_NUM})\s+{_NO_WORD}\b",
        re.IGNORECASE,
    ),
    "yea",
    "aye",
    "yes",
    "affirmative",
)
_OUTCOME = _Guarded(
    re.compile(
        r"\bmotion(?:ed|s)?\s+(?:was\s+|is\s+|has\s+)?(?P<o>did\s+not\s+prevail|prevailed|prevails|failed|fails"
        r"|carried|carries|did\s+not\s+carry|lost|not\s+adopted|adopted)\b",
        re.IGNORECASE,
    ),
    "motion",
)
_ADOPTION = _Guarded(
    re.compile(
        r"\b(?:amendment|resolution|report|bill)\b[^.;]*?\b(?:was|is)\s+(?P<o>not\s+adopted|adopted)\b",
        re.IGNORECASE,
    ),
    "adopted",
)
_OUTCOMES: Final = {
    "did not prevail": "did not prevail",
    "prevailed": "prevailed",
    "prevails": "prevailed",
    "failed": "failed",
    "fails": "failed",
    "lost": "failed",
    "did not carry": "failed",
    "carried": "carried",
    "carries": "carried",
    "adopted": "adopted",
    "not adopted": "not adopted",
}
_SIDE_YES: Final = frozenset({"aye", "ayes", "yea", "yeas", "yes", "affirmative"})
_SIDE_NO: Final = frozenset({"nay", "nays", "no", "noes", "negative"})
_HEADING = _Guarded(
    re.compile(
        rf"^(?:the\s+following\s+)?(?:(?P<count>{_NUM})\s+)?(?:members?|representatives?|senators?)\s+"
        r"(?:who\s+)?(?:voted|voting|vote)\s+(?:in\s+the\s+)?"
        r"(?P<side>ayes?|yeas?|yes|nays?|noes|no|affirmative|negative)\b(?:\s+were)?\s*:?\s*(?P<rest>.*)$",
        re.IGNORECASE,
    ),
    "vot",
)
_SHORT_HEADING = _Guarded(
    re.compile(
        r"^(?:voted\s+|voting\s+)?(?P<side>ayes?|yeas?|nays?|noes)\s*(?::\s*(?P<rest>.*)|$)",
        re.IGNORECASE,
    ),
    "aye",
    "yea",
    "nay",
    "noe",
)
_ABSENT_HEADING = _Guarded(
    re.compile(
        rf"^(?:the\s+following\s+)?(?:(?P<count>{_NUM})\s+)?(?:(?:members?|representatives?|senators?)\s+)?"
        r"(?:who\s+)?(?:were\s+|was\s+)?(?:not\s+present|absent|excused|not\s+voting|abstained|abstaining)\b"
        r"(?:\s+from\s+voting)?\s*(?::\s*(?P<rest>.*)|$)",
        re.IGNORECASE,
    ),
    "present",
    "absent",
    "excused",
    "voting",
    "abstain",
)
_EMPTY_LIST = re.compile(
    r"^(?:none|no\s+members?(?:\s+(?:absent|excused))?|n/a|-+)\.?$", re.IGNORECASE
)
_DASH_VOTE = _Guarded(
    re.compile(
        r"^(?P<name>(?:(?:Senator|Sen\.|Representative|Rep\.)\s+)?[^–—:;()]+?)\s*(?:[–—]|\s-\s?|-\s)\s*"
        r"(?P<vote>yea|yes|aye|nay|no|absent|excused|not\s+present|not\s+voting|pass)\.?$",
        re.IGNORECASE,
    ),
    "–",
    "—",
    "-",
)
_DASH_SIDES: Final = {"yea": "yes", "yes": "yes", "aye": "yes", "nay": "no", "no": "no"}
_COMPACT = _Guarded(
    re.compile(
        r"(?<![\d/])(?P<y>\d{1,3})\s*/\s*(?P<n>\d{1,3})\s*"
        r"\((?P<body>\s*(?:ayes?|yeas?|nays?|noes)\s*:[^()]*)\)",
        re.IGNORECASE,
    ),
    "/",
)
_COMPACT_PART = re.compile(
    r"^(?P<label>ayes?|yeas?|nays?|noes|absent|excused|not\s+present|not\s+voting)\s*:\s*(?P<names>.*)$",
    re.IGNORECASE,
)
_TABLE_LABELS: Final = {
    "aye": "yes", "ayes": "yes", "yea": "yes", "yeas": "yes", "yes": "yes",
    "nay": "no", "nays": "no", "no": "no", "noes": "no",
    "absent": "absent", "excused": "absent", "not present": "absent", "not voting": "absent",
}  # fmt: skip
_TEXT_TABLE_HEADER = re.compile(
    r"^(?:ayes|yeas)\s+(?:nays|noes)(?:\s+(?:absent|excused|not\s+present|not\s+voting))?$",
    re.IGNORECASE,
)
_CONNECTOR = _Guarded(
    re.compile(
        r"^(?:the\s+)?(?:clerk|committee\s+(?:legislative\s+)?(?:assistant|administrator)|legislative\s+assistant"
        r"|secretary)\s+(?:took|called|noted|read)\s+the\s+roll\b"
        r"|^the\s+(?:roll\s+was\s+called|results?\s+(?:were|was|are|is)\s+as\s+follows)"
        r"|^(?:and\s+)?a\s+roll[\s-]*call\s+(?:vote\s+)?(?:was\s+)?(?:granted|taken|called|held)\b"
        r"|^roll[\s-]*call(?:\s+vote)?\s*:?$",
        re.IGNORECASE,
    ),
    "roll",
    "follows",
)


def _side(word: str) -> str:
    low = _clean(word).casefold()
    if low in _SIDE_YES:
        return "yes"
    if low in _SIDE_NO:
        return "no"
    return "absent"


def _outcome(text: str, low: str | None = None) -> str | None:
    if match := _OUTCOME.search(text, low):
        return _OUTCOMES[_clean(match["o"]).casefold()]
    if match := _ADOPTION.search(text, low):
        return _OUTCOMES[_clean(match["o"]).casefold()]
    return None


def _tally(text: str, low: str | None = None) -> tuple[int, int] | None:
    match = _TALLY.search(text, low)
    return (_number(match["y"]), _number(match["n"])) if match else None


def _table_header(line: _Line) -> tuple[str, ...] | None:
    if line.cells is not None:
        labels = [_clean(" ".join(cell)).casefold().rstrip(":") for cell in line.cells]
        if len(labels) >= 2 and all(label in _TABLE_LABELS for label in labels):
            return tuple(_TABLE_LABELS[label] for label in labels)
        return None
    if _TEXT_TABLE_HEADER.match(line.text):
        words = re.findall(r"not\s+present|not\s+voting|\w+", line.text.casefold())
        return tuple(_TABLE_LABELS[_clean(w)] for w in words)
    return None


# --- the scan ---------------------------------------------------------------------------


@dataclass
class _Section:
    side: str  # yes | no | absent
    count: int | None
    inline: str  # names after the heading's colon
    lines: list[str] = field(default_factory=list)


def _sides() -> dict[str, list[str]]:
    return {"yes": [], "no": [], "absent": []}


@dataclass
class _Block:
    start: int
    motion: str
    request: str
    bill: tuple[str, int] | None
    sections: list[_Section] = field(default_factory=list)
    current: _Section | None = None  # the list section that bare name lines go to
    table: tuple[str, ...] | None = None  # column sides of the open names table
    table_is_text: bool = False  # the header was a text line ("AYES NAYS"), rows are text
    had_table: bool = False
    table_names: dict[str, list[str]] = field(default_factory=_sides)
    dash: dict[str, list[str]] = field(default_factory=_sides)
    compact: dict[str, list[str]] = field(default_factory=_sides)
    compact_tally: tuple[int, int] | None = None
    line_tally: tuple[int, int] | None = None
    forms: list[str] = field(default_factory=list)

    def form(self, name: str) -> None:
        if name not in self.forms:
            self.forms.append(name)


class _Scanner:
    """One pass over the lines; see the module docstring for the rules."""

    def __init__(self, lines: list[_Line], *, chamber: str, source_url: str) -> None:
        self.lines = lines
        self.chamber = chamber
        self.source_url = source_url
        self.results: list[CommitteeRollCall] = []
        self.block: _Block | None = None
        self.pending: tuple[int, str] | None = None  # (line index, request sentence)
        self.last_motion: str | None = None
        self.last_bill: tuple[str, int] | None = None

    def where(self, index: int) -> str:
        return f"roll call {len(self.results)} (line {index})"

    def fail(self, index: int, reason: str) -> ParseError:
        return ParseError(f"{self.where(index)}: {reason}", source_url=self.source_url)

    # ---- outside a vote block

    def scan(self) -> list[CommitteeRollCall]:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if self.block is not None:
                self.in_block(index, line)
                index += 1
                continue
            if line.cells is not None:
                if _table_header(line) is not None:
                    self.open_block(index)
                    self.in_block(index, line)
                index += 1
                continue
            text = line.text
            if _MOVER.search(text, line.low):
                text, index = self.joined(index)
            low = text.lower()
            if _BILL_HEADING.match(text) and (bill := _bill(text)):
                self.last_bill = bill
            if _WITHDRAWN.search(text, low):
                self.pending = None
                index += 1
                continue
            if motion := _motion_in(text):
                self.last_motion = motion
            requested = bool(_REQUEST.search(text, low)) and not _DEFERRED.search(text, low)
            if requested:
                if self.pending is not None:
                    raise self.fail(
                        self.pending[0],
                        f"roll call requested ({self.pending[1]!r}) but no result before "
                        f"the next request {text!r}",
                    )
                self.pending = (index, text)
            if self.starts_block(line):
                self.open_block(index)
                self.in_block(index, line)
            elif self.pending is not None and _outcome(text, low):
                self.result_without_names(index, text)
            elif self.pending is not None and not requested and _tally(text, low):
                self.open_block(index)
                self.in_block(index, line)
            index += 1
        if self.block is not None:
            raise self.fail(self.block.start, "the vote block has no result sentence")
        if self.pending is not None:
            raise self.fail(
                self.pending[0], f"roll call requested ({self.pending[1]!r}) but no result"
            )
        return self.results

    def joined(self, index: int) -> tuple[str, int]:
        """A motion sentence broken over lines (hard line breaks): join up to 3 lines."""
        text = self.lines[index].text
        end = index
        while end + 1 < len(self.lines) and end - index < 2 and not re.search(r"[.!?:]$", text):
            following = self.lines[end + 1]
            if (
                following.cells is not None
                or self.starts_block(following)
                or _MOVER.search(following.text, following.low)
                or _TITLE.match(following.text)
                or _outcome(following.text, following.low)
                or _tally(following.text, following.low)
                or _CONNECTOR.search(following.text, following.low)
            ):
                break
            end += 1
            text = f"{text} {following.text}"
        return text, end

    def starts_block(self, line: _Line) -> bool:
        if _table_header(line) is not None:
            return True
        if line.cells is not None:
            return False
        text, low = line.text, line.low
        return bool(
            _HEADING.match(text, low)
            or (self.pending is not None and _SHORT_HEADING.match(text, low))
            or _DASH_VOTE.match(text, low)
            or _COMPACT.search(text, low)
        )

    def open_block(self, index: int) -> None:
        if not self.last_motion:
            raise self.fail(index, "a roll call with no motion before it")
        self.block = _Block(
            start=index,
            motion=self.last_motion,
            request=self.pending[1] if self.pending else "",
            bill=_bill(self.last_motion) or self.last_bill,
        )

    def result_without_names(self, index: int, text: str) -> None:
        if _tally(text) is None:
            raise self.fail(
                index,
                f"roll call requested but neither names nor a tally before the result {text!r}",
            )
        self.open_block(index)
        self.finish(index, text)

    # ---- inside a vote block

    def in_block(self, index: int, line: _Line) -> None:
        block = self.block
        assert block is not None
        if (header := _table_header(line)) is not None:
            block.table, block.table_is_text, block.had_table = header, line.cells is None, True
            block.current = None
            block.form("table")
            return
        if line.cells is not None:
            if block.table is None or block.table_is_text:
                raise self.fail(index, f"table row {line.text!r} outside a names table")
            self.table_row(index, line.cells)
            return
        text, low = line.text, line.low
        if compact := _COMPACT.search(text, low):
            self.read_compact(index, compact)
            text = (text[: compact.start()] + text[compact.end() :]).strip()
            low = text.lower()
        if _outcome(text, low) is not None:
            if tally := _tally(text, low):
                block.line_tally = tally
            self.finish(index, line.text)
            return
        if index == block.start and (
            compact or _REQUEST.search(text, low) or _MOVER.search(text, low)
        ):
            return  # the request that opened the block ("... requested a roll call: 5/6 (...)")
        if not text:
            return
        if (tally := _tally(text, low)) is not None:
            block.line_tally = tally
            return
        if _CONNECTOR.search(text, low):
            return
        if match := _HEADING.match(text, low):
            self.section(_side(match["side"]), match["count"], match["rest"])
            return
        if match := _ABSENT_HEADING.match(text, low):
            self.section("absent", match["count"], match["rest"] or "")
            return
        if (match := _SHORT_HEADING.match(text, low)) and not _DASH_VOTE.match(text, low):
            self.section(_side(match["side"]), None, match["rest"] or "")
            return
        if match := _DASH_VOTE.match(text, low):
            name = _check(
                _strip_title(match["name"]), where=self.where(index), source_url=self.source_url
            )
            block.dash[_DASH_SIDES.get(match["vote"].casefold(), "absent")].append(name)
            block.current = None
            block.form("dash_lines")
            return
        if _MOVER.search(text, low) or _REQUEST.search(text, low):
            raise self.fail(block.start, f"the vote block has no result sentence before {text!r}")
        if block.table is not None and block.table_is_text:
            names = _split_run(text, where=self.where(index), source_url=self.source_url)
            self.table_row(index, tuple((name,) for name in names), text_row=True)
            return
        if block.current is None:
            raise self.fail(index, f"cannot read {text!r} in the vote block")
        block.current.lines.append(text)

    def section(self, side: str, count: str | None, rest: str) -> None:
        block = self.block
        assert block is not None
        block.table = None
        block.current = _Section(side, _number(count) if count else None, _clean(rest))
        block.sections.append(block.current)

    def table_row(
        self, index: int, cells: tuple[tuple[str, ...], ...], *, text_row: bool = False
    ) -> None:
        block = self.block
        assert block is not None and block.table is not None
        columns = block.table
        filled = [i for i, cell in enumerate(cells) if any(s.strip() for s in cell)]
        if text_row and len(filled) != len(columns):
            raise self.fail(
                index,
                f"cannot tell which column each name of {' | '.join(c[0] for c in cells)!r} is in",
            )
        if any(i >= len(columns) for i in filled):
            raise self.fail(index, f"row {_line_text(cells)!r} has more cells than the header")
        for column, cell in enumerate(cells):
            for segment in cell:
                if not segment.strip() or _EMPTY_LIST.match(segment.strip()):
                    continue
                name, _ = _name_line(segment, where=self.where(index), source_url=self.source_url)
                block.table_names[columns[column]].append(name)

    def read_compact(self, index: int, match: re.Match[str]) -> None:
        block = self.block
        assert block is not None
        block.compact_tally = (int(match["y"]), int(match["n"]))
        block.current = None
        block.form("compact")
        for part in (p.strip() for p in match["body"].split(";")):
            if not part:
                continue
            labelled = _COMPACT_PART.match(part)
            if not labelled:
                raise self.fail(index, f"compact roll call part {part!r} has no Ayes:/Nays: label")
            names = labelled["names"].strip()
            if not names or _EMPTY_LIST.match(names):
                continue
            side = _TABLE_LABELS[_clean(labelled["label"]).casefold()]
            block.compact[side].extend(
                _comma_list(
                    names,
                    where=self.where(index),
                    source_url=self.source_url,
                    mixed_case_surnames=True,
                )
            )

    def section_names(self, index: int, block: _Block) -> dict[str, list[str]]:
        names = _sides()
        where = self.where(index)

        def parts(line: str) -> int:
            return len(_strip_role_suffix(line).split(","))

        per_line_block = any(
            not s.inline and len(s.lines) >= 2 and all(parts(x) <= 2 for x in s.lines)
            for s in block.sections
        )
        for section in block.sections:
            content = [section.inline] if section.inline else []
            content = [c for c in content + section.lines if not _EMPTY_LIST.match(c)]
            if not content:
                continue
            comma_style = bool(section.inline) or any(parts(c) > 2 for c in content)
            if comma_style or (len(content) == 1 and not per_line_block):
                block.form("comma_list")
                joined = ", ".join(c.rstrip(", ") for c in content)
                names[section.side].extend(
                    _comma_list(joined, where=where, source_url=self.source_url)
                )
            else:
                block.form("per_line")
                for line in content:
                    name, _ = _name_line(line, where=where, source_url=self.source_url)
                    names[section.side].append(name)
        return names

    def finish(self, index: int, result_text: str) -> None:
        block = self.block
        assert block is not None
        sides = _sides()
        for source in (
            self.section_names(index, block),
            block.table_names,
            block.dash,
            block.compact,
        ):
            for side, found in source.items():
                sides[side].extend(found)
        heading_yeas = next(
            (s.count for s in block.sections if s.side == "yes" and s.count is not None), None
        )
        heading_nays = next(
            (s.count for s in block.sections if s.side == "no" and s.count is not None), None
        )
        tally = _tally(result_text) or block.line_tally or block.compact_tally
        yeas, nays = tally if tally else (heading_yeas, heading_nays)
        names_printed = bool(
            block.sections or block.had_table or any(block.dash.values()) or block.compact_tally
        )
        if not names_printed and tally is None:
            raise self.fail(index, "a roll call with neither names nor a tally")
        if not names_printed:
            block.form("tally_only")
        self.results.append(
            CommitteeRollCall(
                chamber=self.chamber,
                motion=block.motion,
                amendment=_amendment(block.motion) or _amendment(block.request),
                yeas=yeas,
                nays=nays,
                yes_names=tuple(sides["yes"]),
                no_names=tuple(sides["no"]),
                absent_names=tuple(sides["absent"]),
                outcome=_outcome(result_text) or "",
                result_text=result_text,
                position=len(self.results),
                source_url=self.source_url,
                bill_type=block.bill[0] if block.bill else None,
                bill_number=block.bill[1] if block.bill else None,
                heading_yeas=heading_yeas,
                heading_nays=heading_nays,
                names_printed=names_printed,
                form="+".join(block.forms),
            )
        )
        self.block = None
        self.pending = None


def _line_text(cells: tuple[tuple[str, ...], ...]) -> str:
    return " | ".join(" ".join(cell) for cell in cells)


def _strip_role_suffix(line: str) -> str:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) >= 2 and _ROLE_SUFFIX.match(parts[-1]):
        parts.pop()
    return ", ".join(parts)


# --- header -----------------------------------------------------------------------------

_PRESENT = re.compile(r"^(?:members?\s+)?present\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_EXCUSED_HEAD = re.compile(r"^(?:members?\s+)?excused\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_ABSENT_HEAD = re.compile(r"^(?:members?\s+)?absent\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_MONTHS: Final = (
    "january february march april may june july august september october november december".split()
)
_DATE = re.compile(
    r"\b(?P<month>" + "|".join(_MONTHS) + r")\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_SENATE_ROLE = re.compile(
    r"\s*(?:[-–—]\s*)?(?P<role>chair|vice\s+chair|co-?chair|ranking\s+minority\s+member)\s*$",
    re.IGNORECASE,
)
_SITE_CHROME: Final = ("minnesota legislature", "minnesota senate", "skip to", "capital icon")


def _inline_members(text: str, *, where: str, source_url: str) -> list[MinutesMember]:
    """``Senator Per Whitlock - Chair, Senator Lise M. Wexley Vice Chair, ...``."""
    if _EMPTY_LIST.match(text.strip()):
        return []
    titled = bool(re.search(r"(?:^|,\s*)(?:Senator|Sen\.|Representative|Rep\.)\s", text))
    parts = (
        re.split(r",\s*(?=(?:Senator|Sen\.|Representative|Rep\.)\s)", text)
        if titled
        else text.split(",")
    )
    members: list[MinutesMember] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        role_text = ""
        name = _strip_title(part)
        if match := _SENATE_ROLE.search(name):
            role_text = _clean(match["role"])
            name = name[: match.start()].strip()
        name = _check(name, where=where, source_url=source_url)
        members.append(
            MinutesMember(name, committee_role(role_text, source_url=source_url), role_text)
        )
    return members


def _member_lines(
    lines: list[_Line], start: int, *, where: str, source_url: str
) -> tuple[list[MinutesMember], int]:
    """One member per line (two per line in old two-column lists) until a non-name line."""
    members: list[MinutesMember] = []
    index = start
    while index < len(lines):
        text = lines[index].text
        if _EMPTY_LIST.match(text):
            index += 1
            continue
        if _EXCUSED_HEAD.match(text) or _ABSENT_HEAD.match(text) or _PRESENT.match(text):
            break
        try:
            name, role_text = _name_line(text, where=where, source_url=source_url)
            role = committee_role(role_text, source_url=source_url)
            members.append(MinutesMember(name, role, role_text))
        except ParseError:
            try:
                run = _split_run(text, where=where, source_url=source_url)
            except ParseError:
                break  # the list has ended
            if len(run) < 2:
                break
            members.extend(MinutesMember(n, committee_role("", source_url=source_url)) for n in run)
        index += 1
    return members, index


def _header(
    lines: list[_Line], root: etree._Element, *, chamber: str, source_url: str
) -> MinutesHeader:
    committee = ""
    for heading in root.iter("h1", "h2", "h3"):
        text = _clean(etree.tostring(heading, method="text", encoding="unicode", with_tail=False))
        if text and not any(chrome in text.casefold() for chrome in _SITE_CHROME):
            committee = text
            break
    if not committee:
        raise ParseError("minutes header: no committee name (h1/h2/h3)", source_url=source_url)
    date: dt.date | None = None
    for line in lines:
        if match := _DATE.search(line.text):
            try:
                date = dt.date(
                    int(match["year"]), _MONTHS.index(match["month"].lower()) + 1, int(match["day"])
                )
            except ValueError as exc:
                raise ParseError(
                    f"minutes header: invalid date {match[0]!r}", source_url=source_url
                ) from exc
            break
    if date is None:
        raise ParseError("minutes header: no meeting date", source_url=source_url)
    found: dict[str, list[MinutesMember]] = {}
    # the header ends where the business starts: the first motion or roll-call request
    end = next(
        (
            i
            for i, line in enumerate(lines)
            if _MOVER.search(line.text) or _REQUEST.search(line.text)
        ),
        len(lines),
    )
    lines = lines[:end]
    index = 0
    while index < len(lines):
        text = lines[index].text
        kind = None
        match = None
        for name, pattern in (
            ("present", _PRESENT),
            ("excused", _EXCUSED_HEAD),
            ("absent", _ABSENT_HEAD),
        ):
            if (match := pattern.match(text)) and name not in found:
                kind = name
                break
        if kind is None or match is None:
            index += 1
            continue
        where = f"minutes header ({kind})"
        rest = _clean(match["rest"])
        if rest:
            found[kind] = _inline_members(rest, where=where, source_url=source_url)
            index += 1
        else:
            found[kind], index = _member_lines(lines, index + 1, where=where, source_url=source_url)
        if "present" in found and "excused" in found and "absent" in found:
            break
    if "present" not in found:
        raise ParseError(
            'minutes header: no "Members present:" / "Present:" list', source_url=source_url
        )
    return MinutesHeader(
        chamber=chamber,
        committee=committee,
        date=date,
        present=tuple(found["present"]),
        excused=tuple(found.get("excused", [])),
        absent=tuple(found.get("absent", [])),
        source_url=source_url,
    )


# --- entry points ---------------------------------------------------------------------


def _check_chamber(chamber: str, source_url: str) -> None:
    if chamber not in vocab.CHAMBERS:
        raise ParseError(f"unknown chamber {chamber!r}", source_url=source_url)


def _roll_calls(
    lines: list[_Line], header: MinutesHeader | None, *, chamber: str, source_url: str
) -> list[CommitteeRollCall]:
    found = _Scanner(lines, chamber=chamber, source_url=source_url).scan()
    if header is None:
        return found
    return [_with_header(call, header) for call in found]


def _with_header(call: CommitteeRollCall, header: MinutesHeader) -> CommitteeRollCall:
    return replace(call, committee=header.committee, date=header.date)


def parse_minutes(
    content: bytes | str, *, source_url: str, chamber: str
) -> list[CommitteeRollCall]:
    """Every roll call of a committee minutes page, in page order (module docstring).

    ``committee`` and ``date`` are filled from the header when it can be read
    (else ``""`` and None: a header problem does not hide the roll calls; use
    :func:`parse_minutes_page` to require it).  Unreadable roll calls raise
    :class:`ParseError`.
    """
    _check_chamber(chamber, source_url)
    root = parse_html(content, source_url=source_url)
    lines = _lines(root)
    try:
        header: MinutesHeader | None = _header(lines, root, chamber=chamber, source_url=source_url)
    except ParseError:
        header = None
    return _roll_calls(lines, header, chamber=chamber, source_url=source_url)


def parse_minutes_header(content: bytes | str, *, source_url: str, chamber: str) -> MinutesHeader:
    """The committee (page heading), the meeting date (the first date printed),
    "Members present:" (House, one per line) or "Present:" (Senate, a comma list
    of "Senator Full Name - Chair"), "Excused:"/"Members excused:" and "Absent:".

    No committee heading, no date or no present list raises :class:`ParseError`.
    """
    _check_chamber(chamber, source_url)
    root = parse_html(content, source_url=source_url)
    return _header(_lines(root), root, chamber=chamber, source_url=source_url)


def parse_minutes_page(content: bytes | str, *, source_url: str, chamber: str) -> Minutes:
    """Header and roll calls from one parse; the header is required."""
    _check_chamber(chamber, source_url)
    root = parse_html(content, source_url=source_url)
    lines = _lines(root)
    header = _header(lines, root, chamber=chamber, source_url=source_url)
    return Minutes(
        header, tuple(_roll_calls(lines, header, chamber=chamber, source_url=source_url))
    )
