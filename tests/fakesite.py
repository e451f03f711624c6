"""An invented Minnesota Legislature served over HTTP, for end-to-end tests and the
backfill benchmark.  Hand-built from the page structures in mn-sources.md; every
legislator is invented ("Member ... Fakewick" style surnames from the demo's
invented names), nothing is a capture of a real page.

One ``FakeLegislature`` answers every endpoint the scrapers use, for several
sessions: the Revisor search XML and bill status XML, the House vote summary,
Details pages, ``Votes/GetPage`` and House Journal days (the first day's roll by
district, and each vote day's roll with one member excused), the Senate
``gotopage`` API and journal PDFs (each day's roll, then its roll calls), the
Senate members JSON, the House member list and a Library record.  ``delay``
slows every answer (a slow site, to interrupt a backfill mid-way).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field

from werkzeug import Request, Response

from scrapers.records import PersonRecord, TermRecord
from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows, odd_head
from tracker.demo import FAMILY_NAMES, GIVEN_NAMES

ORDINALS = ("FIRST SECOND THIRD FOURTH FIFTH SIXTH SEVENTH EIGHTH NINTH TENTH").split()


@dataclass(frozen=True)
class FakeSession:
    identifier: str
    code: str  # Revisor code, e.g. 0942025
    house_key: str | None
    start: dt.date
    bills: int = 3

    @property
    def legislature(self) -> int:
        return int(self.code[1:3])

    @property
    def year(self) -> int:
        return int(self.code[3:])

    @property
    def folder(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}"

    @property
    def biennium(self) -> str:
        return f"{self.year}-{self.year + 1}"

    def vote_day(self, number: int, chamber: str) -> dt.date:
        """Bills are voted on over 90 days of the session, several a day."""
        days = 30 + 7 * (number % 13) + (number // 13) % 7
        return self.start + dt.timedelta(days=days + (1 if chamber == "senate" else 0))

    def page(self, number: int, chamber: str) -> int:
        return 1000 + 20 * number + (5 if chamber == "senate" else 0)


@dataclass(frozen=True)
class Member:
    given: str
    family: str
    chamber: str
    district: str
    house_id: str | None = None
    senate_id: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


SUFFIXES = ("", "son", "berg", "dahl", "lund", "strom", "vik", "holm")


def invented_surnames(count: int) -> list[str]:
    """The demo's invented surnames, then the same with invented endings."""
    names = list(dict.fromkeys(f"{f}{s}" for s in SUFFIXES for f in dict.fromkeys(FAMILY_NAMES)))
    if count > len(names):
        raise ValueError(f"only {len(names)} invented surnames")
    return names[:count]


def three_sessions(bills: int = 3) -> list[FakeSession]:
    return [
        FakeSession("2021-2022", "0922021", "257", dt.date(2021, 1, 5), bills),
        FakeSession("2023-2024", "0932023", "300", dt.date(2023, 1, 3), bills),
        FakeSession("2025-2026", "0942025", "302", dt.date(2025, 1, 14), bills),
    ]


