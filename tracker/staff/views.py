"""Pages for policy staff (signed in)."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.models import ScrapeRun

bp = Blueprint("staff", __name__)


@bp.get("/")
@staff_required
def dashboard() -> str:
    runs = db.session.scalars(select(ScrapeRun).order_by(ScrapeRun.started_at.desc()).limit(10))
    return render_template("staff/dashboard.html", runs=runs.all())
