"""Incremental-run benchmark: HTTP requests and time of a full and a no-change run.

Serves a generated Revisor listing and N invented bill status documents from a
local HTTP server, runs a full bill scrape into a temporary SQLite database,
then an incremental run with nothing changed, and prints the requests and time
of each.  Target: the incremental run makes only the listing requests.

    .venv/bin/python benchmarks/bench_incremental.py [--bills 1200]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUS = re.compile(r"^/bills/v1/94/2025/0/(HF|SF)/(\d+)/$")


def status_doc(bill_type: str, number: int) -> bytes:
    chamber = "house" if bill_type == "HF" else "senate"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<BILL><SESSION_NUMBER>94</SESSION_NUMBER><SESSION_YEAR>2025</SESSION_YEAR>
<SESSION_TYPE>0</SESSION_TYPE><FILE_TYPE>{bill_type}</FILE_TYPE><FILE_NUMBER>{number}</FILE_NUMBER>
<DESCRIPTION>Invented benchmark bill {number}</DESCRIPTION>
<COMPANION_TYPE></COMPANION_TYPE><COMPANION_NUMBER></COMPANION_NUMBER>
<AUTHORS><{chamber}><AUTHOR><LEGISLATOR_KEY>99{number}</LEGISLATOR_KEY>
<MEMBER_NAME>Benchworth, Q.</MEMBER_NAME></AUTHOR></{chamber}></AUTHORS>
<ACTIONS><{chamber}>
<ACTION><ACTION_NUMBER>1</ACTION_NUMBER><ACTION_TEXT>Introduction and first reading</ACTION_TEXT>
<ACTION_DATE>2025-02-03 00:00:00</ACTION_DATE><JOURNAL_PAGE>{number}</JOURNAL_PAGE></ACTION>
<ACTION><ACTION_NUMBER>2</ACTION_NUMBER><ACTION_TEXT>Referred to committee</ACTION_TEXT>
<ACTION_DATE></ACTION_DATE><JOURNAL_PAGE>{number}a</JOURNAL_PAGE></ACTION>
</{chamber}></ACTIONS></BILL>""".encode()


class Site:
    def __init__(self, bills_per_chamber: int) -> None:
        self.n = bills_per_chamber
        self.requests = 0

    def listing(self, body: str, kind: str, start: int, end: int) -> bytes:
        rows = []
        if kind == "bill":
            bill_type = "HF" if body == "House" else "SF"
            for number in range(start, min(end, self.n) + 1):
                rows.append(
                    f"<BILL_RESULT><FILE_TYPE>{bill_type}</FILE_TYPE>"
                    f"<FILE_NUMBER>{number}</FILE_NUMBER>"
                    f"<DESCRIPTION>Benchmark bill {number}</DESCRIPTION>"
                    f"<STATUS_XML_URI>api.revisor.mn.gov/bills/v1/94/2025/0/{bill_type}/{number}/"
                    "</STATUS_XML_URI></BILL_RESULT>"
                )
        return ("<SEARCH_RESULTS>" + "".join(rows) + "</SEARCH_RESULTS>").encode()


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            site.requests += 1
            parts = urlsplit(self.path)
            body = b""
            if parts.path == "/bills/status_result.php":
                q = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                start, end = (int(x) for x in q["bill"].split("-"))
                body = site.listing(q["body"], q["bill_type"], start, end)
            elif m := STATUS.match(parts.path):
                if int(m.group(2)) <= site.n:
                    body = status_doc(m.group(1), int(m.group(2)))
            if not body:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=1200, help="bills per chamber (HF and SF)")
    args = parser.parse_args()
    site = Site(args.bills)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        from flask_migrate import upgrade

        from tracker import create_app, pipeline

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "benchmark",
                "INSTANCE_PATH": tmp,
                "TRACKER_HTTP_CACHE_DIR": f"{tmp}/http-cache",
                "TRACKER_REVISOR_URL": base,
                "TRACKER_REVISOR_API_URL": base,
                "TRACKER_REQUESTS_PER_SECOND": 100000.0,
                "TRACKER_HTTP_RETRIES": 0,
                "TRACKER_CONTACT_EMAIL": "bench@example.org",
            }
        )
        with app.app_context():
            upgrade()
            results = []
            for label in ("full", "incremental (nothing changed)"):
                site.requests = 0
                started = time.perf_counter()
                run = pipeline.scrape_bills(session="2025-2026")
                elapsed = time.perf_counter() - started
                results.append(
                    (
                        label,
                        run.status,
                        run.requests,
                        run.new,
                        run.changed,
                        run.unchanged,
                        site.requests,
                        elapsed,
                    )
                )
            from tracker.extensions import db

            db.session.remove()
            db.engine.dispose()
    server.shutdown()
    listing = 2 * (-(-args.bills // 500) + 1) + 4  # ranges with rows + an empty end, x2; 4 empty
    print(
        f"bills: {2 * args.bills} ({args.bills} HF + {args.bills} SF); listing requests: {listing}"
    )
    for label, status, requests, new, _changed, unchanged, served, elapsed in results:
        print(
            f"{label:32s} status {status:9s} requests {requests:5d} "
            f"(server saw {served:5d})  new {new:5d} unchanged {unchanged:5d}  "
            f"{elapsed:6.2f} s"
        )
    _, _, requests, new, changed, _, _, _ = results[1]
    ok = requests == listing and new == changed == 0
    print("incremental run made only the listing requests:", "yes" if ok else "NO")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
