"""Senate roll calls from the Senate Journal PDFs (mn-sources.md section 4).

The Senate publishes member-level roll calls only inside its journal:

1. :func:`gotopage_url` / :func:`parse_gotopage` resolve a printed journal page
   (``4172``, ``1798a``) to the day's PDF and the page within it;
2. :func:`extract_pages_text` pulls the text of a few PDF pages (the roll call
   can start on the page before and run onto the next);
3. :func:`find_roll_call` finds "The roll was called, and there were yeas N and
   nays M, as follows:" with the expected tally and reads the name lists, the
   motion and the outcome;
4. :func:`parse_day_roll` reads the day's opening roll ("The roll was called,
   and the following Senators answered to their names:" / "... were present:")
   and the Rule 40.7 note naming the senators taking part remotely.

Text extraction uses MuPDF through PyMuPDF (AGPL, like this project; a binary
wheel, no system libraries): each text line with its box, laid out so that the
columns of the name lists stay apart by two or more spaces while two-word
surnames (``Van Loon``) are not split.

Pure functions over bytes and text: no network, no database.  Names are
returned as printed; whether they add up is :mod:`scrapers.reconcile`'s job.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import json
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pymupdf
from pymupdf import mupdf as _mupdf

from scrapers import vocab
from scrapers.house_journal import (
    is_name_row,
    is_printed_name,
    is_prose,
    split_columns,
    split_name_list,
)
from scrapers.parsing import ParseError
from scrapers.vote_records import JournalPage, ParsedRollCall

__all__ = [
    "SenateRoll",
    "extract_pages_text",
    "find_roll_call",
    "gotopage_url",
    "parse_day_roll",
    "parse_gotopage",
]

# --- gotopage -------------------------------------------------------------------------

_SAFE_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_BIENNIUM = re.compile(r"^\d{4}-\d{4}$")


def gotopage_url(senate_base: str, page: str | int, legislature: int | str) -> str:
    """``{base}/api/journal/gotopage?page=1798&ls=94``; non-digits are stripped from
    the page (``1798a`` -> ``1798``).  A page without digits raises ValueError."""
    digits = re.sub(r"\D", "", str(page))
    if not digits or int(digits) == 0:
        raise ValueError(f"not a journal page number: {page!r}")
    ls = re.sub(r"\D", "", str(legislature))
    if not ls:
        raise ValueError(f"not a legislature number: {legislature!r}")
    query = urlencode({"page": str(int(digits)), "ls": str(int(ls))})
    return f"{senate_base.rstrip('/')}/api/journal/gotopage?{query}"


def parse_gotopage(content: bytes | str, *, source_url: str, senate_base: str) -> JournalPage:
    """The journal PDF and page within it, from the ``gotopage`` JSON.

    Expects an object with ``filename`` (``20250429041``; a ``.pdf`` suffix is
    tolerated), ``fileBiennium`` (``2025-2026``) and ``internal_page`` (a
    positive integer, or digits as text).  The PDF is
    ``{senate_base}/journals/{biennium}/{filename}.pdf``.  Anything else (not
    JSON, empty values when the API has no file for the page, a file name with
    a path in it) raises :class:`ParseError`.
    """
    try:
        data: Any = json.loads(content)
    except (ValueError, TypeError) as exc:
        raise ParseError(f"gotopage response is not JSON: {exc}", source_url=source_url) from exc
    if not isinstance(data, dict):
        raise ParseError(
            f"gotopage response is a JSON {type(data).__name__}, expected an object",
            source_url=source_url,
        )
    filename = data.get("filename")
    biennium = data.get("fileBiennium")
    internal = data.get("internal_page")
    if not filename or not biennium:
        raise ParseError("the journal API has no file for this page", source_url=source_url)
    filename = str(filename).strip()
    if filename.lower().endswith(".pdf"):
        filename = filename[:-4]
    biennium = str(biennium).strip()
    if not _SAFE_FILENAME.match(filename):
        raise ParseError(f"unexpected journal file name {filename!r}", source_url=source_url)
    if not _BIENNIUM.match(biennium):
        raise ParseError(f"unexpected journal biennium {biennium!r}", source_url=source_url)
    if isinstance(internal, bool) or not (
        isinstance(internal, int) or (isinstance(internal, str) and internal.strip().isdigit())
    ):
        raise ParseError(f"internal_page {internal!r} is not a number", source_url=source_url)
    page = int(internal)
    if page < 1:
        raise ParseError(f"internal_page {page} is not a page", source_url=source_url)
    return JournalPage(
        filename=filename,
        biennium=biennium,
        internal_page=page,
        pdf_url=f"{senate_base.rstrip('/')}/journals/{biennium}/{filename}.pdf",
    )


# --- PDF text -----------------------------------------------------------------------------

# MuPDF (PyMuPDF's bundled low-level bindings) builds each page's structured text
# with one line per text run (PRESERVE_SPANS: a column cell drawn on its own stays
# its own line even when it nearly touches the next one), no clipping to the page,
# ligatures expanded and spaces synthesised where a PDF positions words apart
# without a space character.  Its XML form without characters gives every line
# with its box in one C call; :func:`_layout` lays the lines out on a grid.
_STEXT_OPTIONS = _mupdf.FzStextOptions(_mupdf.FZ_STEXT_PRESERVE_SPANS)
# Whole points are precise enough: a run after another one either touches it (a
# font change, under 0.15 em), follows MuPDF's synthesised space (up to 0.8 em)
# or starts a column (beyond 0.8 em).
_XML_LINE = re.compile(  # as MuPDF 1.28 prints a line: bbox, wmode, dir, flags, text
    r'<line bbox="(-?\d+)[^ ]* (-?\d+)[^ ]* (-?\d+)[^ ]* (-?\d+)[^"]*" wmode="[^"]*"'
    r' dir="([^" ]+) [^"]*" flags="[^"]*" text="([^"]*)"'
)
_XML_LINE_ANY = re.compile(  # any other attributes, in any order after the box
    r'<line bbox="(-?\d+)[^ ]* (-?\d+)[^ ]* (-?\d+)[^ ]* (-?\d+)[^"]*"'
    r'(?=[^>]*? dir="([^" ]+) )(?=[^>]*? text="([^"]*)")'
)
_ROW_TOLERANCE = 0.4  # bottoms closer than this fraction of the line height share a row
_COLUMN_GAP = 0.5  # a gap wider than this fraction of the line height separates columns
_WORD_GAP = 0.1  # a narrower one joins two runs without a space (a font change in a word)
_SPACE_REACH = 0.7  # MuPDF puts a space, not a new run, in gaps up to 0.8 em (0.7 heights)
# The grid is finer than the mean character width, so that a column is as many
# cells wide as the longest name it holds has characters (narrow letters too) and
# the columns of every row start at the same positions.
_GRID = 0.75

# (bottom, left, right, height, text) of a run of text on one baseline, in points
_Run = tuple[int, int, int, int, str]
_LEFT = operator.itemgetter(1)


@functools.lru_cache(maxsize=4096)
def _unescape(text: str) -> str:
    return html.unescape(text)  # names repeat from page to page


def _xml_runs(xml: str) -> list[_Run]:
    """The upright, non-blank text lines of a page's XML."""
    found = _XML_LINE.findall(xml) or _XML_LINE_ANY.findall(xml)
    if not found:
        return []
    x0s, y0s, x1s, y1s, dirs, texts = zip(*found, strict=True)
    if "&" in xml:
        texts = tuple([_unescape(t) if "&" in t else t for t in texts])
    bottom = list(map(int, y1s))
    runs = list(
        zip(
            bottom,
            map(int, x0s),
            map(int, x1s),
            map(operator.sub, bottom, map(int, y0s)),
            texts,
            strict=True,
        )
    )
    if dirs.count("1") != len(dirs) or not all(map(str.strip, texts)):
        runs = [  # drop blank runs and rotated text (margin notes, watermarks)
            run
            for run, d in zip(runs, dirs, strict=True)
            if run[4].strip() and (d == "1" or float(d) >= 0.9)
        ]
    return runs