@dataclass
class FakeLegislature:
    sessions: list[FakeSession]
    house_seats: int = 8
    senate_seats: int = 4
    delay: float = 0.0
    log: list[str] = field(default_factory=list)
    committees: FakeCommittees | None = None  # committee pages, schedules and minutes

    def __post_init__(self) -> None:
        surnames = invented_surnames(self.house_seats + self.senate_seats)
        self.members: list[Member] = []
        for i in range(self.house_seats):
            district = f"{i // 2 + 1}{'AB'[i % 2]}"
            self.members.append(
                Member(
                    GIVEN_NAMES[i % len(GIVEN_NAMES)],
                    surnames[i],
                    "house",
                    district,
                    house_id=str(90000 + i),
                )
            )
        for i in range(self.senate_seats):
            j = self.house_seats + i
            self.members.append(
                Member(
                    GIVEN_NAMES[j % len(GIVEN_NAMES)],
                    surnames[j],
                    "senate",
                    str(i + 1),
                    senate_id=str(95000 + i),
                )
            )

    def chamber(self, chamber: str) -> list[Member]:
        return [m for m in self.members if m.chamber == chamber]

    # -- the roster sources' view: Open States-like records (senators lack start dates)

    def people(self) -> list[PersonRecord]:
        first = self.sessions[0].start
        records = []
        for m in self.members:
            start = None if m.chamber == "senate" else first
            records.append(
                PersonRecord(
                    name=m.name,
                    given_name=m.given,
                    family_name=m.family,
                    house_member_id=m.house_id,
                    senate_member_id=m.senate_id,
                    terms=(TermRecord(m.chamber, m.district, "DFL", start, None),),
                    other_names=(f"{m.family}, {m.given[0]}.",),
                )
            )
        return records

    # -- the pages

    def _session(self, code: str) -> FakeSession:
        return next(s for s in self.sessions if s.code == code)

    def _voters(self, chamber: str, number: int) -> tuple[list[str], list[str], str]:
        names = [m.family for m in self.chamber(chamber)]
        absent = names[number % len(names)]
        voting = [n for n in names if n != absent]
        return voting[:-1], voting[-1:], absent

    def search_xml(self, s: FakeSession, body: str, bill_type: str, first: int) -> bytes:
        prefix = "HF" if body == "House" else "SF"
        rows = (
            ""
            if bill_type != "bill" or first != 1
            else "".join(
                f"<BILL_RESULT><FILE_TYPE>{prefix}</FILE_TYPE><FILE_NUMBER>{n}</FILE_NUMBER>"
                f"<DESCRIPTION>Invented bill {n}</DESCRIPTION><STATUS_XML_URI>api.revisor.mn.gov/"
                f"bills/v1/{s.legislature}/{s.year}/0/{prefix}/{n}/</STATUS_XML_URI>"
                "<LATEST_TEXT_HTML_URI></LATEST_TEXT_HTML_URI></BILL_RESULT>"
                for n in range(1, s.bills + 1)
            )
        )
        head = '<?xml version="1.0" encoding="UTF-8"?>'
        return f"{head}<SEARCH_RESULTS>{rows}</SEARCH_RESULTS>".encode()

    def status_xml(self, s: FakeSession, bill_type: str, number: int) -> bytes:
        chamber = "house" if bill_type == "HF" else "senate"
        yes, no, _ = self._voters(chamber, number)
        author = self.chamber(chamber)[number % len(self.chamber(chamber))]
        key = author.house_id or author.senate_id
        intro = s.start + dt.timedelta(days=7 + number)
        day = s.vote_day(number, chamber)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<BILL><SESSION_NUMBER>{s.legislature}</SESSION_NUMBER><SESSION_YEAR>{s.year}</SESSION_YEAR>
<SESSION_TYPE>0</SESSION_TYPE><SESSION_TEXT>{s.year} Regular Session</SESSION_TEXT>
<FILE_TYPE>{bill_type}</FILE_TYPE><FILE_NUMBER>{number}</FILE_NUMBER>
<REVISOR_NUMBER>{s.year % 100}-{number:05d}</REVISOR_NUMBER>
<DESCRIPTION>Invented bill {number}</DESCRIPTION><COMPANION_TYPE></COMPANION_TYPE>
<COMPANION_NUMBER></COMPANION_NUMBER>
<AUTHORS><{chamber}><AUTHOR><LEGISLATOR_KEY>{key}</LEGISLATOR_KEY>
<MEMBER_NAME>{author.family}</MEMBER_NAME></AUTHOR></{chamber}></AUTHORS>
<ACTIONS><{chamber}>
<ACTION><ACTION_NUMBER>1</ACTION_NUMBER><ACTION_TEXT>Introduction and first reading, referred
to Invented Committee</ACTION_TEXT><ACTION_DATE>{intro} 00:00:00</ACTION_DATE>
<ACTION_DESCRIPTION></ACTION_DESCRIPTION><COMMITTEE_NAME>Invented Committee</COMMITTEE_NAME>
<JOURNAL_PAGE>{100 + number}</JOURNAL_PAGE><ROLL_CALL></ROLL_CALL></ACTION>
<ACTION><ACTION_NUMBER>2</ACTION_NUMBER><ACTION_TEXT>{
            "Bill was passed" if chamber == "house" else "Third reading Passed"
        }</ACTION_TEXT><ACTION_DATE>{day} 00:00:00</ACTION_DATE>
