"""Admin page: which published scorecard gives legislators their headline score
(``tracker.headline``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import headline, snapshots
from tracker.admin import bp
from tracker.admin.forms import ActionForm
from tracker.auth.decorators import admin_required
from tracker.extensions import db
from tracker.models import Scorecard
from tracker.models.scorecards import FEATURED_CHAMBERS
from tracker.staff.forms import parse_version

LABELS = {"all": "Every chamber", "house": "House members", "senate": "Senators"}


@bp.get("/featured")
@admin_required
def featured() -> str:
    chosen = headline.choices()
    return render_template(
        "admin/featured.html",
        form=ActionForm(),
        snaps=snapshots.latest(),
        chosen=chosen,
        chambers=[(c, LABELS[c]) for c in FEATURED_CHAMBERS],
        default_rule=headline.DEFAULT_RULE,
    )


@bp.post("/featured/<chamber>")
@admin_required
def feature(chamber: str) -> Response:
    back = redirect(url_for("admin.featured"))
    if chamber not in FEATURED_CHAMBERS or not ActionForm().validate_on_submit():
        flash("The form was not valid; reload the page and try again.", "error")
        return back
    raw = request.form.get("scorecard", "")
    card = None
    if raw:
        card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == raw[:64]))
        if card is None:
            flash("That scorecard does not exist; reload the page.", "error")
            return back
    try:
        headline.feature(
            chamber,
            card,
            expected_version=parse_version(request.form.get("version")),
            actor=current_user,
        )
    except headline.FeatureError as exc:
        db.session.rollback()
        flash(f"Not changed: {exc}.", "error")
        return back
    db.session.commit()
    flash(
        f"{LABELS[chamber]}: the headline score now comes from "
        f"{card.title if card else 'the default rule'}.",
        "success",
    )
    return back
