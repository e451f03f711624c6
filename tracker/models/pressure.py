"""Vote pressure: action alerts, their targets, member action tallies,
email subscribers and the outbox of messages to them.

No personal data is kept for a tally: ``TallyReceipt.browser`` is a keyed hash
of a random per-browser id (a signed cookie), only there so one browser counts
one action once.  Subscribers are an email address and districts, never a
street address.  ``OutboxMessage`` is unique per (alert, subscriber, kind) and
is claimed (``queued`` -> ``sending``) before it is handed to the SMTP server;
a message left in ``sending`` is never sent again (at-most-once delivery).
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS
from tracker.extensions import Model
from tracker.models.accounts import User
from tracker.models.bills import Bill
from tracker.models.committees import Committee, Hearing
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow, versioned
from tracker.models.legislature import Person
from tracker.models.votes import RollCall

ALERT_STATUSES = ("draft", "reviewed", "published", "closed")
ALERT_TARGETS = ("floor", "committee")
ASKS = ("yes", "no")
ACTION_KINDS = ("called", "emailed")
# "event" and "digest" are follow emails (tracker.follows): one event, or a digest period.
MESSAGE_KINDS = ("confirm", "alert", "followup", "event", "digest")
MESSAGE_STATUSES = ("queued", "sending", "sent", "failed")


def new_token_key() -> str:
    return secrets.token_hex(16)


class Alert(Model):
    """A call to action before a vote: who is targeted (a chamber's floor vote
    or a committee's members), what we ask (vote yes or no), the call script
    and email template.  Draft -> reviewed -> published (admins) -> closed."""

    __tablename__ = "alert"
    __table_args__ = (
        one_of("status", ALERT_STATUSES, "status"),
        one_of("target", ALERT_TARGETS, "target"),
        one_of("chamber", CHAMBERS, "chamber"),
        one_of("ask", ASKS, "ask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="RESTRICT"), index=True, default=None
    )
    title: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(10), default="floor")
    chamber: Mapped[str] = mapped_column(String(10))
    committee: Mapped[str] = mapped_column(String(200), default="")
    # A committee alert's committee (its members that day are the targets at publish),
    # and a hearing alert's hearing (``tracker.alerts.lifecycle``); ``committee`` keeps
    # the committee's name as the alert showed it.
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="SET NULL"), index=True, default=None
    )
    hearing_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearing.id", ondelete="SET NULL"), index=True, default=None
    )
    ask: Mapped[str] = mapped_column(String(3))
    summary: Mapped[str] = mapped_column(Text, default="")
    call_script: Mapped[str] = mapped_column(Text, default="")
    email_subject: Mapped[str] = mapped_column(String(200), default="")
    email_template: Mapped[str] = mapped_column(Text, default="")
    # title, summary, call script and email in other languages,
    # {"es": {"call_script": "..."}} (tracker.i18n.localized)
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=None)
    deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    roll_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("roll_call.id", ondelete="SET NULL"), index=True, default=None
    )
    closed_note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1, init=False)
    __mapper_args__ = versioned(version)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    alert_mail_queued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    followup_queued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)

    bill: Mapped[Bill] = relationship(default=None)
    roll_call: Mapped[RollCall | None] = relationship(default=None)
    target_committee: Mapped[Committee | None] = relationship(default=None)
    hearing: Mapped[Hearing | None] = relationship(default=None)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], default=None)
    targets: Mapped[list[AlertTarget]] = relationship(
        back_populates="alert",
        cascade="all, delete-orphan",
        order_by="AlertTarget.id",
        default_factory=list,
    )

    @property
    def is_public(self) -> bool:
        return self.status in ("published", "closed")

    def __repr__(self) -> str:
        return f"<Alert {self.public_id} {self.status}>"


class AlertTarget(Model):
    """A legislator an alert targets, with the seat as it was when targeted.
    Committee alerts list their members; floor alerts are filled on publish
    with everyone seated in the chamber."""

    __tablename__ = "alert_target"
    __table_args__ = (
        UniqueConstraint("alert_id", "person_id"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alert.id", ondelete="CASCADE"), index=True, default=None
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), index=True, default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(5))
    party: Mapped[str | None] = mapped_column(String(50), default=None)

    alert: Mapped[Alert] = relationship(back_populates="targets", default=None)
    person: Mapped[Person] = relationship(default=None)


class ActionTally(Model):
    """How many members said they called or emailed one legislator for one
    alert: a bare count, incremented atomically."""

    __tablename__ = "action_tally"
    __table_args__ = (
        UniqueConstraint("alert_id", "person_id", "kind"),
        one_of("kind", ACTION_KINDS, "kind"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )


class TallyReceipt(Model):
    """One browser counted one action once.  ``browser`` is an HMAC of a random
    cookie value: nothing about the member, only enough to refuse a repeat."""

    __tablename__ = "tally_receipt"
    __table_args__ = (
        UniqueConstraint("alert_id", "person_id", "kind", "browser"),
        one_of("kind", ACTION_KINDS, "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    browser: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )


class Subscriber(Model):
    """A member who asked for alert emails: the address and districts only.
    ``token_key`` is signed into confirmation and unsubscribe links."""

    __tablename__ = "subscriber"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    house_district: Mapped[str | None] = mapped_column(String(5), index=True, default=None)
    senate_district: Mapped[str | None] = mapped_column(String(5), index=True, default=None)
    token_key: Mapped[str] = mapped_column(
        String(32), insert_default=new_token_key, default_factory=new_token_key
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    confirm_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    bounced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    bounce_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # the language of the emails: the sign-up page's (tracker.i18n codes)
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    @property
    def active(self) -> bool:
        return (
            self.confirmed_at is not None
            and self.unsubscribed_at is None
            and self.bounced_at is None
        )


class OutboxMessage(Model):
    """One email to one subscriber, rendered when queued.  Claimed with
    ``queued`` -> ``sending`` (committed) before it goes to the SMTP server;
    only ``queued`` messages are ever claimed, so none is sent twice."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("alert_id", "subscriber_id", "kind"),
        one_of("kind", MESSAGE_KINDS, "kind"),
        one_of("status", MESSAGE_STATUSES, "status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alert.id", ondelete="CASCADE"), index=True, default=None
    )
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscriber.id", ondelete="CASCADE"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(String(10))
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str] = mapped_column(String(500))
    # Follow emails have no alert: unique per (subscriber, event) or (subscriber, digest
    # period) by this key instead (``tracker.follows.delivery``); empty for alert mail.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    alert: Mapped[Alert | None] = relationship(default=None)
    subscriber: Mapped[Subscriber] = relationship(default=None)
