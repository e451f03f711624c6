"""Pages for the public and members."""

from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Bill, LegislativeSession, Person, RollCall
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.settings import current


@bp.get("/")
@cached_page
def index() -> str:
    sessions = db.session.scalars(
        select(LegislativeSession).order_by(
            LegislativeSession.year.desc(), LegislativeSession.special_number
        )
    ).all()
    counts = {
        "people": db.session.scalar(select(func.count()).select_from(Person)) or 0,
        "bills": db.session.scalar(select(func.count()).select_from(Bill)) or 0,
        "roll_calls": db.session.scalar(select(func.count()).select_from(RollCall)) or 0,
    }
    from tracker.lookup import shapes_available

    return render_template("public/index.html", sessions=sessions, counts=counts,
                           shapes=shapes_available())


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
