"""Public pages on the demo data: legislators, scorecards, bills; drafts never leak."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import alerts, headline, i18n, localtime, reads, scorecards, snapshots
from tracker.exports.pdf import mark
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillPosition,
    LegislatorScoreRow,
    MemberVote,
    Person,
    RollCall,
    Scorecard,
    Term,
)
from tracker.models.common import utcnow
from tracker.scoring import display_score
from tracker.web import paragraphs


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def latest_card() -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def test_scorecard_page_lists_every_legislator_with_published_scores(
    client: FlaskClient, loaded: None
) -> None:
    card = latest_card()
    page = text(client.get(f"/scorecards/{card.public_id}"))
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id, LegislatorScoreRow.version_number == 1
        )
    ).all()
    assert f"{len(rows)} legislators" in page
    for row in rows:
        assert row.person.name in page
        if row.has_score:
            shown = display_score(Fraction(100 * row.aligned_weight, row.eligible_weight))
            assert re.search(
                rf">{re.escape(row.person.name)}</a></th>.*?"
                rf'<span class="score">{shown}</span>',
                page,
            )
    assert "How scores are calculated" in page


def first_tbody(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_scorecard_sorting_and_filters(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    page = text(client.get(f"/scorecards/{card.public_id}?sort=score&dir=desc&chamber=senate"))
    shown = [int(s) for s in re.findall(r'data-score="(\d+)"', first_tbody(page))]
    assert shown == sorted(shown, reverse=True) and shown
    assert ">House<" not in first_tbody(page)
    page = text(client.get(f"/scorecards/{card.public_id}?party=R&sort=bogus"))
    body = first_tbody(page)
    assert '<td data-label="Party">R</td>' in body and ">DFL</td>" not in body
    assert client.get(f"/scorecards/{card.public_id}?district=' OR 1=1 --").status_code == 200


def test_score_rows_escape_every_value_in_the_page_language(app: Flask) -> None:
    """The scores table's rows (written in Python, not the template): every value
    escaped, a missing district or party shown as a dash, the labels and the
    excused count in the page's language."""
    from types import SimpleNamespace

    from tracker.public.rows import score_rows

    row = SimpleNamespace(
        person=SimpleNamespace(public_id="p1", name='Ann "A&B" <Lee>'),
        chamber="senate",
        district=None,
        party=None,
        score=Fraction(125, 2),
        grade="B",
        votes_cast=9,
        votes_possible=10,
        excused=1,
    )
    with app.app_context(), app.test_request_context("/scorecards/x?lang=es"):
        html = str(score_rows([row]))  # type: ignore[list-item]
    assert (
        '<th scope="row"><a href="/legislators/p1">Ann &#34;A&amp;B&#34; &lt;Lee&gt;</a></th>'
    ) in html
    assert "<td>Senado</td>" in html
    assert '<td data-label="Distrito">–</td>' in html and '<td data-label="Partido">–</td>' in html
    assert '<span class="score-badge" data-score="63"><span class="score">63</span>' in html
    assert '<td data-label="Asistencia">9/10 (1 con ausencia justificada)</td>' in html
    with app.app_context(), app.test_request_context("/scorecards/x"):
        english = str(score_rows([SimpleNamespace(**{**vars(row), "excused": 0})]))  # type: ignore[list-item]
    assert '<td data-label="Attendance">9/10</td>' in english and "<td>Senate</td>" in english


