"""Store scraped records: idempotent upserts on natural keys, no HTTP.

Rules every function here follows:

* rows are found by their natural keys (session identifier; a person's Open States
  id, then House member id, then Senate member id; a bill's session, type and
  number; an action's chamber and number) and updated in place;
* a re-run with the same content writes nothing (bills compare ``content_hash``
  first; other rows compare field by field and only assign what differs);
* ``last_seen_at`` is bookkeeping and is refreshed at most once per
  ``SEEN_GRANULARITY`` so that a quick re-run stays write-free;
* nothing is deleted.  A bill missing from a complete listing and an action
  missing from its bill's status document are marked ``missing_from_source``.
  So is an author the source no longer lists;
* staff-created rows (positions, scored votes, scorecards, tags) are never read
  or written here.

The caller (``tracker.pipeline``) owns the transaction and commits.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from sqlalchemy import select

from scrapers.people import printed_name_forms
from scrapers.records import (
    ActionRecord,
    BillRecord,
    BillSearchResult,
    PersonRecord,
    SessionRecord,
    TermRecord,
)
from tracker import seats
from tracker.authors import AuthorResolver, author_day, flag_mismatch
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    LegislativeSession,
    Person,
    PersonName,
    Term,
    TermEvidence,
)
from tracker.models.common import new_public_id, utcnow
from tracker.roster import derive

log = logging.getLogger(__name__)

SEEN_GRANULARITY = dt.timedelta(hours=12)


def refresh_due(
    bill_type: str,
    number: int,
    last_fetched_at: dt.datetime | None,
    now: dt.datetime,
    refresh_days: int,
) -> bool:
    """Whether an unchanged bill's status document is due a periodic refetch.

    Each bill has a fixed day in a ``refresh_days`` cycle (a hash of its type and
    number), so an unchanged session's refetches are spread evenly: each day's
    first run refetches about ``1 / refresh_days`` of its bills, never all of them
    a week after they were first fetched together.  A bill whose day was missed
    (no run that day) is refetched once it is a day overdue."""
    if last_fetched_at is None:
        return True
    age = now - last_fetched_at
    if age >= dt.timedelta(days=refresh_days + 1):
        return True
    slot = zlib.crc32(f"{bill_type}{number}".encode()) % refresh_days
    today = now.astimezone(dt.UTC).date()
    fetched_before_today = last_fetched_at.astimezone(dt.UTC).date() < today
    return fetched_before_today and today.toordinal() % refresh_days == slot


Outcome = Literal["new", "changed", "unchanged"]


@dataclass
class Counts:
    """How many records were new, changed or unchanged."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # data-quality notes for the run

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


def _assign(
    obj: Any,
    values: Mapping[str, Any],
    *,
    keep_existing: Iterable[str] = (),
    fill_only: Iterable[str] = (),
) -> bool:
    """Set the attributes that differ.  A missing value never erases a stored one for
    ``keep_existing`` names; ``fill_only`` names are only set while still empty.
    True if anything changed."""
    keep = set(keep_existing)
    fill = set(fill_only)
    changed = False
    for name, value in values.items():
        current = getattr(obj, name)
        if name in keep and (value is None or value == ""):
            continue
        if name in fill and current not in (None, ""):
            continue
        if current != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _touch_seen(obj: Any, now: dt.datetime) -> None:
    if obj.last_seen_at is None or now - obj.last_seen_at >= SEEN_GRANULARITY:
        obj.last_seen_at = now


# ---------------------------------------------------------------- sessions


def find_session(identifier: str) -> LegislativeSession | None:
    return db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == identifier)
    )


class _SessionValues(TypedDict):
    """A session's columns that every record sets (typed, so ``LegislativeSession(**)``
    is checked)."""

    revisor_code: str
    name: str
    legislature: int
    year: int
    special_number: int


class _SessionFilled(TypedDict):
    """A session's columns that a record only fills (a missing value erases nothing)."""

    start_date: dt.date | None
    end_date: dt.date | None
    source_url: str | None


