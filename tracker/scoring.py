"""The scoring engine: pure functions over plain data.

No database, no app, no clock.  The methodology page and the README describe
exactly what these functions compute:

* A legislator's **score** on a scorecard is
  ``100 x sum(weight x aligned) / sum(weight x eligible)`` over the scorecard's
  scored votes, where *aligned* means the legislator cast the aligned vote, and
  *eligible* follows the absence policy:

  - ``exclude`` (default): only votes cast yes or no are eligible;
  - ``count_unexcused``: votes cast, plus unexcused absences (``not_voting``),
    which count as not aligned;
  - ``count_all``: votes cast plus every absence (``not_voting`` and ``excused``).

  A vote taken while the legislator was not seated (``not_seated``) is never
  eligible.
* **Participation** is ``sum(weight of votes cast yes or no) / sum(weight of
  scored votes held while seated)``.  Below the scorecard's minimum the score
  is ``None`` and shown as "not enough votes"; so is a score with no eligible
  weight.
* **Attendance** counts votes, unweighted: cast out of possible (seated), with
  excused absences counted apart.
* The **lifetime score** pools every scored vote of the latest published
  version of every scorecard, each roll call once, with each vote's own
  scorecard absence policy; it is never an average of session scores.
* Scores are exact fractions; ``display_score`` rounds half up to a whole
  number, the one rounding used by pages, API and exports.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from scrapers.vocab import EXCUSED, NO, NOT_SEATED, NOT_VOTING, YES

AbsencePolicy = Literal["exclude", "count_unexcused", "count_all"]
ABSENCE_POLICIES: tuple[AbsencePolicy, ...] = ("exclude", "count_unexcused", "count_all")
CAST = (YES, NO)
MAX_WEIGHT = 10


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class ScoredVote:
    """A roll call chosen for a scorecard, with the aligned option and weight."""

    roll_call_id: str
    aligned: Literal["yes", "no"]
    weight: int = 1

    def __post_init__(self) -> None:
        if self.aligned not in CAST:
            raise ScoringError(f"aligned vote must be yes or no, not {self.aligned!r}")
        if not isinstance(self.weight, int) or not 1 <= self.weight <= MAX_WEIGHT:
            raise ScoringError(f"weight must be a whole number from 1 to {MAX_WEIGHT}")


@dataclass(frozen=True)
class Methodology:
    absence_policy: AbsencePolicy = "exclude"
    min_participation: Fraction = Fraction(1, 2)
    # (lowest score, letter), e.g. ((90, "A"), (80, "B"), ...); empty = no grades.
    grade_bands: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        if self.absence_policy not in ABSENCE_POLICIES:
            raise ScoringError(f"unknown absence policy {self.absence_policy!r}")
        if not 0 <= self.min_participation <= 1:
            raise ScoringError("minimum participation must be between 0 and 1")
        floors = [floor for floor, _ in self.grade_bands]
        if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):
            raise ScoringError("grade bands must go from the highest floor down, each once")


@dataclass(frozen=True)
class LegislatorScore:
    person_id: str
    score: Fraction | None
    aligned_weight: int
    eligible_weight: int
    cast_weight: int
    possible_weight: int
    votes_cast: int
    votes_possible: int
    excused: int
    not_voting: int
    grade: str | None
    votes: Mapping[str, str] = field(default_factory=dict)

    @property
    def participation(self) -> Fraction | None:
        if not self.possible_weight:
            return None
        return Fraction(self.cast_weight, self.possible_weight)

    @property
    def attendance(self) -> Fraction | None:
        if not self.votes_possible:
            return None
        return Fraction(self.votes_cast, self.votes_possible)

    @property
    def enough_votes(self) -> bool:
        return self.score is not None


def display_score(score: Fraction | None) -> int | None:
    """Round half up to a whole number (``Fraction(125, 2)`` -> 63); None stays None."""
    if score is None:
        return None
    if isinstance(score, int | Fraction):  # floor(n/d + 1/2) in integers (d > 0)
        return (2 * score.numerator + score.denominator) // (2 * score.denominator)
    return math.floor(score + Fraction(1, 2))  # (a float or Decimal, from a caller)


def grade_for(score: Fraction | None, bands: Sequence[tuple[int, str]]) -> str | None:
    if score is None:
        return None
    for floor, letter in bands:
        if score >= floor:
            return letter
    return None


def ratio(aligned_weight: int, eligible_weight: int) -> Fraction:
    """The score of these weights: 100 x aligned / eligible (eligible > 0)."""
    return Fraction(100 * aligned_weight, eligible_weight)


def eligible_under(option: str, policy: AbsencePolicy) -> bool:
    """Whether a vote recorded as ``option`` counts toward the score under ``policy``."""
    if option in CAST:
        return True
    if option == NOT_VOTING:
        return policy in ("count_unexcused", "count_all")
    if option == EXCUSED:
        return policy == "count_all"
    return False  # not_seated, or no record: never eligible


def score_legislator(
    person_id: str,
    votes: Mapping[str, str],
    scored: Sequence[ScoredVote],
    methodology: Methodology,
    policies: Mapping[str, AbsencePolicy] | None = None,
) -> LegislatorScore:
    """Score one legislator.  ``votes`` maps roll call id -> option; a scored
    roll call missing from it counts as not seated.  ``policies`` overrides the
    absence policy per roll call (lifetime pooling)."""
    aligned = eligible = cast_w = possible_w = 0
    cast = possible = excused = not_voting = 0
    shown: dict[str, str] = {}
    for vote in scored:
        option = votes.get(vote.roll_call_id, NOT_SEATED)
        shown[vote.roll_call_id] = option
        if option == NOT_SEATED:
            continue
        possible += 1
        possible_w += vote.weight
        if option in CAST:
            cast += 1
            cast_w += vote.weight
        elif option == EXCUSED:
            excused += 1
        elif option == NOT_VOTING:
            not_voting += 1
        policy = (policies or {}).get(vote.roll_call_id, methodology.absence_policy)
        if eligible_under(option, policy):
            eligible += vote.weight
            if option == vote.aligned:
                aligned += vote.weight
    score: Fraction | None = None
    if eligible and possible_w and Fraction(cast_w, possible_w) >= methodology.min_participation:
        score = ratio(aligned, eligible)
    return LegislatorScore(
        person_id=person_id,
        score=score,
        aligned_weight=aligned,
        eligible_weight=eligible,
        cast_weight=cast_w,
        possible_weight=possible_w,
        votes_cast=cast,
        votes_possible=possible,
        excused=excused,
        not_voting=not_voting,
        grade=grade_for(score, methodology.grade_bands),
        votes=shown,
    )


def score_scorecard(
    member_votes: Mapping[str, Mapping[str, str]],
    scored: Sequence[ScoredVote],
    methodology: Methodology,
    *,
    verified: Iterable[str] | None = None,
) -> dict[str, LegislatorScore]:
    """Score every legislator in ``member_votes`` (person id -> roll call id ->
    option).  Roll calls not in ``verified`` (when given) are left out: an
    unverified roll call is never scored."""
    usable = _verified_only(scored, verified)
    return {
        person: score_legislator(person, votes, usable, methodology)
        for person, votes in member_votes.items()
    }


def _verified_only(
    scored: Sequence[ScoredVote], verified: Iterable[str] | None
) -> list[ScoredVote]:
    ids = [v.roll_call_id for v in scored]
    if len(set(ids)) != len(ids):
        raise ScoringError("a roll call is scored twice on one scorecard")
    if verified is None:
        return list(scored)
    allowed = set(verified)
    return [v for v in scored if v.roll_call_id in allowed]


@dataclass(frozen=True)
class PublishedCard:
    """One scorecard's latest published version, as lifetime pooling sees it."""

    order: int  # later versions and scorecards have larger numbers
    methodology: Methodology
    scored: tuple[ScoredVote, ...]


