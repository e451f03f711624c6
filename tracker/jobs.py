"""Scheduled jobs: thin, crash-proof wrappers around the pipeline.

Each job runs inside an app context (the caller's, or one built from the app
set with :func:`set_app`, else from the environment), calls one pipeline
function, and never raises: a crash becomes a failed :class:`ScrapeRun` with a
traceback summary, is logged, and the next run goes ahead as usual.

``JOBS`` maps a job name (the name on the admin page and in ``JobRequest.job``)
to its function.  The pipeline is imported inside the functions, so this module
imports cleanly before ``tracker.pipeline`` exists or when it fails to import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, has_app_context
from sqlalchemy import select, update

from tracker import localtime
from tracker.extensions import db
from tracker.models import JobRequest, LegislativeSession, ScrapeRun
from tracker.models.common import utcnow

log = logging.getLogger("tracker.jobs")

_app: Flask | None = None

# Job name -> the pipeline function it calls.
PIPELINE_FUNCTIONS = {
    "sessions": "scrape_sessions",
    "legislators": "scrape_legislators",
    "bills": "scrape_bills",
    "votes": "scrape_votes",
}

JOB_DESCRIPTIONS = {
    "sessions": "Discover sessions from the Revisor's session list",
    "legislators": "Scrape the Senate and House member lists",
    "bills": "Incremental bill scrape (listing, then changed bills only)",
    "votes": "Roll-call votes: House vote pages and Senate journal PDFs (incremental)",
    "mail": "Action alert email: queue alerts and follow-ups, send a batch from the outbox",
    "committees": "Committees and their members: Open States committee files, committee pages",
    "hearings": "Hearing schedules of both chambers (hourly during a session)",
    "committee_votes": "Committee roll calls from the minutes of past hearings",
    "follows": "Follows: find news on followed bills and legislators, queue emails and digests",
}

# Jobs that run code of this project rather than a pipeline function.
LOCAL_JOBS = ("mail", "committees", "hearings", "committee_votes", "follows")

TRACEBACK_LIMIT = 4000


class JobUnavailable(RuntimeError):
    """The pipeline function behind a job does not exist (yet)."""


def set_app(app: Flask | None) -> None:
    """The app jobs use when no app context is active (the scheduler sets it)."""
    global _app
    _app = app


@contextlib.contextmanager
def _app_context() -> Iterator[None]:
    if has_app_context():
        yield
        return
    app = _app
    if app is None:
        from tracker import create_app

        app = create_app()
        set_app(app)
    with app.app_context():
        yield


def pipeline_function(job: str) -> Callable[..., ScrapeRun]:
    """The pipeline function behind ``job``; JobUnavailable when it is missing."""
    name = PIPELINE_FUNCTIONS[job]
    try:
        pipeline = importlib.import_module("tracker.pipeline")
    except ModuleNotFoundError as exc:
        if exc.name != "tracker.pipeline":
            raise
        raise JobUnavailable("tracker.pipeline is not installed") from None
    function = getattr(pipeline, name, None)
    if function is None:
        raise JobUnavailable(f"the pipeline has no {name}() yet")
    return function  # type: ignore[no-any-return]


def available(job: str) -> bool:
    """Whether ``job`` can run now (its pipeline function exists)."""
    if job not in PIPELINE_FUNCTIONS:
        return job in LOCAL_JOBS
    try:
        pipeline_function(job)
    except JobUnavailable:
        return False
    except Exception:  # noqa: BLE001 - a broken pipeline import is reported when the job runs
        return True
    return True


def traceback_summary(exc: BaseException) -> str:
    """The exception and its innermost frames, short enough for a database row."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-6))
    if len(text) > TRACEBACK_LIMIT:
        text = "…" + text[-(TRACEBACK_LIMIT - 1) :]
    return text.strip()


