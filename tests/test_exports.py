"""Press kit exports (issue 7), read back and compared with the engine's scores:
CSV and XLSX cell by cell, PDF text, PNG and SVG validity, caching, drafts, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from tracker import charts, scorecards
from tracker.exports import DRAFT_MARK, cache
from tracker.exports.spreadsheets import escape
from tracker.extensions import db
from tracker.models import (
    Bill,
    FrozenMemberVote,
    LegislativeSession,
    LegislatorScoreRow,
    MemberVote,
    Person,
    RollCall,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
)
from tracker.scoring import display_score

from .conftest import AuthActions

BOM = b"\xef\xbb\xbf"
LABELS = {
    "yes": "Yes",
    "no": "No",
    "not_voting": "Did not vote",
    "excused": "Excused",
    "not_seated": "Not in office",
}


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def latest_card() -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def score_rows(card: Scorecard, number: int = 1) -> dict[str, LegislatorScoreRow]:
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == number
        )
    ).all()
    return {r.person.public_id: r for r in rows}


def engine_score(row: LegislatorScoreRow) -> int | None:
    if not row.has_score:
        return None
    return display_score(Fraction(100 * row.aligned_weight, row.eligible_weight))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"))))


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# ---------------------------------------------------------------- CSV


def test_wide_csv_matches_the_engine_and_the_page(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    response = client.get(f"/scorecards/{card.public_id}/scorecard.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = read_csv(response.data)
    header, body = table[0], table[1:]
    expected = score_rows(card)
    version = card.versions[-1]
    assert len(body) == len(expected)
    assert len(header) == 12 + len(version.votes)
    col = {name: i for i, name in enumerate(header)}
    frozen = {
        (v.person_id, v.roll_call_id): v.option
        for v in db.session.scalars(
            select(FrozenMemberVote).where(FrozenMemberVote.version_id == version.id)
        )
    }
    page = client.get(f"/scorecards/{card.public_id}").get_data(as_text=True)
    for line in body:
        row = expected[line[col["Legislator ID"]]]
        assert line[col["Name"]] == row.person.name
        shown = engine_score(row)
        assert line[col["Score"]] == ("" if shown is None else str(shown))
        assert line[col["Grade"]] == (row.grade or "")
        assert line[col["Votes cast"]] == str(row.votes_cast)
        assert line[col["Votes possible"]] == str(row.votes_possible)
        for index, vote in enumerate(version.votes):
            option = frozen.get((row.person_id, vote.roll_call_id), "not_seated")
            other_chamber = option == "not_seated" and vote.facts["chamber"] != row.chamber
            # a vote of the other chamber is blank; "Not in office" only in their own
            assert line[12 + index] == ("" if other_chamber else LABELS[option])
        if shown is not None:  # to the digit, as on the public page
            assert re.search(
                rf">{re.escape(row.person.name)}</a></th>.*?"
                rf'<span class="score">{shown}</span>',
                page,
                re.S,
            )
    names = [line[col["Name"]] for line in body]
    assert any("Åkerlund-Vale" in n for n in names)
    assert any("Østergaardt" in n for n in names)


def test_long_csv_has_integer_tallies_and_every_vote(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    table = read_csv(client.get(f"/scorecards/{card.public_id}/votes.csv").data)
    header, body = table[0], table[1:]
    col = {name: i for i, name in enumerate(header)}
    assert "yeas" in col and "nays" in col
    version = card.versions[-1]
    facts = {v.facts["public_id"]: v.facts for v in version.votes}
    for line in body:
        assert line[col["yeas"]].isdigit() and line[col["nays"]].isdigit()
        vote = facts[line[col["Roll call ID"]]]
        assert int(line[col["yeas"]]) == vote["yeas"]
        assert int(line[col["nays"]]) == vote["nays"]
        assert not re.fullmatch(r"\d+-\d+", line[col["Outcome"]])
    # every seated legislator-vote pair is present
    seated = db.session.scalar(
        select(func.count())
        .select_from(FrozenMemberVote)
        .where(FrozenMemberVote.version_id == version.id, FrozenMemberVote.option != "not_seated")
    )
    assert len(body) >= seated


def test_formula_injection_is_escaped(client: FlaskClient, loaded: None) -> None:
    assert escape("=SUM(A1)") == "'=SUM(A1)"
    assert escape("+1") == "'+1" and escape("-1") == "'-1" and escape("@x") == "'@x"
    assert escape(-5) == -5 and escape("HF 12") == "HF 12" and escape(None) is None
    card = latest_card()
    row = next(iter(score_rows(card).values()))
    row.person.name = '=HYPERLINK("http://evil.example","x")'
    db.session.commit()
    cache.clear()
    table = read_csv(client.get(f"/scorecards/{card.public_id}/scorecard.csv").data)
    cells = [c for line in table for c in line]
    assert "'" + row.person.name in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert not any(c.startswith("-") and not c.lstrip("-").isdigit() for c in cells)
    book = load_workbook(
        io.BytesIO(client.get(f"/scorecards/{card.public_id}/scorecard.xlsx").data)
    )
    values = [c for sheet in book.worksheets for r in sheet.iter_rows() for c in r]
    assert any(c.value == "'" + row.person.name for c in values)
    assert all(c.data_type != "f" for c in values)


# ---------------------------------------------------------------- XLSX


def test_xlsx_matches_the_csv_cell_by_cell(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    base = f"/scorecards/{card.public_id}"
    response = client.get(f"{base}/scorecard.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Scores", "Votes", "Methodology"]
    for sheet, path in (("Scores", "scorecard.csv"), ("Votes", "votes.csv")):
        table = read_csv(client.get(f"{base}/{path}").data)
        rows = [
            [
                "" if c is None else c.date().isoformat() if isinstance(c, dt.datetime) else str(c)
                for c in r
            ]
            for r in book[sheet].iter_rows(values_only=True)
        ]
        assert len(rows) == len(table)
        for got, want in zip(rows, table, strict=True):
            assert got == want
    header = next(book["Scores"].iter_rows(values_only=True))
    score_col = header.index("Score")
    assert all(
        isinstance(r[score_col], int | None)
        for r in book["Scores"].iter_rows(min_row=2, values_only=True)
    )
    votes_header = next(book["Votes"].iter_rows(values_only=True))
    for r in book["Votes"].iter_rows(min_row=2, values_only=True):
        assert isinstance(r[votes_header.index("yeas")], int)
        assert isinstance(r[votes_header.index("nays")], int)
    method = {r[0]: r[1] for r in book["Methodology"].iter_rows(values_only=True)}
    assert method["Version"] == "Version 1"
    assert method["Minimum participation %"] == 50


# ---------------------------------------------------------------- PDF


def test_scorecard_pdf_has_every_legislator_and_vote(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    response = client.get(f"/scorecards/{card.public_id}/scorecard.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    pages = pdf_pages(response.data)
    text = "\n".join(pages)
    for row in score_rows(card).values():
        assert row.person.name in text
        shown = engine_score(row)
        if shown is not None:
            assert re.search(rf"{re.escape(row.person.name)} \S+ \S+ {shown}\b", text)
    for vote in card.versions[-1].votes:
        assert vote.facts["bill_label"] in text
        assert vote.description in text
    assert "Åkerlund-Vale" in text and "Østergaardt" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Version 1" in page and "Generated " in page
        assert DRAFT_MARK not in page


def test_legislator_pdf_is_one_page(client: FlaskClient, loaded: None) -> None:
    person = db.session.scalar(select(Person).where(Person.family_name == "Åkerlund-Vale"))
    response = client.get(f"/legislators/{person.public_id}/scorecard.pdf")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    assert len(pages) == 1
    assert "Åkerlund-Vale" in pages[0] and "Page 1 of 1" in pages[0]


# ---------------------------------------------------------------- images


def test_share_card_is_1200_by_630(client: FlaskClient, loaded: None) -> None:
    for person in db.session.scalars(
        select(Person).where(Person.family_name.in_(["Åkerlund-Vale", "Østergaardt"]))
    ):
        response = client.get(f"/legislators/{person.public_id}/share.png")
        assert response.status_code == 200 and response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        image.verify()
        assert image.format == "PNG" and image.size == (1200, 630)
    card = latest_card()
    image = Image.open(io.BytesIO(client.get(f"/scorecards/{card.public_id}/share.png").data))
    assert image.size == (1200, 630)


@pytest.mark.parametrize("path", ["charts/distribution", "charts/house", "charts/senate"])
def test_scorecard_charts_png_and_svg(client: FlaskClient, loaded: None, path: str) -> None:
    card = latest_card()
    svg = client.get(f"/scorecards/{card.public_id}/{path}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)
    assert root.tag.endswith("svg")
    assert root.get("width") and root.get("height") and root.get("viewBox")
    png = client.get(f"/scorecards/{card.public_id}/{path}.png?width=800&height=500")
    image = Image.open(io.BytesIO(png.data))
    assert image.format == "PNG" and image.size == (800, 500)


def test_legislator_record_chart(client: FlaskClient, loaded: None) -> None:
    person = db.session.scalar(select(Person).where(Person.family_name == "Østergaardt"))
    root = ET.fromstring(client.get(f"/legislators/{person.public_id}/record.svg").data)
    assert root.get("viewBox")
    png = client.get(f"/legislators/{person.public_id}/record.png")
    assert Image.open(io.BytesIO(png.data)).size == (700, 320)


def test_absurd_chart_sizes_are_400_before_any_work(
    client: FlaskClient, loaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("no chart may be drawn")

    monkeypatch.setattr(charts, "ranked_bars", refuse)
    monkeypatch.setattr(charts, "score_distribution", refuse)
    monkeypatch.setattr(charts, "record_over_time", refuse)
    card = latest_card()
    person = db.session.scalars(select(Person)).first()
    for query in (
        "width=100000",
        "height=9999999",
        "width=abc",
        "width=10",
        "height=-5",
        "width=2401",
    ):
        assert (
            client.get(f"/scorecards/{card.public_id}/charts/house.svg?{query}").status_code == 400
        )
        assert client.get(f"/legislators/{person.public_id}/record.png?{query}").status_code == 400
    assert client.get("/scorecards/nope/charts/house.svg?width=100000").status_code == 400
    assert client.get(f"/scorecards/{card.public_id}/charts/pie.svg").status_code == 404
    assert client.get(f"/scorecards/{card.public_id}/charts/house.gif").status_code == 404


# ---------------------------------------------------------------- drafts, 404s


def test_unknown_and_draft_scorecards_are_404(client: FlaskClient, loaded: None) -> None:
    session = db.session.scalars(select(LegislativeSession)).first()
    draft = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Unpublished draft",
            description="",
            session_ids=[session.id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=True,
        ),
        actor="test",
    )
    db.session.commit()
    card = latest_card()
    person = db.session.scalars(select(Person)).first()
    paths = [
        "scorecard.csv",
        "votes.csv",
        "scorecard.xlsx",
        "scorecard.pdf",
        "share.png",
        "charts/distribution.svg",
        "charts/house.png",
    ]
    for public_id in (draft.public_id, "does-not-exist", "x" * 100):
        for path in paths:
            assert client.get(f"/scorecards/{public_id}/{path}").status_code == 404
    assert client.get(f"/scorecards/{card.public_id}/scorecard.csv?version=9").status_code == 404
    assert client.get(f"/scorecards/{card.public_id}/scorecard.csv?version=x").status_code == 404
    assert (
        client.get(
            f"/legislators/{person.public_id}/share.png?scorecard={draft.public_id}"
        ).status_code
        == 404
    )
    assert client.get("/legislators/nobody/share.png").status_code == 404
    assert client.get("/sessions/1999-2000/votes.csv").status_code == 404


def test_staff_preview_is_staff_only_and_watermarked(
    client: FlaskClient, loaded: None, staff_user: object, auth: AuthActions
) -> None:
    card = latest_card()
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(f"/staff/scorecards/{card.public_id}/preview.{fmt}")
        assert response.status_code in (302, 401)
    auth.login()
    pdf = client.get(f"/staff/scorecards/{card.public_id}/preview.pdf")
    assert pdf.status_code == 200
    assert "no-store" in pdf.headers["Cache-Control"]
    pages = pdf_pages(pdf.data)
    assert all(DRAFT_MARK in page for page in pages)
    table = read_csv(client.get(f"/staff/scorecards/{card.public_id}/preview.csv").data)
    assert table[0] == [DRAFT_MARK]
    draft = {
        r.person.public_id: r
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == 0
            )
        )
    }
    col = {name: i for i, name in enumerate(table[1])}
    for line in table[2:]:
        shown = engine_score(draft[line[col["Legislator ID"]]])
        assert line[col["Score"]] == ("" if shown is None else str(shown))
    book = load_workbook(
        io.BytesIO(client.get(f"/staff/scorecards/{card.public_id}/preview.xlsx").data)
    )
    assert next(book["Scores"].iter_rows(values_only=True))[0] == DRAFT_MARK
    assert client.get(f"/staff/scorecards/{card.public_id}/preview.doc").status_code == 404
    assert client.get("/staff/scorecards/nope/preview.pdf").status_code == 404


# ---------------------------------------------------------------- cache


def test_exports_are_cached_until_a_new_version_is_published(
    client: FlaskClient, loaded: None
) -> None:
    card = latest_card()
    path = f"/scorecards/{card.public_id}/scorecard.xlsx"
    before = dict(cache.stats)
    first = client.get(path)
    second = client.get(path)
    assert first.data == second.data
    assert cache.stats["misses"] == before["misses"] + 1
    assert cache.stats["hits"] == before["hits"] + 1
    # Change the draft: weight a vote, then publish version 2.
    vote = db.session.scalars(
        select(ScorecardVote).where(
            ScorecardVote.scorecard_id == card.id, ScorecardVote.active.is_(True)
        )
    ).all()[-1]
    scorecards.edit_scored_vote(
        vote,
        aligned=vote.aligned,
        weight=5,
        description="Reworded for version 2.",
        expected_version=vote.version,
        actor="test",
    )
    scorecards.recompute_draft(card)
    scorecards.publish(card, expected_version=None, note="v2", actor="test")
    db.session.commit()
    third = client.get(path)
    assert cache.stats["misses"] == before["misses"] + 2
    book = load_workbook(io.BytesIO(third.data))
    method = {r[0]: r[1] for r in book["Methodology"].iter_rows(values_only=True)}
    assert method["Version"] == "Version 2"
    table = read_csv(client.get(f"/scorecards/{card.public_id}/scorecard.csv").data)
    col = {name: i for i, name in enumerate(table[0])}
    expected = score_rows(card, 2)
    for line in table[1:]:
        shown = engine_score(expected[line[col["Legislator ID"]]])
        assert line[col["Score"]] == ("" if shown is None else str(shown))
    votes = read_csv(client.get(f"/scorecards/{card.public_id}/votes.csv").data)
    assert any("Reworded for version 2." in line for line in votes)
    # the old version stays downloadable by number
    old = client.get(f"/scorecards/{card.public_id}/scorecard.csv?version=1")
    assert old.status_code == 200 and "-v1.csv" in old.headers["Content-Disposition"]


# ---------------------------------------------------------------- session bulk CSV


def test_session_bulk_csv_has_every_roll_call_and_member_vote(
    client: FlaskClient, loaded: None
) -> None:
    session = db.session.scalars(
        select(LegislativeSession).order_by(LegislativeSession.year.desc())
    ).first()
    table = read_csv(client.get(f"/sessions/{session.identifier}/votes.csv").data)
    col = {name: i for i, name in enumerate(table[0])}
    body = table[1:]
    member_votes = db.session.scalar(
        select(func.count())
        .select_from(MemberVote)
        .join(RollCall)
        .join(Bill)
        .where(Bill.session_id == session.id)
    )
    roll_calls = db.session.scalar(
        select(func.count()).select_from(RollCall).join(Bill).where(Bill.session_id == session.id)
    )
    assert len(body) == member_votes
    assert len({line[col["Roll call ID"]] for line in body}) == roll_calls
    assert all(line[col["yeas"]].isdigit() and line[col["nays"]].isdigit() for line in body)


# ---------------------------------------------------------------- pages


def test_pages_have_share_tags_and_downloads(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    page = client.get(f"/scorecards/{card.public_id}").get_data(as_text=True)
    assert 'property="og:image"' in page and 'name="twitter:card"' in page
    assert f"/scorecards/{card.public_id}/scorecard.csv" in page
    assert f"/scorecards/{card.public_id}/scorecard.xlsx" in page
    assert f"/scorecards/{card.public_id}/scorecard.pdf" in page
    assert "&lt;iframe" in page and f"/embed/scorecards/{card.public_id}" in page
    person = db.session.scalar(select(Person).where(Person.family_name == "Østergaardt"))
    page = client.get(f"/legislators/{person.public_id}").get_data(as_text=True)
    image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    assert f"/legislators/{person.public_id}/share.png" in image
    path = image.split("://", 1)[1].split("/", 1)[1].replace("&amp;", "&")
    assert client.get("/" + path).status_code == 200
    assert f"/embed/legislators/{person.public_id}" in page
    assert f"/legislators/{person.public_id}/record.svg" in page


# ---------------------------------------------------------------- CLI


def test_cli_export_writes_files(runner: object, loaded: None, tmp_path: Path) -> None:
    card = latest_card()
    version: ScorecardVersion = card.versions[-1]
    rows = score_rows(card)
    for kind in ("csv", "xlsx", "pdf", "cards"):
        result = runner.invoke(
            args=[
                "export",
                kind,
                "--scorecard",
                card.public_id,  # type: ignore[attr-defined]
                "--out",
                str(tmp_path / kind),
            ]
        )
        assert result.exit_code == 0, result.output
    assert len(read_csv(next((tmp_path / "csv").glob("*-v1.csv")).read_bytes())) == len(rows) + 1
    assert read_csv(next((tmp_path / "csv").glob("*-votes.csv")).read_bytes())[0][0] == "Name"
    book = load_workbook(io.BytesIO(next((tmp_path / "xlsx").glob("*.xlsx")).read_bytes()))
    assert book.sheetnames[0] == "Scores"
    assert len(pdf_pages(next((tmp_path / "pdf").glob("*.pdf")).read_bytes())) > 3
    cards_written = list((tmp_path / "cards" / "cards").glob("*.png"))
    assert len(cards_written) == len(rows) + 1
    for written in cards_written:
        with Image.open(written) as image:
            assert image.size == (1200, 630)
    assert any("akerlund-vale" in p.name for p in cards_written)
    result = runner.invoke(
        args=[
            "export",
            "pdf",
            "--scorecard",
            "nope",  # type: ignore[attr-defined]
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert result.exit_code != 0
    result = runner.invoke(
        args=[
            "export",
            "csv",
            "--scorecard",
            card.public_id,  # type: ignore[attr-defined]
            "--version",
            str(version.number + 5),
            "--out",
            str(tmp_path / "y"),
        ]
    )
    assert result.exit_code != 0


def test_cli_export_progress_bar_only_on_a_terminal(
    runner: object, loaded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a terminal (here, and under cron or CI) the one summary line and no bar;
    on a terminal, the scrape commands' bar counts every legislator's file."""
    import contextlib

    from tracker import scrape_cli

    card = latest_card()
    legislators = len(score_rows(card))
    out = tmp_path / "plain"
    result = runner.invoke(
        args=[
            "export",
            "cards",
            "--scorecard",
            card.public_id,  # type: ignore[attr-defined]
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {legislators + 1} file(s) to {out}\n"

    seen: list[tuple[str, int, int]] = []

    @contextlib.contextmanager
    def recording(label: str):  # type: ignore[no-untyped-def]
        yield lambda done, total: seen.append((label, done, total))

    monkeypatch.setattr(scrape_cli, "_progress_bar", recording)
    for kind, extra, label in (
        ("cards", [], "share images"),
        ("pdf", ["--legislators"], "legislator PDFs"),
    ):
        seen.clear()
        result = runner.invoke(
            args=[
                "export",
                kind,
                "--scorecard",
                card.public_id,  # type: ignore[attr-defined]
                "--out",
                str(tmp_path / kind),
                *extra,
            ]
        )
        assert result.exit_code == 0, result.output
        assert seen == [(label, n, legislators) for n in range(1, legislators + 1)]
