"""CSV and Excel exports.

* ``wide_rows``: one row per legislator, one column per scored vote;
* ``long_rows``: one row per legislator and scored vote;
* ``methodology_rows``: the rules the scores follow;
* ``session_vote_rows``: every roll call and member vote of a session.

CSV is UTF-8 with a byte-order mark (Excel then reads accents correctly).
Tallies are separate integer ``yeas`` and ``nays`` columns, never ``10-57``
(which Excel reads as a date).  Text cells that begin with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) are prefixed with ``'`` so that a
spreadsheet never runs them as a formula.  Numbers are written as numbers,
dates as dates (ISO ``2025-03-09`` in CSV; date cells in the workbook).

Each vote column of the wide sheet is headed with the vote and the bill's
title.  Its cell is the legislator's vote, "Not in office" for a vote of their
chamber taken while they were not seated ("Not on the committee" for a committee's
vote when they were not its member: ``tracker.methodology.vote_label``), and blank
for a vote of the other chamber (``ExportData.shows``).  The workbook's sheets have a frozen,
filterable header row and columns as wide as their contents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

from scrapers.vocab import CHAMBER_NAMES
from tracker import methodology as words
from tracker.exports import (
    DRAFT_MARK,
    ExportData,
    shown,
    vote_heading,
)
from tracker.extensions import db
from tracker.methodology import VOTE_LABELS, vote_label
from tracker.models import Bill, LegislativeSession, MemberVote, Person, RollCall

Cell = str | int | dt.date | None
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a workbook
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

WIDE_HEADER = [
    "Name",
    "Legislator ID",
    "Chamber",
    "District",
    "Party",
    "Score",
    "Grade",
    "Lifetime score",
    "Votes cast",
    "Votes possible",
    "Excused",
    "Attendance %",
]
LONG_HEADER = [
    "Name",
    "Legislator ID",
    "Chamber",
    "District",
    "Party",
    "Bill",
    "Session",
    "Bill title",
    "Vote chamber",
    "Date",
    "Motion",
    "Description",
    "Our position",
    "Aligned vote",
    "Weight",
    "Their vote",
    "Aligned",
    "Outcome",
    "yeas",
    "nays",
    "Journal page",
    "Source URL",
    "Roll call ID",
]
SESSION_HEADER = [
    "Session",
    "Bill",
    "Bill title",
    "Roll call ID",
    "Chamber",
    "Date",
    "Motion",
    "Amendment",
    "Outcome",
    "yeas",
    "nays",
    "Journal page",
    "Verified",
    "Source URL",
    "Legislator ID",
    "Name",
    "Printed name",
    "Vote",
]


def escape(value: Any) -> Cell:
    """A cell value safe to open in a spreadsheet."""
    if value is None or isinstance(value, bool):
        return None if value is None else ("Yes" if value else "No")
    if isinstance(value, int | dt.date):
        return value
    text = CONTROL.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _score_cell(score: Any) -> Cell:
    return shown(score)


def _attendance(row: Any) -> Cell:
    return shown(row.attendance * 100) if row.attendance is not None else None


def vote_headings(data: ExportData) -> list[str]:
    """The wide sheet's vote columns: ``HF 11 2025-03-09 Passage — <bill title>``
    (numbered when two votes would read the same)."""
    headings: list[str] = []
    seen: dict[str, int] = {}
    for vote in data.view.votes:
        title = vote.facts.get("bill_title")
        heading = vote_heading(vote) + (f" — {title}" if title else "")
        seen[heading] = seen.get(heading, 0) + 1
        headings.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return headings


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) or value is None:
        return value
    return dt.date.fromisoformat(str(value))


def wide_rows(data: ExportData) -> Iterator[list[Cell]]:
    yield [escape(h) for h in WIDE_HEADER + vote_headings(data)]
    for row in data.rows:
        cells: list[Any] = [
            row.person.name,
            row.person.public_id,
            CHAMBER_NAMES.get(row.chamber, row.chamber),
            row.district,
            row.party,
            _score_cell(row.score),
            row.grade,
            _score_cell(data.lifetime.get(row.person.id)),
            row.votes_cast,
            row.votes_possible,
            row.excused,
            _attendance(row),
        ]
        for vote in data.view.votes:
            option = row.votes.get(vote.roll_call_id, "not_seated")
            cells.append(
                vote_label(option, vote.facts.get("kind")) if data.view.shows(row, vote) else None
            )
        yield [escape(c) for c in cells]


def long_rows(data: ExportData) -> Iterator[list[Cell]]:
    yield [escape(h) for h in LONG_HEADER]
    for row in data.rows:
        for vote in data.view.votes_for(row):
            facts = vote.facts
            theirs = row.votes.get(vote.roll_call_id, "not_seated")
            aligned = None if theirs not in ("yes", "no") else theirs == vote.aligned
            cells: list[Any] = [
                row.person.name,
                row.person.public_id,
                CHAMBER_NAMES.get(row.chamber),
                row.district,
                row.party,
                facts["bill_label"],
                facts["session"],
                facts.get("bill_title"),
                CHAMBER_NAMES.get(facts["chamber"], facts["chamber"]),
                _date(facts["date"]),
                facts["motion"],
                vote.description,
                data.positions.get(vote.roll_call_id, "").capitalize() or None,
                VOTE_LABELS[vote.aligned],
                vote.weight,
                vote_label(theirs, facts.get("kind")),
                aligned,
                (facts.get("outcome") or "").capitalize() or None,
                _int(facts.get("yeas")),
                _int(facts.get("nays")),
                facts.get("journal_page") or None,
                facts.get("source_url"),
                facts["public_id"],
            ]
            yield [escape(c) for c in cells]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def methodology_rows(data: ExportData) -> list[list[Cell]]:
    method = data.view.methodology
    version = data.view.version
    bands = ", ".join(f"{letter} from {floor}" for floor, letter in method.get("grade_bands", []))
    rows: list[list[Any]] = [
        ["Scorecard", version.title],
        ["Organization", data.org_name],
        ["Version", data.version_label],
        ["Published", data.published_label],
        ["Generated", data.generated.isoformat()],
        ["Sessions", ", ".join(method.get("sessions", []))],
        ["Chambers", ", ".join(CHAMBER_NAMES.get(c, c) for c in method.get("chambers", []))],
        ["Scored votes", len(data.view.votes)],
        ["Score", words.SCORE_SHORT],
        ["Absence policy", words.policy_text(method.get("absence_policy"))],
        ["Minimum participation %", method.get("min_participation_pct")],
        ["Grade bands", bands or "none"],
        [
            "Lifetime score",
            "every scored vote of the latest published version of every "
            "scorecard, pooled, each roll call once",
        ],
        ["Attendance %", "votes cast ÷ votes held while seated (unweighted)"],
    ]
    facts = [v.facts for v in data.view.votes]
    if any(f.get("kind") == words.COMMITTEE_KIND for f in facts):
        rows.append(["Committee votes", words.committee_votes_text(facts)])
    for chamber, recorded in sorted((method.get("excused_recorded") or {}).items()):
        rows.append(
            [
                f"{CHAMBER_NAMES.get(chamber, chamber)} records excused absences",
                "yes" if recorded else "no",
            ]
        )
    for key, value in sorted(data.view.chamber_medians.items()):
        rows.append([f"{CHAMBER_NAMES.get(key, key)} median", shown(value)])
    for key, value in sorted(data.view.party_medians.items()):
        rows.append([f"{key} median", shown(value)])
    for line in getattr(version, "changes", None) or []:
        rows.append(["Correction", line])
    if data.draft:
        rows.insert(0, [DRAFT_MARK, ""])
    return [[escape(c) for c in r] for r in rows]


def session_vote_rows(session: LegislativeSession) -> Iterator[list[Cell]]:
    """Every roll call of a session and every member vote on it."""
    yield [escape(h) for h in SESSION_HEADER]
    query = (
        select(
            RollCall,
            Bill.bill_type,
            Bill.number,
            Bill.title,
            MemberVote.option,
            MemberVote.printed_name,
            Person.public_id,
            Person.name,
        )
        .join(Bill, RollCall.bill_id == Bill.id)
        .outerjoin(MemberVote, MemberVote.roll_call_id == RollCall.id)
        .outerjoin(Person, MemberVote.person_id == Person.id)
        .where(Bill.session_id == session.id)
        .order_by(
            RollCall.date,
            RollCall.chamber,
            RollCall.sequence,
            RollCall.id,
            Person.name,
            MemberVote.printed_name,
        )
    )
    for rc, bill_type, number, title, option, printed, person_id, name in db.session.execute(query):
        cells: list[Any] = [
            session.identifier,
            f"{bill_type} {number}",
            title,
            rc.public_id,
            CHAMBER_NAMES.get(rc.chamber, rc.chamber),
            rc.date,
            rc.motion,
            rc.amendment_id or None,
            (rc.outcome or "").capitalize() or None,
            rc.yeas,
            rc.nays,
            rc.journal_page or None,
            rc.verified,
            rc.source_url,
            person_id,
            name,
            printed,
            VOTE_LABELS.get(option, option) if option else None,
        ]
        yield [escape(c) for c in cells]


# ---------------------------------------------------------------- writers


def to_csv(rows: Iterable[Sequence[Cell]], *, draft: bool = False) -> bytes:
    """UTF-8 with a byte-order mark; a draft's first line is the watermark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if draft:
        writer.writerow([DRAFT_MARK])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def wide_csv(data: ExportData) -> bytes:
    return to_csv(wide_rows(data), draft=data.draft)


