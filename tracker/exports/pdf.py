"""Print-ready PDFs (fpdf2): a whole scorecard, and one page per legislator.

DejaVu Sans (shipped with matplotlib) is embedded, so accented names render
and extract as text.  Every page carries the scorecard title, its version,
the date it was generated and "Page n of N"; a draft preview also carries a
diagonal "DRAFT — NOT FOR PUBLICATION" watermark on every page.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tracker import charts
from tracker.exports import CHAMBER_NAMES, DRAFT_MARK, VOTE_LABELS, ExportData, shown
from tracker.exports.cards import colors, font_path
from tracker.snapshots import Row as LegislatorRow

FONT = "DejaVu"
LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class ScorecardPDF(FPDF):
    def __init__(self, data: ExportData) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.data = data
        self.primary, _ = colors(data.org_colors)
        self.add_font(FONT, "", str(font_path(False)))
        self.add_font(FONT, "B", str(font_path(True)))
        self.set_font(FONT, size=10)
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"{data.title} ({data.version_label})")
        self.set_author(data.org_name)
        self.set_creator(data.org_name)
        self.set_creation_date(dt.datetime.combine(data.generated, dt.time(), dt.UTC))

    def header(self) -> None:
        if self.data.draft:
            with self.local_context(text_color=(225, 120, 120)):
                self.set_font(FONT, "B", 40)
                with self.rotation(45, self.w / 2, self.h / 2):
                    width = self.get_string_width(DRAFT_MARK)
                    self.text(self.w / 2 - width / 2, self.h / 2, DRAFT_MARK)
        with self.local_context(text_color=(100, 100, 100)):
            self.set_font(FONT, "", 8)
            self.set_y(8)
            self.cell(0, 5, f"{self.data.org_name} · {self.data.title}", align="L")
        self.set_y(self.t_margin)
        self.set_font(FONT, "", 10)

    def footer(self) -> None:
        self.set_y(-13)
        with self.local_context(text_color=(100, 100, 100)):
            self.set_font(FONT, "", 8)
            left = (f"{self.data.title} · {self.data.version_label} · "
                    f"Generated {self.data.generated.isoformat()}")
            self.cell(self.epw * 0.8, 5, left, align="L")
            self.cell(self.epw * 0.2, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: int = 15) -> None:
        with self.local_context(text_color=self.primary):
            self.set_font(FONT, "B", size)
            self.multi_cell(0, size * 0.5, text, **LINE)
        self.set_font(FONT, "", 10)
        self.ln(2)

    def para(self, text: str, size: float = 10, height: float = 5) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, height, text, **LINE)
        self.ln(1)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _score_text(row: LegislatorRow) -> str:
    score = shown(row.score)
    return "not enough votes" if score is None else str(score)


def _result(facts: dict[str, Any]) -> str:
    outcome = (facts.get("outcome") or "").capitalize()
    return f"{outcome} {facts.get('yeas')}–{facts.get('nays')}".strip()


def scorecard_pdf(data: ExportData) -> bytes:
    """The whole scorecard: cover, methodology, scored votes, a table per
    chamber, and charts."""
    from tracker.public.methodology import POLICY_TEXT, grade_ranges

    view = data.view
    method = view.methodology
    pdf = ScorecardPDF(data)
    # Cover.
    pdf.add_page()
    pdf.ln(45)
    pdf.heading(view.version.title, 26)
    pdf.para(data.org_name, 14, 8)
    if view.version.description:
        pdf.para(view.version.description, 11, 6)
    pdf.ln(6)
    pdf.para(f"{data.version_label}, {data.published_label}.", 11, 6)
    pdf.para(f"Sessions: {', '.join(method.get('sessions', []))}. "
             f"{len(view.votes)} scored votes; {len(view.rows)} legislators.", 11, 6)
    medians = [f"{CHAMBER_NAMES.get(k, k)} median {shown(v)}"
               for k, v in sorted(view.chamber_medians.items()) if v is not None]
    medians += [f"{k} median {shown(v)}" for k, v in sorted(view.party_medians.items())
                if v is not None]
    if medians:
        pdf.para("; ".join(medians) + ".", 11, 6)
    # Methodology.
    pdf.add_page()
    pdf.heading("How scores are calculated")
    pdf.para("A legislator's score is 100 × the weight of the scored votes they cast as "
             "aligned with our position, divided by the weight of their eligible votes, "
             "rounded half up to a whole number. Key votes carry a weight above 1.")
    pdf.para("Absences: " + POLICY_TEXT.get(method.get("absence_policy", ""), ""))
    pdf.para(f"A legislator who cast fewer than {method.get('min_participation_pct')}% of the "
             "weight of the votes held while they were seated has no score (\"not enough "
             "votes\").")
    ranges = grade_ranges(method.get("grade_bands") or [])
    if ranges:
        pdf.para("Grades: " + "; ".join(
            f"{r['letter']} from {r['floor']}" + (f" to below {r['below']}" if r["below"] else "")
            for r in ranges) + ".")
    for chamber, recorded in sorted((method.get("excused_recorded") or {}).items()):
        pdf.para(f"The {CHAMBER_NAMES.get(chamber, chamber)} "
                 + ("records excused absences for these votes." if recorded else
                    "data does not say which absences were excused."))
    pdf.para("Lifetime scores pool every scored vote of the latest published version of every "
             "scorecard, each roll call once. Attendance counts votes cast out of votes held "
             "while seated.")
    for line in getattr(view.version, "changes", None) or []:
        pdf.para(f"Correction: {line}", 9, 4.5)
    # Scored votes.
    pdf.add_page()
    pdf.heading("The scored votes")
    for index, vote in enumerate(view.votes, start=1):
        facts = vote.facts
        if pdf.will_page_break(24):
            pdf.add_page()
        pdf.set_font(FONT, "B", 10.5)
        key = f" (key vote, weight {vote.weight})" if vote.weight >= 2 else ""
        pdf.multi_cell(0, 5.2, f"{index}. {facts['bill_label']} — {facts.get('bill_title') or ''}"
                       f"{key}", **LINE)
        pdf.set_font(FONT, "", 9.5)
        position = data.positions.get(vote.roll_call_id, "")
        pdf.multi_cell(0, 4.6, (
            f"{CHAMBER_NAMES.get(facts['chamber'], facts['chamber'])}, {facts['date']}: "
            f"{facts['motion']}. Result: {_result(facts)}. "
            + (f"Our position: {position}. " if position else "")
            + f"Aligned vote: {VOTE_LABELS[vote.aligned]}."), **LINE)
        if vote.description:
            pdf.multi_cell(0, 4.6, vote.description, **LINE)
        if facts.get("source_url"):
            with pdf.local_context(text_color=(90, 90, 90)):
                pdf.set_font(FONT, "", 8)
                pdf.multi_cell(0, 4, f"Source: {facts['source_url']}", **LINE)
        pdf.ln(2.5)
    # A table per chamber.
    for chamber in [c for c in ("house", "senate") if any(r.chamber == c for r in view.rows)]:
        rows = [r for r in view.rows if r.chamber == chamber]
        pdf.add_page()
        pdf.heading(f"{CHAMBER_NAMES[chamber]}: {len(rows)} legislators")
        _score_table(pdf, data, rows)
    # Charts.
    pdf.add_page()
    pdf.heading("Charts")
    distribution = charts.score_distribution(
        data.view.scores_by_party(), title="Score distribution by party", fmt="png", width=7.0,
        height=3.4)
    pdf.image(io.BytesIO(distribution), w=pdf.epw)
    for chamber in ("house", "senate"):
        rows = [r for r in view.rows if r.chamber == chamber]
        if not rows:
            continue
        bars = charts.ranked_bars(
            [(f"{r.person.name} ({r.district})", shown(r.score), r.party) for r in rows],
            title=f"{CHAMBER_NAMES[chamber]}: scores ranked", fmt="png", width=7.0,
            height=min(charts.ranked_height(len(rows)), 9.0))
        pdf.add_page()
        pdf.image(io.BytesIO(bars), h=pdf.eph, keep_aspect_ratio=True)
    return pdf.output_bytes()


def _score_table(pdf: ScorecardPDF, data: ExportData, rows: list[LegislatorRow]) -> None:
    pdf.set_font(FONT, "", 8.5)
    widths = (62, 18, 14, 30, 14, 22, 25)
    with pdf.table(col_widths=widths, line_height=4.6, text_align=(
            "LEFT", "LEFT", "LEFT", "RIGHT", "CENTER", "RIGHT", "RIGHT"),
            headings_style=_heading_style(pdf), borders_layout="HORIZONTAL_LINES",
            repeat_headings=1) as table:
        table.row(["Name", "District", "Party", "Score", "Grade", "Lifetime", "Attendance"])
        for row in rows:
            lifetime = shown(data.lifetime.get(row.person.id))
            attendance = (f"{row.votes_cast}/{row.votes_possible}"
                          + (f" ({row.excused} exc.)" if row.excused else ""))
            table.row([row.person.name, row.district or "", row.party or "",
                       _score_text(row), row.grade or "",
                       "" if lifetime is None else str(lifetime), attendance])


def _heading_style(pdf: ScorecardPDF) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", color=(255, 255, 255),
                    fill_color=pdf.primary)


def legislator_pdf(data: ExportData, row: LegislatorRow) -> bytes:
    """One page: a legislator's score on this scorecard and each scored vote."""
    view = data.view
    pdf = ScorecardPDF(data)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.heading(row.person.name, 20)
    from tracker.exports.cards import seat_line

    pdf.para(seat_line(row), 11, 6)
    lifetime = shown(data.lifetime.get(row.person.id))
    median = view.chamber_medians.get(row.chamber)
    facts = [f"Score on {data.title}: {_score_text(row)}"
             + (f", grade {row.grade}" if row.grade and row.score is not None else "") + ".",
             f"Voted on {row.votes_cast} of {row.votes_possible} scored votes"
             + (f" ({row.excused} excused)" if row.excused else "") + "."]
    if median is not None:
        facts.append(f"{CHAMBER_NAMES.get(row.chamber, row.chamber)} median: {shown(median)}.")
    if lifetime is not None:
        facts.append(f"Lifetime score: {lifetime}.")
    pdf.para(" ".join(facts), 10.5, 5.5)
    votes = data.votes_for(row)
    available = pdf.h - pdf.b_margin - pdf.get_y() - 8
    line = max(2.6, min(5.0, available / max(len(votes) + 1, 1)))
    size = max(5.0, min(8.5, line * 1.75))
    pdf.set_font(FONT, "", size)
    widths = (22, 20, 86, 18, 16, 24)
    with pdf.table(col_widths=widths, line_height=line, first_row_as_headings=True,
                   headings_style=_heading_style(pdf), borders_layout="HORIZONTAL_LINES",
                   text_align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
                   padding=0.3) as table:
        table.row(["Bill", "Date", "What the vote was", "Aligned", "Voted", "Result"])
        for vote in votes:
            theirs = row.votes.get(vote.roll_call_id, "not_seated")
            text = vote.description or vote.facts["motion"]
            limit = int(86 / (size * 0.19))
            if len(text) > limit:
                text = text[: limit - 1].rstrip() + "…"
            table.row([vote.facts["bill_label"], vote.facts["date"], text,
                       VOTE_LABELS[vote.aligned], VOTE_LABELS.get(theirs, theirs),
                       _result(vote.facts)])
    return pdf.output_bytes()
