"""The public methodology page of a published scorecard version.

Everything on the page comes from what publishing stored: the version's
methodology JSON, its frozen votes (with the roll-call facts at that time) and
the corrections logs of the published versions.  Nothing is read from the
scorecard's draft, so the text cannot disagree with the published numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import parse_pattern
from flask import abort, render_template, request
from flask_babel import gettext
from sqlalchemy import select

from scrapers import vocab
from tracker import fidelity, i18n
from tracker import methodology as words
from tracker.extensions import db
from tracker.models import LegislativeSession, Scorecard, ScorecardVersion
from tracker.pagecache import cached_page
from tracker.public import bp


def _version(card: Scorecard) -> ScorecardVersion:
    wanted = request.args.get("version")
    query = select(ScorecardVersion).where(ScorecardVersion.scorecard_id == card.id)
    if wanted is None:
        query = query.order_by(ScorecardVersion.number.desc()).limit(1)
    else:
        if not wanted.isdigit() or len(wanted) > 6:
            abort(404, description=gettext("There is no such version of this scorecard."))
        query = query.where(ScorecardVersion.number == int(wanted))
    version: ScorecardVersion | None = db.session.scalar(query)
    if version is None:
        abort(404, description=gettext("There is no such published scorecard."))
    return version


@bp.get("/scorecards/<public_id>/methodology")
@cached_page
def methodology(public_id: str) -> str:
    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == public_id))
    if card is None:
        abort(404, description=gettext("There is no such published scorecard."))
    version = _version(card)
    m = version.methodology
    versions = list(
        db.session.scalars(
            select(ScorecardVersion)
            .where(ScorecardVersion.scorecard_id == card.id)
            .order_by(ScorecardVersion.number.desc())
        )
    )
    votes = list(version.votes)
    weights = sorted({v.weight for v in votes})
    chambers = list(m.get("chambers", []))
    return render_template(
        "public/methodology.html",
        card=card,
        version=version,
        m=m,
        votes=votes,
        versions=versions,
        weights=_or_list(weights),
        key_votes=[v for v in votes if v.weight >= 2],
        policy_text=words.policy_text(m.get("absence_policy")),
        committee_text=words.committee_votes_text([v.facts for v in votes]),
        chambers=[
            (
                c,
                i18n.word(vocab.CHAMBER_NAMES.get(c, c)),
                bool(m.get("excused_recorded", {}).get(c)),
            )
            for c in chambers
        ],
        grades=words.grade_ranges(m.get("grade_bands", [])),
        rounding_example=words.rounding_example(),
        latest_number=versions[0].number if versions else None,
        fidelity=_fidelity(m, chambers),
    )


def _or_list(weights: list[int]) -> str:
    """``1 or 2`` in the page's language (English: joined with "or", as always)."""
    shown = [i18n.format_number(w) for w in weights]
    if i18n.current() == i18n.DEFAULT or len(shown) < 2:
        return " or ".join(shown)
    return format_list(shown, style="or", locale=i18n.BY_CODE[i18n.current()].formatting)


def _share(share: Fraction | None) -> str:
    """A verified share to one decimal (``100.0%``) in the page's number format."""
    if share is None:
        return gettext("n/a")
    if i18n.current() == i18n.DEFAULT:
        return fidelity.percent(share)
    locale = Locale.parse(i18n.BY_CODE[i18n.current()].formatting)
    pattern = parse_pattern(locale.percent_formats[None])
    pattern.frac_prec = (1, 1)  # one decimal, as in English
    text: str = pattern.apply(float(share), locale)  # babel's NumberPattern is untyped
    return text


def _fidelity(m: dict[str, Any], chambers: list[str]) -> list[dict[str, Any]]:
    """Per session and chamber: roll calls found and verified when the version was
    published (versions published before this was kept: as the record stands now)."""
    kept = m.get("fidelity")
    now = kept is None
    if kept is None:
        sessions = db.session.scalars(
            select(LegislativeSession).where(
                LegislativeSession.identifier.in_(m.get("sessions", []))
            )
        ).all()
        kept = fidelity.frozen(list(sessions), chambers)
    rows = []
    for identifier in m.get("sessions", []):
        for chamber in chambers:
            figures = kept.get(identifier, {}).get(chamber)
            if figures is None:
                continue
            share = (
                Fraction(figures["verified"], figures["roll_calls"])
                if figures["roll_calls"]
                else None
            )
            rows.append(
                {
                    "session": identifier,
                    "chamber": i18n.word(vocab.CHAMBER_NAMES.get(chamber, chamber)),
                    "share": _share(share),
                    "now": now,
                    **figures,
                }
            )
    return rows