def long_csv(data: ExportData) -> bytes:
    return to_csv(long_rows(data), draft=data.draft)


def session_csv(session: LegislativeSession) -> bytes:
    return to_csv(session_vote_rows(session))


SHEETS = ("Scores", "Votes", "Methodology")
DATE_FORMAT = "yyyy-mm-dd"
WIDTH_RANGE = (6, 60)  # characters
HEADING_WIDTH = 24  # a long heading wraps rather than widen its column past this


def column_widths(header: Sequence[Cell], body: Sequence[Sequence[Cell]]) -> list[float]:
    """Each column as wide as its longest value (within ``WIDTH_RANGE``); headings
    count up to ``HEADING_WIDTH`` and wrap beyond it."""
    widths = [0.0] * max([len(header), *(len(r) for r in body)], default=0)
    for index, heading in enumerate(header):
        widths[index] = min(len(str(heading or "")), HEADING_WIDTH)
    for row in body:
        for index, value in enumerate(row):
            if value is not None:
                widths[index] = max(widths[index], len(str(value)))
    low, high = WIDTH_RANGE
    return [min(max(w + 2, low), high) for w in widths]


def _sheet(
    workbook: Any,
    name: str,
    rows: Iterator[list[Cell]] | list[list[Cell]],
    *,
    draft: bool,
    header: bool = True,
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    table = list(rows)
    head, body = (table[0], table[1:]) if header else ([], table)
    for index, width in enumerate(column_widths(head, body), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    first = 2 if draft else 1  # the header row (below the watermark of a draft)
    cells = []
    if header:  # sheet views are written with the first row: settings come first
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="bottom")
        for value in head:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font, cell.alignment = bold, wrap
            cells.append(cell)
        longest = max((len(str(h or "")) for h in head), default=0)
        lines = min(6, -(-longest // HEADING_WIDTH))
        if lines > 1:
            sheet.row_dimensions[first].height = 15 * lines
        sheet.freeze_panes = f"B{first + 1}"
        sheet.auto_filter.ref = (
            f"A{first}:{get_column_letter(max(len(head), 1))}{first + len(body)}"
        )
    if draft:
        sheet.append([DRAFT_MARK])
    if header:
        sheet.append(cells)
    for row in body:
        out: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)


def to_xlsx(data: ExportData) -> bytes:
    """A workbook with the wide sheet ("Scores"), the long one ("Votes") and
    the methodology.  A draft's sheets start with the watermark row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _sheet(workbook, "Scores", wide_rows(data), draft=data.draft)
    _sheet(workbook, "Votes", long_rows(data), draft=data.draft)
    _sheet(workbook, "Methodology", methodology_rows(data), draft=False, header=False)
    workbook.properties.title = f"{data.title} ({data.version_label})"
    workbook.properties.creator = data.org_name
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
