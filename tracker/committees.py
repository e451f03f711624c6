"""Committees and their members, per session, and THE membership rule.

**The membership rule** (the only place a membership's dates are compared;
``tests/test_committees.py`` fails when they are compared anywhere else): a
legislator is a member of committee C on day D when D lies within one of their
spans on C, ``member_from``..``member_until`` (both inclusive; an empty end is
open, an empty start is never counted).  Who can *vote* in C on D is then the
members who are also seated in the chamber on D (``tracker.seats``).

The spans come from the record, each bound with its source (``COMMITTEE_SOURCES``):

* a **member list** - the chamber's committee page (House ``/Committees/members/{id}``,
  Senate ``committee_bio.html?cmte_id=..``) or the Open States committee YAML - read on
  a day shows the member on the committee that day.  A span starts on the first day
  the record shows the member (never earlier: nothing is assumed about the days
  before), stays open while the lists go on showing them, and ends on the last day a
  list showed them when a later list leaves them out;
* the **minutes** of a meeting name the members present, excused and absent: each
  is a member that day.  A span reaches back to the earliest such day, and between
  two days the record shows a member, they count as a member throughout.

Sources are merged with provenance, the way people are: a committee is matched by
the chamber's id (Open States lists them, the schedule prints them), else by its
name; members by Open States person id or chamber member id, else by name among
the legislators seated that day (``scrapers.names``).  Roles: the chamber's page
wins over Open States, which wins over the minutes.  Once a chamber's page of a
committee has been read, it alone keeps that committee's member list; Open States
fills committees whose page was never read.  A member no source can match is kept
by printed name and flagged (``committee_member_unmatched``), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from scrapers import hearings as parsed_committees
from scrapers import vocab
from scrapers.committee_votes import MinutesHeader, MinutesMember
from scrapers.hearings import CommitteeMember, CommitteeRecord
from scrapers.http import FetchError
from scrapers.names import GENERATIONS, Seat, Tier, family_matches, fold, name_key, resolve_names
from scrapers.parsing import ParseError
from tracker import localtime, quality, runs
from tracker.extensions import db
from tracker.models import (
    Committee,
    CommitteeMembership,
    LegislativeSession,
    Person,
    ScrapeRun,
    Term,
)
from tracker.models.common import utcnow
from tracker.roster import session_on
from tracker.votes.verification import Context

PAGE_SOURCE = {vocab.HOUSE: "house_page", vocab.SENATE: "senate_page"}
LISTS = ("openstates", "house_page", "senate_page", "staff")
# Who decides a member's role: lower wins.
ROLE_AUTHORITY = {
    "staff": 0,
    "house_page": 1,
    "senate_page": 1,
    "openstates": 2,
    "minutes": 3,
    "schedule": 4,
}
# The order members are shown in.
ROLE_ORDER = {
    role: i
    for i, role in enumerate(
        (
            parsed_committees.CHAIR,
            parsed_committees.CO_CHAIR,
            parsed_committees.VICE_CHAIR,
            parsed_committees.CO_VICE_CHAIR,
            parsed_committees.RANKING_MINORITY_MEMBER,
            parsed_committees.MEMBER,
            parsed_committees.ALTERNATE,
        )
    )
}
CHAIRS = (parsed_committees.CHAIR, parsed_committees.CO_CHAIR)
VICE_CHAIRS = (parsed_committees.VICE_CHAIR, parsed_committees.CO_VICE_CHAIR)
ROLE_NAMES = {
    parsed_committees.CHAIR: "Chair",
    parsed_committees.CO_CHAIR: "Co-chair",
    parsed_committees.VICE_CHAIR: "Vice chair",
    parsed_committees.CO_VICE_CHAIR: "Co-vice chair",
    parsed_committees.RANKING_MINORITY_MEMBER: "Ranking minority member",
    parsed_committees.ALTERNATE: "Alternate",
    parsed_committees.MEMBER: "Member",
}
SOURCE_NAMES = {
    "openstates": "Open States",
    "house_page": "the House committee page",
    "senate_page": "the Senate committee page",
    "minutes": "the committee's minutes",
    "schedule": "the hearing schedule",
    "staff": "confirmed by staff",
    "demo": "invented demo data",
}

# House committee members page and Senate committee page (mn-sources §6; unverified live).
HOUSE_MEMBERS_PATH = "/Committees/members/{id}"
SENATE_COMMITTEE_PATH = "/committees/committee_bio.html?cmte_id={id}&ls={ls}"


# ---------------------------------------------------------------- the rule


def member_on(member_from: dt.date | None, member_until: dt.date | None, day: dt.date) -> bool:
    """The membership rule over plain bounds (module docstring)."""
    if member_from is None or day < member_from:
        return False
    return member_until is None or day <= member_until


def membership_on(membership: CommitteeMembership, day: dt.date) -> bool:
    return member_on(membership.member_from, membership.member_until, day)


def member_on_clause(cls: Any, day: dt.date) -> Any:
    """The same rule as a SQL condition on ``committee_membership``."""
    return and_(
        cls.member_from.is_not(None),
        cls.member_from <= day,
        or_(cls.member_until.is_(None), cls.member_until >= day),
    )


def memberships_on(committee_id: int, day: dt.date) -> list[CommitteeMembership]:
    """The committee's memberships held on ``day`` (matched or not), chair first."""
    rows = db.session.scalars(
        select(CommitteeMembership)
        .options(selectinload(CommitteeMembership.person))
        .where(
            CommitteeMembership.committee_id == committee_id,
            member_on_clause(CommitteeMembership, day),
        )
    ).all()
    return sorted(
        rows,
        key=lambda m: (
            ROLE_ORDER.get(m.role, 99),
            (m.person.family_name or m.person.name) if m.person else m.printed_name,
            m.id,
        ),
    )


