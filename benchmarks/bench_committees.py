"""Committees and hearings: parse speed against the bare parse, and the requests a
day in session the schedule makes.

* **Minutes**: ``scrapers.committee_votes.parse_minutes_page`` (header and every
  roll call) against ``lxml.html.fromstring`` of the same bytes, over each
  hand-built minutes fixture of tests/fixtures/mn/reconstructed/committees/ (one
  per printed form) and over a generated page of 12 roll calls of 19 members
  (``benchmarks/bench_committee_parse.py``'s generator, every form in turn);
* **Schedules**: ``parse_house_schedule`` against ``lxml.html.fromstring`` and
  ``parse_senate_schedule`` against ``json.loads``, over the schedule fixtures;
* **Requests a day**: from the scheduler's own cron entries (``TRACKER_CRON_*``
  defaults, read through ``tracker.scheduler``), the runs of each committees job on
  a day in session times the pages each run asks for (the hearings job: one
  schedule page per chamber; the committees job: one page per committee, 45 at the
  Open States count; the committee votes job: the minutes of each past hearing once).

Times are this thread's CPU time (``time.thread_time``), the best of ``--rounds``
rounds of at least ``--seconds`` each, per page.

    .venv/bin/python benchmarks/bench_committees.py [--seconds 0.3] [--rounds 7]

A measurement, not a gate: always exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scrapers import hearings  # noqa: E402
from scrapers.committee_votes import parse_minutes_page  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "mn" / "reconstructed" / "committees"
MINUTES = [
    ("house_minutes_comma_list.html", "house"),
    ("house_minutes_ayes_nays_table.html", "house"),
    ("house_minutes_representative_lines.html", "house"),
    ("house_minutes_voting_headings.html", "house"),
    ("senate_minutes_dash_lines.html", "senate"),
    ("senate_minutes_compact.html", "senate"),
]
COMMITTEES_AT_OPEN_STATES = 45


def per_call(run: Callable[[], object], seconds: float, rounds: int) -> float:
    """The best round's CPU time per call, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        calls, start = 0, time.thread_time()
        while True:
            run()
            calls += 1
            spent = time.thread_time() - start
            if spent >= seconds:
                break
        best = min(best, spent / calls)
    return best


def row(name: str, size: int, ours: float, floor: float) -> str:
    return (
        f"{name:54} {size / 1024:5.1f} KiB  ours {ours * 1e3:7.3f} ms  "
        f"bare {floor * 1e3:7.3f} ms  ratio {ours / floor:5.2f}"
    )


def parse_rows(seconds: float, rounds: int) -> list[str]:
    lines = []
    pages = [(name, (FIXTURES / name).read_bytes(), chamber) for name, chamber in MINUTES]
    from bench_committee_parse import page as generated  # the other script's generator

    pages.append(("generated: 12 roll calls x 19 members", generated(12, 19), "house"))
    for name, content, chamber in pages:
        count = len(parse_minutes_page(content, source_url="u", chamber=chamber).roll_calls)
        ours = per_call(
            lambda c=content, ch=chamber: parse_minutes_page(c, source_url="u", chamber=ch),
            seconds,
            rounds,
        )
        floor = per_call(lambda c=content: lxml.html.fromstring(c), seconds, rounds)
        lines.append(row(f"{name} ({count} roll calls)", len(content), ours, floor))
    house = (FIXTURES / "house_schedule_all.html").read_bytes()
    senate = (FIXTURES / "senate_schedule_upcoming.json").read_bytes()
    lines.append(
        row(
            "house_schedule_all.html",
            len(house),
            per_call(
                lambda: hearings.parse_house_schedule(
                    house, source_url="https://www.house.mn.gov/x"
                ),
                seconds,
                rounds,
            ),
            per_call(lambda: lxml.html.fromstring(house), seconds, rounds),
        )
    )
    lines.append(
        row(
            "senate_schedule_upcoming.json (vs json.loads)",
            len(senate),
            per_call(
                lambda: hearings.parse_senate_schedule(senate, source_url="u"), seconds, rounds
            ),
            per_call(lambda: json.loads(senate), seconds, rounds),
        )
    )
    return lines


def requests_per_day() -> list[str]:
    """Runs on a weekday in session of each entry, times the pages per run."""
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger

    from config import SETTINGS
    from scrapers import vocab

    defaults = {s.env: str(s.default) for s in SETTINGS}
    zone = ZoneInfo(defaults["TRACKER_SCHEDULER_TIMEZONE"])
    day = dt.datetime(2026, 3, 4, tzinfo=zone)  # a Wednesday in session

    def runs(variable: str) -> int:
        trigger = CronTrigger.from_crontab(defaults[variable], timezone=zone)
        count, fire = 0, trigger.get_next_fire_time(None, day)
        while fire is not None and fire < day + dt.timedelta(days=1):
            count += 1
            fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
        return count

    schedule_runs = runs("TRACKER_CRON_HEARINGS_IN_SESSION")
    pages = len(vocab.CHAMBERS)
    committee_runs = runs("TRACKER_CRON_COMMITTEES")
    return [
        f"hearing schedules in session: {schedule_runs} runs x {pages} pages "
        f"= {schedule_runs * pages} requests a day (out of session: "
        f"{runs('TRACKER_CRON_HEARINGS') * pages})",
        f"committee pages: {committee_runs} run x {COMMITTEES_AT_OPEN_STATES} committees "
        f"= {committee_runs * COMMITTEES_AT_OPEN_STATES} requests a day",
        f"minutes: {runs('TRACKER_CRON_COMMITTEE_VOTES')} run a day, one request per hearing "
        "held the day before (read once)",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    for line in parse_rows(args.seconds, args.rounds):
        print(line)
    for line in requests_per_day():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