def upsert_sessions(records: Iterable[SessionRecord], *, now: dt.datetime | None = None) -> Counts:
    """Insert or update sessions by identifier.

    Dates and the House vote key are only filled, never erased or overwritten: an
    admin may have set a key (``tracker session set-house-key``) that the known
    table does not have.
    """
    now = now or utcnow()
    counts = Counts()
    for record in records:
        row = find_session(record.identifier)
        values: _SessionValues = {
            "revisor_code": record.revisor_code,
            "name": record.name,
            "legislature": record.legislature,
            "year": record.year,
            "special_number": record.special_number,
        }
        filled: _SessionFilled = {
            "start_date": record.start_date,
            "end_date": record.end_date,
            "source_url": record.source_url,
        }
        if row is None:
            row = LegislativeSession(
                identifier=record.identifier,
                house_vote_key=record.house_vote_key,
                last_seen_at=now,
                **values,
                **filled,
            )
            db.session.add(row)
            db.session.flush()
            counts.add("new")
            continue
        changed = _assign(row, values)
        changed |= _assign(row, filled, keep_existing=filled)
        if record.house_vote_key and not row.house_vote_key:
            row.house_vote_key = record.house_vote_key
            changed = True
        _touch_seen(row, now)
        counts.add("changed" if changed else "unchanged")
    return counts


# ---------------------------------------------------------------- people


def find_person(record: PersonRecord) -> Person | None:
    for attr in ("openstates_id", "house_member_id", "senate_member_id"):
        value = getattr(record, attr)
        if value:
            person: Person | None = db.session.scalar(
                select(Person).where(getattr(Person, attr) == value)
            )
            if person is not None:
                return person
    return None


def _id_taken(attr: str, value: str, person: Person) -> bool:
    other = db.session.scalar(select(Person).where(getattr(Person, attr) == value))
    return other is not None and other is not person


def party_column(party: str | None) -> str | None:
    """A party as stored in ``Term.party``: the code (``DFL``), or the name as the
    source gives it when it has no code (``Progressive/Democratic``)."""
    return party


def _upsert_terms(person: Person, terms: Sequence[TermRecord]) -> bool:
    """Add or update terms keyed on (chamber, district, start date); never invent dates.

    A roster's undated "sits now" term is skipped when an open term for the same seat
    is already stored (as ``merge_people`` does)."""
    changed = False
    for term in terms:
        match = next(
            (
                t
                for t in person.terms
                if (t.chamber, t.district, t.start_date)
                == (term.chamber, term.district, term.start_date)
            ),
            None,
        )
        if match is None and term.start_date is None and term.end_date is None:
            if any(
                t.chamber == term.chamber and t.district == term.district and t.end_date is None
                for t in person.terms
            ):
                continue
        if match is None:
            person.terms.append(
                Term(
                    chamber=term.chamber,
                    district=term.district,
                    party=party_column(term.party),
                    start_date=term.start_date,
                    end_date=term.end_date,
                )
            )
            changed = True
            continue
        changed |= _assign(
            match,
            {"party": party_column(term.party), "end_date": term.end_date},
            keep_existing=("party",),
        )
    return changed


def record_seen(
    person: Person,
    terms: Sequence[TermRecord],
    *,
    day: dt.date,
    source_url: str | None,
    source: str = "member_list",
) -> int:
    """A chamber's member list fetched on ``day`` lists ``person`` in the seats of
    ``terms``: evidence (``TermEvidence``, kind ``seen``) that they held them that
    day.  Only the first and last such day are kept per term and source.  Returns
    how many evidence rows changed."""
    changed = 0
    for record in terms:
        term = seats.recorded_term(
            [
                t
                for t in person.terms
                if (t.chamber, t.district) == (record.chamber, record.district)
            ],
            day,
        )
        if term is None:
            continue
        rows = sorted(
            (e for e in term.evidence if e.source == source and e.kind == "seen"),
            key=lambda e: e.day,
        )
        if any(e.day == day for e in rows):
            continue
        if len(rows) < 2:
            term.evidence.append(
                TermEvidence(
                    source=source, kind="seen", day=day, source_url=(source_url or "")[:500] or None
                )
            )
        elif day > rows[-1].day:
            rows[-1].day = day
        elif day < rows[0].day:
            rows[0].day = day
        else:
            continue
        changed += 1
    db.session.flush()
    return changed


