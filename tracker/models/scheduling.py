"""Scheduler bookkeeping: the single-instance lease and "run now" requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Model
from tracker.models.common import UTCDateTime, one_of, utcnow
from tracker.models.runs import ScrapeRun

JOB_REQUEST_STATUSES = ("pending", "running", "done", "failed")


class SchedulerLease(Model):
    """Who runs the scheduler: one row per lease name, renewed by a heartbeat.

    On SQLite the row is the single-instance guard (a newcomer takes over only
    an expired lease); on PostgreSQL an advisory lock is the guard and the row
    only tells the admin page that a scheduler is alive."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    heartbeat_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class JobRequest(Model):
    """A "run now" request from the admin page, picked up by the scheduler."""

    __tablename__ = "job_request"
    __table_args__ = (one_of("status", JOB_REQUEST_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    job: Mapped[str] = mapped_column(String(50))
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    requested_by: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow, index=True
    )
    picked_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scrape_run.id", ondelete="SET NULL"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text, default=None)

    run: Mapped[ScrapeRun | None] = relationship(default=None)
