"""Records and snapshots to the API's documents (``tracker.api.schemas``).

Every field is named here explicitly: nothing is dumped wholesale, so a column
added later (a staff draft, an internal note) stays private until someone adds
it on purpose.  Records are identified by their public ids only (session
identifier, bill key, person and roll-call UUIDs), never by database ids.
Values use the one vocabulary of ``scrapers.vocab``.  Scores come from the
published snapshots (``tracker.snapshots``) and are never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from flask import has_request_context, request, url_for

from scrapers.vocab import BILL_STATUS_NAMES, CHAMBER_NAMES, NOT_SEATED, party_name
from tracker import seats
from tracker.api import schemas
from tracker.links import link, maker
from tracker.methodology import COMMITTEE_KIND, FORMULA, ROUNDING, vote_label
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    BillPosition,
    LegislativeSession,
    Person,
    RollCall,
    Term,
)
from tracker.reads import Voter, Voters
from tracker.scorecards import methodology_from_frozen
from tracker.scoring import LegislatorScore, display_score
from tracker.snapshots import Row, Snapshot, Vote

KEY_LENGTH = 8


def _link(endpoint: str, **values: str) -> str:
    return link(endpoint, external=True, **values)


def bill_url(session_identifier: str, key: str) -> str:
    return _link("api.bill", session=session_identifier, bill=key)


def person_url(public_id: str) -> str:
    return _link("api.legislator", public_id=public_id)


def person_urls() -> Callable[[str], str]:
    """``person_url`` for a document that lists hundreds of legislators."""
    return maker("api.legislator", "public_id", external=True)


def scorecard_url(public_id: str, version: int | None = None) -> str:
    if version is None:
        return url_for("api.scorecard", public_id=public_id, _external=True)
    return url_for("api.scorecard", public_id=public_id, version=version, _external=True)


# ------------------------------------------------------------------ bills


def session_ref(session: LegislativeSession) -> schemas.SessionRef:
    return schemas.SessionRef(
        identifier=session.identifier,
        name=session.name,
        start_date=session.start_date,
        end_date=session.end_date,
        special=session.is_special,
    )


def person_ref(person: Person | None) -> schemas.PersonRef | None:
    return _person_ref(person.public_id, person.name) if person is not None else None


def _person_ref(public_id: str, name: str) -> schemas.PersonRef:
    # Built from stored rows, field by field as the model names them: not validated
    # again (a bill's document has thousands; tests check documents against the contract).
    return schemas.PersonRef.model_construct(id=public_id, name=name, url=person_url(public_id))


def companion(bill: Bill) -> schemas.Companion | None:
    if bill.companion is not None:
        other = bill.companion
        return schemas.Companion(
            key=other.key, label=other.label, url=bill_url(other.session.identifier, other.key)
        )
    if bill.companion_type and bill.companion_number:
        return schemas.Companion(
            key=f"{bill.companion_type}{bill.companion_number}",
            label=f"{bill.companion_type} {bill.companion_number}",
            url=None,
        )
    return None


def _bill_fields(bill: Bill) -> dict[str, Any]:
    return {
        "key": bill.key,
        "label": bill.label,
        "bill_type": bill.bill_type,
        "number": bill.number,
        "title": bill.title,
        "status": bill.status,
        "status_name": BILL_STATUS_NAMES.get(bill.status, bill.status),
        "missing_from_source": bill.missing_from_source,
        "url": bill_url(bill.session.identifier, bill.key),
    }


def bill_item(bill: Bill, position: BillPosition | None) -> schemas.BillListItem:
    published = published_position(position)
    return schemas.BillListItem(
        **_bill_fields(bill),
        session=bill.session.identifier,
        position=published.position if published else None,
    )


def author(authorship: Authorship) -> schemas.Author:
    return schemas.Author(
        chamber=authorship.chamber,
        position=authorship.position,
        chief=authorship.chief,
        printed_name=authorship.printed_name,
        person=person_ref(authorship.person),
    )


def action(item: BillAction) -> schemas.Action:
    tally = None
    if item.roll_call_text or item.yeas is not None or item.nays is not None:
        tally = schemas.ActionTally(tally=item.roll_call_text, yeas=item.yeas, nays=item.nays)
    return schemas.Action(
        chamber=item.chamber,
        number=item.number,
        date=item.date,
        text=item.text,
        journal_page=item.journal_page,
        committee=item.committee,
        roll_call=tally,
        classification=item.classification,
        missing_from_source=item.missing_from_source,
    )


class _Parts:
    """The parts of one document that repeat, each made once: a bill's document
    lists the same 201 people 2,750 times, mostly with the same vote."""

    def __init__(self) -> None:
        self.people: dict[str, schemas.PersonRef] = {}
        self.votes: dict[Voter, schemas.MemberVote] = {}

    def person(self, public_id: str, name: str) -> schemas.PersonRef:
        ref = self.people.get(public_id)
        if ref is None:
            ref = self.people[public_id] = _person_ref(public_id, name)
        return ref

    def member_vote(self, vote: Voter) -> schemas.MemberVote:
        made = self.votes.get(vote)
        if made is None:
            person = self.person(vote.person_id, vote.name) if vote.person_id is not None else None
            made = self.votes[vote] = schemas.MemberVote.model_construct(
                person=person,
                name=vote.name or None,
                printed_name=vote.printed_name,
                option=vote.option,
            )
        return made


def roll_call_url(public_id: str) -> str:
    return _link("api.roll_call", public_id=public_id)


def _roll_call_fields(item: RollCall) -> dict[str, Any]:
    return {
        "id": item.public_id,
        "chamber": item.chamber,
        "date": item.date,
        "motion": item.motion,
        "kind": item.kind,
        "amendment_id": item.amendment_id or None,
        "yeas": item.yeas,
        "nays": item.nays,
        "journal_page": item.journal_page or None,
        "outcome": item.outcome,
        "source_url": item.source_url,
        "verified": item.verified,
        "verification_note": item.verification_note,
        "action": (
            schemas.ActionRef(chamber=item.action.chamber, number=item.action.number)
            if item.action is not None
            else None
        ),
        "url": roll_call_url(item.public_id),
    }


def roll_call(item: RollCall) -> schemas.RollCall:
    """A roll call as its bill's document lists it: its facts and a link to its
    member votes."""
    return schemas.RollCall(**_roll_call_fields(item))


def roll_call_detail(item: RollCall, voters: Voters) -> schemas.RollCallDetail:
    """One roll call with its bill and every member's vote."""
    bill = item.bill
    parts = _Parts()
    return schemas.RollCallDetail(
        **_roll_call_fields(item),
        bill=schemas.RollCallBill(
            session=bill.session.identifier,
            key=bill.key,
            label=bill.label,
            title=bill.title,
            url=bill_url(bill.session.identifier, bill.key),
        ),
        member_votes=[parts.member_vote(v) for v in voters.all],
    )


