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

from flask_babel import gettext
from sqlalchemy import select

from tracker import i18n, localtime, snapshots
from tracker.extensions import db
from tracker.i18n import N_
from tracker.models import Person, Scorecard
from tracker.reads import positions_by_roll_call
from tracker.scoring import display_score
from tracker.settings import current
from tracker.snapshots import Row, Snapshot

# Media types of the exports.  Werkzeug adds "; charset=utf-8" to text types.
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
}

DRAFT_MARK = "DRAFT — NOT FOR PUBLICATION"


@dataclass(frozen=True)
class Contact:
    """How to reach a legislator, as stored on their ``Person`` row."""

    phone: str | None = None
    email: str | None = None
    office_address: str | None = None
    profile_url: str | None = None

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) for each detail that is known, in print order (the labels
        English, printed through ``tracker.i18n.word``)."""
        return [
            (label, value)
            for label, value in (
                (N_("Phone"), self.phone),
                (N_("Email"), self.email),
                (N_("Office"), self.office_address),
                (N_("Profile"), self.profile_url),
            )
            if value
        ]


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
    contacts: dict[int, Contact] = field(default_factory=dict)  # person id -> contact
    # The current ask ("Call and ask them to vote yes on HF 11 ..."): when set, the
    # legislator one-pager prints it in a box above the votes (tracker.exports.pdf).
    ask: str | None = None
    # Each chamber's district map, for the chambers whose boundaries are loaded.
    maps: dict[str, Any] = field(default_factory=dict)  # chamber -> tracker.maps.MapData

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

    # The same two in the request's language (the PDF, the share images, the embeds);
    # the labels above stay English: the spreadsheets are one format in every language.
    @property
    def version_words(self) -> str:
        if self.draft:
            return DRAFT_MARK
        return gettext("Version %(number)s", number=self.view.version.number)

    @property
    def published_words(self) -> str:
        if self.draft:
            return gettext("not published")
        return gettext("published %(day)s", day=print_day(self.view.version.published_at))

    def rows_for(self, person_id: int) -> Row | None:
        return self.view.row(person_id)

    def contact(self, row: Row) -> Contact:
        return self.contacts.get(row.person.id) or Contact()


def _data(
    view: Snapshot,
    rows: tuple[Row, ...],
    *,
    draft: bool,
    with_lifetime: bool,
    with_maps: bool = False,
) -> ExportData:
    settings = current()
    lifetime = (
        {pid: r.score for pid, r in snapshots.lifetime([r.person.id for r in rows]).items()}
        if with_lifetime
        else {}
    )
    return ExportData(
        view=view,
        draft=draft,
        generated=localtime.today(),
        org_name=settings.org_name,
        org_colors=list(settings.org_colors),
        positions=positions_by_roll_call([v.roll_call_id for v in view.votes]),
        lifetime=lifetime,
        rows=rows,
        contacts=contacts([r.person.id for r in rows]),
        maps=district_maps(view, settings.org_colors[0]) if with_maps else {},
    )


def print_day(value: dt.date) -> str:
    """A day as the exports print it: ISO in English (as they always did), else in the
    language's own words (``2 de marzo de 2026``, Minnesota's date of a time)."""
    if i18n.current() == i18n.DEFAULT:
        return value.strftime("%Y-%m-%d")
    return i18n.local_day(value)


def district_maps(view: Snapshot, primary: str) -> dict[str, Any]:
    """The scorecard's map of each chamber whose district boundaries are loaded."""
    from tracker import maps

    loaded = maps.all_shapes()
    return {
        chamber: maps.MapData.of(view, chamber, primary, items=loaded[chamber])
        for chamber in ("house", "senate")
        if loaded.get(chamber) and any(r.chamber == chamber for r in view.rows)
    }


def contacts(person_ids: list[int]) -> dict[int, Contact]:
    """The contact details of these people, in one query."""
    if not person_ids:
        return {}
    query = select(
        Person.id, Person.phone, Person.email, Person.office_address, Person.profile_url
    ).where(Person.id.in_(sorted(set(person_ids))))
    return {
        pid: Contact(phone, email, office, url)
        for pid, phone, email, office, url in db.session.execute(query)
    }


def export_data(
    view: Snapshot,
    person_ids: list[int] | None = None,
    *,
    with_lifetime: bool = True,
    with_maps: bool = False,
) -> ExportData:
    """A published version's snapshot (some legislators only, when given; with its
    district maps when asked: the whole-scorecard PDF)."""
    wanted = None if person_ids is None else set(person_ids)
    rows = view.rows if wanted is None else tuple(r for r in view.rows if r.person.id in wanted)
    return _data(view, rows, draft=False, with_lifetime=with_lifetime, with_maps=with_maps)


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
