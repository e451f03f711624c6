"""Plain records yielded by the roll-call vote parsers (House and Senate).

Frozen dataclasses only, like :mod:`scrapers.records`: no database or Flask
types.  Matching printed names to people and deciding whether a roll call is
verified happen elsewhere (:mod:`scrapers.names`, :mod:`scrapers.reconcile`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class VoteSummaryItem:
    """One bill listed by House ``Votes/GetVoteSummary`` (a bill with roll calls)."""

    bill_type: str  # HF, SF, ...
    number: int
    short_description: str


@dataclass(frozen=True)
class ParsedRollCall:
    """One roll call exactly as its source prints it.

    Identity (what ingest should match a re-scrape on): (bill_type, number,
    chamber, date, journal_page, amendment_id, motion); ``position`` only breaks
    ties between panels that share all of those.  Nothing is reconciled here:
    ``yes_names``/``no_names`` are the printed names in page order and may
    disagree with ``yeas``/``nays``; :func:`scrapers.reconcile.verify` decides.
    """

    bill_type: str
    number: int
    chamber: str  # vocab.HOUSE | vocab.SENATE
    date: dt.date | None  # House: the panel's date; Senate: given or the running head's
    motion: str  # House: last description line; Senate: "The question was taken on ..."
    description_lines: tuple[str, ...]
    amendment_id: str  # "" when none
    yeas: int  # the printed tally
    nays: int
    journal_page: str  # as printed ("745", "1798a"); "" when none
    yes_names: tuple[str, ...]
    no_names: tuple[str, ...]
    position: int  # 0-based index of the panel (House) / tally (Senate) on the page
    outcome: str | None  # Senate: the outcome sentence as printed; House: None
    source_url: str  # House Details page, or Senate journal PDF with "#page=N"


@dataclass(frozen=True)
class JournalPage:
    """Where a Senate journal page lives, from ``/api/journal/gotopage``."""

    filename: str  # "20250429041" (no ".pdf")
    biennium: str  # "2025-2026"
    internal_page: int  # 1-based page within the PDF
    pdf_url: str

    @property
    def page_range(self) -> tuple[int, int]:
        """1-based inclusive PDF pages to extract: the roll call can start a page early
        and run onto the next one (clamped later by ``extract_pages_text``)."""
        return max(1, self.internal_page - 1), self.internal_page + 1