def _layout(runs: list[_Run]) -> str:
    """The runs of one page, top to bottom, each row's runs left to right.

    The runs of a row are placed on a grid of character cells from the left-most
    text (a cell is :data:`_GRID` times the page's mean character width).  A run
    is put at least two spaces after the text before it (a column of a name
    list) when it starts after a column gap, or after any gap in a row that has
    a column gap, or where a run of another row starts (a long name nearly
    filling its column); otherwise it is joined by one space, or by none when it
    touches (a font change inside a word).  The spacing inside a run is kept.

    A run that MuPDF starts with a space (the gap before it was narrower than
    0.8 em) has its box start where the run before it ends; its first letter is
    taken to be at a column start of another row within that reach, if any.
    """
    if not runs:
        return ""
    runs.sort()
    left = min(map(_LEFT, runs))
    chars = sum(map(len, map(operator.itemgetter(4), runs)))
    width = sum(map(operator.itemgetter(2), runs)) - sum(map(_LEFT, runs))
    cell = _GRID * width / chars if width > 0 else 1.0
    rows: list[list[_Run]] = []
    row: list[_Run] = []
    row_y = -(10**9)
    for run in runs:
        if run[0] - row_y <= _ROW_TOLERANCE * run[3]:
            row.append(run)
        else:
            row = [run]
            rows.append(row)
            row_y = run[0]
    starts: dict[int, int] = {}  # points -> runs starting there after a gap after another run
    tabular: set[int] = set()  # rows with a column gap
    for index, row in enumerate(rows):
        if len(row) > 1:
            row.sort(key=_LEFT)
            end = row[0][2]
            for _, x0, x1, height, text in row[1:]:
                gap = x0 - end
                if gap > _WORD_GAP * height and not text[0].isspace():
                    if gap > _COLUMN_GAP * height:
                        tabular.add(index)
                    starts[x0] = starts.get(x0, 0) + 1
                if x1 > end:
                    end = x1
    aligned = {k for k, n in starts.items() if n + starts.get(k - 1, 0) + starts.get(k + 1, 0) > 1}
    out: list[str] = []
    for index, row in enumerate(rows):
        _, x0, end, _, text = row[0]
        indent = round((x0 - left) / cell)
        if len(row) == 1:
            out.append(" " * indent + text if indent > 0 else text)
            continue
        parts = [" " * indent, text] if indent > 0 else [text]
        length = max(indent, 0) + len(text)
        in_table = index in tabular
        for _, x0, x1, height, text in row[1:]:
            column = length
            if text[0].isspace():  # MuPDF's space: the box starts where the run before ends
                reach = range(end + 1, end + int(_SPACE_REACH * height) + 1)
                start = next((k for k in reach if k in starts), None)
                if start is not None:
                    text = text.lstrip()
                    column = max(round((start - left) / cell), length + 2)
                elif in_table:
                    text = text.lstrip()
                    column = length + 2
            elif x0 - end > _WORD_GAP * height:
                if in_table or x0 in aligned:
                    column = max(round((x0 - left) / cell), length + 2)
                elif not parts[-1][-1].isspace():
                    column = length + 1
            if column > length:
                parts.append(" " * (column - length))
                length = column
            parts.append(text)
            length += len(text)
            if x1 > end:
                end = x1
        out.append("".join(parts))
    return "\n".join(out)


