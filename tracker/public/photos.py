"""Legislators' photos, downloaded by the scraper and served by the app."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, send_from_directory
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.models import Person
from tracker.public import bp

PLACEHOLDER = "placeholder-person.svg"


def photo_folder() -> Path:
    return Path(current_app.instance_path) / "photos"


@bp.get("/legislators/<public_id>/photo")
def photo(public_id: str) -> Response:
    """The stored photo, or a neutral placeholder when there is none."""
    person = db.session.scalar(select(Person).where(Person.public_id == public_id))
    if person is None:
        abort(404, description="No legislator has that id.")
    if person.photo_path and (photo_folder() / person.photo_path).is_file():
        response = send_from_directory(photo_folder(), person.photo_path, max_age=86400)
    else:
        response = current_app.send_static_file(PLACEHOLDER)
        response.cache_control.max_age = 3600
    response.cache_control.public = True
    return response