def test_scored_vote_rows_cover_every_kind_of_vote(app: Flask) -> None:
    """The scorecard's list of scored votes (written in Python): a floor vote with
    its source and amendment, a committee vote with its minutes, a committee vote
    of an unnamed committee with only a journal page, a vote with no page; every
    value escaped, the words in the page's language."""
    from tracker.public.rows import scored_vote_rows

    def vote(rc: int, aligned: str, weight: int, **facts: object) -> snapshots.Vote:
        base = {"session": "2025-2026", "bill": "HF1", "bill_label": "HF 1", "chamber": "house"}
        return snapshots.Vote(rc, rc, aligned, weight, f"Means <{rc}>", {**base, **facts})

    votes = [
        vote(1, "yes", 2, bill_title="A & B", date="2025-03-01", motion="Passage",
             amendment_id="A-1", outcome="passed", yeas=70, nays=60, source_url="https://x/1?a&b",
             public_id="rc-1"),
        vote(2, "no", 1, kind="committee", committee="Ways <Means>", date="2025-02-01",
             motion="Do pass", yeas=9, nays=8, source_url="https://x/2"),
        vote(3, "no", 1, kind="committee", date="2025-02-02", motion="Refer",
             journal_page="12"),
        vote(4, "yes", 1, chamber="senate", date="2025-04-01", motion="Concur"),
    ]  # fmt: skip
    with app.app_context(), app.test_request_context("/scorecards/x"):
        html = str(scored_vote_rows(list(enumerate(votes, start=1)), {1: "support"}))
    rows = html.split("</tr>")
    assert '<tr id="vote-1"><th scope="row"><span class="num">1.</span> ' in rows[0]
    assert (
        '<a href="/bills/2025-2026/HF1">HF 1</a><span class="bill-title">A &amp; B</span>'
        in rows[0]
    )
    assert '<td class="full">House, 2025-03-01: Passage (A-1)</td>' in rows[0]
    assert '<td class="full">Means &lt;1&gt;</td>' in rows[0]
    assert (
        '<td data-label="Our position">Support <span class="hint">(a yes vote is with us)'
        in rows[0]
    )
    assert (  # the tally leads to the roll call's page: every member's vote
        '<td data-label="Result">Passed <span class="nowrap"><a href="/roll-calls/rc-1">70–60'
        '<span class="visually-hidden"> how each member voted</span></a></span>'
    ) in rows[0]
    assert '<td data-label="Weight">2 (key vote)</td>' in rows[0]
    assert '<a href="https://x/1?a&amp;b">roll call</a>' in rows[0]
    assert "House Ways &lt;Means&gt; committee, 2025-02-01: Do pass</td>" in rows[1]
    assert '<td data-label="Our position">– <span class="hint">(a no vote is with us)' in rows[1]
    assert '<a href="https://x/2">committee minutes</a>' in rows[1]
    assert "House committee, 2025-02-02: Refer</td>" in rows[2]
    assert '<span class="nowrap">–</span>' in rows[2]  # no tally in the facts
    assert '<span class="muted">journal page 12</span>' in rows[2]
    assert '<span class="muted">journal page not recorded</span>' in rows[3]
    assert '<td class="full">Senate, 2025-04-01: Concur</td>' in rows[3]
    with app.app_context(), app.test_request_context("/scorecards/x?lang=es"):
        spanish = str(scored_vote_rows([(2, votes[1])], {}))
    assert 'data-label="Nuestra posición"' in spanish and "actas del comité" in spanish


def test_legislator_vote_rows_cover_every_kind_of_vote(app: Flask) -> None:
    """A legislator's scored votes (written in Python): with us, against us, absent;
    the other chamber's votes left out unless they voted; a key vote; a committee
    vote of an unnamed committee; the source, a verification note or none."""
    from types import SimpleNamespace

    from tracker.public.rows import legislator_vote_rows

    def vote(rc: int, aligned: str, weight: int, **facts: object) -> snapshots.Vote:
        base = {"session": "2025-2026", "bill": f"HF{rc}", "bill_label": f"HF {rc}",
                "chamber": "house", "date": f"2025-03-0{rc}", "motion": "Passage",
                "yeas": 70, "nays": 60, "outcome": "passed"}  # fmt: skip
        return snapshots.Vote(rc, rc, aligned, weight, "", {**base, **facts})

    votes = [
        vote(1, "yes", 3, bill_title="A & B", source_url="https://x/1?a&b", public_id="r 1"),
        vote(2, "no", 1, verification_note="Tally <checked> by hand"),
        vote(3, "yes", 1, kind="committee"),
        vote(4, "yes", 1, chamber="senate"),  # not seated there: left out
        vote(5, "no", 1, chamber="senate"),  # ... unless they voted
    ]
    view = snapshots.Snapshot(  # only its votes are read (and its rule of which are shown)
        card=None,  # type: ignore[arg-type]
        version=None,  # type: ignore[arg-type]
        votes=tuple(votes),
        rows=(),
        chamber_medians={},
        party_medians={},
        chamber_party_medians={},
    )
    row = SimpleNamespace(chamber="house", votes={1: "yes", 2: "yes", 5: "no"})
    with app.app_context(), app.test_request_context("/legislators/x"):
        html = str(legislator_vote_rows(view, row, {2: "oppose"}))  # type: ignore[arg-type]
    rows = html.split("</tr>")[:-1]
    assert [r.split('"')[1] for r in rows] == ["aligned", "missed", "absent", "aligned"]
    assert '<a href="/bills/2025-2026/HF1">HF 1</a> <span class="tag">key vote ×3</span>' in rows[0]
    assert '<span class="bill-title">A &amp; B</span>' in rows[0]
    assert '<td class="nowrap" data-label="Date">2025-03-01</td>' in rows[0]
    assert '<td class="full">Passage</td>' in rows[0]
    assert (
        "<strong>Yes</strong>" in rows[0]
        and '<a href="https://x/1?a&amp;b">roll call</a>' in rows[0]
    )
    assert (
        '<span class="nowrap"><a href="/roll-calls/r%201">70–60<span class="visually-hidden"> '
        "how each member voted</span></a></span>"
    ) in rows[0]
    assert '<td data-label="Our position">Oppose</td>' in rows[1]
    assert '<span class="muted">Tally &lt;checked&gt; by hand</span>' in rows[1]
    assert 'Passage <span class="muted">(a committee vote)</span>' in rows[2]
    assert "<strong>Not on the committee</strong>" in rows[2]
    assert '<span class="muted">no source page</span>' in rows[2]
    assert '<td data-label="Result">Passed <span class="nowrap">70–60</span></td>' in rows[3]
    with app.app_context(), app.test_request_context("/legislators/x?lang=es"):
        spanish = str(legislator_vote_rows(view, row, {}))  # type: ignore[arg-type]
    assert "voto clave ×3" in spanish and 'data-label="Su voto"' in spanish


