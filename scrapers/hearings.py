"""Committees and hearing schedules (mn-sources.md sections 6 and 11.3).

Pure functions over bytes or files: no network, no database, no Flask.

Hearing schedules, one :class:`HearingRecord` per posted meeting:

* :func:`parse_house_schedule`: ``https://www.house.mn.gov/Schedules/All`` (HTML
  cards, ``div.my-2.d-print-block``; header ``h3 a b`` = committee, ``span.text-white``
  = date and time; ``<b>Location:</b>``, ``<b>Agenda:</b>``, bill links to
  ``bill.php`` and attachment lists ``ul li a``).  Cards without a committee link
  (floor sessions, "offices closed") are not hearings and are skipped.
* :func:`parse_senate_schedule`: ``https://www.senate.mn/api/schedule/upcoming``
  (JSON ``events[]`` with ``committee.committee_name``, ``hearing_start``,
  ``hearing_room``, ``hearing_building``, ``hearing_notes``, ``agenda[]`` with
  ``bill_type``/``bill_number``/``files[]``).

Times are never invented.  A meeting printed without a time (a date only, or the
House's ``12:00 AM`` placeholder, or a Senate ``hearing_start`` at midnight) keeps
its ``date`` with ``start=None`` and the printed text in ``time_text``.  Every
``start`` is timezone-aware in America/Chicago.

``source_key`` is stable across re-scrapes: the Senate's ``hearing_id`` when the
entry has one, else a hash of (chamber, committee, date, n), n counting that
committee's meetings on that date in page order.  A hearing moved to another time
the same day therefore keeps its key (ingest updates it); a committee that meets
twice in a day gets two keys.  (Limit: if an earlier meeting of the same committee
that day disappears from the page, the later one takes its ordinal, hence its key.)

Committees, one :class:`CommitteeRecord` each:

* :func:`parse_house_committee_members`: ``https://www.house.mn.gov/Committees/members/{id}``
  (``div.media`` per member; ``div.media-body span b`` = "Rep. Name (PARTY)", the
  role underlined inside it: "Committee Chair", "Vice Chair", "Republican Lead").
* :func:`parse_senate_committee_page`: ``committee_bio.html?cmte_id={id}&ls={ls}``
  (``div.media-body`` with ``<b>Chair:</b>`` etc. before the ``member_bio`` link).
* :func:`load_openstates_committees`: the Open States committee YAML
  (``data/openstates-people-mn/committees/*.yml``).

Roles are normalised to :data:`ROLES`; a role this module does not know raises
:class:`~scrapers.parsing.ParseError` (a new office must be looked at, not
silently counted as "member").  The HTML structures above come from Open
States' scrapers and were **not** checked against live pages (mn-sources.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urljoin, urlparse
from zoneinfo import ZoneInfo

import yaml
from lxml import etree

from scrapers import vocab
from scrapers.parsing import ParseError, normalize_bill_id, parse_html

__all__ = [
    "CHICAGO",
    "ROLES",
    "CommitteeMember",
    "CommitteeRecord",
    "HearingDocument",
    "HearingRecord",
    "committee_role",
    "load_openstates_committees",
    "parse_house_committee_members",
    "parse_house_schedule",
    "parse_openstates_committee",
    "parse_senate_committee_page",
    "parse_senate_schedule",
]

CHICAGO: Final = ZoneInfo("America/Chicago")

# --- roles ----------------------------------------------------------------------

CHAIR: Final = "chair"
CO_CHAIR: Final = "co_chair"
VICE_CHAIR: Final = "vice_chair"
CO_VICE_CHAIR: Final = "co_vice_chair"
RANKING_MINORITY_MEMBER: Final = "ranking_minority_member"
ALTERNATE: Final = "alternate"
MEMBER: Final = "member"
ROLES: Final = (
    CHAIR,
    CO_CHAIR,
    VICE_CHAIR,
    CO_VICE_CHAIR,
    RANKING_MINORITY_MEMBER,
    ALTERNATE,
    MEMBER,
)

_ROLE_TEXT: Final[dict[str, str]] = {
    "": MEMBER,
    "member": MEMBER,
    "chair": CHAIR,
    "committee chair": CHAIR,
    "chairman": CHAIR,
    "chairwoman": CHAIR,
    "co-chair": CO_CHAIR,
    "vice chair": VICE_CHAIR,
    "vice-chair": VICE_CHAIR,
    "vc": VICE_CHAIR,
    "co-vice chair": CO_VICE_CHAIR,
    "co-vice-chair": CO_VICE_CHAIR,
    "ranking minority member": RANKING_MINORITY_MEMBER,
    "ranking member": RANKING_MINORITY_MEMBER,
    "ranking republican member": RANKING_MINORITY_MEMBER,
    "ranking dfl member": RANKING_MINORITY_MEMBER,
    "minority lead": RANKING_MINORITY_MEMBER,
    "republican lead": RANKING_MINORITY_MEMBER,
    "dfl lead": RANKING_MINORITY_MEMBER,
    "democratic-farmer-labor party lead": RANKING_MINORITY_MEMBER,
    "republican party lead": RANKING_MINORITY_MEMBER,
    "lead": RANKING_MINORITY_MEMBER,
    "alternate": ALTERNATE,
}
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WS = re.compile(r"\s+")


def _clean(text: str | None) -> str:
    return _WS.sub(" ", (text or "").replace("\xa0", " ")).strip()


def committee_role(text: str | None, *, source_url: str | None = None) -> str:
    """A printed committee office -> one of :data:`ROLES`.

    ``"Committee Chair"`` -> ``chair``; ``"Vice-Chair"``/``"VC"`` -> ``vice_chair``;
    ``"Republican Lead"``, ``"ranking member"``, ``"Ranking Minority Member:"`` ->
    ``ranking_minority_member``; empty -> ``member``.  Anything else raises
    :class:`ParseError`.
    """
    key = _DASHES.sub("-", _clean(text)).rstrip(":").strip().casefold()
    key = re.sub(r"\s*-\s*", "-", key)
    if key in _ROLE_TEXT:
        return _ROLE_TEXT[key]
    raise ParseError(f"unknown committee role {text!r}", source_url=source_url)


# --- records ----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeMember:
    """One seat on a committee, as its source prints it."""

    name: str  # as printed, title ("Rep.", "Senator") and party stripped
    role: str  # one of ROLES
    role_text: str = ""  # the office as printed ("Committee Chair"); "" for members
    person_id: str | None = None  # Open States person UUID (no "ocd-person/")
    member_id: str | None = None  # chamber member id from a profile link
    party: str | None = None  # as printed in parentheses ("DFL", "R")


@dataclass(frozen=True)
class CommitteeRecord:
    """A standing committee, division or subcommittee of one chamber.

    Natural key: (chamber, source_id) when the chamber's id is known, else
    (chamber, name).  ``source_ids`` lists every chamber id the source names,
    newest first (Open States keeps one per legislature: House ``93001`` then
    ``94001``, Senate ``cmte_id`` per ``ls``); ``source_id`` is the first.
    """

    chamber: str  # vocab.HOUSE | vocab.SENATE
    name: str
    source_id: str | None
    members: tuple[CommitteeMember, ...]
    source_url: str
    source_ids: tuple[str, ...] = ()
    openstates_id: str | None = None  # the UUID of "ocd-organization/<uuid>"
    parent: str | None = None  # parent committee name for a subcommittee
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class HearingDocument:
    title: str
    url: str  # absolute


@dataclass(frozen=True)
class HearingRecord:
    """One posted committee meeting.  Natural key: ``source_key``.

    ``start`` is None when the source prints no time (then ``time_text`` says what
    it printed, if anything): the date is kept, a time is never invented.
    """

    chamber: str
    committee: str  # as printed
    committee_id: str | None  # House committee number / Senate cmte_id, when printed
    date: dt.date
    start: dt.datetime | None  # timezone-aware, America/Chicago
    time_text: str  # House: as printed ("8:15 AM", "12:00 AM"); Senate: "HH:MM"; "" if none
    room: str  # as printed; Senate: "{hearing_room} {hearing_building}"
    agenda: str  # agenda text, one line per printed line
    bills: tuple[tuple[str, int], ...]  # (bill type, number), agenda order, each once
    documents: tuple[HearingDocument, ...]
    cancelled: bool
    status_notes: tuple[str, ...]  # "Time Changed", "Location Changed", "Hearing Canceled", ...
    source_key: str
    source_url: str
    joint: bool = False  # House card marked as a joint (House and Senate) meeting
    time_note: str = ""  # House "Time Note:" text

    @property
    def has_time(self) -> bool:
        return self.start is not None


# --- shared helpers ---------------------------------------------------------------

_BILL_IN_TEXT = re.compile(
    r"(?<![A-Za-z])([HS])\.?\s?([FRC])\.?\s?(?:No\.?\s?)?0*(\d{1,5})(?!\d)", re.ASCII
)
_CANCELLED = re.compile(r"\b(?:cancel+ed|cancel+ation|postponed)\b", re.IGNORECASE)
_STATUS = re.compile(
    r"^(?:time changed|location changed|agenda changed|room changed|bills? added|bills? removed"
    r"|(?:hearing|meeting) (?:canceled|cancelled|postponed)|canceled|cancelled|postponed"
    r"|rescheduled|new time|new location)$",
    re.IGNORECASE,
)
_MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WHEN = re.compile(
    r"^(?:[A-Za-z]+day,?\s+)?(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"\s*(?:,\s*|\s+)?(?P<time>\d{1,2}:\d{2}\s*[AaPp]\.?\s?[Mm]\.?)?\s*(?P<rest>.*)$"
)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})\s*([AaPp])\.?\s?[Mm]\.?$")


def _bills_in(text: str) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for match in _BILL_IN_TEXT.finditer(text):
        try:
            found.append(normalize_bill_id("".join(match.groups())))
        except ValueError:
            continue
    return found


def _unique(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(dict.fromkeys(items))


def _clock(text: str, *, source_url: str) -> tuple[int, int]:
    match = _CLOCK.match(text.strip())
    if not match:
        raise ParseError(f"unrecognised time {text!r}", source_url=source_url)
    hour, minute = int(match[1]), int(match[2])
    if not 1 <= hour <= 12 or minute > 59:
        raise ParseError(f"invalid time {text!r}", source_url=source_url)
    if match[3].lower() == "a":
        hour = 0 if hour == 12 else hour
    else:
        hour = 12 if hour == 12 else hour + 12
    return hour, minute


def _start(date: dt.date, hour: int, minute: int) -> dt.datetime | None:
    """Aware start, or None for midnight (the sources' 'no time' placeholder)."""
    if hour == 0 and minute == 0:
        return None
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=CHICAGO)


