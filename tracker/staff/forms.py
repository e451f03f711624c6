"""Forms and request parsing for the staff pages.

The services in ``tracker.scorecards`` validate every change and explain
refusals in words for users; these helpers only turn request values into
arguments, with a clear message when a value cannot be read at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from scrapers.vocab import BILL_STATUSES, BILL_TYPES, CHAMBERS

BILL_NUMBER = re.compile(r"^\s*(HF|SF|HR|SR|HC|SC)\s*0*(\d{1,6})\s*$", re.I)
ABSENCE_POLICY_LABELS = {
    "exclude": "Leave absences out (default)",
    "count_unexcused": "Count unexcused absences against the legislator",
    "count_all": "Count all absences against the legislator",
}


class ScorecardForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF is untyped: FlaskForm is Any
    """A scorecard's settings.  The service validates them; the choices of
    sessions and absence policy are set by the view."""

    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    description = TextAreaField("Description (public)", validators=[Length(max=5000)])
    sessions = SelectMultipleField("Sessions", coerce=int)
    chambers = SelectMultipleField(
        "Chambers", choices=[SelectChoice("house", "House"), SelectChoice("senate", "Senate")]
    )
    absence_policy = StringField("Absence policy", default="exclude")
    min_participation_pct = IntegerField(
        "Minimum participation (%)",
        default=50,
        validators=[
            InputRequired("enter a whole number from 0 to 100"),
            NumberRange(0, 100, "minimum participation is a percentage from 0 to 100"),
        ],
        description="Below this share of the scored votes' weight cast, no score is shown.",
    )
    grade_bands = StringField(
        "Letter-grade bands (optional)",
        description="Lowest score for each letter, e.g. A=90, B=80, C=70. Leave empty for none.",
    )
    show_sponsorship = BooleanField("Show sponsorship on legislator pages", default=True)
    version = HiddenField()


def session_choices(sessions: Any) -> list[SelectChoice]:
    return [SelectChoice(s.id, s.name) for s in sessions]


def parse_version(value: Any) -> int | None:
    """The hidden ``version`` of an edit form; None when missing or unreadable."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def split_issue_areas(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass
class BillQuery:
    """The bill list's GET parameters, read and checked."""

    q: str = ""
    session: str = ""
    chamber: str = ""
    status: str = ""
    roll_calls: str = ""
    tagged: str = ""
    page: int = 1
    bill_type: str | None = None
    bill_number: int | None = None
    errors: list[str] = field(default_factory=list)

    def args(self, **overrides: Any) -> dict[str, Any]:
        """Non-empty parameters for links (pagination keeps the filters)."""
        values = {
            "q": self.q,
            "session": self.session,
            "chamber": self.chamber,
            "status": self.status,
            "roll_calls": self.roll_calls,
            "tagged": self.tagged,
            "page": self.page if self.page != 1 else None,
            **overrides,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


def parse_bill_query(args: Any, session_identifiers: set[str]) -> BillQuery:
    query = BillQuery(
        q=(args.get("q") or "").strip()[:200],
        session=(args.get("session") or "").strip(),
        chamber=(args.get("chamber") or "").strip().lower(),
        status=(args.get("status") or "").strip(),
        roll_calls=(args.get("roll_calls") or "").strip().lower(),
        tagged=(args.get("tagged") or "").strip().lower(),
    )
    match = BILL_NUMBER.match(query.q)
    if match and match.group(1).upper() in BILL_TYPES:
        query.bill_type, query.bill_number = match.group(1).upper(), int(match.group(2))
    if query.session and query.session not in session_identifiers:
        query.errors.append(f"There is no session {query.session!r}; choose one from the list.")
    if query.chamber and query.chamber not in CHAMBERS:
        query.errors.append("Chamber must be House or Senate.")
    if query.status and query.status not in BILL_STATUSES:
        query.errors.append(f"Unknown status {query.status!r}; choose one from the list.")
    if query.roll_calls not in ("", "yes", "no"):
        query.errors.append("'Has roll calls' must be yes, no or any.")
    if query.tagged not in ("", "yes", "no"):
        query.errors.append("'Tagged' must be yes, no or any.")
    raw_page = (args.get("page") or "1").strip()
    if raw_page.isdigit() and 1 <= int(raw_page) <= 100_000:
        query.page = int(raw_page)
    else:
        query.errors.append("The page number must be a whole number from 1.")
    return query


def parse_bill_key(key: str) -> tuple[str, int] | None:
    """``HF11`` (any case, optional space) -> ("HF", 11)."""
    match = BILL_NUMBER.match(key)
    if not match:
        return None
    return match.group(1).upper(), int(match.group(2))


# The kinds ``tracker.votes.kind_of`` gives a roll call's motion, in words.
MOTION_KINDS = {
    "passage": "Passage",
    "amendment": "Amendment",
    "motion": "Procedural or other motion",
}
POSITION_FILTERS = {"support": "Support", "oppose": "Oppose", "none": "No position"}
SCORED_FILTERS = {"no": "Not yet scored", "yes": "Already scored", "any": "Either"}
# Floor votes by default; committee roll calls (from the minutes) only when chosen.
VOTE_FILTERS = {"floor": "Floor votes", "committee": "Committee votes"}


@dataclass
class BuilderQuery:
    """The scorecard builder's GET parameters, read and checked."""

    session: str = ""
    chamber: str = ""
    position: str = ""
    kind: str = ""
    verified: str = ""
    scored: str = "no"
    votes: str = "floor"
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def args(self, **overrides: Any) -> dict[str, Any]:
        """Non-default parameters for links (pagination keeps the filters)."""
        values = {
            "session": self.session,
            "chamber": self.chamber,
            "position": self.position,
            "kind": self.kind,
            "verified": self.verified,
            "scored": self.scored if self.scored != "no" else None,
            "votes": self.votes if self.votes != "floor" else None,
            "page": self.page if self.page != 1 else None,
            **overrides,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


def parse_builder_query(
    args: Any, session_identifiers: set[str], chambers: set[str]
) -> BuilderQuery:
    """``session_identifiers`` and ``chambers``: the scorecard's own."""
    query = BuilderQuery(
        session=(args.get("session") or "").strip(),
        chamber=(args.get("chamber") or "").strip().lower(),
        position=(args.get("position") or "").strip().lower(),
        kind=(args.get("kind") or "").strip().lower(),
        verified=(args.get("verified") or "").strip().lower(),
        scored=(args.get("scored") or "no").strip().lower(),
        votes=(args.get("votes") or "floor").strip().lower(),
    )
    if query.session and query.session not in session_identifiers:
        query.errors.append(
            f"This scorecard does not cover a session {query.session!r}; choose one from the list."
        )
    if query.chamber and query.chamber not in chambers:
        query.errors.append("Choose a chamber this scorecard covers.")
    if query.position and query.position not in POSITION_FILTERS:
        query.errors.append("Position must be support, oppose or none.")
    if query.kind and query.kind not in MOTION_KINDS:
        query.errors.append(f"Unknown kind of motion {query.kind!r}; choose one from the list.")
    if query.verified not in ("", "yes"):
        query.errors.append("'Verified only' is yes or empty.")
    if query.scored not in SCORED_FILTERS:
        query.errors.append("'Already scored' must be yes, no or either.")
    if query.votes not in VOTE_FILTERS:
        query.errors.append("Votes must be floor or committee votes.")
    raw_page = (args.get("page") or "1").strip()
    if raw_page.isdigit() and 1 <= int(raw_page) <= 100_000:
        query.page = int(raw_page)
    else:
        query.errors.append("The page number must be a whole number from 1.")
    return query