def _record_crash(
    job: str, options: dict[str, Any], triggered_by: str, started: dt.datetime, exc: BaseException
) -> ScrapeRun:
    """Mark the run the pipeline opened as failed (it may have done so already,
    without the traceback), or add a failed run when it crashed before opening one."""
    db.session.rollback()
    summary = traceback_summary(exc)
    run = db.session.scalars(
        select(ScrapeRun)
        .where(
            ScrapeRun.job == job,
            ScrapeRun.status.in_(("running", "failed")),
            ScrapeRun.triggered_by == triggered_by,
            ScrapeRun.started_at >= started - dt.timedelta(seconds=1),
        )
        .order_by(ScrapeRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        run = ScrapeRun(
            job=job, options=options or None, triggered_by=triggered_by, started_at=started
        )
        db.session.add(run)
    run.status = "failed"
    run.finished_at = utcnow()
    run.error = summary
    db.session.commit()
    return run


def execute(
    job: str, options: dict[str, Any] | None = None, *, triggered_by: str = "scheduler"
) -> ScrapeRun:
    """Run one job now and return its run; never raises for a crashing job."""
    if job not in JOBS:
        raise KeyError(f"unknown job {job!r}")
    options = dict(options or {})
    with _app_context():
        started = utcnow()
        try:
            run = JOBS[job](triggered_by=triggered_by, **options)
        except Exception as exc:  # noqa: BLE001 - a crash must not stop the scheduler
            log.exception("job %s crashed", job)
            return _record_crash(job, options, triggered_by, started, exc)
        if isinstance(run, ScrapeRun):
            log.info("job %s finished: %s (%s)", job, run.summary(), run.status)
            return run
        # A pipeline function that returned nothing: record that it ran.
        db.session.rollback()
        record = ScrapeRun(
            job=job,
            options=options or None,
            triggered_by=triggered_by,
            started_at=started,
            finished_at=utcnow(),
            status="succeeded",
        )
        db.session.add(record)
        db.session.commit()
        return record


# ------------------------------------------------------------------ the jobs


def sessions(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    return pipeline_function("sessions")(triggered_by=triggered_by, **options)


def legislators(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    return pipeline_function("legislators")(triggered_by=triggered_by, **options)


def bills(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    return pipeline_function("bills")(triggered_by=triggered_by, **options)


def votes(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    return pipeline_function("votes")(triggered_by=triggered_by, **options)


def mail(
    *, triggered_by: str = "scheduler", quiet: bool = False, **options: Any
) -> ScrapeRun | None:
    """Queue alert emails and follow-ups, then send one batch (``tracker.alerts``).
    A run is recorded (new = queued, changed = sent, failed = failed); with
    ``quiet`` only when something happened, so the minutely cron leaves no
    trail of empty runs."""
    from tracker import alerts

    started = utcnow()
    counts, result = alerts.run_mail_job()
    queued = counts["alert"] + counts["followup"]
    attempted = result.sent + result.retry + result.failed
    if quiet and not (
        queued or attempted or counts["interrupted"] or counts["linked"] or result.error
    ):
        return None
    failed = bool(result.error) and not result.sent
    run = ScrapeRun(
        job="mail",
        options=options or None,
        triggered_by=triggered_by,
        started_at=started,
        finished_at=utcnow(),
        new=queued,
        changed=result.sent,
        failed=result.failed,
        requests=attempted,
        status="failed"
        if failed
        else ("partial" if result.failed or result.retry or result.error else "succeeded"),
        error=None
        if not (result.error or result.failed or counts["interrupted"])
        else f"{result.summary()}; interrupted earlier: {counts['interrupted']}",
    )
    db.session.add(run)
    db.session.commit()
    return run


def committees(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    """The current session's committees and members (``tracker.committees``)."""
    from tracker.committees import scrape_committees

    return scrape_committees(triggered_by=triggered_by, **options)


def hearings(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    """Both chambers' hearing schedules (``tracker.hearings``)."""
    from tracker.hearings import scrape_hearings

    return scrape_hearings(triggered_by=triggered_by, **options)


def committee_votes(*, triggered_by: str = "scheduler", **options: Any) -> ScrapeRun:
    """Committee roll calls from the minutes of past hearings (``tracker.committee_votes``)."""
    from tracker.committee_votes import scrape_committee_votes

    return scrape_committee_votes(triggered_by=triggered_by, **options)


def follows(
    *, triggered_by: str = "scheduler", quiet: bool = False, **options: Any
) -> ScrapeRun | None:
    """Scan for events on followed things, queue the emails and due digests
    (``tracker.follows``); the mail job sends them.  A run is recorded (new = events
    found, changed = emails queued); with ``quiet`` only when something happened."""
    from tracker import follows as following

    started = utcnow()
    counts = following.run()
    found = sum(n for key, n in counts.items() if key.startswith("found_"))
    queued = counts["immediate"] + counts["daily"] + counts["weekly"]
    if quiet and not (found or queued):
        return None
    run = ScrapeRun(
        job="follows",
        options=options or None,
        triggered_by=triggered_by,
        started_at=started,
        finished_at=utcnow(),
        new=found,
        changed=queued,
        status="succeeded",
    )
    db.session.add(run)
    db.session.commit()
    return run


JOBS: dict[str, Callable[..., ScrapeRun | None]] = {
    "sessions": sessions,
    "legislators": legislators,
    "bills": bills,
    "votes": votes,
    "mail": mail,
    "committees": committees,
    "hearings": hearings,
    "committee_votes": committee_votes,
    "follows": follows,
}


# ------------------------------------------------- scheduler entry points


def current_session(today: dt.date | None = None) -> LegislativeSession | None:
    """The latest session whose start and end dates cover ``today``."""
    today = today or localtime.today()
    return db.session.scalars(
        select(LegislativeSession)
        .where(
            LegislativeSession.start_date.is_not(None),
            LegislativeSession.end_date.is_not(None),
            LegislativeSession.start_date <= today,
            LegislativeSession.end_date >= today,
        )
        .order_by(LegislativeSession.start_date.desc(), LegislativeSession.id.desc())
        .limit(1)
    ).first()


def in_session(today: dt.date | None = None) -> bool:
    with _app_context():
        return current_session(today) is not None


def scheduled(job: str) -> ScrapeRun | None:
    """What a cron entry calls."""
    return execute(job, triggered_by="scheduler")


def scheduled_mail() -> ScrapeRun | None:
    """The minutely mail cron: a run is recorded only when mail moved."""
    with _app_context():
        started = utcnow()
        try:
            return mail(triggered_by="scheduler", quiet=True)
        except Exception as exc:  # noqa: BLE001 - a crash must not stop the scheduler
            log.exception("job mail crashed")
            return _record_crash("mail", {}, "scheduler", started, exc)


def scheduled_bills(*, in_session_slot: bool, today: dt.date | None = None) -> ScrapeRun | None:
    """Bills: the hourly slot runs only while a session is in progress (for that
    session), the daily slot only outside sessions; each skips otherwise."""
    with _app_context():
        session = current_session(today)
        if in_session_slot != (session is not None):
            return None
        options = {"session": session.identifier} if session is not None else {}
        return execute("bills", options, triggered_by="scheduler")


def scheduled_hearings(*, in_session_slot: bool, today: dt.date | None = None) -> ScrapeRun | None:
    """Hearing schedules: the hourly slot runs only while a session is in progress,
    the daily slot only outside sessions (interim hearings); each skips otherwise."""
    with _app_context():
        if in_session_slot != (current_session(today) is not None):
            return None
        return execute("hearings", {}, triggered_by="scheduler")


def scheduled_follows() -> ScrapeRun | None:
    """The follows cron (every few minutes): a run is recorded only when something
    was found or queued."""
    with _app_context():
        started = utcnow()
        try:
            return follows(triggered_by="scheduler", quiet=True)
        except Exception as exc:  # noqa: BLE001 - a crash must not stop the scheduler
            log.exception("job follows crashed")
            return _record_crash("follows", {}, "scheduler", started, exc)


def _bills_running() -> bool:
    """Whether a bills run is under way (not abandoned): the votes slot then leaves
    the bills alone this time rather than scrape them twice at once."""
    return (
        db.session.scalar(
            select(ScrapeRun.id)
            .where(ScrapeRun.job == "bills", ScrapeRun.status == "running")
            .limit(1)
        )
        is not None
    )


def scheduled_votes(*, in_session_slot: bool, today: dt.date | None = None) -> ScrapeRun | None:
    """Votes.  The frequent slot (``TRACKER_CRON_VOTES_IN_SESSION``) runs only on days
    the legislature meets (``tracker.follows.freshness``): the bills listing, the
    watched bills' status documents, then the votes of the session.  The daily slot
    (``TRACKER_CRON_VOTES``) runs on the other days, and every day when the frequent
    slot is off."""
    from tracker.follows import freshness
    from tracker.scheduler import DISABLED
    from tracker.settings import current

    with _app_context():
        frequent_enabled = current().cron_votes_in_session.strip().lower() not in DISABLED
        today = today or localtime.today()
        session = current_session(today)
        meeting = freshness.meeting_day(session, today)
        if in_session_slot != (meeting and frequent_enabled):
            return None
        if not in_session_slot:
            return execute("votes", {}, triggered_by="scheduler")
        assert session is not None
        identifier = session.identifier
        if not _bills_running():
            execute("bills", {"session": identifier}, triggered_by="scheduler")
            try:
                freshness.refresh_watched(session, triggered_by="scheduler: watched bills")
            except Exception:  # noqa: BLE001 - the votes run goes ahead
                log.exception("refetching the watched bills failed")
                db.session.rollback()
        return execute("votes", {"session": identifier}, triggered_by="scheduler")


def claim_request() -> JobRequest | None:
    """Atomically take the oldest pending request (safe against a second poller)."""
    while True:
        request = db.session.scalars(
            select(JobRequest)
            .where(JobRequest.status == "pending")
            .order_by(JobRequest.requested_at, JobRequest.id)
            .limit(1)
        ).first()
        if request is None:
            db.session.rollback()
            return None
        result = db.session.execute(
            update(JobRequest)
            .where(JobRequest.id == request.id, JobRequest.status == "pending")
            .values(status="running", picked_up_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            db.session.refresh(request)
            return request


def process_requests(limit: int = 10) -> list[JobRequest]:
    """Run pending "run now" requests, oldest first, linking each to its run."""
    done: list[JobRequest] = []
    with _app_context():
        for _ in range(limit):
            request = claim_request()
            if request is None:
                break
            request_id = request.id
            job, options = request.job, dict(request.options or {})
            actor = f"run now: {request.requested_by}"[:254]
            if job not in JOBS:
                request.status = "failed"
                request.error = f"unknown job {job!r}"
                request.finished_at = utcnow()
                db.session.commit()
                done.append(request)
                continue
            log.info("running %s, requested by %s", job, request.requested_by)
            run = execute(job, options, triggered_by=actor)
            request = db.session.get(JobRequest, request_id)
            assert request is not None
            request.run_id = run.id
            request.status = "failed" if run.status == "failed" else "done"
            request.error = run.error if run.status == "failed" else None
            request.finished_at = utcnow()
            db.session.commit()
            done.append(request)
    return done
