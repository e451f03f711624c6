"""What a scorecard's methodology means, in words: the one place for its facts and labels.

The methodology page, the PDF and spreadsheet exports and the API all describe
a published version's frozen methodology with these sentences, so they cannot
drift apart.  The arithmetic itself is ``tracker.scoring``; this module only
says what it does.

The constants are English (``N_`` marks them for the catalogs); the functions
answer in the language being rendered (``tracker.i18n``): English for the API,
the spreadsheets and staff pages, the member's on members' pages and the press
PDF asked for in Spanish.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from flask_babel import gettext, ngettext

from scrapers.vocab import CHAMBER_NAMES
from tracker.i18n import N_, word
from tracker.scoring import display_score

POLICY_TEXT: Final = {
    "exclude": N_(
        "Absences are left out: only votes cast yes or no count. A legislator who was "
        "absent, excused or not is neither credited nor penalised for that vote."
    ),
    "count_unexcused": N_(
        "Unexcused absences count against the legislator: a vote missed without an excuse "
        "counts as not aligned. Excused absences are left out."
    ),
    "count_all": N_(
        "All absences count against the legislator: a missed vote, excused or not, counts "
        "as not aligned."
    ),
}
SCORE: Final = N_(
    "A legislator's score is 100 × the weight of the scored votes they cast as "
    "aligned with our position, divided by the weight of their eligible votes, "
    "rounded half up to a whole number. Key votes carry a weight above 1."
)
SCORE_SHORT: Final = (
    "100 × (weight of votes cast as aligned) ÷ (weight of eligible votes), "
    "rounded half up to a whole number"
)
ROUNDING: Final = "half up"
# How each recorded vote is named on pages, in exports and emails.
VOTE_LABELS: Final = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "not_voting": N_("Did not vote"),
    "excused": N_("Excused"),
    "not_seated": N_("Not in office"),
}
# A committee roll call (``RollCall.kind`` "committee", from the committee's minutes) is
# voted on by the committee's members that day only: everyone else is "not_seated" on it,
# as the engine counts a roll call missing from their votes.  Shown to people as this.
COMMITTEE_KIND: Final = "committee"
NOT_ON_COMMITTEE: Final = N_("Not on the committee")
COMMITTEE_VOTES: Final = N_(
    "Only the committee's members that day vote in committee. For every "
    'other legislator a committee vote is not eligible and is shown as "not on the '
    'committee": it never counts as an absence, for or against them, nor in their '
    "attendance."
)


def vote_label(option: str | None, kind: str | None = None) -> str:
    """How one legislator's vote on one roll call is named to people, everywhere
    (pages, exports, the API, emails): ``option`` is the member vote (``not_seated``
    when they had none), ``kind`` the roll call's kind (the snapshot facts' ``kind``;
    missing on versions published before committee votes were scored: a floor vote).
    On a committee roll call, "not seated" means they were not on the committee."""
    if option == "not_seated" and kind == COMMITTEE_KIND:
        return gettext(NOT_ON_COMMITTEE)
    return word(VOTE_LABELS.get(option or "", option or ""))


def aligned_label(aligned: str) -> str:
    """A scored vote's aligned vote (``yes``/``no``) in words: "Yes", "No"."""
    return word(VOTE_LABELS.get(aligned, aligned))


def blank_label(kinds: Sequence[str | None]) -> str:
    """What a blank grid mark means among votes of these ``kinds``."""
    if COMMITTEE_KIND in kinds:
        return gettext("not in office or not on the committee")
    return gettext("not in office")


def committee_votes_text(facts: Sequence[Mapping[str, Any]]) -> str:
    """Whether a version scores committee votes (from its frozen votes' facts), and
    how non-members are treated, in words."""
    from babel.lists import format_list

    from tracker import i18n

    committee = [f for f in facts if f.get("kind") == COMMITTEE_KIND]
    if not committee:
        return gettext(
            "Only floor votes are scored; no committee vote is on this version. "
            "Committee votes are scored only when staff choose them."
        )
    names = sorted(
        {
            gettext(
                "the %(committee)s committee (%(chamber)s)",
                committee=f["committee"],
                chamber=word(CHAMBER_NAMES.get(str(f["chamber"]))),
            )
            if f.get("committee")
            else gettext("a committee")
            for f in committee
        }
    )
    count = len(committee)
    listed = (
        (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])
        if i18n.current() == i18n.DEFAULT
        else format_list(names, locale=i18n.BY_CODE[i18n.current()].formatting)
    )
    return (
        ngettext(
            "%(num)d committee vote is scored, from the minutes of %(committees)s.",
            "%(num)d committee votes are scored, from the minutes of %(committees)s.",
            count,
            committees=listed,
        )
        + " "
        + gettext(COMMITTEE_VOTES)
    )


