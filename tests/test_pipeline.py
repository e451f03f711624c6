"""tracker.pipeline and the scrape CLI: fetch -> parse -> ingest against a local server.

A small fake legislature site (``FakeSite``) serves the hand-built fixtures in
``tests/fixtures/mn/reconstructed/`` plus generated filler bills (so that every
range of 500 bill numbers has a row, as in the real search), the rosters and
photos.  All source hosts point at the one local server.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select
from werkzeug import Request, Response

from tests.conftest import FIXTURES, truncate_all
from tests.sites import serve
from tracker import dataversion, pipeline, runs
from tracker.demo import DemoError
from tracker.extensions import db
from tracker.models import AuditEvent, Bill, LegislativeSession, Person, ScrapeRun

MN = FIXTURES / "mn" / "reconstructed"
STATUS_PATH = re.compile(r"^/bills/v1/94/2025/0/([A-Z]{2})/(\d+)/$")

FIXTURE_BILLS = {
    ("HF", 5): "bill_status_hf5_2025.xml",
    ("HF", 1500): "bill_status_hf1500_2025_vetoed.xml",
    ("HF", 2136): "bill_status_hf2136_2025_upper.xml",
    ("SF", 1832): "bill_status_sf1832_2025.xml",
    ("SC", 3): "bill_status_sc3_2025_namespaced.xml",
}
FILLERS = {("HF", 900): None, ("HF", 1800): None, ("SF", 100): None, ("SF", 700): None}
FILLERS |= {("SF", 1200): None, ("SF", 2300): None, ("SF", 2551): ("HF", 2136)}
KINDS = {"HF": ("House", "bill"), "SF": ("Senate", "bill"), "SC": ("Senate", "concurrent")}
KINDS |= {"HC": ("House", "concurrent"), "HR": ("House", "resolution")}
KINDS |= {"SR": ("Senate", "resolution")}


def filler_status(bill_type: str, number: int, companion: tuple[str, int] | None) -> bytes:
    """A minimal, valid bill status document for an invented bill."""
    ctype, cnum = companion if companion else ("", "")
    chamber = "house" if bill_type.startswith("H") else "senate"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<BILL><SESSION_NUMBER>94</SESSION_NUMBER><SESSION_YEAR>2025</SESSION_YEAR>
<SESSION_TYPE>0</SESSION_TYPE><FILE_TYPE>{bill_type}</FILE_TYPE>
<FILE_NUMBER>{number}</FILE_NUMBER><DESCRIPTION>Invented filler bill {number}</DESCRIPTION>
<COMPANION_TYPE>{ctype}</COMPANION_TYPE><COMPANION_NUMBER>{cnum}</COMPANION_NUMBER>
<AUTHORS><{chamber}><AUTHOR><LEGISLATOR_KEY>15906</LEGISLATOR_KEY>
<MEMBER_NAME>Nakamura</MEMBER_NAME></AUTHOR></{chamber}></AUTHORS>
<ACTIONS><{chamber}><ACTION><ACTION_NUMBER>1</ACTION_NUMBER>
<ACTION_TEXT>Introduction and first reading</ACTION_TEXT>
<ACTION_DATE>2025-02-03 00:00:00</ACTION_DATE><JOURNAL_PAGE>{number}</JOURNAL_PAGE>
<ROLL_CALL></ROLL_CALL></ACTION></{chamber}></ACTIONS></BILL>""".encode()


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
GIF = b"GIF89a" + b"\x00" * 100


