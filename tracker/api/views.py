"""The read-only public JSON API, versioned under /api/v1/.

Errors are JSON (``{"error", "message", "status"}``, see ``tracker.web``):
404 for an unknown session, bill or person; 400 for a malformed bill id or
paging parameter.  Lists are paged with ``page`` and ``per_page`` and carry
``total`` and absolute ``next``/``previous`` links.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from scrapers.parsing import normalize_bill_id
from scrapers.vocab import CHAMBERS
from tracker.api import serialize
from tracker.extensions import csrf, db
from tracker.models import (
    Authorship,
    Bill,
    LegislativeSession,
    MemberVote,
    Person,
    PersonName,
    RollCall,
    Term,
)

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only GET endpoints; nothing here changes state

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


@bp.get("/")
def index() -> Any:
    return jsonify(
        version="v1",
        links={
            "health": url_for("healthz", _external=True),
            "bills": url_for("api.bills", _external=True),
            "legislators": url_for("api.legislators", _external=True),
        },
    )


# ------------------------------------------------------------------ helpers


@bp.before_request
def reject_nul() -> None:
    """A NUL byte cannot reach PostgreSQL; refuse it before any query."""
    values = list(request.args.values()) + [str(v) for v in (request.view_args or {}).values()]
    if any("\x00" in value for value in values):
        abort(400, description="Parameters may not contain NUL characters.")


def _positive_int(name: str, default: int, maximum: int) -> int:
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


def _paginate(query: Select[Any], render: Any) -> Any:
    page = _positive_int("page", 1, MAX_PAGE)
    per_page = _positive_int("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(
        items=[render(item) for item in items],
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


@bp.get("/bills")
def bills() -> Any:
    query = (
        select(Bill)
        .join(Bill.session)
        .options(selectinload(Bill.session))
        .order_by(
            LegislativeSession.year.desc(),
            LegislativeSession.special_number.desc(),
            Bill.bill_type,
            Bill.number,
        )
    )
    identifier = request.args.get("session")
    if identifier:
        query = query.where(Bill.session_id == _session_or_404(identifier).id)
    return _paginate(query, serialize.bill_summary)


@bp.get("/bills/<session>/<bill>")
def bill(session: str, bill: str) -> Any:
    try:
        bill_type, number = normalize_bill_id(bill)
    except ValueError:
        abort(400, description=f"{bill!r} is not a bill id such as SF1832.")
    legislative_session = _session_or_404(session)
    found = db.session.scalars(
        select(Bill)
        .where(
            Bill.session_id == legislative_session.id,
            Bill.bill_type == bill_type,
            Bill.number == number,
        )
        .options(
            selectinload(Bill.session),
            selectinload(Bill.companion).selectinload(Bill.session),
            selectinload(Bill.authors).selectinload(Authorship.person),
            selectinload(Bill.actions),
        )
    ).first()
    if found is None:
        abort(404, description=f"No bill {bill_type} {number} in session {session}.")
    roll_calls = db.session.scalars(
        select(RollCall)
        .where(RollCall.bill_id == found.id)
        .options(
            selectinload(RollCall.action),
            selectinload(RollCall.member_votes).selectinload(MemberVote.person),
        )
        .order_by(
            RollCall.date,
            RollCall.chamber,
            RollCall.journal_page,
            RollCall.sequence,
            RollCall.id,
        )
    ).all()
    return jsonify(serialize.bill_detail(found, list(roll_calls)))


# -------------------------------------------------------------- legislators


@bp.get("/legislators")
def legislators() -> Any:
    query = select(Person).options(selectinload(Person.terms))
    term_conditions = []
    identifier = request.args.get("session")
    if identifier:
        session = _session_or_404(identifier)
        if session.end_date is not None:
            term_conditions.append(
                or_(Term.start_date.is_(None), Term.start_date <= session.end_date)
            )
        if session.start_date is not None:
            term_conditions.append(
                or_(Term.end_date.is_(None), Term.end_date >= session.start_date)
            )
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
    if name:
        needle = name.lower()
        query = query.where(
            or_(
                func.lower(Person.name).contains(needle, autoescape=True),
                exists().where(
                    PersonName.person_id == Person.id,
                    func.lower(PersonName.name).contains(needle, autoescape=True),
                ),
            )
        )
    query = query.order_by(
        func.lower(func.coalesce(Person.family_name, Person.name)),
        func.lower(Person.name),
        Person.public_id,
    )
    return _paginate(query, serialize.person_summary)


@bp.get("/legislators/<public_id>")
def legislator(public_id: str) -> Any:
    person = db.session.scalars(
        select(Person)
        .where(Person.public_id == public_id)
        .options(selectinload(Person.terms), selectinload(Person.names))
    ).first()
    if person is None:
        abort(404, description=f"No legislator with id {public_id!r}.")
    return jsonify(serialize.person_detail(person))