FORMULA: Final = (  # the API's, in English
    "score = 100 * sum(weight of eligible votes cast the aligned way) / sum(weight of eligible "
    "votes); eligible votes follow the absence policy and never include not_seated; no score "
    "below the minimum participation (sum of weight of votes cast yes or no / sum of weight of "
    "votes held while seated); grade = the first band whose min_score the exact score reaches"
)
LIFETIME: Final = N_(
    "Lifetime scores pool every scored vote of the latest published version "
    "of every scorecard, each roll call once."
)
ATTENDANCE: Final = N_("Attendance counts votes cast out of votes held while seated (unweighted).")
NOT_ENOUGH: Final = N_("not enough votes")


def policy_text(policy: str | None) -> str:
    """The absence policy in words (an unknown code shows as itself)."""
    return word(POLICY_TEXT.get(policy or "", policy or ""))


def participation_text(min_pct: Any) -> str:
    return gettext(
        "A legislator who cast fewer than %(pct)s%% of the weight of the votes "
        'held while they were seated has no score ("%(none)s").',
        pct=min_pct,
        none=gettext(NOT_ENOUGH),
    )


def excused_text(chamber: str, recorded: bool) -> str:
    if chamber == "house":
        return (
            gettext("The House records excused absences for these votes.")
            if recorded
            else gettext(
                "The House data does not say which absences were excused; absences "
                'show as "Did not vote".'
            )
        )
    if chamber == "senate":
        return (
            gettext("The Senate records excused absences for these votes.")
            if recorded
            else gettext(
                "The Senate data does not say which absences were excused; absences "
                'show as "Did not vote".'
            )
        )
    name = CHAMBER_NAMES.get(chamber, chamber)
    if recorded:
        return f"The {name} records excused absences for these votes."
    return (
        f"The {name} data does not say which absences were excused; absences show as "
        '"Did not vote".'
    )


@dataclass(frozen=True)
class GradeRange:
    letter: str
    floor: int
    below: int | None  # the next band's floor; None for the top band

    def __str__(self) -> str:
        if self.below is not None:
            return gettext(
                "%(letter)s from %(floor)s to below %(below)s",
                letter=self.letter,
                floor=self.floor,
                below=self.below,
            )
        return gettext("%(letter)s from %(floor)s", letter=self.letter, floor=self.floor)


def grade_ranges(bands: Sequence[Sequence[Any]]) -> list[GradeRange]:
    """``[[90, "A"], [80, "B"]]`` -> A from 90, B from 80 to below 90."""
    ordered = sorted(((int(floor), str(letter)) for floor, letter in bands), reverse=True)
    return [
        GradeRange(letter, floor, ordered[i - 1][0] if i else None)
        for i, (floor, letter) in enumerate(ordered)
    ]


def grades_text(bands: Sequence[Sequence[Any]]) -> str:
    ranges = grade_ranges(bands)
    return gettext("Grades: %(bands)s.", bands="; ".join(str(r) for r in ranges)) if ranges else ""


def rounding_example() -> tuple[Fraction, int | None, Fraction, int | None]:
    """Two exact scores and how they display (62.5 -> 63, 62.25 -> 62)."""
    return (
        Fraction(125, 2),
        display_score(Fraction(125, 2)),
        Fraction(249, 4),
        display_score(Fraction(249, 4)),
    )


def sentences(
    methodology: Mapping[str, Any], facts: Sequence[Mapping[str, Any]] | None = None
) -> list[str]:
    """The whole methodology of a frozen version as plain sentences, in reading order
    (given its scored votes' ``facts``, how it scores committee votes when it does)."""
    lines = [
        gettext(SCORE),
        gettext("Absences: %(policy)s", policy=policy_text(methodology.get("absence_policy"))),
        participation_text(methodology.get("min_participation_pct")),
    ]
    if facts is not None and any(f.get("kind") == COMMITTEE_KIND for f in facts):
        lines.append(committee_votes_text(facts))
    grades = grades_text(methodology.get("grade_bands") or [])
    if grades:
        lines.append(grades)
    for chamber, recorded in sorted((methodology.get("excused_recorded") or {}).items()):
        lines.append(excused_text(chamber, bool(recorded)))
    lines += [gettext(LIFETIME), gettext(ATTENDANCE)]
    return lines


__all__ = [
    "ATTENDANCE",
    "COMMITTEE_KIND",
    "COMMITTEE_VOTES",
    "FORMULA",
    "LIFETIME",
    "NOT_ENOUGH",
    "NOT_ON_COMMITTEE",
    "POLICY_TEXT",
    "ROUNDING",
    "SCORE",
    "SCORE_SHORT",
    "VOTE_LABELS",
    "GradeRange",
    "aligned_label",
    "blank_label",
    "committee_votes_text",
    "excused_text",
    "grade_ranges",
    "grades_text",
    "participation_text",
    "policy_text",
    "rounding_example",
    "sentences",
    "vote_label",
]
