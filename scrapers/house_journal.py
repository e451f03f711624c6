"""Attendance in the House Journal (mn-sources.md sections 3.1 item 4 and 5).

* :func:`journal_page_request`: URL and JSON body of ``POST /Votes/GetPage``,
  which redirects to the House Journal HTML page holding a journal page
  (``/cco/journals/2025-26/J{MMDD}{day:03d}.htm``);
* :func:`parse_excused`: the members that journal day lists as excused.

The journal opens each day with "The roll was called and the following members
were present: ..." and then sentences such as "Lindqvist and Okonkwo were
excused.", "Castellanos, Johanssen, P., and Okonkwo were excused." or
"Halvorsen was excused for the day."  Only whole-day excusals count: a sentence
with any other qualifier ("was excused until 1:10 p.m.", "for the remainder of
today's session", "between ...") says nothing certain about a given roll call,
so its names are returned apart in ``partly_excused`` and never as excused.
A page without the attendance roll, or an excusal sentence whose subject is not
a list of printed names, raises :class:`ParseError`: nothing is guessed.

Pure functions over bytes: no network, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scrapers.parsing import ParseError, parse_html

__all__ = ["JournalAttendance", "journal_page_request", "parse_excused"]

_WS = re.compile(r"\s+")
_BREAK = "\u2029"  # marks block boundaries while the text is flattened
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
    "tr",
    "table",
    "br",
    "center",
    "blockquote",
    "pre",
)
_PRESENT = re.compile(
    r"the\s+roll\s+was\s+called,?\s+and\s+the\s+following\s+members\s+were\s+present", re.I
)
# A sentence ends at a period after a word of two or more letters (or a digit or
# closing bracket), never after a lone initial such as the "P." of "Johanssen, P.".
_SENTENCE_END = re.compile(
    r"(?<=[^\W_][^\W\d_]\.)\s+|(?<=[\d)]\.)\s+|(?<=\b[ap]\.m\.)\s+(?=[^\W\d_])"
)
_EXCUSED = re.compile(r"^(?P<who>.+?),?\s+(?:was|were)\s+excused\b\s*(?P<tail>.*?)\.?$", re.S)
_WHOLE_DAY_TAILS = ("", "for the day")
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
# One printed surname: capitalised words joined by spaces, hyphens or apostrophes.
_SURNAME = re.compile(r"^[^\W\d_a-z][\w'’\-]*(?:\s+[^\W\d_a-z][\w'’\-]*)*$")


@dataclass(frozen=True)
class JournalAttendance:
    """What one House Journal day says about attendance."""

    date: dt.date | None
    excused: tuple[str, ...]  # printed names excused for the day, in journal order
    source_url: str
    partly_excused: tuple[str, ...] = ()  # excused only for part of the day: not used


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


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Older journal pages are Windows-1252; every byte decodes, accents kept.
        return content.decode("cp1252", errors="replace")


def _lines(content: bytes | str, source_url: str) -> list[str]:
    root = parse_html(_decode(content), source_url=source_url)
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = _BREAK + (el.tail or "")
        if el.tag != "br":
            el.text = _BREAK + (el.text or "")
    pieces = root.text_content().replace("\xa0", " ").split(_BREAK)
    return [line for line in (_WS.sub(" ", raw).strip() for raw in pieces) if line]


def _split_names(who: str, *, sentence: str, source_url: str) -> list[str]:
    """``"Castellanos, Johanssen, P., and Okonkwo"`` -> the three printed names."""
    parts = [p.strip() for p in re.split(r",|\s+and\s+|^and\s+", who)]
    names: list[str] = []
    for part in parts:
        part = re.sub(r"^and\s+", "", part).strip()
        if not part:
            continue
        if _INITIALS.match(part):
            if not names or "," in names[-1]:
                raise ParseError(
                    f"initials {part!r} follow no surname in {sentence!r}", source_url=source_url
                )
            names[-1] = f"{names[-1]}, {' '.join(part.split())}"
        elif _SURNAME.match(part):
            names.append(part)
        else:
            raise ParseError(
                f"cannot read the excused members in {sentence!r}: {part!r} is not a printed name",
                source_url=source_url,
            )
    if not names:
        raise ParseError(f"no names in {sentence!r}", source_url=source_url)
    return names


def _date(lines: list[str]) -> dt.date | None:
    for line in lines:
        match = _DATE.search(line)
        if match:
            try:
                return dt.date(
                    int(match["year"]), _MONTHS.index(match["month"].lower()) + 1, int(match["day"])
                )
            except ValueError:
                return None
    return None


def parse_excused(content: bytes | str, *, source_url: str) -> JournalAttendance:
    """The members a House Journal day lists as excused (module docstring).

    Sentences are read from the attendance roll onwards.  No attendance roll
    ("The roll was called and the following members were present") raises
    :class:`ParseError`; so does an excusal whose names cannot be read.
    """
    lines = _lines(content, source_url)
    start = next((i for i, line in enumerate(lines) if _PRESENT.search(line)), None)
    if start is None:
        raise ParseError(
            'no attendance roll ("The roll was called and the following members were '
            'present") on this House Journal page',
            source_url=source_url,
        )
    excused: list[str] = []
    partly: list[str] = []
    for line in lines[start:]:
        if "excused" not in line.lower():
            continue
        for sentence in _SENTENCE_END.split(line):
            match = _EXCUSED.match(sentence.strip())
            if not match:
                continue
            tail = " ".join(match["tail"].split()).rstrip(".").lower()
            names = _split_names(
                match["who"].strip(), sentence=sentence.strip(), source_url=source_url
            )
            target = excused if tail in _WHOLE_DAY_TAILS else partly
            target.extend(n for n in names if n not in target)
    return JournalAttendance(
        date=_date(lines),
        excused=tuple(excused),
        source_url=source_url,
        partly_excused=tuple(n for n in partly if n not in excused),
    )
