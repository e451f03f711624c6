"""Hearing schedules: the House and Senate schedules into ``Hearing`` rows.

* House ``https://www.house.mn.gov/Schedules/All`` (HTML cards) and Senate
  ``https://www.senate.mn/api/schedule/upcoming`` (JSON), parsed by
  ``scrapers.hearings`` into records with a ``source_key``;
* a hearing's identity is that key (the Senate's hearing id; else chamber,
  committee, date and the meeting's place among the committee's meetings that
  day), so a hearing moved to another time or room keeps its row, and each change
  is kept (``HearingChange``);
* a cancelled hearing is marked, never deleted; a future hearing that leaves the
  schedule unannounced is marked ``missing_from_source`` (it may have moved to
  another day, which the House schedule cannot tell), never deleted;
* bad input is kept and flagged (``tracker.quality``), never guessed: a hearing
  posted without a time keeps its date and no time (``hearing_without_time``); a
  hearing moved again on a day it already moved is kept with its latest time and
  flagged (``hearing_moved_twice``); when the meetings of one committee on one day
  change so that the schedule's keys can no longer tell them apart (two of them
  moved at once, or one appeared or vanished while another moved), the page is
  followed and the group is flagged (``hearing_identity``) so that whoever relies
  on one of them checks it;
* a failed fetch or an unreadable page changes nothing stored for that chamber.

Times are stored in UTC (``Hearing.starts_at``) and shown in Minnesota time
(``tracker.localtime``).  Bills on an agenda are linked to stored bills of the
session the hearing's day belongs to (a special session's bills while one sits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from scrapers import hearings as schedules
from scrapers import vocab
from scrapers.hearings import HearingRecord
from scrapers.http import FetchError
from scrapers.parsing import ParseError
from scrapers.sources import Sources
from tracker import committees, localtime, quality, runs, seats
from tracker.extensions import db
from tracker.models import (
    Bill,
    Committee,
    Hearing,
    HearingBill,
    HearingChange,
    HearingDocument,
    LegislativeSession,
    ScrapeRun,
)
from tracker.models.common import utcnow

HOUSE_SCHEDULE_PATH = "/Schedules/All"
SENATE_SCHEDULE_PATH = "/api/schedule/upcoming"
# Minutes linked from a hearing (mn-sources §11.2).
MINUTES_LINK = re.compile(r"/committees/minutes/\d+/\d+|hearing_minutes\.(?:html|php)", re.I)
MOVES = ("moved", "room", "date")
_ORDINAL_KEY = re.compile(r"^(?:house|senate):[0-9a-f]{16}$")


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


def schedule_url(chamber: str, base: Sources) -> str:
    if chamber == vocab.HOUSE:
        return base.house + HOUSE_SCHEDULE_PATH
    return base.senate + SENATE_SCHEDULE_PATH


def is_ordinal_key(key: str) -> bool:
    """Whether the schedule keyed the hearing by its place among its committee's
    meetings that day (no id of its own): then two such meetings can trade places."""
    return bool(_ORDINAL_KEY.match(key)) and not key.split(":", 1)[1].isdigit()


def bill_session_on(day: dt.date) -> LegislativeSession | None:
    """The session whose bills an agenda of ``day`` names: a special session sitting
    that day, else the regular session."""
    sessions = db.session.scalars(
        select(LegislativeSession).where(LegislativeSession.special_number > 0)
    ).all()
    for special in sorted(sessions, key=lambda s: -s.special_number):
        if (
            special.start_date is not None
            and seats.span_relation(special.start_date, special.end_date, day) == "inside"
        ):
            return special
    return committees.regular_session_on(day)


def _link_bills(hearing: Hearing, wanted: Sequence[tuple[str, int]]) -> bool:
    """The agenda's bills, in order, each linked to its stored bill when there is one."""
    changed = False
    session = bill_session_on(hearing.date)
    by_key = {(b.bill_type, b.number): b for b in hearing.bills}
    for key, gone in list(by_key.items()):
        if key not in wanted:
            hearing.bills.remove(gone)
            changed = True
    for position, (bill_type, number) in enumerate(wanted):
        if bill_type not in vocab.BILL_TYPES:
            continue
        row = by_key.get((bill_type, number))
        if row is None:
            row = HearingBill(bill_type=bill_type, number=number, position=position)
            hearing.bills.append(row)
            changed = True
        elif row.position != position:
            row.position = position
            changed = True
        if row.bill_id is None and session is not None:
            bill_id = db.session.scalar(
                select(Bill.id).where(
                    Bill.session_id == session.id,
                    Bill.bill_type == bill_type,
                    Bill.number == number,
                )
            )
            if bill_id is not None:
                row.bill_id = bill_id
                changed = True
    return changed


