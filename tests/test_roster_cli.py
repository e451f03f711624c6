"""``tracker roster explain``, ``tracker roster rebuild``, ``tracker quality report``,
``tracker sources check`` and the fidelity page.  Hand-built pages, invented people."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from tests.fakesite import FakeLegislature, three_sessions
from tests.scrapers.pdfgen import journal_pdf, name_rows
from tests.sites import point_at
from tests.test_votes import VOTES, make_world
from tests.test_votes_pipeline import add_senate
from tracker import backfill, ingest
from tracker.extensions import db


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    data = make_world()
    add_senate(data)
    return data


def explain(runner: Any, path: Path, chamber: str) -> dict[str, Any]:
    result = runner.invoke(args=["roster", "explain", str(path), "--chamber", chamber, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_explain_a_house_journal_day(runner: Any, world: dict[str, Any]) -> None:
    doc = explain(runner, VOTES / "house_journal_j0313041.html", "house")
    assert doc["date"] == "2025-03-13"
    by_name = {n["printed"]: n for n in doc["names"]}
    assert set(doc) == {"date", "names"}
    assert set(by_name["Halvorsen"]) == {"printed", "status", "person", "reason"}
    assert by_name["Halvorsen"]["status"] == "present"
    assert by_name["Halvorsen"]["person"] == world["people"]["Erik Halvorsen"].public_id
    assert by_name["Haugland, K. M."]["status"] == "excused"
    # Haugland, sworn in on April 15, would be "nearly seated", but her seat 40B was
    # held by Halvorsen that day: the roll cannot mean her
    assert by_name["Haugland, K. M."]["person"] is None
    assert "district 40B is held by another member" in by_name["Haugland, K. M."]["reason"]
    assert by_name["Quillfeather"]["person"] is None
    assert "no member in the House on 2025-03-13 matches" in by_name["Quillfeather"]["reason"]
    people = [n["person"] for n in doc["names"] if n["person"]]
    assert len(people) == len(set(people))  # nobody resolved twice
    table = runner.invoke(
        args=["roster", "explain", str(VOTES / "house_journal_j0313041.html"), "--chamber", "house"]
    )
    assert "house journal roll of 2025-03-13" in table.output and "UNRESOLVED" in table.output


def test_explain_a_senate_journal_day(runner: Any, world: dict[str, Any], tmp_path: Path) -> None:
    pdf = tmp_path / "20250429041.pdf"
    pdf.write_bytes(
        journal_pdf(
            [
                [
                    "St. Paul, Minnesota, Tuesday, April 29, 2025",
                    "The roll was called, and the following Senators answered to their names:",
                    *name_rows(
                        ["Amberwick", "Brightwater", "Eklund", "Okonkwo", "Zanderfell"], columns=5
                    ),
                    "The President declared a quorum present.",
                ]
            ]
        )
    )
    doc = explain(runner, pdf, "senate")
    assert doc["date"] == "2025-04-29"
    by_name = {n["printed"]: n for n in doc["names"]}
    assert by_name["Okonkwo"]["person"] == world["people"]["Nora Okonkwo"].public_id
    assert "possibly seated" in by_name["Amberwick"]["reason"]  # no Open States start date
    assert by_name["Zanderfell"]["person"] is None


def test_explain_refuses_clearly(runner: Any, app: Flask, tmp_path: Path) -> None:
    empty = runner.invoke(
        args=["roster", "explain", str(VOTES / "house_journal_j0313041.html"), "--chamber", "house"]
    )
    assert empty.exit_code == 1 and "run `tracker import-people`" in empty.output
    make_world()
    bad = tmp_path / "page.html"
    bad.write_text("<html><body><p>Nothing here.</p></body></html>")
    result = runner.invoke(args=["roster", "explain", str(bad), "--chamber", "house"])
    assert result.exit_code == 1
    assert "cannot read the roll of page.html" in result.output
    assert "Traceback" not in result.output


def test_quality_report_and_fidelity_page(
    client: FlaskClient, auth: Any, staff_user: Any, app: Flask, runner: Any, httpserver: Any
) -> None:
    site = FakeLegislature(three_sessions()[-1:])
    httpserver.expect_request(re.compile(".*")).respond_with_handler(site.handle)
    base = httpserver.url_for("/").rstrip("/")
    point_at(app, base, TRACKER_LRL_URL=base)
    ingest.upsert_people(site.people())
    db.session.commit()
    backfill.backfill(2025, sessions=["2025-2026"])
    result = runner.invoke(args=["quality", "report", "--session", "2025-2026"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.output.splitlines()[1:]}
    assert re.search(
        r"2025-2026\s+house\s+3\s+3\s+3 \(100.0%\)\s+0\s+32\s+100.0%\s+0", rows["house"]
    ), rows["house"]
    assert re.search(r"senate\s+3\s+3\s+3 \(100.0%\)", rows["senate"]), rows["senate"]
    unknown = runner.invoke(args=["quality", "report", "--session", "1999-2000"])
    assert unknown.exit_code == 1 and "unknown session" in unknown.output
    auth.login()
    page = client.get("/staff/quality/sessions").get_data(as_text=True)
    assert "Fidelity per session" in page and "3 (100.0%)" in page
    assert client.get("/staff/quality").get_data(as_text=True).count("Fidelity per session")
    # The figures link to that session's items only; a day without its roll is listed.
    from tracker.models import DataQualityItem, JournalRoll, RollCall

    rc = db.session.scalars(
        select(RollCall).where(RollCall.chamber == "house").order_by(RollCall.id)
    ).first()
    db.session.execute(
        delete(JournalRoll).where(JournalRoll.chamber == "house", JournalRoll.day == rc.date)
    )
    db.session.add_all(
        [
            DataQualityItem(
                kind="unverified_roll_call",
                message="This session's roll call",
                roll_call_id=rc.id,
                fingerprint="fidelity-mine",
            ),
            DataQualityItem(
                kind="unmatched_name",
                message="Another session's name",
                details={"chamber": "house", "date": "2011-03-01"},
                fingerprint="fidelity-other",
            ),
        ]
    )
    db.session.commit()
    page = client.get("/staff/quality/sessions").get_data(as_text=True)
    assert "/staff/quality?session=2025-2026&amp;chamber=house" in page
    assert "1 vote day(s) without a journal roll" in page and rc.date.isoformat() in page
    narrowed = client.get("/staff/quality?session=2025-2026&chamber=house").get_data(as_text=True)
    assert "This session&#39;s roll call" in narrowed
    assert "Another session" not in narrowed
    assert "Another session" in client.get("/staff/quality").get_data(as_text=True)
    assert client.get("/staff/quality?session=1999-2000").status_code == 404


def test_sources_check_live_record_and_replay(
    runner: Any, app: Flask, httpserver: Any, tmp_path: Path
) -> None:
    site = FakeLegislature(three_sessions()[-1:])
    httpserver.expect_request(re.compile(".*")).respond_with_handler(site.handle)
    base = httpserver.url_for("/").rstrip("/")
    point_at(app, base, TRACKER_LRL_URL=base)
    recording = tmp_path / "rec"
    result = runner.invoke(args=["sources", "check", "--record", str(recording)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line[:4] in ("ok  ", "FAIL", "skip")]
    assert [line[5:31].strip() for line in lines] == [
        "Revisor session list",
        "Revisor bill listing",
        "Revisor bill status",
        "House vote summary",
        "House vote details",
        "House Journal day",
        "Senate journal page lookup",
        "Senate Journal roll call",
        "Senate Journal day's roll",
        "Senate member list",
        "House member list",
        "LRL legislator record",
    ]
    assert all(line.startswith("ok") for line in lines), result.output
    assert re.search(r"journal of 2025-\d\d-\d\d: 7 present, 1 excused", result.output)
    assert re.search(r"the day's roll \(2025-\d\d-\d\d\): 4 present", result.output)
    assert (recording / "index.jsonl").is_file()
    served = len(site.log)
    replayed = runner.invoke(args=["sources", "check", "--replay", str(recording)])
    assert replayed.exit_code == 0 and len(site.log) == served
    # a source in an unknown layout: one FAIL line, the dependent steps say why, exit 1
    original = site.handle

    def broken(request: Any) -> Any:
        if request.path == "/members/hmem.asp" or request.path == "/Votes/GetVoteSummary":
            from werkzeug import Response

            return Response("<html><body>Maintenance</body></html>", content_type="text/html")
        return original(request)

    # The first bill listed has no Senate floor vote yet: the check walks on to one.
    def first_unvoted(request: Any) -> Any:
        response = original(request)
        if request.path.endswith("/SF/1/"):
            body = re.sub(
                rb"<ROLL_CALL>[^<]*</ROLL_CALL>", b"<ROLL_CALL></ROLL_CALL>", response.get_data()
            )
            response.set_data(body)
        return response

    httpserver.clear()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(first_unvoted)
    walked = runner.invoke(args=["sources", "check"])
    assert walked.exit_code == 0, walked.output
    assert re.search(r"ok   Revisor bill status\s+SF ?1: .* 0 Senate roll call", walked.output)
    assert re.search(
        r"ok   Senate roll call search\s+SF\d+ has one \(the first of \d+ bills", walked.output
    )
    assert "ok   Senate Journal roll call" in walked.output

    httpserver.clear()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(broken)
    failing = runner.invoke(args=["sources", "check"])
    assert failing.exit_code == 1
    assert re.search(r"FAIL House member list\s+PeopleParseError", failing.output)
    assert re.search(r"FAIL House vote summary\s+ParseError", failing.output)
    assert "skip House vote details" in failing.output and "needs voted_bill" in failing.output