<ACTION_DESCRIPTION></ACTION_DESCRIPTION><COMMITTEE_NAME></COMMITTEE_NAME>
<JOURNAL_PAGE>{s.page(number, chamber)}</JOURNAL_PAGE>
<ROLL_CALL>{len(yes)}-{len(no)}</ROLL_CALL></ACTION>
</{chamber}></ACTIONS><TEXT_VERSION_LIST></TEXT_VERSION_LIST></BILL>""".encode()

    def vote_summary(self, s: FakeSession) -> bytes:
        return json.dumps(
            [
                {
                    "Number": f"HF{n:04d}",
                    "Date": "/Date(-62135575200000)/",
                    "ShortDescription": f"Invented bill {n}",
                }
                for n in range(1, s.bills + 1)
            ]
        ).encode()

    def details(self, s: FakeSession, number: int) -> bytes:
        yes, no, _ = self._voters("house", number)
        day = s.vote_day(number, "house")

        def cells(names: list[str]) -> str:
            return "<tr>" + "".join(f"<td>{n}</td>" for n in names) + "</tr>"

        return f"""<html><body><div id="DisplayResults"><div class="collapsible-panel">
<div class="panel-header"><table><tbody><tr><td>HF{number:04d}</td>
<td>H.F. NO. {number}<br>CALENDAR FOR THE DAY<br>Passage</td><td><br></td><td>{len(yes)}</td>
<td>{len(no)}</td><td><a href="#">J pg. {s.page(number, "house")}</a></td>
<td>{day:%m/%d/%Y}</td></tr></tbody></table></div>
<div class="panel-content"><H3>{len(yes)} YEA and {len(no)} Nay</H3>
<p>Those who voted in the affirmative were:</p><table>{cells(yes)}</table>
<p>Those who voted in the negative were:</p><table>{cells(no)}</table>
</div></div></div></body></html>""".encode()

    def house_journal(self, s: FakeSession, day: dt.date) -> bytes:
        head = (
            f"<p>STATE OF MINNESOTA</p><p>Saint Paul, Minnesota, {day:%A, %B} {day.day}, "
            f"{day.year}</p><p>The House of Representatives convened at 12:00 noon.</p>"
        )
        if day == s.start:
            rows = "".join(
                f"<p>{m.district}............ {m.name}</p>" for m in self.chamber("house")
            )
            body = (
                "<p>The Clerk pro tempore called the roll by legislative district in "
                "numerical order, and the following members-elect presented proof of their "
                "eligibility to be sworn in and seated as members of the House of "
                f"Representatives:</p>{rows}<p>The oath of office was administered.</p>"
            )
        else:
            number = min(n for n in range(1, s.bills + 1) if s.vote_day(n, "house") == day)
            absent = [m.family for m in self.chamber("house")][number % self.house_seats]
            present = "<br>".join(m.family for m in self.chamber("house") if m.family != absent)
            body = (
                "<p>The roll was called and the following members were present:</p>"
                f"<p>{present}</p><p>A quorum was present.</p><p>{absent} was excused.</p>"
            )
        return f"<html><body>{head}{body}</body></html>".encode()

    def senate_pdf(self, s: FakeSession, number: int) -> bytes:
        yes, no, _ = self._voters("senate", number)
        day = s.vote_day(number, "senate")
        present = [m.family for m in self.chamber("senate")]
        return journal_pdf(
            [
                [
                    even_head(s.page(number, "senate"), 20 + number),
                    f"St. Paul, Minnesota, {day:%A, %B} {day.day}, {day.year}",
                    "The Senate met at 11:00 a.m. and was called to order by the President.",
                    "The roll was called, and the following Senators answered to their names:",
                    *name_rows(present, columns=5),
                    "The President declared a quorum present.",
                    f"S.F. No. {number} was read the third time and placed on its final passage.",
                    "The question was taken on the passage of the bill.",
                    f"The roll was called, and there were yeas {len(yes)} and nays {len(no)}, "
                    "as follows:",
                    "Those who voted in the affirmative were:",
                    *name_rows(yes, columns=4),
                    "Those who voted in the negative were:",
                    *name_rows(no, columns=4),
                    "So the bill passed and its title was agreed to.",
                ],
                [
                    odd_head(
                        s.page(number, "senate") + 1,
                        20 + number,
                        f"{day:%A, %B} {day.day}, {day.year}".upper(),
                    )
                ],
            ]
        )

    def lrl_record(self, member: Member) -> bytes:
        s = self.sessions[0]
        return f"""<html><body><h1>{member.name}</h1><table>