def _source_key(chamber: str, committee: str, date: dt.date, ordinal: int) -> str:
    raw = f"{chamber}|{_clean(committee).casefold()}|{date.isoformat()}|{ordinal}"
    return f"{chamber}:{hashlib.sha1(raw.encode('utf-8')).hexdigest()[:16]}"  # noqa: S324


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_BLOCKS: Final = frozenset(
    {"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "br"}
)
_BREAK: Final = "\u2029"


def _element_lines(el: etree._Element) -> list[str]:
    """The text of ``el`` split at block boundaries and ``<br>``, blanks dropped."""
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"script", "style"}:
            pieces.append(node.tail or "")
            return
        if tag in _BLOCKS:
            pieces.append(_BREAK)
        pieces.append(node.text or "")
        for child in node:
            walk(child)
        if tag in _BLOCKS:
            pieces.append(_BREAK)
        if node is not el:
            pieces.append(node.tail or "")

    walk(el)
    return [line for line in (_clean(p) for p in "".join(pieces).split(_BREAK)) if line]


# --- House schedule ----------------------------------------------------------------

_HOUSE_COMMITTEE_ID = re.compile(
    r"/(?:committees|cmte)/(?:home|members|minutes|archives)/(\d+)|[?&]comm=(\d+)", re.IGNORECASE
)


