"""Print-ready PDFs (fpdf2): a whole scorecard, and one page per legislator.

DejaVu Sans (shipped with matplotlib) is embedded, so accented names render
and extract as text.  Every page carries the scorecard title, its version,
the date it was generated and "Page n of N"; a draft preview also carries a
diagonal, see-through "DRAFT — NOT FOR PUBLICATION" watermark over every page.

Tables, the legislator × vote grid and the charts are drawn with fpdf's own
vector primitives (text, rectangles, lines), never placed as images: they are
crisp at any zoom, cost a few milliseconds, and split across pages by rows
(and the grid by columns too), so nothing is ever wider or taller than its
page whatever the number of legislators or votes.

The words are in the language of the request (``?lang=es``: ``tracker.i18n``), English
outside a request (the command line) and on staff pages; names, bill numbers and
titles, dates of the record and the draft watermark stay as they are.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask_babel import gettext, ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import ImageColor

from scrapers.vocab import CHAMBER_NAMES
from tracker import charts, i18n
from tracker import methodology as words
from tracker.exports import DRAFT_MARK, ExportData, print_day, shown
from tracker.exports.cards import chamber_median, colors, font_path, seat_line
from tracker.i18n import N_
from tracker.methodology import blank_label, vote_label
from tracker.snapshots import Row as LegislatorRow
from tracker.snapshots import Vote

FONT = "DejaVu"
PT = 25.4 / 72  # millimetres per point
INK = (20, 20, 20)
GREY = (100, 100, 100)
RULE = (200, 200, 200)
SHADE = (242, 244, 247)
PAD = 0.8  # mm inside a table cell, left and right

T = TypeVar("T")


def _hex(color: str) -> tuple[int, int, int]:
    red, green, blue = ImageColor.getrgb(color)[:3]
    return red, green, blue


def chamber_word(chamber: str) -> str:
    """``House`` / ``Senate`` in the request's language."""
    return i18n.word(CHAMBER_NAMES.get(chamber, chamber))


def party_rgb(party: str | None) -> tuple[int, int, int]:
    """The party colour of the charts (``tracker.charts.PARTY_COLORS``)."""
    return _hex(charts.PARTY_COLORS.get(party or "", charts.OTHER_COLOR))


