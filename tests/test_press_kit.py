"""The press kit as a reader sees it: every PDF keeps its contents inside its
pages (a 134-member House too), the legislator × vote grid, bill titles in
every vote table, the one-pager's contacts and ask, the workbook's header
row, filters and dates, share cards that never cut the party, whole-number
count ticks, and CSV responses that name their charset once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from matplotlib.figure import Figure
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import ImageDraw
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import select

from tracker import charts, localtime, snapshots
from tracker.exports import ExportData, draft_data, export_data
from tracker.exports.cards import share_image
from tracker.exports.pdf import legislator_pdf, scorecard_pdf
from tracker.exports.spreadsheets import long_csv, to_xlsx, wide_csv
from tracker.extensions import db
from tracker.models import LegislativeSession, Person, Scorecard
from tracker.snapshots import CardRef, PersonRef, Row, Snapshot, VersionRef, Vote

from .conftest import AuthActions
from .test_exports import read_csv

MARKS = {"aligned": "✓", "against": "✗", "absent": "—"}
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def latest_card() -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def latest_data(person_ids: list[int] | None = None) -> ExportData:
    snap = snapshots.published(latest_card().public_id)
    assert snap is not None
    return export_data(snap, person_ids)


# ---------------------------------------------------------------- where things land


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _box(m: Matrix, x: float, y: float, w: float, h: float) -> Box:
    corners = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
    points = [(m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]) for px, py in corners]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def placements(page: PageObject) -> Iterator[tuple[str, Box]]:
    """Every image (from the ``cm`` matrices in force at its ``Do``), every
    rectangle and every text origin a page's content stream places, in page
    space."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    ctm, stack = IDENTITY, []
    text_line = text_matrix = IDENTITY
    leading = 0.0
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        values = (
            [float(v) for v in operands]
            if operator in (b"cm", b"re", b"Td", b"TD", b"Tm", b"TL")
            else []
        )
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _times(tuple(values), ctm)  # type: ignore[arg-type]
        elif operator == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                yield "image", _box(ctm, 0, 0, 1, 1)
        elif operator == b"re":
            yield "rectangle", _box(ctm, *values)
        elif operator == b"BT":
            text_line = text_matrix = IDENTITY
        elif operator in (b"Td", b"TD"):
            if operator == b"TD":
                leading = -values[1]
            text_line = text_matrix = _times((1, 0, 0, 1, values[0], values[1]), text_line)
        elif operator == b"TL":
            leading = values[0]
        elif operator == b"Tm":
            text_line = text_matrix = tuple(values)  # type: ignore[assignment]
        elif operator in (b"T*", b"'", b'"'):
            text_line = text_matrix = _times((1, 0, 0, 1, 0, -leading), text_line)
        if operator in (b"Tj", b"TJ", b"'", b'"'):
            yield "text", _box(_times(text_matrix, ctm), 0, 0, 0, 0)


def outside(pdf: bytes) -> list[str]:
    """What lies outside its page box, one line each; and how much was checked."""
    problems = []
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        left, bottom, right, top = (float(v) for v in page.mediabox)
        for kind, (x0, y0, x1, y1) in placements(page):
            if x0 < left - 0.5 or y0 < bottom - 0.5 or x1 > right + 0.5 or y1 > top + 0.5:
                problems.append(
                    f"page {number}: {kind} at ({x0:.0f}, {y0:.0f})-({x1:.0f}, "
                    f"{y1:.0f}) outside the {right - left:.0f}x{top - bottom:.0f} page"
                )
    return problems


def count_placed(pdf: bytes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for kind, _ in placements(page):
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def test_the_checker_sees_an_image_off_the_page() -> None:
    from fpdf import FPDF
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 10), (200, 0, 0)).save(png, format="PNG")
    pdf = FPDF(unit="mm", format="Letter")
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=15, y=20, h=100, keep_aspect_ratio=True)
    data = bytes(pdf.output())
    assert count_placed(data)["image"] == 1
    assert outside(data) and "image" in outside(data)[0]