class FakeSite:
    """The Revisor search and status XML, the rosters and photos, on one server."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, int], bytes] = {
            key: (MN / name).read_bytes() for key, name in FIXTURE_BILLS.items()
        }
        for (bill_type, number), companion in FILLERS.items():
            self.docs[(bill_type, number)] = filler_status(bill_type, number, companion)
        self.descriptions = {key: f"Listing row {key[0]} {key[1]}" for key in self.docs}
        self.empty_listing: set[tuple[str, str]] = set()
        self.log: list[str] = []
        self.photos = {
            "/img/member_thumbnails/07Johanssen.jpg": ("image/jpeg", JPEG),
            "/img/member_thumbnails/03Eklund.jpg": ("image/jpeg", JPEG),
            "/img/member_thumbnails/44Whitcomb.jpg": ("text/html", b"<html>not found</html>"),
            "/hinfo/memberimgls94/62A.gif": ("image/gif", GIF),
            "/hinfo/memberimgls94/17B.gif": ("image/gif", GIF),
            "/hinfo/memberimgls94/05A.gif": ("image/gif", GIF),
        }

    def listing_xml(self, body: str, kind: str, start: int, end: int) -> bytes:
        rows = []
        if (body, kind) not in self.empty_listing:
            for (bill_type, number), _ in sorted(self.docs.items()):
                if KINDS[bill_type] == (body, kind) and start <= number <= end:
                    rows.append(
                        "<BILL_RESULT>"
                        f"<FILE_TYPE>{bill_type}</FILE_TYPE><FILE_NUMBER>{number}</FILE_NUMBER>"
                        f"<DESCRIPTION>{escape(self.descriptions[(bill_type, number)])}"
                        "</DESCRIPTION><STATUS_XML_URI>"
                        f"api.revisor.mn.gov/bills/v1/94/2025/0/{bill_type}/{number}/"
                        "</STATUS_XML_URI><LATEST_TEXT_HTML_URI></LATEST_TEXT_HTML_URI>"
                        "</BILL_RESULT>"
                    )
        return ("<SEARCH_RESULTS>" + "".join(rows) + "</SEARCH_RESULTS>").encode()

    def handle(self, request: Request) -> Response:
        self.log.append(request.full_path)
        path = request.path
        if path == "/bills/status_result.php":
            start, end = (int(x) for x in request.args["bill"].split("-"))
            body = self.listing_xml(request.args["body"], request.args["bill_type"], start, end)
            return Response(body, content_type="text/xml")
        if path == "/bills/status_search.php":
            return Response((MN / "session_list.html").read_bytes(), content_type="text/html")
        match = STATUS_PATH.match(path)
        if match and (match.group(1), int(match.group(2))) in self.docs:
            doc = self.docs[(match.group(1), int(match.group(2)))]
            return Response(doc, content_type="text/xml")
        if path == "/api/members":
            data = (MN / "people" / "senate-members.json").read_bytes()
            return Response(data, content_type="application/json")
        if path == "/members/hmem.asp":
            data = (MN / "people" / "house-members.html").read_bytes()
            return Response(data, content_type="text/html")
        if path in self.photos:
            ctype, data = self.photos[path]
            return Response(data, content_type=ctype)
        return Response("not found", status=404)

    def listing_requests(self) -> int:
        return sum(1 for p in self.log if p.startswith("/bills/status_result.php"))


@pytest.fixture
def site(app: Any, httpserver: Any) -> FakeSite:
    fake = FakeSite()
    serve(
        app,
        httpserver,
        fake,
        TRACKER_HTTP_READ_TIMEOUT=5.0,
        TRACKER_CONTACT_EMAIL="data@example.org",
    )
    return fake


def snapshot() -> list[tuple[Any, ...]]:
    db.session.expire_all()
    out = []
    for bill in db.session.scalars(select(Bill).order_by(Bill.bill_type, Bill.number)):
        out.append(
            (
                bill.session.identifier,
                bill.key,
                bill.title,
                bill.status,
                bill.content_hash,
                bill.missing_from_source,
                bill.companion.key if bill.companion else None,
                tuple((a.chamber, a.number, a.date, a.text, a.journal_page) for a in bill.actions),
                tuple((a.chamber, a.position, a.printed_name) for a in bill.authors),
            )
        )
    return out


def bill_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Bill)) or 0


def test_full_run(site: FakeSite) -> None:
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "succeeded", run.errors
    listing = site.listing_requests()
    assert run.new == len(site.docs) == 12
    assert run.fetched == listing + 12
    assert run.requests == listing + 12
    assert bill_count() == 12
    session = db.session.scalar(select(LegislativeSession))
    hf2136 = db.session.scalar(select(Bill).where(Bill.bill_type == "HF", Bill.number == 2136))
    sf2551 = db.session.scalar(select(Bill).where(Bill.bill_type == "SF", Bill.number == 2551))
    assert hf2136.companion_id == sf2551.id and sf2551.companion_id == hf2136.id
    assert hf2136.status == "signed"
    assert hf2136.listing_description == "Listing row HF 2136"
    # stored URLs are the production ones, not the local server's
    assert hf2136.source_url == "https://api.revisor.mn.gov/bills/v1/94/2025/0/HF/2136/"
    sf1832 = db.session.scalar(select(Bill).where(Bill.number == 1832))
    assert "Ibáñez-Ortega" in {a.printed_name for a in sf1832.authors}
    assert session.identifier == "2025-2026"


def test_incremental_run_fetches_only_the_listing(site: FakeSite) -> None:
    pipeline.scrape_bills(session="2025-2026")
    before = snapshot()
    fetched_at = dict(db.session.execute(select(Bill.id, Bill.last_fetched_at)).all())
    listing_first = site.listing_requests()
    site.log.clear()
    version = dataversion.current()
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "succeeded"
    assert run.requests == listing_first == site.listing_requests() == len(site.log)
    assert (run.new, run.changed, run.unchanged, run.failed) == (0, 0, 12, 0)
    assert snapshot() == before
    assert dataversion.current() == version  # a run that changed nothing empties no cache
    assert dict(db.session.execute(select(Bill.id, Bill.last_fetched_at)).all()) == fetched_at

    # one listing row changes -> exactly that bill is fetched again
    site.descriptions[("HF", 5)] = "Listing row changed"
    site.docs[("HF", 5)] = site.docs[("HF", 5)].replace(
        b"modified</DESCRIPTION>", b"changed</DESCRIPTION>"
    )
    site.log.clear()
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.requests == listing_first + 1
    assert (run.new, run.changed, run.unchanged) == (0, 1, 11)
    hf5 = db.session.scalar(select(Bill).where(Bill.bill_type == "HF", Bill.number == 5))
    assert hf5.title == "Child care licensing provisions changed"
    assert dataversion.current() > version
    version = dataversion.current()

    # --full refetches everything; nothing changed
    run = pipeline.scrape_bills(session="2025-2026", full=True)
    assert (run.new, run.changed, run.unchanged) == (0, 0, 12)
    assert dataversion.current() == version


def test_malformed_bill_recorded_others_ingested(site: FakeSite) -> None:
    pipeline.scrape_bills(session="2025-2026")
    before = snapshot()
    site.docs[("SF", 1832)] = (MN / "bill_status_truncated.xml").read_bytes()
    site.docs[("HF", 900)] = b"<html>error</html>"
    site.descriptions[("HF", 5)] = "Listing row changed"
    run = pipeline.scrape_bills(session="2025-2026", full=True)
    assert run.status == "partial"
    assert run.failed == 2
    assert {e.item for e in run.errors} == {"SF1832", "HF900"}
    assert all(e.url and "/bills/v1/94/2025/0/" in e.url and e.reason for e in run.errors)
    assert run.unchanged == 10
    assert snapshot() == before  # the failed bills kept what was stored


def test_new_bill_that_fails_is_retried_next_run(site: FakeSite) -> None:
    site.docs[("HF", 900)] = b"<BILL><FILE_TYPE>HF</FILE_TYPE></BILL>"
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "partial" and run.failed == 1 and run.new == 11
    site.docs[("HF", 900)] = filler_status("HF", 900, None)
    run = pipeline.scrape_bills(session="2025-2026")
    assert (run.new, run.failed, run.status) == (1, 0, "succeeded")


def test_empty_listing_fails_loudly_and_changes_nothing(site: FakeSite) -> None:
    site.empty_listing.add(("House", "bill"))
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "failed"
    assert "no rows where rows are expected" in run.error
    assert bill_count() == 0

    site.empty_listing.clear()
    pipeline.scrape_bills(session="2025-2026")
    before = snapshot()
    site.empty_listing.add(("Senate", "bill"))
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "failed"
    assert snapshot() == before  # nothing marked missing


def test_listing_error_page_fails_the_run(site: FakeSite, httpserver: Any) -> None:
    httpserver.clear()
    httpserver.expect_request("/bills/status_result.php").respond_with_data(
        (MN / "search_error_page.html").read_bytes(), content_type="text/html"
    )
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "failed" and "SEARCH_RESULTS" in run.error
    assert bill_count() == 0


def test_vanished_bill_marked_missing(site: FakeSite) -> None:
    pipeline.scrape_bills(session="2025-2026")
    del site.docs[("HF", 1500)]
    run = pipeline.scrape_bills(session="2025-2026")
    assert run.status == "succeeded"
    assert bill_count() == 12
    hf1500 = db.session.scalar(select(Bill).where(Bill.number == 1500))
    assert hf1500.missing_from_source


def test_single_bill(site: FakeSite) -> None:
    run = pipeline.scrape_bills(session="2025-2026", bill="hf 2136")
    assert (run.status, run.fetched, run.new, run.requests) == ("succeeded", 1, 1, 1)
    assert site.listing_requests() == 0
    assert bill_count() == 1


@pytest.mark.committed
def test_record_then_replay_gives_the_same_database(site: FakeSite, tmp_path: Path) -> None:
    recording = tmp_path / "recording"
    run = pipeline.scrape_bills(session="2025-2026", record=str(recording))
    assert run.status == "succeeded"
    assert (recording / "index.jsonl").is_file()
    before = snapshot()
    db.session.commit()
    db.session.remove()
    truncate_all()
    served = len(site.log)
    run = pipeline.scrape_bills(session="2025-2026", replay=str(recording))
    assert run.status == "succeeded", [e.reason for e in run.errors]
    assert len(site.log) == served  # no network
    assert run.requests == 0
    assert snapshot() == before


def test_demo_data_refused(site: FakeSite) -> None:
    db.session.add(
        LegislativeSession(
            identifier="2091-2092",
            revisor_code="0912091",
            name="Demo",
            legislature=191,
            year=2091,
            is_demo=True,
        )
    )
    db.session.commit()
    for call in (
        lambda: pipeline.scrape_bills(session="2025-2026"),
        pipeline.scrape_sessions,
        pipeline.scrape_legislators,
        lambda: pipeline.import_people(MN / "people" / "openstates"),
    ):
        with pytest.raises(DemoError):
            call()
    assert site.log == []
    assert db.session.scalar(select(func.count()).select_from(ScrapeRun)) == 0


def test_scrape_sessions(site: FakeSite) -> None:
    run = pipeline.scrape_sessions()
    assert run.status == "succeeded" and run.new >= 3
    assert pipeline.ingest.find_session("2025s1").house_vote_key == "304"
    run = pipeline.scrape_sessions()
    assert run.new == 0 and run.changed == 0


def test_scrape_legislators_with_photos(site: FakeSite, app: Any) -> None:
    pipeline.import_people(MN / "people" / "openstates")
    people_before = db.session.scalar(select(func.count()).select_from(Person))
    run = pipeline.scrape_legislators()
    assert run.status == "partial"
    assert [e.item for e in run.errors] == ["photo of Dana Whitcomb"]
    assert "text/html" in run.errors[0].reason
    # Dana Whitcomb and Theo Brandvold and Grace Lindqvist are new; the others merged
    assert db.session.scalar(select(func.count()).select_from(Person)) == people_before + 3
    paula = db.session.scalar(select(Person).where(Person.senate_member_id == "9001"))
    assert paula.photo_path == f"{paula.public_id}.jpg"
    assert (Path(app.instance_path) / "photos" / paula.photo_path).read_bytes() == JPEG
    assert paula.photo_url == "https://www.senate.mn/img/member_thumbnails/07Johanssen.jpg"
    ana = db.session.scalar(select(Person).where(Person.house_member_id == "19062"))
    assert ana.photo_path.endswith(".gif")
    # a later bad photo keeps the old one
    site.photos["/img/member_thumbnails/07Johanssen.jpg"] = ("image/jpeg", b"x" * 10)
    version = dataversion.current()
    run = pipeline.scrape_legislators()
    assert (run.new, run.changed) == (0, 0)
    assert dataversion.current() == version  # nothing shown changed: no cache emptied
    db.session.expire_all()
    assert paula.photo_path == f"{paula.public_id}.jpg"
    assert (Path(app.instance_path) / "photos" / paula.photo_path).read_bytes() == JPEG
    assert "photo of Paula Johanssen" in {e.item for e in run.errors}


# ---------------------------------------------------------------- CLI


def test_cli_scrape_bills(site: FakeSite, runner: Any) -> None:
    result = runner.invoke(args=["scrape", "bills", "--session", "2025-2026"])
    assert result.exit_code == 0, result.output
    assert (
        "fetched " in result.output and "new 12, changed 0, unchanged 0, failed 0" in result.output
    )
    result = runner.invoke(args=["scrape", "bills", "--session", "2025-2026", "--bill", "SF1832"])
    assert result.exit_code == 0 and "fetched 1, new 0, changed 0, unchanged 1" in result.output


def test_cli_bad_arguments(site: FakeSite, runner: Any) -> None:
    result = runner.invoke(args=["scrape", "bills", "--session", "2025"])
    assert result.exit_code == 2 and "2025-2026" in result.output
    result = runner.invoke(args=["scrape", "bills", "--bill", "XY12"])
    assert result.exit_code == 2 and "HF2136" in result.output
    result = runner.invoke(args=["scrape", "bills", "--session", "1901-1902"])
    assert result.exit_code == 1 and "unknown session" in result.output
    assert site.log == []


def test_cli_failed_run_exits_1(site: FakeSite, runner: Any) -> None:
    site.empty_listing.add(("House", "bill"))
    result = runner.invoke(args=["scrape", "bills", "--session", "2025-2026"])
    assert result.exit_code == 1
    assert "failed" in result.output


def test_cli_partial_run_prints_failures(site: FakeSite, runner: Any) -> None:
    runner.invoke(args=["import-people", str(MN / "people" / "openstates")])
    result = runner.invoke(args=["scrape", "legislators"])
    assert result.exit_code == 0, result.output
    assert "partial" in result.output and "photo of Dana Whitcomb" in result.output


def test_cli_sessions(site: FakeSite, runner: Any) -> None:
    result = runner.invoke(args=["scrape", "sessions"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["session", "set-house-key", "2027-2028", "306"])
    assert result.exit_code == 0, result.output
    assert pipeline.ingest.find_session("2027-2028").house_vote_key == "306"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "session.set_house_key")
    )
    assert event.before == {"house_vote_key": None} and event.after == {"house_vote_key": "306"}
    result = runner.invoke(args=["session", "list"])
    assert "2027-2028" in result.output and "house key 306" in result.output
    result = runner.invoke(args=["session", "set-house-key", "2027-2028", "abc"])
    assert result.exit_code == 2
    # a later session scrape keeps the admin's key
    runner.invoke(args=["scrape", "sessions"])
    assert pipeline.ingest.find_session("2027-2028").house_vote_key == "306"


def test_http_settings_from_config(site: FakeSite) -> None:
    settings = runs.http_settings()
    assert "data@example.org" in settings.user_agent
    assert settings.requests_per_second == 10000.0
    assert settings.retries == 0


def test_a_bulk_run_refreshes_the_planner_statistics(site: FakeSite, monkeypatch: Any) -> None:
    calls: list[int] = []
    monkeypatch.setattr(runs, "BULK_ROWS", 5)
    monkeypatch.setattr(runs, "analyze", lambda: calls.append(1) or True)
    assert pipeline.scrape_bills(session="2025-2026").new == 12
    assert calls == [1]
    assert pipeline.scrape_bills(session="2025-2026").unchanged == 12  # nothing written
    assert calls == [1]


def test_analyze_runs_on_postgresql(app: Any) -> None:
    ran = runs.analyze()
    assert ran is (db.engine.dialect.name == "postgresql")