def test_bill_rows_escape_every_value_in_the_page_language(app: Flask) -> None:
    """The list of bills' rows (written in Python): the bill a link to its page, its
    session, title (escaped), status and our published position in the page's
    language; no position, no label on its empty cell."""
    from types import SimpleNamespace

    from tracker.public.rows import bill_rows

    session = SimpleNamespace(identifier="2025-2026")
    bills = [
        SimpleNamespace(id=1, session=session, key="HF7", label="HF 7", status="passed_house",
                        title='Child care <b>"A&B"</b>'),
        SimpleNamespace(id=2, session=session, key="SF12", label="SF 12", status="signed",
                        title="Roads"),
    ]  # fmt: skip
    positions = {1: SimpleNamespace(published_position="support")}
    with app.app_context(), app.test_request_context("/bills?lang=es"):
        html = str(bill_rows(bills, positions))  # type: ignore[arg-type]
    first, second = html.split("</tr>")[:2]
    assert (
        '<th scope="row" class="nowrap"><a href="/bills/2025-2026/HF7">HF 7</a></th>'
        '<td class="end nowrap">2025-2026</td>'
        '<td class="full">Child care &lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;</td>'
    ) in first
    assert '<td data-label="Estado">Aprobado por la Cámara de Representantes</td>' in first
    assert '<td data-label="Nuestra posición">A favor</td>' in first
    assert second.endswith(
        '<td data-label="Estado">Firmado y convertido en ley (con número de capítulo)</td><td></td>'
    )
    with app.app_context(), app.test_request_context("/bills"):
        english = str(bill_rows(bills, positions))  # type: ignore[arg-type]
    assert '<td data-label="Status">Passed the House</td>' in english
    assert '<td data-label="Our position">Support</td>' in english