def _house_committee_id(url: str) -> str | None:
    match = _HOUSE_COMMITTEE_ID.search(url or "")
    if not match:
        return None
    return match.group(1) or match.group(2)


def _parse_when(text: str, *, source_url: str, what: str) -> tuple[dt.date, str, str]:
    """``"Tuesday, March 3, 2026 , 8:15 AM"`` -> (date, "8:15 AM", rest)."""
    match = _WHEN.match(_clean(text))
    if not match or match["month"].lower() not in _MONTHS:
        raise ParseError(f"{what}: unrecognised date {text!r}", source_url=source_url)
    try:
        date = dt.date(
            int(match["year"]), _MONTHS.index(match["month"].lower()) + 1, int(match["day"])
        )
    except ValueError as exc:
        raise ParseError(f"{what}: invalid date {text!r}: {exc}", source_url=source_url) from exc
    return date, _clean(match["time"]), _clean(match["rest"]).lstrip(",").strip()


def _label_text(card: etree._Element, label: str) -> str:
    """Text after ``<b>{label}</b>`` up to the next element (``Location: Capitol 120``)."""
    found = card.xpath(".//b[normalize-space()=$label]/following-sibling::text()[1]", label=label)
    return _clean(str(found[0])) if isinstance(found, list) and found else ""


