"""One read model of a scorecard version: a frozen snapshot every reader serialises.

A :class:`Snapshot` holds what a published version (or a draft, for staff
previews) shows: its methodology, its scored votes with the roll-call facts,
every legislator's row (materialised score, attendance, vote on each scored
roll call) and the medians (per chamber, per party, per chamber and party).
It is built from the stored rows - the materialised ``legislator_score`` rows
and what publishing froze - in a fixed number of queries whatever the number
of versions, and cached per process under the data version
(``tracker.dataversion``), so a change anywhere invalidates it and nothing
else does.  Pages, exports, embeds, share images and the API read snapshots;
none recomputes a published score.

:func:`score_of` is the one exact score of a stored row.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from sqlalchemy import Select, select, tuple_

from scrapers.vocab import NOT_SEATED, party_group
from tracker import dataversion, seats
from tracker.extensions import db
from tracker.models import (
    FrozenMemberVote,
    FrozenVote,
    LegislatorScoreRow,
    Person,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
)
from tracker.models.scorecards import DRAFT
from tracker.scoring import (
    LegislatorScore,
    PublishedCard,
    ScoredVote,
    display_score,
    lifetime_scores,
    medians,
    ratio,
)

CACHE_SIZE = 128


def score_of(row: LegislatorScoreRow | Row) -> Fraction | None:
    """The exact score of a stored (or snapshot) row: 100 x aligned / eligible
    weight, or None when the row has no score."""
    if not row.has_score or not row.eligible_weight:
        return None
    return ratio(row.aligned_weight, row.eligible_weight)


@dataclass(frozen=True)
class PersonRef:
    id: int
    public_id: str
    name: str
    family_name: str | None


@dataclass(frozen=True)
class Vote:
    """A scored vote as published (or as scored on the draft)."""

    roll_call_id: int
    position: int
    aligned: str
    weight: int
    description: str
    facts: Mapping[str, Any]  # bill, bill_label, session, date, motion, tally, source ...

    @property
    def key_vote(self) -> bool:
        return self.weight >= 2


@dataclass(frozen=True)
class Row:
    person: PersonRef
    chamber: str
    party: str | None
    district: str | None
    has_score: bool
    aligned_weight: int
    eligible_weight: int
    cast_weight: int
    possible_weight: int
    votes_cast: int
    votes_possible: int
    excused: int
    not_voting: int
    grade: str | None
    votes: Mapping[int, str] = field(default_factory=dict)  # roll call id -> option

    # Computed once per row: a snapshot's rows are read by every page until data changes.
    @cached_property
    def score(self) -> Fraction | None:
        return score_of(self)

    @cached_property
    def display(self) -> int | None:
        return display_score(self.score)

    @cached_property
    def attendance(self) -> Fraction | None:
        return Fraction(self.votes_cast, self.votes_possible) if self.votes_possible else None

    @cached_property
    def participation(self) -> Fraction | None:
        return Fraction(self.cast_weight, self.possible_weight) if self.possible_weight else None


@dataclass(frozen=True)
class VersionRef:
    number: int
    title: str
    description: str
    published_at: dt.datetime
    note: str
    changes: tuple[str, ...]
    methodology: Mapping[str, Any]


@dataclass(frozen=True)
class CardRef:
    id: int
    public_id: str
    versions: tuple[VersionRef, ...]  # published, oldest first


@dataclass(frozen=True)
class Snapshot:
    card: CardRef
    version: VersionRef
    votes: tuple[Vote, ...]
    rows: tuple[Row, ...]  # by chamber, district, name
    chamber_medians: Mapping[str, Fraction | None]
    party_medians: Mapping[str, Fraction | None]
    chamber_party_medians: Mapping[str, Mapping[str, Fraction | None]]
    draft: bool = False
    _by_person: Mapping[int, Row] = field(default_factory=dict, repr=False)

    @property
    def methodology(self) -> Mapping[str, Any]:
        return self.version.methodology

    @property
    def latest_number(self) -> int | None:
        return self.card.versions[-1].number if self.card.versions else None

    def row(self, person_id: int) -> Row | None:
        return self._by_person.get(person_id)

    def shows(self, row: Row, vote: Vote) -> bool:
        """Whether a scored vote is shown for a legislator (their page, their PDF and
        spreadsheet rows): one they could vote on, or one of their chamber.  A vote
        of the other chamber that they could not take part in is not theirs to show."""
        return (
            row.votes.get(vote.roll_call_id, NOT_SEATED) != NOT_SEATED
            or vote.facts.get("chamber") == row.chamber
        )

    def votes_for(self, row: Row) -> list[Vote]:
        """The scored votes shown for a legislator (:meth:`shows`), in order."""
        return [v for v in self.votes if self.shows(row, v)]

    def scores_by_party(self, chamber: str | None = None) -> dict[str, list[int]]:
        """Displayed scores grouped by party (``party_group``), for the distribution
        charts; legislators without a score are left out."""
        grouped: dict[str, list[int]] = defaultdict(list)
        for row in self.rows:
            if row.display is not None and (chamber is None or row.chamber == chamber):
                grouped[party_group(row.party)].append(row.display)
        return dict(grouped)

    def scored(self) -> list[ScoredVote]:
        return [
            ScoredVote(str(v.roll_call_id), v.aligned, v.weight)  # type: ignore[arg-type]
            for v in self.votes
        ]


# ---------------------------------------------------------------- building


def _medians(
    rows: Sequence[Row],
) -> tuple[
    dict[str, Fraction | None], dict[str, Fraction | None], dict[str, dict[str, Fraction | None]]
]:
    scores = {str(i): r.score for i, r in enumerate(rows)}
    by_chamber = medians(scores, {str(i): r.chamber for i, r in enumerate(rows)})
    by_party = medians(scores, {str(i): party_group(r.party) for i, r in enumerate(rows)})
    chamber_party: dict[str, dict[str, Fraction | None]] = {}
    for chamber in sorted({r.chamber for r in rows}):
        members = {str(i): party_group(r.party) for i, r in enumerate(rows) if r.chamber == chamber}
        chamber_party[chamber] = medians(scores, members)
    return by_chamber, by_party, chamber_party


def _row(score: LegislatorScoreRow, person: PersonRef, votes: Mapping[int, str]) -> Row:
    return Row(
        person=person,
        chamber=score.chamber,
        party=score.party,
        district=score.district,
        has_score=score.has_score,
        aligned_weight=score.aligned_weight,
        eligible_weight=score.eligible_weight,
        cast_weight=score.cast_weight,
        possible_weight=score.possible_weight,
        votes_cast=score.votes_cast,
        votes_possible=score.votes_possible,
        excused=score.excused,
        not_voting=score.not_voting,
        grade=score.grade,
        votes=votes,
    )


def _version_ref(version: ScorecardVersion) -> VersionRef:
    return VersionRef(
        number=version.number,
        title=version.title,
        description=version.description,
        published_at=version.published_at,
        note=version.note,
        changes=tuple(version.changes or ()),
        methodology=version.methodology,
    )


def _assemble(
    card: CardRef,
    version: VersionRef,
    votes: tuple[Vote, ...],
    scores: Iterable[LegislatorScoreRow],
    people: Mapping[int, PersonRef],
    member_votes: Mapping[int, Mapping[int, str]],
    *,
    draft: bool = False,
) -> Snapshot:
    rows = [_row(s, people[s.person_id], member_votes.get(s.person_id, {})) for s in scores]
    rows.sort(key=lambda r: (r.chamber, seats.district_sort_key(r.district), r.person.name))
    by_chamber, by_party, chamber_party = _medians(rows)
    return Snapshot(
        card=card,
        version=version,
        votes=votes,
        rows=tuple(rows),
        chamber_medians=by_chamber,
        party_medians=by_party,
        chamber_party_medians=chamber_party,
        draft=draft,
        _by_person={r.person.id: r for r in rows},
    )


def _people(ids: Iterable[int]) -> dict[int, PersonRef]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {
        p.id: PersonRef(p.id, p.public_id, p.name, p.family_name)
        for p in db.session.execute(
            select(Person.id, Person.public_id, Person.name, Person.family_name).where(
                Person.id.in_(wanted)
            )
        )
    }


def build(versions: Sequence[ScorecardVersion]) -> list[Snapshot]:
    """Snapshots of published versions, in six queries whatever their number."""
    if not versions:
        return []
    ids = [v.id for v in versions]
    card_ids = sorted({v.scorecard_id for v in versions})
    cards = {
        c.id: c for c in db.session.scalars(select(Scorecard).where(Scorecard.id.in_(card_ids)))
    }
    all_versions: dict[int, list[ScorecardVersion]] = defaultdict(list)
    for other in db.session.scalars(
        select(ScorecardVersion)
        .where(ScorecardVersion.scorecard_id.in_(card_ids))
        .order_by(ScorecardVersion.number)
    ):
        all_versions[other.scorecard_id].append(other)
    pairs = [(v.scorecard_id, v.number) for v in versions]
    scores: dict[tuple[int, int], list[LegislatorScoreRow]] = defaultdict(list)
    for score in db.session.scalars(
        select(LegislatorScoreRow).where(
            tuple_(LegislatorScoreRow.scorecard_id, LegislatorScoreRow.version_number).in_(pairs)
        )
    ):
        scores[(score.scorecard_id, score.version_number)].append(score)
    frozen: dict[int, list[Vote]] = defaultdict(list)
    for fv in db.session.scalars(
        select(FrozenVote)
        .where(FrozenVote.version_id.in_(ids))
        .order_by(FrozenVote.version_id, FrozenVote.position)
    ):
        frozen[fv.version_id].append(
            Vote(fv.roll_call_id, fv.position, fv.aligned, fv.weight, fv.description, fv.facts)
        )
    member_votes: dict[int, dict[int, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    for version_id, person_id, roll_call_id, option in db.session.execute(
        select(
            FrozenMemberVote.version_id,
            FrozenMemberVote.person_id,
            FrozenMemberVote.roll_call_id,
            FrozenMemberVote.option,
        ).where(FrozenMemberVote.version_id.in_(ids))
    ):
        member_votes[version_id][person_id][roll_call_id] = option
    people = _people(s.person_id for rows in scores.values() for s in rows)
    out = []
    for version in versions:
        card = cards[version.scorecard_id]
        ref = CardRef(
            card.id, card.public_id, tuple(_version_ref(v) for v in all_versions[card.id])
        )
        out.append(
            _assemble(
                ref,
                _version_ref(version),
                tuple(frozen[version.id]),
                scores[(version.scorecard_id, version.number)],
                people,
                member_votes[version.id],
            )
        )
    return out


def build_draft(card: Scorecard) -> Snapshot:
    """The draft as staff preview it: its materialised draft scores and the member
    votes they were computed from (never re-derived here)."""
    from tracker.scorecards import draft_inputs, excused_supported, roll_call_facts

    _, member_votes, _, _ = draft_inputs(card)
    scores = list(
        db.session.scalars(
            select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == card.id,
                LegislatorScoreRow.version_number == DRAFT,
            )
        )
    )
    active = list(
        db.session.scalars(
            select(ScorecardVote)
            .where(ScorecardVote.scorecard_id == card.id, ScorecardVote.active.is_(True))
            .order_by(ScorecardVote.id)
        )
    )
    votes = tuple(
        Vote(v.roll_call_id, i, v.aligned, v.weight, v.description, roll_call_facts(v.roll_call))
        for i, v in enumerate(active)
    )
    methodology = {
        "sessions": sorted(s.identifier for s in card.sessions),
        "chambers": list(card.chambers),
        "absence_policy": card.absence_policy,
        "min_participation_pct": card.min_participation_pct,
        "grade_bands": [list(b) for b in card.grade_bands],
        "excused_recorded": {c: excused_supported(c, card.sessions) for c in card.chambers},
    }
    versions = tuple(_version_ref(v) for v in card.versions)
    ref = CardRef(card.id, card.public_id, versions)
    version = VersionRef(
        number=DRAFT,
        title=card.title,
        description=card.description,
        published_at=dt.datetime.now(dt.UTC),
        note="",
        changes=(),
        methodology=methodology,
    )
    people = _people(s.person_id for s in scores)
    votes_by_person = {
        int(pid): {int(rc): o for rc, o in options.items()} for pid, options in member_votes.items()
    }
    return _assemble(ref, version, votes, scores, people, votes_by_person, draft=True)


# ---------------------------------------------------------------- reading (cached)

_cache: OrderedDict[tuple[Any, ...], Snapshot] = OrderedDict()
# Lifetime scores of everyone on a set of snapshots, by data version and snapshots.
_lifetimes: dict[tuple[Any, ...], dict[int, LegislatorScore]] = {}
LIFETIME_CACHE_SIZE = 16
_building = threading.RLock()  # one thread builds what is missing; the others wait for it


# The latest published version ids, newest first, by data version (a publish or an
# unpublish changes it): one statement less on every page that lists scorecards.
_latest_ids: dataversion.Kept[tuple[int, ...]] = dataversion.Kept()


def clear() -> None:
    """Forget every cached snapshot (benchmarks and tests measure cold reads)."""
    _cache.clear()
    _lifetimes.clear()
    _latest_ids.forget()
    _version_ids.forget()


def _remember(key: tuple[Any, ...], snap: Snapshot) -> Snapshot:
    _cache[key] = snap
    _cache.move_to_end(key)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return snap


def of_versions(versions: Sequence[ScorecardVersion]) -> list[Snapshot]:
    """Snapshots of these published versions, from the cache where it holds them."""
    given = {v.id: v for v in versions}
    return _snapshots([v.id for v in versions], lambda absent: [given[i] for i in absent])


def of_version_ids(ids: Sequence[int]) -> list[Snapshot]:
    """Snapshots of the published versions with these ids: a cache hit reads no
    row (a version's frozen methodology is JSON to decode); missing ones are read."""

    def load(absent: list[int]) -> list[ScorecardVersion]:
        query = select(ScorecardVersion).where(ScorecardVersion.id.in_(absent))
        loaded = {v.id: v for v in db.session.scalars(query)}
        return [loaded[i] for i in absent]

    return _snapshots(ids, load)


def _snapshots(
    ids: Sequence[int], load: Callable[[list[int]], list[ScorecardVersion]]
) -> list[Snapshot]:
    """Snapshots of versions ``ids``; ``load`` gives the versions the cache misses.

    Missing ones are built by one thread at a time: after a change to shown data every
    request a worker is serving misses at once, and the others wait for the first
    build instead of each making its own."""
    stamp = dataversion.current()
    found: dict[int, Snapshot] = {}

    def missing() -> list[int]:
        absent = []
        for version_id in ids:
            hit = _cache.get(("version", version_id, stamp))
            if hit is None:
                absent.append(version_id)
            else:
                found[version_id] = hit
        return absent

    if missing():
        with _building:
            absent = missing()  # none when the thread that held the lock built them
            if absent:
                versions = load(absent)
                for version, snap in zip(versions, build(versions), strict=True):
                    found[version.id] = _remember(("version", version.id, stamp), snap)
    return [found[i] for i in ids]


def latest_versions() -> list[ScorecardVersion]:
    """The latest published version of every scorecard, newest first."""
    return list(db.session.scalars(_latest_query()))


def _latest_query() -> Select[ScorecardVersion]:
    from tracker.scorecards import latest_versions_query

    return latest_versions_query().order_by(
        ScorecardVersion.published_at.desc(), ScorecardVersion.id.desc()
    )


def latest() -> list[Snapshot]:
    """The latest published version of every scorecard, newest first.  Which they
    are is kept by data version, unless this transaction has changes of its own."""
    return of_version_ids(_latest_ids.get(_read_latest_ids))


def _read_latest_ids() -> tuple[int, ...]:
    return tuple(db.session.scalars(_latest_query().with_only_columns(ScorecardVersion.id)))


# Every published version's id, by its scorecard's public id and its number, by data
# version (a publish adds a version): one statement less on every page and document
# of a scorecard.
_version_ids: dataversion.Kept[dict[str, dict[int, int]]] = dataversion.Kept()


def _read_version_ids() -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = defaultdict(dict)
    for public_id, number, version_id in db.session.execute(
        select(Scorecard.public_id, ScorecardVersion.number, ScorecardVersion.id).join(
            Scorecard, Scorecard.id == ScorecardVersion.scorecard_id
        )
    ):
        found[public_id][number] = version_id
    return dict(found)


def published(public_id: str, number: int | None = None) -> Snapshot | None:
    """One published version (the latest by default), or None."""
    versions = _version_ids.get(_read_version_ids).get(public_id)
    if not versions:
        return None
    version_id = versions[max(versions)] if number is None else versions.get(number)
    return of_version_ids([version_id])[0] if version_id is not None else None


def draft(card: Scorecard) -> Snapshot:
    """The draft's snapshot, kept until the scorecard changes (every edit of its
    settings or scored votes bumps ``card.version``; draft edits leave the data
    version alone) or the data behind it does."""
    key = ("draft", card.id, card.version, dataversion.current())
    hit = _cache.get(key)
    return hit if hit is not None else _remember(key, build_draft(card))


def for_person(
    person_id: int, snaps: Sequence[Snapshot] | None = None
) -> list[tuple[Snapshot, Row]]:
    """The person's row on the latest version of every scorecard that covers them
    (of ``snaps`` when given: the caller already holds :func:`latest`)."""
    return [
        (snap, row)
        for snap in (latest() if snaps is None else snaps)
        if (row := snap.row(person_id)) is not None
    ]


def lifetime(
    person_ids: Iterable[int], snaps: Sequence[Snapshot] | None = None
) -> dict[int, LegislatorScore]:
    """Lifetime scores pooled over the latest published version of every scorecard
    (README "Lifetime score"), from the snapshots.  Everyone's are computed once per
    data version and set of snapshots, like the snapshots themselves, and kept: a
    legislator's page, their document and a scorecard's document read the one table
    (at ten sessions of history, 507 people's in about 0.1 s, a sixth of building the
    snapshots; one person's alone cost a legislator's page 2 ms on every render).  A
    person on none of the snapshots is scored apart."""
    snaps = list(snaps) if snaps is not None else latest()
    wanted = set(person_ids)
    key = (
        dataversion.current(),
        tuple(sorted((s.card.id, s.version.number, s.draft) for s in snaps)),
    )
    everyone = _lifetimes.get(key)
    if everyone is None:
        with _building:
            everyone = _lifetimes.get(key)
            if everyone is None:
                everyone = _lifetime_of({r.person.id for s in snaps for r in s.rows}, snaps)
                if len(_lifetimes) >= LIFETIME_CACHE_SIZE:
                    _lifetimes.clear()
                _lifetimes[key] = everyone
    found = {p: everyone[p] for p in wanted if p in everyone}
    if len(found) < len(wanted):
        found.update(_lifetime_of(wanted - set(found), snaps))
    return found


def _lifetime_of(
    person_ids: Iterable[int], snaps: Sequence[Snapshot]
) -> dict[int, LegislatorScore]:
    from tracker.scorecards import methodology_from_frozen

    wanted = {str(p) for p in person_ids}
    # in scorecard order: the later scorecard's choice of aligned vote and weight wins
    ordered = sorted(snaps, key=lambda s: s.card.id)
    cards = [
        PublishedCard(
            order * 10_000 + s.version.number,
            methodology_from_frozen(dict(s.methodology)),
            tuple(s.scored()),
        )
        for order, s in enumerate(ordered)
    ]
    pooled: dict[str, dict[str, str]] = {p: {} for p in wanted}
    for snap in ordered:
        for pid in wanted:
            row = snap.row(int(pid))
            if row is not None:
                pooled[pid].update({str(rc): option for rc, option in row.votes.items()})
    return {int(p): r for p, r in lifetime_scores(cards, pooled).items()}


__all__ = [
    "DRAFT",
    "CardRef",
    "PersonRef",
    "Row",
    "Snapshot",
    "VersionRef",
    "Vote",
    "build",
    "build_draft",
    "clear",
    "draft",
    "for_person",
    "latest",
    "latest_versions",
    "lifetime",
    "of_versions",
    "published",
    "score_of",
]