# Fields a chamber roster only fills in: Open States is the authority on names.
ROSTER_FILL_ONLY = ("name", "given_name", "family_name", "source_url")


class _PersonScalars(TypedDict):
    """A person's columns that a record sets (typed, so ``Person(**)`` is checked)."""

    name: str
    given_name: str | None
    family_name: str | None
    email: str | None
    phone: str | None
    office_address: str | None
    profile_url: str | None
    photo_url: str | None
    source_url: str | None


def upsert_person(
    record: PersonRecord,
    *,
    now: dt.datetime | None = None,
    name_source: str = "openstates",
    roster: bool = False,
) -> tuple[Person, Outcome]:
    """Insert or update one person (see :func:`upsert_people`).  With ``roster`` the
    record comes from a chamber roster: it updates contact details and the photo URL
    but only fills names that are still empty."""
    now = now or utcnow()
    person = find_person(record)
    scalars: _PersonScalars = {
        "name": record.name,
        "given_name": record.given_name,
        "family_name": record.family_name,
        "email": record.email,
        "phone": record.phone,
        "office_address": record.office_address,
        "profile_url": record.profile_url,
        "photo_url": record.photo_url,
        "source_url": record.source_url,
    }
    outcome: Outcome
    if person is None:
        person = Person(
            public_id=record.openstates_id or new_public_id(),
            openstates_id=record.openstates_id,
            house_member_id=record.house_member_id,
            senate_member_id=record.senate_member_id,
            lrl_id=record.lrl_id,
            last_seen_at=now,
            **scalars,
        )
        db.session.add(person)
        outcome = "new"
        changed = True
    else:
        outcome = "unchanged"
        # A roster record fills gaps and never erases what Open States gave.
        changed = _assign(
            person,
            scalars,
            keep_existing=scalars,
            fill_only=ROSTER_FILL_ONLY if roster else (),
        )
        for attr in ("openstates_id", "house_member_id", "senate_member_id", "lrl_id"):
            value = getattr(record, attr)
            if value and getattr(person, attr) != value:
                if getattr(person, attr) is None and not _id_taken(attr, value, person):
                    setattr(person, attr, value)
                    changed = True
                else:
                    log.warning(
                        "person %s: %s %s not stored (conflicts with %s)",
                        person.public_id,
                        attr,
                        value,
                        getattr(person, attr),
                    )
    changed |= _upsert_terms(person, record.terms)
    known = {n.name for n in person.names}
    for form in printed_name_forms(record):
        if form not in known:
            person.names.append(PersonName(name=form[:200], source=name_source))
            known.add(form)
            changed = True
    _touch_seen(person, now)
    db.session.flush()
    derive([person.id])  # the effective bounds follow the recorded ones (tracker.roster)
    if outcome != "new" and changed:
        outcome = "changed"
    return person, outcome


def upsert_people(
    records: Iterable[PersonRecord],
    *,
    now: dt.datetime | None = None,
    name_source: str = "openstates",
    roster: bool = False,
) -> Counts:
    """Insert or update people, matched by Open States id, then House member id, then
    Senate member id.  Terms are kept (missing dates stay missing); every printed name
    form from :func:`scrapers.people.printed_name_forms` gets a ``PersonName`` row;
    ``public_id`` is the Open States UUID for a new person that has one."""
    now = now or utcnow()
    counts = Counts()
    for record in records:
        _, outcome = upsert_person(record, now=now, name_source=name_source, roster=roster)
        counts.add(outcome)
    return counts


# ---------------------------------------------------------------- bills: the listing


