"""Bills, their authors and their actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import BILL_STATUSES, BILL_TYPES, CHAMBERS
from tracker.extensions import Model
from tracker.models.common import UTCDateTime, one_of, utcnow
from tracker.models.legislature import LegislativeSession, Person


class Bill(Model):
    """A bill or resolution.  Unique on session + type + number, because special
    sessions number their bills from 1 again."""

    __tablename__ = "bill"
    __table_args__ = (
        UniqueConstraint("session_id", "bill_type", "number"),
        one_of("bill_type", BILL_TYPES, "bill_type"),
        one_of("status", BILL_STATUSES, "status"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="CASCADE"), index=True, default=None
    )
    bill_type: Mapped[str] = mapped_column(String(2))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), default="introduced")
    revisor_number: Mapped[str | None] = mapped_column(String(20), default=None)
    companion_type: Mapped[str | None] = mapped_column(String(2), default=None)
    companion_number: Mapped[int | None] = mapped_column(default=None)
    companion_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="SET NULL"), index=True, default=None
    )
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    listing_description: Mapped[str | None] = mapped_column(Text, default=None)
    # the title and authors' names in search form (tracker.search keeps it current)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", init=False)
    missing_from_source: Mapped[bool] = mapped_column(default=False)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    session: Mapped[LegislativeSession] = relationship(back_populates="bills", default=None)
    companion: Mapped[Bill | None] = relationship(remote_side=[id], default=None)
    authors: Mapped[list[Authorship]] = relationship(
        back_populates="bill",
        cascade="all, delete-orphan",
        order_by="(Authorship.chamber, Authorship.position)",
        default_factory=list,
    )
    actions: Mapped[list[BillAction]] = relationship(
        back_populates="bill",
        cascade="all, delete-orphan",
        order_by="(BillAction.chamber, BillAction.number)",
        default_factory=list,
    )

    @property
    def key(self) -> str:
        """``HF2136``: type and number, the form used in URLs."""
        return f"{self.bill_type}{self.number}"

    @property
    def label(self) -> str:
        """``HF 2136``: the form used in text."""
        return f"{self.bill_type} {self.number}"

    def __repr__(self) -> str:
        return f"<Bill {self.label}>"


class Authorship(Model):
    """An author of a bill in one chamber; position 1 is the chief author.
    ``person_id`` is empty until the printed name is matched to a person."""

    __tablename__ = "authorship"
    __table_args__ = (
        UniqueConstraint("bill_id", "chamber", "position"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), index=True, default=None
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    printed_name: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[str | None] = mapped_column(String(20), default=None)
    chamber: Mapped[str] = mapped_column(String(10))
    chief: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int]
    missing_from_source: Mapped[bool] = mapped_column(default=False)

    bill: Mapped[Bill] = relationship(back_populates="authors", default=None)
    person: Mapped[Person | None] = relationship(default=None)


class BillAction(Model):
    """One action in a chamber's list, in source order.  The date may be empty
    and the journal page may carry a letter (``1798a``)."""

    __tablename__ = "bill_action"
    __table_args__ = (
        UniqueConstraint("bill_id", "chamber", "number"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), index=True, default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    date: Mapped[dt.date | None] = mapped_column(default=None)
    text: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    journal_page: Mapped[str | None] = mapped_column(String(20), default=None)
    committee: Mapped[str | None] = mapped_column(String(300), default=None)
    roll_call_text: Mapped[str | None] = mapped_column(String(20), default=None)
    yeas: Mapped[int | None] = mapped_column(default=None)
    nays: Mapped[int | None] = mapped_column(default=None)
    classification: Mapped[str | None] = mapped_column(String(200), default=None)
    missing_from_source: Mapped[bool] = mapped_column(default=False)

    bill: Mapped[Bill] = relationship(back_populates="actions", default=None)
