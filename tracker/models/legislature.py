"""Sessions, people, their printed name forms and their terms of office."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS
from tracker.extensions import Model
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow

if TYPE_CHECKING:
    from tracker.models.bills import Bill


class LegislativeSession(Model):
    """A regular or special session.  ``identifier`` is the public short id
    (``2025-2026``, ``2025s1``) used in URLs and on the command line."""

    __tablename__ = "legislative_session"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    identifier: Mapped[str] = mapped_column(String(20), unique=True)
    revisor_code: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legislature: Mapped[int]
    year: Mapped[int]
    special_number: Mapped[int] = mapped_column(default=0)
    start_date: Mapped[dt.date | None] = mapped_column(default=None)
    end_date: Mapped[dt.date | None] = mapped_column(default=None)
    house_vote_key: Mapped[str | None] = mapped_column(String(20), default=None)
    is_demo: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    bills: Mapped[list[Bill]] = relationship(
        back_populates="session", passive_deletes=True, default_factory=list
    )

    @property
    def is_special(self) -> bool:
        return self.special_number > 0

    def __repr__(self) -> str:
        return f"<LegislativeSession {self.identifier}>"


class Person(Model):
    """A legislator, current or former.  ``public_id`` is the Open States person
    UUID where known, else a generated UUID; it is the id used in URLs."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    public_id: Mapped[str] = mapped_column(
        String(36), unique=True, insert_default=new_public_id, default_factory=new_public_id
    )
    openstates_id: Mapped[str | None] = mapped_column(String(36), unique=True, default=None)
    house_member_id: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    senate_member_id: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    lrl_id: Mapped[str | None] = mapped_column(String(20), unique=True, default=None)
    name: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(100), default=None)
    family_name: Mapped[str | None] = mapped_column(String(100), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    office_address: Mapped[str | None] = mapped_column(String(300), default=None)
    profile_url: Mapped[str | None] = mapped_column(String(500), default=None)
    photo_url: Mapped[str | None] = mapped_column(String(500), default=None)
    photo_path: Mapped[str | None] = mapped_column(String(300), default=None)
    is_demo: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    terms: Mapped[list[Term]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="Term.start_date",
        default_factory=list,
    )
    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", default_factory=list
    )

    def __repr__(self) -> str:
        return f"<Person {self.name}>"


class PersonName(Model):
    """A printed form of a person's name (``Johnson, P.``) used to match vote
    pages and author lists.  ``chamber`` limits where the form applies."""

    __tablename__ = "person_name"
    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(50), default="openstates")

    person: Mapped[Person] = relationship(back_populates="names", default=None)


# Where a term's effective bound came from (``Term.held_from_source`` / ``held_until_source``).
BOUND_SOURCES = ("openstates", "lrl", "member_list", "journal_roll", "staff", "demo", "next_term")
# How sure: stated by the source, the first/last day the record shows the member
# seated (the real bound is at least that wide), confirmed by staff, or inferred
# from the same person's next term.
BOUND_BASES = ("recorded", "seen", "confirmed", "next_term")


class Term(Model):
    """A seat held: chamber, district, party, and dates.

    ``start_date``/``end_date`` are what the roster sources (Open States, the
    chamber rosters) say, either possibly unknown; they identify the term on
    re-import.  ``held_from``/``held_until`` are the effective bounds the seat
    rule uses (``tracker.seats``), derived from every source with the record
    first (``tracker.roster``), each with its source and basis."""

    __tablename__ = "term"
    __table_args__ = (
        UniqueConstraint("person_id", "chamber", "district", "start_date"),
        one_of("chamber", CHAMBERS, "chamber"),
        Index("ix_term_chamber_district", "chamber", "district"),
        Index("ix_term_chamber_held", "chamber", "held_from", "held_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, default=None
    )
    chamber: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(5))
    party: Mapped[str | None] = mapped_column(String(50), default=None)
    start_date: Mapped[dt.date | None] = mapped_column(default=None)
    end_date: Mapped[dt.date | None] = mapped_column(default=None)
    held_from: Mapped[dt.date | None] = mapped_column(default=None)
    held_from_source: Mapped[str | None] = mapped_column(String(20), default=None)
    held_from_basis: Mapped[str | None] = mapped_column(String(10), default=None)
    held_until: Mapped[dt.date | None] = mapped_column(default=None)
    held_until_source: Mapped[str | None] = mapped_column(String(20), default=None)
    held_until_basis: Mapped[str | None] = mapped_column(String(10), default=None)

    person: Mapped[Person] = relationship(back_populates="terms", default=None)
    evidence: Mapped[list[TermEvidence]] = relationship(
        back_populates="term",
        cascade="all, delete-orphan",
        order_by="TermEvidence.id",
        default_factory=list,
    )

    @hybrid_method
    def held_on(self, day: dt.date) -> bool:
        """Whether the seat rule (``tracker.seats``) counts this term as held on ``day``."""
        from tracker import seats

        return seats.term_held_on(self, day)

    # ``held_on.expression``, not ``held_on.inplace.expression``: the same object (a
    # hybrid_method's ``inplace`` returns itself), but mypy 2 types ``inplace`` as the
    # bound method.
    @held_on.expression
    @classmethod
    def _held_on_expression(cls, day: dt.date) -> ColumnElement[bool]:
        from tracker import seats

        return seats.held_on_clause(cls, day)


EVIDENCE_KINDS = ("start", "end", "seen")


class TermEvidence(Model):
    """A roster source's statement about a term other than Open States' own
    dates: a start or end date (the Legislative Reference Library), or that the
    member held the seat on a day (a chamber's member list fetched that day).
    Journal rolls are kept in ``journal_roll_entry`` instead."""

    __tablename__ = "term_evidence"
    __table_args__ = (
        UniqueConstraint("term_id", "source", "kind", "day"),
        one_of("kind", EVIDENCE_KINDS, "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    term_id: Mapped[int] = mapped_column(
        ForeignKey("term.id", ondelete="CASCADE"), index=True, default=None
    )
    source: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(5))
    day: Mapped[dt.date]
    source_url: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    term: Mapped[Term] = relationship(back_populates="evidence", default=None)
