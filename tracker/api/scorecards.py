"""Published scorecards in the public API.

Everything here reads published versions only: ``ScorecardVersion`` rows and
what they froze (``FrozenVote``, ``FrozenMemberVote``, the roster in the
methodology).  A scorecard's draft (its editable settings, ``ScorecardVote``
rows and the ``version_number == 0`` score rows) is never read, so it cannot
leak.  Scores are recomputed from the frozen inputs by the one engine in
``tracker.scoring``, so the document carries exactly what anyone can
recompute from it.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from flask import abort, g, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scrapers.vocab import CHAMBERS
from tracker import snapshots
from tracker.api import serialize
from tracker.api.views import bp, positive_int_arg
from tracker.extensions import db
from tracker.models import FrozenVote, Person, Scorecard, ScorecardVersion
from tracker.scorecards import (
    frozen_inputs,
    latest_versions_query,
    methodology_from_frozen,
)
from tracker.scoring import LegislatorScore, Methodology, medians, score_scorecard

ROUNDING = "half up"
CACHE_SIZE = 16
# Rendered scorecard documents.  A published version never changes; what else
# the document shows (names, lifetime scores) changes only on a publish or an
# ingest of people, both part of the key.
_documents: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
FORMULA = (
    "score = 100 * sum(weight of votes cast the aligned way) / sum(weight of eligible votes); "
    "eligible votes follow the absence policy; no score below the minimum participation "
    "(sum of weight of votes cast yes or no / sum of weight of votes held while seated)"
)


# ------------------------------------------------------------------ queries


def _published(query: Any) -> Any:
    """Only scorecards with at least one published version."""
    return query.where(
        select(ScorecardVersion.id).where(ScorecardVersion.scorecard_id == Scorecard.id).exists()
    )


def published_card_or_404(public_id: str) -> Scorecard:
    card = db.session.scalars(
        _published(select(Scorecard).where(Scorecard.public_id == public_id)).options(
            selectinload(Scorecard.versions)
        )
    ).first()
    if card is None:
        abort(404, description=f"No published scorecard with id {public_id!r}.")
    return card


def latest_versions() -> list[ScorecardVersion]:
    """The latest published version of every scorecard, oldest scorecard first."""
    return list(
        db.session.scalars(
            latest_versions_query()
            .options(selectinload(ScorecardVersion.scorecard))
            .order_by(ScorecardVersion.published_at, ScorecardVersion.id)
        )
    )


def last_published_at() -> dt.datetime | None:
    return db.session.scalar(select(func.max(ScorecardVersion.published_at)))


# ------------------------------------------------------------------ pieces


def scorecard_url(card: Scorecard, version: int | None = None) -> str:
    if version is None:
        return url_for("api.scorecard", public_id=card.public_id, _external=True)
    return url_for("api.scorecard", public_id=card.public_id, version=version, _external=True)


def scorecard_ref(version: ScorecardVersion) -> dict[str, Any]:
    card = version.scorecard
    return {
        "id": card.public_id,
        "title": version.title,
        "version": version.number,
        "published_at": serialize._timestamp(version.published_at),
        "url": scorecard_url(card),
    }


def methodology_document(data: dict[str, Any]) -> dict[str, Any]:
    method = methodology_from_frozen(data)
    return {
        "method": data.get("method", "weighted_alignment"),
        "absence_policy": method.absence_policy,
        "min_participation": float(method.min_participation),
        "min_participation_pct": int(data["min_participation_pct"]),
        "grade_bands": [
            {"min_score": floor, "grade": grade} for floor, grade in method.grade_bands
        ],
        "excused_recorded": {str(k): bool(v) for k, v in data.get("excused_recorded", {}).items()},
        "chambers": list(data.get("chambers", [])),
        "sessions": list(data.get("sessions", [])),
        "rounding": ROUNDING,
        "formula": FORMULA,
    }


def _vote_document(vote: FrozenVote) -> dict[str, Any]:
    facts = vote.facts
    return {
        "roll_call_id": facts["public_id"],
        "bill": facts["bill"],
        "bill_label": facts["bill_label"],
        "bill_title": facts.get("bill_title"),
        "bill_url": serialize.bill_url(facts["session"], facts["bill"]),
        "session": facts["session"],
        "date": facts["date"],
        "chamber": facts["chamber"],
        "motion": facts["motion"],
        "amendment_id": facts.get("amendment_id") or None,
        "journal_page": facts.get("journal_page") or None,
        "aligned_vote": vote.aligned,
        "weight": vote.weight,
        "key_vote": vote.weight >= 2,
        "description": vote.description,
        "yeas": facts.get("yeas"),
        "nays": facts.get("nays"),
        "outcome": facts.get("outcome"),
        "source_url": facts.get("source_url"),
        "verification_note": facts.get("verification_note"),
    }


def _frozen(version: ScorecardVersion, person_ids: list[int] | None = None
            ) -> tuple[list[FrozenVote], Methodology, dict[str, LegislatorScore]]:
    """The frozen votes of a version and every (or some) legislator's result,
    keyed by internal person id as a string."""
    votes = list(
        db.session.scalars(
            select(FrozenVote)
            .where(FrozenVote.version_id == version.id)
            .order_by(FrozenVote.position)
        )
    )
    scored, member_votes = frozen_inputs(version, person_ids)
    method = methodology_from_frozen(version.methodology)
    roster = version.methodology.get("roster", {})
    wanted = roster.keys() if person_ids is None else {str(p) for p in person_ids} & roster.keys()
    member_votes = {pid: member_votes.get(pid, {}) for pid in wanted}
    return votes, method, score_scorecard(member_votes, scored, method)


def _public_votes(result: LegislatorScore, public_rc: dict[str, str]) -> dict[str, str]:
    return {public_rc[rc]: option for rc, option in result.votes.items()}


def _median_groups(results: dict[str, LegislatorScore], roster: dict[str, Any]
                   ) -> dict[str, Any]:
    exact = {pid: result.score for pid, result in results.items()}

    def pairs(groups: dict[str, str]) -> dict[str, Any]:
        found = medians(exact, groups)
        return {group: serialize.score_pair(found[group]) for group in sorted(found)}

    by_chamber = {pid: seat["chamber"] for pid, seat in roster.items()}
    by_party = {pid: seat["party"] or "unknown" for pid, seat in roster.items()}
    chamber_party: dict[str, Any] = {}
    for chamber in sorted(set(by_chamber.values())):
        members = {pid: by_party[pid] for pid, c in by_chamber.items() if c == chamber}
        chamber_party[chamber] = pairs(members)
    return {
        "chamber": pairs(by_chamber),
        "party": pairs(by_party),
        "chamber_party": chamber_party,
    }


def _legislator_order(item: dict[str, Any]) -> tuple[int, str, str]:
    chamber = CHAMBERS.index(item["chamber"]) if item["chamber"] in CHAMBERS else 9
    return (chamber, item["name"].casefold(), item["id"])


def scorecard_document(card: Scorecard, version: ScorecardVersion) -> dict[str, Any]:
    votes, method, results = _frozen(version)
    roster: dict[str, Any] = version.methodology.get("roster", {})
    public_rc = {str(v.roll_call_id): v.facts["public_id"] for v in votes}
    people = {
        str(p.id): p
        for p in db.session.scalars(
            select(Person).where(Person.id.in_([int(pid) for pid in roster]))
        )
    }
    lifetime = snapshots.lifetime([int(pid) for pid in roster])
    legislators = []
    for pid, result in results.items():
        person, seat = people[pid], roster[pid]
        legislators.append(
            {
                "id": person.public_id,
                "name": person.name,
                "url": serialize.person_url(person),
                "party": seat.get("party"),
                "chamber": seat["chamber"],
                "district": seat.get("district"),
                **serialize.score_pair(result.score),
                "aligned_weight": result.aligned_weight,
                "eligible_weight": result.eligible_weight,
                "participation": (
                    float(result.participation) if result.participation is not None else None
                ),
                "grade": result.grade,
                "attendance": serialize.attendance(result),
                "lifetime_score": serialize.exact_score(lifetime[int(pid)].score),
                "lifetime_score_display": serialize.score_pair(lifetime[int(pid)].score)[
                    "score_display"
                ],
                "votes": _public_votes(result, public_rc),
            }
        )
    legislators.sort(key=_legislator_order)
    return {
        "id": card.public_id,
        "title": version.title,
        "description": version.description,
        "version": version.number,
        "latest_version": card.versions[-1].number,
        "published_at": serialize._timestamp(version.published_at),
        "url": scorecard_url(card, version.number),
        "methodology": methodology_document(version.methodology),
        "votes": [_vote_document(v) for v in votes],
        "legislators": legislators,
        "medians": _median_groups(results, roster),
        "corrections": [
            {
                "version": v.number,
                "published_at": serialize._timestamp(v.published_at),
                "note": v.note,
                "changes": list(v.changes or []),
                "url": scorecard_url(card, v.number),
            }
            for v in card.versions
        ],
    }


def legislator_scores(person: Person) -> dict[str, Any]:
    """A legislator's results on the latest published version of every
    scorecard that covers them, and their lifetime score."""
    items = []
    for version in latest_versions():
        seat = version.methodology.get("roster", {}).get(str(person.id))
        if seat is None:
            continue
        votes, _, results = _frozen(version, [person.id])
        result = results[str(person.id)]
        documents = {str(v.roll_call_id): _vote_document(v) for v in votes}
        items.append(
            {
                "scorecard": scorecard_ref(version),
                "chamber": seat["chamber"],
                "party": seat.get("party"),
                "district": seat.get("district"),
                **serialize.score_pair(result.score),
                "grade": result.grade,
                "attendance": serialize.attendance(result),
                "votes": [
                    {**documents[rc], "vote": option} for rc, option in result.votes.items()
                ],
            }
        )
    lifetime = snapshots.lifetime([person.id])[person.id]
    return {
        "scores": items,
        "lifetime_score": serialize.exact_score(lifetime.score),
        "lifetime_score_display": serialize.score_pair(lifetime.score)["score_display"],
    }


# ------------------------------------------------------------------ routes


@bp.get("/scorecards")
def scorecards() -> Any:
    items = []
    for version in reversed(latest_versions()):
        methodology = version.methodology
        items.append(
            {
                **scorecard_ref(version),
                "sessions": list(methodology.get("sessions", [])),
                "chambers": list(methodology.get("chambers", [])),
            }
        )
    g.last_modified = last_published_at()
    return jsonify(items=items, total=len(items))


@bp.get("/scorecards/<public_id>")
def scorecard(public_id: str) -> Any:
    card = published_card_or_404(public_id)
    number = positive_int_arg("version", card.versions[-1].number, 1_000_000)
    version = next((v for v in card.versions if v.number == number), None)
    if version is None:
        abort(404, description=f"Scorecard {public_id!r} has no published version {number}.")
    published = last_published_at()
    people = db.session.scalar(
        select(func.max(func.coalesce(Person.last_seen_at, Person.created_at)))
    )
    key = (card.public_id, version.number, published, people, request.url_root)
    document = _documents.get(key)
    if document is None:
        document = scorecard_document(card, version)
        _documents[key] = document
        while len(_documents) > CACHE_SIZE:
            _documents.popitem(last=False)
    # Lifetime scores change when any scorecard is published, names on ingest.
    g.last_modified = max(m for m in (published, people) if m is not None)
    return jsonify(document)