def _page_text(document: _mupdf.FzDocument, index: int) -> str:
    stext = _mupdf.FzStextPage(_mupdf.fz_load_page(document, index), _STEXT_OPTIONS)
    buffer = _mupdf.fz_new_buffer(16384)
    output = _mupdf.FzOutput(buffer)
    _mupdf.fz_print_stext_page_as_xml_with_flags(output, stext, index, 0)  # 0: no chars
    output.fz_close_output()
    data: bytes = buffer.fz_buffer_extract()
    return _layout(_xml_runs(data.decode("utf-8", "replace")))


def extract_pages_text(
    pdf_bytes: bytes, first: int, last: int, *, source_url: str | None = None
) -> list[str]:
    """The layout-preserving text of PDF pages ``first``..``last`` (1-based, inclusive).

    Each page's text lines come top to bottom; the lines of one row (the
    columns of a name list) are joined with runs of at least two spaces, so a
    two-word surname (``Van Loon``) stays whole while columns split.  The range
    is clamped to the document; a range entirely outside it, a body that is
    not a PDF, a truncated PDF (no ``%%EOF`` near the end), an encrypted PDF
    that does not open with an empty password, or any error from the PDF
    library raises :class:`ParseError`.
    """
    if not pdf_bytes or b"%PDF-" not in pdf_bytes[:1024]:
        raise ParseError("not a PDF", source_url=source_url)
    if b"%%EOF" not in pdf_bytes[-4096:]:
        raise ParseError("truncated PDF (no end-of-file marker)", source_url=source_url)
    # MuPDF would print its errors on stdout.  (PyMuPDF's TOOLS methods carry no
    # annotations, hence the no-untyped-call ignores here and in ``finally``.)
    shown = pymupdf.TOOLS.mupdf_display_errors()  # type: ignore[no-untyped-call]
    pymupdf.TOOLS.mupdf_display_errors(False)  # type: ignore[no-untyped-call]
    try:
        buffer = _mupdf.fz_new_buffer_from_copied_data(pdf_bytes)
        document = _mupdf.fz_open_document_with_stream(
            "application/pdf", _mupdf.fz_open_buffer(buffer)
        )
        if _mupdf.fz_needs_password(document) and not _mupdf.fz_authenticate_password(document, ""):
            raise ParseError("encrypted PDF", source_url=source_url)
        count = _mupdf.fz_count_pages(document)
        if count < 1:
            raise ParseError("unreadable PDF: no pages", source_url=source_url)
        lo, hi = max(1, first), min(count, last)
        if lo > hi:
            raise ParseError(
                f"pages {first}-{last} are outside the document's {count} pages",
                source_url=source_url,
            )
        return [_page_text(document, n - 1) for n in range(lo, hi + 1)]
    except ParseError:
        raise
    except Exception as exc:  # MuPDF raises FzErrorFormat, FzErrorSyntax, ... on damaged input
        raise ParseError(
            f"unreadable PDF: {type(exc).__name__}: {exc}", source_url=source_url
        ) from exc
    finally:
        pymupdf.TOOLS.mupdf_display_errors(shown)  # type: ignore[no-untyped-call]
        # PyMuPDF keeps every message otherwise.
        pymupdf.TOOLS.reset_mupdf_warnings()  # type: ignore[no-untyped-call]


