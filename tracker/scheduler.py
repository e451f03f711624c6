"""``tracker scheduler``: the one process that runs scrapes on a schedule.

It runs APScheduler 3.x's ``BlockingScheduler`` in its own process, never in a
web worker, at import or in ``create_app``.  Only one may run: on PostgreSQL it
holds ``pg_try_advisory_lock(ADVISORY_LOCK_KEY)`` on a dedicated connection for
its lifetime; on SQLite it holds a ``SchedulerLease`` row renewed by a heartbeat
(short transactions, so web requests are never blocked) and a newcomer takes
over only an expired lease.  A second scheduler exits with status 1.

Schedules are crontab expressions (minute hour day month weekday, in
``TRACKER_SCHEDULER_TIMEZONE``) read from the app config or the environment;
an empty value or ``off`` disables an entry.  Beside the cron entries a poll
job picks up "run now" requests (``JobRequest``) from the admin page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import sys
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from config import BY_ENV, SETTINGS, ConfigError, load_settings
from tracker import jobs
from tracker.extensions import db
from tracker.models import SchedulerLease
from tracker.models.common import table_of, utcnow
from tracker.settings import of as settings_of

log = logging.getLogger("tracker.scheduler")

# Settings: name (config key and environment variable) -> (default, meaning).
# The scheduler's settings are declared with every other one in config.SETTINGS.
SCHEDULER_SETTINGS: dict[str, tuple[str, str]] = {
    setting.env: (setting.default, setting.description)
    for setting in SETTINGS
    if setting.env == "TRACKER_SCHEDULER_TIMEZONE" or setting.env.startswith("TRACKER_CRON_")
}

LEASE_NAME = "scheduler"
LEASE_SECONDS = 90
HEARTBEAT_SECONDS = 30
POLL_SECONDS = 10
# pg_try_advisory_lock key: "MNTRSCHD" would not fit 32 bits; any constant works
# as long as nothing else in the database uses it.
ADVISORY_LOCK_KEY = 0x4D4E5453  # "MNTS"
MISFIRE_GRACE_SECONDS = 900
DISABLED = {"", "off", "none", "disabled", "false", "0"}


@dataclass(frozen=True)
class ScheduleEntry:
    """One cron line: which job, when, and in which session state it runs."""

    id: str
    job: str
    label: str
    setting: str
    cron: str | None  # None when disabled
    trigger: CronTrigger | None
    when: str = "always"  # "always", "in_session" or "out_of_session"

    @property
    def enabled(self) -> bool:
        return self.trigger is not None


def read_settings(app: Flask | None = None) -> dict[str, str]:
    """The scheduler's settings by variable name: the app's settings, else the
    environment's."""
    settings = settings_of(app) if app is not None else load_settings()
    wanted = [*SCHEDULER_SETTINGS, "TRACKER_SMTP_URL"]
    return {name: str(getattr(settings, BY_ENV[name].name)).strip() for name in wanted}


def timezone_from(settings: dict[str, str]) -> ZoneInfo:
    name = settings["TRACKER_SCHEDULER_TIMEZONE"]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TRACKER_SCHEDULER_TIMEZONE must be a time zone such as America/Chicago, not {name!r}"
        ) from None


def parse_cron(name: str, value: str, timezone: ZoneInfo) -> CronTrigger | None:
    """A crontab expression to a trigger; errors name the variable."""
    if value.strip().lower() in DISABLED:
        return None
    try:
        return CronTrigger.from_crontab(value, timezone=timezone)
    except ValueError as exc:
        raise ConfigError(
            f"{name} must be a crontab expression (minute hour day month weekday) "
            f"such as '20 * * * *', not {value!r}: {exc}"
        ) from None


