"""Admin pages: users, the audit log, sessions and the scheduler.

The blueprint is defined here; importing the package imports every module that
adds routes to it (the one import point).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)

from tracker.admin import featured, scheduler_views, sessions, views  # noqa: E402,F401,I001

__all__ = ["bp"]