def find_bill(session: LegislativeSession, bill_type: str, number: int) -> Bill | None:
    return db.session.scalar(
        select(Bill).where(
            Bill.session_id == session.id, Bill.bill_type == bill_type, Bill.number == number
        )
    )


def upsert_bill_listing(
    session: LegislativeSession,
    results: Sequence[BillSearchResult],
    *,
    complete: bool = True,
    refresh_days: int,
    now: dt.datetime | None = None,
) -> list[BillSearchResult]:
    """Compare the search listing with the stored bills; return the rows whose status
    document must be fetched: new bills, bills whose listing row changed (description
    or status URL), bills marked missing that reappeared, and the unchanged bills
    whose periodic refetch is due (:func:`refresh_due`: each on its day of a
    ``refresh_days`` cycle).

    The listing description is stored by :func:`upsert_bill` once the detail is in,
    so a bill whose detail fetch fails is still seen as changed next time.  When the
    listing is ``complete``, stored bills of the session it does not list are marked
    ``missing_from_source`` (never deleted).
    """
    now = now or utcnow()
    stored = {
        (b.bill_type, b.number): b
        for b in db.session.scalars(select(Bill).where(Bill.session_id == session.id))
    }
    needing: list[BillSearchResult] = []
    listed: set[tuple[str, int]] = set()
    for row in results:
        key = (row.bill_type, row.number)
        if key in listed:
            continue
        listed.add(key)
        bill = stored.get(key)
        if (
            bill is None
            or bill.content_hash is None
            or bill.missing_from_source
            or bill.listing_description != row.description
            or bill.source_url != row.status_xml_url
            or refresh_due(row.bill_type, row.number, bill.last_fetched_at, now, refresh_days)
        ):
            needing.append(row)
        if bill is not None:
            _touch_seen(bill, now)
    if complete:
        for key, bill in stored.items():
            if key not in listed and not bill.missing_from_source:
                bill.missing_from_source = True
                log.info("%s %s no longer in the listing; marked missing", session.identifier, key)
    return needing


# ---------------------------------------------------------------- bills: the detail


def _action_values(action: ActionRecord) -> dict[str, Any]:
    return {
        "date": action.date,
        "text": action.text,
        "description": action.description,
        "journal_page": action.journal_page,
        "committee": action.committee[:300] if action.committee else None,
        "roll_call_text": action.roll_call,
        "yeas": action.yeas,
        "nays": action.nays,
        "classification": ",".join(action.classification)[:200] or None,
        "missing_from_source": False,
    }


def _sync_actions(bill: Bill, actions: Sequence[ActionRecord]) -> None:
    stored = {(a.chamber, a.number): a for a in bill.actions}
    seen: set[tuple[str, int]] = set()
    for action in actions:
        key = (action.chamber, action.number)
        seen.add(key)
        row = stored.get(key)
        if row is None:
            bill.actions.append(
                BillAction(chamber=action.chamber, number=action.number, **_action_values(action))
            )
        else:
            _assign(row, _action_values(action))
    for key, row in stored.items():
        if key not in seen and not row.missing_from_source:
            row.missing_from_source = True


class _AuthorValues(TypedDict):
    """An authorship's columns that a record sets (typed, so ``Authorship(**)`` is checked)."""

    printed_name: str
    member_id: str | None
    chief: bool
    person_id: int | None
    missing_from_source: bool


def _sync_authors(
    bill: Bill, record: BillRecord, session: LegislativeSession, resolver: AuthorResolver
) -> None:
    stored = {(a.chamber, a.position): a for a in bill.authors}
    seen: set[tuple[str, int]] = set()
    problems: list[tuple[Authorship, str]] = []
    for author in record.authors:
        key = (author.chamber, author.position)
        seen.add(key)
        match = resolver.match(
            author.chamber,
            author.printed_name,
            author.member_id,
            session,
            author_day(bill, author.chamber, session),
        )
        values: _AuthorValues = {
            "printed_name": author.printed_name[:200],
            "member_id": author.member_id,
            "chief": author.chief,
            "person_id": match.person_id,
            "missing_from_source": False,
        }
        row = stored.get(key)
        if row is None:
            row = Authorship(chamber=author.chamber, position=author.position, **values)
            bill.authors.append(row)
        else:
            _assign(row, values)
        if match.problem:
            problems.append((row, match.problem))
    for key, row in stored.items():
        if key not in seen and not row.missing_from_source:
            row.missing_from_source = True
    if problems:
        db.session.flush()
        for row, problem in problems:
            flag_mismatch(bill, row, problem)