class ScorecardPDF(FPDF):
    def __init__(self, data: ExportData) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.data = data
        self.primary, self.accent = colors(data.org_colors)
        self.add_font(FONT, "", str(font_path(False)))
        self.add_font(FONT, "B", str(font_path(True)))
        self.set_font(FONT, size=10)
        self.set_margins(15, 18, 15)
        self.c_margin = 0  # text flush with the margins, as the tables and charts are
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"{data.title} ({data.version_words})")
        self.set_author(data.org_name)
        self.set_creator(data.org_name)
        self.set_creation_date(dt.datetime.combine(data.generated, dt.time(), dt.UTC))

    def header(self) -> None:
        with self.local_context(text_color=GREY):
            self.set_font(FONT, "", 8)
            self.set_y(8)
            self.cell(0, 5, f"{self.data.org_name} · {self.data.title}", align="L")
        self.set_y(self.t_margin)
        self.set_font(FONT, "", 10)

    def footer(self) -> None:
        self.set_y(-13)
        with self.local_context(text_color=GREY):
            self.set_font(FONT, "", 8)
            left = gettext(
                "%(title)s · %(version)s · Generated %(day)s",
                title=self.data.title,
                version=self.data.version_words,
                day=print_day(self.data.generated),
            )
            self.cell(self.epw * 0.8, 5, left, align="L")
            self.cell(
                self.epw * 0.2,
                5,
                gettext("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}"),
                align="R",
            )
        if self.data.draft:  # over everything on the page, see-through
            with self.local_context(text_color=(215, 60, 60), fill_opacity=0.45):
                self.set_font(FONT, "B", 40)
                with self.rotation(45, self.w / 2, self.h / 2):
                    width = self.get_string_width(DRAFT_MARK)
                    self.text(self.w / 2 - width / 2, self.h / 2, DRAFT_MARK)

    def heading(self, text: str, size: int = 15) -> None:
        """A heading, left-aligned (fpdf's default, justified, spreads a wrapped
        title's first line across the page with wide gaps)."""
        with self.local_context(text_color=self.primary):
            self.set_font(FONT, "B", size)
            self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        self.ln(2)

    def para(self, text: str, size: float = 10, height: float = 5, align: str = "J") -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    # ------------------------------------------------------------ primitives

    @property
    def bottom(self) -> float:
        """The lowest y anything may reach on a page (the bottom margin)."""
        return self.page_break_trigger

    def room(self) -> float:
        return self.bottom - self.get_y()

    def fit(self, text: str, width: float, *, cut: bool = False) -> str:
        """``text`` cut with "…" to ``width`` mm in the current font (always
        ending in "…" when ``cut``: text left out after it)."""
        if not cut and self.get_string_width(text) <= width:
            return text
        low, high = 0, len(text)  # the longest prefix that fits with "…" after it
        while low < high:
            middle = (low + high + 1) // 2
            if self.get_string_width(text[:middle] + "…") <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def wrap(self, text: str, width: float, max_lines: int) -> list[str]:
        """``text`` broken into lines of at most ``width`` mm; past ``max_lines``
        the last line is cut with "…"."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if line and self.get_string_width(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1], width, cut=True)
        return [self.fit(line, width) for line in lines]

    def put(
        self, x: float, y: float, width: float, height: float, text: str, align: str = "L"
    ) -> None:
        """One line of text in the box (x, y, width, height), vertically centred."""
        if not text:
            return
        if align == "L":
            left = x
        else:
            span = self.get_string_width(text)
            left = x + width - span if align == "R" else x + (width - span) / 2
        self.text(left, y + height / 2 + self.font_size * 0.35, text)

    def colour(self, rgb: tuple[int, int, int]) -> None:
        self.set_text_color(*rgb)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


# ---------------------------------------------------------------- tables


NATURAL = -1.0  # a column as wide as its widest cell
REST = 0.0  # a column taking the page width the others leave


@dataclass(frozen=True)
class Column:
    heading: str
    width: float = NATURAL  # mm, or NATURAL, or REST
    align: str = "L"  # L, R or C
    lines: int = 1  # at most this many lines; the last one is cut with "…"


def _widths(
    pdf: ScorecardPDF, columns: Sequence[Column], rows: Sequence[Sequence[str]], size: float
) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width == REST:
            widths.append(column.width)
            continue
        pdf.set_font(FONT, "B", size)
        heading = pdf.get_string_width(column.heading) + 2 * PAD + 0.2
        if column.width != NATURAL:  # wide enough for its heading (another language's)
            widths.append(max(column.width, heading))
            continue
        pdf.set_font(FONT, "", size)
        widest = max([heading - 2 * PAD - 0.2, *(pdf.get_string_width(r[index]) for r in rows)])
        widths.append(widest + 2 * PAD + 0.2)
    fixed = [i for i, c in enumerate(columns) if c.width > 0]
    grown = sum(widths[i] - columns[i].width for i in fixed)
    if grown > 0:  # the widest fixed column (the names) gives the room back
        widest_column = max(fixed, key=lambda i: columns[i].width)
        widths[widest_column] -= grown
    rest = pdf.epw - sum(widths)
    return [rest if c.width == REST else w for c, w in zip(columns, widths, strict=True)]


def _layout(
    pdf: ScorecardPDF,
    columns: Sequence[Column],
    widths: Sequence[float],
    rows: Iterable[Sequence[str]],
) -> list[list[list[str]]]:
    return [
        [
            pdf.wrap(text, width - 2 * PAD, column.lines)
            if column.lines > 1
            else [pdf.fit(text, width - 2 * PAD)]
            for column, width, text in zip(columns, widths, cells, strict=True)
        ]
        for cells in rows
    ]


def _table_height(laid: Sequence[Sequence[Sequence[str]]], line: float) -> float:
    return (line + 1) + sum(max(len(c) for c in cells) * line + 0.6 for cells in laid)


def _line(size: float) -> float:
    return size * PT * 1.3


def table(
    pdf: ScorecardPDF,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    size: float = 8.5,
) -> None:
    """A table with a coloured heading row (repeated on each page it spans)."""
    line = _line(size)
    widths = _widths(pdf, columns, rows, size)
    pdf.set_font(FONT, "", size)
    laid = _layout(pdf, columns, widths, rows)

    def heading_row() -> None:
        y = pdf.get_y()
        height = line + 1
        pdf.set_fill_color(*pdf.primary)
        pdf.rect(pdf.l_margin, y, sum(widths), height, style="F")
        pdf.set_font(FONT, "B", size)
        pdf.colour(_on(pdf.primary))
        x = pdf.l_margin
        for column, width in zip(columns, widths, strict=True):
            pdf.put(
                x + PAD,
                y,
                width - 2 * PAD,
                height,
                pdf.fit(column.heading, width - 2 * PAD),
                column.align,
            )
            x += width
        pdf.colour(INK)
        pdf.set_font(FONT, "", size)
        pdf.set_y(y + height)

    heading_row()
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    for cells in laid:
        height = max(len(c) for c in cells) * line + 0.6
        if pdf.auto_page_break and pdf.get_y() + height > pdf.bottom:
            pdf.add_page()
            heading_row()
        y = pdf.get_y()
        x = pdf.l_margin
        for column, width, lines in zip(columns, widths, cells, strict=True):
            for index, text in enumerate(lines):
                pdf.put(x + PAD, y + 0.3 + index * line, width - 2 * PAD, line, text, column.align)
            x += width
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
        pdf.set_y(y + height)
    pdf.ln(2)


def _on(background: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = background
    return INK if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else (255, 255, 255)


def _balanced(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    """``items`` in the fewest pages of at most ``per_page``, as even as can be."""
    per_page = max(1, per_page)
    pages = max(1, -(-len(items) // per_page))
    size = max(1, -(-len(items) // pages))  # none at all (a chamber nobody has a score in)
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


# ---------------------------------------------------------------- text helpers


def _score_text(row: LegislatorRow) -> str:
    score = shown(row.score)
    return gettext("not enough votes") if score is None else str(score)


def _result(facts: Mapping[str, Any]) -> str:
    outcome = i18n.outcome_word(facts.get("outcome"))
    return f"{outcome} {facts.get('yeas')}–{facts.get('nays')}".strip()


def description(vote: Vote) -> str:
    """The scored vote's description (staff's), in the request's language when given."""
    return (
        i18n.localized(vote, "description") if i18n.current() != i18n.DEFAULT else vote.description
    )


def vote_text(vote: Vote) -> str:
    """A scored vote in a table cell: the bill's title, then what the vote was."""
    title = vote.facts.get("bill_title") or ""
    what = description(vote) or vote.facts.get("motion") or ""
    return f"{title} — {what}" if title and what else (title or what)