def schedule_entries(settings: dict[str, str]) -> list[ScheduleEntry]:
    """The cron entries the scheduler runs, parsed and checked."""
    timezone = timezone_from(settings)
    rows = [
        ("sessions", "sessions", "Sessions", "TRACKER_CRON_SESSIONS", "always"),
        ("legislators", "legislators", "Legislators", "TRACKER_CRON_LEGISLATORS", "always"),
        (
            "bills_in_session",
            "bills",
            "Bills (during a session)",
            "TRACKER_CRON_BILLS_IN_SESSION",
            "in_session",
        ),
        ("bills", "bills", "Bills (outside sessions)", "TRACKER_CRON_BILLS", "out_of_session"),
        (
            "votes_in_session",
            "votes",
            "Votes (days the legislature meets)",
            "TRACKER_CRON_VOTES_IN_SESSION",
            "in_session",
        ),
        ("votes", "votes", "Votes", "TRACKER_CRON_VOTES", "always"),
        ("committees", "committees", "Committees", "TRACKER_CRON_COMMITTEES", "always"),
        (
            "hearings_in_session",
            "hearings",
            "Hearing schedules (during a session)",
            "TRACKER_CRON_HEARINGS_IN_SESSION",
            "in_session",
        ),
        (
            "hearings",
            "hearings",
            "Hearing schedules (outside sessions)",
            "TRACKER_CRON_HEARINGS",
            "out_of_session",
        ),
        (
            "committee_votes",
            "committee_votes",
            "Committee votes",
            "TRACKER_CRON_COMMITTEE_VOTES",
            "always",
        ),
        ("follows", "follows", "Follows: news and digests", "TRACKER_CRON_FOLLOWS", "always"),
        ("mail", "mail", "Alert email (needs TRACKER_SMTP_URL)", "TRACKER_CRON_MAIL", "always"),
    ]
    entries = []
    for entry_id, job, label, setting, when in rows:
        value = settings.get(setting, "")
        if entry_id == "mail" and not settings.get("TRACKER_SMTP_URL"):
            value = "off"  # no mail server configured: nothing to send with
        trigger = parse_cron(setting, value, timezone)
        entries.append(
            ScheduleEntry(
                id=entry_id,
                job=job,
                label=label,
                setting=setting,
                cron=value if trigger is not None else None,
                trigger=trigger,
                when=when,
            )
        )
    return entries


