"""Sign-in for staff and admins (Flask-Login sessions)."""

from __future__ import annotations

from flask import Flask

from tracker.auth.views import bp, load_user, sign_in_alias
from tracker.extensions import db, login_manager

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.register_blueprint(bp, url_prefix="/auth")
    app.add_url_rule("/login", "login", sign_in_alias)
    _ = db