# ---------------------------------------------------------------- the scorecard


def scorecard_pdf(data: ExportData) -> bytes:
    """The whole scorecard: cover, methodology, scored votes, per chamber a
    table and the legislator × vote grid, and charts."""
    view = data.view
    pdf = ScorecardPDF(data)
    _cover(pdf, data)
    _methodology(pdf, data)
    pdf.add_page()
    votes_page = pdf.page_no()
    _vote_list(pdf, data)
    chambers = [c for c in ("house", "senate") if any(r.chamber == c for r in view.rows)]
    for chamber in chambers:
        rows = [r for r in view.rows if r.chamber == chamber]
        pdf.add_page()
        pdf.heading(
            ngettext(
                "%(chamber)s: %(num)d legislator",
                "%(chamber)s: %(num)d legislators",
                len(rows),
                chamber=chamber_word(chamber),
            )
        )
        _score_table(pdf, data, rows)
        vote_grid(pdf, data, chamber, rows, votes_page=votes_page)
    pdf.add_page()
    pdf.heading(gettext("Charts"))
    distribution(pdf, view.scores_by_party(), title=gettext("Score distribution by party"))
    for chamber in chambers:
        ranked_bars(
            pdf,
            [r for r in view.rows if r.chamber == chamber],
            title=gettext("%(chamber)s: scores ranked", chamber=chamber_word(chamber)),
        )
    _maps(pdf, data, chambers)
    return pdf.output_bytes()


def _maps(pdf: ScorecardPDF, data: ExportData, chambers: list[str]) -> None:
    """A page of district maps (``data.maps``: the chambers whose boundaries are
    loaded), each as wide as the page's text, keeping its 1200x630 proportions."""
    from tracker import maps

    drawn = [maps.png(data.maps[c]) for c in chambers if c in data.maps]
    if not drawn:
        return
    pdf.add_page()
    pdf.heading(gettext("Maps"))
    pdf.para(
        gettext(
            "Each district in the colour of its legislator's score. Grey: not enough "
            "votes for a score; white: no legislator on this scorecard."
        ),
        9,
        5,
        align="L",
    )
    for image in drawn:
        height = pdf.epw * 630 / 1200
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.image(io.BytesIO(image), x=pdf.l_margin, w=pdf.epw, h=height)
        pdf.ln(4)


def _cover(pdf: ScorecardPDF, data: ExportData) -> None:
    view = data.view
    pdf.add_page()
    pdf.ln(45)
    pdf.heading(view.version.title, 26)
    pdf.para(data.org_name, 14, 8, align="L")
    if view.version.description:
        pdf.para(view.version.description, 11, 6, align="L")
    pdf.ln(6)
    pdf.para(f"{data.version_words}, {data.published_words}.", 11, 6, align="L")
    pdf.para(
        gettext("Sessions: %(sessions)s.", sessions=", ".join(view.methodology.get("sessions", [])))
        + " "
        + gettext(
            "%(votes)s; %(legislators)s.",
            votes=ngettext("%(num)d scored vote", "%(num)d scored votes", len(view.votes)),
            legislators=ngettext("%(num)d legislator", "%(num)d legislators", len(view.rows)),
        ),
        11,
        6,
        align="L",
    )
    medians = [
        chamber_median(k, shown(v))
        for k, v in sorted(view.chamber_medians.items())
        if v is not None
    ]
    medians += [
        gettext("%(group)s median %(score)s", group=k, score=shown(v))
        for k, v in sorted(view.party_medians.items())
        if v is not None
    ]
    if medians:
        pdf.para("; ".join(medians) + ".", 11, 6, align="L")


def _methodology(pdf: ScorecardPDF, data: ExportData) -> None:
    pdf.add_page()
    pdf.heading(gettext("How scores are calculated"))
    for sentence in words.sentences(data.view.methodology, [v.facts for v in data.view.votes]):
        pdf.para(sentence)
    for line in getattr(data.view.version, "changes", None) or []:
        pdf.para(gettext("Correction: %(text)s", text=line), 9, 4.5)


def _vote_list(pdf: ScorecardPDF, data: ExportData) -> None:
    pdf.heading(gettext("The scored votes"))
    width = pdf.epw
    for index, vote in enumerate(data.view.votes, start=1):
        facts = vote.facts
        key = gettext(" (key vote, weight %(weight)s)", weight=vote.weight) if vote.key_vote else ""
        position = data.positions.get(vote.roll_call_id, "")
        blocks: list[tuple[str, float, float, tuple[int, int, int], str]] = [
            (
                "B",
                10.5,
                5.2,
                INK,
                f"{index}. {facts['bill_label']} — {facts.get('bill_title') or ''}{key}",
            ),
            (
                "",
                9.5,
                4.6,
                INK,
                gettext(
                    "%(chamber)s, %(date)s: %(motion)s.",
                    chamber=chamber_word(facts["chamber"]),
                    date=facts["date"],
                    motion=facts["motion"],
                )
                + " "
                + gettext("Result: %(result)s.", result=_result(facts))
                + " "
                + (
                    gettext(
                        "Our position: %(position)s.", position=i18n.stance_word(position).lower()
                    )
                    + " "
                    if position
                    else ""
                )
                + gettext("Aligned vote: %(vote)s.", vote=vote_label(vote.aligned)),
            ),
        ]
        if description(vote):
            blocks.append(("", 9.5, 4.6, INK, description(vote)))
        if facts.get("source_url"):
            blocks.append(
                ("", 8, 4.0, (90, 90, 90), gettext("Source: %(url)s", url=facts["source_url"]))
            )
        laid = []
        for style, size, height, rgb, text in blocks:
            pdf.set_font(FONT, style, size)
            laid.append((style, size, height, rgb, pdf.wrap(text, width, 6)))
        total = sum(len(lines) * height for _, _, height, _, lines in laid) + 2.5
        if pdf.get_y() + total > pdf.bottom:
            pdf.add_page()
        for style, size, height, rgb, lines in laid:
            pdf.set_font(FONT, style, size)
            pdf.colour(rgb)
            for text in lines:
                pdf.put(pdf.l_margin, pdf.get_y(), width, height, text)
                pdf.set_y(pdf.get_y() + height)
        pdf.colour(INK)
        pdf.set_y(pdf.get_y() + 2.5)


