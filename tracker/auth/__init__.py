"""Sign-in for staff and admins (Flask-Login sessions).

The blueprint is defined here; importing the package imports the module that
adds its routes (the one import point).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from tracker.extensions import login_manager

bp: Blueprint = Blueprint("auth", __name__)  # annotated: the views import it back (a cycle)

from tracker.auth.views import load_user, sign_in_alias  # noqa: E402,I001  (adds the routes)

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.register_blueprint(bp, url_prefix="/auth")
    app.add_url_rule("/login", "login", sign_in_alias)
