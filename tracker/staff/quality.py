"""The staff data-quality page: open items from the vote pipeline and elsewhere,
terms with missing dates, and the forms that settle them (map a printed name to
a person, verify a roll call by hand with a written reason, mark resolved).

Every change goes through :mod:`tracker.votes` (validated and audited); a
refusal is flashed in its words and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response

from scrapers.vocab import CHAMBER_NAMES
from tracker import votes
from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.models import Bill, DataQualityItem, Person, RollCall, Term
from tracker.staff.views import bp

AROUND = dt.timedelta(days=120)  # people offered for a printed name: seated near its date


def _people_near(chamber: str, day: dt.date | None) -> list[tuple[Person, Term]]:
    query = select(Term, Person).join(Person, Term.person_id == Person.id).where(
        Term.chamber == chamber)
    if day is not None:
        query = query.where(
            (Term.start_date.is_(None)) | (Term.start_date <= day + AROUND),
            (Term.end_date.is_(None)) | (Term.end_date >= day - AROUND),
        )
    seen: dict[int, tuple[Person, Term]] = {}
    for term, person in db.session.execute(query.order_by(Person.family_name, Person.name)):
        seen.setdefault(person.id, (person, term))
    return list(seen.values())


def terms_missing_dates() -> list[tuple[Term, str]]:
    """Terms with an unknown start, or an unknown end although the person holds a
    later seat (so this one ended): issue 3's data-quality items."""
    later = aliased(Term)
    rows: list[tuple[Term, str]] = []
    for term in db.session.scalars(select(Term).where(Term.start_date.is_(None))
                                   .order_by(Term.person_id)):
        rows.append((term, "start date unknown: never counted as seated on any vote"))
    ended = select(later.id).where(
        later.person_id == Term.person_id, later.id != Term.id,
        later.start_date.is_not(None), Term.start_date.is_not(None),
        later.start_date > Term.start_date).exists()
    for term in db.session.scalars(select(Term).where(Term.end_date.is_(None), ended)
                                   .order_by(Term.person_id)):
        rows.append((term, "end date unknown, but the person holds a later seat"))
    return rows


def _parse_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


@bp.get("/quality")
@staff_required
def quality() -> str:
    open_items = list(db.session.scalars(
        select(DataQualityItem).where(DataQualityItem.status == "open")
        .order_by(DataQualityItem.kind, DataQualityItem.created_at, DataQualityItem.id)))
    grouped: dict[str, list[DataQualityItem]] = defaultdict(list)
    for item in open_items:
        grouped[item.kind].append(item)
    order = [k for k in votes.KINDS if k in grouped] + sorted(set(grouped) - set(votes.KINDS))
    choices: dict[int, list[tuple[Person, Term]]] = {}
    for item in grouped.get("unmatched_name", []):
        details = item.details or {}
        choices[item.id] = _people_near(details.get("chamber", ""),
                                        _parse_day(details.get("date")))
    bills = {b.id: b for b in db.session.scalars(select(Bill).where(
        Bill.id.in_({i.bill_id for i in open_items if i.bill_id})))} if open_items else {}
    return render_template(
        "staff/quality.html", groups=[(k, votes.KINDS.get(k, k), grouped[k]) for k in order],
        choices=choices, bills=bills, terms=terms_missing_dates(),
        chamber_names=CHAMBER_NAMES, min_reason=votes.MIN_HAND_REASON,
    )


def _back() -> Response:
    return redirect(url_for("staff.quality"))


def _refuse(message: str) -> Response:
    db.session.rollback()
    flash(message, "error")
    return _back()


def _open_item(item_id: int) -> DataQualityItem | None:
    item = db.session.get(DataQualityItem, item_id)
    return item if item is not None and item.status == "open" else None


@bp.post("/quality/<int:item_id>/map")
@staff_required
def quality_map_name(item_id: int) -> Response:
    item = _open_item(item_id)
    if item is None or item.kind != "unmatched_name":
        return _refuse("That item is not an open unmatched name; reload the page.")
    try:
        person_id = int(request.form.get("person_id", ""))
    except ValueError:
        return _refuse("Choose the person this printed name means.")
    person = db.session.get(Person, person_id)
    if person is None:
        return _refuse("Choose the person this printed name means.")
    printed = (item.details or {}).get("printed_name", "")
    try:
        _, roll_calls = votes.map_name(item, person, current_user)
    except votes.VotesError as exc:
        return _refuse(str(exc))
    verified = sum(1 for rc in roll_calls if rc.verified)
    db.session.commit()
    flash(f"Mapped {printed!r} to {person.name}; {len(roll_calls)} roll call(s) re-checked, "
          f"{verified} now verified. The mapping is remembered for later scrapes.", "success")
    return _back()


@bp.post("/quality/roll-calls/<public_id>/verify")
@staff_required
def quality_verify_by_hand(public_id: str) -> Response:
    rc = db.session.scalar(select(RollCall).where(RollCall.public_id == public_id))
    if rc is None:
        return _refuse("There is no such roll call; reload the page.")
    try:
        votes.verify_by_hand(rc, request.form.get("reason", ""), current_user)
    except votes.VotesError as exc:
        return _refuse(f"Not verified: {exc}.")
    db.session.commit()
    flash("Verified by hand. The reason is shown publicly beside the vote.", "success")
    return _back()


@bp.post("/quality/<int:item_id>/resolve")
@staff_required
def quality_resolve(item_id: int) -> Response:
    item = _open_item(item_id)
    if item is None:
        return _refuse("That item is already resolved or does not exist; reload the page.")
    try:
        votes.resolve_item(item, request.form.get("resolution", ""), current_user)
    except votes.VotesError as exc:
        return _refuse(f"Not resolved: {exc}.")
    db.session.commit()
    flash("Marked resolved.", "success")
    return _back()
