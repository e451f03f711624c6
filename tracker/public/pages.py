"""Public pages: legislators, scorecards and bills.  Server-rendered; every
core flow works without JavaScript.  Only published data is shown."""

from __future__ import annotations

import re
from functools import cache

from flask import Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select

from tracker import asks, exports, headline, hearings, localtime, maps, reads, search, snapshots
from tracker.extensions import db
from tracker.methodology import blank_label
from tracker.models import Committee, LegislativeSession, Person
from tracker.pagecache import cached_page
from tracker.public import bp
from tracker.public.rows import (
    GridCells,
    bill_rows,
    card_facts,
    legislator_rows,
    legislator_vote_rows,
    mark,
    name_lists,
    score_rows,
    scored_vote_rows,
    term_items,
)
from tracker.public.views import bill_or_404
from tracker.reads import (
    authorship_of_tagged,
    pending_tagged_bills,
    positions_by_roll_call,
    published_position_map,
)
from tracker.scoring import display_score
from tracker.seats import (
    current_of,
    current_term,
    district_sort_key,
    serving,
    term_held_on,
    terms_in_order,
)
from tracker.settings import current

SORTS = {"name", "district", "party", "score", "attendance", "chamber"}


def _person_or_404(public_id: str) -> Person:
    person = reads.person(public_id)
    if person is None:
        abort(404, description="No legislator has that id.")
    return person


@bp.get("/legislators")
@cached_page
def legislators() -> str:
    chamber = request.args.get("chamber", "")
    party = request.args.get("party", "")
    rows = []
    today = localtime.today()
    for person in reads.legislator_list(chamber if chamber in ("house", "senate") else None):
        term = current_of(person.terms, today)
        if term is None or (chamber and term.chamber != chamber) or (party and term.party != party):
            continue
        # held today, or the last term of someone no longer seated (current_of)
        rows.append((person, term, term_held_on(term, today)))
    current = [(p, t) for p, t, now in rows if now]
    former = [(p, t) for p, t, now in rows if not now]
    parties = sorted({t.party for _, t, _ in rows if t.party})
    return render_template(
        "public/legislators.html",
        current=current,
        former=former,
        chamber=chamber,
        party=party,
        parties=parties,
        legislator_rows=legislator_rows,
    )


@bp.get("/legislators/<public_id>")
@cached_page
def legislator(public_id: str) -> str:
    person = _person_or_404(public_id)
    term = current_term(person)
    latest = snapshots.latest()
    cards = headline.ordered(person.id, latest)  # the headline first
    lifetime = snapshots.lifetime([person.id], latest).get(person.id) if cards else None
    # One scorecard is shown vote by vote (the headline, or the one asked for); the
    # others by their score, each a link to its votes: at ten sessions of history
    # the page would otherwise list 450 votes.
    chosen = request.args.get("scorecard", "")[:64]
    if chosen and not any(snap.card.public_id == chosen for snap, _ in cards):
        abort(404, description="No published scorecard of this legislator has that id.")
    open_card = chosen or (cards[0][0].card.public_id if cards else None)
    positions = positions_by_roll_call(
        [
            v.roll_call_id
            for snap, _ in cards
            if snap.card.public_id == open_card
            for v in snap.votes
        ]
    )
    authored = authorship_of_tagged(person)
    pending_bills = pending_tagged_bills() if serving(person) and term else []
    pending = (
        list(
            zip(
                [b for b, _ in pending_bills],
                asks.asks_for(
                    # published_position is never None: pending_tagged_bills selects
                    # support or oppose
                    [(b, p.published_position or "") for b, p in pending_bills],
                    person.id,
                    term.chamber,
                ),
                strict=True,
            )
        )
        if pending_bills and term
        else []
    )
    return render_template(
        "public/legislator.html",
        person=person,
        term=term,
        cards=cards,
        open_card=open_card,
        lifetime=lifetime,
        display_score=display_score,
        positions=positions,
        authored=authored,
        pending=pending,
        terms=terms_in_order(person),
        legislator_vote_rows=legislator_vote_rows,
        card_facts=card_facts,
        term_items=term_items,
        serving=serving(person),
    )


