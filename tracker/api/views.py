"""The read-only public JSON API, versioned under /api/v1/.

Errors are JSON (``{"error", "message", "status"}``, see ``tracker.web``):
404 for an unknown session, bill, person or scorecard; 400 for a malformed
bill id, filter or paging parameter.  Lists are paged with ``page`` and
``per_page`` and carry ``total`` and absolute ``next``/``previous`` links.

Every response under /api/v1/ allows cross-origin GET (``*``, no
credentials) and answers CORS preflights; successful GETs carry a strong
ETag (a hash of the body), ``Last-Modified`` where a view knows when its data
last changed (publish or ingest time), and ``Cache-Control: public``; a
matching ``If-None-Match`` gets 304 with no body.  The OpenAPI document is
``/api/v1/openapi.json`` (``tracker.api.openapi``); scorecard routes live in
``tracker.api.scorecards``.  Only published positions and scorecard versions
are ever read here: staff drafts never reach the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request, url_for
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from scrapers.parsing import normalize_bill_id
from scrapers.vocab import BILL_STATUSES, CHAMBERS
from tracker import reads, search, seats
from tracker.api import serialize
from tracker.extensions import csrf, db
from tracker.models import (
    Bill,
    BillPosition,
    LegislativeSession,
    Person,
    Term,
)

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only GET endpoints; nothing here changes state

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
API_PREFIX = "/api/v1/"
MAX_QUERY = 200
CACHE_SECONDS = 60
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Cache-Control",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
TRUE = ("1", "true", "yes")
FALSE = ("0", "false", "no")
TAGGED = ("support", "oppose")


@bp.get("/")
def index() -> Any:
    return jsonify(
        version="v1",
        links={
            "health": url_for("healthz", _external=True),
            "bills": url_for("api.bills", _external=True),
            "legislators": url_for("api.legislators", _external=True),
            "scorecards": url_for("api.scorecards", _external=True),
            "openapi": url_for("api.openapi", _external=True),
        },
    )


# ------------------------------------------------------------ CORS, caching


@bp.after_app_request
def cors_and_caching(response: Response) -> Response:
    """CORS on every /api/v1/ response (404s for unknown paths included);
    ETag, Last-Modified and conditional GET on successful reads."""
    if not (request.path + "/").startswith(API_PREFIX):
        return response
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT_HEADERS)
        return response
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
    return response.make_conditional(request)


# ------------------------------------------------------------------ helpers


@bp.before_request
def reject_nul() -> None:
    """A NUL byte cannot reach PostgreSQL; refuse it before any query."""
    values = list(request.args.values()) + [str(v) for v in (request.view_args or {}).values()]
    if any("\x00" in value for value in values):
        abort(400, description="Parameters may not contain NUL characters.")


def positive_int_arg(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"{name} must be a whole number, not {raw!r}.")
    if value < 1:
        abort(400, description=f"{name} must be 1 or more.")
    if value > maximum:
        abort(400, description=f"{name} may be at most {maximum}.")
    return value


def _page_link(page: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(page)
    assert request.endpoint is not None
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def _paginate(query: Select[Any], render: Any, extra: Any = None) -> Any:
    """One page of ``query``; ``extra(items)`` may return a mapping passed to
    ``render(item, extra)`` (one query for the whole page, not one per item)."""
    page = positive_int_arg("page", 1, MAX_PAGE)
    per_page = positive_int_arg("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    if extra is not None:
        found = extra(items)
        rendered = [render(item, found) for item in items]
    else:
        rendered = [render(item) for item in items]
    return jsonify(
        items=rendered,
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


# -------------------------------------------------------------------- bills


def _flag(name: str) -> bool | None:
    raw = (request.args.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    abort(400, description=f"{name} must be true or false.")


def _published_positions(bills: list[Bill]) -> dict[int, BillPosition]:
    if not bills:
        return {}
    rows = db.session.scalars(
        select(BillPosition).where(BillPosition.bill_id.in_([b.id for b in bills]))
    )
    return {row.bill_id: row for row in rows}


def _bill_item(bill: Bill, positions: dict[int, BillPosition]) -> dict[str, Any]:
    document = serialize.bill_summary(bill)
    published = serialize.published_position(positions.get(bill.id))
    document["position"] = published["position"] if published else None
    return document


@bp.get("/bills")
def bills() -> Any:
    identifier = request.args.get("session")
    if identifier:
        _session_or_404(identifier)
    chamber = (request.args.get("chamber") or "").strip().lower()
    if chamber and chamber not in CHAMBERS:
        abort(400, description=f"chamber must be one of {', '.join(CHAMBERS)}.")
    status = (request.args.get("status") or "").strip().lower()
    if status and status not in BILL_STATUSES:
        abort(400, description=f"status must be one of {', '.join(BILL_STATUSES)}.")
    q = (request.args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        abort(400, description=f"q may have at most {MAX_QUERY} characters.")
    position = (request.args.get("position") or "").strip().lower()
    if position and position not in TAGGED:
        abort(400, description="position must be support or oppose.")
    tagged = _flag("tagged")
    if tagged is False and position:
        abort(400, description="position cannot be combined with tagged=false.")
    query = search.bills(search.BillFilter(
        q=q, session=identifier or None, chamber=chamber or None, status=status or None,
        position=position or None, tagged=tagged))
    return _paginate(query, _bill_item, _published_positions)


@bp.get("/bills/<session>/<bill>")
def bill(session: str, bill: str) -> Any:
    try:
        bill_type, number = normalize_bill_id(bill)
    except ValueError:
        abort(400, description=f"{bill!r} is not a bill id such as SF1832.")
    _session_or_404(session)
    found = reads.bill(session, bill_type, number)
    if found is None:
        abort(404, description=f"No bill {bill_type} {number} in session {session}.")
    position = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == found.id))
    roll_calls = reads.roll_calls_of(found.id)
    document = serialize.bill_detail(found, list(roll_calls))
    document["position"] = serialize.published_position(position)
    g.last_modified = _latest(
        found.created_at,
        found.last_seen_at,
        found.last_fetched_at,
        position.published_at if position is not None else None,
        *(r.last_seen_at or r.created_at for r in roll_calls),
    )
    return jsonify(document)


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    return max((m for m in moments if m is not None), default=None)


# -------------------------------------------------------------- legislators


@bp.get("/legislators")
def legislators() -> Any:
    query = select(Person).options(selectinload(Person.terms))
    term_conditions = []
    identifier = request.args.get("session")
    if identifier:
        session = _session_or_404(identifier)
        term_conditions.append(seats.held_in_session_clause(Term, session))
    chamber = request.args.get("chamber")
    if chamber:
        chamber = chamber.strip().lower()
        if chamber not in CHAMBERS:
            abort(400, description=f"chamber must be one of {', '.join(CHAMBERS)}.")
        term_conditions.append(Term.chamber == chamber)
    district = request.args.get("district")
    if district:
        term_conditions.append(func.upper(Term.district) == district.strip().upper())
    if term_conditions or identifier:
        query = query.where(exists().where(Term.person_id == Person.id, *term_conditions))
    name = (request.args.get("name") or "").strip()
    if len(name) > MAX_QUERY:
        abort(400, description=f"name may have at most {MAX_QUERY} characters.")
    if name:
        query = query.where(Person.id.in_(list(search.name_ranks(name))))
    query = query.order_by(
        func.lower(func.coalesce(Person.family_name, Person.name)),
        func.lower(Person.name),
        Person.public_id,
    )
    return _paginate(query, serialize.person_summary)


@bp.get("/legislators/<public_id>")
def legislator(public_id: str) -> Any:
    person = reads.person(public_id)
    if person is None:
        abort(404, description=f"No legislator with id {public_id!r}.")
    document = serialize.person_detail(person)
    document.update(scorecards.legislator_scores(person))
    g.last_modified = _latest(
        person.created_at, person.last_seen_at, scorecards.last_published_at()
    )
    return jsonify(document)


# Routes defined in other modules on the same blueprint.
from tracker.api import openapi, scorecards  # noqa: E402, F401, I001
