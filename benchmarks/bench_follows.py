"""Benchmark: a busy day for followers.  50,000 confirmed daily follows (bills,
legislators, districts) of 20,000 invented addresses on the demo legislature, and
a day of 200 bill events (status changes and verified roll calls, found by the
real scan); then the daily digests are built and queued in the outbox.

    .venv/bin/python benchmarks/bench_follows.py [--follows 50000] [--addresses 20000]
        [--events 200] [--database URL]

Reports the scan time, the digest build time (the target: <= 60 s), messages
queued, lines told, the peak memory, and checks that a second build queues
nothing.  Uses SQLite in a temporary directory (``--database`` for another URL,
which must be an empty database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0


def make_app(url: str, instance: str) -> Any:
    from tracker import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "INSTANCE_PATH": instance,
            "CACHE_TYPE": "NullCache",
            "RATELIMIT_STORAGE_URI": "memory://",
            "TRACKER_PUBLIC_URL": "https://example.org",
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--follows", type=int, default=50_000)
    parser.add_argument("--addresses", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--database")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from tracker import demo, follows, seats
    from tracker.extensions import db
    from tracker.follows import delivery
    from tracker.follows.targets import bill_key, district_key, person_key
    from tracker.models import Bill, Follow, MemberVote, OutboxMessage, RollCall, Subscriber
    from tracker.models.common import utcnow

    rng = random.Random(16)  # noqa: S311 - invented data
    tmp = tempfile.mkdtemp(prefix="bench-follows-")
    app = make_app(args.database or f"sqlite:///{tmp}/bench.db", tmp)
    with app.app_context():
        upgrade()
        demo.load_demo(with_alerts=False)
        db.session.commit()
        # The day: the digest period that ended at the digest hour this morning.
        day = follows.due_periods("daily", utcnow(), None)[-1]
        start, end = follows.period_bounds("daily", day)
        created_at = start - dt.timedelta(days=3)
        # The demo's bills, and more invented ones in its current session: 600 to follow.
        session_id = db.session.scalar(select(Bill.session_id).order_by(Bill.id.desc()))
        count = db.session.scalar(select(func.count()).select_from(Bill)) or 0
        db.session.execute(
            insert(Bill),
            [
                {
                    "session_id": session_id,
                    "bill_type": "HF",
                    "number": 5000 + n,
                    "title": f"Invented bill {5000 + n} for the follows benchmark",
                    "status": "in_committee",
                    "search_text": "",
                    "created_at": created_at,
                }
                for n in range(max(0, 600 - count))
            ],
        )
        follows.run(start - dt.timedelta(hours=1))  # the first scan: history, not news

        bills = db.session.scalars(select(Bill).order_by(Bill.id)).all()
        today = day - dt.timedelta(days=1)
        seated = [
            t
            for chamber in ("house", "senate")
            for t in seats.holders_by_district(chamber, today).values()
        ]
        # 20,000 addresses, 50,000 follows: 60% bills, 25% legislators, 15% districts.
        created = start - dt.timedelta(days=3)
        db.session.execute(
            insert(Subscriber),
            [
                {
                    "email": f"follower-{i:05d}@example.org",
                    "token_key": f"{i:032x}",
                    "created_at": created,
                }
                for i in range(1, args.addresses + 1)
            ],
        )
        ids = db.session.scalars(select(Subscriber.id).order_by(Subscriber.id)).all()
        rows: list[dict[str, Any]] = []
        taken: set[tuple[int, str]] = set()
        while len(rows) < args.follows:
            subscriber = ids[len(rows) % len(ids)]
            kind = rng.choices(("bill", "legislator", "district"), (60, 25, 15))[0]
            values: dict[str, Any] = {
                "bill_id": None,
                "person_id": None,
                "chamber": None,
                "district": None,
            }
            if kind == "bill":
                bill = rng.choice(bills)
                key, values["bill_id"] = bill_key(bill.id), bill.id
            elif kind == "legislator":
                term = rng.choice(seated)
                key, values["person_id"] = person_key(term.person_id), term.person_id
            else:
                term = rng.choice([t for t in seated if t.chamber == "house"])
                key = district_key("house", term.district)
                values["chamber"], values["district"] = "house", term.district
            if (subscriber, key) in taken:
                continue
            taken.add((subscriber, key))
            rows.append(
                {
                    "subscriber_id": subscriber,
                    "kind": kind,
                    "target_key": key,
                    "frequency": "daily",
                    "status": "active",
                    "created_at": created,
                    "confirmed_at": created,
                    **values,
                }
            )
        for at in range(0, len(rows), 5000):
            db.session.execute(insert(Follow), rows[at : at + 5000])
        db.session.commit()

        # A busy day: 200 bill events on 200 bills - 60% status changes, 40% new
        # verified roll calls (copies of stored ones, with every member's vote).
        moment = start + dt.timedelta(hours=4)
        chosen = rng.sample(bills, args.events)
        votes_wanted = int(args.events * 0.4)
        templates = db.session.scalars(
            select(RollCall).where(RollCall.verified.is_(True)).order_by(RollCall.id)
        ).all()
        for index, bill in enumerate(chosen):
            if index < votes_wanted:
                model = templates[index % len(templates)]
                copy = RollCall(
                    bill_id=bill.id,
                    chamber=model.chamber,
                    date=today,
                    motion="Third reading",
                    journal_page=f"B{index}",
                    yeas=model.yeas,
                    nays=model.nays,
                    outcome="passed",
                    verified=True,
                )
                db.session.add(copy)
                db.session.flush()
                db.session.execute(
                    insert(MemberVote),
                    [
                        {
                            "roll_call_id": copy.id,
                            "person_id": v.person_id,
                            "printed_name": v.printed_name,
                            "option": v.option,
                        }
                        for v in model.member_votes
                    ],
                )
            else:
                bill.status = "passed_both" if bill.status != "passed_both" else "signed"
                bill.last_fetched_at = moment
        db.session.commit()

        started = time.perf_counter()
        found = follows.scan(moment)
        db.session.commit()
        scan_seconds = time.perf_counter() - started
        print(
            f"{args.follows} follows of {args.addresses} addresses; "
            f"the day's scan found {sum(found.values())} events {dict(found)} in "
            f"{scan_seconds:.2f} s"
        )

        started = time.perf_counter()
        queued = delivery.build_digest("daily", day, end + dt.timedelta(minutes=1))
        db.session.commit()
        build_seconds = time.perf_counter() - started
        messages = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "digest")
        )
        size = (
            db.session.scalar(
                select(func.sum(func.length(OutboxMessage.body))).where(
                    OutboxMessage.kind == "digest"
                )
            )
            or 0
        )
        again = delivery.build_digest("daily", day, end + dt.timedelta(minutes=2))
        db.session.commit()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"daily digests built and queued: {queued} messages in {build_seconds:.1f} s "
        f"({queued / build_seconds:.0f} messages/s, {size / max(queued, 1) / 1024:.1f} KiB "
        f"each on average); peak RSS {peak:.0f} MB; a second build queued {again}"
    )
    ok = build_seconds <= TARGET_SECONDS and queued == messages and again == 0 and queued > 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