# --- journal text ---------------------------------------------------------------------------

_I = re.IGNORECASE
_ORDINAL_DAY = r"\d+(?:ST|ND|RD|TH)\s+DAY"
_MONTHS = (
    "JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"
).split()
_HEAD_EVEN = re.compile(
    rf"^(\d+[A-Za-z]?)\s+JOURNAL\s+OF\s+THE\s+SENATE\s+\[?\s*{_ORDINAL_DAY}\]?$", _I
)
_HEAD_ODD = re.compile(
    rf"^\[?{_ORDINAL_DAY}\]\s+[A-Z]+DAY,?\s+([A-Z]+)\s+(\d{{1,2}}),\s+(\d{{4}})\s+(\d+[A-Za-z]?)$",
    _I,
)
_FURNITURE = [
    re.compile(r"^\d+[A-Za-z]?$"),
    re.compile(r"^JOURNAL\s+OF\s+THE\s+SENATE$", _I),
    re.compile(rf"^\[?{_ORDINAL_DAY}\]?$", _I),
]
_RULE40 = re.compile(r"^Pursuant\s+to\s+Rule\s+40\b", _I)
_TALLY = re.compile(
    r"The\s+roll\s+was\s+called,?\s+and\s+there\s+were\s+yeas\s+(\d+)\s+and\s+nays\s+(\d+),?"
    r"\s+as\s+follows:?",
    _I,
)
_AFFIRMATIVE = re.compile(r"Those\s+who\s+voted\s+in\s+the\s+affirmative\s+were:?", _I)
_NEGATIVE = re.compile(r"Those\s+who\s+voted\s+in\s+the\s+negative\s+were:?", _I)
_OUTCOME = re.compile(
    r"^(?:So\s+the\s+[^.]*?\.|The\s+[^.]*?(?:prevailed|did\s+not\s+prevail|"
    r"was\s+(?:not\s+)?adopted|failed(?:\s+to\s+pass)?)\.|[^.\n]*\bdid\s+not\s+prevail\.)",
    _I | re.MULTILINE,
)
_QUESTION = re.compile(r"The\s+question\s+was\s+taken\s+on\b", _I)
_SENTENCE_END = re.compile(r"\.[ \t]*(?:\n|$)")
_WS = re.compile(r"\s+")
_COLUMNS = re.compile(r"\s{2,}|\t")
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|^and\s+|\s+and$", _I)
_INITIALS = re.compile(r"^(?:[^\W\d_]\.\s*)+$")
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*\.?$")
_MAX_NAME_WORDS = 3


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Page:
    __slots__ = ("date", "lines", "number")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.number: str = ""
        self.date: dt.date | None = None


