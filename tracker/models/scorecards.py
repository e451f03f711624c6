"""Staff work: positions on bills, scorecards, their scored votes, published
versions (frozen), materialised scores and data-quality items.

Nothing here is ever hard-deleted, and ingest never writes to these tables.
Editable rows carry ``version`` for optimistic locking: an edit states the
version it started from and is refused when someone saved in between.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import Model
from tracker.models.accounts import User
from tracker.models.bills import Bill
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow, versioned
from tracker.models.legislature import LegislativeSession, Person
from tracker.models.votes import RollCall

POSITIONS = ("support", "oppose", "none")
ABSENCE_POLICIES = ("exclude", "count_unexcused", "count_all")
ALIGNED_OPTIONS = ("yes", "no")
DQ_STATUSES = ("open", "resolved")


def both_chambers() -> list[str]:
    """A new scorecard's chambers: a fresh list each time (the column is mutable JSON)."""
    return ["house", "senate"]


class BillPosition(Model):
    """The organization's position on a bill.  Staff edit the draft fields;
    an admin publishes, which copies them to the ``published_*`` fields that
    public pages and the API read."""

    __tablename__ = "bill_position"
    __table_args__ = (
        one_of("position", POSITIONS, "position"),
        one_of("published_position", POSITIONS, "published_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="RESTRICT"), unique=True, default=None
    )
    position: Mapped[str] = mapped_column(String(10), default="none")
    rationale: Mapped[str] = mapped_column(Text, default="")
    issue_areas: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    published_position: Mapped[str | None] = mapped_column(String(10), default=None)
    published_rationale: Mapped[str | None] = mapped_column(Text, default=None)
    published_issue_areas: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    # the rationale in other languages, {"es": {"rationale": "..."}} (tracker.i18n)
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=None)
    published_translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(
        JSON, default=None
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    version: Mapped[int] = mapped_column(default=1, init=False)
    __mapper_args__ = versioned(version)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    bill: Mapped[Bill] = relationship(default=None)

    @property
    def has_unpublished_changes(self) -> bool:
        return (self.position, self.rationale, self.issue_areas, self.translations or {}) != (
            self.published_position,
            self.published_rationale,
            self.published_issue_areas,
            self.published_translations or {},
        )


class Scorecard(Model):
    """A scorecard and its working draft.  Published versions are frozen in
    ``ScorecardVersion``; editing after publishing changes only the draft."""

    __tablename__ = "scorecard"
    __table_args__ = (
        one_of("absence_policy", ABSENCE_POLICIES, "absence_policy"),
        CheckConstraint("min_participation_pct BETWEEN 0 AND 100", name="min_participation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    chambers: Mapped[list[str]] = mapped_column(
        JSON, insert_default=both_chambers, default_factory=both_chambers
    )
    absence_policy: Mapped[str] = mapped_column(String(20), default="exclude")
    min_participation_pct: Mapped[int] = mapped_column(default=50)
    grade_bands: Mapped[list[list[Any]]] = mapped_column(
        JSON, insert_default=list, default_factory=list
    )
    show_sponsorship: Mapped[bool] = mapped_column(default=True)
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

    sessions: Mapped[list[LegislativeSession]] = relationship(
        secondary="scorecard_session", default_factory=list
    )
    votes: Mapped[list[ScorecardVote]] = relationship(
        back_populates="scorecard", order_by="ScorecardVote.id", default_factory=list
    )
    versions: Mapped[list[ScorecardVersion]] = relationship(
        back_populates="scorecard", order_by="ScorecardVersion.number", default_factory=list
    )


class ScorecardSession(Model):
    __tablename__ = "scorecard_session"

    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("legislative_session.id", ondelete="RESTRICT"), primary_key=True
    )


class ScorecardVote(Model):
    """A roll call scored on a scorecard's draft.  Removing it from the draft
    sets ``active`` false; rows are never deleted."""

    __tablename__ = "scorecard_vote"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "roll_call_id"),
        one_of("aligned", ALIGNED_OPTIONS, "aligned"),
        CheckConstraint("weight BETWEEN 1 AND 10", name="weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="RESTRICT"), index=True, default=None
    )
    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="RESTRICT"), index=True, default=None
    )
    aligned: Mapped[str] = mapped_column(String(3))
    weight: Mapped[int] = mapped_column(default=1)
    description: Mapped[str] = mapped_column(String(300), default="")
    # the description in other languages, {"es": {"description": "..."}} (tracker.i18n);
    # publishing freezes them into the frozen vote's facts["translations"]
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=None)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1, init=False)
    __mapper_args__ = versioned(version)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    scorecard: Mapped[Scorecard] = relationship(back_populates="votes", default=None)
    roll_call: Mapped[RollCall] = relationship(default=None)

    @property
    def key_vote(self) -> bool:
        return self.weight >= 2


