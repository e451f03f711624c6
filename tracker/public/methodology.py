"""The public methodology page of a published scorecard version.

Everything on the page comes from what publishing stored: the version's
methodology JSON, its frozen votes (with the roll-call facts at that time) and
the corrections logs of the published versions.  Nothing is read from the
scorecard's draft, so the text cannot disagree with the published numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flask import abort, render_template, request
from sqlalchemy import select

from tracker import fidelity
from tracker.extensions import db
from tracker.models import LegislativeSession, Scorecard, ScorecardVersion
from tracker.pagecache import cached_page
from tracker.public.views import bp
from tracker.scoring import display_score

POLICY_TEXT = {
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
CHAMBER_NAMES = {"house": "House", "senate": "Senate"}


def grade_ranges(bands: list[list[Any]]) -> list[dict[str, Any]]:
    """``[[90, "A"], [80, "B"]]`` -> A: 90 to 100, B: 80 to below 90."""
    ordered = sorted(((int(floor), str(letter)) for floor, letter in bands), reverse=True)
    ranges = []
    for index, (floor, letter) in enumerate(ordered):
        upper = ordered[index - 1][0] if index else None
        ranges.append({"letter": letter, "floor": floor, "below": upper})
    return ranges


def _version(card: Scorecard) -> ScorecardVersion:
    wanted = request.args.get("version")
    query = select(ScorecardVersion).where(ScorecardVersion.scorecard_id == card.id)
    if wanted is None:
        version = db.session.scalar(query.order_by(ScorecardVersion.number.desc()).limit(1))
    else:
        if not wanted.isdigit() or len(wanted) > 6:
            abort(404, description="There is no such version of this scorecard.")
        version = db.session.scalar(query.where(ScorecardVersion.number == int(wanted)))
    if version is None:
        abort(404, description="There is no such published scorecard.")
    return version


@bp.get("/scorecards/<public_id>/methodology")
@cached_page
def methodology(public_id: str) -> str:
    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == public_id))
    if card is None:
        abort(404, description="There is no such published scorecard.")
    version = _version(card)
    m = version.methodology
    versions = list(db.session.scalars(select(ScorecardVersion).where(
        ScorecardVersion.scorecard_id == card.id).order_by(ScorecardVersion.number.desc())))
    votes = list(version.votes)
    weights = sorted({v.weight for v in votes})
    chambers = list(m.get("chambers", []))
    return render_template(
        "public/methodology.html", card=card, version=version, m=m, votes=votes,
        versions=versions, weights=weights, key_votes=[v for v in votes if v.weight >= 2],
        policy_text=POLICY_TEXT.get(m.get("absence_policy", ""), m.get("absence_policy")),
        chambers=[(c, CHAMBER_NAMES.get(c, c), bool(m.get("excused_recorded", {}).get(c)))
                  for c in chambers],
        grades=grade_ranges(m.get("grade_bands", [])),
        rounding_example=(Fraction(125, 2), display_score(Fraction(125, 2)),
                          Fraction(249, 4), display_score(Fraction(249, 4))),
        latest_number=versions[0].number if versions else None,
        fidelity=_fidelity(m, chambers),
    )


def _fidelity(m: dict[str, Any], chambers: list[str]) -> list[dict[str, Any]]:
    """Per session and chamber: roll calls found and verified when the version was
    published (versions published before this was kept: as the record stands now)."""
    kept = m.get("fidelity")
    now = kept is None
    if kept is None:
        sessions = db.session.scalars(select(LegislativeSession).where(
            LegislativeSession.identifier.in_(m.get("sessions", [])))).all()
        kept = fidelity.frozen(list(sessions), chambers)
    rows = []
    for identifier in m.get("sessions", []):
        for chamber in chambers:
            figures = kept.get(identifier, {}).get(chamber)
            if figures is None:
                continue
            share = Fraction(figures["verified"], figures["roll_calls"]) \
                if figures["roll_calls"] else None
            rows.append({"session": identifier, "chamber": CHAMBER_NAMES.get(chamber, chamber),
                         "share": fidelity.percent(share), "now": now, **figures})
    return rows
