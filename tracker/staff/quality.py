"""The staff data-quality page: open items from the vote pipeline and elsewhere,
terms with missing dates, and the forms that settle them (map a printed name to
a person, verify a roll call by hand with a written reason, mark resolved).

Every change goes through :mod:`tracker.votes`, :mod:`tracker.roster` or
:mod:`tracker.quality` (validated and audited); a refusal is flashed in its
words and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from scrapers.vocab import CHAMBER_NAMES
from tracker import authors, fidelity, roster, votes
from tracker import quality as items
from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.models import Bill, DataQualityItem, LegislativeSession, Person, RollCall, Term
from tracker.staff import bp


def _parse_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


@bp.get("/quality")
@staff_required
def quality() -> str:
    """Open items, all of them or (``?session=&chamber=``, the fidelity page's
    links) those of one session and chamber."""
    open_items = list(
        db.session.scalars(
            select(DataQualityItem)
            .where(DataQualityItem.status == "open")
            .options(
                selectinload(DataQualityItem.roll_call).selectinload(RollCall.bill),
                selectinload(DataQualityItem.bill),
            )
            .order_by(DataQualityItem.kind, DataQualityItem.created_at, DataQualityItem.id)
        )
    )
    session = None
    wanted = request.args.get("session", "")
    chamber = request.args.get("chamber") if request.args.get("chamber") in CHAMBER_NAMES else None
    if wanted:
        session = db.session.scalar(
            select(LegislativeSession).where(LegislativeSession.identifier == wanted[:20])
        )
        if session is None:
            abort(404, description=f"There is no session {wanted[:20]!r}.")
        open_items = [i for i in open_items if fidelity.in_session(i, session, chamber)]
    grouped: dict[str, list[DataQualityItem]] = defaultdict(list)
    for item in open_items:
        grouped[item.kind].append(item)
    order = [k for k in items.KINDS if k in grouped] + sorted(set(grouped) - set(items.KINDS))
    choices: dict[int, list[tuple[Person, Term]]] = {}
    for item in grouped.get("unmatched_name", []):
        details = item.details or {}
        choices[item.id] = roster.people_for_mapping(
            details.get("chamber", ""), _parse_day(details.get("date"))
        )
    for item in grouped.get("author_mismatch", []):
        details = item.details or {}
        bill = db.session.get(Bill, item.bill_id) if item.bill_id else None
        day = (
            authors.author_day(bill, details.get("chamber", ""), bill.session)
            if bill is not None
            else None
        )
        choices[item.id] = roster.people_for_mapping(details.get("chamber", ""), day)
    people = {
        p.id: p
        for p in db.session.scalars(
            select(Person).where(
                Person.id.in_(
                    {
                        pid
                        for i in grouped.get("seat_conflict", [])
                        for pid in (i.details or {}).get("people", [])
                    }
                )
            )
        )
    }
    bills = (
        {
            b.id: b
            for b in db.session.scalars(
                select(Bill).where(Bill.id.in_({i.bill_id for i in open_items if i.bill_id}))
            )
        }
        if open_items
        else {}
    )
    return render_template(
        "staff/quality.html",
        groups=[(k, items.KINDS.get(k, k), grouped[k]) for k in order],
        choices=choices,
        bills=bills,
        terms=[] if session else roster.gaps(),
        people=people,
        session=session,
        chamber=chamber,
        chamber_names=CHAMBER_NAMES,
        min_reason=votes.MIN_HAND_REASON,
        min_note=roster.MIN_NOTE,
        source_label=roster.source_label,
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
    flash(
        f"Mapped {printed!r} to {person.name}; {len(roll_calls)} roll call(s) re-checked, "
        f"{verified} now verified. The mapping is remembered for later scrapes.",
        "success",
    )
    return _back()


@bp.post("/quality/<int:item_id>/author")
@staff_required
def quality_settle_author(item_id: int) -> Response:
    """Settle an author whose member key pointed at someone else: the printed name
    means the member chosen (remembered as a name mapping), or nobody."""
    item = _open_item(item_id)
    if item is None or item.kind != "author_mismatch":
        return _refuse("That item is not an open author mismatch; reload the page.")
    raw = request.form.get("person_id", "")
    person = None
    if raw != "none":
        person = db.session.get(Person, int(raw)) if raw.isdigit() else None
        if person is None:
            return _refuse("Choose the member this printed name means, or nobody.")
    try:
        row = authors.settle(item, person, request.form.get("note", ""), current_user)
    except authors.AuthorError as exc:
        return _refuse(f"Not settled: {exc}.")
    db.session.commit()
    flash(
        f"Settled: {row.printed_name!r} on {row.bill.label} is "
        f"{person.name if person else 'left as a printed name'}.",
        "success",
    )
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
        items.resolve_item(item, request.form.get("resolution", ""), current_user)
    except items.QualityError as exc:
        return _refuse(f"Not resolved: {exc}.")
    db.session.commit()
    flash("Marked resolved.", "success")
    return _back()


@bp.post("/quality/<int:item_id>/confirm")
@staff_required
def quality_confirm(item_id: int) -> Response:
    """Settle roster sources that disagree: the chosen bound, or who held a seat."""
    item = _open_item(item_id)
    if item is None or item.kind not in ("roster_conflict", "seat_conflict"):
        return _refuse("That item is not an open roster disagreement; reload the page.")
    note = request.form.get("note", "")
    try:
        choice = int(request.form.get("choice", ""))
    except ValueError:
        return _refuse("Choose which source is right.")
    try:
        if item.kind == "roster_conflict":
            term = roster.confirm_bound(item, choice, note, current_user)
            votes.reverify_days(term.chamber)
            message = f"Confirmed for {term.person.name}; the roster was rebuilt from it."
        else:
            row = roster.confirm_seat_holder(item, choice, note, current_user)
            votes.reverify_days(row.chamber, [row.day] if row.day else None)
            message = "Confirmed who held the seat that day; the roll was resolved again."
    except roster.RosterError as exc:
        return _refuse(f"Not confirmed: {exc}.")
    db.session.commit()
    flash(message + " Roll calls were re-checked.", "success")
    return _back()


@bp.get("/quality/sessions")
@staff_required
def quality_sessions() -> str:
    """The fidelity report: per session and chamber, how much is member-level and
    verified, with links to the items to fix."""
    return render_template(
        "staff/quality_sessions.html",
        reports=fidelity.report(),
        chamber_names=CHAMBER_NAMES,
        percent=fidelity.percent,
    )
