"""Journal day rolls: fetch the journal of a day, read the roll that opens it,
and store it (``tracker.roster.store_roll`` resolves the names and derives the
roster from it).

* House: ``POST /Votes/GetPage`` with a journal page redirects to the House
  Journal HTML of that day (``cco/journals/2025-26/J{MMDD}{day}.htm``); the
  roll is "The roll was called and the following members were present: ..."
  and the excusal sentences after it (:func:`scrapers.house_journal.parse_excused`).
* Senate: each day's journal is one PDF (``journals/2025-2026/20250429041.pdf``,
  found through ``/api/journal/gotopage``); the roll opens its first pages
  (:func:`scrapers.senate_journal.parse_day_roll`).

A journal that cannot be fetched or read is recorded on the run and changes
nothing stored; a roll already stored for that day is not fetched again
(unless ``refresh``).
"""

from __future__ import annotations

import datetime as dt
import re

from scrapers import house_journal, senate_journal, vocab
from scrapers.http import FetchError, HttpClient
from scrapers.parsing import ParseError
from scrapers.sources import Sources
from tracker import roster
from tracker.models import JournalRoll
from tracker.runs import Production, Run

SENATE_ROLL_PAGES = 3  # the roll opens a day's PDF; it may run onto the next page


def house_entries(parsed: house_journal.JournalAttendance) -> list[roster.PrintedEntry]:
    """A House Journal day's roll as printed entries: the first day's roll by
    district, else the members present, then those excused for the day, then
    those excused until a time."""
    entries = [
        roster.PrintedEntry(name, "present", district) for district, name in parsed.districts
    ]
    seen = {e.printed for e in entries}
    for status, names in (
        ("present", parsed.present),
        ("excused", parsed.excused),
        ("excused_until", parsed.excused_until),
    ):
        for name in names:
            if name not in seen:
                seen.add(name)
                entries.append(roster.PrintedEntry(name, status))
    return entries


def senate_entries(parsed: senate_journal.SenateRoll) -> list[roster.PrintedEntry]:
    names = list(dict.fromkeys([*parsed.present, *parsed.remote]))
    return [roster.PrintedEntry(name, "present") for name in names]


def journal_file_date(url: str, year: int) -> dt.date | None:
    """The day in a House Journal file name (``J0509068.htm``, ``J022625CAL.htm``)."""
    match = re.search(r"/J(\d{2})(\d{2})\d*(?:CAL)?\.htm", url, re.I)
    if not match:
        return None
    try:
        return dt.date(year, int(match.group(1)), int(match.group(2)))
    except ValueError:
        return None


def senate_file_date(url: str) -> dt.date | None:
    """The day in a Senate Journal file name (``20250429041.pdf``)."""
    match = re.search(r"/(\d{4})(\d{2})(\d{2})\d*(?:_ss\d+)?\.pdf", url, re.I)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