def test_card_facts_and_term_items_in_the_page_language(app: Flask) -> None:
    """A legislator's facts on a scorecard and their terms (written in Python): the
    score, attendance with excused absences, the medians of their chamber and party,
    the chamber's record of excused absences; each term's seat, party, days held
    and where they come from, every value escaped."""
    from types import SimpleNamespace

    from tracker.public.rows import card_facts, term_items

    view = SimpleNamespace(
        card=SimpleNamespace(public_id="c1"),
        methodology={"excused_recorded": {"senate": True}},
        chamber_medians={"senate": Fraction(61)},
        party_medians={"<R>": None},
    )
    row = SimpleNamespace(score=Fraction(125, 2), grade=None, votes_cast=9, votes_possible=10,
                          attendance=Fraction(9, 10), excused=1, chamber="senate",
                          party="<R>")  # fmt: skip
    terms = [
        SimpleNamespace(chamber="senate", district="12", party="DFL", held_from=dt.date(2023, 1, 3),
                        held_until=None, start_date=None, end_date=None,
                        held_from_source="journal_roll", held_until_source=None),
        SimpleNamespace(chamber="house", district="<5A>", party=None, held_from=None,
                        held_until=dt.date(2022, 12, 31), start_date=None, end_date=None,
                        held_from_source=None, held_until_source="openstates"),
    ]  # fmt: skip
    with app.app_context(), app.test_request_context("/legislators/x"):
        facts = str(card_facts(view, row))  # type: ignore[arg-type]
        items = str(term_items(terms))  # type: ignore[arg-type]
    assert '<dt>Score</dt><dd><span class="score-badge" data-score="63">' in facts
    assert "<dt>Attendance</dt><dd>9 of 10 votes cast (90%), 1 excused</dd>" in facts
    assert '<dt>Senate median</dt><dd><span data-score="61" data-median="senate">61</span>' in facts
    assert (
        '<dt>&lt;R&gt; median</dt><dd><span data-score="" data-median="&lt;R&gt;">–</span>' in facts
    )
    assert "The Senate records excused absences for these votes." in facts
    assert '<a href="/scorecards/c1/methodology">How scores are calculated</a>.' in facts
    first, second = items.split("</li>")[:2]
    assert "<li>Senate district 12, Democratic-Farmer-Labor: 2023-01-03 to present" in first
    assert "House district &lt;5A&gt;, No party recorded: start unknown to 2022-12-31" in second
    assert '<span class="muted">(from no source; until ' in second
    with app.app_context(), app.test_request_context("/legislators/x?lang=es"):
        spanish = str(card_facts(view, row)) + str(term_items(terms))  # type: ignore[arg-type]
    share = i18n.format_share(0.9, "es")  # babel's "90 %"
    assert f"9 de 10 votos emitidos ({share}), 1 con ausencia justificada" in spanish
    assert (
        "Mediana (Senado)" in spanish
        and "(inicio según sin fuente; fin según Open States)" in spanish
    )


def test_every_shown_score_carries_its_value(client: FlaskClient, loaded: None) -> None:
    """data-score holds the whole number shown (empty for "not enough votes") on the
    element showing it, rows and medians alike."""
    card = latest_card()
    view = snapshots.published(card.public_id)
    for show in ("table", "grid"):
        page = text(client.get(f"/scorecards/{card.public_id}?show={show}"))
        for row in view.rows:
            expected = "" if row.display is None else str(row.display)
            shown = "not enough votes" if row.display is None else str(row.display)
            assert re.search(
                rf">{re.escape(row.person.name)}</a></th>.*?"
                rf'<span class="score-badge" data-score="{expected}">'
                rf'<span class="score[^"]*">{shown}</span>',
                page,
            ), row.person.name
        for chamber, median in view.chamber_medians.items():
            assert (
                f'data-score="{display_score(median)}" data-median="{chamber}">'
                f"{display_score(median)}<"
            ) in page
    person = view.rows[0].person
    page = text(client.get(f"/legislators/{person.public_id}"))
    assert f'data-score="{view.rows[0].display}"><span class="score">' in page