def test_every_pdf_keeps_every_image_and_mark_inside_its_pages(
    client: FlaskClient, loaded: None, staff_user: object, auth: AuthActions
) -> None:
    card = latest_card()
    person = db.session.scalar(select(Person).where(Person.family_name == "Åkerlund-Vale"))
    house = [r.person.id for r in latest_data().view.rows if r.chamber == "house"]
    exports = {
        "whole scorecard": client.get(f"/scorecards/{card.public_id}/scorecard.pdf").data,
        "one chamber": scorecard_pdf(latest_data(house)),
        "one legislator": client.get(f"/legislators/{person.public_id}/scorecard.pdf").data,
    }
    auth.login()
    exports["draft preview"] = client.get(f"/staff/scorecards/{card.public_id}/preview.pdf").data
    for name, pdf in exports.items():
        assert pdf.startswith(b"%PDF"), name
        assert outside(pdf) == [], name
        assert count_placed(pdf).get("text", 0) > 50, name


# ---------------------------------------------------------------- a full-size legislature


def synthetic(house: int = 134, senate: int = 67, votes: int = 60, seed: int = 3) -> ExportData:
    """An invented scorecard the size of Minnesota's legislature, built in memory."""
    rng = random.Random(seed)  # noqa: S311 - invented data
    scored = []
    for index in range(votes):
        chamber = "senate" if index % 4 == 0 else "house"
        scored.append(
            Vote(
                1000 + index,
                index,
                "no" if index % 5 == 0 else "yes",
                2 if index % 9 == 0 else 1,
                f"A vote on invented bill {index}.",
                {
                    "bill_label": f"{'SF' if chamber == 'senate' else 'HF'} {100 + index}",
                    "bill_title": f"Invented bill {index}; a long subject that needs a second line "
                    "in a narrow column",
                    "session": "2025-2026",
                    "chamber": chamber,
                    "date": f"2025-03-{1 + index % 28:02d}",
                    "motion": "Passage",
                    "yeas": 70,
                    "nays": 60,
                    "outcome": "passed",
                    "source_url": f"https://example.org/votes/{index}",
                    "verification_note": "",
                    "public_id": f"rc-{index}",
                    "journal_page": str(index + 1),
                },
            )
        )
    seats = [("house", f"{n}{side}") for n in range(1, 68) for side in "AB"][:house] + [
        ("senate", str(n)) for n in range(1, senate + 1)
    ]
    rows = []
    for number, (chamber, district) in enumerate(seats, start=1):
        options = {
            v.roll_call_id: rng.choice(("yes", "yes", "no", "no", "not_voting", "excused"))
            if v.facts["chamber"] == chamber
            else "not_seated"
            for v in scored
        }
        mine = [v for v in scored if v.facts["chamber"] == chamber]
        cast = [v for v in mine if options[v.roll_call_id] in ("yes", "no")]
        aligned = sum(v.weight for v in cast if options[v.roll_call_id] == v.aligned)
        rows.append(
            Row(
                person=PersonRef(
                    number, f"p-{number}", f"Member {number:03d} Benchwick", "Benchwick"
                ),
                chamber=chamber,
                party="DFL" if number % 2 else "R",
                district=district,
                has_score=number % 23 != 0,
                aligned_weight=aligned,
                eligible_weight=sum(v.weight for v in cast),
                cast_weight=sum(v.weight for v in cast),
                possible_weight=sum(v.weight for v in mine),
                votes_cast=len(cast),
                votes_possible=len(mine),
                excused=0,
                not_voting=len(mine) - len(cast),
                grade=None,
                votes=options,
            )
        )
    version = VersionRef(
        number=1,
        title="Invented Full-Size Scorecard",
        description="",
        published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        note="",
        changes=(),
        methodology={
            "sessions": ["2025-2026"],
            "chambers": ["house", "senate"],
            "absence_policy": "exclude",
            "min_participation_pct": 50,
            "grade_bands": [[90, "A"], [0, "F"]],
            "excused_recorded": {},
        },
    )
    snap = Snapshot(
        card=CardRef(1, "card-1", (version,)),
        version=version,
        votes=tuple(scored),
        rows=tuple(rows),
        chamber_medians={},
        party_medians={},
        chamber_party_medians={},
        _by_person={r.person.id: r for r in rows},
    )
    return ExportData(
        view=snap,
        draft=False,
        generated=dt.date(2026, 1, 2),
        org_name="Invented Org",
        org_colors=["#1b4f72", "#f4d03f"],
    )