def _link_companion(bill: Bill, session: LegislativeSession) -> None:
    """Point ``bill`` at its companion and the companion back at it, when both exist."""
    if not bill.companion_type or not bill.companion_number:
        if bill.companion_id is not None:
            bill.companion_id = None
        return
    other = find_bill(session, bill.companion_type, bill.companion_number)
    if other is None:
        return
    if bill.companion_id != other.id:
        bill.companion_id = other.id
    names_back = (other.companion_type, other.companion_number) == (bill.bill_type, bill.number)
    if other.companion_id is None and (names_back or other.companion_number is None):
        other.companion_id = bill.id


def upsert_bill(
    session: LegislativeSession,
    record: BillRecord,
    *,
    listing_description: str | None = None,
    now: dt.datetime | None = None,
    authors: AuthorResolver | None = None,
) -> Outcome:
    """Insert or update one bill from its parsed status document.

    Identical content (same ``content_hash``) writes nothing but the fetch
    bookkeeping (``last_fetched_at``, ``last_seen_at`` and the listing description).
    Otherwise scalars are updated, actions synced by (chamber, number) - updated in
    place, new ones added, vanished ones marked ``missing_from_source`` - authors
    matched to people (``tracker.authors``; pass one ``authors`` resolver per run),
    and the companion linked both ways when it is stored.
    """
    if record.session != session.identifier:
        raise ValueError(f"record is for session {record.session}, not {session.identifier}")
    now = now or utcnow()
    bill = find_bill(session, record.bill_type, record.number)
    outcome: Outcome
    if bill is None:
        bill = Bill(
            session_id=session.id,
            bill_type=record.bill_type,
            number=record.number,
            title=record.title,
        )
        db.session.add(bill)
        outcome = "new"
    elif bill.content_hash == record.content_hash and record.content_hash:
        outcome = "unchanged"
    else:
        outcome = "changed"
    if outcome != "unchanged":
        _assign(
            bill,
            {
                "title": record.title,
                "status": record.status,
                "revisor_number": record.revisor_number,
                "companion_type": record.companion_type,
                "companion_number": record.companion_number,
                "source_url": record.source_url[:500],
                "content_hash": record.content_hash or None,
            },
        )
        if outcome == "new":
            bill.last_seen_at = now
            db.session.flush()
        _sync_actions(bill, record.actions)
        _sync_authors(bill, record, session, authors or AuthorResolver())
    if bill.missing_from_source:
        bill.missing_from_source = False
    if listing_description is not None and bill.listing_description != listing_description:
        bill.listing_description = listing_description
    bill.last_fetched_at = now
    _touch_seen(bill, now)
    db.session.flush()
    _link_companion(bill, session)
    return outcome


def relink_authors(session: LegislativeSession | None = None) -> int:
    """Match still-unmatched authorships to people (after a people import); returns the
    number matched.  Mismatched member keys stay unlinked and flagged."""
    query = select(Authorship).join(Bill).where(Authorship.person_id.is_(None))
    if session is not None:
        query = query.where(Bill.session_id == session.id)
    resolver = AuthorResolver()
    matched = 0
    for row in db.session.scalars(query).all():
        bill = row.bill
        match = resolver.match(
            row.chamber,
            row.printed_name,
            row.member_id,
            bill.session,
            author_day(bill, row.chamber, bill.session),
        )
        if match.person_id is not None:
            row.person_id = match.person_id
            matched += 1
        elif match.problem:
            flag_mismatch(bill, row, match.problem)
    return matched