def test_scorecard_page_lists_the_scored_votes(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    view = snapshots.published(card.public_id)
    page = text(client.get(f"/scorecards/{card.public_id}"))
    listed = page.split('id="votes-heading"')[1].split("</table>")[0]
    rows = re.findall(r'<tr id="vote-(\d+)">(.*?)</tr>', listed)
    assert [int(n) for n, _ in rows] == list(range(1, len(view.votes) + 1))
    positions = reads.positions_by_roll_call([v.roll_call_id for v in view.votes])
    for (_, row), vote in zip(rows, view.votes, strict=True):
        f = vote.facts
        assert f">{f['bill_label']}</a>" in row
        assert f'<span class="bill-title">{f["bill_title"]}</span>' in row
        assert vote.description in row and f["motion"] in row
        assert f"{f['yeas']}–{f['nays']}" in row and (f["outcome"] or "").capitalize() in row
        assert f'data-label="Weight">{vote.weight}' in row
        assert positions[vote.roll_call_id].capitalize() in row
        if f["source_url"]:
            assert f'href="{f["source_url"]}"' in row
        else:
            assert f"journal page {f['journal_page']}" in row


def grid_rows(page: str) -> dict[str, list[str]]:
    """Each grid row's name and its marks, as shown."""
    return {
        name: re.findall(r'<span aria-hidden="true">(.?)</span>', cells)
        for name, cells in re.findall(
            r'<th scope="row" class="name"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', page
        )
    }


def test_vote_grid_marks_every_legislator_on_every_vote(client: FlaskClient, loaded: None) -> None:
    """One grid per chamber; each cell is the press kit's mark (✓ with our position,
    ✗ against, — absent, blank not seated), with the vote's number for phones."""
    card = latest_card()
    view = snapshots.published(card.public_id)
    page = text(client.get(f"/scorecards/{card.public_id}?show=grid"))
    shown = grid_rows(page)
    assert len(shown) == len(view.rows)
    for row in view.rows:
        votes = [v for v in view.votes if v.facts["chamber"] == row.chamber]
        assert shown[row.person.name] == [
            mark(row.votes.get(v.roll_call_id, "not_seated"), v.aligned) for v in votes
        ]
    assert {"✓", "✗"} <= {m for marks in shown.values() for m in marks}
    assert "voted with our position" in page and "blank: not in office" in page
    assert page.count('class="stack grid"') == len({r.chamber for r in view.rows})


def test_vote_grid_sorts_by_a_vote_and_keeps_filters(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    view = snapshots.published(card.public_id)
    number, vote = next(
        (n, v) for n, v in enumerate(view.votes, start=1) if v.facts["chamber"] == "senate"
    )
    page = text(
        client.get(
            f"/scorecards/{card.public_id}?show=grid&chamber=senate&sort=vote-{number}&dir=asc"
        )
    )
    order = ["✓", "✗", "—", ""]
    column = [v.roll_call_id for v in view.votes if v.facts["chamber"] == "senate"]
    marks = [cells[column.index(vote.roll_call_id)] for cells in grid_rows(page).values()]
    assert [order.index(m) for m in marks] == sorted(order.index(m) for m in marks)
    assert len(marks) == sum(r.chamber == "senate" for r in view.rows)
    # the sort links keep the grid and the filters; unknown vote numbers fall back
    assert f"sort=vote-{number}&amp;dir=desc&amp;show=grid" in page
    assert "chamber=senate" in page.split('class="mark-head"')[1]
    fallback = text(client.get(f"/scorecards/{card.public_id}?show=grid&sort=vote-999"))
    assert '<option value="district" selected>' in fallback


def test_vote_tables_show_the_bill_title(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    view = snapshots.published(card.public_id)
    row = next(r for r in view.rows if r.display is not None)
    page = text(client.get(f"/legislators/{row.person.public_id}"))
    for vote in view.votes:
        if vote.facts["chamber"] == row.chamber:
            assert re.search(
                rf">{re.escape(vote.facts['bill_label'])}</a>.*?"
                rf'<span class="bill-title">{re.escape(vote.facts["bill_title"])}'
                rf"</span></th>",
                page,
            )
    their = re.findall(r'<td class="end their-vote" data-label="Their vote"><strong>([^<]+)', page)
    assert their and set(their) <= {"Yes", "No", "Did not vote", "Excused", "Not in office"}


def test_legislators_list_says_party_and_district(client: FlaskClient, loaded: None) -> None:
    page = text(client.get("/legislators"))
    term = db.session.scalars(
        select(Term).where(Term.end_date.is_(None), Term.party.is_not(None))
    ).first()
    assert re.search(
        rf">{re.escape(term.person.name)}</a></th><td>[A-Za-z]+</td>"
        rf'<td data-label="District">{term.district}</td>'
        rf'<td data-label="Party">{term.party}</td>',
        page,
    )


def test_list_of_legislators_is_read_once_per_data_version(
    client: FlaskClient, loaded: None
) -> None:
    """The people and terms behind the list are read once per data version: a
    committed change to a term (which bumps it) shows at once, and a transaction's
    own uncommitted change is read, never served the kept list nor kept."""
    before = text(client.get("/legislators"))
    kept = dict(reads._roster._kept)
    assert len(kept) == 1  # kept for the data version of that request
    assert text(client.get("/legislators")) == before
    assert reads._roster._kept == kept  # the same list, not read again
    term = db.session.scalars(
        select(Term).where(Term.end_date.is_(None), Term.party.is_not(None))
    ).first()
    name = term.person.name
    term.district = "99Z"  # not yet committed: this transaction's own change
    db.session.flush()
    own = reads.legislator_list()
    assert any(t.district == "99Z" for p in own if p.name == name for t in p.terms)
    assert reads._roster._kept == kept  # read apart, not kept
    db.session.commit()  # bumps the data version
    page = text(client.get("/legislators"))
    assert f">{name}</a></th><td>" in page and '<td data-label="District">99Z</td>' in page
    assert reads._roster._kept != kept and len(reads._roster._kept) == 1
    senate = reads.legislator_list("senate")
    assert senate and all(any(t.chamber == "senate" for t in p.terms) for p in senate)
    assert len(senate) < len(reads.legislator_list())


def test_home_page_puts_open_alerts_then_the_featured_scorecard_first(
    client: FlaskClient, loaded: None
) -> None:
    rc = db.session.scalars(
        select(RollCall).where(RollCall.chamber == "senate").order_by(RollCall.id)
    ).first()
    alert = alerts.create_alert(
        rc.bill,
        alerts.AlertInput(
            title="Call your senator today",
            target="floor",
            chamber="senate",
            ask="yes",
            call_script="Please ask {legislator} to {position} on {bill}.",
            email_subject="Please {position} on {bill}",
            email_template="Dear {legislator}.",
            deadline=utcnow() + dt.timedelta(days=2),
        ),
        actor="test",
    )
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    page = text(client.get("/"))
    acting = page.index("Take action now")
    featured = page.index("Featured scorecard")
    assert acting < featured < page.index("Your street address")
    assert f'href="/alerts/{alert.public_id}"' in page and "Call your senator today" in page
    assert "Act before " + localtime.day_and_clock(alert.deadline) in page
    chosen = headline.choices()["all"].scorecard  # the demo features one
    assert re.search(rf'Featured scorecard</span> <a href="/scorecards/{chosen.public_id}">', page)
    # a closed alert leaves the home page at once (the page is never cached)
    alerts.close_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    assert "Take action now" not in text(client.get("/"))


def featured_on_home(client: FlaskClient) -> list[str]:
    return re.findall(
        r'Featured scorecard( \([A-Za-z]+\))?</span> <a href="/scorecards/([^"]+)">',
        text(client.get("/")),
    )


def test_home_page_features_the_admins_choice_else_the_default(
    client: FlaskClient, loaded: None
) -> None:
    for chamber in headline.choices():
        headline.feature(chamber, None, expected_version=None, actor="test")
    db.session.commit()
    cards = sorted(snapshots.latest(), key=lambda s: (s.card.versions[0].published_at, s.card.id))
    assert featured_on_home(client) == [("", cards[0].card.public_id)]  # the oldest published
    for chamber, snap in (("senate", cards[-1]), ("house", cards[0])):
        headline.feature(
            chamber, db.session.get(Scorecard, snap.card.id), expected_version=None, actor="test"
        )
    db.session.commit()
    assert featured_on_home(client) == [
        (" (House)", cards[0].card.public_id),
        (" (Senate)", cards[-1].card.public_id),
    ]


def test_paragraphs_keep_blank_lines_and_link_urls_escaped(app: Flask) -> None:
    text_in = (
        "First line.\nSecond line <b>bold</b> & more.\n\n"
        "See https://www.revisor.mn.gov/bills/bill.php?b=House&f=HF11 (the bill).\r\n"
        "\r\n\r\nhttp://x.example/a_(b). Then javascript:alert(1) "
        'and https://evil.example/"onmouseover="alert(1) <script>alert(2)</script>'
    )
    html = str(paragraphs(text_in))
    assert html.startswith(
        "<p>First line.<br>\nSecond line &lt;b&gt;bold&lt;/b&gt; &amp; more.</p><p>See "
    )
    assert (
        '<a href="https://www.revisor.mn.gov/bills/bill.php?b=House&amp;f=HF11" '
        'rel="nofollow">https://www.revisor.mn.gov/bills/bill.php?b=House&amp;f=HF11</a> '
        "(the bill).</p>"
    ) in html
    assert '<a href="http://x.example/a_(b)" rel="nofollow">http://x.example/a_(b)</a>.' in html
    assert html.count("<p>") == 3 and "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and '"onmouseover' not in html
    assert '<a href="https://evil.example/" rel="nofollow">' in html
    assert str(paragraphs("")) == "" and str(paragraphs(None)) == ""


def test_bill_page_rationale_keeps_paragraphs_and_links(client: FlaskClient, loaded: None) -> None:
    bill = db.session.scalar(
        select(Bill)
        .where(Bill.bill_type == "HF", Bill.number == 11)
        .order_by(Bill.session_id.desc())
    )
    position = scorecards.position_for(bill)
    scorecards.set_position(
        bill,
        "support",
        "It pays for leave.\n\nSee https://example.org/leave?a=1&b=2 <img src=x onerror=alert(1)>.",
        [],
        expected_version=position.version,
        actor="test",
    )
    scorecards.publish_position(bill, expected_version=None, actor="test")
    db.session.commit()
    page = client.get(f"/bills/{bill.session.identifier}/hf11").get_data(as_text=True)
    assert (
        '<div class="rationale"><p>It pays for leave.</p><p>See <a href="https://example.org/'
        'leave?a=1&amp;b=2" rel="nofollow">https://example.org/leave?a=1&amp;b=2</a> '
        "&lt;img src=x onerror=alert(1)&gt;.</p></div>"
    ) in page


def test_distribution_chart_is_svg(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    moved = client.get(f"/scorecards/{card.public_id}/distribution.svg")
    assert moved.status_code == 301
    assert moved.location.endswith(f"/scorecards/{card.public_id}/charts/distribution.svg")
    response = client.get(moved.location)
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<?xml") and b"<svg" in response.data


def test_legislator_page_shows_votes_with_sources(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    row = db.session.scalars(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == 1,
            LegislatorScoreRow.has_score.is_(True),
        )
    ).first()
    person = row.person
    page = text(client.get(f"/legislators/{person.public_id}"))
    assert f"<h1>{person.name}</h1>" in page
    assert card.versions[-1].title in page
    assert f"{row.votes_cast} of {row.votes_possible} votes cast" in page
    assert "Lifetime score:" in page
    assert person.phone in page and f"mailto:{person.email}" in page
    for vote in card.versions[-1].votes:
        if vote.facts["chamber"] == row.chamber:
            assert vote.description in page


def test_former_legislator_keeps_a_page(client: FlaskClient, loaded: None) -> None:
    term = db.session.scalars(select(Term).where(Term.end_date.is_not(None))).first()
    page = text(client.get(f"/legislators/{term.person.public_id}"))
    assert f"served until {term.end_date}" in page or "to " + str(term.end_date) in page


def test_bill_page_lists_its_roll_calls_and_each_names_every_member_vote(
    client: FlaskClient, loaded: None
) -> None:
    """The bill's page lists each roll call (tally, source) with a link to its own
    page; that page lists every member vote under its option, with the tally."""
    bill = db.session.scalar(
        select(Bill)
        .where(Bill.bill_type == "HF", Bill.number == 11)
        .order_by(Bill.session_id.desc())
    )
    page = text(client.get(f"/bills/{bill.session.identifier}/hf11"))
    assert f"{bill.label}" in page and "supports this bill" in page
    roll_calls = db.session.scalars(select(RollCall).where(RollCall.bill_id == bill.id)).all()
    assert roll_calls
    for roll_call in roll_calls:
        assert f'href="/roll-calls/{roll_call.public_id}"' in page
        assert f"Yes {roll_call.yeas}, no {roll_call.nays}" in page
        assert (roll_call.source_url or "") in page
        names = text(client.get(f"/roll-calls/{roll_call.public_id}"))
        assert f'<a href="/bills/{bill.session.identifier}/{bill.key}">{bill.label}</a>' in names
        assert f"Yes {roll_call.yeas}, no {roll_call.nays}" in names
        assert (roll_call.source_url or "") in names
        for option, heading in (("yes", "Yes"), ("no", "No")):
            voters = [v.person for v in roll_call.member_votes if v.option == option]
            listed = re.search(
                rf"<h3>{heading} \((\d+)\)</h3> <ul class=\"names\">(.*?)</ul>", names
            )
            assert listed is not None and int(listed.group(1)) == len(voters)
            for person in voters:
                assert (
                    f'<a href="/legislators/{person.public_id}">{person.name}</a>'
                    in listed.group(2)
                )
        # every listed vote of this roll call, and none of another
        counts = [int(n) for n in re.findall(r"<h3>[^<(]+ \((\d+)\)</h3>", names)]
        assert sum(counts) == sum(v.option != "not_seated" for v in roll_call.member_votes)


def test_draft_positions_and_scorecards_never_leak(client: FlaskClient, loaded: None) -> None:
    bill = db.session.scalar(select(Bill).where(Bill.bill_type == "SF").limit(1))
    position = db.session.scalar(select(BillPosition).where(BillPosition.bill_id == bill.id))
    scorecards.set_position(
        bill,
        "oppose",
        "A SECRET DRAFT RATIONALE",
        [],
        expected_version=position.version,
        actor="test",
    )
    draft = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Unpublished Draft Card",
            description="",
            session_ids=[bill.session_id],
            chambers=["senate"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=True,
        ),
        actor="test",
    )
    db.session.commit()
    for path in ("/scorecards", f"/bills/{bill.session.identifier}/{bill.key}", "/bills"):
        page = text(client.get(path))
        assert "SECRET DRAFT" not in page and "Unpublished Draft Card" not in page
    assert client.get(f"/scorecards/{draft.public_id}").status_code == 404
    assert client.get(f"/scorecards/{draft.public_id}/methodology").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/legislators/no-such-person",
        "/legislators/" + "x" * 300,
        "/scorecards/nope",
        "/scorecards/nope/charts/distribution.svg",
        "/bills/2025-2026/XX1",
        "/bills/1999-2000/HF1",
        "/roll-calls/no-such-roll-call",
        "/roll-calls/" + "x" * 300,
    ],
)
def test_unknown_ids_are_404(client: FlaskClient, loaded: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<main" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "hf 11", "'; DROP TABLE bill; --", "%_%", "x" * 500])
def test_bill_search_never_fails(client: FlaskClient, loaded: None, query: str) -> None:
    response = client.get("/bills", query_string={"q": query})
    assert response.status_code == 200
    assert db.session.scalar(select(Bill).limit(1)) is not None


def test_pages_have_titles_and_descriptions(client: FlaskClient, loaded: None) -> None:
    person = db.session.scalars(select(Person)).first()
    for path in (
        "/",
        "/scorecards",
        "/legislators",
        f"/legislators/{person.public_id}",
        f"/scorecards/{latest_card().public_id}",
        "/bills",
    ):
        html = client.get(path).get_data(as_text=True)
        title = re.search(r"<title>(.+?)</title>", html, re.S).group(1)
        assert len(title.strip()) > 10
        assert re.search(r'<meta name="description" content="[^"]{20,}">', html)


def test_roll_call_page_lists_unmatched_names_escaped_and_in_the_records_order(
    client: FlaskClient, loaded: None
) -> None:
    """A roll call's names, matched or not, are listed under their vote in the order the
    record prints them; a printed name is text, whatever it holds."""
    bill = db.session.scalar(
        select(Bill)
        .where(Bill.bill_type == "HF", Bill.number == 11)
        .order_by(Bill.session_id.desc())
    )
    roll_call = db.session.scalars(select(RollCall).where(RollCall.bill_id == bill.id)).first()
    roll_call.member_votes.append(
        MemberVote(printed_name='Aaaby <b onmouseover="x">', option="no", roll_call=roll_call)
    )
    db.session.commit()
    page = client.get(f"/roll-calls/{roll_call.public_id}").get_data(as_text=True)
    assert '<b onmouseover="x">' not in page
    item = (
        '<li>Aaaby &lt;b onmouseover=&#34;x&#34;&gt; <span class="muted">(not matched)</span></li>'
    )
    assert item in page
    lists = re.findall(r'<h3>No \(\d+\)</h3>\s*<ul class="names">(.*?)</ul>', page, re.S)
    listed = [names for names in lists if item in names]
    assert len(listed) == 1 and listed[0].startswith(item)  # "Aaaby" sorts first


def test_home_page_counts_what_the_database_holds(client: FlaskClient, loaded: None) -> None:
    from sqlalchemy import func

    page = text(client.get("/"))
    for model, noun in ((Person, "legislators"), (Bill, "bills"), (RollCall, "roll calls")):
        count = db.session.scalar(select(func.count()).select_from(model))
        assert count and f"<strong>{count:,}</strong> {noun}" in page
