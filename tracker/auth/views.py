from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from limits import RateLimitItem, parse
from werkzeug.wrappers import Response

from tracker import accounts
from tracker.auth import bp
from tracker.auth.forms import LoginForm, LogoutForm, SetPasswordForm
from tracker.extensions import db, limiter
from tracker.models import User
from tracker.settings import current


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


def _submitted_account() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _account_and_address() -> str:
    return f"login:{_submitted_account()}|{get_remote_address()}"


def _login_limit() -> str:
    return current().login_limit


def _address_limit() -> str:
    return current().login_address_limit


# Failed sign-ins on one account from every address, counted in the shared limit
# storage.  Past the account-and-address limit's count within its window, each
# further attempt on that account waits before its password is checked: a stranger
# guessing from many addresses is slowed down, and the member of staff still gets in.
SLOWDOWN_SECONDS = 3.0
_sleep = time.sleep  # tests replace it


def _account_item() -> tuple[RateLimitItem, str]:
    return parse(current().login_limit), f"login-account:{_submitted_account()}"


def _slow_down_if_guessed() -> None:
    item, key = _account_item()
    stats = limiter.limiter.get_window_stats(item, key)
    if stats.remaining <= 0:
        _sleep(SLOWDOWN_SECONDS)


def _count_account_failure() -> None:
    item, key = _account_item()
    limiter.limiter.hit(item, key)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=lambda _r: _login_failed())
@limiter.limit(
    _login_limit,
    methods=["POST"],
    key_func=_account_and_address,
    deduct_when=lambda _r: _login_failed(),
)
def login() -> Response | tuple[str, int]:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("staff.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        _slow_down_if_guessed()
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None or not user.active:
            _count_account_failure()
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
def reset(token: str) -> str | Response | tuple[str, int]:
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