def parse_house_schedule(content: bytes | str, *, source_url: str) -> list[HearingRecord]:
    """Every committee meeting card of the House schedule page, in page order.

    A page with neither cards nor the "Currently Posted Meetings" heading raises
    :class:`ParseError` (it is not the schedule); so does a card whose header has
    no date, or an unreadable date or time.  Cards without a committee link
    (floor sessions, closed offices) are skipped.
    """
    root = parse_html(content, source_url=source_url)
    cards = root.xpath(f"//div[{_has_class('my-2')} and {_has_class('d-print-block')}]")
    if not cards:
        if "currently posted meetings" in _clean(root.text_content()).casefold():
            return []
        raise ParseError(
            "no meeting cards and no 'Currently Posted Meetings'", source_url=source_url
        )
    records: list[HearingRecord] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for index, card in enumerate(cards):
        what = f"card {index}"
        headers = card.xpath(f"./div[{_has_class('card-header')}]")
        if len(headers) != 1:
            raise ParseError(
                f"{what}: expected one card-header, found {len(headers)}", source_url=source_url
            )
        header = headers[0]
        links = header.xpath(".//h3//a[@href]")
        if not links:
            continue  # floor session or an unlinked notice: not a committee hearing
        committee = _clean(links[0].text_content())
        if not committee:
            raise ParseError(f"{what}: empty committee name", source_url=source_url)
        committee = re.sub(r"\s*\[(?:commission|joint)\]$", "", committee, flags=re.I)
        href = urljoin(source_url, str(links[0].get("href")))
        spans = header.xpath(f".//span[{_has_class('text-white')}]")
        if not spans:
            raise ParseError(f"{what}: no date in the card header", source_url=source_url)
        date, time_text, _ = _parse_when(spans[0].text_content(), source_url=source_url, what=what)
        start: dt.datetime | None = None
        if time_text:
            start = _start(date, *_clock(time_text, source_url=source_url))
        body_lines = [
            line
            for div in card.xpath(f"./div[not({_has_class('card-header')})]")
            for line in _element_lines(div)
        ]
        agenda_lines: list[str] = []
        for node in card.xpath(".//b[normalize-space()='Agenda:']/following-sibling::*[1]"):
            agenda_lines.extend(_element_lines(node))
        agenda = "\n".join(agenda_lines)
        status = tuple(dict.fromkeys(line for line in body_lines if _STATUS.match(line)))
        header_text = _clean(header.text_content())
        cancelled = bool(_CANCELLED.search(header_text)) or any(
            _CANCELLED.search(line) for line in [*status, *agenda_lines]
        )
        bills = [
            bill
            for link in card.xpath(".//a[contains(@href, 'bill.php')]")
            for bill in _bills_in(_clean(link.text_content()))
        ]
        bills.extend(_bills_in(agenda))
        documents: list[HearingDocument] = []
        for link in card.xpath(".//ul/li//a[@href]"):
            url = str(link.get("href")).strip()
            if url.startswith("mailto:") or "bill.php" in url or not url:
                continue
            absolute = urljoin(source_url, url)
            title = _clean(link.text_content()) or Path(urlparse(absolute).path).name
            documents.append(HearingDocument(title=title, url=absolute))
        ordinal = seen.get((committee.casefold(), date), 0)
        seen[(committee.casefold(), date)] = ordinal + 1
        records.append(
            HearingRecord(
                chamber=vocab.HOUSE,
                committee=committee,
                committee_id=_house_committee_id(href),
                date=date,
                start=start,
                time_text=time_text,
                room=_label_text(card, "Location:"),
                agenda=agenda,
                bills=_unique(bills),
                documents=tuple(dict.fromkeys(documents)),
                cancelled=cancelled,
                status_notes=status,
                source_key=_source_key(vocab.HOUSE, committee, date, ordinal),
                source_url=source_url,
                joint="bg-joint" in (header.get("class") or ""),
                time_note=_label_text(card, "Time Note:"),
            )
        )
    return records


