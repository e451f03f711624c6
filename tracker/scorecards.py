"""Staff work on positions and scorecards, publishing, and materialised scores.

Views and CLI commands call these functions.  Every change is audited; edits
state the version they started from and are refused when stale; nothing is
deleted.  Scores come from the pure engine in ``tracker.scoring``; this module
gathers its inputs and stores its outputs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, cast

from sqlalchemy import Select, case, delete, func, literal, select
from sqlalchemy.orm import aliased, contains_eager, selectinload

from scrapers.vocab import CHAMBER_NAMES, NOT_SEATED
from tracker import dataversion, edits, fidelity, localtime, quality, seats, snapshots
from tracker.audit import record
from tracker.extensions import db
from tracker.models import (
    ABSENCE_POLICIES,
    POSITIONS,
    Bill,
    BillPosition,
    ChamberSessionData,
    DataQualityItem,
    FrozenMemberVote,
    FrozenVote,
    LegislativeSession,
    LegislatorScoreRow,
    MemberVote,
    Person,
    RollCall,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
    Term,
    User,
)
from tracker.models.common import table_of, utcnow
from tracker.models.scorecards import DRAFT
from tracker.models.votes import COMMITTEE
from tracker.scoring import (
    MAX_WEIGHT,
    LegislatorScore,
    Methodology,
    ScoredVote,
    score_scorecard,
)

JUST_PUBLISHED = dt.timedelta(minutes=10)  # a refused publish says "just published" within this
PROCEDURAL = re.compile(
    r"amend|motion|table|recess|adjourn|reconsider|suspend|rule|previous question|"
    r"call of the house|refer|postpone|concur|not concur|point of order|appeal",
    re.I,
)
PASSAGE = re.compile(
    r"passage|passed|third reading|final|repass|adopt(ed|ion)? .*report|"
    r"conference committee report",
    re.I,
)
# A committee's motion that the bill go on (from the minutes): "be recommended to pass
# (and be re-referred to ...)", "recommended for passage", "do pass".
COMMITTEE_PASSAGE = re.compile(r"recommended (?:to pass|for passage)|\bdo pass\b", re.I)


class EditError(ValueError):
    """A change that cannot be made; the message says why.  Nothing changed."""


class StaleEdit(EditError):
    pass


def _check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and expected != current:
        raise StaleEdit(
            f"{what} was changed by someone else while you were editing "
            f"(your version {expected}, now {current}). Reload to see their change."
        )


# ---------------------------------------------------------------- positions


def position_for(bill: Bill) -> BillPosition | None:
    return db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill.id))


def set_position(
    bill: Bill,
    position: str,
    rationale: str,
    issue_areas: Iterable[str],
    *,
    expected_version: int | None,
    actor: User | str,
    translations: dict[str, dict[str, str]] | None = None,
) -> BillPosition:
    """``translations``: the rationale in other languages (``tracker.i18n``); None
    keeps those the position has."""
    if position not in POSITIONS:
        raise EditError(f"position must be one of {', '.join(POSITIONS)}")
    rationale = rationale.strip()
    if len(rationale) > 5000:
        raise EditError("the rationale may have at most 5,000 characters")
    areas = sorted({a.strip() for a in issue_areas if a.strip()})
    if any(len(a) > 60 for a in areas) or len(areas) > 12:
        raise EditError("use at most 12 issue areas of at most 60 characters each")
    edits.lock(bill)  # a first position is an insert: two of them must not race
    row = position_for(bill)
    if row is None:
        if expected_version not in (None, 0):
            raise StaleEdit("this position was removed or never existed; reload the page")
        row = BillPosition(bill=bill, position="none", rationale="", issue_areas=[])
        db.session.add(row)
    else:
        _check_version(row.version, expected_version, f"The position on {bill.label}")
    before: dict[str, object] = {
        "position": row.position,
        "rationale": row.rationale,
        "issue_areas": list(row.issue_areas or []),
    }
    after: dict[str, object] = {"position": position, "rationale": rationale, "issue_areas": areas}
    if translations is not None or row.translations:
        before["translations"] = row.translations or {}
        after["translations"] = (
            translations if translations is not None else (row.translations or {})
        )
    if before == after and row.id is not None:
        return row
    row.position, row.rationale, row.issue_areas = position, rationale, areas
    if translations is not None:
        row.translations = translations
    row.version += 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if isinstance(actor, User) else None
    db.session.flush()
    record(actor, "position.edit", bill, before=before, after=after)
    return row


def publish_position(
    bill: Bill, *, expected_version: int | None, actor: User | str
) -> BillPosition:
    if isinstance(actor, User) and not actor.is_admin:
        raise EditError("only admins publish positions")
    edits.lock(bill)
    row = position_for(bill)
    if row is None:
        raise EditError(f"{bill.label} has no position to publish")
    _check_version(row.version, expected_version, f"The position on {bill.label}")
    before = {
        "position": row.published_position,
        "rationale": row.published_rationale,
        "issue_areas": row.published_issue_areas,
    }
    row.published_position = row.position
    row.published_rationale = row.rationale
    row.published_issue_areas = list(row.issue_areas or [])
    row.published_translations = dict(row.translations or {})
    row.published_at = utcnow()
    row.published_by_id = actor.id if isinstance(actor, User) else None
    row.version += 1
    db.session.flush()
    record(
        actor,
        "position.publish",
        bill,
        before=before,
        after={
            "position": row.position,
            "rationale": row.rationale,
            "issue_areas": row.published_issue_areas,
        },
    )
    return row


def suggest_aligned(position: str | None, roll_call: RollCall) -> str | None:
    """The aligned vote the app proposes: support + passage -> yes, oppose +
    passage -> no.  Amendments and procedural motions need an explicit choice."""
    if position not in ("support", "oppose"):
        return None
    if roll_call.kind == COMMITTEE:
        if roll_call.amendment_id or not COMMITTEE_PASSAGE.search(roll_call.motion):
            return None
        return "yes" if position == "support" else "no"
    motion = f"{roll_call.kind} {roll_call.motion}"
    if (
        roll_call.amendment_id
        or roll_call.kind == "amendment"
        or (PROCEDURAL.search(motion) and not PASSAGE.search(roll_call.motion))
    ):
        return None
    if not PASSAGE.search(motion):
        return None
    return "yes" if position == "support" else "no"


# ---------------------------------------------------------------- scorecards


@dataclass
class ScorecardSettings:
    title: str
    description: str
    session_ids: list[int]
    chambers: list[str]
    absence_policy: str
    min_participation_pct: int
    grade_bands: list[tuple[int, str]]
    show_sponsorship: bool


def parse_grade_bands(text: str) -> list[tuple[int, str]]:
    """``A=90, B=80, C=70`` -> [(90, "A"), (80, "B"), (70, "C")]."""
    bands: list[tuple[int, str]] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,\n]", text))):
        match = re.fullmatch(r"([A-Za-z][+-]?)\s*[=:]\s*(\d{1,3})", part)
        if not match or int(match.group(2)) > 100:
            raise EditError(f"grade band {part!r} should look like A=90 (a floor from 0 to 100)")
        bands.append((int(match.group(2)), match.group(1).upper()))
    bands.sort(reverse=True)
    if len({floor for floor, _ in bands}) != len(bands):
        raise EditError("two grade bands have the same floor")
    return bands


def excused_supported(chamber: str, sessions: Sequence[LegislativeSession]) -> bool:
    """Whether the data records excused absences for this chamber in every one of
    these sessions, as the vote runs recorded it (``ChamberSessionData``, written
    by ``tracker.votes.storage.record_chamber_data``: the House once a House
    Journal roll of the session is read; the Senate journal never lists them)."""
    if not sessions:
        return False
    recorded = set(
        db.session.scalars(
            select(ChamberSessionData.session_id).where(
                ChamberSessionData.chamber == chamber,
                ChamberSessionData.excused_recorded.is_(True),
                ChamberSessionData.session_id.in_([s.id for s in sessions]),
            )
        )
    )
    return all(s.id in recorded for s in sessions)


def _validate(settings: ScorecardSettings) -> list[LegislativeSession]:
    title = settings.title.strip()
    if not title or len(title) > 200:
        raise EditError("a scorecard needs a title of at most 200 characters")
    if not settings.chambers or set(settings.chambers) - {"house", "senate"}:
        raise EditError("choose the House, the Senate, or both")
    if settings.absence_policy not in ABSENCE_POLICIES:
        raise EditError("unknown absence policy")
    if not 0 <= settings.min_participation_pct <= 100:
        raise EditError("minimum participation is a percentage from 0 to 100")
    sessions = [db.session.get(LegislativeSession, sid) for sid in settings.session_ids]
    if not sessions or any(s is None for s in sessions):
        raise EditError("choose at least one session")
    found = [s for s in sessions if s is not None]
    if settings.absence_policy == "count_unexcused":
        missing = [c for c in settings.chambers if not excused_supported(c, found)]
        if missing:
            raise EditError(
                "counting only unexcused absences needs data that records excused absences; "
                f"the {' and '.join(missing)} data for these sessions does not"
            )
    return found


def create_scorecard(settings: ScorecardSettings, *, actor: User | str) -> Scorecard:
    sessions = _validate(settings)
    card = Scorecard(
        title=settings.title.strip(),
        description=settings.description.strip(),
        chambers=sorted(settings.chambers),
        absence_policy=settings.absence_policy,
        min_participation_pct=settings.min_participation_pct,
        grade_bands=[list(b) for b in settings.grade_bands],
        show_sponsorship=settings.show_sponsorship,
        sessions=sessions,
        created_by_id=actor.id if isinstance(actor, User) else None,
        is_demo=any(s.is_demo for s in sessions),
    )
    db.session.add(card)
    db.session.flush()
    record(actor, "scorecard.create", card, after=_settings_dict(card))
    return card


def _settings_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "title": card.title,
        "description": card.description,
        "sessions": sorted(s.identifier for s in card.sessions),
        "chambers": list(card.chambers),
        "absence_policy": card.absence_policy,
        "min_participation_pct": card.min_participation_pct,
        "grade_bands": [list(b) for b in card.grade_bands],
        "show_sponsorship": card.show_sponsorship,
    }


def update_scorecard(
    card: Scorecard, settings: ScorecardSettings, *, expected_version: int | None, actor: User | str
) -> Scorecard:
    edits.lock(card)
    _check_version(card.version, expected_version, f"The scorecard {card.title!r}")
    sessions = _validate(settings)
    before = _settings_dict(card)
    card.title = settings.title.strip()
    card.description = settings.description.strip()
    card.chambers = sorted(settings.chambers)
    card.absence_policy = settings.absence_policy
    card.min_participation_pct = settings.min_participation_pct
    card.grade_bands = [list(b) for b in settings.grade_bands]
    card.show_sponsorship = settings.show_sponsorship
    card.sessions = sessions
    after = _settings_dict(card)
    if before != after:
        card.version += 1
        card.updated_at = utcnow()
        db.session.flush()
        record(actor, "scorecard.edit", card, before=before, after=after)
    return card


def _check_weight(weight: Any) -> int:
    try:
        value = int(weight)
    except (TypeError, ValueError):
        raise EditError(f"weight must be a whole number from 1 to {MAX_WEIGHT}") from None
    if str(value) != str(weight).strip() or not 1 <= value <= MAX_WEIGHT:
        raise EditError(f"weight must be a whole number from 1 to {MAX_WEIGHT}")
    return value


def _check_vote_fields(aligned: str, description: str) -> str:
    if aligned not in ("yes", "no"):
        raise EditError("choose the aligned vote: yes or no")
    description = description.strip()
    if len(description) > 300:
        raise EditError("the one-line description may have at most 300 characters")
    return description


def score_roll_call(
    card: Scorecard,
    roll_call: RollCall,
    *,
    aligned: str,
    weight: Any,
    description: str,
    actor: User | str,
    translations: dict[str, dict[str, str]] | None = None,
) -> ScorecardVote:
    description = _check_vote_fields(aligned, description)
    weight = _check_weight(weight)
    edits.lock(card)
    if roll_call.bill.session_id not in {s.id for s in card.sessions}:
        raise EditError(
            f"this roll call is from the {roll_call.bill.session.identifier} session, which "
            f"the scorecard {card.title!r} does not cover"
        )
    if roll_call.chamber not in card.chambers:
        raise EditError(f"the scorecard does not cover the {roll_call.chamber}")
    row = db.session.scalar(
        select(ScorecardVote).where(
            ScorecardVote.scorecard_id == card.id, ScorecardVote.roll_call_id == roll_call.id
        )
    )
    if row is not None and row.active:
        raise EditError("this roll call is already scored on that scorecard")
    before = None
    if row is None:
        row = ScorecardVote(scorecard=card, roll_call=roll_call, aligned=aligned)
        db.session.add(row)
    else:
        before = {
            "active": False,
            "aligned": row.aligned,
            "weight": row.weight,
            "description": row.description,
        }
    row.aligned, row.weight, row.description, row.active = aligned, weight, description, True
    if translations is not None:
        row.translations = translations
    row.version += 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if isinstance(actor, User) else None
    card.version += 1  # a publish started before this change is now stale
    db.session.flush()
    record(
        actor,
        "scored_vote.add",
        card,
        before=before,
        after={
            "roll_call": roll_call.public_id,
            "aligned": aligned,
            "weight": weight,
            "description": description,
        },
    )
    return row


def edit_scored_vote(
    row: ScorecardVote,
    *,
    aligned: str,
    weight: Any,
    description: str,
    active: bool = True,
    expected_version: int | None,
    actor: User | str,
    translations: dict[str, dict[str, str]] | None = None,
) -> ScorecardVote:
    """``translations``: the description in other languages (``tracker.i18n``); None
    keeps those the vote has."""
    edits.lock(row.scorecard)
    edits.lock(row)
    _check_version(row.version, expected_version, "This scored vote")
    description = _check_vote_fields(aligned, description)
    weight = _check_weight(weight)
    before = {
        "active": row.active,
        "aligned": row.aligned,
        "weight": row.weight,
        "description": row.description,
    }
    after = {"active": active, "aligned": aligned, "weight": weight, "description": description}
    if translations is not None or row.translations:
        before["translations"] = row.translations or {}
        after["translations"] = (
            translations if translations is not None else (row.translations or {})
        )
    if before == after:
        return row
    row.aligned, row.weight, row.description, row.active = aligned, weight, description, active
    if translations is not None:
        row.translations = translations
    row.version += 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id if isinstance(actor, User) else None
    row.scorecard.version += 1  # a publish started before this change is now stale
    db.session.flush()
    record(
        actor,
        "scored_vote.edit" if active else "scored_vote.remove",
        row.scorecard,
        before={"roll_call": row.roll_call.public_id, **before},
        after={"roll_call": row.roll_call.public_id, **after},
    )
    return row


# ---------------------------------------------------------------- the builder

SIDES = ("support", "oppose")


@dataclass(frozen=True)
class CandidateFilter:
    """Which of a scorecard's candidate roll calls to list (None: any).  ``position``
    is the bill's published position (``support``, ``oppose`` or ``none``);
    ``kind`` a roll call kind (``tracker.votes.kind_of``); ``scored`` whether the
    roll call is already scored on this scorecard's draft; ``committee_votes`` lists
    committees' roll calls (from their minutes) instead of floor votes, the default."""

    session_id: int | None = None
    chamber: str | None = None
    position: str | None = None
    kind: str | None = None
    verified_only: bool = False
    scored: bool | None = None
    committee_votes: bool = False  # committee roll calls instead of floor ones


