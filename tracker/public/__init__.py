"""The public site: pages for members, organizers and the press; downloads, embeds, feeds.

The blueprint is defined here; importing the package imports every module that
adds routes to it (the one import point).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)

from tracker.public import (  # noqa: E402,F401,I001  (modules that add routes to bp)
    action,
    committees,
    downloads,
    embeds,
    feeds,
    find,
    follows,
    methodology,
    pages,
    photos,
    views,
)

__all__ = ["bp"]