def member_ids_on(committee_id: int, day: dt.date) -> set[int]:
    """The people who were members of the committee on ``day``."""
    return {
        pid
        for pid in db.session.scalars(
            select(CommitteeMembership.person_id).where(
                CommitteeMembership.committee_id == committee_id,
                CommitteeMembership.person_id.is_not(None),
                member_on_clause(CommitteeMembership, day),
            )
        )
        if pid is not None
    }


def voters_on(
    committee_id: int, chamber: str, day: dt.date
) -> list[tuple[CommitteeMembership, Term]]:
    """Who may vote in the committee on ``day``: its members that day (chair first)
    who are also seated in ``chamber`` (the seat rule), each with the seat they hold.
    A member no source matched to a legislator is left out (there is no one to call)."""
    from tracker.seats import seat_of

    found = []
    for membership in memberships_on(committee_id, day):
        if membership.person_id is None:
            continue
        term = seat_of(membership.person_id, chamber, day)
        if term is not None:
            found.append((membership, term))
    return found


def is_member(committee_id: int, person_id: int, day: dt.date) -> bool:
    """Was ``person_id`` a member of the committee on ``day``?"""
    return person_id in member_ids_on(committee_id, day)


def _span_reaches(membership: CommitteeMembership, day: dt.date) -> str:
    """Where ``day`` lies against a span: inside, before or after."""
    if membership_on(membership, day):
        return "inside"
    if membership.member_from is not None and day < membership.member_from:
        return "before"
    return "after"


def _earlier(a: dt.date, b: dt.date | None) -> bool:
    return b is None or a < b


def _later(a: dt.date, b: dt.date | None) -> bool:
    return b is not None and a > b


def as_of(committee: Committee, today: dt.date | None = None) -> dt.date:
    """The day a committee page shows its members for: today, or the last day of a
    session that is over."""
    today = today or localtime.today()
    end = committee.session.end_date if committee.session else None
    return end if end is not None and _later(today, end) else today


def chairs(
    memberships: Iterable[CommitteeMembership],
) -> tuple[list[CommitteeMembership], list[CommitteeMembership]]:
    """The chairs and the vice chairs among ``memberships``."""
    listed = list(memberships)
    return ([m for m in listed if m.role in CHAIRS], [m for m in listed if m.role in VICE_CHAIRS])


# ---------------------------------------------------------------- names


