"""Follows: a member following a bill, a legislator or a district by email, and
what is announced to them.

A follower is a :class:`~tracker.models.pressure.Subscriber` (the address, as for
action alerts); each :class:`Follow` names one thing and how often to write
(as it happens, a daily or a weekly digest), and takes effect only once the
confirmation link is followed (double opt-in).  :class:`FollowEvent` rows are
the things worth telling, found by a scan of what the scrapers and staff stored
(``tracker.follows.events``), each stored once under a unique ``key``.  The
scan's watermarks live in :class:`FollowState`, the last status seen of each
bill in :class:`FollowBillStatus`, and each digest period built in
:class:`FollowDigest`.  Emails go through the outbox (``OutboxMessage``), unique
per (subscriber, event) or (subscriber, digest period) by ``dedupe_key``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS
from tracker.extensions import Model
from tracker.models.bills import Bill
from tracker.models.common import UTCDateTime, one_of, utcnow
from tracker.models.legislature import Person
from tracker.models.pressure import Subscriber

FOLLOW_KINDS = ("bill", "legislator", "district")
FREQUENCIES = ("immediate", "daily", "weekly")
DIGEST_FREQUENCIES = ("daily", "weekly")
FOLLOW_STATUSES = ("pending", "active", "stopped")
EVENT_KINDS = ("status", "hearing", "hearing_change", "roll_call", "score", "alert")


class Follow(Model):
    """One thing one subscriber follows.  ``target_key`` names it the way events
    are matched (``bill:12``, ``person:34``, ``district:house:62A``); pending until
    confirmed, stopped when unfollowed (kept, so following again is one row)."""

    __tablename__ = "follow"
    __table_args__ = (
        UniqueConstraint("subscriber_id", "target_key"),
        one_of("kind", FOLLOW_KINDS, "kind"),
        one_of("frequency", FREQUENCIES, "frequency"),
        one_of("status", FOLLOW_STATUSES, "status"),
        one_of("chamber", CHAMBERS, "chamber"),
        Index("ix_follow_target_status", "target_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscriber.id", ondelete="CASCADE"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(String(10))
    target_key: Mapped[str] = mapped_column(String(40))
    bill_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), index=True, default=None
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, default=None
    )
    chamber: Mapped[str | None] = mapped_column(String(10), default=None)  # a district's chamber
    district: Mapped[str | None] = mapped_column(String(5), default=None)
    frequency: Mapped[str] = mapped_column(String(10), default="immediate")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    confirm_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)

    subscriber: Mapped[Subscriber] = relationship(default=None)
    bill: Mapped[Bill | None] = relationship(default=None)
    person: Mapped[Person | None] = relationship(default=None)


class FollowEvent(Model):
    """Something followers are told, stored once (``key``).  ``backfill`` marks the
    events the first scan found in the recent past: shown in feeds, never mailed."""

    __tablename__ = "follow_event"
    __table_args__ = (
        one_of("kind", EVENT_KINDS, "kind"),
        Index("ix_follow_event_found_at", "found_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    bill_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), index=True, default=None
    )
    roll_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), index=True, default=None
    )
    hearing_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearing.id", ondelete="CASCADE"), index=True, default=None
    )
    hearing_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearing_change.id", ondelete="CASCADE"), default=None
    )
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("scorecard_version.id", ondelete="CASCADE"), index=True, default=None
    )
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert.id", ondelete="CASCADE"), index=True, default=None
    )
    happened_on: Mapped[dt.date]
    found_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    backfill: Mapped[bool] = mapped_column(default=False)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class FollowBillStatus(Model):
    """The status of each bill as the event scan last saw it (a change is an event)."""

    __tablename__ = "follow_bill_status"

    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(30))


class FollowState(Model):
    """A watermark of the event scan and delivery, by name."""

    __tablename__ = "follow_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int | None] = mapped_column(default=None)
    moment: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    day: Mapped[dt.date | None] = mapped_column(default=None)


class FollowDigest(Model):
    """A digest period whose emails were queued (daily or weekly, by the local day
    it ends on)."""

    __tablename__ = "follow_digest"
    __table_args__ = (
        UniqueConstraint("frequency", "period_end"),
        one_of("frequency", DIGEST_FREQUENCIES, "frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    frequency: Mapped[str] = mapped_column(String(10))
    period_end: Mapped[dt.date]
    built_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    messages: Mapped[int] = mapped_column(default=0)
