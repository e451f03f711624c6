"""Public pages under gunicorn (issue 6).

    .venv/bin/python benchmarks/bench_pages.py [--requests 400] [--check]

Builds invented data (`tracker bench-data --scale mn`: 201 members, 2,000 roll
calls) in a temporary SQLite database, publishes its scorecard, starts
gunicorn with 2 workers on a free local port, and sends each path
``--requests`` GETs at concurrency 8 (threads, one connection per request).
Reports p50/p99 latency and throughput, and compares the legislator and
scorecard pages with a trivial endpoint of the same app in the same run.
Targets: p99 <= 100 ms and at least half the trivial endpoint's throughput.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start


def load(port: int, path: str, requests: int, concurrency: int) -> dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(lambda _: get(port, path), range(requests)))
    elapsed = time.perf_counter() - started
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "rps": requests / elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--check", action="store_true")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(folder),
           "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"}
    tracker = str(Path(sys.executable).parent / "tracker")
    subprocess.run([tracker, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([tracker, "bench-data", "--scale", "mn"], env=env, check=True)

    from tracker import create_app, scorecards
    from tracker.extensions import db
    from tracker.models import Person, Scorecard

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                      "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench"})
    with app.app_context():
        card = db.session.query(Scorecard).first()
        scorecards.publish(card, expected_version=None, note="bench", actor="bench")
        db.session.commit()
        card_id = card.public_id
        person_id = db.session.query(Person).first().public_id
        db.engine.dispose()

    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "tracker.wsgi:app"],
        env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        paths = {"trivial (/theme.css)": "/theme.css",
                 "legislator page": f"/legislators/{person_id}",
                 "scorecard page": f"/scorecards/{card_id}"}
        for path in paths.values():  # warm both workers' caches
            for _ in range(10):
                get(port, path)
        results = {name: load(port, path, options.requests, options.concurrency)
                   for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)

    trivial = results["trivial (/theme.css)"]["rps"]
    missed = False
    print(f"{options.requests} requests per path at concurrency {options.concurrency}, "
          "gunicorn with 2 workers")
    for name, r in results.items():
        line = (f"{name:22} p50 {r['p50'] * 1000:6.1f} ms  p99 {r['p99'] * 1000:6.1f} ms  "
                f"{r['rps']:7.1f} req/s")
        if not name.startswith("trivial"):
            ok_p99 = r["p99"] <= 0.100
            ok_rps = r["rps"] >= trivial / 2
            missed = missed or not (ok_p99 and ok_rps)
            line += (f"  p99<=100ms: {'PASS' if ok_p99 else 'MISS'}  "
                     f">= half of trivial: {'PASS' if ok_rps else 'MISS'}")
        print(line)
    return 1 if (missed and options.check) else 0


if __name__ == "__main__":
    sys.exit(main())
