from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker import accounts
from tracker.auth.forms import LoginForm, LogoutForm, SetPasswordForm
from tracker.extensions import db, limiter
from tracker.models import User
from tracker.settings import current

bp = Blueprint("auth", __name__)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader.  The id carries the user's session token, so a
    password change or deactivation signs out every session."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token:
        return None
    return user


def safe_next(target: str | None) -> str | None:
    """``next`` only ever leads to a path on this site."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def _login_failed() -> bool:
    return bool(g.get("login_failed"))


def _submitted_email() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _login_limit() -> str:

    return current().login_limit


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda _r: _login_failed())
@limiter.limit(
    _login_limit,
    methods=["POST"],
    key_func=_submitted_email,
    deduct_when=lambda _r: _login_failed(),
)
def login() -> str | Response:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            g.login_failed = True
            flash("That email and password do not match an account.", "error")
        elif not user.active:
            g.login_failed = True
            flash("This account has been deactivated. Ask an admin to reactivate it.", "error")
        else:
            login_user(user, remember=bool(form.remember.data))
            accounts.note_login(user)
            db.session.commit()
            return redirect(next_url or url_for("staff.dashboard"))
        db.session.commit()  # a rehash on success; nothing otherwise
    return render_template("auth/login.html", form=form), 200


def sign_in_alias() -> Response:
    """``/login``, where people and password managers look first, leads to the sign-in
    page (``next`` and any other query kept)."""
    query = request.query_string.decode("latin-1")
    return redirect(url_for("auth.login") + (f"?{query}" if query else ""))


@bp.post("/logout")
def logout() -> Response:
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("public.index"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset(token: str) -> str | Response:
    try:
        user = accounts.user_for_reset_token(token)
    except accounts.AccountError as exc:
        return render_template("auth/reset_invalid.html", reason=str(exc)), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data or "", actor=user)
        except accounts.AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            db.session.commit()
            logout_user()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user)
