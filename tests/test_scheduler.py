"""The scheduler: schedule parsing, crash-proof jobs, single instance, run-now."""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from config import ConfigError
from tracker import jobs, scheduler
from tracker.extensions import db
from tracker.models import JobRequest, LegislativeSession, SchedulerLease, ScrapeRun
from tracker.models.common import utcnow
from tracker.settings import override

CHICAGO = ZoneInfo("America/Chicago")


class FakePipeline(types.ModuleType):
    """Stands in for ``tracker.pipeline``: records calls, creates runs, may crash."""

    def __init__(self) -> None:
        super().__init__("tracker.pipeline")
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.crash: dict[str, BaseException] = {}
        self.mark_failed = False

    def _run(self, job: str, **kwargs: Any) -> ScrapeRun:
        self.calls.append((job, kwargs))
        run = ScrapeRun(job=job, triggered_by=kwargs.get("triggered_by", "cli"))
        db.session.add(run)
        db.session.commit()
        if job in self.crash:
            if self.mark_failed:  # as tracker.pipeline._running does before re-raising
                run.status, run.error, run.finished_at = "failed", "short reason", utcnow()
                db.session.commit()
            raise self.crash.pop(job)
        run.status, run.fetched, run.finished_at = "succeeded", 3, utcnow()
        db.session.commit()
        return run

    def scrape_sessions(self, **kwargs: Any) -> ScrapeRun:
        return self._run("sessions", **kwargs)

    def scrape_legislators(self, **kwargs: Any) -> ScrapeRun:
        return self._run("legislators", **kwargs)

    def scrape_bills(self, **kwargs: Any) -> ScrapeRun:
        return self._run("bills", **kwargs)


@pytest.fixture
def pipeline(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePipeline]:
    fake = FakePipeline()
    monkeypatch.setitem(sys.modules, "tracker.pipeline", fake)
    yield fake


def make_session(start: dt.date, end: dt.date, identifier: str = "2025-2026") -> None:
    db.session.add(
        LegislativeSession(
            identifier=identifier,
            revisor_code=identifier[:7],
            name=identifier,
            legislature=94,
            year=start.year,
            start_date=start,
            end_date=end,
        )
    )
    db.session.commit()


# ------------------------------------------------------------------ schedule


def test_default_schedule(app: Flask) -> None:
    entries = {e.id: e for e in scheduler.schedule_entries(scheduler.read_settings(app))}
    assert entries["legislators"].cron == "15 5 * * *"
    assert entries["bills_in_session"].cron == "20 * * * *"
    assert entries["bills_in_session"].when == "in_session"
    assert entries["bills"].cron == "20 6 * * *"
    assert entries["bills"].when == "out_of_session"
    assert entries["votes"].cron == "40 6 * * *"

    now = dt.datetime(2025, 3, 3, 12, 5, tzinfo=CHICAGO)
    assert scheduler.next_run_time(entries["bills_in_session"], now) == dt.datetime(
        2025, 3, 3, 12, 20, tzinfo=CHICAGO
    )
    assert scheduler.next_run_time(entries["bills"], now) == dt.datetime(
        2025, 3, 4, 6, 20, tzinfo=CHICAGO
    )
    assert scheduler.next_run_time(entries["legislators"], now) == dt.datetime(
        2025, 3, 4, 5, 15, tzinfo=CHICAGO
    )
    assert scheduler.next_run_time(entries["votes"], now) == dt.datetime(
        2025, 3, 4, 6, 40, tzinfo=CHICAGO
    )


def test_scheduler_is_built_not_started(app: Flask) -> None:
    settings = scheduler.read_settings(app)
    sched = scheduler.build_scheduler(scheduler.schedule_entries(settings))
    assert not sched.running
    listed = {job.id: job for job in sched.get_jobs()}
    assert set(listed) == {
        "sessions",
        "legislators",
        "bills_in_session",
        "bills",
        "votes_in_session",
        "votes",
        "committees",
        "hearings_in_session",
        "hearings",
        "committee_votes",
        "follows",
        "run_now_requests",
    }
    for job in listed.values():
        assert job.max_instances == 1
        assert job.coalesce is True
        assert job.misfire_grace_time == 900


