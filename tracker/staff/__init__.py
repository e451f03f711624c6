"""Staff pages: positions, scorecards, alerts, data quality and exports.

The blueprint is defined here; importing the package imports every module that
adds routes to it (the one import point).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__)

from tracker.staff import alerts, board, builder, changes, exports, quality, views  # noqa: E402,F401,I001

__all__ = ["bp"]