def _score_table(pdf: ScorecardPDF, data: ExportData, rows: list[LegislatorRow]) -> None:
    columns = [
        Column(gettext("Name"), 62),
        Column(gettext("District"), 18),
        Column(gettext("Party"), 14),
        Column(gettext("Score"), 30, "R", lines=2),
        Column(gettext("Grade"), 14, "C"),
        Column(gettext("Lifetime"), 22, "R"),
        Column(gettext("Attendance"), REST, "R"),
    ]
    body = []
    for row in rows:
        lifetime = shown(data.lifetime.get(row.person.id))
        attendance = f"{row.votes_cast}/{row.votes_possible}" + (
            gettext(" (%(count)s exc.)", count=row.excused) if row.excused else ""
        )
        body.append(
            [
                row.person.name,
                row.district or "",
                row.party or "",
                _score_text(row),
                row.grade or "",
                "" if lifetime is None else str(lifetime),
                attendance,
            ]
        )
    table(pdf, columns, body)


# ---------------------------------------------------------------- the vote grid

ALIGNED, AGAINST, ABSENT = "✓", "✗", "—"
MARK_COLORS = {ALIGNED: (24, 120, 60), AGAINST: (190, 30, 30), ABSENT: (120, 120, 120)}
GRID_FIXED = (
    (N_("District"), 12.0, "L"),
    (N_("Name"), 44.0, "L"),
    (N_("Party"), 10.0, "L"),
    (N_("Score"), 10.0, "R"),
)  # headings shown through tracker.i18n.word
GRID_CELL = (4.2, 8.0)  # narrowest and widest vote column, mm
GRID_ROW = 4.2
GRID_BAND = 17.0  # rotated bill labels
GRID_NUMBERS = 4.0


def mark(option: str, aligned: str) -> str:
    """A legislator's vote in the grid: ✓ with our position, ✗ against it,
    — absent (did not vote or excused), blank when not in office."""
    if option in ("yes", "no"):
        return ALIGNED if option == aligned else AGAINST
    if option in ("not_voting", "excused"):
        return ABSENT
    return ""


def grid_votes(data: ExportData, chamber: str, rows: Sequence[LegislatorRow]) -> list[Vote]:
    """The columns of a chamber's grid: that chamber's scored votes on which at
    least one of ``rows`` was seated (never an all-blank column)."""
    return [
        v
        for v in data.view.votes
        if v.facts.get("chamber") == chamber
        and any(r.votes.get(v.roll_call_id, "not_seated") != "not_seated" for r in rows)
    ]


