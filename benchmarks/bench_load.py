"""Public pages under load while staff edit, on PostgreSQL (issue 13, "Tests and figures").

    .venv/bin/python benchmarks/bench_load.py [--duration 60] [--connections 32]
        [--editors 4] [--page-cache redis|off] [--load-generator auto|wrk|python]

Builds ``tracker.benchdata``'s ``session`` scale (201 legislators, 6,000 bills,
2,000 roll calls; every scorecard published) in a scratch PostgreSQL database of
its own (``bench_load_<pid>``, dropped at the end), serves it with ``tracker
serve`` (gunicorn, 2 gthread workers, page cache in Redis as in production by
default) and, at the same time:

* wrk (Python threads when wrk is not installed; the output says which) loads the
  public pages and API documents at ``--connections`` keep-alive connections for
  ``--duration`` seconds, cycling through every legislator page, every 20th bill
  page and the edited ones, scorecard pages, searches, district look-ups and API
  documents;
* ``--editors`` signed-in staff sessions (admins created with
  ``tracker.accounts.create_user``; ``requests`` with the form's CSRF token, as
  ``tests/test_concurrency.py`` does) save position edits through the HTTP stack,
  two editors on each bill so that some edits collide, and every fifth saved edit
  is published.

Then it checks: no response other than 2xx/3xx to wrk or to the editors; every
edit the app acknowledged ("Saved the position") is in the audit log exactly once
and nothing else is; each bill's audit entries form one unbroken chain (each
edit's "before" is the previous edit's "after", which a lost update breaks); the
stored draft and published positions are the last acknowledged edit and publish.
Exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _web import (  # noqa: E402  (beside this script)
    DEFAULT_DATABASE,
    DEFAULT_REDIS,
    Scratch,
    Server,
    clear_redis,
    describe,
    load_average,
    load_generator,
    populate,
    scratch_database,
)

PASSWORD = "bench-load-password-1"  # noqa: S105 - throwaway accounts in a throwaway database
HEADERS = {"Accept-Encoding": "gzip"}
SAVED = "Saved the position"
PUBLISHED = "Published the position"
REFUSED = re.compile(r"changed by someone else|Someone else saved", re.I)


# ---------------------------------------------------------------- the data


@dataclass
class Plan:
    paths: list[str]
    bills: list[str]  # staff paths of the edited bills, /staff/bills/<session>/<key>
    bill_ids: list[int]
    users: list[str]


def plan(scratch: Scratch, editors: int) -> Plan:
    """The public URLs to load, the bills to edit and the staff accounts."""
    from sqlalchemy import select

    from tracker import accounts
    from tracker.extensions import db
    from tracker.models import Bill, LegislativeSession, Person, Scorecard, Term

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = scratch.app()
    with app.app_context():
        latest = db.session.scalars(
            select(LegislativeSession).order_by(LegislativeSession.year.desc())
        ).first()
        bills = list(
            db.session.scalars(
                select(Bill).where(Bill.session_id == latest.id).order_by(Bill.number)
            )
        )
        edited = bills[1 : 1 + (editors + 1) // 2]  # two editors a bill; HF 1 is the omnibus
        cards = list(db.session.scalars(select(Scorecard).order_by(Scorecard.id)))
        people = list(db.session.scalars(select(Person).order_by(Person.id)))
        districts = sorted(
            {
                t.district
                for t in db.session.scalars(
                    select(Term).where(
                        Term.start_date == latest.start_date, Term.chamber == "house"
                    )
                )
            }
        )
        session = latest.identifier
        public_bills = sorted({*bills[::20], *edited}, key=lambda b: b.number)
        paths = [
            "/",
            "/legislators",
            "/scorecards",
            "/bills?q=bench",
            "/bills?q=bill+12",
            *(f"/legislators/{p.public_id}" for p in people),
            *(f"/bills/{session}/{b.key}" for b in public_bills),
            *(f"/find?district={d}" for d in districts[::7]),
            *(f"/api/v1/legislators/{p.public_id}" for p in people[::10]),
            *(f"/api/v1/bills/{session}/{b.key}" for b in bills[2:300:15]),
        ]
        for card in cards:
            paths += [
                f"/scorecards/{card.public_id}",
                f"/scorecards/{card.public_id}?chamber=house&sort=score&dir=desc",
                f"/api/v1/scorecards/{card.public_id}",
            ]
        users = [f"editor{n}@bench.example.org" for n in range(editors)]
        for email in users:
            accounts.create_user(email, "admin", PASSWORD, actor="bench")
        db.session.commit()
        result = Plan(
            paths=paths,
            bills=[f"/staff/bills/{session}/{b.key}" for b in edited],
            bill_ids=[b.id for b in edited],
            users=users,
        )
        db.engine.dispose()
    return result


# ---------------------------------------------------------------- the editors


@dataclass
class EditorLog:
    saved: list[tuple[int, str]] = field(default_factory=list)  # (bill index, rationale)
    published: list[int] = field(default_factory=list)  # bill index of each acknowledged
    refused: int = 0
    http_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)


class Editor(threading.Thread):
    """One signed-in staff browser saving edits of one bill until told to stop."""

    def __init__(
        self,
        number: int,
        base: str,
        email: str,
        bill: str,
        bill_index: int,
        stop: threading.Event,
        pause: float,
        publish_every: int,
    ) -> None:
        super().__init__(name=f"editor-{number}", daemon=True)
        self.number, self.base, self.email = number, base, email
        self.bill, self.bill_index = bill, bill_index
        self.stop, self.pause, self.publish_every = stop, pause, publish_every
        self.log = EditorLog()

    def run(self) -> None:
        import requests

        http = requests.Session()
        try:
            page = self._get(http, "/auth/login")
            response = http.post(
                self.base + "/auth/login",
                allow_redirects=False,
                timeout=60,
                data={"email": self.email, "password": PASSWORD, "csrf_token": _token(page)},
            )
            if response.status_code != 302:
                self.log.http_errors.append(f"login: HTTP {response.status_code}")
                return
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            self.log.http_errors.append(f"login: {type(exc).__name__}: {exc}")
            return
        page = None
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if page is None:
                    page = self._get(http, self.bill)
                page = self._edit(http, page, n)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                self.log.http_errors.append(f"{type(exc).__name__}: {exc}")
                page = None
            self.stop.wait(self.pause)

    def _edit(self, http: Any, page: Any, n: int) -> Any:
        """One edit from ``page`` (and every fifth saved, a publish); the page landed on."""
        rationale = f"Edit {n} by editor {self.number} ({self.email})."
        fields = _form(page, self.bill + "/position")
        assert fields is not None
        fields.update(
            position=("support", "oppose")[n % 2],
            rationale=rationale,
            issue_areas=f"area {self.number}",
        )
        page, message = self._post(http, self.bill + "/position", fields)
        if page is None or message is None:
            return page
        if SAVED not in message:
            self._judge_refusal(message)
            return page
        self.log.saved.append((self.bill_index, rationale))
        if len(self.log.saved) % self.publish_every == 0:
            publish = _form(page, self.bill + "/position/publish", required=False)
            if publish is not None:
                page, message = self._post(http, self.bill + "/position/publish", publish)
                if message is None:
                    return page
                if PUBLISHED in message:
                    self.log.published.append(self.bill_index)
                else:
                    self._judge_refusal(message)
        return page

    def _judge_refusal(self, message: str) -> None:
        if REFUSED.search(message):
            self.log.refused += 1
        else:
            self.log.unexpected.append(message)

    def _get(self, http: Any, path: str) -> Any:
        from lxml import html

        response = http.get(self.base + path, timeout=60)
        if not 200 <= response.status_code < 400:
            raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
        return html.fromstring(response.text)

    def _post(self, http: Any, path: str, fields: dict[str, Any]) -> tuple[Any, str | None]:
        """Post the form, follow the redirect as a browser does; the page it lands on
        and the message flashed there (both None after an HTTP error, which is counted)."""
        started = time.perf_counter()
        response = http.post(self.base + path, data=fields, allow_redirects=False, timeout=60)
        if response.status_code not in (302, 303):
            self.log.http_errors.append(f"POST {path}: HTTP {response.status_code}")
            return None, None
        page = self._get(http, response.headers["Location"])
        self.log.round_trips.append(time.perf_counter() - started)
        flashed = page.xpath("//*[contains(concat(' ', @class, ' '), ' flash ')]")
        return page, " ".join(" ".join(t for f in flashed for t in f.itertext()).split())


def _token(page: Any) -> str:
    return str(page.xpath("//input[@name='csrf_token']/@value")[0])


def _form(page: Any, action: str, *, required: bool = True) -> dict[str, Any] | None:
    """The fields of the form posting to ``action``, as the browser would send them."""
    found = [f for f in page.xpath("//form") if (f.get("action") or "").split("#")[0] == action]
    if not found:
        if required:
            raise RuntimeError(f"no form posts to {action}")
        return None
    fields: dict[str, Any] = {}
    for element in found[0].xpath(".//input|.//textarea"):
        name = element.get("name")
        if not name or element.get("type") == "submit":
            continue
        if element.get("type") in ("checkbox", "radio"):
            if element.get("checked") is not None:
                fields[name] = element.get("value")
        elif element.tag == "textarea":
            fields[name] = element.text or ""
        else:
            fields[name] = element.get("value") or ""
    return fields


# ---------------------------------------------------------------- the checks


def verify(scratch: Scratch, work: Plan, logs: list[EditorLog]) -> tuple[int, int, list[str]]:
    """(lost edits, audit entries checked, problems): lost counts acknowledged edits
    missing from the audit log and lost updates (breaks in a bill's chain)."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import AuditEvent, Bill, BillPosition

    problems: list[str] = []
    lost_edits = checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = scratch.app()
    with app.app_context():
        for index, bill_id in enumerate(work.bill_ids):
            bill = db.session.get(Bill, bill_id)
            entity = str(getattr(bill, "public_id", None) or bill.id)
            label = bill.label

            def events(action: str, entity: str = entity) -> list[AuditEvent]:
                return list(
                    db.session.scalars(
                        select(AuditEvent)
                        .where(
                            AuditEvent.action == action,
                            AuditEvent.entity_type == "bill",
                            AuditEvent.entity_id == entity,
                        )
                        .order_by(AuditEvent.id)
                    )
                )

            edits = events("position.edit")
            acknowledged = Counter(r for log in logs for b, r in log.saved if b == index)
            audited = Counter(e.after["rationale"] for e in edits)
            lost = acknowledged - audited
            lost_edits += sum(lost.values())
            checked += len(edits)
            extra = audited - acknowledged
            twice = [r for r, n in audited.items() if n > 1]
            if lost:
                problems.append(
                    f"{label}: {sum(lost.values())} acknowledged edits missing "
                    f"from the audit log, e.g. {next(iter(lost))!r}"
                )
            if extra:
                problems.append(
                    f"{label}: {sum(extra.values())} audited edits nobody was told were saved"
                )
            if twice:
                problems.append(f"{label}: {len(twice)} edits audited twice")
            for previous, event in zip(edits, edits[1:], strict=False):
                if event.before != previous.after:
                    lost_edits += 1
                    problems.append(
                        f"{label}: the edit {event.after['rationale']!r} was made "
                        f"over {event.before!r}, not the edit before it "
                        f"({previous.after['rationale']!r}): a lost update"
                    )
            row = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill_id))
            if edits and (row is None or row.rationale != edits[-1].after["rationale"]):
                problems.append(f"{label}: the stored position is not the last saved edit")
            publishes = events("position.publish")
            told = sum(1 for log in logs for b in log.published if b == index)
            if len(publishes) != told:
                problems.append(f"{label}: {told} publishes acknowledged, {len(publishes)} audited")
            if publishes and (
                row is None or row.published_rationale != publishes[-1].after["rationale"]
            ):
                problems.append(f"{label}: the published position is not the last published")
        db.engine.dispose()
    return lost_edits, checked, problems