<tr><th>Body</th><th>District</th><th>Party</th><th>Start</th><th>End</th></tr>
<tr><td>{member.chamber.title()}</td><td>{member.district}</td><td>DFL</td>
<td>{s.start:%m/%d/%Y}</td><td>present</td></tr></table></body></html>""".encode()

    # -- the server

    def handle(self, request: Request) -> Response:
        if self.delay:
            time.sleep(self.delay)
        self.log.append(f"{request.method} {request.full_path}")
        path, args = request.path, request.args
        if self.committees is not None:
            answer = self.committees.handle(request)
            if answer is not None:
                return answer
        if path == "/bills/status_search.php":
            options = "".join(
                f'<option value="{s.code}">{s.legislature}th Legislature, '
                f"{s.year}-{s.year + 1}</option>"
                for s in self.sessions
            )
            return Response(
                f'<html><body><select name="session">{options}</select></body></html>',
                content_type="text/html",
            )
        if path == "/bills/status_result.php":
            s = self._session(args["session"])
            first = int(args["bill"].split("-")[0])
            return Response(
                self.search_xml(s, args["body"], args["bill_type"], first), content_type="text/xml"
            )
        if path.startswith("/bills/v1/"):
            leg, year, _, bill_type, number = path.strip("/").split("/")[2:7]
            s = next(x for x in self.sessions if (x.legislature, x.year) == (int(leg), int(year)))
            return Response(self.status_xml(s, bill_type, int(number)), content_type="text/xml")
        if path == "/Votes/GetVoteSummary":
            s = next(x for x in self.sessions if x.house_key == request.form["SessionKey"])
            return Response(self.vote_summary(s), content_type="application/json")
        if path == "/Votes/Details":
            s = next(x for x in self.sessions if x.house_key == args["SessionKey"])
            return Response(self.details(s, int(args["BillNumber"][2:])), content_type="text/html")
        if path == "/Votes/GetPage":
            body = json.loads(request.get_data())
            s = next(x for x in self.sessions if x.house_key == str(body["SessionKey"]))
            page = int("".join(c for c in body["PageNumber"] if c.isdigit()))
            day = (
                s.start
                if page == 1
                else next(
                    s.vote_day(n, "house")
                    for n in range(1, s.bills + 1)
                    if s.page(n, "house") == page
                )
            )
            return Response("", status=302, headers={"Location": self.journal_path(s, day)})
        if path.startswith("/cco/journals/"):
            for s in self.sessions:
                for day in [s.start, *(s.vote_day(n, "house") for n in range(1, s.bills + 1))]:
                    if path == self.journal_path(s, day):
                        return Response(self.house_journal(s, day), content_type="text/html")
        if path == "/api/journal/gotopage":
            s = next(x for x in self.sessions if x.legislature == int(args["ls"]))
            page = int(args["page"])
            for n in range(1, s.bills + 1):
                if s.page(n, "senate") == page:
                    return Response(
                        json.dumps(
                            {
                                "filename": self.senate_file(s, n),
                                "fileBiennium": s.biennium,
                                "internal_page": 1,
                            }
                        ),
                        content_type="application/json",
                    )
        if path.startswith("/journals/"):
            for s in self.sessions:
                for n in range(1, s.bills + 1):
                    if path == f"/journals/{s.biennium}/{self.senate_file(s, n)}.pdf":
                        return Response(self.senate_pdf(s, n), content_type="application/pdf")
        if path == "/api/members":
            return Response(
                json.dumps(
                    {
                        "members": [
                            {
                                "preferred_full_name": m.name,
                                "preferred_last_name": m.family,
                                "dist": f"{int(m.district):02d}",
                                "party": "DFL",
                                "mem_id": m.senate_id,
                                "email": "",
                                "mem_bio_pic": "",
                                "full_phone_number": "",
                                "office_address_first_line": "",
                                "office_address_second_line": "",
                            }
                            for m in self.chamber("senate")
                        ]
                    }
                ),
                content_type="application/json",
            )
        if path == "/members/hmem.asp":
            cards = "".join(
                f'<div class="media my-3"><a href="/members/profile/{m.house_id}"><img src="">'
                f'</a><div class="media-body"><h5><a href="/members/profile/{m.house_id}"><b>'
                f"{m.name} ({m.district}, DFL)</b></a></h5><div>100 Invented Building<br>"
                "St. Paul, MN 55155<br>651-555-0100</div></div></div>"
                for m in self.chamber("house")
            )
            return Response(
                f'<html><body><div id="Alpha">{cards}</div></body></html>', content_type="text/html"
            )
        if path == "/legdb/fulldetail":
            return Response(self.lrl_record(self.members[0]), content_type="text/html")
        return Response("not found", status=404)

    def journal_path(self, s: FakeSession, day: dt.date) -> str:
        legislative_day = 1 if day == s.start else (day - s.start).days
        return f"/cco/journals/{s.folder}/J{day:%m%d}{legislative_day:03d}.htm"

    def senate_file(self, s: FakeSession, number: int) -> str:
        return f"{s.vote_day(number, 'senate'):%Y%m%d}{20 + number:03d}"

    def count(self, fragment: str) -> int:
        return sum(1 for line in self.log if fragment in line)


# ------------------------------------------------ committees, hearing schedules, minutes

HOUSE_COMMITTEE = ("94001", "Invented Waterways")
SENATE_COMMITTEE = ("3901", "Invented Civic Affairs")


@dataclass
class FakeCommittees:
    """One House and one Senate committee of the last session of ``site``, their
    hearings and one House meeting's minutes (hand-built, in the page structures
    mn-sources.md §6 and §11 describe; every name invented).

    The House committee is the first five House members (the first chairs it, the
    second is vice chair); it met on ``met_on`` (minutes: four present, the fifth
    excused, a roll call on HF 1 printed in the upper-case comma-list form, 3-1,
    with ``extra_voter``'s surname added to the yeas when set: a legislator not on
    the committee; ``stated_yeas`` makes the result sentence disagree with the
    names) and meets again on ``meets_on`` at 8:15 AM (set
    ``moved`` to post it at 10:30 AM in another room), with a third meeting on
    ``cancelled_on`` marked "Hearing Canceled" when ``cancelled``.  The minutes are
    linked from the first meeting's card once ``minutes_posted``.  The Senate
    committee (every senator) meets on ``meets_on`` at 12:30."""

    site: FakeLegislature
    met_on: dt.date
    meets_on: dt.date
    cancelled_on: dt.date
    moved: bool = False
    cancelled: bool = False
    minutes_posted: bool = False
    extra_voter: str | None = None
    stated_yeas: int | None = None  # a result sentence that disagrees with the names

    @property
    def session(self) -> FakeSession:
        return self.site.sessions[-1]

    def house_members(self) -> list[Member]:
        return self.site.chamber("house")[:5]

    def members_page(self) -> bytes:
        roles = {0: "Committee Chair", 1: "Vice Chair"}
        cards = "".join(
            f'<div class="media"><a href="/members/profile/{m.house_id}"><img src="" alt="">'
            f'</a><div class="media-body"><span><b>Rep. {m.name} (DFL)'
            f"{'<br><u>' + roles[i] + '</u>' if i in roles else ''}</b></span></div></div>"
            for i, m in enumerate(self.house_members())
        )
        return (f"<html><body><h1>{HOUSE_COMMITTEE[1]}</h1>{cards}</body></html>").encode()

    def senate_page(self) -> bytes:
        rows = "".join(
            f'<div class="media-body">{"<b>Chair:</b> " if i == 0 else ""}'
            f'<a href="member_bio.html?mem_id={m.senate_id}">Sen. {m.name} (DFL)</a></div>'
            for i, m in enumerate(self.site.chamber("senate"))
        )
        return f"<html><body><h1>{SENATE_COMMITTEE[1]}</h1>{rows}</body></html>".encode()

    def _card(self, day: dt.date, clock: str, room: str, body: str) -> str:
        return (
            '<div class="card my-2 d-print-block"><div class="card-header bg-house text-white">'
            f'<h3><a class="text-white" href="/Committees/Home/{HOUSE_COMMITTEE[0]}"><b>'
            f'{HOUSE_COMMITTEE[1]}</b></a></h3><span class="text-white">{day:%A, %B} {day.day}, '
            f'{day.year} , {clock}</span></div><div class="card-body">{body}'
            f"<b>Location:</b> {room}<br></div></div>"
        )

    def house_schedule(self) -> bytes:
        minutes = (
            f'<b>Attachments:</b><ul><li><a href="/Committees/minutes/{HOUSE_COMMITTEE[0]}'
            '/1001">Minutes</a></li></ul>'
            if self.minutes_posted
            else ""
        )
        moved = '<div class="text-danger"><b>Time Changed</b></div>' if self.moved else ""
        cancelled = (
            '<div class="text-danger"><b>Hearing Canceled</b></div>' if self.cancelled else ""
        )
        cards = [
            self._card(
                self.met_on,
                "9:00 AM",
                "Capitol 120",
                "<b>Agenda:</b><div>HF 1 (Amberwick) Invented bill 1.</div>" + minutes,
            ),
            self._card(
                self.meets_on,
                "10:30 AM" if self.moved else "8:15 AM",
                "Capitol G3" if self.moved else "Capitol 120",
                moved + "<b>Agenda:</b><div>HF 2 (Brightwater) Invented bill 2.</div>",
            ),
            self._card(
                self.cancelled_on,
                "8:15 AM",
                "Capitol 120",
                cancelled + "<b>Agenda:</b><div>HF 3 (Coldbrook) Invented bill 3.</div>",
            ),
        ]
        return (
            "<html><body><h1>Currently Posted Meetings</h1>" + "".join(cards) + "</body></html>"
        ).encode()

    def senate_schedule(self) -> bytes:
        return json.dumps(
            {
                "events": [
                    {
                        "hearing_id": 30001,
                        "committee": {
                            "committee_name": f"{SENATE_COMMITTEE[1]} Committee",
                            "committee_id": SENATE_COMMITTEE[0],
                        },
                        "hearing_start": f"{self.meets_on.isoformat()} 12:30:00",
                        "hearing_room": "1200",
                        "hearing_building": "Minnesota Senate Bldg.",
                        "agenda": [
                            {
                                "description": "Invented bill 1.",
                                "bill_type": "SF",
                                "bill_number": "1",
                            }
                        ],
                    }
                ]
            }
        ).encode()

    def minutes(self) -> bytes:
        members = self.house_members()
        roles = {0: ", Chair", 1: ", Vice Chair"}
        present = "<br>".join(
            f"{m.family.upper()}, {m.given}{roles.get(i, '')}" for i, m in enumerate(members[:4])
        )
        yes = [m.family.upper() for m in members[:3]]
        if self.extra_voter:
            yes.append(self.extra_voter.upper())
        no = [members[3].family.upper()]
        day = self.met_on
        words = {1: "one", 3: "three", 4: "four"}
        years = f"{self.session.year}-{self.session.year + 1}"
        return f"""<html><body><h1>{HOUSE_COMMITTEE[1]}</h1>
