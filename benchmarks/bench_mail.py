"""Benchmark: one alert to 20,000 invented subscribers through a local SMTP
server (aiosmtpd on 127.0.0.1), with the sender SIGKILLed midway and restarted.

    .venv/bin/python benchmarks/bench_mail.py [--subscribers 20000] [--kill-at 6000]

Reports the time to queue, messages per second, the sender's peak memory
(ru_maxrss) and checks at the server that no recipient got the alert twice.
Uses SQLite in a temporary directory (``--database`` for another URL).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_app(url: str, instance: str, smtp_port: int) -> Any:
    from tracker import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "INSTANCE_PATH": instance,
            "CACHE_TYPE": "NullCache",
            "RATELIMIT_STORAGE_URI": "memory://",
            "TRACKER_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=10",
            "TRACKER_MAIL_FROM": "alerts@example.org",
            "TRACKER_PUBLIC_URL": "https://example.org",
        }
    )


def sender(url: str, instance: str, port: int) -> None:
    """The sender process: recover, then send batches until the queue is empty."""
    from tracker import alerts

    app = make_app(url, instance, port)
    with app.app_context():
        interrupted = alerts.recover_interrupted(stale_seconds=0)
        sent = 0
        started = time.perf_counter()
        while True:
            result = alerts.send_batch(limit=5000, time_budget=3600)
            sent += result.sent
            if result.sent + result.failed + result.retry == 0:
                break
        elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "sent": sent,
                "seconds": elapsed,
                "interrupted": interrupted,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        ),
        flush=True,
    )


class Counting:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for rcpt in envelope.rcpt_tos:
            self.counts[rcpt] += 1
        return "250 OK"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--kill-at", type=int, default=6_000)
    parser.add_argument("--database")
    parser.add_argument(
        "--send", nargs=3, metavar=("URL", "INSTANCE", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.send:
        sender(args.send[0], args.send[1], int(args.send[2]))
        return 0

    import socket

    from aiosmtpd.controller import Controller
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from tracker import alerts, demo
    from tracker.extensions import db
    from tracker.models import OutboxMessage, RollCall, Subscriber
    from tracker.models.common import utcnow

    tmp = tempfile.mkdtemp(prefix="bench-mail-")
    url = args.database or f"sqlite:///{tmp}/bench.db"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(url, tmp, port)
    with app.app_context():
        upgrade()
        demo.load_demo(with_alerts=False)
        rc = db.session.scalars(
            db.select(RollCall).where(RollCall.chamber == "senate").order_by(RollCall.id.desc())
        ).first()
        alert = alerts.create_alert(
            rc.bill,
            alerts.AlertInput(
                title="Benchmark alert",
                target="floor",
                chamber="senate",
                ask="yes",
                call_script="Ask {legislator} to {position} on {bill}.",
                email_template="Dear {legislator}, please {position} on {bill}.",
            ),
            actor="bench",
        )
        alerts.mark_reviewed(alert, expected_version=None, actor="bench")
        alerts.publish_alert(alert, expected_version=None, actor="bench")
        districts = sorted({t.district for t in alert.targets})
        now = utcnow()
        db.session.execute(
            insert(Subscriber),
            [
                {
                    "email": f"subscriber-{i:05d}@example.org",
                    "senate_district": districts[i % len(districts)],
                    "token_key": f"{i:032x}",
                    "created_at": now,
                    "confirmed_at": now,
                }
                for i in range(1, args.subscribers + 1)
            ],
        )
        db.session.commit()
        started = time.perf_counter()
        counts = alerts.queue_pending()
        queue_seconds = time.perf_counter() - started
    print(f"queued {counts['alert']} messages in {queue_seconds:.1f} s")

    command = [sys.executable, __file__, "--send", url, tmp, str(port)]
    started = time.perf_counter()
    first = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    while sum(handler.counts.values()) < args.kill_at and first.poll() is None:
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = sum(handler.counts.values())
    print(f"SIGKILLed the sender after {at_kill} deliveries")
    second = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    total_seconds = time.perf_counter() - started
    stats = json.loads(second.stdout.strip().splitlines()[-1])
    controller.stop()

    delivered = sum(handler.counts.values())
    duplicates = sum(1 for c in handler.counts.values() if c > 1)
    with app.app_context():
        statuses = Counter(s for (s,) in db.session.execute(db.select(OutboxMessage.status)))
    print(
        f"restarted sender: {stats['sent']} sent in {stats['seconds']:.1f} s "
        f"({stats['sent'] / stats['seconds']:.0f} messages/s), "
        f"{stats['interrupted']} in doubt after the kill, peak RSS {stats['max_rss_mb']:.0f} MB"
    )
    print(
        f"whole send (both processes, incl. restart): {total_seconds:.1f} s, "
        f"{delivered / total_seconds:.0f} messages/s"
    )
    print(
        f"delivered {delivered} of {args.subscribers}; outbox {dict(statuses)}; "
        f"recipients with more than one message: {duplicates}"
    )
    ok = duplicates == 0 and delivered + statuses["failed"] >= args.subscribers - 0
    ok = ok and total_seconds < 300
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