def committee_key(name: str) -> str:
    """A committee name in comparison form: "Senate Civic Process Committee",
    "Committee on Civic Process" and "civic process" are one committee."""
    text = fold(name)
    text = re.sub(r"\s*\[(?:commission|joint)\]$", "", text)
    text = re.sub(r"^(?:house|senate|minnesota)\s+", "", text)
    text = re.sub(r"^committee on\s+", "", text)
    text = re.sub(r"\s+committee$", "", text)
    return text.strip()


def resolver_form(printed: str, seats: Sequence[Seat]) -> str:
    """A committee's printed name in the form the name resolver reads.

    Minutes headers and committee pages print full names: ``KVALE, Per`` becomes
    ``KVALE, P.`` (the resolver's initials rule); ``Hedda Stone Ashby`` becomes
    ``Stone Ashby, H.`` when exactly one candidate family name ends the name and
    that candidate's given name starts with the same letter.  Anything else (a
    surname, initials, a name no candidate's family name ends) is returned as
    printed, and the resolver decides."""
    text = " ".join(printed.split())
    family, comma, rest = text.partition(",")
    if comma:
        words = rest.split()
        first = words[0].rstrip(".") if words else ""
        if (
            len(first) > 1
            and first[0].isalpha()
            and first.lower() not in GENERATIONS
            and "." not in words[0]
        ):
            return f"{family.strip()}, {first[0].upper()}."
        return text
    words = re.sub(r"\([^)]*\)", " ", text).split()
    while len(words) > 1 and words[-1].rstrip(".").lower() in GENERATIONS:
        words.pop()
    if len(words) < 2 or any(
        name_key(s.family_name or "") == name_key(" ".join(words)) for s in seats
    ):
        return text
    forms: set[str] = set()
    for seat in seats:
        if not seat.family_name or not family_matches(" ".join(words), seat):
            continue
        size = len(name_key(seat.family_name).split())
        given = words[: len(words) - size]
        if not given or not seat.given_name:
            continue
        if fold(given[0])[:1] == fold(seat.given_name)[:1]:
            forms.add(f"{seat.family_name}, {given[0][0].upper()}.")
    return forms.pop() if len(forms) == 1 else text


