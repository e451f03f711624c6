"""Backfill benchmark: ``tracker backfill --since 2011`` against a local invented site.

Serves eight invented regular sessions (2011-2012 to 2025-2026, each with
134 House and 67 Senate seats and ``--bills`` House and Senate bills, every bill
voted on in its chamber) from tests/fakesite.py, runs the backfill into an
empty SQLite database with no rate limit, and prints per session the requests
made, what that costs at ``TRACKER_REQUESTS_PER_SECOND`` = 1, the time it took
here, and the peak memory of the process.  Then it scales the requests to a
real biennium (about 4,500 House and 4,500 Senate files; mn-sources §2).
Always exits 0: a measurement, not a gate.

    .venv/bin/python benchmarks/bench_backfill.py [--bills 150]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug import Request  # noqa: E402

from tests.fakesite import FakeLegislature, FakeSession  # noqa: E402

REAL_FILES_PER_CHAMBER = 4500
HOSTS = (
    "TRACKER_REVISOR_URL",
    "TRACKER_REVISOR_API_URL",
    "TRACKER_HOUSE_URL",
    "TRACKER_SENATE_URL",
    "TRACKER_LEG_URL",
    "TRACKER_LRL_URL",
)
SESSIONS = [
    ("2011-2012", "0872011", None, dt.date(2011, 1, 4)),
    ("2013-2014", "0882013", None, dt.date(2013, 1, 8)),
    ("2015-2016", "0892015", "243", dt.date(2015, 1, 6)),
    ("2017-2018", "0902017", "246", dt.date(2017, 1, 3)),
    ("2019-2020", "0912019", "249", dt.date(2019, 1, 8)),
    ("2021-2022", "0922021", "257", dt.date(2021, 1, 5)),
    ("2023-2024", "0932023", "300", dt.date(2023, 1, 3)),
    ("2025-2026", "0942025", "302", dt.date(2025, 1, 14)),
]


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: FakeLegislature) -> tuple[str, object]:
    def app(environ: dict, start_response: object) -> object:
        return site.handle(Request(environ))(environ, start_response)

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bills", type=int, default=150, help="bills per chamber per session")
    options = parser.parse_args()
    site = FakeLegislature(
        [FakeSession(i, c, k, d, options.bills) for i, c, k, d in SESSIONS],
        house_seats=134,
        senate_seats=67,
    )
    base, server = serve(site)
    folder = Path(tempfile.mkdtemp(prefix="bench-backfill-"))
    from tracker import backfill, create_app, ingest
    from tracker.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "TRACKER_HTTP_CACHE_DIR": str(folder / "cache"),
            "SECRET_KEY": "bench",
            "TRACKER_REQUESTS_PER_SECOND": 100000.0,
            "TRACKER_HTTP_RETRIES": 0,
            "TRACKER_OPENSTATES_DIR": str(folder / "none"),
            **dict.fromkeys(HOSTS, base),
        }
    )
    print(
        f"invented site: {len(SESSIONS)} sessions, 134 + 67 seats, {options.bills} House and "
        f"{options.bills} Senate bills per session, every bill voted on"
    )
    print(f"{'session':10} {'requests':>9} {'at 1 req/s':>11} {'here':>7}  verified")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        ingest.upsert_people(site.people())
        db.session.commit()
        total_requests = 0
        started = time.monotonic()
        for identifier, *_ in SESSIONS:
            before = len(site.log)
            t0 = time.monotonic()
            rows = backfill.backfill(2011, sessions=[identifier])
            took = time.monotonic() - t0
            requests = len(site.log) - before
            total_requests += requests
            from sqlalchemy import func, select

            from tracker.models import Bill, RollCall

            verified = db.session.scalar(
                select(func.count())
                .select_from(RollCall)
                .join(Bill)
                .where(Bill.session.has(identifier=identifier), RollCall.verified.is_(True))
            )
            found = db.session.scalar(
                select(func.count())
                .select_from(RollCall)
                .join(Bill)
                .where(Bill.session.has(identifier=identifier))
            )
            steps = ",".join(r.status for r in rows)
            print(
                f"{identifier:10} {requests:>9} {requests / 3600:>9.1f} h {took:>6.1f}s  "
                f"{verified}/{found} ({steps})"
            )
        elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_bill = total_requests / (len(SESSIONS) * 2 * options.bills)
    real = per_bill * 2 * REAL_FILES_PER_CHAMBER * len(SESSIONS)
    print(
        f"total: {total_requests} requests in {elapsed:.0f} s here; {total_requests / 3600:.1f}"
        f" h at 1 request/s; peak memory {peak:.0f} MB"
    )
    print(
        f"about {per_bill:.2f} requests per bill: a real 2011-2026 backfill "
        f"({2 * REAL_FILES_PER_CHAMBER} files a biennium) is about {real:,.0f} requests, "
        f"{real / 3600 / 24:.1f} days at 1 request/s"
    )
    server.shutdown()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
