"""The API index, its contract, CORS and caching hooks, bills and legislators."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from flask import Response, abort, g, jsonify, request, url_for
from sqlalchemy import Select, exists, false, func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import MethodNotAllowed

from scrapers.parsing import normalize_bill_id
from tracker import reads, search, seats, snapshots
from tracker.api import bp, schemas, serialize
from tracker.api.openapi import CACHE_SECONDS, document, documented
from tracker.extensions import db
from tracker.models import BillPosition, LegislativeSession, Person, Term
from tracker.pagecache import cached_page

API_PREFIX = "/api/v1/"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Cache-Control",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


@bp.get("/")
@cached_page
@documented(schemas.ApiIndex)
def index() -> schemas.ApiIndex:
    """The API index: links to every collection and to this contract."""
    return schemas.ApiIndex(
        links=schemas.IndexLinks(
            health=url_for("healthz", _external=True),
            bills=url_for("api.bills", _external=True),
            legislators=url_for("api.legislators", _external=True),
            scorecards=url_for("api.scorecards", _external=True),
            alerts=url_for("api.alerts", _external=True),
            openapi=url_for("api.openapi", _external=True),
        )
    )


@bp.get("/openapi.json")
@cached_page
@documented(schemas.OpenApiDocument)
def openapi() -> Any:
    """This OpenAPI 3.1 document, generated from the models that validate requests."""
    return jsonify(document())


# ------------------------------------------------------------ CORS, caching


@bp.after_app_request
def cors(response: Response) -> Response:
    """CORS on every /api/v1/ response (404s for unknown paths included), and the
    ``Allow`` header a 405 must carry (RFC 9110), which the JSON error drops."""
    if not (request.path + "/").startswith(API_PREFIX):
        return response
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
    refused = request.routing_exception
    if (
        response.status_code == 405
        and isinstance(refused, MethodNotAllowed)
        and refused.valid_methods
        and "Allow" not in response.headers
    ):
        response.headers["Allow"] = ", ".join(sorted(refused.valid_methods))
    return response


@bp.after_request
def caching(response: Response) -> Response:
    """ETag, Last-Modified and conditional GET on successful reads.

    A blueprint's after-request hooks run before the app's, so this sees the body
    before Flask-Compress does: the ETag hashes the identity body, and when the
    body is then compressed Flask-Compress gives it its own ETag (``"...:gzip"``)
    and answers a matching If-None-Match with 304 itself."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.direct_passthrough or not response.is_json:
        return response
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:40])
    last_modified = g.get("last_modified")
    if isinstance(last_modified, dt.datetime):
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.make_conditional(request)  # in place: a 304 when the client's copy is current
    return response


# ------------------------------------------------------------------ helpers


@bp.before_request
def reject_nul() -> None:
    """A NUL byte cannot reach PostgreSQL; refuse it before any query."""
    values = list(request.args.values()) + [str(v) for v in (request.view_args or {}).values()]
    if any("\x00" in value for value in values):
        abort(400, description="Parameters may not contain NUL characters.")