@dataclass
class Resolved:
    """Printed committee names resolved to people (``None``: not matched, with why)."""

    people: dict[str, int | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def resolve_people(
    printed: Sequence[str], chamber: str, day: dt.date, ctx: Context, session_id: int | None
) -> Resolved:
    """Resolve full printed names among the members seated in ``chamber`` on ``day``."""
    seated, excluded = ctx.candidates(chamber, day)
    forms = {name: resolver_form(name, seated) for name in printed}
    resolution = resolve_names(
        list(forms.values()),
        tiers=[Tier("seated", tuple(seated))],
        mappings=ctx.mappings_for(chamber, session_id),
        excluded=excluded,
        where=f"seated in the {vocab.CHAMBER_NAMES[chamber]} on {day.isoformat()}",
    )
    found = Resolved()
    for name, form in forms.items():
        key = " ".join(form.split())
        person = resolution.matched.get(key)
        if person is not None and key not in {
            n for names in resolution.duplicates.values() for n in names
        }:
            found.people[name] = int(person)
        else:
            found.people[name] = None
            found.reasons[name] = resolution.unmatched.get(
                key, "it resolves to a member another printed name also resolves to"
            )
    return found


# ---------------------------------------------------------------- finding committees


def regular_session_on(day: dt.date) -> LegislativeSession | None:
    """The regular session whose committees sit on ``day``."""
    return session_on(day)


def committees_of(session_id: int, chamber: str | None = None) -> list[Committee]:
    query = select(Committee).where(Committee.session_id == session_id)
    if chamber is not None:
        query = query.where(Committee.chamber == chamber)
    return list(db.session.scalars(query.order_by(Committee.chamber, Committee.name)))


def find_committee(
    session_id: int,
    chamber: str,
    *,
    ids: Iterable[str | None] = (),
    names: Iterable[str | None] = (),
) -> Committee | None:
    """The stored committee with one of the chamber ``ids``, else one of the ``names``."""
    wanted_ids = {i for i in ids if i}
    wanted_names = {committee_key(n) for n in names if n}
    rows = committees_of(session_id, chamber)
    if wanted_ids:
        for row in rows:
            if row.source_id in wanted_ids or wanted_ids & set(row.source_ids or ()):
                return row
    for row in rows:
        keys = {committee_key(row.name), *(committee_key(n) for n in row.other_names or ())}
        if keys & wanted_names:
            return row
    return None


def _add_source(committee: Committee | CommitteeMembership, source: str) -> None:
    if source not in (committee.sources or []):
        committee.sources = [*(committee.sources or []), source]


def ensure_committee(
    session: LegislativeSession,
    chamber: str,
    name: str,
    source_id: str | None,
    source: str,
    source_url: str | None,
    now: dt.datetime | None = None,
) -> tuple[Committee, bool]:
    """The committee (found by id, then name) or a new one named by ``source``."""
    found = find_committee(session.id, chamber, ids=[source_id], names=[name])
    if found is not None:
        return found, False
    clean = re.sub(r"\s*\[(?:commission|joint)\]$", "", " ".join(name.split()), flags=re.I)
    committee = Committee(
        session_id=session.id,
        chamber=chamber,
        name=clean[:300],
        source_id=source_id,
        source_ids=[source_id] if source_id else [],
        sources=[source],
        other_names=[],
        source_url=source_url,
        last_seen_at=now or utcnow(),
    )
    committee.session = session
    db.session.add(committee)
    db.session.flush()
    return committee, True


# ---------------------------------------------------------------- memberships


def member_key(person_id: int | None, printed: str) -> str:
    return f"person:{person_id}" if person_id is not None else f"name:{name_key(printed)}"[:220]


def _spans(committee: Committee, key: str) -> list[CommitteeMembership]:
    return sorted(
        (m for m in committee.memberships if m.member_key == key), key=lambda m: m.sequence
    )


def _set(row: Any, name: str, value: Any) -> bool:
    if getattr(row, name) != value:
        setattr(row, name, value)
        return True
    return False


def _role(membership: CommitteeMembership, role: str, role_text: str, source: str) -> bool:
    if ROLE_AUTHORITY.get(source, 9) > ROLE_AUTHORITY.get(membership.role_source, 9):
        return False
    changed = _set(membership, "role", role)
    changed |= _set(membership, "role_text", role_text[:100])
    return _set(membership, "role_source", source) or changed


def _new_span(
    committee: Committee,
    key: str,
    person_id: int | None,
    printed: str,
    role: str,
    role_text: str,
    source: str,
    day: dt.date,
    until: dt.date | None,
) -> None:
    membership = CommitteeMembership(
        member_key=key,
        sequence=len(_spans(committee, key)),
        person_id=person_id,
        printed_name=printed[:200],
        role=role,
        role_text=role_text[:100],
        role_source=source,
        member_from=day,
        member_from_source=source,
        member_until=until,
        member_until_source=source if until is not None else None,
        sources=[source],
    )
    committee.memberships.append(membership)


def listed(
    committee: Committee,
    person_id: int | None,
    printed: str,
    role: str,
    role_text: str,
    source: str,
    day: dt.date,
    now: dt.datetime,
) -> bool:
    """A member list read on ``day`` shows the member: the open span goes on (or reaches
    back to ``day``), a span the minutes closed opens again, else a new span starts on
    ``day``.  Returns whether anything shown changed."""
    key = member_key(person_id, printed)
    spans = _spans(committee, key)
    open_span = next((m for m in spans if m.member_until is None), None)
    changed = False
    if (
        open_span is None
        and spans
        and spans[-1].member_until_source == "minutes"
        and not _later(spans[-1].member_from or day, day)
    ):
        open_span = spans[-1]  # the minutes showed them; the list shows them again
        open_span.member_until = open_span.member_until_source = None
        changed = True
    if open_span is None:
        _new_span(committee, key, person_id, printed, role, role_text, source, day, None)
        return True
    if _earlier(day, open_span.member_from):
        open_span.member_from, open_span.member_from_source = day, source
        changed = True
    changed |= _role(open_span, role, role_text, source)
    changed |= _set(open_span, "printed_name", open_span.printed_name or printed[:200])
    if source not in (open_span.sources or []):
        _add_source(open_span, source)
        changed = True
    open_span.last_seen_at = now
    return changed


def left_out(committee: Committee, keys: set[str], source: str) -> int:
    """A member list leaves out members whose span is open: each span ends on the last
    day a list showed the member (or the first day the record did).  Returns how many."""
    ended = 0
    for membership in committee.memberships:
        if membership.member_until is not None or membership.member_key in keys:
            continue
        shown = [
            d
            for d in (
                membership.member_from,
                membership.last_seen_at and localtime.today(membership.last_seen_at),
            )
            if d is not None
        ]
        if not shown:
            continue
        end = max(shown)
        membership.member_until, membership.member_until_source = end, source
        ended += 1
    return ended


def attended(
    committee: Committee,
    person_id: int | None,
    printed: str,
    role: str,
    role_text: str,
    day: dt.date,
) -> bool:
    """The minutes name the member present, excused or absent on ``day``: the record
    shows them a member that day.  Returns whether a span changed."""
    key = member_key(person_id, printed)
    spans = _spans(committee, key)
    if any(membership_on(m, day) for m in spans):
        inside = next(m for m in spans if membership_on(m, day))
        changed = _role(inside, role, role_text, "minutes")
        if "minutes" not in (inside.sources or []):
            _add_source(inside, "minutes")
            changed = True
        return changed
    if not spans:
        _new_span(committee, key, person_id, printed, role, role_text, "minutes", day, day)
        return True
    later = [m for m in spans if _span_reaches(m, day) == "before"]
    earlier = [m for m in spans if _span_reaches(m, day) == "after"]
    if later:  # reach the next span back to this day
        span = later[0]
        span.member_from, span.member_from_source = day, "minutes"
    else:  # the last span ended before this day: it reaches this day
        span = earlier[-1]
        span.member_until, span.member_until_source = day, "minutes"
    _add_source(span, "minutes")
    _role(span, role, role_text, "minutes")
    return True


# ---------------------------------------------------------------- merging a member list


@dataclass
class Outcome:
    committee: Committee
    outcome: str  # new | changed | unchanged
    unmatched: list[str] = field(default_factory=list)


def _person_by_ids(member: CommitteeMember, chamber: str) -> Person | None:
    if member.person_id:
        person: Person | None = db.session.scalar(
            select(Person).where(Person.openstates_id == member.person_id)
        )
        if person is not None:
            return person
    if member.member_id:
        column = Person.house_member_id if chamber == vocab.HOUSE else Person.senate_member_id
        found: Person | None = db.session.scalar(select(Person).where(column == member.member_id))
        return found
    return None


def flag_unmatched(
    committee: Committee, printed: str, reason: str, source_url: str | None, day: dt.date
) -> None:
    quality.flag(
        "committee_member_unmatched",
        f"{committee.public_id}:{name_key(printed)}",
        f"{printed!r}, listed on the {vocab.CHAMBER_NAMES[committee.chamber]} "
        f"{committee.name} committee on {day.isoformat()}, is not matched to a legislator: "
        f"{reason}.",
        source_url=source_url,
        details={
            "printed_name": printed,
            "chamber": committee.chamber,
            "committee": committee.public_id,
            "date": day.isoformat(),
            "reason": reason,
        },
    )


def _settle_unmatched(committee: Committee, people: dict[str, int | None]) -> None:
    for printed, person_id in people.items():
        if person_id is None:
            continue
        item = quality.find(
            "committee_member_unmatched", f"{committee.public_id}:{name_key(printed)}"
        )
        if item is not None:
            quality.auto_resolve([item], "Matched to a legislator by a later scrape.")


def merge_list(
    record: CommitteeRecord,
    session: LegislativeSession,
    source: str,
    day: dt.date,
    ctx: Context,
    now: dt.datetime,
) -> Outcome:
    """Merge one member list (Open States or a chamber page) into the session's committee."""
    names = [record.name, *record.other_names]
    committee = find_committee(
        session.id, record.chamber, ids=record.source_ids or [record.source_id], names=names
    )
    created = committee is None
    if committee is None:
        committee, _ = ensure_committee(
            session, record.chamber, record.name, record.source_id, source, record.source_url, now
        )
    changed = False
    page = source in PAGE_SOURCE.values()
    if (
        page
        and committee.name != record.name
        and find_committee(session.id, record.chamber, names=[record.name]) in (None, committee)
    ):
        changed |= _set(committee, "name", record.name[:300])
    if record.source_id and (page or not committee.source_id):
        changed |= _set(committee, "source_id", record.source_id)
    ids = list(dict.fromkeys([*(record.source_ids or ()), *(committee.source_ids or ())]))
    changed |= _set(committee, "source_ids", ids)
    if record.openstates_id:
        changed |= _set(committee, "openstates_id", record.openstates_id)
    if record.parent:
        changed |= _set(committee, "parent_name", record.parent[:300])
    others = list(dict.fromkeys([*(committee.other_names or ()), *record.other_names]))
    changed |= _set(committee, "other_names", others)
    if page or committee.source_url is None:  # the chamber's page is the committee's source
        changed |= _set(committee, "source_url", record.source_url[:500])
    if source not in (committee.sources or []):
        _add_source(committee, source)
        changed = True
    committee.last_seen_at = now

    pages_read = any(s in PAGE_SOURCE.values() for s in committee.sources or ())
    outcome = Outcome(committee, "new" if created else "unchanged")
    if source == "openstates" and pages_read:
        outcome.outcome = "changed" if changed and not created else outcome.outcome
        return outcome  # the chamber's page keeps the members
    people: dict[str, int | None] = {}
    by_name: list[CommitteeMember] = []
    for member in record.members:
        person = _person_by_ids(member, record.chamber)
        if person is not None:
            people[member.name] = person.id
        else:
            by_name.append(member)
    if by_name:
        resolved = resolve_people([m.name for m in by_name], record.chamber, day, ctx, session.id)
        for member in by_name:
            people[member.name] = resolved.people.get(member.name)
            if people[member.name] is None:
                reason = resolved.reasons.get(member.name, "no legislator matches")
                flag_unmatched(committee, member.name, reason, record.source_url, day)
                outcome.unmatched.append(member.name)
    keys: set[str] = set()
    for member in record.members:
        person_id = people.get(member.name)
        keys.add(member_key(person_id, member.name))
        changed |= listed(
            committee, person_id, member.name, member.role, member.role_text, source, day, now
        )
    changed |= bool(left_out(committee, keys, source))
    _settle_unmatched(committee, people)
    db.session.flush()
    if not created and changed:
        outcome.outcome = "changed"
    return outcome


def record_attendance(
    committee: Committee,
    header: MinutesHeader,
    ctx: Context,
    session_id: int | None,
    source_url: str,
) -> dict[str, int | None]:
    """The minutes' members present, excused and absent: each a member that day.
    Returns printed name -> person (None: not matched, flagged)."""
    everyone: list[MinutesMember] = [*header.present, *header.excused, *header.absent]
    resolved = resolve_people(
        [m.name for m in everyone], committee.chamber, header.date, ctx, session_id
    )
    for member in everyone:
        person_id = resolved.people.get(member.name)
        if person_id is None:
            flag_unmatched(
                committee,
                member.name,
                resolved.reasons.get(member.name, "no legislator matches"),
                source_url,
                header.date,
            )
            continue
        attended(committee, person_id, member.name, member.role, member.role_text, header.date)
    _settle_unmatched(committee, resolved.people)
    db.session.flush()
    return resolved.people


# ---------------------------------------------------------------- the run


def _openstates_legislature(records: Sequence[CommitteeRecord]) -> int | None:
    """The legislature the Open States committee files describe: the newest House
    committee id starts with it (``94003``: the 94th)."""
    found = [
        int(i[:2])
        for r in records
        if r.chamber == vocab.HOUSE
        for i in r.source_ids[:1]
        if i.isdigit() and len(i) == 5
    ]
    return max(found) if found else None


def committee_page_url(committee: Committee, src_house: str, src_senate: str) -> str | None:
    if not committee.source_id:
        return None
    if committee.chamber == vocab.HOUSE:
        return src_house + HOUSE_MEMBERS_PATH.format(id=committee.source_id)
    return src_senate + SENATE_COMMITTEE_PATH.format(
        id=committee.source_id, ls=committee.session.legislature
    )


def import_openstates(
    path: str | Path,
    session: LegislativeSession,
    run: runs.Run,
    ctx: Context,
    day: dt.date,
    now: dt.datetime,
) -> None:
    folder = Path(path)
    if not (folder / "committees").is_dir() and not folder.is_dir():
        run.note("openstates committees", f"no Open States data at {folder}")
        return
    try:
        records = parsed_committees.load_openstates_committees(folder)
    except ParseError as exc:
        run.item_failed("openstates committees", exc.source_url or str(folder), str(exc))
        return
    legislature = _openstates_legislature(records)
    if legislature != session.legislature:
        run.note(
            "openstates committees",
            f"the Open States committees describe the {legislature or 'unknown'} "
            f"Legislature, not the {session.legislature}th ({session.identifier}): "
            "not imported",
        )
        return
    for record in records:
        result = merge_list(record, session, "openstates", day, ctx, now)
        run.bump(result.outcome)
        run.commit()


def scrape_committees(
    *,
    session: str | None = None,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    openstates: str | None = None,
    progress: runs.Progress | None = None,
    now: dt.datetime | None = None,
) -> ScrapeRun:
    """The session's committees: Open States' committee files (``TRACKER_OPENSTATES_DIR``,
    when they describe that legislature), then each committee's page in its chamber."""
    from tracker.demo import refuse_if_demo
    from tracker.sessions import SESSION_ID, default_session, ensure_session
    from tracker.settings import current

    refuse_if_demo("scraping committees")
    if session is not None and not SESSION_ID.match(session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    stored = ensure_session(session) if session else default_session()
    session_id = stored.id
    options = {"session": stored.identifier, "record": record, "replay": replay}
    src = runs.sources()
    production = runs.Production(src)
    with (
        runs.client(record, replay) as http,
        runs.running("committees", options, triggered_by, http) as run,
    ):
        sess = db.session.get(LegislativeSession, session_id)
        assert sess is not None
        now = now or utcnow()
        day = localtime.today(now)
        if sess.end_date is not None and _later(day, sess.end_date):
            day = sess.end_date
        ctx = Context.load()
        import_openstates(openstates or current().openstates_dir, sess, run, ctx, day, now)
        targets = [c for c in committees_of(sess.id) if c.source_id]
        for done, committee in enumerate(targets, start=1):
            url = committee_page_url(committee, src.house, src.senate)
            assert url is not None
            shown = production.url(url, committee.chamber)
            try:
                response = http.get(url)
                run.bump("fetched")
                parse = (
                    parsed_committees.parse_house_committee_members
                    if committee.chamber == vocab.HOUSE
                    else parsed_committees.parse_senate_committee_page
                )
                page = parse(response.content, source_url=shown)
            except (FetchError, ParseError) as exc:
                run.item_failed(
                    f"{committee.chamber} committee {committee.name}",
                    shown,
                    getattr(exc, "reason", None) or str(exc),
                )
                run.commit()
                continue
            result = merge_list(page, sess, PAGE_SOURCE[committee.chamber], day, ctx, now)
            run.bump(result.outcome)
            run.commit()
            if progress:
                progress(done, len(targets))
    return run.row


__all__ = [
    "CHAIRS",
    "LISTS",
    "PAGE_SOURCE",
    "ROLE_NAMES",
    "SOURCE_NAMES",
    "VICE_CHAIRS",
    "as_of",
    "attended",
    "chairs",
    "committee_key",
    "committee_page_url",
    "committees_of",
    "ensure_committee",
    "find_committee",
    "is_member",
    "left_out",
    "listed",
    "member_ids_on",
    "member_key",
    "member_on",
    "member_on_clause",
    "membership_on",
    "memberships_on",
    "merge_list",
    "record_attendance",
    "regular_session_on",
    "resolve_people",
    "resolver_form",
    "scrape_committees",
    "voters_on",
]