def bill_detail(
    bill: Bill, roll_calls: Sequence[RollCall], position: BillPosition | None
) -> schemas.BillDetail:
    authors: dict[str, list[schemas.Author]] = {chamber: [] for chamber in CHAMBER_NAMES}
    for authorship in sorted(bill.authors, key=lambda a: (a.chamber, a.position)):
        authors.setdefault(authorship.chamber, []).append(author(authorship))
    return schemas.BillDetail(
        **_bill_fields(bill),
        session=session_ref(bill.session),
        companion=companion(bill),
        source_url=bill.source_url,
        last_seen_at=bill.last_seen_at,
        authors=authors,
        actions=[action(a) for a in sorted(bill.actions, key=lambda a: (a.chamber, a.number))],
        roll_calls=[roll_call(r) for r in roll_calls],
        position=published_position(position),
    )


def published_position(row: BillPosition | None) -> schemas.Position | None:
    """The organization's published position on a bill; never the draft fields."""
    if row is None or row.published_position is None:
        return None
    return schemas.Position(
        position=row.published_position,
        rationale=row.published_rationale or "",
        issue_areas=list(row.published_issue_areas or []),
        published_at=row.published_at,
    )


# ------------------------------------------------------------------ legislators


def term(item: Term) -> schemas.Term:
    return schemas.Term(
        chamber=item.chamber,
        district=item.district,
        party=item.party,
        party_name=party_name(item.party) if item.party else None,
        start_date=item.held_from,
        start_source=item.held_from_source,
        start_basis=item.held_from_basis,
        end_date=item.held_until,
        end_source=item.held_until_source,
        end_basis=item.held_until_basis,
    )


def _person_fields(person: Person, today: dt.date | None) -> dict[str, Any]:
    latest = seats.last_term(person)
    return {
        "id": person.public_id,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "current": seats.serving(person, today),
        "latest_term": term(latest) if latest is not None else None,
        "url": person_url(person.public_id),
    }


def person_summary(person: Person, today: dt.date | None = None) -> schemas.LegislatorSummary:
    return schemas.LegislatorSummary(**_person_fields(person, today))


