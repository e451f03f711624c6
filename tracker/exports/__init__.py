"""The press kit: spreadsheets, PDFs, charts and share images of a scorecard.

Everything here serialises the one read model (``tracker.snapshots``) that the
public pages and the API read, and rounds with ``tracker.scoring.display_score``,
so an export agrees with the web page to the digit.  ``export_data`` gathers one
published version; ``draft_data`` a scorecard's working draft for a staff
preview (every output made from it carries the draft watermark).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tracker import snapshots
from tracker.models import Scorecard
from tracker.reads import positions_by_roll_call
from tracker.scoring import display_score
from tracker.settings import current
from tracker.snapshots import Row, Snapshot

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

    view: Snapshot
    draft: bool
    generated: dt.date
    org_name: str
    org_colors: list[str]
    positions: dict[int, str] = field(default_factory=dict)  # roll call id -> support/oppose
    lifetime: dict[int, Fraction | None] = field(default_factory=dict)  # person id -> score
    rows: tuple[Row, ...] = ()  # the rows exported (every row unless narrowed)

    def __post_init__(self) -> None:
        if not self.rows:
            self.rows = self.view.rows

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

    def rows_for(self, person_id: int) -> Row | None:
        return self.view.row(person_id)

    def votes_for(self, row: Row) -> list[Any]:
        """The scored votes shown for a legislator (as on the legislator page):
        those they could vote on, and those of their chamber."""
        return [v for v in self.view.votes
                if row.votes.get(v.roll_call_id, "not_seated") != "not_seated"
                or v.facts.get("chamber") == row.chamber]


def _data(view: Snapshot, rows: tuple[Row, ...], *, draft: bool, with_lifetime: bool
          ) -> ExportData:
    settings = current()
    lifetime = {pid: r.score for pid, r in snapshots.lifetime(
        [r.person.id for r in rows]).items()} if with_lifetime else {}
    return ExportData(
        view=view, draft=draft, generated=dt.date.today(), org_name=settings.org_name,
        org_colors=list(settings.org_colors),
        positions=positions_by_roll_call([v.roll_call_id for v in view.votes]),
        lifetime=lifetime, rows=rows,
    )


def export_data(view: Snapshot, person_ids: list[int] | None = None, *,
                with_lifetime: bool = True) -> ExportData:
    """A published version's snapshot (some legislators only, when given)."""
    wanted = None if person_ids is None else set(person_ids)
    rows = view.rows if wanted is None else tuple(r for r in view.rows if r.person.id in wanted)
    return _data(view, rows, draft=False, with_lifetime=with_lifetime)


def draft_data(card: Scorecard) -> ExportData:
    """The scorecard's working draft (its materialised draft scores)."""
    view = snapshots.draft(card)
    return _data(view, view.rows, draft=True, with_lifetime=True)


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
