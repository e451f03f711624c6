"""Admin pages: users and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import accounts
from tracker.admin import bp
from tracker.admin.forms import ActionForm, NewUserForm, RoleForm
from tracker.auth.decorators import admin_required
from tracker.extensions import db
from tracker.models import AuditEvent, User


def _reset_url(user: User) -> str:
    token = accounts.reset_token(user, actor=current_user)
    return url_for("auth.reset", token=token, _external=True)


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> str | Response:
    form = NewUserForm()
    reset_link = None
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data or "", form.role.data or "staff", None, actor=current_user
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            form.email.errors = [str(exc)]
        else:
            reset_link = _reset_url(user)
            db.session.commit()
            flash(f"Added {user.email}. Send them the link below to set a password.", "success")
    people = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template(
        "admin/users.html",
        form=form,
        users=people,
        role_form=RoleForm(),
        action_form=ActionForm(),
        reset_link=reset_link,
    )


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id, description="No such user.")


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response:
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400, description="Choose admin or staff.")
    try:
        accounts.set_role(user, form.role.data or "", actor=current_user)
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.email} is now {user.role}.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int) -> Response:
    user = _user_or_404(user_id)
    form = ActionForm()
    active = request.form.get("active")
    if not form.validate_on_submit() or active not in {"0", "1"}:
        abort(400, description="Say whether the account should be active.")
    if user.id == current_user.id and active == "0":
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.users"))
    try:
        accounts.set_active(user, active == "1", actor=current_user)
    except accounts.AccountError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"{user.email} is {'active' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset-link")
@admin_required
def reset_link(user_id: int) -> str:
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was not valid.")
    if not user.active:
        abort(400, description="Reactivate the account before issuing a reset link.")
    link = _reset_url(user)
    db.session.commit()
    return render_template("admin/reset_link.html", user=user, link=link)


@bp.get("/audit")
@admin_required
def audit() -> str:
    """Every audit event, newest first, 50 a page, optionally of one action; the
    template renders them in words (``tracker.staff.changes``)."""
    page = request.args.get("page", 1, type=int)
    action = (request.args.get("action") or "").strip()
    actions = list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    events = db.paginate(query, page=page, per_page=50, error_out=False)
    return render_template("admin/audit.html", events=events, actions=actions, action=action)
