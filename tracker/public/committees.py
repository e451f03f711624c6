"""Public committee pages: ``/committees`` (by session and chamber) and
``/committees/<id>`` (chair, vice chair, members with their headline score,
upcoming and recent hearings, bills referred, the calendar feed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from scrapers import vocab
from tracker import committees, headline, hearings, localtime, seats
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillAction,
    Committee,
    CommitteeMembership,
    Hearing,
    LegislativeSession,
    Person,
)
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.reads import published_position_map

RECENT_HEARINGS = 10
BILLS_SHOWN = 200


def _sessions_with_committees() -> list[LegislativeSession]:
    ids = select(Committee.session_id).distinct()
    return list(
        db.session.scalars(
            select(LegislativeSession)
            .where(LegislativeSession.id.in_(ids))
            .order_by(LegislativeSession.year.desc(), LegislativeSession.special_number)
        )
    )


@bp.get("/committees")
@cached_page
def committees_index() -> str:
    sessions = _sessions_with_committees()
    wanted = request.args.get("session", "")[:20]
    chamber = request.args.get("chamber", "")
    chamber = chamber if chamber in vocab.CHAMBERS else ""
    session = (
        next((s for s in sessions if s.identifier == wanted), None)
        if wanted
        else (sessions[0] if sessions else None)
    )
    if wanted and session is None:
        abort(
            404,
            description=gettext(
                "No committees are stored for session %(session)s.", session=wanted
            ),
        )
    rows: list[dict[str, Any]] = []
    if session is not None:
        query = (
            select(Committee)
            .where(Committee.session_id == session.id)
            .options(
                selectinload(Committee.session),
                selectinload(Committee.memberships).selectinload(CommitteeMembership.person),
            )
        )
        if chamber:
            query = query.where(Committee.chamber == chamber)
        listed = db.session.scalars(query.order_by(Committee.chamber, Committee.name)).all()
        today = localtime.today()
        upcoming = _next_hearings([c.id for c in listed], today)
        for committee in listed:
            day = committees.as_of(committee, today)
            members = [m for m in committee.memberships if committees.membership_on(m, day)]
            chairs, vice = committees.chairs(members)
            rows.append(
                {
                    "committee": committee,
                    "chairs": chairs,
                    "vice": vice,
                    "members": len(members),
                    "next": upcoming.get(committee.id),
                }
            )
    by_chamber = [
        (c, [r for r in rows if r["committee"].chamber == c])
        for c in vocab.CHAMBERS
        if not chamber or c == chamber
    ]
    return render_template(
        "public/committees.html",
        sessions=sessions,
        session=session,
        chamber=chamber,
        by_chamber=by_chamber,
    )


def _next_hearings(committee_ids: list[int], today: dt.date) -> dict[int, Hearing]:
    if not committee_ids:
        return {}
    found: dict[int, Hearing] = {}
    rows = db.session.scalars(
        select(Hearing).where(
            Hearing.committee_id.in_(committee_ids),
            Hearing.date >= today,
            Hearing.cancelled.is_(False),
            Hearing.missing_from_source.is_(False),
        )
    ).all()
    for hearing in sorted(rows, key=hearings.order_key):
        if hearing.committee_id is not None:
            found.setdefault(hearing.committee_id, hearing)
    return found


def _bills_referred(committee: Committee) -> list[tuple[Bill, dt.date | None, str]]:
    """The session's bills with an action naming the committee (a referral, a report),
    each with its first such action."""
    names = [committee.name, *(committee.other_names or ())]
    core = committees.committee_key(committee.name)
    rows = db.session.execute(
        select(Bill, BillAction.date, BillAction.text, BillAction.committee)
        .join(BillAction, BillAction.bill_id == Bill.id)
        .where(
            Bill.session_id == committee.session_id,
            BillAction.chamber == committee.chamber,
            BillAction.missing_from_source.is_(False),
            func.lower(BillAction.committee).contains(core.split(" ")[0]),
        )
        .order_by(Bill.bill_type, Bill.number, BillAction.number)
    ).all()
    keys = {committees.committee_key(n) for n in names}
    found: dict[int, tuple[Bill, dt.date | None, str]] = {}
    for bill, date, text, named in rows:
        if named and committees.committee_key(named) in keys:
            found.setdefault(bill.id, (bill, date, text))
    return list(found.values())[:BILLS_SHOWN]


@bp.get("/committees/<public_id>")
@cached_page
def committee_page(public_id: str) -> str:
    committee = db.session.scalar(
        select(Committee)
        .where(Committee.public_id == public_id[:64])
        .options(
            joinedload(Committee.session),
            selectinload(Committee.memberships)
            .joinedload(CommitteeMembership.person)
            .selectinload(Person.terms),
        )
    )
    if committee is None:
        abort(404, description=gettext("No committee has that id."))
    today = localtime.today()
    day = committees.as_of(committee, today)
    members = sorted(
        (m for m in committee.memberships if committees.membership_on(m, day)),
        key=lambda m: (
            committees.ROLE_ORDER.get(m.role, 99),
            (m.person.family_name or m.person.name) if m.person else m.printed_name,
        ),
    )
    chairs, vice = committees.chairs(members)
    people = [m.person_id for m in members if m.person_id is not None]
    scores = headline.headlines(people)
    terms = {m.person_id: seats.current_term(m.person, day) for m in members if m.person}
    upcoming, past = hearings.split(hearings.of_committee(committee), today)
    referred = _bills_referred(committee)
    positions = published_position_map([bill.id for bill, _, _ in referred])
    return render_template(
        "public/committee.html",
        committee=committee,
        members=members,
        chairs=chairs,
        vice=vice,
        scores=scores,
        terms=terms,
        day=day,
        today=today,
        upcoming_hearings=upcoming,
        past_hearings=past[:RECENT_HEARINGS],
        referred=referred,
        positions=positions,
        role_names=committees.ROLE_NAMES,
        source_names=committees.SOURCE_NAMES,
    )
