"""Bill authors, matched to people by the same resolver as voters.

An author entry carries the chamber, the printed name (``Pérez-Vega``) and
usually the Revisor's member key (``LEGISLATOR_KEY``).  The printed name is
resolved among the members the seat rule counts as seated in that chamber on
the day the bill was introduced there (``tracker.votes.verification``'s
resolver, ``scrapers.names``).  Then:

* a staff mapping of the printed name wins;
* the key and the name agree (the key's person is the one the name resolves
  to, or the key's person is printed that way): linked to that person;
* the key points at a person whose name forms do not include the printed name:
  **not linked** (it stays a printed name) and an ``author_mismatch`` item says
  which key pointed where, until staff settle it (:func:`settle`);
* no key, or a key nobody holds: linked when the name resolves to one person.

Never a silent wrong attribution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from scrapers import vocab
from scrapers.names import Seat, Tier, resolve_names
from tracker import edits, quality, seats
from tracker.audit import record
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    DataQualityItem,
    LegislativeSession,
    NameMapping,
    Person,
    User,
)
from tracker.roster import Roster


class AuthorError(ValueError):
    """A staff action on an author that cannot be done; the message says why."""


@dataclass(frozen=True)
class AuthorMatch:
    person_id: int | None
    problem: str | None = None  # why a member key was not followed


def author_day(bill: Bill, chamber: str, session: LegislativeSession) -> dt.date | None:
    """The day the bill's authors in ``chamber`` are checked on: its first dated
    action in that chamber, else the session's start."""
    days = sorted(a.date for a in bill.actions if a.chamber == chamber and a.date is not None)
    return days[0] if days else session.start_date


class AuthorResolver:
    """One per ingest run: the roster is loaded once."""

    def __init__(self, roster: Roster | None = None) -> None:
        self.roster = roster or Roster.load()
        self._span: dict[tuple[str, int], list[Seat]] = {}

    def _candidates(
        self, chamber: str, day: dt.date | None, session: LegislativeSession
    ) -> list[Seat]:
        if day is not None:
            return self.roster.vote_candidates(chamber, day)[0]
        key = (chamber, session.id)
        if key not in self._span:
            start, end = seats.session_span([session])
            held = seats.roster_of_span([chamber], start, end)
            self._span[key] = [
                v.seat
                for v in self.roster.views
                if (t := held.get(v.person_id)) is not None and t.id == v.term_id
            ]
        return self._span[key]

    def _key_person(self, chamber: str, member_id: str | None) -> Person | None:
        if not member_id:
            return None
        attr = Person.house_member_id if chamber == vocab.HOUSE else Person.senate_member_id
        return db.session.scalar(select(Person).where(attr == member_id))

    def _printed_as(self, person: Person, chamber: str, printed: str) -> bool:
        views = [v for v in self.roster.views if v.person_id == person.id]
        if not views:
            return False
        own = [v for v in views if v.chamber == chamber] or views
        resolution = resolve_names([printed], tiers=[Tier("key", (own[0].seat,))])
        return bool(resolution.matched)

    def match(
        self,
        chamber: str,
        printed: str,
        member_id: str | None,
        session: LegislativeSession,
        day: dt.date | None,
    ) -> AuthorMatch:
        printed = " ".join(printed.split())
        candidates = self._candidates(chamber, day, session)
        resolution = resolve_names(
            [printed],
            tiers=[Tier("seated", tuple(candidates))],
            mappings=self.roster.mappings(chamber, session.id),
        )
        by_name = resolution.matched.get(printed)
        mapped = resolution.evidence.get(printed, ("", ""))[1] == "mapping"
        keyed = self._key_person(chamber, member_id)
        if mapped or keyed is None:
            return AuthorMatch(int(by_name) if by_name else None)
        if by_name is not None and int(by_name) == keyed.id:
            return AuthorMatch(keyed.id)
        if by_name is None and self._printed_as(keyed, chamber, printed):
            return AuthorMatch(keyed.id)
        other = db.session.get(Person, int(by_name)) if by_name else None
        where = (
            f"the name resolves to {other.name}"
            if other is not None
            else f"the name matches nobody seated then ({resolution.unmatched.get(printed, '')})"
        )
        return AuthorMatch(
            None,
            (
                f"The Revisor's member key {member_id} points at {keyed.name}, whose name forms do "
                f"not include the printed {printed!r}; {where}. The author is kept as a printed "
                "name until staff settle it."
            ),
        )


def flag_mismatch(bill: Bill, row: Authorship, problem: str) -> None:
    chamber = vocab.CHAMBER_NAMES[row.chamber]
    quality.flag(
        "author_mismatch",
        f"{bill.id}:{row.chamber}:{row.position}:{row.member_id}",
        f"{bill.label} ({chamber} author {row.position}): {problem}",
        bill_id=bill.id,
        source_url=bill.source_url,
        details={
            "authorship_id": row.id,
            "chamber": row.chamber,
            "printed_name": row.printed_name,
            "member_id": row.member_id,
            "session_id": bill.session_id,
        },
    )


def settle(
    item: DataQualityItem, person: Person | None, note: str, actor: User | str
) -> Authorship:
    """Settle an ``author_mismatch``: the printed name means ``person`` (remembered
    as a name mapping for that chamber and session), or nobody (``None``: it stays
    a printed name).  Audited."""
    edits.lock(item)
    details = item.details or {}
    if item.kind != "author_mismatch":
        raise AuthorError("this item is not an author mismatch")
    if item.status != "open":
        raise AuthorError(
            "this author was already settled (by someone else just now, or "
            "earlier); reload the page to see how"
        )
    row = db.session.get(Authorship, details.get("authorship_id"))
    if row is None:
        raise AuthorError("that author entry no longer exists")
    note = " ".join((note or "").split())
    if len(note) < 10:
        raise AuthorError("say why (at least 10 characters); it is kept in the audit log")
    before = {"person": row.person.public_id if row.person else None}
    if person is not None:
        mapping = db.session.scalar(
            select(NameMapping).where(
                NameMapping.chamber == row.chamber,
                NameMapping.printed_name == row.printed_name,
                NameMapping.session_id == details.get("session_id"),
            )
        )
        if mapping is None:
            db.session.add(
                NameMapping(
                    chamber=row.chamber,
                    printed_name=row.printed_name,
                    session_id=details.get("session_id"),
                    person_id=person.id,
                    created_by_id=quality.actor_id(actor),
                )
            )
        else:
            mapping.person_id = person.id
    row.person_id = person.id if person is not None else None
    db.session.flush()
    record(
        actor,
        "author.settle",
        row.bill,
        before=before,
        after={
            "chamber": row.chamber,
            "position": row.position,
            "printed_name": row.printed_name,
            "person": person.public_id if person else None,
            "note": note,
        },
    )
    quality.auto_resolve([item], f"Settled by staff: {note}")
    item.resolved_by_id = quality.actor_id(actor)
    return row


__all__ = ["AuthorError", "AuthorMatch", "AuthorResolver", "author_day", "flag_mismatch", "settle"]
