"""Table-driven tests of the scoring engine against the written methodology."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from tracker.scoring import (
    Methodology,
    PublishedCard,
    ScoredVote,
    ScoringError,
    display_score,
    grade_for,
    lifetime_scores,
    medians,
    score_legislator,
    score_scorecard,
)

pytestmark = pytest.mark.nodb  # no database: the sqlite part of make test runs these

# Four scored votes; the aligned vote is yes on r1, r2, r4 and no on r3.
CARD = (
    ScoredVote("r1", "yes"),
    ScoredVote("r2", "yes", weight=2),  # a key vote
    ScoredVote("r3", "no"),
    ScoredVote("r4", "yes"),
)


@pytest.mark.parametrize(
    ("votes", "policy", "score", "aligned", "eligible"),
    [
        # All cast, all aligned.
        ({"r1": "yes", "r2": "yes", "r3": "no", "r4": "yes"}, "exclude", 100, 5, 5),
        # Weighted: missing the key vote costs 2 of 5.
        ({"r1": "yes", "r2": "no", "r3": "no", "r4": "yes"}, "exclude", 60, 3, 5),
        # Absences left out by default: 2 of 3 eligible weight aligned.
        (
            {"r1": "yes", "r2": "not_voting", "r3": "yes", "r4": "excused"},
            "exclude",
            Fraction(50),
            1,
            2,
        ),
        # Unexcused absences count against; excused ones do not.
        (
            {"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "excused"},
            "count_unexcused",
            Fraction(200, 4),
            2,
            4,
        ),
        # All absences count against.
        (
            {"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "excused"},
            "count_all",
            Fraction(200, 5),
            2,
            5,
        ),
        # Not seated for r1 and r2 (took office later): never eligible, under any policy.
        (
            {"r1": "not_seated", "r2": "not_seated", "r3": "no", "r4": "no"},
            "count_all",
            Fraction(50),
            1,
            2,
        ),
        # A scored roll call with no record at all counts as not seated.
        ({"r3": "no", "r4": "yes"}, "count_all", Fraction(100), 2, 2),
    ],
)
def test_score_by_policy(
    votes: dict[str, str], policy: str, score: Fraction, aligned: int, eligible: int
) -> None:
    result = score_legislator(
        "p", votes, CARD, Methodology(absence_policy=policy, min_participation=Fraction(0))
    )
    assert result.score == score
    assert (result.aligned_weight, result.eligible_weight) == (aligned, eligible)


def test_attendance_counts_votes_and_shows_excused_apart() -> None:
    result = score_legislator(
        "p", {"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "excused"}, CARD, Methodology()
    )
    assert (result.votes_cast, result.votes_possible) == (2, 4)
    assert result.attendance == Fraction(1, 2)
    assert (result.excused, result.not_voting) == (1, 1)
    assert result.votes == {"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "excused"}


@pytest.mark.parametrize(
    ("votes", "minimum", "has_score"),
    [
        # Cast weight 2 of 5 possible = 40% participation.
        ({"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "not_voting"}, Fraction(1, 2), False),
        ({"r1": "yes", "r2": "not_voting", "r3": "no", "r4": "not_voting"}, Fraction(2, 5), True),
        # Participation counts only votes held while seated: 2 of 2 = 100%.
        ({"r1": "not_seated", "r2": "not_seated", "r3": "no", "r4": "yes"}, Fraction(1), True),
        # Zero eligible votes: no score whatever the minimum.
        (
            {"r1": "not_seated", "r2": "not_seated", "r3": "not_seated", "r4": "not_seated"},
            Fraction(0),
            False,
        ),
        ({"r1": "excused", "r2": "excused"}, Fraction(0), False),
    ],
)
def test_minimum_participation(votes: dict[str, str], minimum: Fraction, has_score: bool) -> None:
    result = score_legislator("p", votes, CARD, Methodology(min_participation=minimum))
    assert result.enough_votes is has_score
    assert (result.score is not None) is has_score


def test_unverified_roll_calls_are_never_scored() -> None:
    results = score_scorecard(
        {"p": {"r1": "no", "r2": "yes", "r3": "no", "r4": "yes"}},
        CARD,
        Methodology(),
        verified={"r2", "r3", "r4"},
    )
    assert results["p"].score == 100
    assert "r1" not in results["p"].votes


def test_a_roll_call_cannot_be_scored_twice() -> None:
    with pytest.raises(ScoringError, match="scored twice"):
        score_scorecard({}, (ScoredVote("r1", "yes"), ScoredVote("r1", "no")), Methodology())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ScoredVote("r", "yes", weight=0), "weight"),
        (lambda: ScoredVote("r", "yes", weight=11), "weight"),
        (lambda: ScoredVote("r", "maybe"), "yes or no"),
        (lambda: Methodology(absence_policy="sometimes"), "absence policy"),
        (lambda: Methodology(min_participation=Fraction(3, 2)), "between 0 and 1"),
        (lambda: Methodology(grade_bands=((80, "B"), (90, "A"))), "highest floor"),
    ],
)
def test_invalid_inputs(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScoringError, match=message):
        make()


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (Fraction(125, 2), 63),
        (Fraction(249, 5), 50),
        (Fraction(201, 4), 50),
        (Fraction(100), 100),
        (Fraction(0), 0),
        (Fraction(1, 2), 1),
        (None, None),
        (Fraction(200, 3), 67),
        (Fraction(100, 3), 33),
    ],
)
def test_display_rounds_half_up(score: Fraction | None, shown: int | None) -> None:
    assert display_score(score) == shown


def test_display_rounding_in_integers_is_the_fractions_rounding() -> None:
    """The whole-number reading of a score is floor(score + 1/2), exactly, for every
    score of small weights, negative ones and whole numbers included."""
    for denominator in range(1, 41):
        for numerator in range(-200 * denominator, 200 * denominator + 1, 7):
            score = Fraction(numerator, denominator)
            assert display_score(score) == math.floor(score + Fraction(1, 2))
    assert display_score(Fraction(-1, 2)) == 0 and display_score(Fraction(-3, 2)) == -1
    assert display_score(62.5) == 63  # type: ignore[arg-type]  # a float still rounds


def test_grades_use_the_exact_score() -> None:
    bands = ((90, "A"), (80, "B"), (0, "F"))
    assert grade_for(Fraction(90), bands) == "A"
    assert grade_for(Fraction(1799, 20), bands) == "B"  # 89.95 shows as 90 but is a B
    assert grade_for(None, bands) is None
    assert grade_for(Fraction(50), ((90, "A"),)) is None


def test_lifetime_pools_votes_not_averages() -> None:
    # Session one: 1 of 1 aligned (100). Session two: 1 of 3 aligned (33.3).
    # Mean of session scores: 66.7; pooled: 2 of 4 = 50.
    first = PublishedCard(1, Methodology(), (ScoredVote("a1", "yes"),))
    second = PublishedCard(
        2,
        Methodology(),
        (ScoredVote("b1", "yes"), ScoredVote("b2", "yes"), ScoredVote("b3", "yes")),
    )
    votes = {"p": {"a1": "yes", "b1": "yes", "b2": "no", "b3": "no"}}
    sessions = [
        score_scorecard(votes, card.scored, card.methodology)["p"].score for card in (first, second)
    ]
    assert sessions == [100, Fraction(100, 3)]
    lifetime = lifetime_scores([first, second], votes)["p"]
    assert lifetime.score == 50
    assert lifetime.score != sum(sessions) / 2


def test_lifetime_counts_each_roll_call_once_with_latest_choice() -> None:
    old = PublishedCard(1, Methodology(), (ScoredVote("r1", "yes"), ScoredVote("r2", "yes")))
    new = PublishedCard(2, Methodology(), (ScoredVote("r1", "no", weight=2),))
    lifetime = lifetime_scores([new, old], {"p": {"r1": "no", "r2": "yes"}})["p"]
    assert (lifetime.aligned_weight, lifetime.eligible_weight) == (3, 3)


def test_lifetime_uses_each_cards_absence_policy() -> None:
    strict = PublishedCard(1, Methodology(absence_policy="count_all"), (ScoredVote("r1", "yes"),))
    lenient = PublishedCard(2, Methodology(), (ScoredVote("r2", "yes"),))
    lifetime = lifetime_scores([strict, lenient], {"p": {"r1": "excused", "r2": "excused"}})["p"]
    assert (lifetime.aligned_weight, lifetime.eligible_weight) == (0, 1)
    assert lifetime.score == 0


def test_lifetime_ignores_unverified() -> None:
    card = PublishedCard(1, Methodology(), (ScoredVote("r1", "yes"), ScoredVote("r2", "yes")))
    lifetime = lifetime_scores([card], {"p": {"r1": "no", "r2": "yes"}}, verified={"r2"})
    assert lifetime["p"].score == 100


def test_medians_by_group_skip_missing_scores() -> None:
    method = Methodology(min_participation=Fraction(0))
    card = (ScoredVote("r1", "yes"), ScoredVote("r2", "yes"))
    votes = {
        "a": {"r1": "yes", "r2": "yes"},
        "b": {"r1": "yes", "r2": "no"},
        "c": {"r1": "no", "r2": "no"},
        "d": {"r1": "not_seated"},
    }
    scores = {p: r.score for p, r in score_scorecard(votes, card, method).items()}
    result = medians(scores, {"a": "DFL", "b": "DFL", "c": "R", "d": "R"})
    assert result == {"DFL": Fraction(75), "R": Fraction(0)}
    assert medians(scores, {"d": "I"}) == {"I": None}
