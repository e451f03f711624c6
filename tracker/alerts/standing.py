"""Where each targeted legislator stands: the latest published score, votes
on scored roll calls of the bill (or its companion), authorship and the tally;
whether a vote matched the ask; and what the vote does to the score (for the
follow-up email)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext
from sqlalchemy import and_, select

from tracker import headline, snapshots
from tracker.alerts.tally import tallies
from tracker.extensions import db
from tracker.models import (
    Alert,
    AlertTarget,
    Authorship,
    FrozenMemberVote,
    FrozenVote,
    Person,
    RollCall,
    ScorecardVote,
)
from tracker.models.votes import COMMITTEE
from tracker.scoring import display_score, eligible_under, ratio


@dataclass
class Stance:
    person: Person
    target: AlertTarget
    score: Fraction | None
    grade: str | None
    scorecard: str | None
    related_votes: list[tuple[FrozenVote, str]]
    authorship: str | None
    called: int
    emailed: int


def stances(alert: Alert, targets: list[AlertTarget]) -> list[Stance]:
    """Where each targeted legislator stands: score, votes on scored roll
    calls of this bill (or its companion), authorship, and the tally."""
    ids = [t.person_id for t in targets]
    scores = headline.headlines(ids)
    bill_ids = [alert.bill_id] + ([alert.bill.companion_id] if alert.bill.companion_id else [])
    version_ids = [v.id for v in snapshots.latest_versions()]
    related: dict[int, list[tuple[FrozenVote, str]]] = defaultdict(list)
    if version_ids and ids:
        rows = db.session.execute(
            select(FrozenVote, FrozenMemberVote.person_id, FrozenMemberVote.option)
            .join(
                FrozenMemberVote,
                and_(
                    FrozenMemberVote.version_id == FrozenVote.version_id,
                    FrozenMemberVote.roll_call_id == FrozenVote.roll_call_id,
                ),
            )
            .join(RollCall, RollCall.id == FrozenVote.roll_call_id)
            .where(
                FrozenVote.version_id.in_(version_ids),
                RollCall.bill_id.in_(bill_ids),
                FrozenMemberVote.person_id.in_(ids),
            )
        ).all()
        seen: set[tuple[int, int]] = set()
        for vote, person_id, option in rows:
            if option == "not_seated":
                continue  # the other chamber's vote, or before or after their term
            if (person_id, vote.roll_call_id) not in seen:
                seen.add((person_id, vote.roll_call_id))
                related[person_id].append((vote, option))
    authors = {
        a.person_id: a
        for a in db.session.scalars(
            select(Authorship).where(
                Authorship.bill_id.in_(bill_ids),
                Authorship.person_id.in_(ids),
                Authorship.missing_from_source.is_(False),
            )
        )
    }
    counts = tallies(alert)
    out = []
    for target in targets:
        found = scores.get(target.person_id)
        author = authors.get(target.person_id)
        out.append(
            Stance(
                person=target.person,
                target=target,
                score=found[1].score if found else None,
                grade=found[1].grade if found else None,
                scorecard=found[0].version.title if found else None,
                related_votes=related.get(target.person_id, []),
                authorship=(
                    gettext("chief author of %(bill)s", bill=author.bill.label)
                    if author.chief
                    else gettext("co-author of %(bill)s", bill=author.bill.label)
                )
                if author
                else None,
                called=counts[target.person_id]["called"],
                emailed=counts[target.person_id]["emailed"],
            )
        )
    return out


def matched(alert: Alert, option: str | None) -> bool | None:
    if option in ("yes", "no"):
        return option == alert.ask
    return None


def score_effect(alert: Alert, person: Person, option: str | None) -> str:
    """What the vote does to the legislator's score, in a sentence."""
    found = headline.headlines([person.id]).get(person.id)
    if found is None:
        return gettext(
            "%(name)s has no published score yet; this vote will count when the "
            "scorecard is published.",
            name=person.name,
        )
    snap, row = found
    rc = alert.roll_call
    assert rc is not None
    before = row.display
    shown = f"{before}" if before is not None else gettext("not enough votes for a score")
    title = snap.version.title
    if any(v.roll_call_id == rc.id for v in snap.votes):
        return gettext(
            "This vote is scored on %(title)s, where %(name)s's score is %(score)s.",
            title=title,
            name=person.name,
            score=shown,
        )
    weight = (
        db.session.scalar(
            select(ScorecardVote.weight).where(
                ScorecardVote.scorecard_id == snap.card.id,
                ScorecardVote.roll_call_id == rc.id,
                ScorecardVote.active.is_(True),
            )
        )
        or 1
    )
    policy = snap.methodology.get("absence_policy", "exclude")
    if option is None and rc.kind == COMMITTEE:
        if alert.committee:
            return gettext(
                "%(name)s was not on the %(committee)s committee that day: a "
                "committee vote is not eligible for non-members, so it does not "
                "count for or against them; the score stays %(score)s.",
                name=person.name,
                committee=alert.committee,
                score=shown,
            )
        return gettext(
            "%(name)s was not on the committee that day: a committee vote is not "
            "eligible for non-members, so it does not count for or against them; "
            "the score stays %(score)s.",
            name=person.name,
            score=shown,
        )
    if option is None or not eligible_under(option, policy):
        return gettext(
            "Not voting does not count for or against %(name)s under %(title)s's "
            "rules; the score stays %(score)s.",
            name=person.name,
            title=title,
            score=shown,
        )
    aligned = row.aligned_weight + (weight if option == alert.ask else 0)
    after = display_score(ratio(aligned, row.eligible_weight + weight))
    return gettext(
        "If this vote is scored on %(title)s (weight %(weight)s), %(name)s's "
        "score would go from %(before)s to %(after)s.",
        title=title,
        weight=weight,
        name=person.name,
        before=shown,
        after=after,
    )
