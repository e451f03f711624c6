"""Committees, their members (with dates and provenance) and their hearings.

The membership rule (who sat on a committee on a day) reads
``CommitteeMembership.member_from``/``member_until`` and lives in
``tracker.committees``; the hearing schedule is kept by ``tracker.hearings``.
Committee roll calls are ``RollCall`` rows of kind ``committee`` (their
``committee_id`` and ``hearing_id`` point here).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.hearings import ROLES
from scrapers.vocab import BILL_TYPES, CHAMBERS
from tracker.extensions import Model
from tracker.models.bills import Bill
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow
from tracker.models.legislature import LegislativeSession, Person

# Where a committee, a membership or one of its bounds came from.
COMMITTEE_SOURCES = ("openstates", "house_page", "senate_page", "minutes", "schedule", "staff")
HEARING_CHANGES = ("moved", "room", "date", "cancelled", "reinstated", "missing", "back")


class Committee(Model):
    """A standing committee, division or commission of one chamber in one
    (regular) session.  ``source_id`` is the chamber's own id (House ``94003``,
    Senate ``cmte_id``); ``sources`` lists every source that named it."""

    __tablename__ = "committee"
    __table_args__ = (
        UniqueConstraint("session_id", "chamber", "name"),
        one_of("chamber", CHAMBERS, "chamber"),
        Index("ix_committee_chamber_source_id", "chamber", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="CASCADE"), index=True, default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[str | None] = mapped_column(String(20), default=None)
    source_ids: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    openstates_id: Mapped[str | None] = mapped_column(String(36), default=None)
    parent_name: Mapped[str | None] = mapped_column(String(300), default=None)
    other_names: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    sources: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    session: Mapped[LegislativeSession] = relationship(default=None)
    memberships: Mapped[list[CommitteeMembership]] = relationship(
        back_populates="committee",
        cascade="all, delete-orphan",
        order_by="CommitteeMembership.id",
        default_factory=list,
    )

    def __repr__(self) -> str:
        return f"<Committee {self.chamber} {self.name}>"


class CommitteeMembership(Model):
    """One continuous span of one member on one committee, with a role.

    ``member_key`` is ``person:<id>`` once the member is matched to a person,
    else ``name:<printed name key>``; ``sequence`` numbers a member's spans.
    ``member_from``/``member_until`` are the span the membership rule reads
    (``tracker.committees``), each with the source it came from; an unknown
    start is never counted (``member_from`` empty), an empty end is open."""

    __tablename__ = "committee_membership"
    __table_args__ = (
        UniqueConstraint("committee_id", "member_key", "sequence"),
        one_of("role", ROLES, "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committee.id", ondelete="CASCADE"), index=True, default=None
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True, default=None
    )
    member_key: Mapped[str] = mapped_column(String(220))
    sequence: Mapped[int] = mapped_column(default=0)
    printed_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30), default="member")
    role_text: Mapped[str] = mapped_column(String(100), default="")
    role_source: Mapped[str] = mapped_column(String(20))
    member_from: Mapped[dt.date | None] = mapped_column(default=None)
    member_from_source: Mapped[str | None] = mapped_column(String(20), default=None)
    member_until: Mapped[dt.date | None] = mapped_column(default=None)
    member_until_source: Mapped[str | None] = mapped_column(String(20), default=None)
    sources: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    # When a member list (Open States or a chamber page) last showed the member:
    # bookkeeping, read only to end the span when a later list leaves them out.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    committee: Mapped[Committee] = relationship(back_populates="memberships", default=None)
    person: Mapped[Person | None] = relationship(default=None)


class Hearing(Model):
    """A posted committee meeting.  Its identity is the schedule's ``source_key``
    (the Senate's hearing id, else a key of chamber, committee, date and the
    meeting's place among that committee's meetings that day), so a hearing that
    moves keeps its row.  A cancelled hearing is marked, never deleted; one that
    leaves the schedule unannounced is marked ``missing_from_source``."""

    __tablename__ = "hearing"
    __table_args__ = (
        one_of("chamber", CHAMBERS, "chamber"),
        Index("ix_hearing_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    source_key: Mapped[str] = mapped_column(String(100), unique=True)
    chamber: Mapped[str] = mapped_column(String(10))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="SET NULL"), index=True, default=None
    )
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="SET NULL"), index=True, default=None
    )
    committee_name: Mapped[str] = mapped_column(String(300))
    committee_source_id: Mapped[str | None] = mapped_column(String(20), default=None)
    date: Mapped[dt.date]
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    time_text: Mapped[str] = mapped_column(String(50), default="")
    time_note: Mapped[str] = mapped_column(String(300), default="")
    room: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    status_notes: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    joint: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)
    missing_from_source: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str] = mapped_column(String(500))
    minutes_url: Mapped[str | None] = mapped_column(String(500), default=None)
    minutes_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # when the minutes were last fetched (bookkeeping)
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    session: Mapped[LegislativeSession | None] = relationship(default=None)
    committee: Mapped[Committee | None] = relationship(default=None)
    bills: Mapped[list[HearingBill]] = relationship(
        back_populates="hearing",
        cascade="all, delete-orphan",
        order_by="HearingBill.position",
        default_factory=list,
    )
    documents: Mapped[list[HearingDocument]] = relationship(
        back_populates="hearing",
        cascade="all, delete-orphan",
        order_by="HearingDocument.position",
        default_factory=list,
    )
    changes: Mapped[list[HearingChange]] = relationship(
        back_populates="hearing",
        cascade="all, delete-orphan",
        order_by="HearingChange.id",
        default_factory=list,
    )

    @property
    def has_time(self) -> bool:
        return self.starts_at is not None

    def __repr__(self) -> str:
        return f"<Hearing {self.committee_name} {self.date}>"


class HearingBill(Model):
    """A bill on a hearing's agenda, in agenda order; ``bill_id`` once stored."""

    __tablename__ = "hearing_bill"
    __table_args__ = (
        UniqueConstraint("hearing_id", "bill_type", "number"),
        one_of("bill_type", BILL_TYPES, "bill_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True, default=None
    )
    position: Mapped[int]
    bill_type: Mapped[str] = mapped_column(String(2))
    number: Mapped[int]
    bill_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="SET NULL"), index=True, default=None
    )

    hearing: Mapped[Hearing] = relationship(back_populates="bills", default=None)
    bill: Mapped[Bill | None] = relationship(default=None)

    @property
    def label(self) -> str:
        return f"{self.bill_type} {self.number}"


class HearingDocument(Model):
    """A document linked from a hearing (amendments, fiscal notes, minutes)."""

    __tablename__ = "hearing_document"
    __table_args__ = (UniqueConstraint("hearing_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True, default=None
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))

    hearing: Mapped[Hearing] = relationship(back_populates="documents", default=None)


class HearingChange(Model):
    """A change to a hearing seen by a scrape: moved (time), room, date,
    cancelled, reinstated, missing from the schedule, back on it."""

    __tablename__ = "hearing_change"
    __table_args__ = (one_of("kind", HEARING_CHANGES, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(String(12))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    seen_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    hearing: Mapped[Hearing] = relationship(back_populates="changes", default=None)
