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
# A committee roll call (``RollCall.kind`` "committee", from the committee's minutes) is
# voted on by the committee's members that day only: everyone else is "not_seated" on it,
# as the engine counts a roll call missing from their votes.  Shown to people as this.
COMMITTEE_KIND: Final = "committee"
NOT_ON_COMMITTEE: Final = "Not on the committee"
COMMITTEE_VOTES: Final = (
    "Only the committee's members that day vote in committee. For every "
    "other legislator a committee vote is not eligible and is shown as \"not on the "
    "committee\": it never counts as an absence, for or against them, nor in their "
    "attendance.")


def vote_label(option: str | None, kind: str | None = None) -> str:
    """How one legislator's vote on one roll call is named to people, everywhere
    (pages, exports, the API, emails): ``option`` is the member vote (``not_seated``
    when they had none), ``kind`` the roll call's kind (the snapshot facts' ``kind``;
    missing on versions published before committee votes were scored: a floor vote).
    On a committee roll call, "not seated" means they were not on the committee."""
    if option == "not_seated" and kind == COMMITTEE_KIND:
        return NOT_ON_COMMITTEE
    return VOTE_LABELS.get(option or "", option or "")


def blank_label(kinds: Sequence[str | None]) -> str:
    """What a blank grid mark means among votes of these ``kinds``."""
    if COMMITTEE_KIND in kinds:
        return "not in office or not on the committee"
    return "not in office"


def committee_votes_text(facts: Sequence[Mapping[str, Any]]) -> str:
    """Whether a version scores committee votes (from its frozen votes' facts), and
    how non-members are treated, in words."""
    committee = [f for f in facts if f.get("kind") == COMMITTEE_KIND]
    if not committee:
        return ("Only floor votes are scored; no committee vote is on this version. "
                "Committee votes are scored only when staff choose them.")
    names = sorted({f"the {f['committee']} committee ({CHAMBER_NAMES.get(str(f['chamber']))})"
                    if f.get("committee") else "a committee" for f in committee})
    count = len(committee)
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return (f"{count} committee vote{'s' if count != 1 else ''} "
            f"{'are' if count != 1 else 'is'} scored, from the minutes of {listed}. "
            + COMMITTEE_VOTES)


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


def sentences(methodology: Mapping[str, Any],
              facts: Sequence[Mapping[str, Any]] | None = None) -> list[str]:
    """The whole methodology of a frozen version as plain sentences, in reading order
    (given its scored votes' ``facts``, how it scores committee votes when it does)."""
    lines = [SCORE, "Absences: " + policy_text(methodology.get("absence_policy")),
             participation_text(methodology.get("min_participation_pct"))]
    if facts is not None and any(f.get("kind") == COMMITTEE_KIND for f in facts):
        lines.append(committee_votes_text(facts))
    grades = grades_text(methodology.get("grade_bands") or [])
    if grades:
        lines.append(grades)
    for chamber, recorded in sorted((methodology.get("excused_recorded") or {}).items()):
        lines.append(excused_text(chamber, bool(recorded)))
    lines += [LIFETIME, ATTENDANCE]
    return lines


__all__ = [
    "ATTENDANCE", "COMMITTEE_KIND", "COMMITTEE_VOTES", "FORMULA", "LIFETIME", "NOT_ENOUGH",
    "NOT_ON_COMMITTEE", "POLICY_TEXT", "ROUNDING", "SCORE", "SCORE_SHORT", "VOTE_LABELS",
    "GradeRange", "blank_label", "committee_votes_text", "excused_text", "grade_ranges",
    "grades_text", "participation_text", "policy_text", "rounding_example", "sentences",
    "vote_label",
]
