"""Plain records yielded by the scrapers and stored by ``tracker.ingest``.

Frozen dataclasses only: no behaviour beyond small derived properties, no
database or Flask types.  Natural keys are noted on each record; ingest upserts
on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SessionRecord:
    """A legislative session.  Natural key: ``identifier`` (``2025-2026``, ``2025s1``)."""

    identifier: str
    revisor_code: str  # 7 characters: special number, legislature, year (``0942025``)
    name: str
    legislature: int  # 94
    year: int  # first year of the session (2025)
    special_number: int = 0  # 0 for a regular session
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    house_vote_key: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class TermRecord:
    """One seat held for a span of time.  Dates may be missing in the source."""

    chamber: str  # vocab.HOUSE | vocab.SENATE
    district: str  # "62A" for the House, "50" for the Senate (no zero padding)
    party: str | None
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass(frozen=True)
class PersonRecord:
    """A legislator.  Natural keys, in order: ``openstates_id``, then chamber member ids."""

    name: str
    given_name: str | None = None
    family_name: str | None = None
    openstates_id: str | None = None  # the UUID part of ``ocd-person/<uuid>``
    house_member_id: str | None = None  # LEGISLATOR_KEY / house.mn.gov profile id
    senate_member_id: str | None = None  # senate.mn mem_id
    email: str | None = None
    phone: str | None = None
    office_address: str | None = None
    profile_url: str | None = None
    photo_url: str | None = None
    other_names: tuple[str, ...] = ()  # printed forms such as "Gomez, A."
    terms: tuple[TermRecord, ...] = ()
    source_url: str | None = None
    lrl_id: str | None = None  # Legislative Reference Library record id


@dataclass(frozen=True)
class BillSearchResult:
    """One row of the Revisor search listing (the cheap layer of an incremental run)."""

    bill_type: str  # HF, SF, ...
    number: int
    description: str
    status_xml_url: str  # absolute, scheme added
    latest_text_url: str | None = None


@dataclass(frozen=True)
class AuthorRecord:
    chamber: str
    printed_name: str  # MEMBER_NAME, e.g. "Johnson, P."
    member_id: str | None  # LEGISLATOR_KEY
    chief: bool
    position: int  # 1-based order within the chamber's list


@dataclass(frozen=True)
class ActionRecord:
    """One bill action.  Natural key within a bill: (chamber, number)."""

    chamber: str
    number: int  # ACTION_NUMBER order within the chamber
    date: dt.date | None  # empty in the source -> None, never invented
    text: str
    description: str | None = None
    journal_page: str | None = None  # kept as text: "1798a"
    committee: str | None = None
    roll_call: str | None = None  # the tally text as printed, "35-30"
    yeas: int | None = None
    nays: int | None = None
    classification: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextVersionRecord:
    name: str
    html_url: str | None
    pdf_url: str | None
    date: dt.date | None
    engrossment: int | None


@dataclass(frozen=True)
class BillRecord:
    """A bill with everything its status document says.

    Natural key: (session identifier, bill_type, number); special sessions
    renumber bills from 1, so the session is part of the key.
    """

    session: str
    bill_type: str
    number: int
    title: str
    status: str  # vocab.BILL_STATUSES
    source_url: str
    revisor_number: str | None = None
    companion_type: str | None = None
    companion_number: int | None = None
    authors: tuple[AuthorRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    versions: tuple[TextVersionRecord, ...] = ()
    content_hash: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.bill_type}{self.number}"
