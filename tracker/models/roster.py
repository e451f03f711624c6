"""The record's own roster: each journal day's roll, member by member, and the
staff decisions that settle sources that disagree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS
from tracker.extensions import Model
from tracker.models.common import UTCDateTime, one_of, utcnow, versioned
from tracker.models.legislature import Person, Term

ROLL_STATUSES = ("present", "excused", "excused_until")
# How a printed roll name was resolved (README "Roster"): a staff mapping; a
# member the roster sources place in the seat that day; a member they do not
# exclude; a member whose recorded term misses the day by a few days (the
# sources disagree: a data-quality item is opened); the first day's roll by
# district.
ROLL_BASES = ("mapping", "seated", "possible", "near", "district")
CONFIRMATION_KINDS = ("bound", "seat_holder")
BOUNDS = ("start", "end")


class JournalRoll(Model):
    """The roll that opens one journal day of one chamber (House: present and
    excused; Senate: present)."""

    __tablename__ = "journal_roll"
    __table_args__ = (UniqueConstraint("chamber", "day"), one_of("chamber", CHAMBERS, "chamber"))

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    chamber: Mapped[str] = mapped_column(String(10))
    day: Mapped[dt.date]
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="SET NULL"), index=True, default=None
    )
    source_url: Mapped[str] = mapped_column(String(500))
    # "All members not present were excused by the Speaker." (House)
    all_absent_excused: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    entries: Mapped[list[JournalRollEntry]] = relationship(
        back_populates="roll",
        cascade="all, delete-orphan",
        order_by="JournalRollEntry.position",
        default_factory=list,
    )


class JournalRollEntry(Model):
    """One printed name of a journal roll and the one person it resolves to (or why not)."""

    __tablename__ = "journal_roll_entry"
    __table_args__ = (
        UniqueConstraint("roll_id", "position"),
        one_of("status", ROLL_STATUSES, "status"),
        Index("ix_journal_roll_entry_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    roll_id: Mapped[int] = mapped_column(
        ForeignKey("journal_roll.id", ondelete="CASCADE"), index=True, default=None
    )
    position: Mapped[int]
    printed_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(15))
    # the first day's roll by district
    district: Mapped[str | None] = mapped_column(String(5), default=None)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    term_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="SET NULL"), default=None
    )
    basis: Mapped[str | None] = mapped_column(String(10), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)

    roll: Mapped[JournalRoll] = relationship(back_populates="entries", default=None)
    person: Mapped[Person | None] = relationship(default=None)
    term: Mapped[Term | None] = relationship(default=None)


class RosterConfirmation(Model):
    """A staff decision between roster sources that disagree, remembered so
    later rebuilds keep it: which date bounds a term (``bound``), or who held a
    seat on a day (``seat_holder``).  Edits are versioned and audited."""

    __tablename__ = "roster_confirmation"
    __table_args__ = (
        one_of("kind", CONFIRMATION_KINDS, "kind"),
        UniqueConstraint("kind", "term_id", "bound", "chamber", "district", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    kind: Mapped[str] = mapped_column(String(12))
    term_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="CASCADE"), default=None
    )
    bound: Mapped[str | None] = mapped_column(String(5), default=None)
    chamber: Mapped[str | None] = mapped_column(String(10), default=None)
    district: Mapped[str | None] = mapped_column(String(5), default=None)
    # the chosen bound, or the day of the seat
    day: Mapped[dt.date | None] = mapped_column(default=None)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), default=None
    )
    source: Mapped[str] = mapped_column(String(20))  # the source staff found right
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1, init=False)
    __mapper_args__ = versioned(version)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    term: Mapped[Term | None] = relationship(default=None)
    person: Mapped[Person | None] = relationship(default=None)


BACKFILL_STATUSES = ("pending", "running", "done", "partial", "failed", "skipped")


class BackfillStep(Model):
    """One step of ``tracker backfill`` for one session, so an interrupted
    backfill resumes where it stopped."""

    __tablename__ = "backfill_step"
    __table_args__ = (
        UniqueConstraint("session_identifier", "step"),
        one_of("status", BACKFILL_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    session_identifier: Mapped[str] = mapped_column(String(20))
    step: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scrape_run.id", ondelete="SET NULL"), default=None
    )
    detail: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)


__all__ = [
    "BACKFILL_STATUSES",
    "BOUNDS",
    "CONFIRMATION_KINDS",
    "ROLL_BASES",
    "ROLL_STATUSES",
    "BackfillStep",
    "JournalRoll",
    "JournalRollEntry",
    "RosterConfirmation",
]
