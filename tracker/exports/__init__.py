"""The press kit: spreadsheets, PDFs, charts and share images of a scorecard.

Everything here reads what the public pages read (``tracker.published``) and
rounds with ``tracker.scoring.display_score``, so an export agrees with the web
page to the digit.  ``export_data`` gathers one published version;
``draft_data`` gathers a scorecard's working draft for a staff preview (every
output made from it carries the draft watermark).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import (
    LegislatorScoreRow,
    Person,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
)
from tracker.published import (
    LegislatorRow,
    ScorecardView,
    exact_score,
    group_medians,
    positions_by_roll_call,
    scorecard_view,
)
from tracker.scoring import display_score
from tracker.seats import district_sort_key
from tracker.settings import current

DRAFT_MARK = "DRAFT — NOT FOR PUBLICATION"
CHAMBER_NAMES = {"house": "House", "senate": "Senate"}
VOTE_LABELS = {
    "yes": "Yes",
    "no": "No",
    "not_voting": "Did not vote",
    "excused": "Excused",
    "not_seated": "Not in office",
}


@dataclass
class ExportData:
    """One scorecard version (or a draft) with what every export needs."""

    view: ScorecardView
    draft: bool
    generated: dt.date
    org_name: str
    org_colors: list[str]
    positions: dict[int, str] = field(default_factory=dict)  # roll call id -> support/oppose
    lifetime: dict[int, Fraction | None] = field(default_factory=dict)  # person id -> score

    @property
    def title(self) -> str:
        return str(self.view.version.title)

    @property
    def version_label(self) -> str:
        if self.draft:
            return DRAFT_MARK
        return f"Version {self.view.version.number}"

    @property
    def published_label(self) -> str:
        if self.draft:
            return "not published"
        return f"published {self.view.version.published_at:%Y-%m-%d}"

    def rows_for(self, person_id: int) -> LegislatorRow | None:
        return next((r for r in self.view.rows if r.person.id == person_id), None)

    def votes_for(self, row: LegislatorRow) -> list[Any]:
        """The scored votes shown for a legislator (as on the legislator page):
        those they could vote on, and those of their chamber."""
        return [v for v in self.view.votes
                if row.votes.get(v.roll_call_id, "not_seated") != "not_seated"
                or v.facts.get("chamber") == row.chamber]


def _settings() -> tuple[str, list[str]]:
    settings = current()
    return settings.org_name, list(settings.org_colors)


def _lifetime(person_ids: list[int]) -> dict[int, Fraction | None]:
    from tracker.scorecards import lifetime_for

    return {pid: result.score for pid, result in lifetime_for(person_ids).items()}


def export_data(version: ScorecardVersion, person_ids: list[int] | None = None, *,
                with_lifetime: bool = True) -> ExportData:
    """A published version, read as the public pages read it."""
    view = scorecard_view(version, person_ids=person_ids)
    org_name, colors = _settings()
    return ExportData(
        view=view, draft=False, generated=dt.date.today(), org_name=org_name, org_colors=colors,
        positions=positions_by_roll_call([v.roll_call_id for v in view.votes]),
        lifetime=_lifetime([r.person.id for r in view.rows]) if with_lifetime else {},
    )


def draft_data(card: Scorecard) -> ExportData:
    """The scorecard's working draft: its materialised draft scores (never
    re-derived here) and the member votes they were computed from."""
    from tracker.scorecards import DRAFT, draft_inputs, excused_supported, roll_call_facts

    _, member_votes, _, _ = draft_inputs(card)
    score_rows = list(db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.scorecard_id == card.id,
        LegislatorScoreRow.version_number == DRAFT)))
    people = {p.id: p for p in db.session.scalars(
        select(Person).where(Person.id.in_([r.person_id for r in score_rows])))}
    rows = [
        LegislatorRow(
            person=people[r.person_id], chamber=r.chamber, party=r.party, district=r.district,
            score=exact_score(r), grade=r.grade, votes_cast=r.votes_cast,
            votes_possible=r.votes_possible, excused=r.excused,
            votes={int(rc): option for rc, option
                   in member_votes.get(str(r.person_id), {}).items()},
        )
        for r in score_rows
    ]
    rows.sort(key=lambda r: (r.chamber, district_sort_key(r.district), r.person.name))
    active = list(db.session.scalars(select(ScorecardVote).where(
        ScorecardVote.scorecard_id == card.id, ScorecardVote.active.is_(True))
        .order_by(ScorecardVote.id)))
    votes = [SimpleNamespace(roll_call_id=v.roll_call_id, aligned=v.aligned, weight=v.weight,
                             description=v.description, position=i,
                             facts=roll_call_facts(v.roll_call))
             for i, v in enumerate(active)]
    methodology = {
        "sessions": sorted(s.identifier for s in card.sessions),
        "chambers": list(card.chambers), "absence_policy": card.absence_policy,
        "min_participation_pct": card.min_participation_pct,
        "grade_bands": [list(b) for b in card.grade_bands],
        "excused_recorded": {c: excused_supported(c, card.sessions) for c in card.chambers},
    }
    version = SimpleNamespace(
        id=None, number=0, title=card.title, description=card.description,
        methodology=methodology, changes=[], scorecard=card,
        published_at=dt.datetime.now(dt.UTC),
    )
    view = ScorecardView(card=card, version=version, votes=votes,  # type: ignore[arg-type]
                         rows=rows, chamber_medians=group_medians(rows, "chamber"),
                         party_medians=group_medians(rows, "party"))
    org_name, colors = _settings()
    return ExportData(view=view, draft=True, generated=dt.date.today(), org_name=org_name,
                      org_colors=colors,
                      positions=positions_by_roll_call([v.roll_call_id for v in votes]),
                      lifetime=_lifetime([r.person.id for r in rows]))


def shown(score: Fraction | None) -> int | None:
    """The one display rounding (``tracker.scoring.display_score``)."""
    return display_score(score)


def slug(text: str) -> str:
    """A file-name-safe ASCII slug: ``Åkerlund-Vale`` -> ``akerlund-vale``."""
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O"))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


def vote_heading(vote: Any) -> str:
    facts = vote.facts
    return f"{facts['bill_label']} {facts['date']} {facts['motion']}".strip()