def test_environment_overrides(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    override(app, TRACKER_CRON_LEGISLATORS="0 4 * * *")
    override(app, TRACKER_CRON_BILLS="off")
    override(app, TRACKER_CRON_VOTES="*/30 * * * *")
    entries = {e.id: e for e in scheduler.schedule_entries(scheduler.read_settings(app))}
    assert entries["legislators"].cron == "0 4 * * *"
    assert not entries["bills"].enabled
    assert entries["votes"].enabled


@pytest.mark.parametrize(
    "name",
    ["TRACKER_CRON_LEGISLATORS", "TRACKER_CRON_BILLS_IN_SESSION", "TRACKER_CRON_BILLS"],
)
@pytest.mark.parametrize("value", ["61 * * * *", "every hour", "* * *"])
def test_bad_cron_names_the_variable(
    app: Flask, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    override(app, **{name: value})
    with pytest.raises(ConfigError, match=name):
        scheduler.schedule_entries(scheduler.read_settings(app))


def test_bad_timezone_names_the_variable(app: Flask) -> None:
    override(app, TRACKER_SCHEDULER_TIMEZONE="Mars/Olympus")
    with pytest.raises(ConfigError, match="TRACKER_SCHEDULER_TIMEZONE"):
        scheduler.schedule_entries(scheduler.read_settings(app))


def test_cli_reports_config_error(app: Flask, runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    override(app, TRACKER_CRON_BILLS="99 99 * * *")
    result = runner.invoke(args=["scheduler", "--list"])
    assert result.exit_code == 2
    assert "TRACKER_CRON_BILLS" in result.output


def test_cli_lists_schedule(app: Flask, runner: Any) -> None:
    result = runner.invoke(args=["scheduler", "--list"])
    assert result.exit_code == 0, result.output
    assert "legislators" in result.output and "15 5 * * *" in result.output


# ---------------------------------------------------------------------- jobs


def test_job_runs_pipeline(app: Flask, pipeline: FakePipeline) -> None:
    run = jobs.execute("legislators")
    assert run.status == "succeeded"
    assert pipeline.calls == [("legislators", {"triggered_by": "scheduler"})]


@pytest.mark.parametrize("pipeline_marks_failed", [False, True])
def test_crash_is_recorded_and_next_run_goes_ahead(
    app: Flask,
    pipeline: FakePipeline,
    caplog: pytest.LogCaptureFixture,
    pipeline_marks_failed: bool,
) -> None:
    pipeline.mark_failed = pipeline_marks_failed
    pipeline.crash["legislators"] = RuntimeError("the page changed shape")
    failed = jobs.execute("legislators")
    assert failed.status == "failed"
    assert failed.finished_at is not None
    assert "RuntimeError: the page changed shape" in (failed.error or "")
    assert "Traceback" in (failed.error or "")
    assert "job legislators crashed" in caplog.text
    # The pipeline's own row became the failed run, with the traceback; no duplicate.
    assert db.session.scalar(select(db.func.count()).select_from(ScrapeRun)) == 1

    second = jobs.execute("legislators")
    assert second.status == "succeeded" and second.id != failed.id


def test_crash_before_any_run_adds_a_failed_run(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> ScrapeRun:
        raise ValueError("no pipeline today")

    monkeypatch.setitem(jobs.JOBS, "bills", broken)
    run = jobs.execute("bills", {"full": True})
    assert run.status == "failed" and run.job == "bills"
    assert run.options == {"full": True}
    assert "ValueError: no pipeline today" in (run.error or "")


def test_missing_pipeline_function_is_a_failed_run(app: Flask, pipeline: FakePipeline) -> None:
    assert not jobs.available("votes")
    assert jobs.available("bills")
    run = jobs.execute("votes")
    assert run.status == "failed" and "scrape_votes" in (run.error or "")


def test_bills_slots_follow_session_dates(app: Flask, pipeline: FakePipeline) -> None:
    make_session(dt.date(2025, 1, 14), dt.date(2026, 5, 18))
    make_session(dt.date(2025, 6, 1), dt.date(2025, 6, 30), identifier="2025s1")
    during, special, after = dt.date(2025, 3, 1), dt.date(2025, 6, 15), dt.date(2026, 7, 1)

    assert jobs.scheduled_bills(in_session_slot=False, today=during) is None
    assert jobs.scheduled_bills(in_session_slot=True, today=during) is not None
    assert pipeline.calls[-1] == ("bills", {"triggered_by": "scheduler", "session": "2025-2026"})
    jobs.scheduled_bills(in_session_slot=True, today=special)  # the latest covering session
    assert pipeline.calls[-1][1]["session"] == "2025s1"

    assert jobs.scheduled_bills(in_session_slot=True, today=after) is None
    assert jobs.scheduled_bills(in_session_slot=False, today=after) is not None
    assert pipeline.calls[-1] == ("bills", {"triggered_by": "scheduler"})
    assert len(pipeline.calls) == 3


def test_run_now_request_is_picked_up_and_linked(app: Flask, pipeline: FakePipeline) -> None:
    first = JobRequest(job="bills", options={"full": True}, requested_by="admin@example.org")
    second = JobRequest(job="legislators", requested_by="admin@example.org")
    db.session.add_all([first, second])
    db.session.commit()
    pipeline.crash["legislators"] = RuntimeError("boom")

    handled = jobs.process_requests()
    assert [r.job for r in handled] == ["bills", "legislators"]
    db.session.expire_all()
    first, second = db.session.get(JobRequest, first.id), db.session.get(JobRequest, second.id)
    assert first is not None and second is not None
    assert first.status == "done" and first.picked_up_at and first.finished_at
    assert first.run is not None and first.run.job == "bills"
    assert first.run.triggered_by == "run now: admin@example.org"
    assert pipeline.calls[0] == (
        "bills",
        {"triggered_by": "run now: admin@example.org", "full": True},
    )
    assert second.status == "failed" and "boom" in (second.error or "")
    assert second.run is not None and second.run.status == "failed"
    assert jobs.process_requests() == []  # nothing picked up twice


def test_unknown_job_request_fails_cleanly(app: Flask) -> None:
    db.session.add(JobRequest(job="nonsense", requested_by="admin@example.org"))
    db.session.commit()
    [request] = jobs.process_requests()
    assert request.status == "failed" and request.run_id is None


# ------------------------------------------------------------ single instance


def lease_lock(holder: str, **kwargs: Any) -> scheduler.SchedulerLock:
    lock = scheduler.SchedulerLock(db.engine, holder=holder, **kwargs)
    lock.postgres = False  # exercise the lease row on either database
    return lock


@pytest.mark.committed
def test_lease_refuses_a_second_instance(app: Flask) -> None:
    first, second = lease_lock("host:1"), lease_lock("host:2")
    assert first.acquire()
    assert not second.acquire()
    assert first.heartbeat()
    assert db.session.get(SchedulerLease, "scheduler").holder == "host:1"  # type: ignore[union-attr]
    status = scheduler.scheduler_status()
    if db.engine.dialect.name != "postgresql":
        assert status["running"] is True and status["heartbeat_age"] is not None
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.committed
def test_expired_lease_is_taken_over(app: Flask) -> None:
    first, second = lease_lock("host:1"), lease_lock("host:2")
    assert first.acquire()
    lease = db.session.get(SchedulerLease, "scheduler")
    assert lease is not None
    lease.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert (
        scheduler.scheduler_status()["running"] is False or db.engine.dialect.name == "postgresql"
    )
    assert second.acquire()
    assert not first.heartbeat()  # the old holder learns it lost the lease
    assert second.heartbeat()


@pytest.mark.committed
def test_cli_second_scheduler_exits(app: Flask, runner: Any) -> None:
    holder = scheduler.SchedulerLock(db.engine, holder="elsewhere:42")
    assert holder.acquire()
    try:
        result = runner.invoke(args=["scheduler"])
    finally:
        holder.release()
    assert result.exit_code == 1
    assert "another scheduler is already running" in result.output
    assert "elsewhere:42" in result.output


@pytest.mark.postgres
@pytest.mark.committed
def test_advisory_lock_refuses_second_connection(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; set TEST_DATABASE_URL")
    first = scheduler.SchedulerLock(db.engine, holder="a")
    second = scheduler.SchedulerLock(db.engine, holder="b")
    assert first.acquire()
    try:
        assert first._pg_conn is not None
        assert not second.acquire()  # a different connection cannot take the lock
        assert scheduler.scheduler_status()["advisory_lock"] is True
    finally:
        first.release()
    assert scheduler.scheduler_status()["advisory_lock"] is False
    assert second.acquire()
    second.release()