class JournalReader:
    """Reads the journal rolls one run needs, once each."""

    def __init__(
        self,
        run: Run,
        http: HttpClient,
        src: Sources,
        *,
        session_id: int | None,
        house_key: str = "",
        refresh: bool = False,
    ) -> None:
        self.run = run
        self.http = http
        self.src = src
        self.production = Production(src)
        self.prod = Sources()
        self.session_id = session_id
        self.house_key = house_key
        self.refresh = refresh
        self.failed: dict[str, str] = {}  # page or URL -> why (recorded once)
        self.changed = False  # a roll was stored or changed: reload the roster
        # Rolls are resolved against the recorded spans, which reading rolls never
        # changes: one roster serves the whole run.
        self._roster: roster.Roster | None = None

    @property
    def roster(self) -> roster.Roster:
        if self._roster is None:
            self._roster = roster.Roster.load()
        return self._roster

    def _fail(self, key: str, item: str, url: str | None, reason: str) -> None:
        self.failed[key] = reason
        self.run.item_failed(item, url, reason)

    def house_day(self, day: dt.date, page: str) -> JournalRoll | None:
        """The House roll of ``day``, fetched through the journal page of a roll
        call of that day when not stored yet."""
        stored = roster.day_roll(vocab.HOUSE, day)
        if stored is not None and not self.refresh:
            return stored
        page = (page or "").strip()
        key = f"house:{page}"
        item = f"House Journal of {day.isoformat()} (p. {page or '?'})"
        if key in self.failed:
            return stored
        url, body = house_journal.journal_page_request(self.prod.house, self.house_key, page)
        try:
            if not page:
                raise ParseError("the roll call has no journal page", source_url=url)
            response = self.http.post(self.src.rebase(url), json=body)
            self.run.bump("fetched")
            url = self.production.url(response.url, "house")
            return self._store_house(response.content, url, day, key, item) or stored
        except (FetchError, ParseError) as exc:
            self._fail(
                key,
                item,
                url,
                "House Journal roll not read: "
                f"{getattr(exc, 'reason', None) or exc}; absences stay not voting",
            )
            return stored

    def house_url(self, url: str, day: dt.date | None = None) -> JournalRoll | None:
        """The House roll on one House Journal page (backfill, ``sources check``)."""
        item = f"House Journal {url.rsplit('/', 1)[-1]}"
        try:
            response = self.http.get(self.src.rebase(url))
            self.run.bump("fetched")
            return self._store_house(
                response.content, self.production.url(url, "house"), day, url, item
            )
        except (FetchError, ParseError) as exc:
            self._fail(
                url,
                item,
                url,
                f"House Journal roll not read: {getattr(exc, 'reason', None) or exc}",
            )
            return None

    def _store_house(
        self, content: bytes, url: str, day: dt.date | None, key: str, item: str
    ) -> JournalRoll | None:
        parsed = house_journal.parse_excused(content, source_url=url)
        found = parsed.date or journal_file_date(url, day.year if day else 0)
        if found is None or (day is not None and found != day):
            self._fail(
                key,
                item,
                url,
                "House Journal roll not used: the journal page is on "
                f"{found or 'an unknown day'}, not on {day}",
            )
            return None
        roll, changed = roster.store_roll(
            vocab.HOUSE,
            found,
            house_entries(parsed),
            source_url=url,
            session_id=self.session_id,
            all_absent_excused=parsed.all_absent_excused,
            roster=self.roster,
        )
        self.changed |= changed
        self.run.commit()
        return roll

    def senate_day(self, pdf_url: str, pdf: bytes, day: dt.date | None) -> JournalRoll | None:
        """The Senate roll of the day whose journal PDF is ``pdf`` (already fetched)."""
        day = day or senate_file_date(pdf_url)
        stored = roster.day_roll(vocab.SENATE, day) if day else None
        if stored is not None and not self.refresh:
            return stored
        key = f"senate:{pdf_url}"
        if key in self.failed:
            return stored
        item = f"Senate Journal roll {pdf_url.rsplit('/', 1)[-1]}"
        try:
            texts = senate_journal.extract_pages_text(pdf, 1, SENATE_ROLL_PAGES, source_url=pdf_url)
            parsed = senate_journal.parse_day_roll(texts, source_url=pdf_url)
        except ParseError as exc:
            self._fail(key, item, pdf_url, f"Senate Journal roll not read: {exc.reason}")
            return stored
        found = parsed.date or senate_file_date(pdf_url)
        if found is None or (day is not None and found != day):
            self._fail(
                key,
                item,
                pdf_url,
                "Senate Journal roll not used: the journal is of "
                f"{found or 'an unknown day'}, not of {day}",
            )
            return stored
        roll, changed = roster.store_roll(
            vocab.SENATE,
            found,
            senate_entries(parsed),
            source_url=parsed.source_url,
            session_id=self.session_id,
            roster=self.roster,
        )
        self.changed |= changed
        self.run.commit()
        return roll


__all__ = [
    "JournalReader",
    "house_entries",
    "journal_file_date",
    "senate_entries",
    "senate_file_date",
]