def expected_mark(option: str, aligned: str) -> str:
    if option in ("yes", "no"):
        return MARKS["aligned"] if option == aligned else MARKS["against"]
    return MARKS["absent"] if option in ("not_voting", "excused") else ""


def grid_pages(pages: Sequence[str], chamber: str) -> list[tuple[list[int], list[str]]]:
    """(column numbers, row lines) of each page of a chamber's vote grid."""
    out = []
    for text in pages:
        if f"{chamber}: vote by vote" not in text:
            continue
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("District Name"))
        numbers = [int(n) for n in lines[header].split()[4:]]
        body = [line for line in lines[header + 1 :] if re.match(r"\d+[AB]? ", line)]
        out.append((numbers, body))
    return out


def check_grid(data: ExportData, pages: Sequence[str], chamber: str) -> int:
    """Every legislator of the chamber has, across the grid's pages, exactly the
    marks of their votes on that chamber's scored votes, column by column."""
    rows = [r for r in data.view.rows if r.chamber == chamber]
    numbered = dict(enumerate(data.view.votes, start=1))
    mine = [
        i
        for i, v in numbered.items()
        if v.facts["chamber"] == chamber
        and any(r.votes.get(v.roll_call_id, "not_seated") != "not_seated" for r in rows)
    ]
    grid = grid_pages(pages, chamber.capitalize())
    assert grid, f"no {chamber} grid"
    columns = sorted({n for numbers, _ in grid for n in numbers})
    assert columns == mine  # that chamber's votes only, never an all-blank column
    seen: dict[str, list[str]] = {}  # name -> marks, page after page (blanks drop out)
    for _, body in grid:
        for line in body:
            match = re.match(r"(\S+) (.+?) (\S+) (\d+|n/a)((?: [✓✗—])*)$", line)
            assert match, line
            seen.setdefault(match.group(2), []).extend(match.group(5).split())
    cells = 0
    for row in rows:
        want = [
            m
            for n in columns
            if (
                m := expected_mark(
                    row.votes.get(numbered[n].roll_call_id, "not_seated"), numbered[n].aligned
                )
            )
        ]
        assert seen.get(row.person.name, []) == want, row.person.name
        cells += len(want)
    return cells


def test_a_full_size_legislature_splits_across_pages_and_stays_inside_them() -> None:
    data = synthetic()
    pdf = scorecard_pdf(data)
    assert outside(pdf) == []
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    # The grid: 134 House members x 45 House votes split by rows and columns.
    house_grid = grid_pages(pages, "House")
    assert len(house_grid) >= 4
    assert all(len(body) <= 60 and len(numbers) <= 30 for numbers, body in house_grid)
    assert check_grid(data, pages, "house") == sum(
        1
        for r in data.view.rows
        if r.chamber == "house"
        for v in data.view.votes
        if v.facts["chamber"] == "house" and r.votes[v.roll_call_id] != "not_seated"
    )
    check_grid(data, pages, "senate")
    # Ranked bars: every scored House member once, in score order, over several pages.
    ranked = [p for p in pages if "House: scores ranked" in p]
    assert len(ranked) >= 2
    text = "\n".join(ranked)
    house = [r for r in data.view.rows if r.chamber == "house"]
    order = sorted(
        (r for r in house if r.score is not None), key=lambda r: (-r.display, r.person.name)
    )  # type: ignore[operator]
    positions = [text.index(f"{r.person.name} ({r.district})") for r in order]
    assert positions == sorted(positions)
    unscored = sum(1 for r in house if r.score is None)
    assert f"{unscored} without enough votes for a score not shown." in text


def test_a_full_size_one_pager_fits_one_page_with_every_vote() -> None:
    data = synthetic(votes=80)
    row = next(r for r in data.view.rows if r.chamber == "house")
    pdf = legislator_pdf(data, row)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 1 and outside(pdf) == []
    for vote in data.view.votes_for(row):
        assert re.search(rf"^{vote.facts['bill_label']} {vote.facts['date']} ", pages[0], re.M)


