"""Staff preview of a scorecard's draft as it would be exported, watermarked
"DRAFT — NOT FOR PUBLICATION" (PDF: every page; spreadsheets: the first row).
Never cached, never public."""

from __future__ import annotations

from flask import Response, abort

from tracker.auth.decorators import staff_required
from tracker.exports import MEDIA_TYPES, draft_data, slug
from tracker.extensions import db
from tracker.models import Scorecard
from tracker.staff import bp

PREVIEWS = ("csv", "xlsx", "pdf")


@bp.get("/scorecards/<public_id>/preview.<fmt>")
@staff_required
def preview_export(public_id: str, fmt: str) -> Response:
    if fmt not in PREVIEWS or len(public_id) > 64:
        abort(404, description="There is no such preview.")
    card = db.session.scalar(db.select(Scorecard).where(Scorecard.public_id == public_id))
    if card is None:
        abort(404, description="There is no such scorecard.")
    data = draft_data(card)
    if fmt == "csv":
        from tracker.exports.spreadsheets import wide_csv

        body = wide_csv(data)
    elif fmt == "xlsx":
        from tracker.exports.spreadsheets import to_xlsx

        body = to_xlsx(data)
    else:
        from tracker.exports.pdf import scorecard_pdf

        body = scorecard_pdf(data)
    response = Response(body, mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="DRAFT-{slug(card.title)}.{fmt}"'
    )
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response
