"""Public pages: legislators, scorecards and bills.  Server-rendered; every
core flow works without JavaScript.  Only published data is shown."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache

from flask import Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from tracker import asks, exports, headline, hearings, links, maps, reads, search, snapshots
from tracker.extensions import db
from tracker.i18n import gettext
from tracker.methodology import blank_label
from tracker.models import Committee, LegislativeSession, Person, Term
from tracker.pagecache import cached_page
from tracker.public import bp
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
    serving_in,
    terms_in_order,
)
from tracker.settings import current
from tracker.web import chamber_name, score_badge

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
    today = dt.date.today()
    for person in reads.legislator_list(chamber if chamber in ("house", "senate") else None):
        term = current_of(person.terms, today)
        if term is None or (chamber and term.chamber != chamber) or (party and term.party != party):
            continue
        rows.append((person, term, serving_in(person.terms, today)))
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
    return _mark(row.votes.get(vote.roll_call_id, "not_seated"), vote.aligned)


def _mark(option: str, aligned: str) -> str:
    """The press kit's grid mark of a vote option (imported when a grid is first
    shown: the PDF module loads charts)."""
    from tracker.exports.pdf import mark

    return mark(option, aligned)


class _LegislatorCells:
    """A legislator row's first four cells: the name (a link to the legislator's
    page), chamber, district and party, as the list of legislators and a
    scorecard's scores show them (a missing district or party as a dash).  Rows
    in the hundreds are written here, as the bill page's names are, not in a
    template: a template row of a dozen expressions costs four times this."""

    def __init__(self) -> None:
        # Translations are markup in templates, as here; every value is escaped.
        self._district = Markup(gettext("District"))  # noqa: S704 - a translation
        self._party = Markup(gettext("Party"))  # noqa: S704 - a translation
        self._chambers: dict[str, Markup] = {}

    def __call__(
        self, public_id: str, name: str, chamber: str, district: str | None, party: str | None
    ) -> str:
        shown = self._chambers.get(chamber)
        if shown is None:
            shown = self._chambers[chamber] = escape(chamber_name(chamber))
        return (
            f'<th scope="row"><a href="{escape(links.legislator_page(public_id))}">'
            f"{escape(name)}</a></th><td>{shown}</td>"
            f'<td data-label="{self._district}">{escape(district or "–")}</td>'
            f'<td data-label="{self._party}">{escape(party or "–")}</td>'
        )


def legislator_rows(rows: Sequence[tuple[Person, Term]]) -> Markup:
    """The rows of the list of legislators: each person with the term shown."""
    cells = _LegislatorCells()
    return Markup(  # noqa: S704 - _LegislatorCells escapes every value
        "".join(
            f"<tr>{cells(p.public_id, p.name, t.chamber, t.district, t.party)}</tr>"
            for p, t in rows
        )
    )


def score_rows(rows: Sequence[snapshots.Row]) -> Markup:
    """The rows of a scorecard's table of scores: a legislator's cells, the score
    badge and attendance (votes cast of those held, and excused absences)."""
    cells = _LegislatorCells()
    attendance = Markup(gettext("Attendance"))  # noqa: S704 - a translation
    excused = Markup(gettext("(%(count)s excused)"))  # noqa: S704 - its count is escaped
    return Markup(  # noqa: S704 - every value is escaped
        "".join(
            f"\n    <tr>{cells(r.person.public_id, r.person.name, r.chamber, r.district, r.party)}"
            f'<td class="end">{score_badge(r.score, r.grade)}</td>'
            f'<td data-label="{attendance}">{r.votes_cast}/{r.votes_possible}'
            f"{' ' + excused % {'count': r.excused} if r.excused else ''}</td></tr>"
            for r in rows
        )
    )


class GridCells:
    """The vote cells of a grid's rows, each row's joined in one string.

    A cell shows the row's mark on one scored vote, and the mark depends only on
    the member's vote option there: each distinct (vote, option) cell is rendered
    once per grid by the template's ``grid_cell`` macro (``cell(n, mark, vote)``),
    not once per legislator: a grid has thousands of cells and a few hundred
    distinct ones (the vote-by-vote view of the benchmark's scorecard: 83 ms of CPU
    with a template cell each, 28 ms so)."""

    def __init__(
        self,
        columns: list[tuple[int, snapshots.Vote]],
        cell: Callable[[int, str, snapshots.Vote], str],
    ) -> None:
        # (number, vote, its roll call, option -> the cell once made) per column
        self._columns: list[tuple[int, snapshots.Vote, int, dict[str, str]]] = [
            (n, v, v.roll_call_id, {}) for n, v in columns
        ]
        self._cell = cell

    def __call__(self, row: snapshots.Row) -> Markup:
        votes = row.votes
        cells: list[str] = []
        for n, vote, roll_call_id, made in self._columns:
            option = votes.get(roll_call_id, "not_seated")  # grid_mark's reading
            html = made.get(option)
            if html is None:
                html = made[option] = str(self._cell(n, _mark(option, vote.aligned), vote))
            cells.append(html)
        return Markup("".join(cells))  # noqa: S704 - each cell is the macro's markup


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


def _name_lists(voters: Mapping[int, reads.Voters]) -> dict[int, list[tuple[str, int, Markup]]]:
    """Roll call id -> (option, how many, the list's items) for each option a roll
    call's names are listed under on a bill's page.  Each name's item (a link to the
    legislator, or the printed name marked as not matched) is made once: the 26 roll
    calls of an omnibus bill list 2,750 names, about 600 distinct name and vote pairs."""
    pages = {pid: links.legislator_page(pid) for pid in reads.people_of(voters)}
    not_matched = gettext("(not matched)")
    items: dict[reads.Voter, str] = {}
    for found in voters.values():
        for voter in found.all:
            if voter not in items:
                items[voter] = (
                    f'<li><a href="{escape(pages[voter.person_id])}">'
                    f"{escape(voter.person_name)}</a></li>"
                    if voter.person_id
                    else f"<li>{escape(voter.printed_name)} "
                    f'<span class="muted">{escape(not_matched)}</span></li>'
                )
    return {
        rc: [
            # each item's parts are escaped above: the joined items are markup
            (option, len(listed), Markup("".join([items[v] for v in listed])))  # noqa: S704
            for option, listed in found.by_option()
        ]
        for rc, found in voters.items()
    }


@bp.get("/bills/<session>/<bill>")
@cached_page
def bill(session: str, bill: str) -> str:
    row = bill_or_404(session, bill)
    roll_calls = reads.roll_calls_of(row.id)
    voters = reads.voters_of([rc.id for rc in roll_calls])
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
        names=_name_lists(voters),
        position=position,
        upcoming_hearings=upcoming_hearings,
        past_hearings=past_hearings,
        hearings_feed=feed,
        committees=committees,
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
        url=lambda p: url_for("public.bills", q=q or None, session=session_id or None, page=p),
    )