def _clean_page(text: str, *, keep_notes: bool = False) -> _Page:
    """Drop page furniture (recording the printed page number and date) and,
    unless ``keep_notes``, "Pursuant to Rule 40" notes; keep the other lines'
    inner spacing."""
    page = _Page()
    in_note = False
    for raw in text.replace("\xa0", " ").splitlines():
        line = raw.strip()
        flat = _collapse(line)
        if not flat:
            continue
        if m := _HEAD_EVEN.match(flat):
            page.number = page.number or m.group(1)
            continue
        if m := _HEAD_ODD.match(flat):
            page.number = page.number or m.group(4)
            month = m.group(1).upper()
            if month in _MONTHS:
                try:
                    page.date = dt.date(int(m.group(3)), _MONTHS.index(month) + 1, int(m.group(2)))
                except ValueError:
                    page.date = None
            continue
        if any(p.match(flat) for p in _FURNITURE):
            if flat[0].isdigit():
                page.number = page.number or flat
            continue
        if not keep_notes and (in_note or _RULE40.match(flat)):
            # A note runs to the end of its sentence; a list marker ends it too.
            if _AFFIRMATIVE.search(flat) or _NEGATIVE.search(flat) or _OUTCOME.match(flat):
                in_note = False
            else:
                in_note = not flat.endswith(".")
                continue
        page.lines.append(line)
    return page


def _split_names(text: str) -> list[str]:
    """Names from list lines: columns (wide gaps), commas and "and" separate them.

    Initials after a comma stay with their surname (``Johanssen, P.``).  The list
    ends at the first line holding something that is not a name.
    """
    names: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        found: list[str] = []
        for chunk in _COLUMNS.split(line):
            for token in _LIST_SEP.split(chunk):
                token = _collapse(token)
                if not token:
                    continue
                if _INITIALS.match(token) and found:
                    found[-1] = f"{found[-1]}, {token}"
                    continue
                if token.endswith(".") and not re.search(r"(?:^|[\s.])[^\W\d_]\.$", token):
                    token = token[:-1]
                if not _NAME.match(token) or len(token.split()) > _MAX_NAME_WORDS:
                    return names
                found.append(token)
        names.extend(found)
    return names


def _bill_mention(bill_type: str, number: int) -> re.Pattern[str]:
    letters = r"\.\s*".join(re.escape(c) for c in bill_type.upper())
    return re.compile(rf"\b{letters}\.?\s*Nos?\.\s*0*{number}\b", _I)