def _page_link(page: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(page)
    assert request.endpoint is not None
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def page_of(
    query: Select[Any], paging: schemas.PageQuery
) -> tuple[Sequence[Any], schemas.PageLinks]:
    """One page of ``query`` and the paging fields of its document."""
    page, per_page = paging.page, paging.per_page
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return items, schemas.PageLinks(
        page=page,
        per_page=per_page,
        total=total,
        next=_page_link(page + 1) if page * per_page < total else None,
        previous=_page_link(page - 1) if page > 1 and total else None,
    )


def _session_or_404(identifier: str) -> LegislativeSession:
    session = db.session.scalars(
        select(LegislativeSession).where(LegislativeSession.identifier == identifier)
    ).first()
    if session is None:
        abort(404, description=f"No session {identifier!r}.")
    return session


def _positions(bill_ids: list[int]) -> dict[int, BillPosition]:
    """Each bill's position row (``serialize`` shows only its published fields)."""
    if not bill_ids:
        return {}
    rows = db.session.scalars(select(BillPosition).where(BillPosition.bill_id.in_(bill_ids)))
    return {row.bill_id: row for row in rows}


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    return max((m for m in moments if m is not None), default=None)


# -------------------------------------------------------------------- bills


@bp.get("/bills")
@cached_page
@documented(schemas.BillPage, query=schemas.BillQuery, not_found=True)
def bills(query: schemas.BillQuery) -> schemas.BillPage:
    """Search and filter bills (published positions only).

    chamber filters by the chamber of origin; q matches a bill number or words of the
    title or of an author's name; the filters combine (tagged=false with a position
    matches no bill); 404 for an unknown session."""
    if query.session:
        _session_or_404(query.session)
    found = search.bills(
        search.BillFilter(
            q=query.q,
            session=query.session,
            chamber=query.chamber,
            status=query.status,
            position=query.position,
            tagged=query.tagged,
        )
    )
    if query.tagged is False and query.position:
        found = found.where(false())  # untagged bills have no published position
    items, links = page_of(found, query)
    positions = _positions([b.id for b in items])
    return schemas.BillPage(
        items=[serialize.bill_item(b, positions.get(b.id)) for b in items], **dict(links)
    )


@bp.get("/bills/<session>/<bill>")
@cached_page
@documented(schemas.BillDetail, not_found=True)
def bill(session: str, bill: str) -> schemas.BillDetail:
    """One bill with its actions, roll calls (each with a link to its member votes)
    and published position.

    The bill id may be written SF1832, SF 1832, sf1832 or S.F. 1832; 404 for an unknown
    session, or a bill id that names no bill (an unknown bill, or not a bill id)."""
    _session_or_404(session)
    try:
        bill_type, number = normalize_bill_id(bill)
    except ValueError:
        abort(404, description=f"{bill!r} names no bill: a bill id is written like SF1832.")
    found = reads.bill(session, bill_type, number)
    if found is None:
        abort(404, description=f"No bill {bill_type} {number} in session {session}.")
    position = _positions([found.id]).get(found.id)
    roll_calls = reads.roll_calls_of(found.id)
    g.last_modified = _latest(
        found.created_at,
        found.last_seen_at,
        found.last_fetched_at,
        position.published_at if position is not None else None,
        *(r.last_seen_at or r.created_at for r in roll_calls),
    )
    return serialize.bill_detail(found, roll_calls, position)


@bp.get("/roll-calls/<public_id>")
@cached_page
@documented(schemas.RollCallDetail, not_found=True)
def roll_call(public_id: str) -> schemas.RollCallDetail:
    """One roll call with its bill and every member's vote (the name the record
    printed, and the legislator it is matched to); 404 for an unknown id."""
    found = reads.roll_call(public_id)
    if found is None:
        abort(404, description=f"No roll call {public_id[:64]!r}.")
    g.last_modified = _latest(found.created_at, found.last_seen_at)
    return serialize.roll_call_detail(found, reads.voters_of([found.id])[found.id])


# -------------------------------------------------------------- legislators


@bp.get("/legislators")
@cached_page
@documented(schemas.LegislatorPage, query=schemas.LegislatorQuery, not_found=True)
def legislators(query: schemas.LegislatorQuery) -> schemas.LegislatorPage:
    """Legislators, current and former, by family name; 404 for an unknown session."""
    found = select(Person).options(selectinload(Person.terms))
    term_conditions = []
    if query.session:
        session = _session_or_404(query.session)
        term_conditions.append(seats.held_in_session_clause(Term, session))
    if query.chamber:
        term_conditions.append(Term.chamber == query.chamber)
    if query.district:
        term_conditions.append(func.upper(Term.district) == query.district.upper())
    if term_conditions:
        found = found.where(exists().where(Term.person_id == Person.id, *term_conditions))
    if query.name:
        found = found.where(Person.id.in_(list(search.name_ranks(query.name))))
    found = found.order_by(
        func.lower(func.coalesce(Person.family_name, Person.name)),
        func.lower(Person.name),
        Person.public_id,
    )
    items, links = page_of(found, query)
    return schemas.LegislatorPage(items=[serialize.person_summary(p) for p in items], **dict(links))


@bp.get("/legislators/<public_id>")
@cached_page
@documented(schemas.LegislatorDetail, not_found=True)
def legislator(public_id: str) -> schemas.LegislatorDetail:
    """One legislator: contact, photo, name forms, terms, their result on the latest
    published version of every scorecard that covers them, and their lifetime score.

    Each result carries the scorecard's methodology, the scored votes held while they
    were seated (facts once, by key) and their vote on each, so it can be recomputed
    from the document alone."""
    person = reads.person(public_id)
    if person is None:
        abort(404, description=f"No legislator with id {public_id!r}.")
    snaps = snapshots.latest()
    scores = [
        serialize.legislator_score(snap, row)
        for snap, row in snapshots.for_person(person.id, snaps)
    ]
    lifetime = snapshots.lifetime([person.id], snaps).get(person.id)
    g.last_modified = _latest(
        person.created_at, person.last_seen_at, *(s.version.published_at for s in snaps)
    )
    return serialize.person_detail(person, scores, lifetime)
