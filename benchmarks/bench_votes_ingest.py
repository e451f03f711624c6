"""Votes ingest benchmark: a full session of roll calls from a replay directory.

Generates an invented session (130 House and 67 Senate members, N House bills
with one ``Votes/Details`` page each and M Senate bills with one journal PDF
each), serves it from a local HTTP server, records a ``scrape_votes`` run, wipes
the stored votes, then times the same run replayed from the recording (no
network).  Prints the figures; always exits 0 (a measurement, not a gate).

    .venv/bin/python benchmarks/bench_votes_ingest.py [--house 300] [--senate 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows  # noqa: E402
from tracker.demo import FAMILY_NAMES  # noqa: E402

SUFFIXES = ("", "son", "berg", "dahl", "lund", "strom", "vik", "holm")
DAY = dt.date(2025, 3, 13)


def surnames(count: int) -> list[str]:
    names = list(dict.fromkeys(f"{f}{s}" for s in SUFFIXES for f in FAMILY_NAMES))
    assert len(names) >= count
    return names[:count]


def details_page(number: int, yes: list[str], no: list[str]) -> bytes:
    def cells(names: list[str]) -> str:
        return "<tr>" + "".join(f"<td>{n}<td>" for n in names) + "</table>"

    return f"""<html><body><div id="DisplayResults">