def find_roll_call(
    pages_text: Sequence[str],
    *,
    bill_type: str,
    number: int,
    yeas: int,
    nays: int,
    source_url: str,
    first_page: int = 1,
    date: dt.date | None = None,
    journal_page: str | None = None,
) -> ParsedRollCall:
    """The roll call with tally (``yeas``, ``nays``) in the text of consecutive pages.

    ``pages_text[0]`` is PDF page ``first_page`` (as passed to
    :func:`extract_pages_text`); ``source_url`` is the PDF URL, and the result's
    URL gets ``#page=N`` for the page where the tally line is.  Page furniture
    and "Pursuant to Rule 40" notes are removed and the pages are read as one
    text, so a list may run across a page break.

    When several roll calls on the pages have that tally, the ones whose
    preceding text mentions the bill (``S.F. No. 1832``) are preferred; if still
    more than one remains, or none has the tally, :class:`ParseError` is raised.

    * motion: the nearest preceding "The question was taken on ..." sentence
      since the previous roll call, else "Third reading";
    * outcome: the outcome sentence as printed ("So the bill passed and its
      title was agreed to.", "The motion prevailed.", "The amendment was not
      adopted."), or None when none follows the lists;
    * date: ``date`` if given, else from the running head ("TUESDAY, APRIL 29,
      2025"), else None;
    * journal_page: ``journal_page`` if given, else the printed number of the
      page where the tally is, else "";
    * position: the index of the tally among all tallies on these pages.
    """
    pages = [_clean_page(t or "") for t in pages_text]
    parts: list[str] = []
    offsets: list[int] = []  # start offset of each page's text in ``joined``
    cursor = 0
    for page in pages:
        offsets.append(cursor)
        chunk = "\n".join(page.lines) + "\n"
        parts.append(chunk)
        cursor += len(chunk)
    joined = "".join(parts)

    tallies = list(_TALLY.finditer(joined))
    expected = [
        (i, m) for i, m in enumerate(tallies) if (int(m.group(1)), int(m.group(2))) == (yeas, nays)
    ]
    if not expected:
        raise ParseError(
            f"journal page does not contain the expected roll call yeas {yeas} nays {nays}",
            source_url=source_url,
        )
    if len(expected) > 1:
        mention = _bill_mention(bill_type, number)
        about_bill = [
            (i, m)
            for i, m in expected
            if mention.search(joined, tallies[i - 1].end() if i else 0, m.start())
        ]
        if len(about_bill) != 1:
            raise ParseError(
                f"{len(expected)} roll calls with yeas {yeas} nays {nays} on these pages; "
                f"cannot tell which one is {bill_type} {number}",
                source_url=source_url,
            )
        expected = about_bill
    index, tally = expected[0]
    context_start = tallies[index - 1].end() if index else 0
    bound = tallies[index + 1].start() if index + 1 < len(tallies) else len(joined)

    # Motion: the last question sentence between the previous roll call and this one.
    motion = "Third reading"
    questions = list(_QUESTION.finditer(joined, context_start, tally.start()))
    if questions:
        sentence = joined[questions[-1].start() : tally.start()]
        if end := _SENTENCE_END.search(sentence):
            sentence = sentence[: end.start() + 1]
        motion = _collapse(sentence)

    pos = tally.end()
    affirmative = _AFFIRMATIVE.search(joined, pos, bound)
    negative = _NEGATIVE.search(joined, affirmative.end() if affirmative else pos, bound)
    after_lists = max(m.end() for m in (tally, affirmative, negative) if m is not None)
    outcome = _OUTCOME.search(joined, after_lists, bound)
    stop = outcome.start() if outcome else bound
    yes_names: list[str] = []
    no_names: list[str] = []
    if affirmative:
        yes_names = _split_names(joined[affirmative.end() : negative.start() if negative else stop])
    if negative:
        no_names = _split_names(joined[negative.end() : stop])

    page_index = bisect.bisect_right(offsets, tally.start()) - 1
    page = pages[page_index]
    if date is None:
        date = page.date or next((p.date for p in pages if p.date), None)
    if journal_page is None:
        journal_page = page.number
    base_url = source_url.split("#", 1)[0]
    return ParsedRollCall(
        bill_type=bill_type,
        number=number,
        chamber=vocab.SENATE,
        date=date,
        motion=motion,
        description_lines=(motion,),
        amendment_id="",
        yeas=yeas,
        nays=nays,
        journal_page=journal_page,
        yes_names=tuple(yes_names),
        no_names=tuple(no_names),
        position=index,
        outcome=_collapse(outcome.group(0)) if outcome else None,
        source_url=f"{base_url}#page={first_page + page_index}",
    )