<p>{years} Regular Session - {day:%A, %B} {day.day}, {day.year}</p>
<p>Members present:</p><p>{present}</p>
<p>Excused:</p><p>{members[4].family.upper()}, {members[4].given}</p>
<p>A quorum was present.</p>
<p>H.F. 1 ({members[0].family}) Invented bill 1.</p>
<p>Representative {members[3].family} moved the H0001A1 amendment and requested a roll
call vote.</p>
<p>The following {words[len(yes)]} members voted Yea: {", ".join(yes)}</p>
<p>The following member voted Nay: {", ".join(no)}</p>
<p>On a vote of {self.stated_yeas or len(yes)} Yeas and 1 Nays, THE MOTION PREVAILED.</p>
<p>The meeting was adjourned at 10:15 A.M.</p></body></html>""".encode()

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if path == f"/Committees/members/{HOUSE_COMMITTEE[0]}":
            return Response(self.members_page(), content_type="text/html")
        if (
            path == "/committees/committee_bio.html"
            and request.args.get("cmte_id") == SENATE_COMMITTEE[0]
        ):
            return Response(self.senate_page(), content_type="text/html")
        if path == "/Schedules/All":
            return Response(self.house_schedule(), content_type="text/html")
        if path == "/api/schedule/upcoming":
            return Response(self.senate_schedule(), content_type="application/json")
        if path == f"/Committees/minutes/{HOUSE_COMMITTEE[0]}/1001" and self.minutes_posted:
            return Response(self.minutes(), content_type="text/html")
        return None


__all__ = ["FakeCommittees", "FakeLegislature", "FakeSession", "Member", "three_sessions"]
