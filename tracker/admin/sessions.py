"""Admin page for legislative sessions: set the House vote-system key of a new one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.admin import bp
from tracker.admin.forms import ActionForm
from tracker.auth.decorators import admin_required
from tracker.extensions import db
from tracker.models import LegislativeSession
from tracker.sessions import SessionError, set_house_key


@bp.get("/sessions")
@admin_required
def sessions() -> str:
    rows = db.session.scalars(
        select(LegislativeSession).order_by(
            LegislativeSession.year.desc(), LegislativeSession.special_number
        )
    ).all()
    return render_template("admin/sessions.html", sessions=rows, form=ActionForm())


@bp.post("/sessions/<identifier>/house-key")
@admin_required
def session_house_key(identifier: str) -> Response:
    row = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == identifier[:20])
    )
    if row is None:
        abort(404, description="No such session.")
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was not valid; reload the page and try again.")
    try:
        changed = set_house_key(row, request.form.get("house_vote_key", ""), actor=current_user)
    except SessionError as exc:
        db.session.rollback()
        flash(f"{row.name}: {exc}.", "error")
        return redirect(url_for("admin.sessions"))
    db.session.commit()
    if changed:
        flash(f"{row.name}: House vote key set to {row.house_vote_key}.", "success")
    return redirect(url_for("admin.sessions"))