# --- the day's roll ---------------------------------------------------------------------------

_DAY_ROLL = re.compile(
    r"The\s+roll\s+was\s+called,?\s+and\s+the\s+following\s+Senators\s+"
    r"(?:answered\s+to\s+their\s+names|were\s+present)\s*:?",
    _I,
)
_QUORUM_DECLARED = re.compile(
    r"^The\s+President\s+declared\s+a\s+quorum\s+(?:not\s+)?present\b", _I
)
_PURSUANT = re.compile(r"^Pursuant\s+to\s+Rule\b", _I)
_REMOTE_RULE = re.compile(r"\bRule\s+40\.7\b", _I)
_DATELINE = re.compile(
    r"\b(?:St\.|Saint)\s+Paul,\s+Minnesota,\s+(?:[A-Za-z]+day,\s+)?([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})",
    _I,
)


@dataclass(frozen=True)
class SenateRoll:
    """The roll that opens a Senate Journal day.

    ``present`` is printed in columns five to a row and returned in reading
    order (row by row, left to right); ``remote`` lists the senators a Rule 40.7
    note names as taking part remotely (locations dropped), else ``()``.  The
    Senate prints no excused list, so seated senators missing from the roll are
    "not present", never "excused".
    """

    date: dt.date | None
    present: tuple[str, ...]
    remote: tuple[str, ...]
    source_url: str  # the PDF with ``#page=N`` of the page holding the roll heading


_ROLL_COLUMNS = 5  # the day's roll prints five names to a row (mn-sources.md section 11.1)


def _dateline(lines: Sequence[str]) -> dt.date | None:
    for line in lines:
        if m := _DATELINE.search(_collapse(line)):
            month = m.group(1).upper()
            if month in _MONTHS:
                try:
                    return dt.date(int(m.group(3)), _MONTHS.index(month) + 1, int(m.group(2)))
                except ValueError:
                    return None
    return None


def _note_end(text: str) -> int:
    """The end of the sentence starting ``text``: a period outside parentheses
    (``(St. Paul, MN)`` is skipped) followed by the end of the text or by a
    capitalised word; commas and ``and`` continue a list (``Anderson, B., and``)."""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "." and depth == 0:
            rest = text[i + 1 :]
            if not rest.strip() or (rest[:1].isspace() and rest.lstrip()[:1].isupper()):
                return i + 1
    return len(text)


def _remote_names(note: str, *, source_url: str) -> list[str]:
    """Names in "... intend to vote under Rule 40.7 from the following remote
    locations: Anderson (Buffalo, MN); ... and Wiklund (Bloomington, MN)." or
    "... under Rule 40.7: Abeler, Carlson (California), ... and Wiklund."."""
    if ":" not in note:
        raise ParseError(f"cannot read the remote senators in {note!r}", source_url=source_url)
    listed = note.rsplit(":", 1)[1].strip().rstrip(".")
    while True:
        stripped = re.sub(r"\s*\([^()]*\)", "", listed)
        if stripped == listed:
            break
        listed = stripped
    if "(" in listed or ")" in listed:
        raise ParseError(f"unbalanced parentheses in {note!r}", source_url=source_url)
    return split_name_list(listed, sentence=note, source_url=source_url)