def next_run_time(entry: ScheduleEntry, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the entry's trigger fires next (not knowing whether it will skip)."""
    if entry.trigger is None:
        return None
    now = now or utcnow()
    fires: dt.datetime | None = entry.trigger.get_next_fire_time(  # APScheduler is untyped
        None, now.astimezone(entry.trigger.timezone)
    )
    return fires


def run_entry(entry_id: str) -> None:
    """What APScheduler calls for a cron entry."""
    if entry_id == "bills_in_session":
        jobs.scheduled_bills(in_session_slot=True)
    elif entry_id == "bills":
        jobs.scheduled_bills(in_session_slot=False)
    elif entry_id == "hearings_in_session":
        jobs.scheduled_hearings(in_session_slot=True)
    elif entry_id == "hearings":
        jobs.scheduled_hearings(in_session_slot=False)
    elif entry_id == "votes_in_session":
        jobs.scheduled_votes(in_session_slot=True)
    elif entry_id == "votes":
        jobs.scheduled_votes(in_session_slot=False)
    elif entry_id == "follows":
        jobs.scheduled_follows()
    elif entry_id == "mail":
        jobs.scheduled_mail()
    else:
        jobs.scheduled(entry_id)


def poll_requests() -> None:
    try:
        jobs.process_requests()
    except Exception:  # noqa: BLE001 - the poll must survive a database hiccup
        log.exception("could not process run-now requests")
        with contextlib.suppress(Exception):
            db.session.rollback()


def build_scheduler(
    entries: list[ScheduleEntry], timezone: ZoneInfo | None = None
) -> BlockingScheduler:
    """The scheduler with every enabled entry and the run-now poll (not started)."""
    scheduler = BlockingScheduler(timezone=timezone or ZoneInfo("America/Chicago"))
    options = {
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        "replace_existing": True,
    }
    for entry in entries:
        if entry.trigger is None:
            continue
        scheduler.add_job(
            run_entry, entry.trigger, args=[entry.id], id=entry.id, name=entry.label, **options
        )
    scheduler.add_job(
        poll_requests,
        IntervalTrigger(seconds=POLL_SECONDS),
        id="run_now_requests",
        name="Run-now requests",
        **options,
    )
    return scheduler


# ------------------------------------------------------------ single instance


class SchedulerAlreadyRunning(RuntimeError):
    pass


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SchedulerLock:
    """The single-instance guard.

    PostgreSQL: a session-level advisory lock on a connection held open until
    :meth:`release`.  SQLite: the lease row, taken only when absent, expired or
    already ours.  On both the lease row's heartbeat tells the admin page that
    a scheduler is alive; every write is its own short transaction.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        holder: str | None = None,
        name: str = LEASE_NAME,
        lease_seconds: int = LEASE_SECONDS,
    ) -> None:
        self.engine = engine
        self.holder = holder or new_holder()
        self.name = name
        self.lease_seconds = lease_seconds
        self.postgres = engine.dialect.name == "postgresql"
        self._pg_conn: Connection | None = None
        self.held = False

    # -- PostgreSQL
    def _take_advisory_lock(self) -> bool:
        conn = self.engine.connect()
        try:
            got = bool(
                conn.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                ).scalar()
            )
            conn.commit()  # the lock is session-level; do not sit idle in a transaction
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._pg_conn = conn
        return True

    # -- the lease row
    def _write_lease(self, *, force: bool) -> bool:
        now = utcnow()
        expires = now + dt.timedelta(seconds=self.lease_seconds)
        table = table_of(SchedulerLease)
        condition = table.c.name == self.name
        if not force:
            condition = condition & ((table.c.expires_at < now) | (table.c.holder == self.holder))
        values = {"holder": self.holder, "heartbeat_at": now, "expires_at": expires}
        with self.engine.begin() as conn:
            result = conn.execute(update(table).where(condition).values(acquired_at=now, **values))
            if result.rowcount == 1:
                return True
            if conn.execute(select(table.c.name).where(table.c.name == self.name)).first():
                return False  # held by someone else and not expired
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(table).values(name=self.name, acquired_at=now, **values))
        except IntegrityError:
            return False  # another scheduler inserted it first
        return True

    def acquire(self) -> bool:
        """Take the lock; False when another scheduler holds it."""
        if self.held:
            return True
        if self.postgres:
            if not self._take_advisory_lock():
                return False
            self._write_lease(force=True)  # the advisory lock is the guard
        elif not self._write_lease(force=False):
            return False
        self.held = True
        return True

    def heartbeat(self) -> bool:
        """Renew the lease; False when it was lost (taken over after expiring)."""
        if not self.held:
            return False
        now = utcnow()
        table = table_of(SchedulerLease)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(table)
                .where(table.c.name == self.name, table.c.holder == self.holder)
                .values(heartbeat_at=now, expires_at=now + dt.timedelta(seconds=self.lease_seconds))
            )
            renewed = result.rowcount == 1
        if not renewed and self.postgres:
            self._write_lease(force=True)  # the row was removed; the lock still holds
            return True
        return bool(renewed)

    def release(self) -> None:
        table = table_of(SchedulerLease)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(table).where(table.c.name == self.name, table.c.holder == self.holder)
                )
        except Exception:  # noqa: BLE001 - releasing must not hide the original error
            log.exception("could not remove the scheduler lease")
        if self._pg_conn is not None:
            try:
                self._pg_conn.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                self._pg_conn.commit()
            finally:
                self._pg_conn.close()
                self._pg_conn = None
        self.held = False


class Heartbeat(threading.Thread):
    """Renews the lease every ``interval`` seconds, independent of running jobs."""

    def __init__(self, lock: SchedulerLock, on_lost: Any, interval: float = HEARTBEAT_SECONDS):
        super().__init__(name="scheduler-heartbeat", daemon=True)
        self.lock = lock
        self.on_lost = on_lost
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            try:
                alive = self.lock.heartbeat()
            except Exception:  # noqa: BLE001 - a failed write is retried next beat
                log.exception("scheduler heartbeat failed")
                continue
            if not alive:
                log.error("scheduler lease lost to %s; stopping", lease_holder())
                self.on_lost()
                return

    def stop(self) -> None:
        self.stopping.set()


def lease_holder() -> str | None:
    try:
        row = db.session.get(SchedulerLease, LEASE_NAME)
        return row.holder if row else None
    except Exception:  # noqa: BLE001
        return None


def scheduler_status(now: dt.datetime | None = None) -> dict[str, Any]:
    """Whether a scheduler process holds the lease (or lock), for the admin page."""
    now = now or utcnow()
    row = db.session.scalars(
        select(SchedulerLease).where(SchedulerLease.name == LEASE_NAME)
    ).first()
    status: dict[str, Any] = {
        "running": False,
        "holder": None,
        "heartbeat_at": None,
        "heartbeat_age": None,
        "expires_at": None,
        "advisory_lock": None,
    }
    if row is not None:
        status.update(
            holder=row.holder,
            heartbeat_at=row.heartbeat_at,
            heartbeat_age=int((now - row.heartbeat_at).total_seconds()),
            expires_at=row.expires_at,
            running=row.expires_at > now,
        )
    if db.engine.dialect.name == "postgresql":
        held = db.session.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid::bigint = 0 AND objid::bigint = :key AND objsubid = 1"
            ),
            {"key": ADVISORY_LOCK_KEY},
        ).scalar()
        status["advisory_lock"] = bool(held)
        status["running"] = bool(held)
    return status


# ------------------------------------------------------------------ running


def run(app: Flask) -> int:
    """Run the scheduler until stopped; returns the exit status."""
    settings = read_settings(app)
    timezone = timezone_from(settings)
    entries = schedule_entries(settings)
    lock = SchedulerLock(db.engine)
    if not lock.acquire():
        holder = lease_holder()
        raise SchedulerAlreadyRunning(
            "another scheduler is already running"
            + (f" ({holder})" if holder else "")
            + "; only one may run against this database. Stop it first"
            + ("" if lock.postgres else f", or wait {LEASE_SECONDS}s if it died")
            + "."
        )
    jobs.set_app(app)
    scheduler = build_scheduler(entries, timezone)
    lost = threading.Event()

    def on_lost() -> None:
        lost.set()
        scheduler.shutdown(wait=False)

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping the scheduler", signum)
        scheduler.shutdown(wait=False)

    heartbeat = Heartbeat(lock, on_lost)
    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        heartbeat.start()
        for entry in entries:
            state = f"{entry.cron} ({entry.when})" if entry.enabled else "disabled"
            log.info("%s: %s", entry.label, state)
        click.echo(f"scheduler started as {lock.holder}; Ctrl-C stops it")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
    finally:
        heartbeat.stop()
        if scheduler.running:
            scheduler.shutdown(wait=True)
        signal.signal(signal.SIGTERM, previous)
        lock.release()
        jobs.set_app(None)
    if lost.is_set():
        click.echo("error: the scheduler lease was taken over; stopped.", err=True)
        return 1
    return 0


def describe(app: Flask, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The schedule as the admin page and ``--list`` show it."""
    now = now or utcnow()
    entries = schedule_entries(read_settings(app))
    in_session = jobs.in_session(now.date())
    rows = []
    for entry in entries:
        active = entry.when == "always" or (entry.when == "in_session") == in_session
        rows.append(
            {
                "entry": entry,
                "next_run": next_run_time(entry, now) if entry.enabled and active else None,
                "active": active and entry.enabled,
                "when": {
                    "always": "",
                    "in_session": "while a session is in progress",
                    "out_of_session": "outside sessions",
                }[entry.when],
            }
        )
    return rows


@click.command("scheduler", help="Run scheduled scrapes (one process per database).")
@click.option("--list", "list_only", is_flag=True, help="Show the schedule and exit.")
@with_appcontext
def scheduler_command(list_only: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        if list_only:
            for row in describe(app):
                entry = row["entry"]
                next_run = row["next_run"].isoformat() if row["next_run"] else "-"
                cron = entry.cron or "disabled"
                click.echo(f"{entry.id:18} {cron:16} next {next_run}  {row['when']}")
            return
        status = run(app)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except SchedulerAlreadyRunning as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    sys.exit(status)


def register(app: Flask) -> None:
    app.cli.add_command(scheduler_command)