def vote_grid(
    pdf: ScorecardPDF,
    data: ExportData,
    chamber: str,
    rows: Sequence[LegislatorRow],
    *,
    votes_page: int | None = None,
) -> None:
    """Legislators (by district) × the chamber's scored votes, split across
    pages by rows and columns so every mark stays legible."""
    votes = grid_votes(data, chamber, rows)
    if not votes or not rows:
        return
    numbers = {v.roll_call_id: i for i, v in enumerate(data.view.votes, start=1)}
    fixed = sum(w for _, w, _ in GRID_FIXED)
    col_blocks = _balanced(votes, int((pdf.epw - fixed) // GRID_CELL[0]))
    above = 7.5 + 9.0 + GRID_BAND + GRID_NUMBERS  # heading, legend, labels, numbers
    row_blocks = _balanced(rows, int((pdf.bottom - pdf.t_margin - above) // GRID_ROW))
    name = chamber_word(chamber)
    pages = len(row_blocks) * len(col_blocks)
    for r_index, row_block in enumerate(row_blocks):
        for c_index, vote_block in enumerate(col_blocks):
            if pages == 1 and pdf.room() >= above + 8 + GRID_ROW * len(row_block):
                pdf.ln(6)  # one page of grid fits below what is already there
            else:
                pdf.add_page()
            parts = []
            if len(col_blocks) > 1:
                parts.append(
                    gettext(
                        "votes %(first)s–%(last)s",
                        first=numbers[vote_block[0].roll_call_id],
                        last=numbers[vote_block[-1].roll_call_id],
                    )
                )
            if len(row_blocks) > 1:
                parts.append(
                    gettext(
                        "districts %(first)s–%(last)s",
                        first=row_block[0].district,
                        last=row_block[-1].district,
                    )
                )
            if pages > 1:
                parts.append(
                    gettext(
                        "page %(page)s of %(pages)s",
                        page=r_index * len(col_blocks) + c_index + 1,
                        pages=pages,
                    )
                )
            pdf.heading(
                gettext("%(chamber)s: vote by vote", chamber=name)
                + (f" ({', '.join(parts)})" if parts else ""),
                13,
            )
            _grid_legend(pdf, votes_page, blank_label([v.facts.get("kind") for v in vote_block]))
            _grid_page(pdf, data, row_block, vote_block, numbers)


def _grid_legend(pdf: ScorecardPDF, votes_page: int | None, blank: str = "not in office") -> None:
    pdf.set_font(FONT, "", 7.5)
    x, y = pdf.l_margin, pdf.get_y()
    items = [
        (ALIGNED, gettext("voted with our position")),
        (AGAINST, gettext("voted against it")),
        (ABSENT, gettext("did not vote or excused")),
        ("", gettext("blank: %(meaning)s", meaning=blank)),
        ("★", gettext("key vote")),
    ]
    # One line: smaller type when the words are too long for it (another language's)
    words = sum(pdf.get_string_width(meaning) for _, meaning in items)
    room = pdf.epw - sum(4 for symbol, _ in items if symbol) - 5 * (len(items) - 1)
    size = 7.5 if words <= room else max(5.5, 7.5 * room / words)
    for symbol, meaning in items:
        if symbol:
            pdf.colour(MARK_COLORS.get(symbol, INK))
            pdf.set_font(FONT, "B", 8.5)
            pdf.put(x, y, 4, 4, symbol)
            x += 4
        pdf.colour(INK)
        pdf.set_font(FONT, "", size)
        pdf.put(x, y, 60, 4, meaning)
        x += pdf.get_string_width(meaning) + 5
    pdf.set_font(FONT, "", 7.5)
    note = (
        gettext(
            "Columns are numbered as in \u201cThe scored votes\u201d (page %(page)s); n/a: "
            "not enough votes for a score.",
            page=votes_page,
        )
        if votes_page
        else gettext(
            "Columns are numbered as in \u201cThe scored votes\u201d; n/a: not enough votes for a "
            "score."
        )
    )
    pdf.colour(GREY)
    pdf.put(pdf.l_margin, y + 4, pdf.epw, 4, pdf.fit(note, pdf.epw))
    pdf.colour(INK)
    pdf.set_y(y + 9.0)


def grid_columns(pdf: ScorecardPDF) -> list[tuple[str, float, str]]:
    """``GRID_FIXED`` with its headings in the request's language, a column widened to
    hold its heading; the name column gives the room back (the total stays)."""
    pdf.set_font(FONT, "B", 6.5)
    headings = [i18n.word(heading) for heading, _, _ in GRID_FIXED]
    widths = [
        max(width, pdf.get_string_width(text) + 2 * PAD + 0.2)
        for text, (_, width, _) in zip(headings, GRID_FIXED, strict=True)
    ]
    widths[1] -= sum(widths) - sum(w for _, w, _ in GRID_FIXED)
    return [
        (str(text), float(width), str(align))
        for text, width, (_, _, align) in zip(headings, widths, GRID_FIXED, strict=True)
    ]


def _grid_page(
    pdf: ScorecardPDF,
    data: ExportData,
    rows: Sequence[LegislatorRow],
    votes: Sequence[Vote],
    numbers: dict[int, int],
) -> None:
    fixed = sum(w for _, w, _ in GRID_FIXED)
    columns = grid_columns(pdf)
    cell = max(GRID_CELL[0], min(GRID_CELL[1], (pdf.epw - fixed) / len(votes)))
    left = pdf.l_margin
    top = pdf.get_y()
    width = fixed + cell * len(votes)
    # Rotated bill labels, then the vote numbers, above the vote columns.
    pdf.set_font(FONT, "", 6.5)
    base = top + GRID_BAND - 0.8
    for index, vote in enumerate(votes):
        label = vote.facts["bill_label"] + (" ★" if vote.key_vote else "")
        x = left + fixed + index * cell + cell / 2 + pdf.font_size * 0.35
        with pdf.rotation(90, x, base):
            pdf.text(x, base, pdf.fit(label, GRID_BAND - 1.5))
    head = top + GRID_BAND
    pdf.set_fill_color(*pdf.primary)
    pdf.rect(left, head, width, GRID_NUMBERS, style="F")
    pdf.colour(_on(pdf.primary))
    pdf.set_font(FONT, "B", 6.5 if max(numbers.values()) < 100 else 5.5)
    x = left
    for heading, w, align in columns:
        pdf.put(x + PAD, head, w - 2 * PAD, GRID_NUMBERS, pdf.fit(heading, w - 2 * PAD), align)
        x += w
    for index, vote in enumerate(votes):
        pdf.put(
            left + fixed + index * cell,
            head,
            cell,
            GRID_NUMBERS,
            str(numbers[vote.roll_call_id]),
            "C",
        )
    y = head + GRID_NUMBERS
    pdf.set_fill_color(*SHADE)
    for index in range(1, len(rows), 2):
        pdf.rect(left, y + index * GRID_ROW, width, GRID_ROW, style="F")
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.1)
    for index in range(0, len(votes) + 1, 5):
        x = left + fixed + index * cell
        pdf.line(x, head + GRID_NUMBERS, x, y + len(rows) * GRID_ROW)
    pdf.colour(INK)
    pdf.set_font(FONT, "B", 8)
    half = {symbol: pdf.get_string_width(symbol) / 2 for symbol in MARK_COLORS}
    for r_index, row in enumerate(rows):
        top_of_row = y + r_index * GRID_ROW
        pdf.set_font(FONT, "", 7)
        score = shown(row.score)
        x = left
        for (_, w, align), text in zip(
            columns,
            (
                row.district or "",
                row.person.name,
                row.party or "",
                gettext("n/a") if score is None else str(score),
            ),
            strict=True,
        ):
            pdf.put(x + PAD, top_of_row, w - 2 * PAD, GRID_ROW, pdf.fit(text, w - 2 * PAD), align)
            x += w
        pdf.set_font(FONT, "B", 8)
        baseline = top_of_row + GRID_ROW / 2 + pdf.font_size * 0.35
        for v_index, vote in enumerate(votes):
            symbol = mark(row.votes.get(vote.roll_call_id, "not_seated"), vote.aligned)
            if symbol:
                pdf.colour(MARK_COLORS[symbol])
                pdf.text(left + fixed + (v_index + 0.5) * cell - half[symbol], baseline, symbol)
        pdf.colour(INK)
    pdf.set_y(y + len(rows) * GRID_ROW + 2)


# ---------------------------------------------------------------- charts


def _legend(pdf: ScorecardPDF, parties: Sequence[str], x: float, y: float) -> None:
    pdf.set_font(FONT, "", 7.5)
    for party in parties:
        pdf.set_fill_color(*party_rgb(party))
        pdf.rect(x, y + 0.8, 3, 2.6, style="F")
        pdf.put(x + 4, y, 30, 4, party)
        x += 6 + pdf.get_string_width(party) + 3


def distribution(
    pdf: ScorecardPDF, scores_by_party: dict[str, list[int]], *, title: str, height: float = 72.0
) -> None:
    """Stacked histogram of scores by party (``tracker.charts`` bins), whole-number
    count ticks."""
    if pdf.room() < height + 8:
        pdf.add_page()
    parties = charts.party_order(p for p, s in scores_by_party.items() if s)
    counts = {p: charts.bin_counts(scores_by_party[p]) for p in parties}
    totals = [sum(c[i] for c in counts.values()) for i in range(len(charts.BINS) - 1)]
    ticks = charts.count_ticks(max(totals, default=0))
    top_value = ticks[-1] or 1
    x0, y0 = pdf.l_margin + 12, pdf.get_y()
    pdf.set_font(FONT, "B", 10)
    pdf.put(pdf.l_margin, y0, pdf.epw, 5, title)
    _legend(pdf, parties, pdf.l_margin + pdf.epw - 60, y0 + 0.5)
    plot_top, plot_bottom = y0 + 9, y0 + height - 10
    plot_w = pdf.epw - 14
    scale = (plot_bottom - plot_top) / top_value
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    pdf.set_font(FONT, "", 7)
    pdf.colour(GREY)
    for tick in ticks:
        ty = plot_bottom - tick * scale
        pdf.line(x0, ty, x0 + plot_w, ty)
        pdf.put(pdf.l_margin, ty - 2, 10, 4, str(tick), "R")
    bin_w = plot_w / (len(charts.BINS) - 1)
    for index in range(len(charts.BINS) - 1):
        bottom = plot_bottom
        for party in parties:
            value = counts[party][index]
            if value:
                pdf.set_fill_color(*party_rgb(party))
                pdf.rect(
                    x0 + index * bin_w + 0.4,
                    bottom - value * scale,
                    bin_w - 0.8,
                    value * scale,
                    style="F",
                )
                bottom -= value * scale
        if totals[index]:
            pdf.colour(INK)
            pdf.put(x0 + index * bin_w, bottom - 4, bin_w, 4, str(totals[index]), "C")
    pdf.set_draw_color(*GREY)
    pdf.line(x0, plot_bottom, x0 + plot_w, plot_bottom)
    pdf.colour(GREY)
    for index, edge in enumerate(charts.BINS):
        pdf.put(x0 + index * bin_w - 5, plot_bottom + 0.5, 10, 4, str(edge), "C")
    pdf.put(x0, plot_bottom + 4.5, plot_w, 4, gettext("Score"), "C")
    with pdf.rotation(90, pdf.l_margin + 2, plot_bottom):
        pdf.text(pdf.l_margin + 2, plot_bottom, gettext("Legislators"))
    pdf.colour(INK)
    pdf.set_y(y0 + height)


RANK_ROW = 3.15
RANK_LABEL = 62.0


def ranked_bars(pdf: ScorecardPDF, rows: Sequence[LegislatorRow], *, title: str) -> None:
    """Each legislator's score as a bar, highest first, coloured by party; as
    many pages as the chamber needs (rows never shrink below legibility)."""
    scored = sorted(
        ((r, s) for r in rows if (s := shown(r.score)) is not None),
        key=lambda pair: (-pair[1], pair[0].person.name),
    )
    missing = len(rows) - len(scored)
    head = 13.0  # title and legend, tick labels
    foot = 6.0 if missing else 1.0
    per_page = int((pdf.bottom - pdf.t_margin - head - foot - 12) // RANK_ROW)
    blocks = _balanced(scored, per_page)
    parties = charts.party_order({r.party or "" for r, _ in scored})
    bar_x = pdf.l_margin + RANK_LABEL
    bar_w = pdf.epw - RANK_LABEL - 8
    for index, block in enumerate(blocks):
        if index or pdf.room() < head + foot + RANK_ROW * len(block) + 4:
            pdf.add_page()
        else:
            pdf.ln(4)
        y = pdf.get_y()
        pdf.set_font(FONT, "B", 10)
        pdf.colour(INK)
        suffix = (
            gettext(" (%(part)s of %(parts)s)", part=index + 1, parts=len(blocks))
            if len(blocks) > 1
            else ""
        )
        pdf.put(pdf.l_margin, y, pdf.epw - 62, 5, title + suffix)
        _legend(pdf, parties, pdf.l_margin + pdf.epw - 60, y + 0.5)
        top = y + head
        bottom = top + RANK_ROW * len(block)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.15)
        pdf.set_font(FONT, "", 7)
        pdf.colour(GREY)
        for tick in range(0, 101, 20):
            tx = bar_x + bar_w * tick / 100
            pdf.line(tx, top - 1, tx, bottom)
            pdf.put(tx - 5, top - 5, 10, 4, str(tick), "C")
        for r_index, (row, score) in enumerate(block):
            ry = top + r_index * RANK_ROW
            pdf.colour(INK)
            pdf.put(
                pdf.l_margin,
                ry,
                RANK_LABEL - 2,
                RANK_ROW,
                pdf.fit(f"{row.person.name} ({row.district})", RANK_LABEL - 2),
                "R",
            )
            if score:
                pdf.set_fill_color(*party_rgb(row.party))
                pdf.rect(bar_x, ry + 0.45, bar_w * score / 100, RANK_ROW - 0.9, style="F")
            pdf.put(bar_x + bar_w * score / 100 + 0.8, ry, 8, RANK_ROW, str(score))
        pdf.colour(GREY)
        if missing and index == len(blocks) - 1:
            pdf.put(
                pdf.l_margin,
                bottom + 1,
                pdf.epw,
                4,
                ngettext(
                    "%(num)d without enough votes for a score not shown.",
                    "%(num)d without enough votes for a score not shown.",
                    missing,
                ),
            )
        pdf.colour(INK)
        pdf.set_y(bottom + foot)


# ---------------------------------------------------------------- one legislator


def legislator_pdf(data: ExportData, row: LegislatorRow) -> bytes:
    """One page: a legislator's score on this scorecard, how to reach them,
    the current ask (when ``data.ask`` is set) and each scored vote."""
    view = data.view
    pdf = ScorecardPDF(data)
    pdf.add_page()
    pdf.heading(row.person.name, 20)
    pdf.para(seat_line(row), 11, 6, align="L")
    lifetime = shown(data.lifetime.get(row.person.id))
    median = view.chamber_medians.get(row.chamber)
    facts = [
        gettext(
            "Score on %(title)s: %(score)s, grade %(grade)s.",
            title=data.title,
            score=_score_text(row),
            grade=row.grade,
        )
        if row.grade and row.score is not None
        else gettext("Score on %(title)s: %(score)s.", title=data.title, score=_score_text(row)),
        gettext(
            "Voted on %(cast)s of %(possible)s scored votes (%(excused)s excused).",
            cast=row.votes_cast,
            possible=row.votes_possible,
            excused=row.excused,
        )
        if row.excused
        else gettext(
            "Voted on %(cast)s of %(possible)s scored votes.",
            cast=row.votes_cast,
            possible=row.votes_possible,
        ),
    ]
    if median is not None:
        facts.append(
            gettext("House median: %(score)s.", score=shown(median))
            if row.chamber == "house"
            else gettext("Senate median: %(score)s.", score=shown(median))
        )
    if lifetime is not None:
        facts.append(gettext("Lifetime score: %(score)s.", score=lifetime))
    pdf.para(" ".join(facts), 10.5, 5.5, align="L")
    _contact(pdf, data, row)
    if data.ask:
        ask_box(pdf, data.ask)
    _legislator_votes(pdf, data, row)
    return pdf.output_bytes()


def _contact(pdf: ScorecardPDF, data: ExportData, row: LegislatorRow) -> None:
    lines = data.contact(row).lines()
    if not lines:
        return
    pdf.set_font(FONT, "B", 9.5)
    # the labels' column: 18 mm, wider for longer words (another language's)
    inset = max(18.0, *(pdf.get_string_width(i18n.word(label)) + 2 for label, _ in lines))
    for label, value in lines:
        y = pdf.get_y()
        pdf.set_font(FONT, "B", 9.5)
        pdf.put(pdf.l_margin, y, inset, 4.8, i18n.word(label))
        pdf.set_font(FONT, "", 9.5)
        text = pdf.fit(value, pdf.epw - inset)
        pdf.put(pdf.l_margin + inset, y, pdf.epw - inset, 4.8, text)
        target = {"Profile": value, "Email": f"mailto:{value}"}.get(label)
        if target:
            pdf.link(pdf.l_margin + inset, y, pdf.get_string_width(text), 4.8, target)
        pdf.set_y(y + 4.8)
    pdf.ln(2)


ASKS_SHOWN = 3  # open alerts printed in full on a one-pager; more are counted


def legislator_asks(person_ids: Iterable[int], now: dt.datetime | None = None) -> dict[int, str]:
    """The current ask on each legislator's one-pager: every open action alert
    (``tracker.alerts.alert_state``) that targets them, newest first, one
    paragraph each: the alert's title, what we ask of them by the one rule of
    ``tracker.asks`` (the file in their chamber; a thank-you or "we saw your
    vote" once their chamber voted), the bill's title, the deadline in Minnesota
    time and the alert's page.  Legislators with none are left out."""
    from sqlalchemy import select

    from tracker import alerts as alerting
    from tracker import asks as asking
    from tracker.extensions import db
    from tracker.models import Alert, AlertTarget

    wanted = list(person_ids)
    if not wanted:
        return {}
    found = db.session.execute(
        select(AlertTarget, Alert)
        .join(Alert, AlertTarget.alert_id == Alert.id)
        .where(AlertTarget.person_id.in_(wanted), Alert.status == "published")
        .order_by(Alert.published_at.desc(), Alert.id.desc())
    ).all()
    paragraphs: dict[int, list[str]] = {}
    with alerting.public_urls():
        for target, alert in found:
            if alerting.alert_state(alert, now) != "open":
                continue
            ask = asking.ask_for(alert.bill, alert.ask, target.person_id, target.chamber)
            title = i18n.localized(alert, "title")
            if ask.voted:
                text = (
                    gettext(
                        "%(title)s. The House has already voted on %(bill)s: "
                        "%(bill_title)s. Please %(ask)s.",
                        title=title,
                        bill=ask.label,
                        bill_title=ask.bill.title,
                        ask=ask.text,
                    )
                    if target.chamber == "house"
                    else gettext(
                        "%(title)s. The Senate has already voted on %(bill)s: %(bill_title)s. "
                        "Please %(ask)s.",
                        title=title,
                        bill=ask.label,
                        bill_title=ask.bill.title,
                        ask=ask.text,
                    )
                )
            else:
                text = gettext(
                    "%(title)s. We ask %(name)s to %(ask)s: %(bill_title)s.",
                    title=title,
                    name=target.person.name,
                    ask=ask.text,
                    bill_title=ask.bill.title,
                )
            if alert.deadline is not None:
                text += " " + gettext("Deadline: %(when)s.", when=i18n.local_time(alert.deadline))
            page = alerting.external("public.alert_page", public_id=alert.public_id)
            text += " " + gettext("Take action: %(url)s", url=page)
            paragraphs.setdefault(target.person_id, []).append(text)
    asks: dict[int, str] = {}
    for person_id, texts in paragraphs.items():
        shown_texts = texts[:ASKS_SHOWN]
        if len(texts) > ASKS_SHOWN:
            with alerting.public_urls():
                every = alerting.external("public.alerts")
            more = len(texts) - ASKS_SHOWN
            shown_texts.append(
                ngettext(
                    "And %(num)d more open alert: %(url)s",
                    "And %(num)d more open alerts: %(url)s",
                    more,
                    url=every,
                )
            )
        asks[person_id] = "\n".join(shown_texts)
    return asks


def ask_box(pdf: ScorecardPDF, ask: str) -> None:
    """The current ask, boxed in the organization's colour: one paragraph per line
    of ``ask``, each wrapped (at most four lines)."""
    pdf.set_font(FONT, "", 10)
    lines: list[str] = []
    for index, paragraph in enumerate(p for p in ask.splitlines() if p.strip()):
        if index:
            lines.append("")
        lines.extend(pdf.wrap(paragraph, pdf.epw - 8, 4))
    height = 6 + 5 * len(lines) + 3
    y = pdf.get_y()
    pdf.set_draw_color(*pdf.primary)
    pdf.set_line_width(0.6)
    pdf.set_fill_color(*_tint(pdf.accent))
    pdf.rect(pdf.l_margin, y, pdf.epw, height, style="DF")
    pdf.set_font(FONT, "B", 10.5)
    pdf.colour(pdf.primary)
    pdf.put(pdf.l_margin + 4, y + 1.5, pdf.epw - 8, 5, gettext("What we are asking"))
    pdf.set_font(FONT, "", 10)
    pdf.colour(INK)
    for index, text in enumerate(lines):
        line_y = y + 6.5 + 5 * index
        pdf.put(pdf.l_margin + 4, line_y, pdf.epw - 8, 5, text)
        for word in text.split():
            if word.startswith(("https://", "http://")) and not word.endswith("…"):
                before = text[: text.index(word)]
                pdf.link(
                    pdf.l_margin + 4 + pdf.get_string_width(before),
                    line_y,
                    pdf.get_string_width(word),
                    5,
                    word,
                )
    pdf.set_y(y + height + 3)


def _tint(rgb: tuple[int, int, int], strength: float = 0.18) -> tuple[int, int, int]:
    r, g, b = rgb
    return (
        round(255 - (255 - r) * strength),
        round(255 - (255 - g) * strength),
        round(255 - (255 - b) * strength),
    )


def _legislator_votes(pdf: ScorecardPDF, data: ExportData, row: LegislatorRow) -> None:
    votes = data.view.votes_for(row)
    body = []
    for vote in votes:
        theirs = row.votes.get(vote.roll_call_id, "not_seated")
        body.append(
            [
                vote.facts["bill_label"],
                vote.facts["date"],
                vote_text(vote),
                vote_label(vote.aligned),
                vote_label(theirs, vote.facts.get("kind")),
                _result(vote.facts),
            ]
        )
    available = pdf.room() - 2
    # The largest type (and most lines per vote) that keeps the votes on this page.
    for lines, size in [(n, s / 2) for n in (3, 2, 1) for s in range(17, 7, -1)]:
        columns = [
            Column(gettext("Bill")),
            Column(gettext("Date")),
            Column(gettext("Bill and vote"), REST, lines=lines),
            Column(gettext("Aligned")),
            Column(gettext("Voted")),
            Column(gettext("Result"), NATURAL, "R"),
        ]
        widths = _widths(pdf, columns, body, size)
        pdf.set_font(FONT, "", size)
        if _table_height(_layout(pdf, columns, widths, body), _line(size)) <= available:
            break
    table(pdf, columns, body, size=size)