@bp.get("/scorecards")
@cached_page
def scorecards() -> str:
    return render_template("public/scorecards.html", snaps=snapshots.latest())


@bp.get("/scorecards/<public_id>")
@cached_page
def scorecard(public_id: str) -> str:
    number = request.args.get("version")
    if number is not None and (not number.isdigit() or len(number) > 6):
        abort(404, description="There is no such version of this scorecard.")
    view = snapshots.published(public_id[:64], int(number) if number else None)
    if view is None:
        abort(404, description="There is no such published scorecard.")
    chamber = request.args.get("chamber", "")
    party = request.args.get("party", "")
    district = request.args.get("district", "").strip().upper()[:4]
    show = "grid" if request.args.get("show") == "grid" else "table"
    numbered = list(enumerate(view.votes, start=1))  # the numbers the grid and PDF show
    sort = request.args.get("sort", "district")
    vote_sort = VOTE_SORT.fullmatch(sort)
    by_vote = (
        numbered[int(vote_sort.group(1)) - 1][1]
        if vote_sort and 0 < int(vote_sort.group(1)) <= len(numbered)
        else None
    )
    sort = sort if sort in SORTS or by_vote is not None else "district"
    direction = request.args.get("dir", "asc")
    rows = [
        r
        for r in view.rows
        if (not chamber or r.chamber == chamber)
        and (not party or r.party == party)
        and (not district or (r.district or "").upper() == district)
    ]
    if by_vote is not None:
        rows.sort(
            key=lambda r: (_mark_rank(r, by_vote), _sort_key(r, "district")),
            reverse=direction == "desc",
        )
    else:
        rows.sort(key=lambda r: _sort_key(r, sort), reverse=direction == "desc")
    parties = sorted({r.party for r in view.rows if r.party})
    # The grid, like the press kit's: one per chamber, columns that chamber's votes.
    grids = [
        (
            c,
            [r for r in rows if r.chamber == c],
            [(n, v) for n, v in numbered if v.facts.get("chamber") == c],
        )
        for c in ("house", "senate")
        if any(r.chamber == c for r in rows)
    ]
    positions = positions_by_roll_call([v.roll_call_id for v in view.votes])
    return render_template(
        "public/scorecard.html",
        view=view,
        rows=rows,
        chamber=chamber,
        district_maps=district_maps(view),
        party=party,
        district=district,
        sort=sort,
        direction=direction,
        parties=parties,
        display_score=display_score,
        show=show,
        numbered=numbered,
        grids=grids,
        positions=positions,
        grid_cells=GridCells,
        score_rows=score_rows,
        scored_vote_rows=scored_vote_rows,
        marks=grid_marks() if show == "grid" else {},
        blank=blank_label([v.facts.get("kind") for v in view.votes]),
    )


def district_maps(view: snapshots.Snapshot) -> list[tuple[str, Markup]]:
    """Each chamber's map of the scorecard, inline SVG with a link per district (no
    JavaScript), for the chambers whose district boundaries are loaded."""
    return [
        (
            chamber,
            Markup(  # noqa: S704 - maps.svg escapes every part it writes
                maps.svg(
                    data,
                    link=lambda row: url_for("public.legislator", public_id=row.person.public_id),
                )
            ),
        )
        for chamber, data in exports.district_maps(view, current().org_colors[0]).items()
    ]


VOTE_SORT = re.compile(r"vote-(\d{1,4})")


def grid_mark(row: snapshots.Row, vote: snapshots.Vote) -> str:
    """The row's mark on one scored vote: the press kit's grid rule (✓ ✗ — or blank)."""
    return mark(row.votes.get(vote.roll_call_id, "not_seated"), vote.aligned)


@cache
def grid_marks() -> dict[str, tuple[str, str]]:
    """Each grid mark's class and words, in the legend's order (the marks are the
    press kit's, imported when a grid is first shown: the PDF module loads charts)."""
    from tracker.exports.pdf import ABSENT, AGAINST, ALIGNED

    return {
        ALIGNED: ("with", "voted with our position"),
        AGAINST: ("against", "voted against our position"),
        ABSENT: ("absent", "did not vote or excused"),
        "": ("blank", "not in office"),
    }


