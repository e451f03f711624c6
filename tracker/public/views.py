"""Pages for the public and members."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scrapers.parsing import normalize_bill_id
from tracker import headline, reads, snapshots
from tracker.extensions import db
from tracker.models import Alert, Bill, LegislativeSession, Person, RollCall
from tracker.models.common import utcnow
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.settings import current
from tracker.snapshots import Snapshot


def bill_or_404(session: str, bill: str) -> Bill:
    """The bill a members' address names (``/bills/2025-2026/hf11``), else a 404 that
    says why, in the page's language: the one reading of a bill in a URL."""
    try:
        bill_type, number = normalize_bill_id(bill[:20])
    except ValueError:
        abort(404, description=gettext("That is not a bill number we know, such as HF 2136."))
    row = reads.bill(session[:20], bill_type, number)
    if row is None:
        label = f"{bill_type} {number}"
        message = gettext("No %(bill)s in session %(session)s.", bill=label, session=session[:20])
        abort(404, description=message)
    return row


def open_alerts() -> list[Alert]:
    """Published alerts still open (``alert_state``), newest first, with their bills."""
    from tracker.alerts import alert_state

    now = utcnow()
    published = db.session.scalars(
        select(Alert)
        .where(Alert.status == "published")
        .options(selectinload(Alert.bill))
        .order_by(Alert.published_at.desc(), Alert.id.desc())
    ).all()
    return [a for a in published if alert_state(a, now) == "open"]


def featured_scorecards() -> list[tuple[Snapshot, list[str]]]:
    """The scorecards the home page features, each with the chambers it is chosen
    for (``all``, ``house``, ``senate``): the admins' choices, or, until they
    choose, the one the default headline rule (``tracker.headline``) gives most
    legislators: the oldest published."""
    latest = snapshots.latest()
    by_card = {snap.card.id: snap for snap in latest}
    picked: dict[int, list[str]] = {}
    for chamber, choice in sorted(
        headline.choices().items(), key=lambda c: ("all", "house", "senate").index(c[0])
    ):
        if choice.scorecard_id in by_card:
            picked.setdefault(choice.scorecard_id, []).append(chamber)
    if not picked and latest:
        oldest = min(latest, key=lambda s: (s.card.versions[0].published_at, s.card.id))
        picked[oldest.card.id] = ["all"]
    return [(by_card[card_id], chambers) for card_id, chambers in picked.items()]


@bp.get("/")
@cached_page
def index() -> str:
    """Kept in the page cache until the data changes, the first open alert's
    deadline passes (``alert_state`` tells the cache) or the day ends."""
    sessions = db.session.scalars(
        select(LegislativeSession).order_by(
            LegislativeSession.year.desc(), LegislativeSession.special_number
        )
    ).all()
    people, bills, roll_calls = db.session.execute(  # one statement, three counts
        select(
            *(
                select(func.count()).select_from(m).scalar_subquery()
                for m in (Person, Bill, RollCall)
            )
        )
    ).one()
    counts = {"people": people or 0, "bills": bills or 0, "roll_calls": roll_calls or 0}
    from tracker.lookup import shapes_available

    return render_template(
        "public/index.html",
        sessions=sessions,
        counts=counts,
        shapes=shapes_available(),
        alerts=open_alerts(),
        featured=featured_scorecards(),
    )


@bp.get("/theme.css")
def theme() -> Response:
    """The organization's colours as CSS variables (no inline styles: the CSP
    forbids them)."""
    colors = current().org_colors
    primary = colors[0]
    accent = colors[1] if len(colors) > 1 else colors[0]
    css = f":root {{ --brand: {primary}; --accent: {accent}; }}\n"
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
