"""Public pages and API documents under gunicorn, page cache off and on (issue 12).

    .venv/bin/python benchmarks/bench_pages.py [--sqlite] [--duration 10] [--connections 8]
        [--load-generator auto|wrk|python] [--keep-alive] [--no-history] [--profile] [--check]

Builds invented data in scratch databases of its own (PostgreSQL at
``--database-url``, default 127.0.0.1:5432, databases ``bench_pages_<pid>_*``
created and dropped here; ``--sqlite`` for SQLite files): ``session`` (201
legislators, 6,000 bills, 2,000 roll calls, HF 1 an omnibus bill with 26 roll
calls; ``tracker.benchdata``) and ``history`` (ten such sessions, for the
legislator page and documents at ten sessions of history).  Every scorecard is
published.

Each database is served by ``tracker serve`` (gunicorn, 2 gthread workers) twice:
with the page cache off (``TRACKER_PAGE_CACHE=NullCache``: every page a cold
render; snapshots and the list of legislators are still read once per data
version per worker) and on (the
production setting, Redis at ``--redis-url``).  Each URL is first requested 20
times, then loaded for ``--duration`` seconds at ``--connections`` concurrent
connections by wrk (Python threads when wrk is not installed; the output says
which), sending ``Accept-Encoding: gzip``: what every client accepts (browsers
also accept zstd, which Flask-Compress prefers and which costs less to make; gzip
is the dearer case).

Each request comes on a new connection (``Connection: close``), as gunicorn sees
requests behind the README's nginx (``proxy_pass`` without upstream keep-alive):
each new connection goes to whichever worker accepts it first.
``--keep-alive`` instead holds the connections open straight to gunicorn for the
whole run, and prints how many each worker holds ("workers"): a connection stays
with the worker that accepted it, the two workers race for them when wrk opens
them all at once, and the winner can take all eight, leaving the other worker idle
and halving what the server serves (README, Benchmarks).  ``/healthz`` of the
same server (one ``SELECT 1``) is loaded the same way in the same run as the
reference.  Target: p99 <= 100 ms for every page and API document with the page
cache off.  The table of the page cache off also gives each URL's "CPU ms": the
median CPU time of one request served in-process by one thread, the cost of a
render whatever else the machine is doing (8 connections on 2 cores queue about
four requests a core, so the target needs it well under 25 ms); and its "calls":
the Python function calls of one such request, which no other load on a shared
machine changes (CPU time there varies by a third from run to run).  ``--profile``
profiles each URL that misses it in-process (cProfile, page cache off) and prints
where its time goes; ``--check`` exits 1 on a miss or on any error response.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _web import (  # noqa: E402  (beside this script)
    DEFAULT_DATABASE,
    DEFAULT_REDIS,
    PythonLoad,
    Result,
    Scratch,
    Server,
    Wrk,
    clear_redis,
    connections_by_worker,
    describe,
    get,
    load_average,
    load_generator,
    populate,
    scratch_database,
)

TARGET = 0.100  # p99, seconds, page cache off
HEADERS = {"Accept-Encoding": "gzip"}
CLOSE = {"Connection": "close"}  # a new connection per request, as behind nginx
WARM_REQUESTS = 20


@dataclass(frozen=True)
class Target:
    name: str
    path: str


def build(scratch: Scratch, scale: str) -> tuple[dict[str, Any], list[Target]]:
    """Invented data of ``scale``, every scorecard published; the URLs to measure."""
    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.models import (
        Bill,
        LegislativeSession,
        MemberVote,
        Person,
        RollCall,
        Scorecard,
        Term,
    )

    counts: dict[str, Any] = dict(populate(scratch, scale))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = scratch.app()
    with app.app_context():
        latest = db.session.scalars(
            select(LegislativeSession).order_by(LegislativeSession.year.desc())
        ).first()
        card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
        omnibus = db.session.scalar(
            select(Bill).where(Bill.session_id == latest.id, Bill.number == 1)
        )
        counts["omnibus_roll_calls"] = db.session.scalar(
            select(func.count()).select_from(RollCall).where(RollCall.bill_id == omnibus.id)
        )
        # the omnibus bill's roll call with the most member votes (a whole House vote)
        roll_call_id, counts["roll_call_votes"] = db.session.execute(
            select(MemberVote.roll_call_id, func.count())
            .join(RollCall, RollCall.id == MemberVote.roll_call_id)
            .where(RollCall.bill_id == omnibus.id)
            .group_by(MemberVote.roll_call_id)
            .order_by(func.count().desc(), MemberVote.roll_call_id)
            .limit(1)
        ).one()
        roll_call = db.session.get(RollCall, roll_call_id).public_id
        # The member with the longest history (every session), in the House now.
        terms = select(Term.person_id, func.count().label("n")).group_by(Term.person_id).subquery()
        person = db.session.scalars(
            select(Person)
            .join(terms, terms.c.person_id == Person.id)
            .where(
                Person.terms.any((Term.chamber == "house") & (Term.start_date == latest.start_date))
            )
            .order_by(terms.c.n.desc(), Person.id)
        ).first()
        counts["member_sessions"] = len(person.terms)
        bill = f"{latest.identifier}/{omnibus.key}"
        district = next(t.district for t in person.terms if t.start_date == latest.start_date)
        person_id, card_id = person.public_id, card.public_id
        db.engine.dispose()
    sessions = f" ({counts['member_sessions']} sessions)" if scale == "history" else ""
    if scale == "history":
        targets = [
            Target("/legislators", "/legislators"),
            Target(f"legislator page{sessions}", f"/legislators/{person_id}"),
            Target("/scorecards", "/scorecards"),
            Target("scorecard page", f"/scorecards/{card_id}"),
            Target("API scorecard document", f"/api/v1/scorecards/{card_id}"),
            Target(f"API legislator document{sessions}", f"/api/v1/legislators/{person_id}"),
        ]
    else:
        targets = [
            Target("home", "/"),
            Target("/legislators", "/legislators"),
            Target("legislator page", f"/legislators/{person_id}"),
            Target("/scorecards", "/scorecards"),
            Target("scorecard page", f"/scorecards/{card_id}"),
            Target(f"bill page ({counts['omnibus_roll_calls']} roll calls)", f"/bills/{bill}"),
            Target(
                f"roll-call page ({counts['roll_call_votes']} votes)", f"/roll-calls/{roll_call}"
            ),
            Target("/bills search", "/bills?q=bench"),
            Target(f"/find?district={district}", f"/find?district={district}"),
            Target("API scorecard document", f"/api/v1/scorecards/{card_id}"),
            Target(
                f"API bill document ({counts['omnibus_roll_calls']} roll calls)",
                f"/api/v1/bills/{bill}",
            ),
            Target(
                f"API roll-call document ({counts['roll_call_votes']} votes)",
                f"/api/v1/roll-calls/{roll_call}",
            ),
            Target("API legislator document", f"/api/v1/legislators/{person_id}"),
        ]
    return counts, targets


def measure(
    server: Server, targets: list[Target], generator: Wrk | PythonLoad, options: argparse.Namespace
) -> tuple[dict[str, tuple[Result, int]], dict[str, list[int] | None]]:
    """/healthz first, then each URL: warmed, then loaded.  Name -> (result, bytes sent);
    and with ``--keep-alive``, name -> the connections each worker held halfway
    through (most first)."""
    results: dict[str, tuple[Result, int]] = {}
    split: dict[str, list[int] | None] = {}
    headers = HEADERS if options.keep_alive else {**HEADERS, **CLOSE}
    for target in [Target("/healthz (reference)", "/healthz"), *targets]:
        size = 0
        for _ in range(WARM_REQUESTS):
            status, body = get(server.base + target.path, HEADERS)
            if status != 200:
                raise RuntimeError(f"{target.path}: HTTP {status}: {body[:300]!r}")
            size = len(body)
        sample = None
        if options.keep_alive:

            def look(name: str = target.name) -> None:
                split[name] = connections_by_worker(server.port)

            sample = threading.Timer(options.duration / 2, look)
            sample.start()
        try:
            result = generator.run(
                server.base,
                [target.path],
                connections=options.connections,
                seconds=options.duration,
                headers=headers,
            )
        finally:
            if sample is not None:
                sample.join()
        results[target.name] = (result, size)
    return results, split


def table(
    title: str,
    results: dict[str, tuple[Result, int]],
    *,
    judged: bool,
    cpu: dict[str, float] | None = None,
    calls: dict[str, int] | None = None,
    split: dict[str, list[int] | None] | None = None,
) -> list[str]:
    reference = results["/healthz (reference)"][0].rps
    lines = [
        title,
        f"  {'URL':42} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>7} {'of /healthz':>11} "
        f"{'KB sent':>8} {'errors':>6}"
        + (f" {'CPU ms':>7}" if cpu else "")
        + (f" {'calls':>7}" if calls else "")
        + (f" {'workers':>7}" if split else "")
        + ("  p99 <= 100 ms" if judged else ""),
    ]
    for name, (r, size) in results.items():
        line = (
            f"  {name:42} {r.p50 * 1000:7.1f} {r.p99 * 1000:7.1f} {r.rps:7.0f} "
            f"{r.rps / reference:10.0%} {size / 1024:8.1f} {r.errors:6d}"
        )
        if cpu:
            line += f" {cpu[name] * 1000:7.1f}"
        if calls:
            line += f" {calls[name]:7d}"
        if split:
            held = split.get(name)
            shares = "?" if held is None else "+".join(map(str, held + [0] * (2 - len(held))))
            line += f" {shares:>7}"
        if judged and not name.startswith("/healthz"):
            line += "  " + ("PASS" if r.p99 <= TARGET else "MISS")
        lines.append(line)
    return lines


def _client(scratch: Scratch) -> Any:
    """A test client of the app on ``scratch`` with the page cache off."""
    from flask import Flask

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app: Flask = scratch.app(TRACKER_PAGE_CACHE="NullCache")
    return app.test_client()


def cpu_costs(
    scratch: Scratch, targets: list[Target], renders: int = 10
) -> tuple[dict[str, float], dict[str, int]]:
    """Name -> the median CPU time of one request served in-process by one thread
    (page cache off, after 3 warm-up requests): the cost of a render, whatever else
    the machine is doing; and name -> the Python function calls of one such
    request (cProfile's count), the same on any machine however busy."""
    client = _client(scratch)
    costs, calls = {}, {}
    for target in [Target("/healthz (reference)", "/healthz"), *targets]:
        samples = []
        for n in range(3 + renders):
            started = time.thread_time()
            client.get(target.path, headers=HEADERS)
            if n >= 3:
                samples.append(time.thread_time() - started)
        costs[target.name] = statistics.median(samples)
        profiler = cProfile.Profile()
        profiler.runcall(client.get, target.path, headers=HEADERS)
        calls[target.name] = pstats.Stats(profiler).total_calls
    _dispose(client)
    return costs, calls


def _dispose(client: Any) -> None:
    with client.application.app_context():
        from tracker.extensions import db

        db.engine.dispose()


def profile(scratch: Scratch, path: str, renders: int = 10) -> str:
    """Where one URL's time goes, rendered in-process with the page cache off."""
    client = _client(scratch)
    for _ in range(3):
        client.get(path, headers=HEADERS)
    started = time.perf_counter()
    for _ in range(renders):
        client.get(path, headers=HEADERS)
    plain = (time.perf_counter() - started) / renders
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        client.get(path, headers=HEADERS)
    profiler.disable()
    _dispose(client)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(r"(tracker|templates)/", 15)
    text = "\n".join(
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith(("   Ordered", "   List reduced"))
    )
    return f"{path}: {plain * 1000:.1f} ms a render in-process (one thread, no profiler)\n{text}"


def run_scale(
    scale: str,
    options: argparse.Namespace,
    generator: Wrk | PythonLoad,
    report: list[str],
    missed: list[tuple[str, str]],
) -> bool:
    """Build, serve (cache off, then on), measure; True when nothing missed or failed."""
    ok = True
    name = f"bench_pages_{os.getpid()}_{scale}"
    with scratch_database(name, sqlite=options.sqlite, base_url=options.database_url) as scratch:
        counts, targets = build(scratch, scale)
        report.append(describe(scratch, scale, counts))
        print(report[-1], flush=True)
        cpu, calls = cpu_costs(scratch, targets)
        modes = [
            (
                "page cache OFF (TRACKER_PAGE_CACHE=NullCache): every request a cold render",
                {"TRACKER_PAGE_CACHE": "NullCache"},
                True,
            )
        ]
        cache_on = (
            {"TRACKER_PAGE_CACHE": "RedisCache"}
            if options.redis_url
            else {"TRACKER_PAGE_CACHE": "SimpleCache"}
        )
        modes.append((f"page cache ON ({cache_on['TRACKER_PAGE_CACHE']}, warmed)", cache_on, False))
        for title, env, judged in modes:
            if options.redis_url:
                clear_redis(options.redis_url)
                env = {**env, "TRACKER_REDIS_URL": options.redis_url}
            else:
                env = {**env, "TRACKER_ALLOW_MEMORY_LIMITS": "true"}
            try:
                with Server(scratch, workers=2, **env) as server:
                    results, split = measure(server, targets, generator, options)
            finally:
                if options.redis_url:
                    clear_redis(options.redis_url)
            report.extend(
                table(
                    f"  {title}",
                    results,
                    judged=judged,
                    cpu=cpu if judged else None,
                    calls=calls if judged else None,
                    split=split,
                )
            )
            for target in targets:
                result = results[target.name][0]
                ok = ok and result.errors == 0 and result.requests > 0
                if judged and result.p99 > TARGET:
                    ok = False
                    if options.profile:
                        missed.append((target.name, profile(scratch, target.path)))
            print("\n".join(report[-len(results) - 2 :]), flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead of PostgreSQL")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help="PostgreSQL server (and a database to connect to first)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help="Redis database for the page cache ON (its tracker:* keys are "
        "deleted before and after); '' for SimpleCache per worker",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--load-generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="hold the connections open straight to gunicorn (and print each worker's share) "
        "instead of a new connection per request, as behind nginx",
    )
    parser.add_argument("--no-history", action="store_true", help="skip the ten-session database")
    parser.add_argument(
        "--profile", action="store_true", help="profile every URL that misses the target"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 on a miss or an error")
    options = parser.parse_args()

    generator = load_generator(options.load_generator)
    header = [
        f"bench_pages: tracker serve (gunicorn, 2 gthread workers), {options.connections} "
        + (
            "keep-alive connections straight to gunicorn"
            if options.keep_alive
            else "connections, a new one per request (Connection: close, as behind nginx)"
        )
        + f", {options.duration:g} s per URL after "
        f"{WARM_REQUESTS} warm-up requests, Accept-Encoding: gzip",
        f"load generator: {generator.name}",
        f"load average before: {load_average()}",
    ]
    print("\n".join(header), flush=True)
    report: list[str] = []
    missed: list[tuple[str, str]] = []
    ok = True
    for scale in ["session"] + ([] if options.no_history else ["history"]):
        ok = run_scale(scale, options, generator, report, missed) and ok
    print()
    print("\n".join(header + [f"load average after: {load_average()}"] + report))
    for name, text in missed:
        print(f"\nMISS {name}: profile\n{text}")
    return 1 if (options.check and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