# --- Senate schedule ---------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?$"
)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}:\d{2}\s*[AaPp]\.?\s?[Mm]\.?))?$")
_TRUE: Final = frozenset({"1", "y", "yes", "true", "t"})


def _senate_start(
    value: Any, *, source_url: str, what: str
) -> tuple[dt.date, dt.datetime | None, str]:
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"{what}: no hearing_start", source_url=source_url)
    text = value.strip()
    try:
        if match := _ISO.match(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            date = dt.date(year, month, day)
            if match[4] is None:
                return date, None, ""
            hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
            naive = dt.datetime(year, month, day, hour, minute, second)
            if match[7]:
                aware = dt.datetime.fromisoformat(
                    f"{naive.isoformat()}{'+00:00' if match[7] == 'Z' else match[7]}"
                ).astimezone(CHICAGO)
                return aware.date(), aware, f"{aware:%H:%M}"
            start = _start(date, hour, minute)
            return date, start, f"{hour:02d}:{minute:02d}"
        if match := _US.match(text):
            date = dt.date(int(match[3]), int(match[1]), int(match[2]))
            if not match[4]:
                return date, None, ""
            return date, _start(date, *_clock(match[4], source_url=source_url)), _clean(match[4])
    except ValueError as exc:
        raise ParseError(
            f"{what}: invalid hearing_start {text!r}: {exc}", source_url=source_url
        ) from exc
    raise ParseError(f"{what}: unrecognised hearing_start {text!r}", source_url=source_url)


def _text(value: Any) -> str:
    return (
        _clean(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    return isinstance(value, str) and value.strip().casefold() in _TRUE


def _senate_committee_id(committee: dict[str, Any]) -> str | None:
    for key in ("committee_id", "cmte_id", "id"):
        if _text(committee.get(key)):
            return _text(committee.get(key))
    link = _text(committee.get("link"))
    if link:
        ids = parse_qs(urlparse(link).query).get("cmte_id")
        if ids and ids[0].strip():
            return ids[0].strip()
    return None


def parse_senate_schedule(content: bytes | str, *, source_url: str) -> list[HearingRecord]:
    """Every entry of ``/api/schedule/upcoming``, in order.

    The body must be a JSON object with an ``events`` list (it may be empty).  An
    entry that is not an object, has no ``committee.committee_name``, or no
    readable ``hearing_start`` raises :class:`ParseError` naming the entry index.
    ``hearing_start`` may be ``YYYY-MM-DD HH:MM:SS`` (Central time), ISO with an
    offset, or a date alone (then ``start`` is None).  Cancelled: a true
    ``cancelled``/``canceled``/``is_cancelled`` flag, or "cancel"/"postponed" in a
    status field or the notes.
    """
    try:
        data: Any = json.loads(content)
    except (ValueError, TypeError) as exc:
        raise ParseError(f"schedule is not JSON: {exc}", source_url=source_url) from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ParseError("schedule JSON has no 'events' list", source_url=source_url)
    base = "https://www.senate.mn/"
    records: list[HearingRecord] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for index, event in enumerate(data["events"]):
        what = f"event {index}"
        if not isinstance(event, dict):
            raise ParseError(f"{what} is not an object", source_url=source_url)
        committee_data = event.get("committee")
        committee = (
            _text(committee_data.get("committee_name")) if isinstance(committee_data, dict) else ""
        )
        if not committee or not isinstance(committee_data, dict):
            raise ParseError(f"{what} has no committee.committee_name", source_url=source_url)
        date, start, time_text = _senate_start(
            event.get("hearing_start"), source_url=source_url, what=what
        )
        room = " ".join(
            part
            for part in (_text(event.get("hearing_room")), _text(event.get("hearing_building")))
            if part
        )
        notes = _text(event.get("hearing_notes"))
        agenda_lines = [notes] if notes else []
        bills: list[tuple[str, int]] = []
        documents: list[HearingDocument] = []
        agenda = event.get("agenda") or []
        if not isinstance(agenda, list):
            raise ParseError(f"{what}: agenda is not a list", source_url=source_url)
        for item_index, item in enumerate(agenda):
            if not isinstance(item, dict):
                raise ParseError(
                    f"{what}: agenda item {item_index} is not an object", source_url=source_url
                )
            description = _text(item.get("description"))
            if description:
                agenda_lines.append(description)
            bill_type, bill_number = _text(item.get("bill_type")), _text(item.get("bill_number"))
            if bill_type or bill_number:
                try:
                    bills.append(normalize_bill_id(f"{bill_type} {bill_number}"))
                except ValueError as exc:
                    raise ParseError(
                        f"{what}: agenda item {item_index}: {exc}", source_url=source_url
                    ) from exc
            bills.extend(_bills_in(description))
            for file in item.get("files") or []:
                if not isinstance(file, dict) or not _text(file.get("file_path")):
                    raise ParseError(
                        f"{what}: agenda item {item_index} has a file without file_path",
                        source_url=source_url,
                    )
                url = urljoin(base, _text(file.get("file_path")).lstrip("/"))
                title = _text(file.get("filename")) or Path(urlparse(url).path).name
                documents.append(HearingDocument(title=title, url=url))
        bills.extend(_bills_in(notes))
        status_text = " ".join(
            _text(event.get(key)) for key in ("hearing_status", "status", "hearing_type")
        )
        cancelled = any(_flag(event.get(key)) for key in ("cancelled", "canceled", "is_cancelled"))
        cancelled = (
            cancelled or bool(_CANCELLED.search(status_text)) or bool(_CANCELLED.search(notes))
        )
        status = tuple(
            part for part in (_text(event.get(k)) for k in ("hearing_status", "status")) if part
        )
        hearing_id = _text(event.get("hearing_id")) or _text(event.get("id"))
        ordinal = seen.get((committee.casefold(), date), 0)
        seen[(committee.casefold(), date)] = ordinal + 1
        records.append(
            HearingRecord(
                chamber=vocab.SENATE,
                committee=committee,
                committee_id=_senate_committee_id(committee_data),
                date=date,
                start=start,
                time_text=time_text,
                room=room,
                agenda="\n".join(agenda_lines),
                bills=_unique(bills),
                documents=tuple(dict.fromkeys(documents)),
                cancelled=cancelled,
                status_notes=status,
                source_key=(
                    f"senate:{hearing_id}"
                    if hearing_id
                    else _source_key(vocab.SENATE, committee, date, ordinal)
                ),
                source_url=source_url,
            )
        )
    return records


# --- committee pages ---------------------------------------------------------------

_PARTY = re.compile(r"\(\s*([A-Za-z]{1,5})\s*\)")
_TITLE = re.compile(r"^(?:Rep\.|Representative|Sen\.|Senator)\s+", re.IGNORECASE)
_PERSON_NAME = re.compile(r"^[^\W\d_][\w'’.\- ]*[\w.]$")
_SITE_CHROME = ("minnesota legislature", "minnesota senate", "skip to", "capital icon")


def _page_title(root: etree._Element) -> str:
    for heading in root.iter("h1", "h2", "h3"):
        text = _clean(etree.tostring(heading, method="text", encoding="unicode", with_tail=False))
        if text and not any(chrome in text.casefold() for chrome in _SITE_CHROME):
            return text
    return ""


def _person(raw: str, *, source_url: str, what: str) -> tuple[str, str | None]:
    """``"Rep. Tamsin Vikstrom (DFL)"`` -> ("Tamsin Vikstrom", "DFL")."""
    text = _clean(raw)
    party_match = _PARTY.search(text)
    party = party_match.group(1) if party_match else None
    name = _clean(_TITLE.sub("", text.split("(")[0]).split(",")[0])
    if not name or not _PERSON_NAME.match(name):
        raise ParseError(f"{what}: cannot read a member name in {raw!r}", source_url=source_url)
    return name, party


def _has_token(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _profile_id(url: str, pattern: str) -> str | None:
    match = re.search(pattern, url or "", re.IGNORECASE)
    return match.group(1) if match else None


def parse_house_committee_members(content: bytes | str, *, source_url: str) -> CommitteeRecord:
    """A House committee members page (``/Committees/members/{id}``).

    Each member is a ``div.media`` whose ``div.media-body span b`` holds
    "Rep. Name (PARTY)" and, underlined, the office.  No members, a member whose
    name cannot be read, or an unknown office raise :class:`ParseError`.
    """
    root = parse_html(content, source_url=source_url)
    name = _page_title(root)
    if not name:
        raise ParseError("no committee name (h1/h2/h3)", source_url=source_url)
    members: list[CommitteeMember] = []
    for index, media in enumerate(root.xpath(f"//div[{_has_class('media')}]")):
        what = f"member {index}"
        bolds = media.xpath(f".//div[{_has_class('media-body')}]//span/b")
        if not bolds:
            continue
        label = bolds[0]
        office_nodes = label.xpath(".//u") or media.xpath(
            f".//div[{_has_class('media-body')}]//span//b/u"
        )
        role_text = _clean(office_nodes[0].text_content()) if office_nodes else ""
        printed = _clean(label.text_content())
        if role_text and printed.endswith(role_text):
            printed = printed[: -len(role_text)]
        person, party = _person(printed, source_url=source_url, what=what)
        link = media.xpath(".//a[contains(@href, '/members/profile/')]/@href")
        members.append(
            CommitteeMember(
                name=person,
                role=committee_role(role_text, source_url=source_url),
                role_text=role_text,
                member_id=_profile_id(str(link[0]), r"/members/profile/(\d+)") if link else None,
                party=party,
            )
        )
    if not members:
        raise ParseError("no committee members (div.media)", source_url=source_url)
    committee_id = _house_committee_id(source_url)
    return CommitteeRecord(
        chamber=vocab.HOUSE,
        name=name,
        source_id=committee_id,
        members=tuple(members),
        source_url=source_url,
        source_ids=(committee_id,) if committee_id else (),
    )


def parse_senate_committee_page(content: bytes | str, *, source_url: str) -> CommitteeRecord:
    """A Senate ``committee_bio.html?cmte_id=...`` page.

    Members are the ``member_bio`` links inside ``div.media-body`` (or the older
    ``div#members``); the office is the ``<b>`` before the link ("Chair:",
    "Vice Chair:", "Ranking Minority Member:").  A parent committee is named by a
    ``committee_bio`` link inside an ``h4``.
    """
    root = parse_html(content, source_url=source_url)
    name = _page_title(root)
    if not name:
        raise ParseError("no committee name (h1/h2/h3)", source_url=source_url)
    links = root.xpath(
        f"//div[{_has_class('media-body')} or @id='members']//a[contains(@href, 'member_bio')]"
    )
    members: list[CommitteeMember] = []
    for index, link in enumerate(links):
        printed = _clean(link.text_content())
        if not printed:
            continue
        person, party = _person(printed, source_url=source_url, what=f"member {index}")
        # the office is the element right before the link (or before its wrapper)
        before = link.getprevious()
        if before is None and link.getparent() is not None:
            parent = link.getparent()
            if not _has_token(parent, "media-body") and parent.get("id") != "members":
                before = parent.getprevious()
        role_text = ""
        if before is not None and before.tag in {"b", "strong"}:
            role_text = _clean(before.text_content()).rstrip(":").strip()
        members.append(
            CommitteeMember(
                name=person,
                role=committee_role(role_text, source_url=source_url),
                role_text=role_text,
                member_id=_profile_id(str(link.get("href")), r"[?&]mem_id=(\d+)"),
                party=party,
            )
        )
    if not members:
        raise ParseError("no committee members (member_bio links)", source_url=source_url)
    parents = root.xpath("//h4//a[contains(@href, 'committee_bio')]")
    ids = parse_qs(urlparse(source_url).query).get("cmte_id") or []
    committee_id = ids[0].strip() if ids and ids[0].strip() else None
    return CommitteeRecord(
        chamber=vocab.SENATE,
        name=name,
        source_id=committee_id,
        members=tuple(members),
        source_url=source_url,
        source_ids=(committee_id,) if committee_id else (),
        parent=_clean(parents[0].text_content()) if parents else None,
    )


# --- Open States committee YAML -----------------------------------------------------

_OS_CHAMBERS: Final = {"lower": vocab.HOUSE, "upper": vocab.SENATE}


def _os_source_ids(chamber: str, urls: list[str]) -> tuple[str, ...]:
    """Chamber ids named by the committee's URLs, newest first.

    House ids start with the legislature number (``94001``), so larger is newer;
    Senate ``cmte_id``s are ordered by their ``ls`` (legislative session).
    """
    ranked: dict[str, int] = {}
    for url in urls:
        if chamber == vocab.HOUSE:
            found = _house_committee_id(url)
            if found:
                ranked[found] = max(ranked.get(found, 0), int(found))
        else:
            query = parse_qs(urlparse(url).query)
            ids = query.get("cmte_id") or []
            if ids and ids[0].strip().isdigit():
                ls = (query.get("ls") or ["0"])[0]
                rank = int(ls) if ls.isdigit() else 0
                ranked[ids[0].strip()] = max(ranked.get(ids[0].strip(), -1), rank)
    return tuple(sorted(ranked, key=lambda key: (-ranked[key], key)))


def _uuid(value: Any, prefix: str) -> str | None:
    text = _text(value)
    return text.removeprefix(prefix) if text else None


def parse_openstates_committee(data: Any, *, source_url: str) -> CommitteeRecord:
    """One Open States committee YAML document (already loaded) -> record."""
    if not isinstance(data, dict):
        raise ParseError("committee YAML is not a mapping", source_url=source_url)
    name = _text(data.get("name"))
    if not name:
        raise ParseError("committee YAML has no name", source_url=source_url)
    chamber = _OS_CHAMBERS.get(_text(data.get("chamber")))
    if chamber is None:
        raise ParseError(
            f"unknown committee chamber {data.get('chamber')!r}", source_url=source_url
        )
    raw_members = data.get("members")
    raw_members = [] if raw_members is None else raw_members
    if not isinstance(raw_members, list):
        raise ParseError("committee members is not a list", source_url=source_url)
    members: list[CommitteeMember] = []
    for index, entry in enumerate(raw_members):
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            raise ParseError(f"member {index} has no name", source_url=source_url)
        role_text = _text(entry.get("role"))
        members.append(
            CommitteeMember(
                name=_text(entry.get("name")),
                role=committee_role(role_text, source_url=source_url),
                role_text=role_text,
                person_id=_uuid(entry.get("person_id"), "ocd-person/"),
            )
        )
    urls = [
        _text(item.get("url"))
        for key in ("sources", "links")
        for item in (data.get(key) or [])
        if isinstance(item, dict) and _text(item.get("url"))
    ]
    source_ids = _os_source_ids(chamber, urls)
    parent = data.get("parent")
    return CommitteeRecord(
        chamber=chamber,
        name=name,
        source_id=source_ids[0] if source_ids else None,
        members=tuple(members),
        source_url=source_url,
        source_ids=source_ids,
        openstates_id=_uuid(data.get("id"), "ocd-organization/"),
        parent=_text(parent) if isinstance(parent, str) else None,
        other_names=tuple(
            _text(item.get("name"))
            for item in (data.get("other_names") or [])
            if isinstance(item, dict) and _text(item.get("name"))
        ),
    )


def load_openstates_committees(path: str | Path) -> list[CommitteeRecord]:
    """Every ``*.yml`` under ``<path>/committees/`` (or ``<path>`` itself), in name order.

    ``path`` may be the Open States people directory or its ``committees/``
    folder.  No YAML files there, invalid YAML or a malformed committee raise
    :class:`ParseError`; ``source_url`` is each file's ``file://`` URI.
    """
    root = Path(path)
    folder = root / "committees" if (root / "committees").is_dir() else root
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not files:
        raise ParseError("no committee YAML files", source_url=str(folder))
    records: list[CommitteeRecord] = []
    for file in files:
        source_url = file.resolve().as_uri()
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ParseError(f"invalid YAML: {exc}", source_url=source_url) from exc
        records.append(parse_openstates_committee(data, source_url=source_url))
    return records
