"""Scrape runs: one ``ScrapeRun`` row per run, its HTTP client and its bookkeeping.

Every fetching job (``tracker.pipeline``, ``tracker.votes``, ``tracker.backfill``,
``tracker.sources_check``) opens its run here:

* :func:`client` - one :class:`~scrapers.http.HttpClient` per run, from the settings;
* :func:`running` - opens the ``ScrapeRun`` row (status ``running``, with the
  host, process id and a heartbeat), marks it ``succeeded``/``partial``/``failed``
  at the end, and turns a ``RunFailed``/``FetchError``/``ParseError`` into a
  failed run;
* :func:`mark_abandoned` - a run left ``running`` by a process that died
  (``kill -9``, a power cut) is marked ``abandoned`` by the next run, so no run
  stays "running" forever.

Run status: ``succeeded``; ``partial`` when some items failed (each a
``ScrapeError`` row with URL and reason, nothing stored changed for that item);
``failed`` when the run itself failed; ``abandoned`` (above).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import select, text

from scrapers.http import FetchError, HttpClient, HttpSettings
from scrapers.parsing import ParseError
from scrapers.people import PeopleParseError
from scrapers.sources import Sources
from tracker.extensions import db
from tracker.models import ScrapeError, ScrapeRun
from tracker.models.common import utcnow
from tracker.settings import current

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (done, total)
HEARTBEAT = dt.timedelta(seconds=60)
# A run on another host counts as dead when it has not beaten for this long.
STALE = dt.timedelta(minutes=15)


class RunFailed(RuntimeError):
    """The run as a whole failed (the listing could not be used)."""


def sources() -> Sources:
    s = current()
    return Sources(
        revisor=s.revisor_url,
        revisor_api=s.revisor_api_url,
        house=s.house_url,
        senate=s.senate_url,
        leg=s.leg_url,
        lrl=s.lrl_url,
    )


def app_version() -> str:
    try:
        return version("mn-tracker")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def http_settings(*, record: str | None = None, replay: str | None = None) -> HttpSettings:
    """One run's HTTP settings from the app's settings."""
    s = current()
    return HttpSettings(
        contact_email=s.contact_email or None,
        version=app_version(),
        requests_per_second=s.requests_per_second,
        connect_timeout=s.http_connect_timeout,
        read_timeout=s.http_read_timeout,
        retries=s.http_retries,
        backoff_base=s.http_backoff,
        ca_bundle=s.ca_bundle or None,
        cache_dir=s.http_cache_dir or None,
        record_dir=str(record) if record else None,
        replay_dir=str(replay) if replay else None,
    )


def client(record: str | None = None, replay: str | None = None) -> HttpClient:
    return HttpClient(http_settings(record=record, replay=replay))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: it exists
        return True
    return True


def mark_abandoned(now: dt.datetime | None = None) -> int:
    """Mark runs left ``running`` by dead processes ``abandoned``; returns how many.

    A run of this host whose process is gone is dead at once; a run of another
    host (or without a recorded process) when its heartbeat is older than
    ``STALE``."""
    now = now or utcnow()
    host = socket.gethostname()
    found = 0
    for row in db.session.scalars(select(ScrapeRun).where(ScrapeRun.status == "running")).all():
        beat = row.heartbeat_at or row.started_at
        if row.host == host and row.pid is not None and row.pid != os.getpid():
            dead = not _alive(row.pid)
        elif row.host == host and row.pid == os.getpid():
            dead = False
        else:
            dead = now - beat > STALE
        if dead:
            row.status = "abandoned"
            row.finished_at = now
            row.error = (row.error or "") + (
                f"the process running it ({row.host or 'unknown host'}, pid {row.pid}) stopped "
                f"without finishing; marked abandoned at {now.isoformat(timespec='seconds')}"
            )
            found += 1
    if found:
        db.session.commit()
    return found


# A run that wrote at least this many new or changed items refreshes PostgreSQL's
# planner statistics: after a first ingest or a backfill the tables are many times
# what autovacuum last measured, and its plans (a nested loop over "a few" rows)
# stay wrong until it catches up.
BULK_ROWS = 500
ANALYZED = (
    "bill",
    "authorship",
    "bill_action",
    "roll_call",
    "member_vote",
    "person",
    "term",
    "journal_roll",
    "journal_roll_entry",
    "term_evidence",
)


def analyze() -> bool:
    """``ANALYZE`` the ingested tables on PostgreSQL (nothing to do on SQLite, whose
    planner has no such statistics by default).  Returns whether it ran."""
    if db.engine.dialect.name != "postgresql":
        return False
    db.session.execute(text("ANALYZE " + ", ".join(ANALYZED)))
    db.session.commit()
    log.info("analyzed %d tables after a bulk ingest", len(ANALYZED))
    return True


class Run:
    """Bookkeeping of one ``ScrapeRun``: counts, item errors, final status.

    Counts and errors live here and are copied onto the row at each commit, so a
    rollback of one item's work never loses the run's bookkeeping."""

    COUNTERS = ("fetched", "new", "changed", "unchanged", "failed")

    def __init__(self, job: str, options: dict[str, Any], triggered_by: str) -> None:
        mark_abandoned()
        self.row = ScrapeRun(
            job=job,
            options={k: v for k, v in options.items() if v not in (None, False)},
            triggered_by=triggered_by,
            status="running",
            host=socket.gethostname()[:100],
            pid=os.getpid(),
            heartbeat_at=utcnow(),
        )
        db.session.add(self.row)
        db.session.commit()
        self.client: HttpClient | None = None
        self.counts = dict.fromkeys(self.COUNTERS, 0)
        self._pending: list[ScrapeError] = []

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def add(self, counts: Any) -> None:
        for name in ("new", "changed", "unchanged"):
            self.counts[name] += getattr(counts, name)

    def item_failed(self, item: str, url: str | None, reason: str) -> None:
        self.counts["failed"] += 1
        self._pending.append(
            ScrapeError(item=item[:200], url=(url or "")[:1000] or None, reason=reason)
        )
        log.warning("%s: %s failed: %s", self.row.job, item, reason)

    def note(self, item: str, reason: str) -> None:
        """A data-quality note: listed with the errors, not counted as a failure."""
        self._pending.append(ScrapeError(item=item[:200], url=None, reason=reason))

    def commit(self) -> None:
        for name, value in self.counts.items():
            if getattr(self.row, name) != value:
                setattr(self.row, name, value)
        if self.client is not None and self.row.requests != self.client.stats.requests_sent:
            self.row.requests = self.client.stats.requests_sent
        now = utcnow()
        if self.row.heartbeat_at is None or now - self.row.heartbeat_at >= HEARTBEAT:
            self.row.heartbeat_at = now
        for error in self._pending:
            self.row.errors.append(error)
        self._pending = []
        db.session.commit()

    def finish(self, error: str | None = None) -> ScrapeRun:
        if error is not None:
            self.row.status = "failed"
            self.row.error = error
        else:
            self.row.status = "partial" if self.counts["failed"] else "succeeded"
        self.row.finished_at = utcnow()
        self.commit()
        log.info("%s (%s)", self.row.summary(), self.row.status)
        if self.counts["new"] + self.counts["changed"] >= BULK_ROWS:
            analyze()
        return self.row


@contextmanager
def running(
    job: str, options: dict[str, Any], triggered_by: str, http: HttpClient | None = None
) -> Iterator[Run]:
    """Open a run; a ``RunFailed``, ``FetchError`` or ``ParseError`` escaping the body
    rolls back what was not committed and marks the run failed.  Anything else (a bug,
    a database outage) also marks it failed, then propagates."""
    run = Run(job, options, triggered_by)
    run.client = http
    try:
        yield run
    except (RunFailed, FetchError, ParseError, PeopleParseError) as exc:
        db.session.rollback()
        run.finish(error=str(exc))
        return
    except Exception as exc:
        db.session.rollback()
        run.finish(error=f"{type(exc).__name__}: {exc}")
        raise
    run.finish()


@dataclass(frozen=True)
class Production:
    """Rewrites URLs a local or configured host answered onto the production hosts,
    so stored links point at the real sites."""

    configured: Sources
    production: Sources = Sources()

    def url(self, url: str, source: str | None = None) -> str:
        """``url`` on the production host of its source (``source`` is tried first:
        one local server may stand in for several hosts)."""
        names = ("revisor", "revisor_api", "house", "senate", "leg", "lrl")
        for name in ((source,) if source else ()) + names:
            configured: str = getattr(self.configured, name)  # every Sources field is a str
            base = configured.rstrip("/")
            if url.startswith(base + "/"):
                production: str = getattr(self.production, name)
                return production.rstrip("/") + url[len(base) :]
        return url


__all__ = [
    "Production",
    "Progress",
    "Run",
    "RunFailed",
    "app_version",
    "client",
    "http_settings",
    "mark_abandoned",
    "running",
    "sources",
]
