"""Bookkeeping of scrape runs and their per-item errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Model
from tracker.models.common import UTCDateTime, one_of, utcnow

# "abandoned": left "running" by a process that died (found by the next run).
RUN_STATUSES = ("running", "succeeded", "partial", "failed", "abandoned")


class ScrapeRun(Model):
    __tablename__ = "scrape_run"
    __table_args__ = (one_of("status", RUN_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    job: Mapped[str] = mapped_column(String(50), index=True)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    triggered_by: Mapped[str] = mapped_column(String(254), default="cli")
    status: Mapped[str] = mapped_column(String(10), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow, index=True
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    fetched: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # Who runs it, so the next run can tell a live run from one whose process died.
    host: Mapped[str | None] = mapped_column(String(100), default=None)
    pid: Mapped[int | None] = mapped_column(default=None)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)

    errors: Mapped[list[ScrapeError]] = relationship(
        back_populates="run",
        cascade="all, delete-orphan",
        order_by="ScrapeError.id",
        default_factory=list,
    )

    def summary(self) -> str:
        return (
            f"{self.job}: fetched {self.fetched}, new {self.new}, changed {self.changed}, "
            f"unchanged {self.unchanged}, failed {self.failed}"
        )


class ScrapeError(Model):
    """One item that failed in a run: what, where, and why."""

    __tablename__ = "scrape_error"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("scrape_run.id", ondelete="CASCADE"), index=True, default=None
    )
    item: Mapped[str | None] = mapped_column(String(200), default=None)
    url: Mapped[str | None] = mapped_column(String(1000), default=None)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    run: Mapped[ScrapeRun] = relationship(back_populates="errors", default=None)


class DataVersion(Model):
    """One row: the version of everything pages show (``tracker.dataversion``)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    number: Mapped[int] = mapped_column(default=0)
