"""``tracker sources check``: one of each document type, fetched and parsed.

The first command a user with network access runs.  For a session (the
latest regular session with a House vote key by default) it fetches, in
order: the Revisor session list, a bill listing, that bill's status XML, the
House vote summary, a House vote Details page, the House Journal day of one of
its roll calls (``Votes/GetPage``), the Senate journal page lookup
(``gotopage``) for a Senate roll call (walking the listing, at most
``SENATE_SEARCH`` bills, to a bill that has one), the Senate Journal PDF (its
roll call, and the day's roll on a line of its own), the Senate members JSON, the House member list
and a Legislative Reference Library legislator record.  Each prints one line:
what parsed, or what did not and why; a step that needs an earlier one that
failed says so.  Nothing is stored.  With ``record`` every response is saved
(``--record DIR``) so the pages become regression fixtures; ``replay`` runs
from such a directory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypedDict

from scrapers import house_journal, house_votes, lrl, revisor, senate_journal, vocab
from scrapers.http import FetchError, HttpClient
from scrapers.parsing import ParseError
from scrapers.people import PeopleParseError, parse_house_member_list, parse_senate_members_json
from scrapers.records import ActionRecord, BillRecord, BillSearchResult, SessionRecord
from scrapers.sessions import KNOWN_SESSIONS, known_session, parse_session_list
from scrapers.sources import Sources
from scrapers.vote_records import JournalPage, ParsedRollCall, VoteSummaryItem
from tracker import localtime, runs

HOUSE_MEMBERS_PATH = "/members/hmem.asp"
SENATE_MEMBERS_PATH = "/api/members"
# A record Open States links (Legislative Reference Library id), when none is given.
DEFAULT_LRL_ID = "15648"
_ERRORS = (FetchError, ParseError, PeopleParseError, ValueError)
SENATE_SEARCH = 25  # listed bills read at most to find one with a Senate roll call


@dataclass
class Line:
    source: str
    ok: bool | None  # None: skipped
    url: str
    detail: str

    def __str__(self) -> str:
        mark = {True: "ok  ", False: "FAIL", None: "skip"}[self.ok]
        return f"{mark} {self.source:26} {self.detail}" + (f"\n     {self.url}" if self.url else "")


class _Found(TypedDict, total=False):
    """What the steps found, for the later steps that need it (a step's ``needs``)."""

    bills: list[BillSearchResult]  # the Senate bill listing
    bill: BillSearchResult  # the bill checked (one with a Senate roll call, if any)
    senate_action: ActionRecord  # its latest Senate roll call action
    voted_bill: VoteSummaryItem  # a bill in the House vote summary
    panel: ParsedRollCall  # its first roll call, member by member
    journal_page: JournalPage  # the Senate journal page of ``senate_action``
    journal_pdf: bytes  # the Senate Journal PDF holding it


@dataclass
class _Check:
    http: HttpClient
    src: Sources
    session: SessionRecord
    lrl_id: str
    lines: list[Line] = field(default_factory=list)
    found: _Found = field(default_factory=_Found)

    def step(self, source: str, url: str, needs: tuple[str, ...], work: Callable[[], str]) -> None:
        missing = [n for n in needs if n not in self.found]
        if missing:
            self.lines.append(Line(source, None, url, f"needs {', '.join(missing)} first"))
            return
        try:
            self.lines.append(Line(source, True, url, work()))
        except _ERRORS as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            self.lines.append(Line(source, False, url, f"{type(exc).__name__}: {reason}"))

    def get(self, url: str) -> bytes:
        return self.http.get(self.src.rebase(url)).content


def default_session() -> SessionRecord:
    """The latest regular session in the known table with a House vote key."""
    return next(s for s in KNOWN_SESSIONS if s.special_number == 0 and s.house_vote_key)


def check(
    http: HttpClient, src: Sources, *, session: str | None = None, lrl_id: str | None = None
) -> list[Line]:
    prod = Sources()
    record = known_session(session) if session else default_session()
    c = _Check(http, src, record, lrl_id or DEFAULT_LRL_ID)

    url = revisor.session_list_url(prod.revisor)

    def sessions() -> str:
        found = parse_session_list(c.get(url), source_url=url)
        return f"{len(found)} sessions ({found[0].identifier} first)"

    c.step("Revisor session list", url, (), sessions)

    listing = revisor.search_url(
        prod.revisor, chamber_body="Senate", session_code=record.revisor_code, start=1, end=500
    )

    def bills() -> str:
        rows = revisor.parse_search_xml(c.get(listing), source_url=listing)
        if not rows:
            raise ParseError("the listing has no bills", source_url=listing)
        c.found["bills"] = rows
        c.found["bill"] = rows[0]
        return f"{len(rows)} Senate bills listed; checking {rows[0].bill_type}{rows[0].number}"

    c.step("Revisor bill listing", listing, (), bills)

    def senate_votes(row: BillSearchResult) -> tuple[BillRecord, list[ActionRecord]]:
        parsed = revisor.parse_bill_status_xml(
            c.get(row.status_xml_url), source_url=row.status_xml_url, session=record.identifier
        )
        return parsed, [
            a
            for a in parsed.actions
            if a.chamber == vocab.SENATE and a.yeas is not None and a.journal_page
        ]

    def status() -> str:
        parsed, voted = senate_votes(c.found["bill"])
        if voted:
            c.found["senate_action"] = voted[-1]
        return (
            f"{parsed.key}: {len(parsed.actions)} actions, {len(parsed.authors)} authors, "
            f"{len(voted)} Senate roll call(s)"
        )

    c.step(
        "Revisor bill status", getattr(c.found.get("bill"), "status_xml_url", ""), ("bill",), status
    )

    def senate_bill() -> str:
        """Early bills of a listing may have no floor vote yet: walk on to one that
        has a Senate roll call, so that the journal steps below always run."""
        for checked, row in enumerate(c.found["bills"][1:SENATE_SEARCH], start=2):
            _, voted = senate_votes(row)
            if voted:
                c.found["bill"], c.found["senate_action"] = row, voted[-1]
                return f"{row.bill_type}{row.number} has one (the first of {checked} bills checked)"
        raise ParseError(
            f"none of the first {SENATE_SEARCH} bills listed has a Senate roll "
            "call with a journal page",
            source_url=listing,
        )

    if "bills" in c.found and "senate_action" not in c.found:
        c.step("Senate roll call search", listing, ("bills",), senate_bill)

    key = record.house_vote_key or ""
    summary_url, form = house_votes.summary_request(prod.house, key)

    def summary() -> str:
        items = house_votes.parse_vote_summary(
            http.post(src.rebase(summary_url), data=form).content, source_url=summary_url
        )
        if not items:
            raise ParseError("no bills with votes listed", source_url=summary_url)
        c.found["voted_bill"] = items[-1]
        return f"{len(items)} bills with House votes (session key {key})"

    c.step("House vote summary", summary_url, (), summary)

    details_url = ""
    if "voted_bill" in c.found:
        item = c.found["voted_bill"]
        details_url = house_votes.details_url(prod.house, key, item.bill_type, item.number)

    def details() -> str:
        item = c.found["voted_bill"]
        panels = house_votes.parse_vote_details(
            c.get(details_url), source_url=details_url, bill_type=item.bill_type, number=item.number
        )
        if panels:
            c.found["panel"] = panels[0]
        return f"{item.bill_type}{item.number}: {len(panels)} roll call(s) member by member"

    c.step("House vote details", details_url, ("voted_bill",), details)

    journal_url, body = house_journal.journal_page_request(
        prod.house, key, getattr(c.found.get("panel"), "journal_page", "")
    )

    def journal() -> str:
        response = http.post(src.rebase(journal_url), json=body)
        parsed = house_journal.parse_excused(response.content, source_url=response.url)
        return (
            f"journal of {parsed.date}: {len(parsed.present)} present, "
            f"{len(parsed.excused)} excused, {len(parsed.excused_until)} excused until a "
            f"time"
        )

    c.step("House Journal day", journal_url, ("panel",), journal)

    action = c.found.get("senate_action")  # one with a journal page (``senate_votes``)
    printed = action.journal_page if action else None
    goto = senate_journal.gotopage_url(prod.senate, printed, record.legislature) if printed else ""

    def gotopage() -> str:
        page = senate_journal.parse_gotopage(c.get(goto), source_url=goto, senate_base=prod.senate)
        c.found["journal_page"] = page
        return f"page {printed} is page {page.internal_page} of {page.filename}.pdf"

    c.step("Senate journal page lookup", goto, ("senate_action",), gotopage)

    page = c.found.get("journal_page")

    def pdf() -> str:
        page, action = c.found["journal_page"], c.found["senate_action"]
        content = c.get(page.pdf_url)
        c.found["journal_pdf"] = content
        first, last = page.page_range
        found = senate_journal.find_roll_call(
            senate_journal.extract_pages_text(content, first, last, source_url=page.pdf_url),
            bill_type=c.found["bill"].bill_type,
            number=c.found["bill"].number,
            yeas=action.yeas or 0,
            nays=action.nays or 0,
            source_url=page.pdf_url,
            first_page=first,
        )
        return (
            f"roll call {found.yeas}-{found.nays}: {len(found.yes_names)} yes and "
            f"{len(found.no_names)} no names"
        )

    c.step("Senate Journal roll call", getattr(page, "pdf_url", ""), ("journal_page",), pdf)

    def day_roll() -> str:
        page = c.found["journal_page"]  # present: the PDF step stored the PDF after it
        day = senate_journal.parse_day_roll(
            senate_journal.extract_pages_text(
                c.found["journal_pdf"], 1, 3, source_url=page.pdf_url
            ),
            source_url=page.pdf_url,
        )
        return f"the day's roll ({day.date}): {len(day.present)} present"

    c.step("Senate Journal day's roll", getattr(page, "pdf_url", ""), ("journal_pdf",), day_roll)

    senate_url = prod.senate + SENATE_MEMBERS_PATH

    def senate_members() -> str:
        people = parse_senate_members_json(
            c.get(senate_url), source_url=senate_url, as_of=localtime.today()
        )
        return f"{len(people)} senators"

    c.step("Senate member list", senate_url, (), senate_members)

    house_url = prod.house + HOUSE_MEMBERS_PATH

    def house_members() -> str:
        people = parse_house_member_list(c.get(house_url), source_url=house_url)
        return f"{len(people)} representatives"

    c.step("House member list", house_url, (), house_members)

    lrl_url = lrl.legislator_url(prod.lrl, c.lrl_id)

    def legislator() -> str:
        found = lrl.parse_legislator(c.get(lrl_url), source_url=lrl_url)
        return (
            f"{found.name or 'a legislator'}: {len(found.terms)} term(s) of service "
            "(layout unverified)"
        )

    c.step("LRL legislator record", lrl_url, (), legislator)
    return c.lines


def run_check(
    *,
    session: str | None = None,
    record: str | None = None,
    replay: str | None = None,
    lrl_id: str | None = None,
) -> Iterator[Line]:
    with runs.client(record, replay) as http:
        yield from check(http, runs.sources(), session=session, lrl_id=lrl_id)


__all__ = ["Line", "check", "default_session", "run_check"]
