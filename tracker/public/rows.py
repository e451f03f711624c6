"""Table rows that pages list by the hundred, written in Python.

A template row of a dozen expressions costs about 25 us; the lists here (a
scorecard's 201 legislators, its vote-by-vote grid's thousands of cells, ten
sessions' 507 legislators, a bill's 2,750 member votes) are written once, every
value escaped and every word in the page's language, and the templates place
them.  The markup of everything else stays in the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from scrapers.vocab import NO, NOT_SEATED, YES
from tracker import links, reads, snapshots
from tracker.i18n import gettext, localized, outcome_word, stance_word
from tracker.methodology import excused_text, vote_label
from tracker.models import Bill, BillPosition, Person, Term
from tracker.web import (
    bound_source_word,
    chamber_name,
    party_word,
    percent,
    score_badge,
    score_value,
    status_name,
)


def mark(option: str, aligned: str) -> str:
    """The press kit's grid mark of a vote option (imported when a grid is first
    shown: the PDF module loads charts)."""
    from tracker.exports.pdf import mark as press_mark

    return press_mark(option, aligned)


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
        self._parties: dict[str | None, str] = {}
        self._page = links.legislator_pages()

    def __call__(
        self, public_id: str, name: str, chamber: str, district: str | None, party: str | None
    ) -> str:
        shown = self._chambers.get(chamber)
        if shown is None:
            shown = self._chambers[chamber] = escape(chamber_name(chamber))
        # parties repeat from row to row: each is escaped once
        party_cell = self._parties.get(party)
        if party_cell is None:
            party_cell = self._parties[party] = (
                f'<td data-label="{self._party}">{escape(party or "–")}</td>'
            )
        return (
            f'<th scope="row"><a href="{escape(self._page(public_id))}">'
            f"{escape(name)}</a></th><td>{shown}</td>"
            f'<td data-label="{self._district}">{escape(district or "–")}</td>{party_cell}'
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


def bill_rows(bills: Sequence[Bill], positions: Mapping[int, BillPosition]) -> Markup:
    """The rows of a list of bills: the bill (a link to its page), its session, title
    and status, and our published position (a blank cell when we take none).  Each
    status and position word is translated once per list."""
    status_label, position_label = (
        Markup(gettext("Status")),  # noqa: S704 - translations are markup, as in templates
        Markup(gettext("Our position")),  # noqa: S704
    )
    labelled = f' data-label="{position_label}"'
    statuses: dict[str, Markup] = {}
    stances: dict[str, Markup] = {}
    out = []
    for bill in bills:
        session = bill.session.identifier
        status = statuses.get(bill.status)
        if status is None:
            status = statuses[bill.status] = escape(status_name(bill.status))
        found = positions.get(bill.id)
        stance = (found.published_position if found is not None else None) or ""
        shown = stances.get(stance)
        if shown is None:
            shown = stances[stance] = escape(stance_word(stance, ""))
        out.append(
            f'\n  <tr><th scope="row" class="nowrap">'
            f'<a href="{escape(links.bill_page(session, bill.key))}">{escape(bill.label)}</a></th>'
            f'<td class="end nowrap">{escape(session)}</td>'
            f'<td class="full">{escape(bill.title)}</td>'
            f'<td data-label="{status_label}">{status}</td>'
            f"<td{labelled if stance else ''}>{shown}</td></tr>"
        )
    return Markup("".join(out))  # noqa: S704 - every value is escaped


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
            option = votes.get(roll_call_id, NOT_SEATED)  # grid_mark's reading
            html = made.get(option)
            if html is None:
                html = made[option] = str(self._cell(n, mark(option, vote.aligned), vote))
            cells.append(html)
        return Markup("".join(cells))  # noqa: S704 - each cell is the macro's markup


def name_lists(voters: Mapping[int, reads.Voters]) -> dict[int, list[tuple[str, int, Markup]]]:
    """Roll call id -> (option, how many, the list's items) for each option a roll
    call's names are listed under on its page.  Each name's item (a link to the
    legislator, or the printed name marked as not matched) is made once per distinct
    name and vote (the roll calls of one page may name the same people)."""
    page = links.legislator_pages()
    pages = {pid: page(pid) for pid in reads.people_of(voters)}
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


def _item(facts: Mapping[str, Any], key: str) -> Markup:
    """``{{ facts.key }}`` as a template shows it: escaped, empty when missing."""
    return escape(facts[key]) if key in facts else Markup()


def _bill_link(facts: Mapping[str, Any]) -> str:
    """A scored vote's bill: its label, a link to the bill's page."""
    return (
        f'<a href="{escape(links.bill_page(facts["session"], facts["bill"]))}">'
        f"{_item(facts, 'bill_label')}</a>"
    )


def _bill_title(facts: Mapping[str, Any]) -> str:
    title = facts.get("bill_title")
    return f'<span class="bill-title">{escape(title)}</span>' if title else ""


def _result(facts: Mapping[str, Any], pages: Callable[[str], str], names: str) -> str:
    """A scored vote's outcome in the page's language and its tally, the tally a
    link to the roll call's page (``pages``: ``links.roll_call_pages()``; ``names``:
    the link's words for screen readers)."""
    tally = f"{_item(facts, 'yeas')}–{_item(facts, 'nays')}"
    if facts.get("public_id"):
        tally = (
            f'<a href="{escape(pages(facts["public_id"]))}">{tally}'
            f'<span class="visually-hidden"> {names}</span></a>'
        )
    return f'{escape(outcome_word(facts.get("outcome")))} <span class="nowrap">{tally}</span>'


def scored_vote_rows(
    numbered: Sequence[tuple[int, snapshots.Vote]], positions: Mapping[int, str]
) -> Markup:
    """The rows of a scorecard's list of scored votes, numbered as in its grid: the
    bill, the vote (its chamber or committee, day, motion and amendment), what it
    means, our position and the aligned vote, the result, the weight and the
    source.  ``positions``: the published position by roll call id."""
    position, result, weight = (
        Markup(gettext("Our position")),  # noqa: S704 - translations are markup, as in templates
        Markup(gettext("Result")),  # noqa: S704
        Markup(gettext("Weight")),  # noqa: S704
    )
    # (gettext outside f-strings: pybabel does not look inside them)
    with_yes = Markup(gettext("(a yes vote is with us)"))  # noqa: S704
    with_no = Markup(gettext("(a no vote is with us)"))  # noqa: S704
    hints = {
        "yes": f' <span class="hint">{with_yes}</span>',
        "no": f' <span class="hint">{with_no}</span>',
    }
    key_vote = Markup(gettext("(key vote)"))  # noqa: S704
    names, pages = escape(gettext("how each member voted")), links.roll_call_pages()
    minutes, roll_call = Markup(gettext("committee minutes")), Markup(gettext("roll call"))  # noqa: S704
    no_page = Markup(gettext("journal page not recorded"))  # noqa: S704
    on_page = Markup(gettext("journal page %(page)s"))  # noqa: S704 - the page is escaped
    named_committee = Markup(gettext("%(chamber)s %(committee)s committee"))  # noqa: S704
    a_committee = Markup(gettext("%(chamber)s committee"))  # noqa: S704
    out = []
    for n, vote in numbered:
        f = vote.facts
        chamber = chamber_name(f.get("chamber") or "")
        committee = f.get("kind") == "committee"
        if not committee:
            where = escape(chamber)
        elif f.get("committee"):
            where = named_committee % {"chamber": chamber, "committee": f["committee"]}
        else:
            where = a_committee % {"chamber": chamber}
        amendment = f.get("amendment_id")
        if f.get("source_url"):
            source = (
                f'<a href="{escape(f["source_url"])}">{minutes if committee else roll_call}</a>'
            )
        else:
            page = on_page % {"page": f["journal_page"]} if f.get("journal_page") else no_page
            source = f'<span class="muted">{page}</span>'
        out.append(
            f'\n    <tr id="vote-{n}">'
            f'<th scope="row"><span class="num">{n}.</span> {_bill_link(f)}{_bill_title(f)}</th>'
            f'<td class="full">{where}, {_item(f, "date")}: {_item(f, "motion")}'
            f"{f' ({escape(amendment)})' if amendment else ''}</td>"
            f'<td class="full">{escape(localized(vote, "description"))}</td>'
            f'<td data-label="{position}">'
            f"{escape(stance_word(positions.get(vote.roll_call_id)))}"
            f"{hints.get(vote.aligned, '')}</td>"
            f'<td data-label="{result}">{_result(f, pages, names)}</td>'
            f'<td data-label="{weight}">{vote.weight}'
            f"{f' {key_vote}' if vote.weight >= 2 else ''}</td>"
            f"<td>{source}</td></tr>"
        )
    return Markup("".join(out))  # noqa: S704 - every value is escaped


def legislator_vote_rows(
    view: snapshots.Snapshot, row: snapshots.Row, positions: Mapping[int, str]
) -> Markup:
    """A legislator's scored votes on one scorecard (each vote of their chamber, and
    any other they cast): the bill, day, what the vote was, our position, the
    aligned vote, their vote, the result and the source; the row's class says
    whether they voted with us (``aligned``), against (``missed``) or not
    (``absent``)."""
    date, position, aligned, theirs_label, result = (
        Markup(gettext("Date")),  # noqa: S704 - translations are markup, as in templates
        Markup(gettext("Our position")),  # noqa: S704
        Markup(gettext("Aligned vote")),  # noqa: S704
        Markup(gettext("Their vote")),  # noqa: S704
        Markup(gettext("Result")),  # noqa: S704
    )
    roll_call, no_source = Markup(gettext("roll call")), Markup(gettext("no source page"))  # noqa: S704
    key_vote = Markup(gettext("key vote ×%(weight)s"))  # noqa: S704 - the weight is escaped
    names, pages = escape(gettext("how each member voted")), links.roll_call_pages()
    in_committee = Markup(gettext("(in the %(committee)s committee)"))  # noqa: S704
    a_committee = Markup(gettext("(a committee vote)"))  # noqa: S704
    out = []
    for vote in view.votes_for(row):
        f = vote.facts
        theirs = row.votes.get(vote.roll_call_id, NOT_SEATED)
        kind = f.get("kind")
        if theirs == vote.aligned:
            state = "aligned"
        else:
            state = "missed" if theirs in (YES, NO) else "absent"
        keyed = (
            f' <span class="tag">{key_vote % {"weight": vote.weight}}</span>'
            if vote.weight >= 2
            else ""
        )
        what = escape(localized(vote, "description")) or _item(f, "motion")
        if kind == "committee":
            named = in_committee % {"committee": f["committee"]} if f.get("committee") else None
            what += Markup(' <span class="muted">{}</span>').format(named or a_committee)
        if f.get("source_url"):
            source = f'<a href="{escape(f["source_url"])}">{roll_call}</a>'
        else:
            source = f'<span class="muted">{escape(f.get("verification_note") or no_source)}</span>'
        out.append(
            f'\n      <tr class="{state}"><th scope="row">'
            f"{_bill_link(f)}{keyed}{_bill_title(f)}</th>"
            f'<td class="nowrap" data-label="{date}">{_item(f, "date")}</td>'
            f'<td class="full">{what}</td>'
            f'<td data-label="{position}">'
            f"{escape(stance_word(positions.get(vote.roll_call_id)))}</td>"
            f'<td data-label="{aligned}">{escape(vote_label(vote.aligned))}</td>'
            f'<td class="end their-vote" data-label="{theirs_label}">'
            f"<strong>{escape(vote_label(theirs, kind))}</strong></td>"
            f'<td data-label="{result}">{_result(f, pages, names)}</td>'
            f"<td>{source}</td></tr>"
        )
    return Markup("".join(out))  # noqa: S704 - every value is escaped


def card_facts(view: snapshots.Snapshot, row: snapshots.Row) -> Markup:
    """A legislator's facts on one scorecard, as their page shows each scorecard
    (ten at ten sessions of history): the score, attendance, the chamber's and the
    party's medians, and what the chamber records of excused absences, with a link
    to how scores are calculated."""
    # (each translation is markup and each value escaped, as a template's _() does)
    cast = Markup(gettext("%(cast)s of %(possible)s votes cast (%(share)s)"))  # noqa: S704
    excused = Markup(gettext(", %(count)s excused"))  # noqa: S704 - its count is escaped
    attendance = cast % {
        "cast": row.votes_cast,
        "possible": row.votes_possible,
        "share": percent(row.attendance),
    }
    if row.excused:
        attendance += excused % {"count": row.excused}
    median = Markup(gettext("%(chamber)s median"))  # noqa: S704 - its value is escaped
    facts = [
        (Markup(gettext("Score")), score_badge(row.score, row.grade)),  # noqa: S704
        (Markup(gettext("Attendance")), attendance),  # noqa: S704
        (
            median % {"chamber": chamber_name(row.chamber)},
            score_value(view.chamber_medians.get(row.chamber), "span", row.chamber),
        ),
    ]
    if row.party:
        facts.append(
            (
                Markup(gettext("%(party)s median")) % {"party": row.party},  # noqa: S704
                score_value(view.party_medians.get(row.party), "span", row.party),
            )
        )
    recorded = (view.methodology.get("excused_recorded") or {}).get(row.chamber)
    how = links.link("public.methodology", public_id=view.card.public_id)
    calculated = escape(gettext("How scores are calculated"))
    return Markup(  # noqa: S704 - every value is escaped
        '\n    <dl class="facts">'
        + "".join(f"\n      <div><dt>{term}</dt><dd>{value}</dd></div>" for term, value in facts)
        + "\n    </dl>"
        f'\n    <p class="muted">{escape(excused_text(row.chamber, bool(recorded)))}'
        f'\n      <a href="{escape(how)}">{calculated}</a>.</p>'
    )


def term_items(terms: Sequence[Term]) -> Markup:
    """The list items of a legislator's terms: the seat, party and days held, and
    where the first and last day come from."""
    seat = Markup(gettext("%(chamber)s district %(district)s"))  # noqa: S704 - values escaped
    span = Markup(gettext("%(seat)s, %(party)s: %(start)s to %(end)s"))  # noqa: S704
    since = Markup(gettext("from %(source)s"))  # noqa: S704 - its source is escaped
    until = Markup(gettext("; until %(source)s"))  # noqa: S704 - its source is escaped
    unknown, present = gettext("start unknown"), gettext("present")
    no_source = since % {"source": gettext("no source")}
    out = []
    for t in terms:
        held = span % {
            "seat": seat % {"chamber": chamber_name(t.chamber), "district": t.district},
            "party": party_word(t.party),
            "start": t.held_from or t.start_date or unknown,
            "end": t.held_until or t.end_date or present,
        }
        sources = (
            since % {"source": bound_source_word(t.held_from_source)} if t.held_from else no_source
        )
        if t.held_until:
            sources += until % {"source": bound_source_word(t.held_until_source)}
        out.append(f'\n      <li>{held} <span class="muted">({sources})</span></li>')
    return Markup("".join(out))  # noqa: S704 - every value is escaped
