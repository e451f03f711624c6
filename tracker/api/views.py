"""The read-only public JSON API, versioned under /api/v1/."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, url_for

from tracker.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only GET endpoints; nothing here changes state


@bp.get("/")
def index() -> Any:
    return jsonify(
        version="v1",
        links={"health": url_for("healthz", _external=True)},
    )