def person_detail(
    person: Person,
    scores: list[schemas.LegislatorScorecardScore],
    lifetime: LegislatorScore | None,
    today: dt.date | None = None,
) -> schemas.LegislatorDetail:
    lifetime_score = lifetime.score if lifetime is not None else None
    return schemas.LegislatorDetail(
        **_person_fields(person, today),
        email=person.email,
        phone=person.phone,
        office_address=person.office_address,
        profile_url=person.profile_url,
        photo=url_for("public.photo", public_id=person.public_id, _external=True),
        photo_source_url=person.photo_url,
        source_url=person.source_url,
        identifiers=schemas.Identifiers(
            openstates=person.openstates_id,
            house_member_id=person.house_member_id,
            senate_member_id=person.senate_member_id,
        ),
        name_forms=sorted({n.name for n in person.names}),
        terms=[term(t) for t in reversed(seats.terms_in_order(person))],
        scores=scores,
        lifetime_score=exact_score(lifetime_score),
        lifetime_score_display=display_score(lifetime_score),
    )


# ---------------------------------------------------------------- scores


def exact_score(score: Fraction | None) -> float | None:
    """A score as a JSON number: the exact fraction as the nearest float."""
    return float(score) if score is not None else None


def score_pair(score: Fraction | None) -> schemas.ScorePair:
    return schemas.ScorePair(score=exact_score(score), score_display=display_score(score))


def vote_keys(public_ids: Iterable[str]) -> dict[str, str]:
    """Roll call public id -> its key in one document: the id's first eight
    characters (the same key in every version and document), or the whole id for
    the rare ids whose first eight another roll call of the document shares."""
    ids = list(dict.fromkeys(public_ids))
    prefixes = Counter(i[:KEY_LENGTH] for i in ids)
    return {i: i[:KEY_LENGTH] if prefixes[i[:KEY_LENGTH]] == 1 else i for i in ids}


def scorecard_ref(snap: Snapshot) -> schemas.ScorecardRef:
    return schemas.ScorecardRef(
        id=snap.card.public_id,
        title=snap.version.title,
        version=snap.version.number,
        published_at=snap.version.published_at,
        url=scorecard_url(snap.card.public_id),
    )


def scorecard_item(snap: Snapshot) -> schemas.ScorecardListItem:
    methodology = snap.methodology
    return schemas.ScorecardListItem(
        **dict(scorecard_ref(snap)),
        sessions=list(methodology.get("sessions", [])),
        chambers=list(methodology.get("chambers", [])),
    )


def methodology(data: Mapping[str, Any]) -> schemas.Methodology:
    method = methodology_from_frozen(dict(data))
    return schemas.Methodology(
        method=data.get("method", "weighted_alignment"),
        absence_policy=method.absence_policy,
        min_participation=float(method.min_participation),
        min_participation_pct=int(data["min_participation_pct"]),
        grade_bands=[
            schemas.GradeBand(min_score=floor, grade=grade) for floor, grade in method.grade_bands
        ],
        excused_recorded={str(k): bool(v) for k, v in data.get("excused_recorded", {}).items()},
        chambers=list(data.get("chambers", [])),
        sessions=list(data.get("sessions", [])),
        rounding=ROUNDING,
        formula=FORMULA,
    )


def scored_vote(vote: Vote, key: str) -> schemas.ScoredVote:
    facts = vote.facts
    return schemas.ScoredVote(
        key=key,
        roll_call_id=facts["public_id"],
        bill=facts["bill"],
        bill_label=facts["bill_label"],
        bill_title=facts.get("bill_title"),
        bill_url=bill_url(facts["session"], facts["bill"]),
        session=facts["session"],
        date=facts["date"],
        chamber=facts["chamber"],
        motion=facts["motion"],
        amendment_id=facts.get("amendment_id") or None,
        journal_page=facts.get("journal_page") or None,
        aligned_vote=vote.aligned,
        weight=vote.weight,
        key_vote=vote.key_vote,
        description=vote.description,
        yeas=facts.get("yeas"),
        nays=facts.get("nays"),
        outcome=facts.get("outcome"),
        source_url=facts.get("source_url"),
        verification_note=facts.get("verification_note"),
        kind="committee" if facts.get("kind") == COMMITTEE_KIND else "floor",
        committee=facts.get("committee"),
        not_seated_label=vote_label(NOT_SEATED, facts.get("kind")),
    )


# Each snapshot's scored votes as documents, made once per snapshot and host (links
# are absolute): a snapshot is kept per data version, and the document of a
# legislator of ten sessions lists 450 of them.  The snapshot is held by a weak
# reference: an id of a snapshot since dropped is never mistaken for it, and this
# keeps none alive.
_SCORED_VOTES: dict[
    tuple[int, str], tuple[weakref.ref[Snapshot], dict[int, schemas.ScoredVote]]
] = {}
SCORED_VOTES_KEPT = 64  # snapshots (and hosts): a few data versions' worth