# ---------------------------------------------------------------- the demo's grid


def test_the_grid_shows_each_chamber_its_own_votes(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    data = latest_data()
    pdf = client.get(f"/scorecards/{card.public_id}/scorecard.pdf").data
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert check_grid(data, pages, "house") > 0
    assert check_grid(data, pages, "senate") > 0
    grid_text = "\n".join(p for p in pages if "vote by vote" in p)
    for legend in (
        "✓ voted with our position",
        "✗ voted against it",
        "— did not vote or excused",
        "blank: not in office",
    ):
        assert legend in grid_text
    for chamber in ("House", "Senate"):
        labels = {
            v.facts["bill_label"] for v in data.view.votes if v.facts["chamber"] == chamber.lower()
        }
        page = next(p for p in pages if f"{chamber}: vote by vote" in p)
        assert all(label in page for label in labels)  # the bill labels head the columns


# ---------------------------------------------------------------- titles, contacts, the ask


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_vote_table_has_the_bill_title(client: FlaskClient, loaded: None) -> None:
    data = latest_data()
    for row in data.view.rows[:4] + data.view.rows[-2:]:
        text = flat(PdfReader(io.BytesIO(legislator_pdf(data, row))).pages[0].extract_text())
        assert "Bill and vote" in text
        for vote in data.view.votes_for(row):
            assert vote.facts["bill_title"] in text
    wide = read_csv(wide_csv(data))
    for index, vote in enumerate(data.view.votes):
        assert wide[0][12 + index].endswith(f" — {vote.facts['bill_title']}")
    long = read_csv(long_csv(data))
    col = {name: i for i, name in enumerate(long[0])}
    titles = {v.facts["public_id"]: v.facts["bill_title"] for v in data.view.votes}
    assert all(line[col["Bill title"]] == titles[line[col["Roll call ID"]]] for line in long[1:])


def test_the_wide_csv_leaves_the_other_chambers_votes_blank(loaded: None) -> None:
    data = latest_data()
    table = read_csv(wide_csv(data))
    col = {name: i for i, name in enumerate(table[0])}
    by_id = {r.person.public_id: r for r in data.view.rows}
    not_in_office = 0
    for line in table[1:]:
        row = by_id[line[col["Legislator ID"]]]
        for index, vote in enumerate(data.view.votes):
            option = row.votes.get(vote.roll_call_id, "not_seated")
            cell = line[12 + index]
            if vote.facts["chamber"] != row.chamber and option == "not_seated":
                assert cell == ""
            else:
                assert cell != ""
                not_in_office += cell == "Not in office"
    assert not_in_office > 0  # the member who left, and the successor, in their own chamber


def test_the_one_pager_has_contacts_and_prints_the_ask_when_given(loaded: None) -> None:
    person = db.session.scalar(select(Person).where(Person.family_name == "Østergaardt"))
    person.profile_url = "https://www.senate.mn/members/invented-ostergaardt"
    db.session.flush()
    data = latest_data([person.id])
    row = data.rows[0]
    plain = PdfReader(io.BytesIO(legislator_pdf(data, row)))
    text = flat(plain.pages[0].extract_text())
    for detail in (person.phone, person.email, person.office_address, person.profile_url):
        assert detail and detail in text
    assert "What we are asking" not in text
    links = [a.get_object()["/A"].get("/URI") for a in plain.pages[0].get("/Annots", [])]
    assert f"mailto:{person.email}" in links and person.profile_url in links
    ask = (
        "Call Senator Østergaardt before Thursday and ask her to vote yes on SF 13, "
        "paid family and medical leave."
    )
    asked = PdfReader(io.BytesIO(legislator_pdf(dataclasses.replace(data, ask=ask), row)))
    assert len(asked.pages) == 1
    text = flat(asked.pages[0].extract_text())
    assert "What we are asking" in text and ask in text
    assert outside(legislator_pdf(dataclasses.replace(data, ask=ask * 3), row)) == []


# ---------------------------------------------------------------- the workbook


def test_the_workbook_has_frozen_filtered_headers_dates_and_widths(loaded: None) -> None:
    data = latest_data()
    book = load_workbook(io.BytesIO(to_xlsx(data)))
    for name in ("Scores", "Votes"):
        sheet = book[name]
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
        assert all(c.font.bold for c in sheet[1])
    votes = book["Votes"]
    header = [c.value for c in votes[1]]
    dates = [r[header.index("Date")] for r in votes.iter_rows(min_row=2)]
    assert dates and all(
        isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in dates
    )
    facts = {v.facts["public_id"]: v.facts["date"] for v in data.view.votes}
    for line in votes.iter_rows(min_row=2, values_only=True):
        assert (
            line[header.index("Date")].date().isoformat()
            == facts[line[header.index("Roll call ID")]]
        )
    scores = book["Scores"]
    longest = max(len(r.person.name) for r in data.view.rows)
    assert longest <= scores.column_dimensions["A"].width <= 60
    assert all(
        6 <= scores.column_dimensions[get_column_letter(i)].width <= 60
        for i in range(1, scores.max_column + 1)
    )
    draft = load_workbook(io.BytesIO(to_xlsx(draft_data(latest_card()))))["Scores"]
    assert draft.freeze_panes == "B3" and draft.auto_filter.ref.startswith("A2:")


# ---------------------------------------------------------------- share cards


def test_the_share_card_never_cuts_the_party(loaded: None, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, tuple[float, float, float, float]]] = []
    original = ImageDraw.ImageDraw.text

    def record(
        self: ImageDraw.ImageDraw,
        xy: Any,
        text: Any,
        fill: Any = None,
        font: Any = None,
        anchor: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        drawn.append((str(text), self.textbbox(xy, text, font=font, anchor=anchor)))
        original(self, xy, text, fill, font, anchor, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", record)
    data = latest_data()
    row = next(r for r in data.view.rows if r.district == "10A" and r.party == "DFL")
    long_party = dataclasses.replace(row, party="Grassroots-Legalize Cannabis")
    for card_row in (row, long_party, dataclasses.replace(row, party="LMN", district="67B")):
        drawn.clear()
        share_image(data, card_row)
        texts = [t for t, _ in drawn]
        assert card_row.party in texts, texts  # drawn whole, on its own
        assert "Representative, House District " + card_row.district in texts
        for text, (x0, y0, x1, y1) in drawn:
            assert 0 <= x0 and x1 <= 1200 and 0 <= y0 and y1 <= 630, text


# ---------------------------------------------------------------- charts


def whole(values: Sequence[float]) -> bool:
    return all(float(v).is_integer() for v in values)


def test_count_axes_tick_whole_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    figures: list[Figure] = []

    def keep(figure: Figure, fmt: str) -> bytes:
        figures.append(figure)
        return b""

    monkeypatch.setattr(charts, "_render", keep)
    charts.pressure_chart(
        {
            "DFL": {"called": 1, "emailed": 2, "voted_as_asked": 1},
            "R": {"called": 0, "emailed": 1, "voted_against": 2},
        },
        title="HF 11: paid leave",
        with_votes=True,
    )
    charts.score_distribution({"DFL": [95, 88], "R": [12]}, title="Scores")
    pressure, distribution = figures
    for axes in pressure.axes:
        low, high = axes.get_xlim()
        ticks = [t for t in axes.get_xticks() if low <= t <= high]
        assert len(ticks) >= 2 and whole(ticks), ticks
    axes = distribution.axes[0]
    low, high = axes.get_ylim()
    ticks = [t for t in axes.get_yticks() if low <= t <= high]
    assert len(ticks) >= 2 and whole(ticks), ticks
    for top in (0, 1, 2, 3, 7, 13, 45, 134):
        ticks = charts.count_ticks(top)
        assert ticks[0] == 0 and ticks[-1] >= top and ticks == sorted(set(ticks))
    assert charts.bin_counts([0, 9, 10, 55, 99, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


# ---------------------------------------------------------------- CSV responses


def test_csv_responses_name_their_charset_once(
    client: FlaskClient, loaded: None, staff_user: object, auth: AuthActions
) -> None:
    card = latest_card()
    session = db.session.scalars(select(LegislativeSession)).first()
    paths = [
        f"/scorecards/{card.public_id}/scorecard.csv",
        f"/scorecards/{card.public_id}/votes.csv",
        f"/sessions/{session.identifier}/votes.csv",
    ]
    for path in paths:
        assert client.get(path).headers["Content-Type"] == "text/csv; charset=utf-8", path
    auth.login()
    preview = client.get(f"/staff/scorecards/{card.public_id}/preview.csv")
    assert preview.headers["Content-Type"] == "text/csv; charset=utf-8"


# ---------------------------------------------------------------- the current ask


def test_the_one_pager_prints_the_open_alerts_that_target_the_legislator(
    client: FlaskClient, loaded: None, runner: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import alerts, asks, localtime
    from tracker.models import Alert, Bill, RollCall
    from tracker.models.common import utcnow

    links: list[str] = []

    def one_pager(person: Person) -> str:
        response = client.get(f"/legislators/{person.public_id}/scorecard.pdf")
        assert response.status_code == 200
        page = PdfReader(io.BytesIO(response.data)).pages[0]
        links[:] = [a.get_object()["/A"].get("/URI") for a in page.get("/Annots", [])]
        return flat(page.extract_text())

    senators = alerts.seated("senate", localtime.today())
    senator = senators[0].person
    representative = alerts.seated("house", localtime.today())[0].person
    closed = db.session.scalars(select(Alert).where(Alert.status == "closed")).one()
    assert any(t.person_id == senator.id for t in closed.targets)  # the demo's closed alert
    assert "What we are asking" not in one_pager(senator)

    # An alert on a House file still in committee: a senator is asked about its
    # Senate companion (tracker.asks, the one rule).
    house_file = db.session.scalars(
        select(Bill).where(
            Bill.bill_type == "HF",
            Bill.status == "in_committee",
            Bill.session.has(identifier="2025-2026"),
        )
    ).first()
    companion = house_file.companion
    deadline = utcnow() + dt.timedelta(days=2)
    alert = alerts.create_alert(
        house_file,
        alerts.AlertInput(
            title="Call your senator this week",
            target="floor",
            chamber="senate",
            ask="yes",
            call_script="Ask {legislator} to {position} on {bill}.",
            email_template="Dear {legislator}, please {position} on {bill}.",
            deadline=deadline,
        ),
        actor="test",
    )
    draft_only = one_pager(senator)
    assert "What we are asking" not in draft_only  # not published yet
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()

    text = one_pager(senator)
    assert "What we are asking" in text
    assert (
        f"Call your senator this week. We ask {senator.name} to vote YES on "
        f"{companion.label}: {companion.title}."
    ) in text
    assert f"Deadline: {localtime.day_and_clock(deadline)}." in text
    assert f"/alerts/{alert.public_id}" in text.replace(" ", "")
    assert any(link.endswith(f"/alerts/{alert.public_id}") for link in links)  # clickable
    assert "What we are asking" not in one_pager(representative)  # not targeted

    # A second alert, on a bill the Senate already passed: newest first, and no
    # longer an ask to vote but what tracker.asks says after the vote.
    rc = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .where(
            RollCall.chamber == "senate",
            RollCall.kind == "passage",
            Bill.session.has(identifier="2025-2026"),
        )
        .order_by(RollCall.id)
    ).first()
    voted = alerts.create_alert(
        rc.bill,
        alerts.AlertInput(
            title="Thank your senator",
            target="floor",
            chamber="senate",
            ask="yes",
            call_script="Ask {legislator}.",
            email_template="Dear {legislator}.",
            deadline=deadline,
        ),
        actor="test",
    )
    alerts.mark_reviewed(voted, expected_version=None, actor="test")
    alerts.publish_alert(voted, expected_version=None, actor="test")
    db.session.commit()
    after = asks.ask_for(rc.bill, "yes", senator.id, "senate")
    assert after.voted
    text = one_pager(senator)
    assert (
        f"Thank your senator. The Senate has already voted on {rc.bill.label}: "
        f"{rc.bill.title}. Please {after.text}."
    ) in text
    assert text.index("Thank your senator.") < text.index("Call your senator this week.")

    # The export command's one-pagers carry the same ask.
    result = runner.invoke(
        args=[
            "export",
            "pdf",
            "--scorecard",
            latest_card().public_id,
            "--out",
            str(tmp_path),
            "--legislators",
        ]
    )
    assert result.exit_code == 0, result.output
    written = {
        path.name: flat(PdfReader(str(path)).pages[0].extract_text())
        for path in (tmp_path / "legislators").glob("*.pdf")
    }
    asked = [name for name, body in written.items() if "What we are asking" in body]
    assert (
        len(asked)
        == len({t.person_id for t in alert.targets} & {r.person.id for r in latest_data().rows})
        > 0
    )
    assert all("Thank your senator." in written[name] for name in asked)
    assert all("house-" not in name for name in asked)

    # Past its deadline the alert is no longer open, though no data changed: the box
    # goes (the cached file is not served again).
    from tracker.alerts import lifecycle

    later = utcnow() + dt.timedelta(days=3)
    monkeypatch.setattr(lifecycle, "utcnow", lambda: later)
    assert "What we are asking" not in one_pager(senator)


def test_the_cover_title_is_set_with_ordinary_word_spaces(loaded: None) -> None:
    """A wrapped title used to be justified: "2025-2026     Legislative     Scorecard"."""
    import pymupdf

    data = latest_data()
    document = pymupdf.open(stream=scorecard_pdf(data), filetype="pdf")
    words = document[0].get_text("words")  # (x0, y0, x1, y1, word, block, line, number)
    title = data.view.version.title.split()
    found = [w for w in words if w[4] in title and w[3] - w[1] > 20]  # the 26 pt ones
    assert [w[4] for w in found] == title
    lines: dict[tuple[int, int], list[Any]] = {}
    for word in found:
        lines.setdefault((word[5], word[6]), []).append(word)
    assert len(lines) == 2  # it still wraps, where a person would
    left = min(w[0] for w in found)
    for line in lines.values():
        assert abs(line[0][0] - left) < 1  # each line starts at the margin
        gaps = [b[0] - a[2] for a, b in zip(line, line[1:], strict=False)]
        assert all(0 < gap < 12 for gap in gaps), gaps  # a space at 26 pt is about 8 pt


def test_the_ask_shows_three_open_alerts_then_counts_the_rest(loaded: None) -> None:
    from tracker import alerts
    from tracker.exports.pdf import ASKS_SHOWN, legislator_asks
    from tracker.models import Bill, RollCall

    bills = db.session.scalars(
        select(Bill)
        .join(RollCall)
        .where(RollCall.chamber == "senate", Bill.session.has(identifier="2025-2026"))
        .distinct()
        .order_by(Bill.id)
    ).all()[: ASKS_SHOWN + 1]
    for number, bill in enumerate(bills, start=1):
        alert = alerts.create_alert(
            bill,
            alerts.AlertInput(
                title=f"Alert number {number}",
                target="floor",
                chamber="senate",
                ask="no",
                call_script="Ask {legislator}.",
                email_template="Dear {legislator}.",
            ),
            actor="test",
        )
        alerts.mark_reviewed(alert, expected_version=None, actor="test")
        alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    senator = alerts.seated("senate", localtime.today())[0].person
    ask = legislator_asks([senator.id])[senator.id]
    lines = ask.splitlines()
    assert len(lines) == ASKS_SHOWN + 1
    newest = [f"Alert number {n}." for n in range(len(bills), 1, -1)]
    assert [line.split(". ")[0] + "." for line in lines[:ASKS_SHOWN]] == newest
    assert f"Senate has already voted on {bills[-1].label}: {bills[-1].title}." in lines[0]
    assert lines[-1].startswith("And 1 more open alert: ") and lines[-1].endswith("/alerts")
    row = latest_data([senator.id]).rows[0]
    data = dataclasses.replace(latest_data([senator.id]), ask=ask)
    pdf = legislator_pdf(data, row)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1 and outside(pdf) == []
