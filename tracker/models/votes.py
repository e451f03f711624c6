"""Roll calls and how each member voted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS, VOTE_OPTIONS
from tracker.extensions import Model
from tracker.models.bills import Bill, BillAction
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow, versioned
from tracker.models.legislature import Person

COMMITTEE = "committee"  # RollCall.kind of a committee's roll call (from its minutes)


class RollCall(Model):
    """A recorded floor vote.  Its identity is (bill, chamber, date, journal page,
    amendment id, motion); ``sequence`` only breaks ties between panels that
    share all of those.  ``verified`` is set only when the member lists equal
    the tallies and every printed name resolved to one seated person."""

    __tablename__ = "roll_call"
    __table_args__ = (
        UniqueConstraint(
            "bill_id", "chamber", "date", "journal_page", "amendment_id", "motion", "sequence"
        ),
        one_of("chamber", CHAMBERS, "chamber"),
        CheckConstraint("yeas >= 0 AND nays >= 0", name="tally_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="CASCADE"), index=True, default=None
    )
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill_action.id", ondelete="SET NULL"), index=True, default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date]
    motion: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30), default="passage")
    amendment_id: Mapped[str] = mapped_column(String(50), default="")
    journal_page: Mapped[str] = mapped_column(String(20), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    yeas: Mapped[int]
    nays: Mapped[int]
    outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    verified: Mapped[bool] = mapped_column(default=False)
    verification_note: Mapped[str | None] = mapped_column(Text, default=None)
    # Set when staff verified the roll call by hand; the written reason is
    # ``verification_note``, shown publicly beside the vote.
    verified_by_hand: Mapped[bool] = mapped_column(default=False)
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    # A committee roll call (kind "committee", from the minutes: tracker.committee_votes):
    # its committee, its hearing, and its place among the minutes' roll calls.
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee.id", ondelete="SET NULL"), index=True, default=None
    )
    hearing_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearing.id", ondelete="SET NULL"), index=True, default=None
    )
    source_position: Mapped[int | None] = mapped_column(default=None)

    bill: Mapped[Bill] = relationship(default=None)
    action: Mapped[BillAction | None] = relationship(default=None)
    member_votes: Mapped[list[MemberVote]] = relationship(
        back_populates="roll_call", cascade="all, delete-orphan", default_factory=list
    )


class MemberVote(Model):
    """How one member voted on one roll call.  ``printed_name`` is the name as
    the source printed it; ``person_id`` is empty while it is unmatched."""

    __tablename__ = "member_vote"
    __table_args__ = (
        UniqueConstraint("roll_call_id", "person_id"),
        one_of("option", VOTE_OPTIONS, "option"),
        CheckConstraint(
            "person_id IS NOT NULL OR printed_name IS NOT NULL", name="person_or_printed_name"
        ),
        Index("ix_member_vote_person_roll_call", "person_id", "roll_call_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), index=True, default=None
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), default=None
    )
    printed_name: Mapped[str | None] = mapped_column(String(200), default=None)
    option: Mapped[str] = mapped_column(String(12))

    roll_call: Mapped[RollCall] = relationship(back_populates="member_votes", default=None)
    person: Mapped[Person | None] = relationship(default=None)


class NameMapping(Model):
    """A printed name that staff mapped to a person, remembered for later
    vote pages: (chamber, printed name) -> person, optionally limited to a session."""

    __tablename__ = "name_mapping"
    __table_args__ = (
        UniqueConstraint("chamber", "printed_name", "session_id"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    chamber: Mapped[str] = mapped_column(String(10))
    printed_name: Mapped[str] = mapped_column(String(200))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="CASCADE"), default=None
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), default=None
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    version: Mapped[int] = mapped_column(default=1, server_default="1", init=False)
    __mapper_args__ = versioned(version)

    person: Mapped[Person] = relationship(default=None)


class ChamberSessionData(Model):
    """What the vote data of one chamber in one session supports, so the
    methodology can say so: whether excused absences are recorded per vote."""

    __tablename__ = "chamber_session_data"
    __table_args__ = (
        UniqueConstraint("session_id", "chamber"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="CASCADE")
    )
    chamber: Mapped[str] = mapped_column(String(10))
    excused_recorded: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
