"""Sessions, people, their printed name forms and their terms of office."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scrapers.vocab import CHAMBERS
from tracker.extensions import db
from tracker.models.common import UTCDateTime, new_public_id, one_of, utcnow

if TYPE_CHECKING:
    from tracker.models.bills import Bill


class LegislativeSession(db.Model):  # type: ignore[name-defined,misc]
    """A regular or special session.  ``identifier`` is the public short id
    (``2025-2026``, ``2025s1``) used in URLs and on the command line."""

    __tablename__ = "legislative_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(20), unique=True)
    revisor_code: Mapped[str] = mapped_column(String(7), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legislature: Mapped[int]
    year: Mapped[int]
    special_number: Mapped[int] = mapped_column(default=0)
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    house_vote_key: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str | None] = mapped_column(String(500))
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bills: Mapped[list[Bill]] = relationship(back_populates="session", passive_deletes=True)

    @property
    def is_special(self) -> bool:
        return self.special_number > 0

    def __repr__(self) -> str:
        return f"<LegislativeSession {self.identifier}>"


class Person(db.Model):  # type: ignore[name-defined,misc]
    """A legislator, current or former.  ``public_id`` is the Open States person
    UUID where known, else a generated UUID; it is the id used in URLs."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    openstates_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    house_member_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    senate_member_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(100))
    family_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    office_address: Mapped[str | None] = mapped_column(String(300))
    profile_url: Mapped[str | None] = mapped_column(String(500))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    photo_path: Mapped[str | None] = mapped_column(String(300))
    is_demo: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str | None] = mapped_column(String(500))
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    terms: Mapped[list[Term]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Term.start_date"
    )
    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Person {self.name}>"


class PersonName(db.Model):  # type: ignore[name-defined,misc]
    """A printed form of a person's name (``Johnson, P.``) used to match vote
    pages and author lists.  ``chamber`` limits where the form applies."""

    __tablename__ = "person_name"
    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(50), default="openstates")

    person: Mapped[Person] = relationship(back_populates="names")


class Term(db.Model):  # type: ignore[name-defined,misc]
    """A seat held: chamber, district, party, and dates (either may be unknown)."""

    __tablename__ = "term"
    __table_args__ = (
        UniqueConstraint("person_id", "chamber", "district", "start_date"),
        one_of("chamber", CHAMBERS, "chamber"),
        Index("ix_term_chamber_district", "chamber", "district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    chamber: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(5))
    party: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]

    person: Mapped[Person] = relationship(back_populates="terms")

    def covers(self, day: dt.date) -> bool:
        """Whether the term is known to include ``day`` (unknown bounds do not count)."""
        if self.start_date is None or self.start_date > day:
            return False
        return self.end_date is None or day <= self.end_date
