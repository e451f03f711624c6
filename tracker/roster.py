"""The roster from the record: who held each seat, with provenance.

Sources, in order of authority (README, "The roster"):

1. **staff confirmations** between sources that disagree (``RosterConfirmation``);
2. each day's **journal roll** (House: present and excused; Senate: present):
   a person named on a day was seated that day, so a term's span is at least
   its first to last roll; a day's absence from a roll never ends a term;
3. the **Legislative Reference Library**'s dates of service and the chambers'
   **member lists** (a list fetched on a day says who sat that day), kept as
   ``TermEvidence``;
4. the **Open States** roles (``Term.start_date``/``end_date``).

Two steps, in this order, so that nothing depends on the order rolls arrive:

* **resolving a roll** (:meth:`Roster.resolve_roll`): each printed name is
  matched among the members whose *recorded* span (sources 1, 3, 4) contains
  the day, then among those it does not exclude (an unknown start), then
  among those it misses by at most ``NEAR_DAYS`` days (a disagreement: an item
  is opened).  The first day's roll by district is matched by district.
* **deriving the bounds** (:func:`derive`): ``Term.held_from``/``held_until``
  and their source and basis, from the recorded dates and the days the rolls
  and member lists show the member seated.  A roll that names a member before
  a recorded start or after a recorded end wins, and opens a
  ``roster_conflict`` item naming both sources; a journal roll naming two
  people whose terms are for one seat opens a ``seat_conflict`` item.  Staff
  confirm one source and the choice is remembered (:func:`confirm_bound`,
  :func:`confirm_seat_holder`) and audited.

The seat rule itself (what the bounds mean) is ``tracker.seats``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scrapers import vocab
from scrapers.names import (
    Excluded,
    NameResolution,
    Seat,
    Tier,
    family_matches,
    name_key,
    resolve_names,
)
from tracker import edits, quality, seats
from tracker.audit import record
from tracker.extensions import db
from tracker.models import (
    DataQualityItem,
    JournalRoll,
    JournalRollEntry,
    LegislativeSession,
    NameMapping,
    Person,
    PersonName,
    RosterConfirmation,
    Term,
    TermEvidence,
    User,
)

NEAR_DAYS = 45
TIER_SEATED = "seated"
TIER_POSSIBLE = "possibly seated"
TIER_NEAR = "nearly seated"
_BASIS = {TIER_SEATED: "seated", TIER_POSSIBLE: "possible", TIER_NEAR: "near"}
MIN_NOTE = 10


class RosterError(ValueError):
    """A staff action on the roster that cannot be done; the message says why."""


@dataclass(frozen=True)
class Bound:
    day: dt.date | None
    source: str | None

    def describe(self) -> str:
        return f"{self.day.isoformat() if self.day else 'unknown'} ({source_label(self.source)})"


SOURCE_LABELS = {
    "openstates": "Open States",
    "lrl": "Legislative Reference Library",
    "member_list": "the chamber's member list",
    "journal_roll": "the journal roll",
    "staff": "confirmed by staff",
    "demo": "invented demo data",
    "next_term": "the day before the member's next term",
}


def source_label(source: str | None) -> str:
    return SOURCE_LABELS.get(source or "", source or "no source")


@dataclass(frozen=True)
class PrintedEntry:
    """A name as a journal roll prints it."""

    printed: str
    status: str  # present | excused | excused_until
    district: str | None = None  # the first day's roll by district


@dataclass
class EntryResult:
    printed: str
    status: str
    district: str | None
    person_id: int | None = None
    term_id: int | None = None
    basis: str | None = None
    reason: str = ""


@dataclass
class _TermView:
    """One term as the roster sees it: plain values taken when the roster was
    loaded (they outlive commits), and the row itself for :func:`derive`."""

    term: Term
    person: Person
    start: Bound  # as the roster sources record it
    end: Bound
    seat: Seat = field(init=False)

    def __post_init__(self) -> None:
        term, person = self.term, self.person
        self.term_id, self.person_id = term.id, person.id
        self.chamber, self.district = term.chamber, term.district
        self.person_name = person.name
        self.held_from, self.held_until = term.held_from, term.held_until
        self.held_from_source, self.held_until_source = (
            term.held_from_source,
            term.held_until_source,
        )


@dataclass
class Roster:
    """The roster sources in memory (people, terms, recorded spans, name forms)."""

    views: list[_TermView]
    forms: dict[int, tuple[str, ...]]
    seat_holders: dict[tuple[str, str, dt.date], int] = field(default_factory=dict)
    _mappings: dict[tuple[str, int | None], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, person_ids: Iterable[int] | None = None) -> Roster:
        query = select(Term).options(selectinload(Term.person), selectinload(Term.evidence))
        if person_ids is not None:
            query = query.where(Term.person_id.in_(list(person_ids)))
        terms = list(db.session.scalars(query.order_by(Term.person_id, Term.id)))
        confirmations = _bound_confirmations([t.id for t in terms])
        views = [
            _TermView(t, t.person, *recorded_span(t, confirmations.get(t.id, {}))) for t in terms
        ]
        forms: dict[int, list[str]] = defaultdict(list)
        names = select(PersonName.person_id, PersonName.name)
        if person_ids is not None:
            names = names.where(PersonName.person_id.in_(list(person_ids)))
        for person_id, name in db.session.execute(names):
            forms[person_id].append(name)
        holders = {
            (c.chamber, c.district, c.day): c.person_id
            for c in db.session.scalars(
                select(RosterConfirmation).where(RosterConfirmation.kind == "seat_holder")
            )
            if c.chamber and c.district and c.day and c.person_id
        }
        book = cls(views, {k: tuple(v) for k, v in forms.items()}, holders)
        for view in views:
            view.seat = Seat(
                person_key=str(view.person_id),
                chamber=view.chamber,
                district=view.district,
                name_forms=book.forms.get(view.person_id, ()),
                family_name=view.person.family_name,
                given_name=view.person.given_name,
                term_key=str(view.term_id),
            )
        return book

    def seat(self, view: _TermView) -> Seat:
        return view.seat

    @functools.cached_property
    def by_person(self) -> dict[int, list[_TermView]]:
        found: dict[int, list[_TermView]] = defaultdict(list)
        for view in self.views:
            found[view.person_id].append(view)
        return found

    def mappings(self, chamber: str, session_id: int | None) -> dict[str, str]:
        key = (chamber, session_id)
        if key not in self._mappings:
            self._mappings[key] = load_mappings(chamber, session_id)
        return self._mappings[key]

    # -- resolving a journal roll

    def _moved_on(self, view: _TermView, day: dt.date) -> str | None:
        """Why ``view`` cannot be the member's seat on ``day``: another of their terms
        (either chamber) has a recorded start after this one's, on or before the day
        (they moved; the old term's recorded end is late).  None when it can."""
        for other in self.by_person.get(view.person_id, ()):
            if other is view or other.start.day is None:
                continue
            if seats.later(other.start.day, view.start.day) and not seats.later(
                other.start.day, day
            ):
                return (
                    f"their {vocab.CHAMBER_NAMES[other.chamber]} term in district "
                    f"{other.district} starts {other.start.day.isoformat()}"
                )
        return None

    def roll_candidates(self, chamber: str, day: dt.date) -> tuple[list[Tier], list[Excluded]]:
        """Tiers for a roll of ``chamber`` on ``day`` from the recorded spans."""
        best: dict[int, tuple[int, _TermView]] = {}  # person -> (rank, view)
        excluded: list[Excluded] = []
        for view in self.views:
            if view.chamber != chamber:
                continue
            moved = self._moved_on(view, day)
            if moved is not None:
                excluded.append(Excluded(self.seat(view), moved))
                continue
            relation = seats.span_relation(view.start.day, view.end.day, day)
            confirmed = (relation == "before" and view.start.source == "staff") or (
                relation == "after" and view.end.source == "staff"
            )
            if relation == "inside":
                rank = 0
            elif relation == "possible":
                rank = 1
            elif (
                not confirmed and seats.days_outside(view.start.day, view.end.day, day) <= NEAR_DAYS
            ):
                rank = 2
            else:
                excluded.append(Excluded(self.seat(view), _span_text(view)))
                continue
            holder = self.seat_holders.get((chamber, view.district, day))
            if holder is not None and holder != view.person_id:
                excluded.append(
                    Excluded(
                        self.seat(view),
                        f"staff confirmed someone else in the seat on {day.isoformat()}",
                    )
                )
                continue
            known = best.get(view.person_id)
            if known is None or rank < known[0]:
                best[view.person_id] = (rank, view)
        # A seat recorded as held by two members that day (one source's end date is
        # late): the later start holds it; the other stays a candidate, a tier lower,
        # so a bare surname is never given to them over a member the record may show.
        holders: dict[str, list[tuple[int, _TermView]]] = defaultdict(list)
        for person_id, (rank, view) in best.items():
            if rank == 0:
                holders[view.district].append((person_id, view))
        held_districts: dict[str, int] = {}
        superseded: set[int] = set()
        for district, group in holders.items():
            latest = max(
                group, key=lambda pair: (pair[1].start.day or dt.date.min, pair[1].term_id)
            )
            held_districts[district] = latest[0]
            superseded |= {pid for pid, _ in group if pid != latest[0]}
        tiers: dict[int, list[Seat]] = {0: [], 1: [], 2: []}
        for person_id, (rank, view) in best.items():
            if person_id in superseded:
                tiers[1].append(self.seat(view))
                continue
            owner = held_districts.get(view.district)
            if rank > 0 and owner is not None and owner != person_id:
                excluded.append(
                    Excluded(
                        self.seat(view),
                        f"district {view.district} is held by another member that day",
                    )
                )
                continue
            tiers[rank].append(self.seat(view))
        named = [
            Tier(TIER_SEATED, tuple(tiers[0])),
            Tier(TIER_POSSIBLE, tuple(tiers[1])),
            Tier(TIER_NEAR, tuple(tiers[2])),
        ]
        return named, excluded

    def resolve_roll(
        self,
        chamber: str,
        day: dt.date,
        entries: Sequence[PrintedEntry],
        session_id: int | None = None,
    ) -> list[EntryResult]:
        """The one person (and term) each printed name of a roll means, or why not;
        nobody is resolved twice in one roll."""
        tiers, excluded = self.roll_candidates(chamber, day)
        where = f"in the {vocab.CHAMBER_NAMES[chamber]} on {day.isoformat()}"
        results = [EntryResult(e.printed, e.status, e.district) for e in entries]
        by_district = [r for r in results if r.district]
        by_name = [r for r in results if not r.district]
        if by_district:
            self._resolve_by_district(by_district, tiers, where)
        resolution = resolve_names(
            [r.printed for r in by_name],
            tiers=tiers,
            mappings=self.mappings(chamber, session_id),
            excluded=excluded,
            where=where,
        )
        for result in by_name:
            _apply(result, resolution)
        _refuse_duplicates(results)
        return results

    def _resolve_by_district(
        self, results: Sequence[EntryResult], tiers: Sequence[Tier], where: str
    ) -> None:
        candidates = [(tier, seat) for tier in tiers for seat in tier.seats]
        for result in results:
            found = [
                (t, s)
                for t, s in candidates
                if s.district.upper() == (result.district or "").upper()
                and family_matches(result.printed, s)
            ]
            if len(found) == 1:
                tier, seat = found[0]
                result.person_id, result.term_id = int(seat.person_key), int(seat.term_key)
                result.basis = "district"
                result.reason = f"district {result.district}: {seat.label}, {tier.name}"
            elif found:
                result.reason = (
                    f"{len(found)} members of district {result.district} {where} "
                    "have that family name"
                )
            else:
                in_district = [
                    s.label
                    for _, s in candidates
                    if s.district.upper() == (result.district or "").upper()
                ]
                result.reason = (
                    f"nobody recorded in district {result.district} {where} has that family "
                    "name" + (f" (recorded there: {', '.join(in_district)})" if in_district else "")
                )

    # -- candidates for a roll call: the seat rule's answer

    def vote_candidates(self, chamber: str, day: dt.date) -> tuple[list[Seat], list[Excluded]]:
        """The members seated in ``chamber`` on ``day`` (``tracker.seats``' rule over
        the derived bounds), and everyone else with a reason."""
        seated: dict[int, _TermView] = {}
        excluded: list[Excluded] = []
        for view in self.views:
            if seats.held(view.held_from, view.held_until, day):
                if view.chamber == chamber:
                    known = seated.get(view.person_id)
                    if known is None or seats.later(view.held_from, known.held_from):
                        seated[view.person_id] = view
                else:
                    excluded.append(Excluded(self.seat(view), "in the other chamber that day"))
            elif view.chamber == chamber:
                excluded.append(Excluded(self.seat(view), _not_held_text(view, day)))
        return [self.seat(v) for v in seated.values()], excluded


def _apply(result: EntryResult, resolution: NameResolution) -> None:
    name = " ".join(result.printed.split())
    person = resolution.matched.get(name)
    if person is None:
        result.reason = resolution.unmatched.get(name, "not looked up")
        return
    seat = resolution.seats[name]
    tier, rule = resolution.evidence[name]
    result.person_id, result.term_id = int(person), int(seat.term_key)
    result.basis = "mapping" if rule == "mapping" else _BASIS[tier]
    result.reason = f"{rule}: {seat.label}, {tier}"


def _refuse_duplicates(results: Sequence[EntryResult]) -> None:
    by_person: dict[int, list[EntryResult]] = defaultdict(list)
    for result in results:
        if result.person_id is not None:
            by_person[result.person_id].append(result)
    for group in by_person.values():
        if len(group) < 2:
            continue
        printed = " and ".join(repr(r.printed) for r in group)
        for result in group:
            result.reason = (
                f"{printed} resolve to the same person ({result.reason}); map one of them"
            )
            result.person_id = result.term_id = result.basis = None


def _span_text(view: _TermView) -> str:
    return f"recorded term {view.start.describe()} to {view.end.describe()}"


def _not_held_text(view: _TermView, day: dt.date) -> str:
    why = seats.not_held_because(view.held_from, day)
    if why == "start_unknown":
        return (
            "term start unknown: no roster source records it and no journal roll read so "
            f"far shows them seated (read the journal roll of {day.isoformat()}, or confirm "
            "the start on the data-quality page)"
        )
    if why == "before":
        return f"not seated until {view.held_from} ({source_label(view.held_from_source)})"
    return f"left on {view.held_until} ({source_label(view.held_until_source)})"


def load_mappings(chamber: str, session_id: int | None) -> dict[str, str]:
    """Remembered printed name -> person key; a session's own mapping wins."""
    rows = db.session.scalars(
        select(NameMapping).where(
            NameMapping.chamber == chamber,
            (NameMapping.session_id.is_(None)) | (NameMapping.session_id == session_id),
        )
    ).all()
    rows = sorted(rows, key=lambda m: m.session_id is not None)  # session-specific last
    return {m.printed_name: str(m.person_id) for m in rows}


# ---------------------------------------------------------------- recorded spans


def _bound_confirmations(term_ids: Sequence[int]) -> dict[int, dict[str, RosterConfirmation]]:
    found: dict[int, dict[str, RosterConfirmation]] = defaultdict(dict)
    if not term_ids:
        return found
    for row in db.session.scalars(
        select(RosterConfirmation).where(
            RosterConfirmation.kind == "bound", RosterConfirmation.term_id.in_(list(term_ids))
        )
    ):
        if row.term_id is not None and row.bound:
            found[row.term_id][row.bound] = row
    return found


def _base_source(term: Term) -> str:
    return "demo" if term.person is not None and term.person.is_demo else "openstates"


def recorded_span(
    term: Term, confirmations: dict[str, RosterConfirmation] | None = None
) -> tuple[Bound, Bound]:
    """A term's start and end as the roster sources record them (staff
    confirmations first, then the Legislative Reference Library, then Open
    States), journal rolls aside."""
    confirmations = confirmations or {}
    lrl = {e.kind: e for e in term.evidence if e.source == "lrl" and e.kind in ("start", "end")}
    bounds: list[Bound] = []
    for kind, own in (("start", term.start_date), ("end", term.end_date)):
        confirmed = confirmations.get(kind)
        if confirmed is not None:
            bounds.append(Bound(confirmed.day, "staff"))
        elif kind in lrl:
            bounds.append(Bound(lrl[kind].day, "lrl"))
        else:
            bounds.append(Bound(own, _base_source(term) if own else None))
    return bounds[0], bounds[1]


# ---------------------------------------------------------------- storing a roll


def day_roll(chamber: str, day: dt.date) -> JournalRoll | None:
    """The stored journal roll of ``chamber`` on ``day``, if read."""
    return db.session.scalar(
        select(JournalRoll).where(JournalRoll.chamber == chamber, JournalRoll.day == day)
    )


def content_hash(entries: Sequence[PrintedEntry], extra: str = "") -> str:
    text = "\x1e".join(f"{e.printed}\x1f{e.status}\x1f{e.district or ''}" for e in entries)
    return hashlib.sha256((text + "\x1d" + extra).encode()).hexdigest()


def store_roll(
    chamber: str,
    day: dt.date,
    entries: Sequence[PrintedEntry],
    *,
    source_url: str,
    session_id: int | None,
    all_absent_excused: bool = False,
    roster: Roster | None = None,
) -> tuple[JournalRoll, bool]:
    """Store (or refresh) the roll of one journal day, resolve its names and derive
    the bounds of the terms it touches.  Returns the roll and whether anything
    changed.  The caller commits."""
    digest = content_hash(entries, f"{all_absent_excused}")
    roll = db.session.scalar(
        select(JournalRoll).where(JournalRoll.chamber == chamber, JournalRoll.day == day)
    )
    if roll is not None and roll.content_hash == digest and roll.source_url == source_url[:500]:
        return roll, False
    if roll is None:
        roll = JournalRoll(
            chamber=chamber, day=day, source_url=source_url[:500], content_hash=digest
        )
        db.session.add(roll)
    roll.session_id = session_id
    roll.source_url = source_url[:500]
    roll.all_absent_excused = all_absent_excused
    roll.content_hash = digest
    roll.entries.clear()
    db.session.flush()
    for position, entry in enumerate(entries):
        roll.entries.append(
            JournalRollEntry(
                position=position,
                printed_name=entry.printed[:200],
                status=entry.status,
                district=entry.district,
            )
        )
    db.session.flush()
    roster = roster or Roster.load()
    touched = resolve_stored_roll(roll, roster)
    derive(touched)
    return roll, True


def resolve_stored_roll(roll: JournalRoll, roster: Roster) -> set[int]:
    """Resolve a stored roll's entries again; flag what does not resolve and seats
    named twice.  Returns the people whose evidence may have changed."""
    touched = {e.person_id for e in roll.entries if e.person_id is not None}
    results = roster.resolve_roll(
        roll.chamber,
        roll.day,
        [PrintedEntry(e.printed_name, e.status, e.district) for e in roll.entries],
        roll.session_id,
    )
    for entry, result in zip(roll.entries, results, strict=True):
        values = {
            "person_id": result.person_id,
            "term_id": result.term_id,
            "basis": result.basis,
            "reason": result.reason[:2000] or None,
        }
        for name, value in values.items():
            if getattr(entry, name) != value:
                setattr(entry, name, value)
    db.session.flush()
    touched |= {e.person_id for e in roll.entries if e.person_id is not None}
    _flag_roll(roll, results, roster)
    return touched


def _flag_roll(roll: JournalRoll, results: Sequence[EntryResult], roster: Roster) -> None:
    chamber_name = vocab.CHAMBER_NAMES[roll.chamber]
    day = roll.day.isoformat()
    names_key = f"{roll.chamber}:{roll.session_id}"
    keys = {r.printed: f"{names_key}:{name_key(r.printed)}:journal_roll" for r in results}
    views = {v.term_id: v for v in roster.views}
    districts = {views[r.term_id].district for r in results if r.term_id in views}
    prints = [quality.fingerprint("unmatched_name", k) for k in keys.values()]
    prints += [quality.fingerprint("seat_conflict", f"{roll.chamber}:{d}:{day}") for d in districts]
    open_items = {  # the open items this roll could settle, in one query
        item.fingerprint: item
        for item in db.session.scalars(
            select(DataQualityItem).where(
                DataQualityItem.status == "open", DataQualityItem.fingerprint.in_(prints)
            )
        )
    }
    for result in results:
        key = keys[result.printed]
        if result.person_id is None:
            quality.flag(
                "unmatched_name",
                key,
                f"The {chamber_name} Journal roll of {day} prints {result.printed!r}, which is "
                f"not matched: {result.reason}.",
                source_url=roll.source_url,
                details={
                    "printed_name": result.printed,
                    "chamber": roll.chamber,
                    "date": day,
                    "session_id": roll.session_id,
                    "reason": result.reason,
                    "source": "journal_roll",
                },
            )
        else:
            item = open_items.get(quality.fingerprint("unmatched_name", key))
            if item is not None:
                quality.auto_resolve([item], "The name now matches one member.")
    if roll.chamber == vocab.HOUSE:
        _check_roll_count(roll, results, roster)
    by_district: dict[str, list[EntryResult]] = defaultdict(list)
    for result in results:
        if result.term_id is not None and result.term_id in views:
            by_district[views[result.term_id].district].append(result)
    for district, group in by_district.items():
        people = {r.person_id for r in group}
        key = f"{roll.chamber}:{district}:{day}"
        if len(people) < 2:
            item = open_items.get(quality.fingerprint("seat_conflict", key))
            if item is not None:
                quality.auto_resolve([item], "The roll now names one member for the seat.")
            continue
        described = "; ".join(
            f"{r.printed!r} -> {views[r.term_id].person_name} ("  # type: ignore[index]
            f"{_span_text(views[r.term_id])})"  # type: ignore[index]
            for r in group
        )
        quality.flag(
            "seat_conflict",
            key,
            f"The {chamber_name} Journal roll of {day} names {len(people)} members whose "
            f"recorded terms are all for district {district}: {described}. Confirm who held "
            "the seat that day.",
            source_url=roll.source_url,
            details={
                "chamber": roll.chamber,
                "district": district,
                "date": day,
                "people": sorted(p for p in people if p is not None),
                "sources": ["journal_roll"]
                + sorted(
                    {
                        views[r.term_id].start.source or "none"  # type: ignore[index]
                        for r in group
                    }
                ),
            },
        )


def _check_roll_count(roll: JournalRoll, results: Sequence[EntryResult], roster: Roster) -> None:
    """A House Journal day names every seated member, present or excused (on
    complete days the names add up to the 134 seats, less vacancies): flag a roll
    that names more than the seats, or leaves out members the roster counts
    seated that day (an absence nobody excused, or a roll read short) unless it
    says all members not present were excused."""
    day = roll.day
    named = {r.person_id for r in results if r.person_id is not None}
    seated = {
        v.person_id: v
        for v in roster.views
        if v.chamber == roll.chamber and seats.held(v.held_from, v.held_until, day)
    }
    left_out = sorted((seated[p].district, seated[p].person_name) for p in set(seated) - named)
    seat_count = vocab.SEATS[roll.chamber]
    key = f"{roll.chamber}:{day.isoformat()}"
    problem = ""
    if len(results) > seat_count:
        problem = f"names {len(results)} members, more than the {seat_count} seats"
    elif left_out and not roll.all_absent_excused:
        unmatched = sum(r.person_id is None for r in results)
        problem = (
            f"names {len(results)} members ({unmatched} not matched), and leaves out "
            f"{len(left_out)} the roster counts seated that day: "
            + ", ".join(f"{name} ({district})" for district, name in left_out[:10])
            + (" and more" if len(left_out) > 10 else "")
            + ". An absence nobody excused, or a roll read short: check the journal"
        )
    if not problem:
        quality.auto_resolve(
            quality.open_items(["roll_count"], fingerprint=quality.fingerprint("roll_count", key)),
            "The roll now names every seated member.",
        )
        return
    quality.flag(
        "roll_count",
        key,
        f"The House Journal roll of {day.isoformat()} {problem}.",
        source_url=roll.source_url,
        details={
            "chamber": roll.chamber,
            "date": day.isoformat(),
            "named": len(results),
            "left_out": [n for _, n in left_out],
        },
    )


def reresolve_rolls(chamber: str | None = None, days: Iterable[dt.date] | None = None) -> int:
    """Resolve stored rolls again (after an import, a mapping or a confirmation) and
    derive every bound; returns how many roll entries changed person."""
    roster = Roster.load()
    query = select(JournalRoll).options(selectinload(JournalRoll.entries))
    if chamber is not None:
        query = query.where(JournalRoll.chamber == chamber)
    if days is not None:
        query = query.where(JournalRoll.day.in_(list(days)))
    changed = 0
    for roll in db.session.scalars(query.order_by(JournalRoll.day)):
        before = [e.person_id for e in roll.entries]
        resolve_stored_roll(roll, roster)
        changed += sum(a != e.person_id for a, e in zip(before, roll.entries, strict=True))
    derive()
    return changed


# ---------------------------------------------------------------- deriving the bounds


@dataclass(frozen=True)
class _Seen:
    first: dt.date | None
    first_source: str | None
    last: dt.date | None
    last_source: str | None


def _seen_days(term_ids: Sequence[int]) -> dict[int, _Seen]:
    """The first and last day each term is shown held: by journal rolls, else by
    member lists."""
    spans: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    if not term_ids:
        return {}
    rows = db.session.execute(
        select(JournalRollEntry.term_id, func.min(JournalRoll.day), func.max(JournalRoll.day))
        .join(JournalRoll, JournalRollEntry.roll_id == JournalRoll.id)
        .where(JournalRollEntry.term_id.in_(list(term_ids)))
        .group_by(JournalRollEntry.term_id)
    )
    for term_id, first_day, last_day in rows:
        if term_id is not None:  # always: the IN condition leaves out unmatched entries
            spans[term_id] += [(first_day, "journal_roll"), (last_day, "journal_roll")]
    for term_id, day in db.session.execute(
        select(TermEvidence.term_id, TermEvidence.day).where(
            TermEvidence.term_id.in_(list(term_ids)), TermEvidence.kind == "seen"
        )
    ):
        spans[term_id].append((day, "member_list"))
    seen: dict[int, _Seen] = {}
    for term_id, days in spans.items():
        first = min(days)
        last = max(days)
        seen[term_id] = _Seen(first[0], first[1], last[0], last[1])
    return seen


def derive(person_ids: Iterable[int] | None = None) -> int:
    """Derive ``held_from``/``held_until`` (with source and basis) of the terms of
    ``person_ids`` (everyone when None) from the roster sources; flag sources
    that disagree.  Returns how many terms changed.  The caller commits."""
    wanted = None if person_ids is None else sorted(set(person_ids))
    if wanted is not None and not wanted:
        return 0
    roster = Roster.load(wanted)
    seen = _seen_days([v.term.id for v in roster.views])
    by_person: dict[int, list[_TermView]] = defaultdict(list)
    for view in roster.views:
        by_person[view.person.id].append(view)
    changed = 0
    open_conflicts: set[str] = set()
    for views in by_person.values():
        for view in views:
            _library_disagrees(view, open_conflicts)
        bounds = {v.term.id: _derive_term(v, seen.get(v.term.id), open_conflicts) for v in views}
        _close_open_ends(views, bounds, open_conflicts)
        for view in views:
            start, end = bounds[view.term.id]
            values = {
                "held_from": start[0],
                "held_from_source": start[1],
                "held_from_basis": start[2],
                "held_until": end[0],
                "held_until_source": end[1],
                "held_until_basis": end[2],
            }
            dirty = False
            for name, value in values.items():
                if getattr(view.term, name) != value:
                    setattr(view.term, name, value)
                    dirty = True
            changed += dirty
    _settle_conflicts([v.term.id for v in roster.views], open_conflicts)
    db.session.flush()
    return changed


_Derived = tuple[dt.date | None, str | None, str | None]


def _derive_term(
    view: _TermView, seen: _Seen | None, conflicts: set[str]
) -> tuple[_Derived, _Derived]:
    start: _Derived
    end: _Derived
    first = seen.first if seen else None
    last = seen.last if seen else None
    if view.start.source == "staff":
        start = (view.start.day, "staff", "confirmed")
    elif view.start.day is not None and not seats.later(view.start.day, first):
        start = (view.start.day, view.start.source, "recorded")
    elif first is not None:
        start = (first, seen.first_source if seen else None, "seen")
        if view.start.day is not None:
            _conflict(view, "start", view.start, Bound(first, start[1]), conflicts)
    else:
        start = (None, None, None)
    if view.end.source == "staff":
        end = (view.end.day, "staff", "confirmed")
    elif view.end.day is not None and not seats.later(last, view.end.day):
        end = (view.end.day, view.end.source, "recorded")
    elif view.end.day is not None and last is not None:
        end = (last, seen.last_source if seen else None, "seen")
        _conflict(view, "end", view.end, Bound(last, end[1]), conflicts)
    else:
        end = (None, None, None)
    return start, end


def _close_open_ends(
    views: Sequence[_TermView],
    bounds: dict[int, tuple[_Derived, _Derived]],
    conflicts: set[str],
) -> None:
    """A term with no recorded end ends the day before the same person's next
    term (in either chamber) begins; a roll after that is a conflict."""
    starts = sorted(
        (b[0][0], v.term.id) for v in views if (b := bounds[v.term.id])[0][0] is not None
    )
    for view in views:
        start, end = bounds[view.term.id]
        if start[0] is None or end[0] is not None or view.end.source == "staff":
            continue
        following = [d for d, tid in starts if tid != view.term.id and seats.later(d, start[0])]
        if not following:
            continue
        closing = seats.day_before(min(following))
        bounds[view.term.id] = (start, (closing, "next_term", "next_term"))


# Dates of service the Library and Open States give for one term may differ by a
# few days (a swearing-in day against a first day of session) without it mattering.
SOURCES_AGREE_DAYS = 3


def _library_disagrees(view: _TermView, keys: set[str]) -> None:
    """The Library's start or end of a term against Open States': the Library is
    followed (it ranks higher); a difference of more than ``SOURCES_AGREE_DAYS``
    is flagged for staff to confirm one, naming both sources."""
    term = view.term
    for bound, own in (("start", term.start_date), ("end", term.end_date)):
        library = next(
            (e.day for e in term.evidence if e.source == "lrl" and e.kind == bound), None
        )
        chosen = view.start if bound == "start" else view.end
        if (
            own is None
            or library is None
            or chosen.source != "lrl"
            or seats.days_outside(own, own, library) <= SOURCES_AGREE_DAYS
        ):
            continue
        key = f"{term.id}:{bound}:lrl:{library}:{own}"
        keys.add(quality.fingerprint("roster_conflict", key))
        chamber = vocab.CHAMBER_NAMES[term.chamber]
        base = _base_source(term)
        quality.flag(
            "roster_conflict",
            key,
            f"{view.person.name} ({chamber} district {term.district}): the Legislative "
            f"Reference Library records the term's {bound} as {library}, but "
            f"{source_label(base)} records {own}. The Library is followed until staff "
            "confirm one.",
            person_id=view.person.id,
            details={
                "term_id": term.id,
                "bound": bound,
                "options": [
                    {"source": "lrl", "day": library.isoformat()},
                    {"source": base, "day": own.isoformat()},
                ],
            },
        )


def _conflict(view: _TermView, bound: str, recorded: Bound, seen: Bound, keys: set[str]) -> None:
    term = view.term
    key = f"{term.id}:{bound}:{recorded.day}:{seen.day}"
    keys.add(quality.fingerprint("roster_conflict", key))
    chamber = vocab.CHAMBER_NAMES[term.chamber]
    relation = "before the recorded start" if bound == "start" else "after the recorded end"
    quality.flag(
        "roster_conflict",
        key,
        f"{view.person.name} ({chamber} district {term.district}): {source_label(recorded.source)} "
        f"records the term's {bound} as {recorded.day}, but {source_label(seen.source)} shows "
        f"them seated on {seen.day}, {relation}. The record is followed until staff confirm one.",
        person_id=view.person.id,
        details={
            "term_id": term.id,
            "bound": bound,
            "options": [
                {"source": seen.source, "day": seen.day.isoformat() if seen.day else None},
                {
                    "source": recorded.source,
                    "day": recorded.day.isoformat() if recorded.day else None,
                },
            ],
        },
    )


def _settle_conflicts(term_ids: Sequence[int], still_open: set[str]) -> None:
    if not term_ids:
        return
    wanted = set(term_ids)
    for item in quality.open_items(["roster_conflict"]):
        details = item.details or {}
        if details.get("term_id") in wanted and item.fingerprint not in still_open:
            quality.auto_resolve([item], "The sources agree now.")


# ---------------------------------------------------------------- staff decisions


ALREADY_SETTLED = (
    "this disagreement was already resolved (by someone else just now, or "
    "earlier); reload the page to see how"
)


def confirm_bound(item: DataQualityItem, choice: int, note: str, actor: User | str) -> Term:
    """Settle a ``roster_conflict`` item: the option ``choice`` (an index into its
    details' options) is the term's bound from now on.  Audited."""
    edits.lock(item)
    details = item.details or {}
    if item.kind != "roster_conflict":
        raise RosterError("this item is not a disagreement between roster sources")
    if item.status != "open":
        raise RosterError(ALREADY_SETTLED)
    options = details.get("options") or []
    if not 0 <= choice < len(options) or not options[choice].get("day"):
        raise RosterError("choose one of the sources listed")
    note = " ".join((note or "").split())
    if len(note) < MIN_NOTE:
        raise RosterError(f"say why (at least {MIN_NOTE} characters); it is kept in the audit log")
    term = db.session.get(Term, details.get("term_id"))
    if term is None:
        raise RosterError("the term of this item no longer exists")
    bound = details["bound"]
    option = options[choice]
    day = dt.date.fromisoformat(option["day"])
    source = str(option.get("source") or "staff")
    row = db.session.scalar(
        select(RosterConfirmation).where(
            RosterConfirmation.kind == "bound",
            RosterConfirmation.term_id == term.id,
            RosterConfirmation.bound == bound,
        )
    )
    before = (
        None
        if row is None
        else {"day": row.day.isoformat() if row.day else None, "source": row.source}
    )
    if row is None:
        row = RosterConfirmation(
            kind="bound",
            term_id=term.id,
            bound=bound,
            source=source,
            created_by_id=quality.actor_id(actor),
        )
        db.session.add(row)
    row.day, row.source, row.note = day, source, note
    row.version += 1
    db.session.flush()
    record(
        actor,
        "roster.confirm_bound",
        term.person,
        before=before,
        after={
            "term": f"{term.chamber} {term.district}",
            "bound": bound,
            "day": day.isoformat(),
            "source": row.source,
            "note": note,
        },
    )
    quality.auto_resolve([item], f"Confirmed {source_label(row.source)}: {note}")
    item.resolved_by_id = quality.actor_id(actor)
    reresolve_rolls(term.chamber)
    return term


def confirm_seat_holder(
    item: DataQualityItem, person_id: int, note: str, actor: User | str
) -> RosterConfirmation:
    """Settle a ``seat_conflict`` item: ``person_id`` held the seat that day."""
    edits.lock(item)
    details = item.details or {}
    if item.kind != "seat_conflict":
        raise RosterError("this item is not a seat conflict")
    if item.status != "open":
        raise RosterError(ALREADY_SETTLED)
    if person_id not in (details.get("people") or []):
        raise RosterError("choose one of the members the item names")
    note = " ".join((note or "").split())
    if len(note) < MIN_NOTE:
        raise RosterError(f"say why (at least {MIN_NOTE} characters); it is kept in the audit log")
    day = dt.date.fromisoformat(details["date"])
    row = RosterConfirmation(
        kind="seat_holder",
        chamber=details["chamber"],
        district=details["district"],
        day=day,
        person_id=person_id,
        source="staff",
        note=note,
        created_by_id=quality.actor_id(actor),
    )
    db.session.add(row)
    db.session.flush()
    person = db.session.get(Person, person_id)
    record(
        actor,
        "roster.confirm_seat_holder",
        row,
        after={
            "chamber": row.chamber,
            "district": row.district,
            "day": day.isoformat(),
            "person": person.public_id if person else None,
            "note": note,
        },
    )
    quality.auto_resolve([item], f"Confirmed {person.name if person else person_id}: {note}")
    item.resolved_by_id = quality.actor_id(actor)
    reresolve_rolls(row.chamber, [day])
    return row


__all__ = [
    "NEAR_DAYS",
    "Bound",
    "EntryResult",
    "PrintedEntry",
    "Roster",
    "RosterError",
    "confirm_bound",
    "confirm_seat_holder",
    "day_roll",
    "derive",
    "load_mappings",
    "recorded_span",
    "reresolve_rolls",
    "resolve_stored_roll",
    "source_label",
    "store_roll",
]


# ---------------------------------------------------------------- for the staff pages

AROUND = dt.timedelta(days=120)  # people offered for a printed name: seated near its date


def people_for_mapping(chamber: str, day: dt.date | None) -> list[tuple[Person, Term]]:
    """People a staff member may map a printed name of ``chamber`` to: those whose
    recorded or derived term comes within ``AROUND`` of ``day`` (everyone in the
    chamber without a day)."""
    terms = db.session.execute(
        select(Term, Person)
        .join(Person, Term.person_id == Person.id)
        .options(selectinload(Term.evidence))
        .where(Term.chamber == chamber)
        .order_by(Person.family_name, Person.name, Term.id)
    ).all()
    found: dict[int, tuple[Person, Term]] = {}
    for term, person in terms:
        if day is not None:
            start, end = recorded_span(term)
            near = seats.days_outside(start.day, end.day, day) <= AROUND.days or seats.held_during(
                term, day - AROUND, day + AROUND
            )
            if not near:
                continue
        found.setdefault(person.id, (person, term))
    return list(found.values())


def gaps() -> list[tuple[Term, str]]:
    """Terms the seat rule cannot place exactly: never counted as held (no start
    from any source or roll), or ended by inference from the next term."""
    rows: list[tuple[Term, str]] = []
    for term in db.session.scalars(
        select(Term)
        .options(selectinload(Term.person))
        .where(Term.held_from.is_(None))
        .order_by(Term.person_id)
    ):
        rows.append(
            (
                term,
                "start unknown in every source and no journal roll read shows them "
                "seated: never counted as seated on any vote",
            )
        )
    for term in db.session.scalars(
        select(Term)
        .options(selectinload(Term.person))
        .where(Term.held_until_basis == "next_term")
        .order_by(Term.person_id)
    ):
        rows.append(
            (
                term,
                f"no source records the end: taken as {term.held_until}, the day "
                "before the member's next term",
            )
        )
    return rows


__all__ += ["AROUND", "gaps", "people_for_mapping"]


# ---------------------------------------------------------------- explaining one journal day


def session_on(day: dt.date) -> LegislativeSession | None:
    """The regular session a day belongs to (its dates, else its years)."""
    sessions = db.session.scalars(
        select(LegislativeSession).where(LegislativeSession.special_number == 0)
    ).all()
    for session in sessions:
        if seats.span_relation(session.start_date, session.end_date, day) == "inside":
            return session
    return next((s for s in sessions if day.year in (s.year, s.year + 1)), None)


def explain(chamber: str, day: dt.date, entries: Sequence[PrintedEntry]) -> list[EntryResult]:
    """Resolve one journal day's roll exactly as the pipeline does, storing nothing."""
    session = session_on(day)
    return Roster.load().resolve_roll(chamber, day, entries, session.id if session else None)


__all__ += ["explain", "session_on"]