class ScorecardVersion(Model):
    """A published version: the methodology, scored votes and member votes it
    was computed from, frozen.  ``changes`` is the public corrections log
    against the previous version."""

    __tablename__ = "scorecard_version"
    __table_args__ = (UniqueConstraint("scorecard_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="RESTRICT"), index=True, default=None
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    methodology: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[str]] = mapped_column(JSON, insert_default=list, default_factory=list)
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    scorecard: Mapped[Scorecard] = relationship(back_populates="versions", default=None)
    votes: Mapped[list[FrozenVote]] = relationship(
        back_populates="version", order_by="FrozenVote.position", default_factory=list
    )
    published_by: Mapped[User | None] = relationship(default=None)


class FrozenVote(Model):
    """A scored vote as published, with the roll call's facts at that time."""

    __tablename__ = "frozen_vote"
    __table_args__ = (UniqueConstraint("version_id", "roll_call_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_version.id", ondelete="RESTRICT"), index=True, default=None
    )
    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="RESTRICT"), default=None
    )
    position: Mapped[int]
    aligned: Mapped[str] = mapped_column(String(3))
    weight: Mapped[int]
    description: Mapped[str] = mapped_column(String(300))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)  # bill, date, motion, tally, source

    version: Mapped[ScorecardVersion] = relationship(back_populates="votes", default=None)
    roll_call: Mapped[RollCall] = relationship(default=None)


class FrozenMemberVote(Model):
    """How each legislator voted (or whether they were seated) on a scored
    roll call, as it stood when the version was published."""

    __tablename__ = "frozen_member_vote"
    __table_args__ = (
        UniqueConstraint("version_id", "roll_call_id", "person_id"),
        Index("ix_frozen_member_vote_person", "person_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_version.id", ondelete="RESTRICT"), index=True
    )
    roll_call_id: Mapped[int] = mapped_column(ForeignKey("roll_call.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    option: Mapped[str] = mapped_column(String(12))


FEATURED_CHAMBERS = ("all", "house", "senate")


class FeaturedScorecard(Model):
    """The published scorecard whose score is a legislator's headline (legislator
    page, /find, share tags, embeds): one choice for every chamber (``all``) and,
    optionally, one per chamber.  Chosen by admins; versioned and audited."""

    __tablename__ = "featured_scorecard"
    __table_args__ = (one_of("chamber", FEATURED_CHAMBERS, "chamber"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    chamber: Mapped[str] = mapped_column(String(10), unique=True)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), default=None
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    version: Mapped[int] = mapped_column(default=1, server_default="1", init=False)
    __mapper_args__ = versioned(version)

    scorecard: Mapped[Scorecard] = relationship(default=None)


DRAFT = 0  # LegislatorScoreRow.version_number of a scorecard's draft scores


class LegislatorScoreRow(Model):
    """A materialised score: for a published version (frozen), or for the
    draft (``version_id`` empty; recomputed after every change or ingest).
    The exact score is ``100 * aligned_weight / eligible_weight`` when
    ``has_score``."""

    __tablename__ = "legislator_score"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "version_number", "person_id"),
        Index("ix_legislator_score_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int]  # 0 = the draft
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    party: Mapped[str | None] = mapped_column(String(10), default=None)
    district: Mapped[str | None] = mapped_column(String(5), default=None)
    has_score: Mapped[bool]
    aligned_weight: Mapped[int]
    eligible_weight: Mapped[int]
    cast_weight: Mapped[int]
    possible_weight: Mapped[int]
    votes_cast: Mapped[int]
    votes_possible: Mapped[int]
    excused: Mapped[int]
    not_voting: Mapped[int]
    grade: Mapped[str | None] = mapped_column(String(5), default=None)
    computed_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    person: Mapped[Person] = relationship(default=None)


class DataQualityItem(Model):
    """Something that does not reconcile and needs a person: flagged, never guessed."""

    __tablename__ = "data_quality_item"
    __table_args__ = (
        one_of("status", DQ_STATUSES, "status"),
        Index("ix_data_quality_item_open", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    roll_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("roll_call.id", ondelete="SET NULL"), index=True, default=None
    )
    bill_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="SET NULL"), default=None
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    source_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
    version: Mapped[int] = mapped_column(default=1, server_default="1", init=False)
    __mapper_args__ = versioned(version)

    roll_call: Mapped[RollCall | None] = relationship(default=None)
    bill: Mapped[Bill | None] = relationship(default=None)