def _scored_votes(snap: Snapshot) -> dict[int, schemas.ScoredVote]:
    """Roll call id -> the document of each of the snapshot's scored votes."""
    key = (id(snap), request.host_url if has_request_context() else "")
    kept = _SCORED_VOTES.get(key)
    if kept is not None and kept[0]() is snap:
        return kept[1]
    keys = _keys_of(snap)
    made = {v.roll_call_id: scored_vote(v, keys[v.roll_call_id]) for v in snap.votes}
    if len(_SCORED_VOTES) >= SCORED_VOTES_KEPT:
        _SCORED_VOTES.clear()
    _SCORED_VOTES[key] = (weakref.ref(snap), made)
    return made


def _keys_of(snap: Snapshot) -> dict[int, str]:
    """Roll call id -> key, for the snapshot's scored votes."""
    keys = vote_keys(v.facts["public_id"] for v in snap.votes)
    return {v.roll_call_id: keys[v.facts["public_id"]] for v in snap.votes}


def _fraction(value: Fraction | None) -> float | None:
    return float(value) if value is not None else None


def _result(row: Row, keys: Mapping[int, str]) -> dict[str, Any]:
    """A row's fields as ``schemas.ScorecardResult`` names them."""
    return {
        "chamber": row.chamber,
        "party": row.party,
        "district": row.district,
        "score": exact_score(row.score),
        "score_display": row.display,
        "aligned_weight": row.aligned_weight,
        "eligible_weight": row.eligible_weight,
        "participation": _fraction(row.participation),
        "grade": row.grade,
        "attendance": schemas.Attendance(
            cast=row.votes_cast,
            possible=row.votes_possible,
            excused=row.excused,
            not_voting=row.not_voting,
            rate=_fraction(row.attendance),
        ),
        "votes": {
            keys[rc]: option
            for rc, option in row.votes.items()
            if option != NOT_SEATED and rc in keys
        },
    }


def _medians(snap: Snapshot) -> schemas.Medians:
    def pairs(found: Mapping[str, Fraction | None]) -> dict[str, schemas.ScorePair]:
        return {group: score_pair(found[group]) for group in sorted(found)}

    return schemas.Medians(
        chamber=pairs(snap.chamber_medians),
        party=pairs(snap.party_medians),
        chamber_party={c: pairs(m) for c, m in sorted(snap.chamber_party_medians.items())},
    )


def scorecard_detail(
    snap: Snapshot, lifetime: Mapping[int, LegislatorScore]
) -> schemas.ScorecardDetail:
    """A published version as one document; ``lifetime`` by person id."""
    public_id = snap.card.public_id
    keys = _keys_of(snap)
    urls = person_urls()
    legislators = []
    for row in snap.rows:
        pooled = lifetime.get(row.person.id)
        pooled_score = pooled.score if pooled is not None else None
        legislators.append(
            schemas.ScorecardLegislator(
                id=row.person.public_id,
                name=row.person.name,
                url=urls(row.person.public_id),
                **_result(row, keys),
                lifetime_score=exact_score(pooled_score),
                lifetime_score_display=display_score(pooled_score),
            )
        )
    return schemas.ScorecardDetail(
        id=public_id,
        title=snap.version.title,
        description=snap.version.description,
        version=snap.version.number,
        latest_version=snap.latest_number or snap.version.number,
        published_at=snap.version.published_at,
        url=scorecard_url(public_id, snap.version.number),
        methodology=methodology(snap.methodology),
        votes=list(_scored_votes(snap).values()),
        legislators=legislators,
        medians=_medians(snap),
        corrections=[
            schemas.Correction(
                version=v.number,
                published_at=v.published_at,
                note=v.note,
                changes=list(v.changes),
                url=scorecard_url(public_id, v.number),
            )
            for v in snap.card.versions
        ],
    )


def legislator_score(snap: Snapshot, row: Row) -> schemas.LegislatorScorecardScore:
    """One legislator's result on one version, with the scored votes they were seated
    for (each once) and their vote on each."""
    keys = _keys_of(snap)
    result = _result(row, keys)
    mine = set(result["votes"])
    return schemas.LegislatorScorecardScore(
        scorecard=scorecard_ref(snap),
        methodology=methodology(snap.methodology),
        scored_votes=[made for rc, made in _scored_votes(snap).items() if keys[rc] in mine],
        **result,
    )
