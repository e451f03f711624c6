"""What a scorecard's methodology means, in words: the one place for its facts and labels.

The methodology page, the PDF and spreadsheet exports and the API all describe
a published version's frozen methodology with these sentences, so they cannot
drift apart.  The arithmetic itself is ``tracker.scoring``; this module only
says what it does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from scrapers.vocab import CHAMBER_NAMES
from tracker.scoring import display_score

POLICY_TEXT: Final = {
    "exclude": (
        "Absences are left out: only votes cast yes or no count. A legislator who was "
        "absent, excused or not is neither credited nor penalised for that vote."
    ),
    "count_unexcused": (
        "Unexcused absences count against the legislator: a vote missed without an excuse "
        "counts as not aligned. Excused absences are left out."
    ),
    "count_all": (
        "All absences count against the legislator: a missed vote, excused or not, counts "
        "as not aligned."
    ),
}
SCORE: Final = ("A legislator's score is 100 × the weight of the scored votes they cast as "
                "aligned with our position, divided by the weight of their eligible votes, "
                "rounded half up to a whole number. Key votes carry a weight above 1.")
SCORE_SHORT: Final = ("100 × (weight of votes cast as aligned) ÷ (weight of eligible votes), "
                      "rounded half up to a whole number")
ROUNDING: Final = "half up"
# How each recorded vote is named on pages, in exports and emails.
VOTE_LABELS: Final = {
    "yes": "Yes",
    "no": "No",
    "not_voting": "Did not vote",
    "excused": "Excused",
    "not_seated": "Not in office",
}
FORMULA: Final = (
    "score = 100 * sum(weight of eligible votes cast the aligned way) / sum(weight of eligible "
    "votes); eligible votes follow the absence policy and never include not_seated; no score "
    "below the minimum participation (sum of weight of votes cast yes or no / sum of weight of "
    "votes held while seated); grade = the first band whose min_score the exact score reaches"
)
LIFETIME: Final = ("Lifetime scores pool every scored vote of the latest published version of "
                   "every scorecard, each roll call once.")
ATTENDANCE: Final = "Attendance counts votes cast out of votes held while seated (unweighted)."
NOT_ENOUGH: Final = "not enough votes"


def policy_text(policy: str | None) -> str:
    """The absence policy in words (an unknown code shows as itself)."""
    return POLICY_TEXT.get(policy or "", policy or "")


def participation_text(min_pct: Any) -> str:
    return (f"A legislator who cast fewer than {min_pct}% of the weight of the votes held "
            f"while they were seated has no score (\"{NOT_ENOUGH}\").")


def excused_text(chamber: str, recorded: bool) -> str:
    name = CHAMBER_NAMES.get(chamber, chamber)
    if recorded:
        return f"The {name} records excused absences for these votes."
    return (f"The {name} data does not say which absences were excused; absences show as "
            "\"Did not vote\".")


@dataclass(frozen=True)
class GradeRange:
    letter: str
    floor: int
    below: int | None  # the next band's floor; None for the top band

    def __str__(self) -> str:
        return f"{self.letter} from {self.floor}" + (f" to below {self.below}"
                                                      if self.below is not None else "")


def grade_ranges(bands: Sequence[Sequence[Any]]) -> list[GradeRange]:
    """``[[90, "A"], [80, "B"]]`` -> A from 90, B from 80 to below 90."""
    ordered = sorted(((int(floor), str(letter)) for floor, letter in bands), reverse=True)
    return [GradeRange(letter, floor, ordered[i - 1][0] if i else None)
            for i, (floor, letter) in enumerate(ordered)]


def grades_text(bands: Sequence[Sequence[Any]]) -> str:
    ranges = grade_ranges(bands)
    return ("Grades: " + "; ".join(str(r) for r in ranges) + ".") if ranges else ""


def rounding_example() -> tuple[Fraction, int | None, Fraction, int | None]:
    """Two exact scores and how they display (62.5 -> 63, 62.25 -> 62)."""
    return (Fraction(125, 2), display_score(Fraction(125, 2)),
            Fraction(249, 4), display_score(Fraction(249, 4)))


def sentences(methodology: Mapping[str, Any]) -> list[str]:
    """The whole methodology of a frozen version as plain sentences, in reading order."""
    lines = [SCORE, "Absences: " + policy_text(methodology.get("absence_policy")),
             participation_text(methodology.get("min_participation_pct"))]
    grades = grades_text(methodology.get("grade_bands") or [])
    if grades:
        lines.append(grades)
    for chamber, recorded in sorted((methodology.get("excused_recorded") or {}).items()):
        lines.append(excused_text(chamber, bool(recorded)))
    lines += [LIFETIME, ATTENDANCE]
    return lines


__all__ = [
    "ATTENDANCE", "FORMULA", "LIFETIME", "NOT_ENOUGH", "POLICY_TEXT", "ROUNDING", "SCORE",
    "SCORE_SHORT", "VOTE_LABELS", "GradeRange", "excused_text", "grade_ranges", "grades_text",
    "participation_text", "policy_text", "rounding_example", "sentences",
]