# ---------------------------------------------------------------- the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help="PostgreSQL server (and a database to connect to first)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help="Redis database for the page cache and rate limits (its "
        "tracker:* keys are deleted before and after)",
    )
    parser.add_argument("--page-cache", choices=["redis", "off"], default="redis")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument(
        "--pause", type=float, default=0.2, help="seconds each editor waits between edits"
    )
    parser.add_argument("--publish-every", type=int, default=5)
    parser.add_argument("--load-generator", choices=["auto", "wrk", "python"], default="auto")
    options = parser.parse_args()

    generator = load_generator(options.load_generator)
    print(f"load generator: {generator.name}; load average before: {load_average()}", flush=True)
    name = f"bench_load_{os.getpid()}"
    with scratch_database(name, sqlite=False, base_url=options.database_url) as scratch:
        counts = populate(scratch, "session")
        database = describe(scratch, "session", counts)
        print(database, flush=True)
        work = plan(scratch, options.editors)
        env = {
            "TRACKER_REDIS_URL": options.redis_url,
            "TRACKER_PAGE_CACHE": "RedisCache" if options.page_cache == "redis" else "NullCache",
        }
        clear_redis(options.redis_url)
        stop = threading.Event()
        editors = [
            Editor(
                n, "", email, work.bills[n // 2], n // 2, stop, options.pause, options.publish_every
            )
            for n, email in enumerate(work.users)
        ]
        try:
            with Server(scratch, workers=2, **env) as server:
                for editor in editors:
                    editor.base = server.base
                    editor.start()
                try:
                    result = generator.run(
                        server.base,
                        work.paths,
                        connections=options.connections,
                        seconds=options.duration,
                        headers=HEADERS,
                    )
                finally:
                    stop.set()
                    for editor in editors:
                        editor.join(timeout=120)
        finally:
            clear_redis(options.redis_url)
        logs = [e.log for e in editors]
        lost, checked, problems = verify(scratch, work, logs)

    saved = sum(len(log.saved) for log in logs)
    published = sum(len(log.published) for log in logs)
    refused = sum(log.refused for log in logs)
    http_errors = [e for log in logs for e in log.http_errors]
    unexpected = [m for log in logs for m in log.unexpected]
    trips = sorted(t for log in logs for t in log.round_trips) or [0.0]
    p99 = trips[min(len(trips) - 1, int(len(trips) * 0.99))]
    if options.editors and not saved:
        problems.append("no edit was saved: nothing was checked")
    failed = bool(result.errors or not result.requests or http_errors or unexpected or problems)
    print()
    print(
        "\n".join(
            [
                f"bench_load: tracker serve (gunicorn, 2 gthread workers), page cache "
                f"{env['TRACKER_PAGE_CACHE']}; load average after: {load_average()}",
                database,
                f"public load ({generator.name}): {options.connections} connections, "
                f"{result.seconds:.0f} s, {len(work.paths)} URLs (pages and API documents), "
                f"Accept-Encoding: gzip",
                f"  {result.requests:,} requests, {result.rps:.0f} req/s; latency p50 "
                f"{result.p50 * 1000:.0f} ms, p99 {result.p99 * 1000:.0f} ms, max "
                f"{result.max * 1000:.0f} ms; responses other than 2xx/3xx: {result.bad_status}; "
                f"socket errors and timeouts: {result.socket_errors}",
                f"staff edits: {options.editors} signed-in editors, two on each of "
                f"{len(work.bills)} bills, every {options.publish_every}th saved edit published",
                f"  {saved} edits saved and acknowledged, {refused} refused as conflicting "
                f"(told someone else changed it first), {published} publishes; "
                f"HTTP errors: {len(http_errors)}; unexpected messages: {len(unexpected)}",
                f"  post + redirect round trip p50 {statistics.median(trips) * 1000:.0f} ms, "
                f"p99 {p99 * 1000:.0f} ms",
                f"verification: {checked} audit entries checked against {saved} acknowledged "
                f"edits; lost edits: {lost}; problems found: {len(problems)}",
                *(f"  PROBLEM {p}" for p in problems),
                *(f"  HTTP ERROR {e}" for e in http_errors[:10]),
                *(f"  UNEXPECTED {m}" for m in unexpected[:10]),
                "RESULT: "
                + (
                    "FAIL"
                    if failed
                    else f"PASS: 0 HTTP errors, 0 lost edits ({saved} saved, {published} "
                    "published, every one audited once)"
                ),
            ]
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