<div class="collapsible-panel"><div class="panel-header"><table><tbody><tr>
<td>HF{number:04d}</td><td>H.F. NO. {number}<br>CALENDAR FOR THE DAY<br>Passage</td>
<td><br></td><td>{len(yes)}</td><td>{len(no)}</td><td><a href="#">J pg. {1000 + number}</a></td>
<td>{DAY:%m/%d/%Y}</td></tr></tbody></table></div>
<div class="panel-content"><H3>{len(yes)} YEA and {len(no)} Nay</H3>
<p>Those who voted in the affirmative were:</p><table>{cells(yes)}
<p>Those who voted in the negative were:</p><table>{cells(no)}
</div></div></div></body></html>""".encode()


def senate_pdf(number: int, yes: list[str], no: list[str]) -> bytes:
    page = [
        even_head(2000 + 2 * number, 20),
        f"S.F. No. {number} was read the third time and placed on its final passage.",
        "The question was taken on the passage of the bill.",
        f"The roll was called, and there were yeas {len(yes)} and nays {len(no)}, as follows:",
        "Those who voted in the affirmative were:",
        *name_rows(yes, columns=4),
        "Those who voted in the negative were:",
        *name_rows(no, columns=4),
        "So the bill passed and its title was agreed to.",
    ]
    return journal_pdf([page], font_size=8)


class Site:
    def __init__(self, house: list[str], senate: list[str], n_house: int, n_senate: int) -> None:
        rng = random.Random(7)
        self.requests = 0
        self.details: dict[str, bytes] = {}
        self.tallies: dict[tuple[str, int], tuple[int, int]] = {}
        for number in range(1, n_house + 1):
            voters = rng.sample(house, len(house) - 2)
            yes, no = voters[:100], voters[100:]
            self.details[f"HF{number:04d}"] = details_page(number, yes, no)
            self.tallies[("HF", number)] = (len(yes), len(no))
        self.pdfs: dict[str, bytes] = {}
        for number in range(1, n_senate + 1):
            voters = rng.sample(senate, len(senate) - 2)
            yes, no = voters[:40], voters[40:]
            self.pdfs[f"/journals/2025-2026/20250313{number:03d}.pdf"] = senate_pdf(number, yes, no)
            self.tallies[("SF", number)] = (len(yes), len(no))
        self.summary = json.dumps([{"Number": k, "ShortDescription": ""} for k in self.details])

    def respond(self, path: str, query: dict[str, str]) -> tuple[str, bytes] | None:
        if path == "/Votes/GetVoteSummary":
            return "application/json", self.summary.encode()
        if path == "/Votes/Details" and query.get("BillNumber") in self.details:
            return "text/html", self.details[query["BillNumber"]]
        if path == "/api/journal/gotopage":
            number = (int(query["page"]) - 2000) // 2
            body = {
                "filename": f"20250313{number:03d}",
                "fileBiennium": "2025-2026",
                "internal_page": 1,
            }
            return "application/json", json.dumps(body).encode()
        if path in self.pdfs:
            return "application/pdf", self.pdfs[path]
        return None


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self) -> None:
            site.requests += 1
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            found = site.respond(parts.path, query)
            if found is None:
                self.send_response(404)
                self.end_headers()
                return
            ctype, body = found
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer  # noqa: N815 - http.server API
        do_POST = _answer  # noqa: N815 - http.server API

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_world(site: Site, house: list[str], senate: list[str]) -> None:
    from tracker.extensions import db
    from tracker.models import Bill, BillAction, LegislativeSession, Person, Term

    session = LegislativeSession(
        identifier="2025-2026",
        revisor_code="0942025",
        name="94th Legislature",
        legislature=94,
        year=2025,
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2026, 5, 18),
        house_vote_key="302",
    )
    db.session.add(session)
    for chamber, names in (("house", house), ("senate", senate)):
        for i, family in enumerate(names):
            person = Person(name=f"Alba {family}", given_name="Alba", family_name=family)
            person.terms.append(
                Term(chamber=chamber, district=str(i + 1), start_date=dt.date(2025, 1, 6))
            )
            db.session.add(person)
    for (bill_type, number), (yeas, nays) in site.tallies.items():
        chamber = "house" if bill_type == "HF" else "senate"
        page = 1000 + number if chamber == "house" else 2000 + 2 * number
        bill = Bill(session=session, bill_type=bill_type, number=number, title="Invented")
        bill.actions = [
            BillAction(
                chamber=chamber,
                number=1,
                date=DAY,
                text="Passed",
                journal_page=str(page),
                yeas=yeas,
                nays=nays,
            )
        ]
        db.session.add(bill)
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--house", type=int, default=300, help="House bills (Details pages)")
    parser.add_argument("--senate", type=int, default=100, help="Senate bills (journal PDFs)")
    args = parser.parse_args()
    names = surnames(197)
    house, senate = names[:130], names[130:]
    started = time.perf_counter()
    site = Site(house, senate, args.house, args.senate)
    generated = time.perf_counter() - started
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        from flask_migrate import upgrade
        from sqlalchemy import delete, func, select

        from tracker import create_app, votes
        from tracker.extensions import db
        from tracker.models import DataQualityItem, MemberVote, RollCall

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "benchmark",
                "INSTANCE_PATH": tmp,
                "TRACKER_HTTP_CACHE_DIR": f"{tmp}/http-cache",
                "TRACKER_HOUSE_URL": base,
                "TRACKER_SENATE_URL": base,
                "TRACKER_REQUESTS_PER_SECOND": 100000.0,
                "TRACKER_HTTP_RETRIES": 0,
                "TRACKER_CONTACT_EMAIL": "bench@example.org",
            }
        )
        with app.app_context():
            upgrade()
            build_world(site, house, senate)
            recording = f"{tmp}/recording"
            started = time.perf_counter()
            recorded = votes.scrape_votes(session="2025-2026", record=recording)
            record_time = time.perf_counter() - started
            record_summary = (recorded.status, recorded.new, recorded.failed, recorded.requests)
            for model in (MemberVote, DataQualityItem, RollCall):
                db.session.execute(delete(model))
            db.session.commit()
            served = site.requests
            started = time.perf_counter()
            replayed = votes.scrape_votes(session="2025-2026", replay=recording)
            replay_time = time.perf_counter() - started
            summary = (replayed.status, replayed.new, replayed.failed, replayed.requests)
            verified = db.session.scalar(
                select(func.count()).select_from(RollCall).where(RollCall.verified.is_(True))
            )
            member_votes = db.session.scalar(select(func.count()).select_from(MemberVote))
            db.session.remove()
            db.engine.dispose()
    server.shutdown()
    print(
        f"generated {args.house} House Details pages and {args.senate} Senate journal PDFs "
        f"(130 House + 67 Senate members) in {generated:.1f} s"
    )
    print(
        f"recorded run (local server): status {record_summary[0]}, new {record_summary[1]}, "
        f"failed {record_summary[2]}, requests {record_summary[3]}, {record_time:.2f} s"
    )
    print(
        f"replay run (no network):     status {summary[0]}, new {summary[1]}, "
        f"failed {summary[2]}, requests {summary[3]} (server saw "
        f"{site.requests - served}), {replay_time:.2f} s"
    )
    total = args.house + args.senate
    print(
        f"replay: {total / replay_time:.1f} roll calls/s; {verified} verified; "
        f"{member_votes} member votes stored"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