def lifetime_scores(
    cards: Sequence[PublishedCard],
    member_votes: Mapping[str, Mapping[str, str]],
    *,
    verified: Iterable[str] | None = None,
) -> dict[str, LegislatorScore]:
    """Pool every scored vote of every card, each roll call once (the latest
    card's choice wins), with each vote's own absence policy.  No minimum
    participation applies; a legislator with no eligible vote has no score."""
    chosen: dict[str, tuple[int, ScoredVote, AbsencePolicy]] = {}
    for card in cards:
        for vote in card.scored:
            known = chosen.get(vote.roll_call_id)
            if known is None or card.order > known[0]:
                chosen[vote.roll_call_id] = (card.order, vote, card.methodology.absence_policy)
    pooled = _verified_only([v for _, v, _ in chosen.values()], verified)
    policies = {rc: policy for rc, (_, _, policy) in chosen.items()}
    open_method = Methodology(min_participation=Fraction(0))
    return {
        person: score_legislator(person, votes, pooled, open_method, policies)
        for person, votes in member_votes.items()
    }


def medians(
    scores: Mapping[str, Fraction | None], groups: Mapping[str, str]
) -> dict[str, Fraction | None]:
    """Median score per group (chamber, or party): ``scores`` maps person id to
    exact score, ``groups`` person id to group; legislators without a score
    are left out."""
    by_group: dict[str, list[Fraction]] = defaultdict(list)
    for person, score in scores.items():
        if score is not None and person in groups:
            by_group[groups[person]].append(score)
    out: dict[str, Fraction | None] = {}
    for group in set(groups.values()):
        values = by_group.get(group, [])
        out[group] = Fraction(statistics.median(values)) if values else None
    return out