@dataclass(frozen=True)
class Candidate:
    """A roll call the scorecard could score, with what the builder shows of it."""

    roll_call: RollCall
    position: str  # the published position that applies: support, oppose or none
    position_via: str | None  # the companion's label when the position is the companion's
    suggested: str | None  # ``suggest_aligned`` from that position
    scored: ScorecardVote | None  # this scorecard's active scored vote on it


@dataclass(frozen=True)
class CandidatePage:
    items: list[Candidate]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def candidate_roll_calls(
    card: Scorecard, chosen: CandidateFilter, *, page: int = 1, per_page: int = 50
) -> CandidatePage:
    """The roll calls of the scorecard's sessions and chambers, newest first, as
    ``chosen`` filters them: two queries whatever the page size.  A bill without a
    published support or oppose position takes its companion's, as the bill page
    scores a companion's votes from the bill's position."""
    own, theirs = aliased(BillPosition), aliased(BillPosition)
    companion, vote = aliased(Bill), aliased(ScorecardVote)
    position = case(
        (own.published_position.in_(SIDES), own.published_position),
        (theirs.published_position.in_(SIDES), theirs.published_position),
        else_=literal("none"),
    )
    via = case(
        (own.published_position.in_(SIDES), literal(None)),
        (theirs.published_position.in_(SIDES), companion.bill_type),
        else_=literal(None),
    )
    session_ids = [s.id for s in card.sessions]
    if chosen.session_id is not None:
        session_ids = [i for i in session_ids if i == chosen.session_id]
    chambers = [c for c in card.chambers if chosen.chamber in (None, c)]
    query = (
        select(RollCall, position.label("position"), via.label("via"), companion.number, vote)
        .join(Bill, RollCall.bill_id == Bill.id)
        .join(LegislativeSession, Bill.session_id == LegislativeSession.id)
        .outerjoin(own, own.bill_id == Bill.id)
        .outerjoin(companion, companion.id == Bill.companion_id)
        .outerjoin(theirs, theirs.bill_id == companion.id)
        .outerjoin(
            vote,
            (vote.roll_call_id == RollCall.id)
            & (vote.scorecard_id == card.id)
            & vote.active.is_(True),
        )
        .where(Bill.session_id.in_(session_ids), RollCall.chamber.in_(chambers))
    )
    if chosen.position is not None:
        query = query.where(position == chosen.position)
    if chosen.committee_votes:
        query = query.where(RollCall.kind == COMMITTEE)
    else:
        query = query.where(RollCall.kind != COMMITTEE)
        if chosen.kind is not None:
            query = query.where(RollCall.kind == chosen.kind)
    if chosen.verified_only:
        query = query.where(RollCall.verified.is_(True))
    if chosen.scored is not None:
        query = query.where(vote.id.is_not(None) if chosen.scored else vote.id.is_(None))
    total = (
        db.session.scalar(
            select(func.count()).select_from(query.with_only_columns(RollCall.id).subquery())
        )
        or 0
    )
    rows = db.session.execute(
        query.options(contains_eager(RollCall.bill).contains_eager(Bill.session))
        .order_by(
            RollCall.date.desc(),
            Bill.bill_type,
            Bill.number,
            RollCall.chamber,
            RollCall.sequence,
            RollCall.id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        Candidate(
            roll_call=rc,
            position=side,
            position_via=f"{via_type} {via_number}" if via_type else None,
            suggested=suggest_aligned(side, rc),
            scored=scored,
        )
        for rc, side, via_type, via_number, scored in rows
    ]
    return CandidatePage(items=items, total=total, page=page, per_page=per_page)


def score_roll_calls(
    card: Scorecard,
    choices: Sequence[tuple[str, str]],
    *,
    expected_version: int | None,
    actor: User | str,
) -> list[ScorecardVote]:
    """Score several roll calls on the draft in one step (the builder's "Add
    selected"): each ``(roll call public id, aligned vote)`` through
    :func:`score_roll_call` (weight 1, no description yet), all or none: the
    first refusal names its roll call and the caller rolls back.  A form older
    than the scorecard's last change is refused as stale."""
    edits.lock(card)
    _check_version(card.version, expected_version, f"The scorecard {card.title!r}")
    wanted = list(dict(choices).items())
    if not wanted:
        raise EditError("select at least one roll call to add")
    found = {
        rc.public_id: rc
        for rc in db.session.scalars(
            select(RollCall)
            .options(selectinload(RollCall.bill).selectinload(Bill.session))
            .where(RollCall.public_id.in_([public_id for public_id, _ in wanted]))
        )
    }
    added = []
    for public_id, aligned in wanted:
        roll_call = found.get(public_id)
        if roll_call is None:
            raise EditError("a selected roll call is no longer in the tracker; reload the page")
        label = (
            f"{roll_call.bill.label} ({CHAMBER_NAMES[roll_call.chamber]}, "
            f"{roll_call.date.isoformat()})"
        )
        if aligned not in ("yes", "no"):
            raise EditError(
                f"choose the aligned vote (yes or no) for {label}: the app suggests none for it"
            )
        try:
            added.append(
                score_roll_call(
                    card, roll_call, aligned=aligned, weight=1, description="", actor=actor
                )
            )
        except EditError as exc:
            raise EditError(f"{label}: {exc}") from None
    return added


# ---------------------------------------------------------------- scoring inputs


def methodology_of(card: Scorecard) -> Methodology:
    return Methodology(
        absence_policy=card.absence_policy,  # type: ignore[arg-type]
        min_participation=Fraction(card.min_participation_pct, 100),
        grade_bands=tuple((int(f), str(g)) for f, g in card.grade_bands),
    )


def methodology_from_frozen(data: dict[str, Any]) -> Methodology:
    return Methodology(
        absence_policy=data["absence_policy"],
        min_participation=Fraction(data["min_participation_pct"], 100),
        grade_bands=tuple((int(f), str(g)) for f, g in data["grade_bands"]),
    )


def roster(
    chambers: Sequence[str], sessions: Sequence[LegislativeSession], on_dates: Sequence[dt.date]
) -> dict[int, Term]:
    """Everyone who held a seat in ``chambers`` during the sessions (or, where a
    session's dates are unknown, on the scored votes' days), with the term that
    describes them (``tracker.seats.roster_of_span``)."""
    start, end = seats.session_span(sessions)
    if on_dates:
        start = min(on_dates) if start is None else start
        end = max(on_dates) if end is None else end
    return seats.roster_of_span(chambers, start, end)


def _member_votes(roll_call_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    if not roll_call_ids:
        return votes
    rows = db.session.execute(
        select(MemberVote.person_id, MemberVote.roll_call_id, MemberVote.option).where(
            MemberVote.roll_call_id.in_(roll_call_ids), MemberVote.person_id.is_not(None)
        )
    )
    for person_id, roll_call_id, option in rows:
        assert person_id is not None  # the query leaves out votes without a person
        votes[person_id][roll_call_id] = option
    return votes


def draft_inputs(
    card: Scorecard,
) -> tuple[list[ScoredVote], dict[str, dict[str, str]], dict[int, Term], set[str]]:
    active = list(
        db.session.scalars(
            select(ScorecardVote)
            .options(selectinload(ScorecardVote.roll_call))
            .where(ScorecardVote.scorecard_id == card.id, ScorecardVote.active.is_(True))
            .order_by(ScorecardVote.id)
        )
    )
    ids = [v.roll_call_id for v in active]
    scored = [ScoredVote(str(v.roll_call_id), v.aligned, v.weight) for v in active]  # type: ignore[arg-type]
    dates = [v.roll_call.date for v in active]
    people = roster(card.chambers, card.sessions, dates)
    votes = _member_votes(ids)
    member_votes = {
        str(pid): {str(rc): option for rc, option in votes.get(pid, {}).items()} for pid in people
    }
    verified = {str(v.roll_call_id) for v in active if v.roll_call.verified}
    return scored, member_votes, people, verified


def _store_scores(
    card: Scorecard,
    version_number: int,
    results: dict[str, LegislatorScore],
    people: dict[int, Term],
) -> None:
    db.session.execute(
        delete(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == version_number,
        )
    )
    now = utcnow()
    rows = []
    for person_key, result in results.items():
        term = people[int(person_key)]
        rows.append(
            {
                "scorecard_id": card.id,
                "version_number": version_number,
                "person_id": int(person_key),
                "chamber": term.chamber,
                "party": term.party,
                "district": term.district,
                "has_score": result.score is not None,
                "aligned_weight": result.aligned_weight,
                "eligible_weight": result.eligible_weight,
                "cast_weight": result.cast_weight,
                "possible_weight": result.possible_weight,
                "votes_cast": result.votes_cast,
                "votes_possible": result.votes_possible,
                "excused": result.excused,
                "not_voting": result.not_voting,
                "grade": result.grade,
                "computed_at": now,
            }
        )
    if rows:
        db.session.execute(table_of(LegislatorScoreRow).insert(), rows)
    if version_number != DRAFT:  # published scores are shown (drafts are not)
        dataversion.mark(db.session())


def recompute_draft(card: Scorecard) -> int:
    """Recompute and store the draft's scores; returns how many legislators."""
    scored, member_votes, people, verified = draft_inputs(card)
    results = score_scorecard(member_votes, scored, methodology_of(card), verified=verified)
    _store_scores(card, DRAFT, results, people)
    return len(results)


def recompute_all() -> dict[str, int]:
    """Rebuild every draft's scores, and any published version's that are missing."""
    counts = {"drafts": 0, "versions": 0}
    for card in db.session.scalars(select(Scorecard)):
        recompute_draft(card)
        counts["drafts"] += 1
        for version in card.versions:
            stored = db.session.scalar(
                select(func.count())
                .select_from(LegislatorScoreRow)
                .where(
                    LegislatorScoreRow.scorecard_id == card.id,
                    LegislatorScoreRow.version_number == version.number,
                )
            )
            if not stored:
                _score_version(card, version)
                counts["versions"] += 1
    return counts


# ---------------------------------------------------------------- publishing


def latest_versions_query() -> Select[ScorecardVersion]:
    """The latest published version of every scorecard; callers add the order."""
    latest = (
        select(ScorecardVersion.scorecard_id, func.max(ScorecardVersion.number).label("number"))
        .group_by(ScorecardVersion.scorecard_id)
        .subquery()
    )
    return select(ScorecardVersion).join(
        latest,
        (ScorecardVersion.scorecard_id == latest.c.scorecard_id)
        & (ScorecardVersion.number == latest.c.number),
    )


def latest_version(card: Scorecard) -> ScorecardVersion | None:
    return card.versions[-1] if card.versions else None


def roll_call_facts(roll_call: RollCall) -> dict[str, Any]:
    bill = roll_call.bill
    return {
        "public_id": roll_call.public_id,
        "bill": bill.key,
        "bill_label": bill.label,
        "session": bill.session.identifier,
        "bill_title": bill.title,
        "chamber": roll_call.chamber,
        "date": roll_call.date.isoformat(),
        "motion": roll_call.motion,
        "amendment_id": roll_call.amendment_id,
        "yeas": roll_call.yeas,
        "nays": roll_call.nays,
        "outcome": roll_call.outcome,
        "journal_page": roll_call.journal_page,
        "source_url": roll_call.source_url,
        "verification_note": roll_call.verification_note,
        # a committee roll call: its committee's name (and "not on the committee" for
        # everyone else: ``tracker.methodology.vote_label``)
        "kind": roll_call.kind,
        "committee": _committee_name(roll_call),
    }


def _committee_name(roll_call: RollCall) -> str | None:
    if roll_call.committee_id is None:
        return None
    from tracker.models import Committee

    committee = db.session.get(Committee, roll_call.committee_id)
    return committee.name if committee is not None else None


def frozen_inputs(
    version: ScorecardVersion, person_ids: Iterable[int] | None = None
) -> tuple[list[ScoredVote], dict[str, dict[str, str]]]:
    """The scored votes and member votes a published version froze (for some
    people only, when ``person_ids`` is given)."""
    scored = [
        # (aligned was checked when frozen; ScoredVote checks it again)
        ScoredVote(str(rc), cast('Literal["yes", "no"]', aligned), weight)
        for rc, aligned, weight in db.session.execute(
            select(FrozenVote.roll_call_id, FrozenVote.aligned, FrozenVote.weight)
            .where(FrozenVote.version_id == version.id)
            .order_by(FrozenVote.position)
        )
    ]
    member_votes: dict[str, dict[str, str]] = defaultdict(dict)
    query = select(
        FrozenMemberVote.person_id, FrozenMemberVote.roll_call_id, FrozenMemberVote.option
    ).where(FrozenMemberVote.version_id == version.id)
    if person_ids is not None:
        query = query.where(FrozenMemberVote.person_id.in_(list(person_ids)))
    rows = db.session.execute(query)
    for person_id, roll_call_id, option in rows:
        member_votes[str(person_id)][str(roll_call_id)] = option
    return scored, dict(member_votes)


def _score_version(card: Scorecard, version: ScorecardVersion) -> None:
    scored, member_votes = frozen_inputs(version)
    results = score_scorecard(member_votes, scored, methodology_from_frozen(version.methodology))
    people = {
        pid: _FrozenSeat(**seat)
        for pid, seat in ((int(k), v) for k, v in version.methodology["roster"].items())
    }
    _store_scores(card, version.number, results, people)  # type: ignore[arg-type]


@dataclass
class _FrozenSeat:
    chamber: str
    party: str | None
    district: str | None


def publish_refusal(card: Scorecard) -> str | None:
    """Why the draft cannot be published now (``publish`` refuses with these words),
    or None: nothing scored, or a scored roll call not verified."""
    active = [v for v in card.votes if v.active]
    if not active:
        return "a scorecard with no scored votes cannot be published"
    unverified = [v.roll_call for v in active if not v.roll_call.verified]
    if unverified:
        listed = ", ".join(f"{rc.bill.label} {rc.chamber} {rc.date}" for rc in unverified[:5])
        return (
            f"{len(unverified)} scored roll call(s) are not verified ({listed}); resolve "
            "them on the data-quality page or remove them before publishing"
        )
    return None


def publish(
    card: Scorecard, *, expected_version: int | None, note: str, actor: User | str
) -> ScorecardVersion:
    """Freeze the draft as a new published version.  Refused while a scored
    roll call is unverified or there is nothing to score."""
    if isinstance(actor, User) and not actor.is_admin:
        raise EditError("only admins publish scorecards")
    edits.lock(card)  # two publishes of one draft: the second waits, then is refused here
    if expected_version is not None and expected_version != card.version:
        latest = latest_version(card)
        if latest is not None and latest.published_at >= utcnow() - JUST_PUBLISHED:
            raise StaleEdit(
                f"Version {latest.number} of {card.title!r} was just published (at "
                f"{localtime.clock(latest.published_at)}) by someone else; nothing more was "
                "published. Reload to see it."
            )
    _check_version(card.version, expected_version, f"The scorecard {card.title!r}")
    active = [v for v in card.votes if v.active]
    refusal = publish_refusal(card)
    if refusal is not None:
        raise EditError(refusal)
    scored, member_votes, people, _ = draft_inputs(card)
    previous = latest_version(card)
    number = (previous.number if previous else 0) + 1
    methodology = {
        **{k: v for k, v in _settings_dict(card).items() if k not in ("title", "description")},
        "method": "weighted_alignment",
        "excused_recorded": {c: excused_supported(c, card.sessions) for c in card.chambers},
        "fidelity": fidelity.frozen(list(card.sessions), list(card.chambers)),
        "roster": {
            str(pid): {"chamber": t.chamber, "party": t.party, "district": t.district}
            for pid, t in people.items()
        },
    }
    version = ScorecardVersion(
        scorecard=card,
        number=number,
        title=card.title,
        description=card.description,
        methodology=methodology,
        note=note.strip(),
        published_by_id=actor.id if isinstance(actor, User) else None,
    )
    db.session.add(version)
    db.session.flush()
    for position, vote in enumerate(active):
        db.session.add(
            FrozenVote(
                version=version,
                roll_call_id=vote.roll_call_id,
                position=position,
                aligned=vote.aligned,
                weight=vote.weight,
                description=vote.description,
                # the description in other languages travels with the frozen facts
                facts={
                    **roll_call_facts(vote.roll_call),
                    **({"translations": vote.translations} if vote.translations else {}),
                },
            )
        )
    frozen_rows = [
        {
            "version_id": version.id,
            "roll_call_id": int(rc),
            "person_id": int(pid),
            "option": member_votes.get(pid, {}).get(rc, NOT_SEATED),
        }
        for pid in member_votes
        for rc in (v.roll_call_id for v in scored)
    ]
    if frozen_rows:
        db.session.execute(table_of(FrozenMemberVote).insert(), frozen_rows)
    db.session.flush()
    db.session.refresh(version)
    version.changes = corrections(previous, version) if previous else []
    _score_version(card, version)
    card.version += 1
    db.session.flush()
    record(
        actor,
        "scorecard.publish",
        card,
        after={"version": number, "note": version.note, "changes": version.changes},
    )
    return version


# The settings a published version freezes that its corrections log and the
# publish confirmation name, in words.
METHODOLOGY_LABELS = {
    "absence_policy": "absence policy",
    "min_participation_pct": "minimum participation",
    "grade_bands": "grade bands",
    "chambers": "chambers",
    "sessions": "sessions",
    "show_sponsorship": "sponsorship display",
}


def methodology_differences(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(key, before, after) of each frozen setting that differs, in a fixed order."""
    return [
        (key, old.get(key), new.get(key))
        for key in METHODOLOGY_LABELS
        if old.get(key) != new.get(key)
    ]


@dataclass(frozen=True)
class VoteDifferences:
    """Scored votes added, removed and changed between two sets of them, each keyed
    by roll call id (a published version's ``FrozenVote`` rows or a snapshot's votes:
    anything with ``aligned``, ``weight``, ``description`` and ``facts``)."""

    added: list[Any]
    removed: list[Any]
    changed: list[tuple[Any, Any]]  # (before, after) of votes whose choice changed


def vote_differences(before: Mapping[int, Any], after: Mapping[int, Any]) -> VoteDifferences:
    changed = [
        (before[rc], vote)
        for rc, vote in after.items()
        if rc in before
        and (
            (before[rc].aligned, before[rc].weight, before[rc].description)
            != (vote.aligned, vote.weight, vote.description)
        )
    ]
    return VoteDifferences(
        added=[v for rc, v in after.items() if rc not in before],
        removed=[v for rc, v in before.items() if rc not in after],
        changed=changed,
    )


def corrections(old: ScorecardVersion, new: ScorecardVersion) -> list[str]:
    """What changed between two published versions, in sentences for the public log."""
    lines: list[str] = []
    for key, was, now in methodology_differences(old.methodology, new.methodology):
        lines.append(f"Changed the {METHODOLOGY_LABELS[key]} from {was} to {now}.")
    found = vote_differences(
        {v.roll_call_id: v for v in old.votes}, {v.roll_call_id: v for v in new.votes}
    )
    for vote in found.added:
        lines.append(
            f"Added the vote on {vote.facts['bill_label']} "
            f"({vote.facts['date']}, {vote.facts['motion']})."
        )
    for vote in found.removed:
        lines.append(
            f"Removed the vote on {vote.facts['bill_label']} "
            f"({vote.facts['date']}, {vote.facts['motion']})."
        )
    for a, b in found.changed:
        label = f"{b.facts['bill_label']} ({b.facts['date']})"
        if a.aligned != b.aligned:
            lines.append(f"Changed the aligned vote on {label} from {a.aligned} to {b.aligned}.")
        if a.weight != b.weight:
            lines.append(f"Changed the weight of {label} from {a.weight} to {b.weight}.")
        if a.description != b.description:
            lines.append(f"Reworded the description of {label}.")
    old_votes = {
        (r.roll_call_id, r.person_id): r.option
        for r in db.session.scalars(
            select(FrozenMemberVote).where(FrozenMemberVote.version_id == old.id)
        )
    }
    changed = 0
    for row in db.session.scalars(
        select(FrozenMemberVote).where(FrozenMemberVote.version_id == new.id)
    ):
        vote_key = (row.roll_call_id, row.person_id)
        if vote_key in old_votes and old_votes[vote_key] != row.option:
            changed += 1
    if changed:
        lines.append(f"Corrected {changed} member vote(s) from the source records.")
    return lines


# ---------------------------------------------------------------- before publishing


@dataclass(frozen=True)
class ScoreChange:
    """One legislator whose displayed score or grade the next version changes;
    ``before``/``after`` are None where they are not on that version."""

    person: snapshots.PersonRef
    chamber: str
    party: str | None
    district: str | None
    before: snapshots.Row | None
    after: snapshots.Row | None


@dataclass(frozen=True)
class DraftChanges:
    """What publishing the draft now would change against the latest published
    version (against nothing for a first version)."""

    number: int  # the version publishing would make
    previous: snapshots.Snapshot | None
    draft: snapshots.Snapshot
    settings: list[tuple[str, Any, Any]]  # (key, before, after): methodology, title, description
    votes: VoteDifferences
    scores: list[ScoreChange]
    unchanged: int  # legislators on both whose displayed score and grade stay
    member_votes_corrected: int  # member votes the source changed since the last version
    refusal: str | None  # why ``publish`` would refuse, in its words

    @property
    def nothing_changes(self) -> bool:
        return self.previous is not None and not (
            self.settings
            or self.votes.added
            or self.votes.removed
            or self.votes.changed
            or self.scores
            or self.member_votes_corrected
        )


def _shown(row: snapshots.Row | None) -> tuple[bool, int | None, str | None]:
    return (row is not None, row.display if row else None, row.grade if row else None)


def draft_changes(card: Scorecard) -> DraftChanges:
    """Diff the draft (its stored draft scores, as the staff preview shows them)
    against the latest published version: settings, scored votes, and every
    legislator whose displayed score or grade changes.  Reads the two snapshots;
    changes nothing."""
    previous = snapshots.published(card.public_id)
    draft = snapshots.draft(card)
    settings: list[tuple[str, Any, Any]] = []
    if previous is not None:
        for key, was, now in (
            ("title", previous.version.title, card.title),
            ("description", previous.version.description, card.description),
        ):
            if was != now:
                settings.append((key, was, now))
        settings += methodology_differences(previous.methodology, _settings_dict(card))
    old_votes = {v.roll_call_id: v for v in previous.votes} if previous else {}
    votes = vote_differences(old_votes, {v.roll_call_id: v for v in draft.votes})
    scores: list[ScoreChange] = []
    unchanged = corrected = 0
    people = [r.person.id for r in draft.rows]
    if previous is not None:
        people += [r.person.id for r in previous.rows if draft.row(r.person.id) is None]
    for person_id in people:
        before = previous.row(person_id) if previous else None
        after = draft.row(person_id)
        if before is not None and after is not None:
            corrected += sum(
                1
                for rc, option in after.votes.items()
                if rc in before.votes and before.votes[rc] != option
            )
        if _shown(before) == _shown(after):
            unchanged += 1
            continue
        seat = after or before
        assert seat is not None
        scores.append(
            ScoreChange(
                person=seat.person,
                chamber=seat.chamber,
                party=seat.party,
                district=seat.district,
                before=before,
                after=after,
            )
        )
    return DraftChanges(
        number=(previous.version.number if previous else 0) + 1,
        previous=previous,
        draft=draft,
        settings=settings,
        votes=votes,
        scores=scores,
        unchanged=unchanged,
        member_votes_corrected=corrected,
        refusal=publish_refusal(card),
    )


# ---------------------------------------------------------------- after ingest


def check_frozen_roll_calls() -> int:
    """Raise a data-quality item for each published (frozen) roll call whose
    stored member votes no longer match what was frozen.  Never changes a
    published version.  Returns the number of new items."""
    created = 0
    for version in db.session.scalars(
        latest_versions_query().order_by(ScorecardVersion.scorecard_id)
    ).all():
        frozen = {
            (r.roll_call_id, r.person_id): r.option
            for r in db.session.scalars(
                select(FrozenMemberVote).where(FrozenMemberVote.version_id == version.id)
            )
        }
        roll_call_ids = {rc for rc, _ in frozen}
        current = _member_votes(sorted(roll_call_ids))
        for (rc, pid), option in frozen.items():
            now = current.get(pid, {}).get(rc, NOT_SEATED)
            if now == option:
                continue
            key = f"{version.id}:{rc}:{pid}:{now}"
            if db.session.scalar(
                select(DataQualityItem.id).where(
                    DataQualityItem.fingerprint
                    == quality.fingerprint("frozen_roll_call_changed", key)
                )
            ):
                continue
            roll_call = db.session.get(RollCall, rc)
            person = db.session.get(Person, pid)
            quality.flag(
                "frozen_roll_call_changed",
                key,
                f"The source now records {person.name if person else pid} as {now} where "
                f"published version {version.number} of {version.title!r} says {option}. The "
                "published scorecard is unchanged; publish a new version to correct it.",
                roll_call=roll_call,
                person_id=pid,
                source_url=roll_call.source_url if roll_call else None,
                details={"version": version.number, "frozen": option, "now": now},
            )
            created += 1
    db.session.flush()
    return created