def _sync_documents(hearing: Hearing, record: HearingRecord) -> bool:
    changed = False
    wanted = {doc.url[:500]: (i, doc.title[:300]) for i, doc in enumerate(record.documents)}
    for old in list(hearing.documents):
        if old.url not in wanted:
            hearing.documents.remove(old)
            changed = True
    have = {row.url: row for row in hearing.documents}
    for url, (position, title) in wanted.items():
        row = have.get(url)
        if row is None:
            hearing.documents.append(HearingDocument(url=url, title=title, position=position))
            changed = True
        elif (row.position, row.title) != (position, title):
            row.position, row.title = position, title
            changed = True
    for url in wanted:
        if MINUTES_LINK.search(url) and hearing.minutes_url != url:
            hearing.minutes_url = url
            changed = True
    return changed


def _values(record: HearingRecord) -> dict[str, Any]:
    return {
        "chamber": record.chamber,
        "committee_name": record.committee[:300],
        "committee_source_id": record.committee_id,
        "date": record.date,
        "starts_at": record.start.astimezone(dt.UTC) if record.start else None,
        "time_text": record.time_text[:50],
        "time_note": record.time_note[:300],
        "room": record.room[:300],
        "agenda": record.agenda,
        "status_notes": list(record.status_notes),
        "joint": record.joint,
        "cancelled": record.cancelled,
        "missing_from_source": False,
        "source_url": record.source_url[:500],
    }


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def _changes(
    hearing: Hearing, values: dict[str, Any]
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    if hearing.date != values["date"]:
        found.append(
            ("date", {"date": hearing.date.isoformat()}, {"date": values["date"].isoformat()})
        )
    if hearing.starts_at != values["starts_at"]:
        found.append(
            (
                "moved",
                {"starts_at": _moment(hearing.starts_at), "time_text": hearing.time_text},
                {"starts_at": _moment(values["starts_at"]), "time_text": values["time_text"]},
            )
        )
    if hearing.room != values["room"]:
        found.append(("room", {"room": hearing.room}, {"room": values["room"]}))
    if hearing.cancelled != values["cancelled"]:
        found.append(("cancelled" if values["cancelled"] else "reinstated", {}, {}))
    if hearing.missing_from_source:
        found.append(("back", {}, {}))
    return found


def _moved_earlier_today(hearing: Hearing, now: dt.datetime) -> HearingChange | None:
    today = localtime.today(now)
    return next(
        (
            c
            for c in hearing.changes
            if c.kind in MOVES and c.seen_at < now and localtime.today(c.seen_at) == today
        ),
        None,
    )


def _describe(hearing: Hearing) -> str:
    when = (
        localtime.day_and_clock(hearing.starts_at)
        if hearing.starts_at
        else f"{localtime.day(hearing.date)} (no time)"
    )
    return f"{hearing.committee_name}, {when}" + (f", {hearing.room}" if hearing.room else "")


def _link_committee(hearing: Hearing, record: HearingRecord, now: dt.datetime) -> bool:
    session = committees.regular_session_on(record.date)
    changed = False
    if session is not None and hearing.session_id != session.id:
        hearing.session_id = session.id
        changed = True
    if session is None:
        return changed
    committee, _ = committees.ensure_committee(
        session, record.chamber, record.committee, record.committee_id, "schedule", None, now
    )
    if hearing.committee_id != committee.id:
        hearing.committee_id = committee.id
        changed = True
    return changed


def ingest_schedule(
    chamber: str, records: Sequence[HearingRecord], *, now: dt.datetime | None = None
) -> Counts:
    """Upsert one chamber's schedule (module docstring).  The caller commits."""
    now = now or utcnow()
    today = localtime.today(now)
    counts = Counts()
    keys = [r.source_key for r in records]
    stored = (
        {
            h.source_key: h
            for h in db.session.scalars(
                select(Hearing)
                .where(Hearing.source_key.in_(keys))
                .options(
                    selectinload(Hearing.bills),
                    selectinload(Hearing.documents),
                    selectinload(Hearing.changes),
                )
            )
        }
        if keys
        else {}
    )
    moved_now: dict[tuple[str, dt.date], list[Hearing]] = defaultdict(list)
    on_page: dict[tuple[str, dt.date], int] = defaultdict(int)
    for record in records:
        group = (record.committee.casefold(), record.date)
        if is_ordinal_key(record.source_key):
            on_page[group] += 1
        values = _values(record)
        hearing = stored.get(record.source_key)
        if hearing is None:
            hearing = Hearing(source_key=record.source_key, last_seen_at=now, **values)
            db.session.add(hearing)
            _link_committee(hearing, record, now)
            _link_bills(hearing, record.bills)
            _sync_documents(hearing, record)
            db.session.flush()
            counts.new += 1
            _flag_time(hearing)
            continue
        changes = _changes(hearing, values)
        moved = [c for c in changes if c[0] in MOVES]
        if moved:
            earlier = _moved_earlier_today(hearing, now)
            if earlier is not None:
                quality.flag(
                    "hearing_moved_twice",
                    f"{hearing.public_id}:{today.isoformat()}",
                    f"{hearing.committee_name} ({vocab.CHAMBER_NAMES[chamber]}) moved again on "
                    f"{localtime.day(today)}: now "
                    f"{values['time_text'] or 'no time'} on {values['date'].isoformat()}"
                    f"{', ' + values['room'] if values['room'] else ''}. The latest schedule "
                    "is shown; check it before relying on the time.",
                    source_url=record.source_url,
                    details={
                        "hearing": hearing.public_id,
                        "changes": [
                            {
                                "kind": c.kind,
                                "before": c.before,
                                "after": c.after,
                                "seen_at": c.seen_at.isoformat(),
                            }
                            for c in hearing.changes
                            if c.kind in MOVES
                        ]
                        + [
                            {"kind": k, "before": b, "after": a, "seen_at": now.isoformat()}
                            for k, b, a in moved
                        ],
                    },
                )
            if is_ordinal_key(record.source_key):
                moved_now[group].append(hearing)
        changed = bool(changes)
        for kind, before, after in changes:
            hearing.changes.append(
                HearingChange(kind=kind, before=before, after=after, seen_at=now)
            )
        for name, value in values.items():
            if getattr(hearing, name) != value:
                setattr(hearing, name, value)
                changed = True
        changed |= _link_committee(hearing, record, now)
        changed |= _link_bills(hearing, record.bills)
        changed |= _sync_documents(hearing, record)
        hearing.last_seen_at = now
        db.session.flush()
        _flag_time(hearing)
        if changed:
            counts.changed += 1
        else:
            counts.unchanged += 1
    _check_identity(chamber, moved_now, on_page, today)
    _mark_missing(chamber, records, keys, now, today)
    db.session.flush()
    return counts


def _flag_time(hearing: Hearing) -> None:
    key = hearing.public_id
    if hearing.starts_at is None and not hearing.cancelled:
        printed = f" (printed {hearing.time_text!r})" if hearing.time_text else ""
        note = f"; note: {hearing.time_note}" if hearing.time_note else ""
        quality.flag(
            "hearing_without_time",
            key,
            f"{hearing.committee_name} ({vocab.CHAMBER_NAMES[hearing.chamber]}) on "
            f"{localtime.day(hearing.date)} is posted without a time{printed}{note}. "
            "The date is kept; no time is assumed.",
            source_url=hearing.source_url,
            details={
                "hearing": hearing.public_id,
                "time_text": hearing.time_text,
                "time_note": hearing.time_note,
            },
        )
        return
    item = quality.find("hearing_without_time", key)
    if item is not None:
        quality.auto_resolve(
            [item], "The schedule now gives a time (or the hearing was cancelled)."
        )


def _check_identity(
    chamber: str,
    moved_now: dict[tuple[str, dt.date], list[Hearing]],
    on_page: dict[tuple[str, dt.date], int],
    today: dt.date,
) -> None:
    for (committee, date), moved in moved_now.items():
        stored = [
            h
            for h in db.session.scalars(
                select(Hearing).where(Hearing.chamber == chamber, Hearing.date == date)
            )
            if h.committee_name.casefold() == committee
            and is_ordinal_key(h.source_key)
            and not h.missing_from_source
        ]
        if len(moved) < 2 and on_page[(committee, date)] == len(stored):
            continue
        names = "; ".join(_describe(h) for h in sorted(stored, key=lambda h: h.source_key))
        quality.flag(
            "hearing_identity",
            f"{chamber}:{committee}:{date.isoformat()}:{today.isoformat()}",
            f"The {vocab.CHAMBER_NAMES[chamber]} schedule changed the meetings of "
            f"{moved[0].committee_name} on {localtime.day(date)} so that they can no longer "
            f"be told apart: {len(moved)} moved while the page lists "
            f"{on_page[(committee, date)]} of them. The schedule is shown as posted ({names}); "
            "check which meeting is which before relying on one.",
            source_url=moved[0].source_url,
            details={"hearings": [h.public_id for h in stored], "date": date.isoformat()},
        )


def _mark_missing(
    chamber: str,
    records: Sequence[HearingRecord],
    keys: Sequence[str],
    now: dt.datetime,
    today: dt.date,
) -> None:
    """Future hearings of the dates the page covers that it no longer lists."""
    query = select(Hearing).where(
        Hearing.chamber == chamber, Hearing.date >= today, Hearing.missing_from_source.is_(False)
    )
    if records:
        query = query.where(Hearing.date <= max(r.date for r in records))
    for hearing in db.session.scalars(query):
        if hearing.source_key in keys:
            continue
        hearing.missing_from_source = True
        hearing.changes.append(HearingChange(kind="missing", before={}, after={}, seen_at=now))


def scrape_hearings(
    *,
    session: str | None = None,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    chambers: Sequence[str] = vocab.CHAMBERS,
    now: dt.datetime | None = None,
    progress: runs.Progress | None = None,
) -> ScrapeRun:
    """Both chambers' hearing schedules (module docstring).  ``session`` is accepted for
    the command line's sake and recorded on the run: the schedules list what is posted,
    and each hearing belongs to the session of its day."""
    from tracker.demo import refuse_if_demo
    from tracker.sessions import SESSION_ID

    refuse_if_demo("scraping hearings")
    if session is not None and not SESSION_ID.match(session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    if not chambers or set(chambers) - set(vocab.CHAMBERS):
        raise ValueError("chambers must be house, senate or both")
    src = runs.sources()
    production = runs.Production(src)
    options = {"session": session, "record": record, "replay": replay}
    with (
        runs.client(record, replay) as http,
        runs.running("hearings", options, triggered_by, http) as run,
    ):
        for done, chamber in enumerate(chambers, start=1):
            url = schedule_url(chamber, src)
            shown = production.url(url, chamber)
            parse = (
                schedules.parse_house_schedule
                if chamber == vocab.HOUSE
                else schedules.parse_senate_schedule
            )
            try:
                response = http.get(url)
                run.bump("fetched")
                records = parse(response.content, source_url=shown)
            except (FetchError, ParseError) as exc:
                run.item_failed(
                    f"{chamber} schedule", shown, getattr(exc, "reason", None) or str(exc)
                )
                run.commit()
                continue
            counts = ingest_schedule(chamber, records, now=now)
            run.add(counts)
            run.commit()
            if progress:
                progress(done, len(chambers))
    return run.row


# ---------------------------------------------------------------- reads for pages and feeds


def _loaded(*, committee: bool = True) -> Any:
    options = [
        selectinload(Hearing.bills).joinedload(HearingBill.bill).joinedload(Bill.session),
        selectinload(Hearing.documents),
        selectinload(Hearing.changes),
    ]
    if committee:
        options.append(joinedload(Hearing.committee))
    return select(Hearing).options(*options)


def order_key(hearing: Hearing) -> tuple[dt.date, dt.datetime, int]:
    return (
        hearing.date,
        hearing.starts_at or dt.datetime.max.replace(tzinfo=dt.UTC),
        hearing.id or 0,
    )


def of_committee(committee: Committee) -> list[Hearing]:
    """Every hearing of a committee, in date order."""
    rows = db.session.scalars(
        _loaded(committee=False).where(Hearing.committee_id == committee.id)
    ).all()
    for row in rows:
        set_committed_value(row, "committee", committee)
    return sorted(rows, key=order_key)


def of_bills(
    bill_ids: Sequence[int], since: dt.date | None = None, before: dt.date | None = None
) -> list[Hearing]:
    """Every hearing whose agenda names one of the bills, in date order (dated from
    ``since`` and before ``before`` when given)."""
    if not bill_ids:
        return []
    query = _loaded().where(Hearing.bills.any(HearingBill.bill_id.in_(list(bill_ids))))
    if since is not None:
        query = query.where(Hearing.date >= since)
    if before is not None:
        query = query.where(Hearing.date < before)
    return sorted(db.session.scalars(query).all(), key=order_key)


def split(
    rows: Sequence[Hearing], today: dt.date | None = None
) -> tuple[list[Hearing], list[Hearing]]:
    """Upcoming (today on, in date order) and past (latest first) hearings."""
    today = today or localtime.today()
    upcoming = [h for h in rows if h.date >= today]
    past = [h for h in rows if h.date < today]
    return upcoming, list(reversed(past))


def for_bill(bill_id: int, today: dt.date | None = None) -> tuple[list[Hearing], list[Hearing]]:
    """A bill's upcoming and past hearings (what ``public/_hearings.html`` shows)."""
    return split(of_bills([bill_id]), today)


__all__ = [
    "Counts",
    "bill_session_on",
    "for_bill",
    "ingest_schedule",
    "is_ordinal_key",
    "of_bills",
    "of_committee",
    "order_key",
    "schedule_url",
    "scrape_hearings",
    "split",
]