def parse_day_roll(
    pages_text: Sequence[str], *, source_url: str, first_page: int = 1
) -> SenateRoll:
    """The day's roll in the text of the first pages of a Senate Journal day.

    ``pages_text`` is what :func:`extract_pages_text` returns, ``pages_text[0]``
    being PDF page ``first_page``.  The heading is "The roll was called, and the
    following Senators answered to their names:" (2011, 2017) or "... were
    present:" (2021), possibly broken across lines; the names follow in
    columns, page furniture is dropped, and the roll ends at "The President
    declared a quorum present.", a "Pursuant to Rule ..." note or the next
    sentence.  A Rule 40.7 note right after the roll (before or after the
    quorum sentence) gives ``remote``.

    * date: the dateline ("St. Paul, Minnesota, Tuesday, April 4, 2017") on the
      roll's page, else that page's running head, else None;
    * no roll heading, an empty roll, a cell that is not a printed name, a row
      other than the last that does not hold five names (two names read as one
      cell, ``Bakk Benson``, or one name split in two), a line inside the roll
      followed by more rows of names (a note or a stray sentence, rather than the
      roll's end), or a remote note whose names cannot be read raise
      :class:`ParseError`.
    """
    pages = [_clean_page(t or "", keep_notes=True) for t in pages_text]
    raw: list[str] = []
    page_of: list[int] = []
    for index, page in enumerate(pages):
        raw.extend(page.lines)
        page_of.extend([index] * len(page.lines))
    flat = [_collapse(line) for line in raw]
    offsets: list[int] = []
    cursor = 0
    for line in flat:
        offsets.append(cursor)
        cursor += len(line) + 1
    joined = " ".join(flat)
    heading = _DAY_ROLL.search(joined)
    if heading is None:
        raise ParseError(
            'no daily roll ("The roll was called, and the following Senators answered to '
            'their names" / "were present") on these journal pages',
            source_url=source_url,
        )
    at = bisect.bisect_right(offsets, heading.end() - 1) - 1
    rest = flat[at][heading.end() - offsets[at] :].strip()

    groups: list[list[str]] = [[rest]] if rest else []
    group_page = -1
    end = at + 1
    while end < len(flat):
        line = flat[end]
        if _QUORUM_DECLARED.match(line) or _PURSUANT.match(line) or is_prose(line):
            break
        if page_of[end] != group_page or not groups:
            groups.append([])
            group_page = page_of[end]
        groups[-1].append(raw[end])
        end += 1
    present: list[str] = []
    rows: list[tuple[str, int]] = []  # each printed row and its number of names
    for group in groups:
        for row, cells in zip(group, split_columns(group), strict=True):
            for cell in cells:
                if not is_printed_name(cell) or cell.startswith(("Spk.", "Sp.")):
                    raise ParseError(
                        f"cannot read the Senate roll: {cell!r} (in {_collapse(row)!r}) "
                        "is not a printed name",
                        source_url=source_url,
                    )
                present.append(cell)
            rows.append((row, len(cells)))
    if not present:
        raise ParseError("the Senate roll is empty", source_url=source_url)
    for row, count in rows[:-1]:
        if count != _ROLL_COLUMNS:
            raise ParseError(
                f"cannot read the Senate roll: {_ROLL_COLUMNS} names to a row are printed, "
                f"{count} read in {_collapse(row)!r} (names run together or split)",
                source_url=source_url,
            )

    roll_end = end  # the line ending the roll
    remote: list[str] = []
    while end < len(flat):
        line = flat[end]
        if _QUORUM_DECLARED.match(line):
            end += 1
            continue
        if not _PURSUANT.match(line):
            # The roll's end, unless names follow: then a line interrupted the roll.
            for index in (end, end + 1):
                if index < len(flat) and is_name_row(raw[index]):
                    raise ParseError(
                        f"unexpected line inside the Senate roll: {flat[roll_end]!r} is "
                        f"followed by more names ({flat[index]!r})",
                        source_url=source_url,
                    )
            break
        stop = offsets[end] + _note_end(joined[offsets[end] :])
        note = joined[offsets[end] : stop]
        if _REMOTE_RULE.search(note):
            names = _remote_names(note, source_url=source_url)
            remote.extend(n for n in names if n not in remote)
        # past the line where the note ends (the rest of that line is not read)
        end = bisect.bisect_right(offsets, stop - 1)

    page_index = page_of[at]
    date = _dateline(pages[page_index].lines[: at - page_of.index(page_index) + 1])
    if date is None:
        date = pages[page_index].date
    base_url = source_url.split("#", 1)[0]
    return SenateRoll(
        date=date,
        present=tuple(present),
        remote=tuple(remote),
        source_url=f"{base_url}#page={first_page + page_index}",
    )