def _mark_rank(row: snapshots.Row, vote: snapshots.Vote) -> int:
    """Sorting by a vote: with us first, then against, absent, not in office."""
    return list(grid_marks()).index(grid_mark(row, vote))


def _sort_key(row, sort: str):  # type: ignore[no-untyped-def]
    missing = -1.0
    if sort == "score":
        return (float(row.score) if row.score is not None else missing, row.person.name)
    if sort == "attendance":
        return (float(row.attendance) if row.attendance is not None else missing, row.person.name)
    if sort == "name":
        return (row.person.family_name or row.person.name, row.person.name)
    if sort == "party":
        return (row.party or "", row.person.name)
    if sort == "chamber":
        return (row.chamber, district_sort_key(row.district))
    return (row.chamber, district_sort_key(row.district), row.person.name)


@bp.get("/scorecards/<public_id>/distribution.svg")
def distribution_chart(public_id: str) -> Response:
    """The address of the distribution chart before it moved beside the other charts."""
    return redirect(
        url_for("public.scorecard_chart", public_id=public_id[:64], kind="distribution", fmt="svg"),
        code=301,
    )  # type: ignore[return-value]


@bp.get("/bills/<session>/<bill>")
@cached_page
def bill(session: str, bill: str) -> str:
    row = bill_or_404(session, bill)
    roll_calls = reads.roll_calls_of(row.id)
    position = published_position_map([row.id]).get(row.id)
    upcoming_hearings, past_hearings = hearings.for_bill(row.id)
    # a committee roll call (from the minutes) names its committee and links to its page:
    # the committees its hearings loaded, else one query for the others
    committees = {
        h.committee.id: h.committee
        for h in upcoming_hearings + past_hearings
        if h.committee is not None
    }
    missing = sorted(
        {
            rc.committee_id
            for rc in roll_calls
            if rc.committee_id and rc.committee_id not in committees
        }
    )
    if missing:
        committees.update(
            {
                c.id: c
                for c in db.session.scalars(select(Committee).where(Committee.id.in_(missing)))
            }
        )
    # the bill's hearing calendar is published for the bills we take a position on
    feed = (
        url_for("public.feed_bill_hearings", session=row.session.identifier, bill=row.key)
        if position is not None and position.published_position in ("support", "oppose")
        else None
    )
    return render_template(
        "public/bill.html",
        bill=row,
        roll_calls=roll_calls,
        position=position,
        upcoming_hearings=upcoming_hearings,
        past_hearings=past_hearings,
        hearings_feed=feed,
        committees=committees,
    )


@bp.get("/roll-calls/<public_id>")
@cached_page
def roll_call(public_id: str) -> str:
    """One roll call: how each member voted, by name, with its source.  A bill's
    page lists its roll calls and links here: an omnibus bill's 26 roll calls name
    2,750 member votes, more than one page should carry."""
    found = reads.roll_call(public_id)
    if found is None:
        abort(404, description="No roll call has that id.")
    committee = db.session.get(Committee, found.committee_id) if found.committee_id else None
    return render_template(
        "public/roll_call.html",
        rc=found,
        bill=found.bill,
        committee=committee,
        names=name_lists(reads.voters_of([found.id]))[found.id],
    )


@bp.get("/bills")
@cached_page
def bills() -> str:
    q = request.args.get("q", "").strip()[:100]
    session_id = request.args.get("session", "")[:20]
    query = search.bills(search.BillFilter(q=q, session=session_id or None))
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=50, error_out=False
    )
    positions = published_position_map([b.id for b in page.items])
    sessions = db.session.scalars(
        select(LegislativeSession).order_by(LegislativeSession.year.desc())
    ).all()
    return render_template(
        "public/bills.html",
        page=page,
        positions=positions,
        q=q,
        session=session_id,
        sessions=sessions,
        bill_rows=bill_rows,
        url=lambda p: url_for("public.bills", q=q or None, session=session_id or None, page=p),
    )
