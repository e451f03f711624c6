"""Staff pages: bill list and page, positions, scored votes, scorecards, publishing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scrapers.vocab import BILL_STATUS_NAMES
from tests.conftest import csrf_token, make_user
from tests.factories import house_journal_read
from tracker import scorecards
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Bill,
    BillPosition,
    LegislativeSession,
    LegislatorScoreRow,
    RollCall,
    Scorecard,
    ScorecardVersion,
    ScorecardVote,
)

HF11 = "/staff/bills/2025-2026/HF11"


@pytest.fixture
def world(app: Flask, demo_no_scorecards: None) -> dict[str, Any]:
    make_user("admin@example.org", "admin")
    make_user("staff@example.org", "staff")
    db.session.commit()
    return {"session": _session("2025-2026"), "old": _session("2023-2024")}


def _session(identifier: str) -> LegislativeSession:
    return db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == identifier)
    )


def _bill(label: str, identifier: str = "2025-2026") -> Bill:
    kind, number = label.split()
    return db.session.scalar(
        select(Bill)
        .join(LegislativeSession)
        .where(
            LegislativeSession.identifier == identifier,
            Bill.bill_type == kind,
            Bill.number == int(number),
        )
    )


def _roll_calls(bill: Bill) -> list[RollCall]:
    return list(
        db.session.scalars(
            select(RollCall).where(RollCall.bill_id == bill.id).order_by(RollCall.date, RollCall.id)
        )
    )


def _card(world: dict[str, Any], title: str = "2025 House Scorecard") -> Scorecard:
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title=title,
            description="",
            session_ids=[world["session"].id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=True,
        ),
        actor="test",
    )
    db.session.commit()
    return card


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def _count(model: Any) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _score_rows(card_id: int) -> dict[int, tuple[int, int]]:
    db.session.expire_all()
    return {
        r.person_id: (r.aligned_weight, r.eligible_weight)
        for r in db.session.scalars(
            select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == card_id, LegislatorScoreRow.version_number == 0
            )
        )
    }


# ---------------------------------------------------------------- access and CSRF


@pytest.mark.parametrize(
    "path", ["/staff/bills", HF11, "/staff/scorecards", "/staff/scorecards/new"]
)
def test_anonymous_is_sent_to_sign_in(
    client: FlaskClient, world: dict[str, Any], path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_anonymous_post_changes_nothing(client: FlaskClient, world: dict[str, Any]) -> None:
    token = csrf_token(client, "/auth/login")
    response = client.post(
        f"{HF11}/position",
        data={"csrf_token": token, "position": "support", "rationale": "", "version": "0"},
    )
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _count(BillPosition) == 0


def test_every_post_needs_the_csrf_token(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    auth.login("admin@example.org")
    scorecards.set_position(_bill("HF 11"), "support", "", [], expected_version=None, actor="test")
    vote = scorecards.score_roll_call(
        card, rc, aligned="yes", weight=1, description="", actor="test"
    )
    db.session.commit()
    before = (_count(AuditEvent), _count(ScorecardVote), _count(ScorecardVersion))
    posts = {
        f"{HF11}/position": {"position": "oppose", "rationale": "x", "version": "1"},
        f"{HF11}/position/publish": {"version": "1"},
        f"{HF11}/score": {
            "roll_call": rc.public_id,
            "scorecard": card.public_id,
            "aligned": "yes",
            "weight": "1",
        },
        "/staff/scorecards/new": {
            "title": "X",
            "sessions": str(world["session"].id),
            "chambers": "house",
            "absence_policy": "exclude",
            "min_participation_pct": "50",
        },
        f"/staff/scorecards/{card.public_id}": {"title": "Y", "version": "1"},
        f"/staff/scorecards/{card.public_id}/votes/{vote.id}": {
            "action": "remove",
            "version": str(vote.version),
        },
        f"/staff/scorecards/{card.public_id}/publish": {"version": "1", "note": ""},
    }
    for path, data in posts.items():
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "CSRF" in _text(response) or "csrf" in _text(response).lower(), path
    assert (_count(AuditEvent), _count(ScorecardVote), _count(ScorecardVersion)) == before
    assert _count(Scorecard) == 1


# ---------------------------------------------------------------- bill list


def _labels(html: str) -> set[str]:
    return set(re.findall(r'<th scope="row"><a href="/staff/bills/[^"]+">([A-Z]{2} \d+)</a>', html))


def test_search_by_number_title_and_author(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login()
    html = _text(client.get("/staff/bills?q=hf11&session=2025-2026"))
    assert _labels(html) == {"HF 11"}
    assert _labels(_text(client.get("/staff/bills?q=HF+11"))) == {"HF 11"}  # both sessions
    assert "2 bills found" in _text(client.get("/staff/bills?q=HF+11"))
    html = _text(client.get("/staff/bills?q=universal+breakfast&session=2025-2026"))
    assert _labels(html) == {"HF 25", "SF 23"}
    bill = _bill("HF 11")
    author = bill.authors[0]
    html = _text(client.get(f"/staff/bills?session=2025-2026&chamber=house&q={author.person.name}"))
    expected = {
        b.label
        for b in db.session.scalars(
            select(Bill).where(Bill.session_id == world["session"].id, Bill.bill_type == "HF")
        )
        if any(a.person_id == author.person_id for a in b.authors)
    }
    assert "HF 11" in _labels(html) and _labels(html) == expected
    html = _text(client.get(f"/staff/bills?session=2025-2026&q={author.printed_name}"))
    assert "HF 11" in _labels(html)


def test_filters(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    auth.login()
    html = _text(client.get("/staff/bills?session=2025-2026&chamber=senate"))
    labels = _labels(html)
    assert labels and all(label.startswith("SF") for label in labels)
    html = _text(client.get("/staff/bills?session=2025-2026&roll_calls=no"))
    committee = {
        b.label
        for b in db.session.scalars(
            select(Bill).where(
                Bill.session_id == world["session"].id, Bill.status == "in_committee"
            )
        )
    }
    assert _labels(html) == committee and len(committee) == 4
    html = _text(client.get("/staff/bills?session=2025-2026&status=signed"))
    signed = {
        b.label
        for b in db.session.scalars(
            select(Bill).where(Bill.session_id == world["session"].id, Bill.status == "signed")
        )
    }
    assert signed and _labels(html) == signed
    # Tagged: support/oppose only; a "none" position is not a tag.
    scorecards.set_position(_bill("HF 11"), "support", "", [], expected_version=None, actor="test")
    scorecards.set_position(_bill("HF 18"), "none", "", [], expected_version=None, actor="test")
    db.session.commit()
    assert _labels(_text(client.get("/staff/bills?tagged=yes"))) == {"HF 11"}
    untagged = _labels(_text(client.get("/staff/bills?session=2025-2026&tagged=no")))
    assert "HF 11" not in untagged and "HF 18" in untagged and len(untagged) == 23


def test_pagination_keeps_filters(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    auth.login()
    first = _text(client.get("/staff/bills"))  # 36 bills, 50 per page
    assert "36 bills found" in first and "Next page" not in first
    from tracker.staff import views

    original = views.PER_PAGE
    views.PER_PAGE = 10
    try:
        html = _text(client.get("/staff/bills?chamber=house"))
        assert "18 bills found; page 1 of 2" in html and len(_labels(html)) == 10
        assert "chamber=house&amp;page=2" in html or "page=2&amp;chamber=house" in html
        html = _text(client.get("/staff/bills?chamber=house&page=2"))
        assert len(_labels(html)) == 8 and all(x.startswith("HF") for x in _labels(html))
        assert "18 bills found; page 2 of 2" in html  # the total from the page's own query
        html = _text(client.get("/staff/bills?chamber=house&page=5"))  # past the end
        assert "18 bills found" in html and not _labels(html)  # counted apart
    finally:
        views.PER_PAGE = original


@pytest.mark.parametrize(
    "query",
    [
        "session=1999",
        "chamber=upper",
        "status=law",
        "roll_calls=maybe",
        "tagged=2",
        "page=0",
        "page=x",
    ],
)
def test_bad_filter_values_get_a_message(
    client: FlaskClient, auth: Any, world: dict[str, Any], query: str
) -> None:
    auth.login()
    response = client.get(f"/staff/bills?{query}")
    assert response.status_code == 400
    assert "could not be used" in _text(response)


def test_unknown_bill_is_404(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    auth.login()
    assert client.get("/staff/bills/2025-2026/HF9999").status_code == 404
    assert client.get("/staff/bills/2025-2026/XX1").status_code == 404
    assert client.get("/staff/bills/1999/HF11").status_code == 404
    assert client.get("/staff/bills/2025-2026/hf11").status_code == 200


# ---------------------------------------------------------------- bill page


def test_bill_page_shows_everything(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    card = _card(world)
    auth.login()
    bill = _bill("HF 11")
    html = _text(client.get(HF11))
    assert bill.title in html
    assert f"<dt>Status</dt><dd>{BILL_STATUS_NAMES[bill.status]}</dd>" in html
    chief = next(a for a in bill.authors if a.chief)
    assert f'{chief.person.name} <span class="muted">(House)</span> <strong>— chief author' in html
    assert 'href="/staff/bills/2025-2026/SF13"' in html  # the companion
    own, theirs = _roll_calls(bill), _roll_calls(bill.companion)
    for rc in own + theirs:
        assert f'id="rc-{rc.public_id}"' in html
        assert f"{rc.yeas} yes – {rc.nays} no" in html
    assert "Invented demo vote" in html  # verification note
    assert "H0011A1" in html  # the amendment's id
    # A House scorecard offers to score House roll calls only.
    assert html.count(f'name="scorecard" value="{card.public_id}"') == sum(
        rc.chamber == "house" for rc in own + theirs
    )
    assert "Draft — not public" not in html and "No position yet" in html


def test_unverified_roll_call_shows_the_reason(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    rc = _roll_calls(_bill("HF 11"))[0]
    rc.verified, rc.verification_note = False, "Tally 60-70 but 129 names listed."
    db.session.commit()
    auth.login()
    html = _text(client.get(HF11))
    assert "Not verified</strong>: Tally 60-70 but 129 names listed." in html


def test_suggested_aligned_vote(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    card = _card(world)
    bill = _bill("HF 11")
    scorecards.set_position(bill, "support", "", [], expected_version=None, actor="test")
    db.session.commit()
    auth.login()
    html = _text(client.get(HF11))
    passage = next(rc for rc in _roll_calls(bill) if rc.kind == "passage")
    amendment = next(rc for rc in _roll_calls(bill) if rc.kind == "amendment")
    fid = f"score-{passage.public_id}-{card.public_id}"
    assert f'id="{fid}-yes" checked' in html and f'id="{fid}-no" checked' not in html
    fid = f"score-{amendment.public_id}-{card.public_id}"
    block = html[html.index(f'id="{fid}-yes"') :]
    block = block[: block.index("</fieldset>")]
    assert "checked" not in block
    assert "choose explicitly: procedural motion or amendment" in block


def test_staff_tags_but_cannot_publish_admin_publishes(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login()
    token = csrf_token(client, HF11)
    response = client.post(
        f"{HF11}/position",
        data={
            "csrf_token": token,
            "position": "support",
            "rationale": "Helps families.",
            "issue_areas": "labor, family ,",
            "version": "0",
        },
        follow_redirects=True,
    )
    html = _text(response)
    assert "Saved the position on HF 11" in html
    assert "Draft — not public until an admin publishes." in html
    assert "Publish this position" not in html
    row = db.session.scalar(select(BillPosition))
    assert (row.position, row.issue_areas, row.published_position) == (
        "support",
        ["family", "labor"],
        None,
    )
    response = client.post(
        f"{HF11}/position/publish", data={"csrf_token": token, "version": str(row.version)}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(BillPosition)).published_position is None

    auth.logout()
    auth.login("admin@example.org")
    html = _text(client.get(HF11))
    assert "Publish this position" in html
    token = csrf_token(client, HF11)
    html = _text(
        client.post(
            f"{HF11}/position/publish",
            data={"csrf_token": token, "version": str(row.version)},
            follow_redirects=True,
        )
    )
    assert "Published the position on HF 11" in html and "Draft — not public" not in html
    db.session.expire_all()
    assert db.session.scalar(select(BillPosition)).published_position == "support"
    # The audit trail on the bill page.
    trail = html[html.index('id="audit"') :]
    assert "position.edit" in trail and "position.publish" in trail
    assert "staff@example.org" in trail and "admin@example.org" in trail
    assert "Helps families." in trail


def test_stale_position_edit_is_refused(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login()
    token = csrf_token(client, HF11)
    client.post(
        f"{HF11}/position",
        data={"csrf_token": token, "position": "support", "rationale": "First", "version": "0"},
    )
    # Someone else saves version 1 -> 2 meanwhile.
    client.post(
        f"{HF11}/position",
        data={"csrf_token": token, "position": "oppose", "rationale": "Second", "version": "1"},
    )
    response = client.post(
        f"{HF11}/position",
        data={"csrf_token": token, "position": "none", "rationale": "Stale", "version": "1"},
        follow_redirects=True,
    )
    assert "changed by someone else while you were editing" in _text(response)
    db.session.expire_all()
    row = db.session.scalar(select(BillPosition))
    assert (row.position, row.rationale, row.version) == ("oppose", "Second", 2)


def test_bad_position_values(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    auth.login()
    token = csrf_token(client, HF11)
    html = _text(
        client.post(
            f"{HF11}/position",
            data={"csrf_token": token, "position": "maybe", "version": "0"},
            follow_redirects=True,
        )
    )
    assert "position must be one of support, oppose, none" in html
    html = _text(
        client.post(
            f"{HF11}/position",
            data={"csrf_token": token, "position": "support"},
            follow_redirects=True,
        )
    )
    assert "reload the page" in html
    assert _count(BillPosition) == 0


# ---------------------------------------------------------------- scoring votes


def _score(
    client: FlaskClient, token: str, rc: RollCall, card: Scorecard, page: str = HF11, **fields: str
) -> Any:
    data = {
        "csrf_token": token,
        "roll_call": rc.public_id,
        "scorecard": card.public_id,
        "aligned": "yes",
        "weight": "1",
        "description": "A yes vote helps.",
        **fields,
    }
    return client.post(f"{page}/score", data=data, follow_redirects=True)


@pytest.mark.parametrize("weight", ["0", "11", "1.5", "two", ""])
def test_invalid_weight_changes_nothing(
    client: FlaskClient, auth: Any, world: dict[str, Any], weight: str
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    events = _count(AuditEvent)
    auth.login()
    html = _text(_score(client, csrf_token(client, HF11), rc, card, weight=weight))
    assert "weight must be a whole number from 1 to 10" in html
    assert _count(ScorecardVote) == 0 and _count(AuditEvent) == events


def test_unknown_roll_call_or_other_session_or_no_aligned(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    other = next(r for r in _roll_calls(_bill("HF 11", "2023-2024")) if r.chamber == "house")
    auth.login()
    events = _count(AuditEvent)
    token = csrf_token(client, HF11)
    html = _text(
        client.post(
            f"{HF11}/score",
            data={
                "csrf_token": token,
                "roll_call": "not-a-roll-call",
                "scorecard": card.public_id,
                "aligned": "yes",
                "weight": "1",
            },
            follow_redirects=True,
        )
    )
    assert "That roll call is not in the tracker" in html
    html = _text(_score(client, token, other, card))
    assert "this roll call is from the 2023-2024 session" in html
    html = _text(_score(client, token, rc, card, aligned=""))
    assert "choose the aligned vote: yes or no" in html
    html = _text(
        client.post(
            f"{HF11}/score",
            data={
                "csrf_token": token,
                "roll_call": rc.public_id,
                "scorecard": "nope",
                "aligned": "yes",
                "weight": "1",
            },
            follow_redirects=True,
        )
    )
    assert "That scorecard does not exist" in html
    senate = next(r for r in _roll_calls(_bill("SF 13")) if r.chamber == "senate")
    html = _text(_score(client, token, senate, card))
    assert "does not cover the senate" in html
    assert _count(ScorecardVote) == 0 and _count(AuditEvent) == events


def test_stale_scored_vote_edit_is_refused(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    vote = scorecards.score_roll_call(
        card, rc, aligned="yes", weight=1, description="A", actor="test"
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    page = f"/staff/scorecards/{card.public_id}"
    auth.login()
    token = csrf_token(client, page)
    seen = vote.version
    client.post(
        f"{page}/votes/{vote.id}",
        data={
            "csrf_token": token,
            "version": str(seen),
            "aligned": "no",
            "weight": "2",
            "description": "B",
        },
    )
    html = _text(
        client.post(
            f"{page}/votes/{vote.id}",
            data={
                "csrf_token": token,
                "version": str(seen),
                "aligned": "yes",
                "weight": "3",
                "description": "C",
            },
            follow_redirects=True,
        )
    )
    assert "This scored vote was changed by someone else" in html
    db.session.expire_all()
    vote = db.session.get(ScorecardVote, vote.id)
    assert (vote.aligned, vote.weight, vote.description) == ("no", 2, "B")
    html = _text(
        client.post(
            f"{page}/votes/{vote.id}",
            data={
                "csrf_token": token,
                "version": str(vote.version),
                "aligned": "no",
                "weight": "12",
                "description": "B",
            },
            follow_redirects=True,
        )
    )
    assert "weight must be a whole number" in html
    db.session.expire_all()
    assert db.session.get(ScorecardVote, vote.id).weight == 2


def test_stale_scorecard_settings_edit_is_refused(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    page = f"/staff/scorecards/{card.public_id}"
    auth.login()
    token = csrf_token(client, page)
    form = {
        "csrf_token": token,
        "title": "Renamed",
        "sessions": str(world["session"].id),
        "chambers": "house",
        "absence_policy": "exclude",
        "min_participation_pct": "60",
        "grade_bands": "A=90, B=80",
        "show_sponsorship": "y",
        "version": "1",
    }
    html = _text(client.post(page, data=form, follow_redirects=True))
    assert "Saved the scorecard" in html and "Renamed" in html
    response = client.post(page, data={**form, "title": "Stale", "min_participation_pct": "10"})
    assert response.status_code == 400
    assert "was changed by someone else while you were editing" in _text(response)
    db.session.expire_all()
    card = db.session.get(Scorecard, card.id)
    assert (card.title, card.min_participation_pct, card.version) == ("Renamed", 60, 2)
    assert card.grade_bands == [[90, "A"], [80, "B"]]
    # Bad values: a clear message, nothing changed.
    for bad, message in (
        (("grade_bands", "A=ninety"), "should look like A=90"),
        (("min_participation_pct", "150"), "from 0 to 100"),
        (("absence_policy", "count_unexcused"), "records excused absences"),
        (("chambers", None), "choose the House, the Senate, or both"),
    ):
        data = {**form, "version": "2", bad[0]: bad[1]}
        response = client.post(page, data={k: v for k, v in data.items() if v is not None})
        assert response.status_code == 400 and message in _text(response), bad
    db.session.expire_all()
    assert db.session.get(Scorecard, card.id).version == 2


def test_count_unexcused_offered_only_with_excused_data(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    page = f"/staff/scorecards/{card.public_id}"
    auth.login()
    assert 'value="count_unexcused"' not in _text(client.get(page))
    rc = next(r for r in _roll_calls(_bill("HF 11")) if r.chamber == "house")
    next(v for v in rc.member_votes if v.option == "not_voting").option = "excused"
    db.session.commit()
    # an excused vote alone does not say the chamber records excused absences ...
    assert 'value="count_unexcused"' not in _text(client.get(page))
    # ... what the vote run recorded does (a House Journal roll of the session was read)
    house_journal_read(world["session"], rc.date)
    db.session.commit()
    assert 'value="count_unexcused"' in _text(client.get(page))


# ---------------------------------------------------------------- end to end


def test_end_to_end_tag_score_publish(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login()
    # Create the scorecard in the browser.
    token = csrf_token(client, "/staff/scorecards/new")
    response = client.post(
        "/staff/scorecards/new",
        data={
            "csrf_token": token,
            "title": "2025 House Scorecard",
            "description": "Our votes.",
            "sessions": str(world["session"].id),
            "chambers": "house",
            "absence_policy": "exclude",
            "min_participation_pct": "50",
            "grade_bands": "A=90, B=80, C=70",
            "show_sponsorship": "y",
        },
        follow_redirects=True,
    )
    assert "Created the scorecard" in _text(response)
    card = db.session.scalar(select(Scorecard))
    page = f"/staff/scorecards/{card.public_id}"
    assert card.grade_bands == [[90, "A"], [80, "B"], [70, "C"]]

    # Tag a bill, then score two roll calls: its passage and an amendment (weight 2).
    token = csrf_token(client, HF11)
    client.post(
        f"{HF11}/position",
        data={"csrf_token": token, "position": "support", "rationale": "Helps.", "version": "0"},
    )
    bill = _bill("HF 11")
    passage = next(rc for rc in _roll_calls(bill) if rc.kind == "passage")
    amendment = next(rc for rc in _roll_calls(bill) if rc.kind == "amendment")
    assert all(e == 0 for _, e in _score_rows(card.id).values())
    html = _text(_score(client, token, passage, card, description="A yes vote passes it."))
    assert "its draft scores are updated" in html
    first = _score_rows(card.id)
    assert first and all(e <= 1 for _, e in first.values())
    html = _text(client.get(page))
    assert "A yes vote passes it." in html
    _score(
        client,
        token,
        amendment,
        card,
        aligned="no",
        weight="2",
        description="A no vote keeps the bill whole.",
    )
    second = _score_rows(card.id)
    assert second != first and any(e == 3 for _, e in second.values())
    html = _text(client.get(HF11))
    roll_calls = html[: html.index('id="audit"')]
    assert (
        roll_calls.count(f'href="/staff/scorecards/{card.public_id}">2025 House Scorecard</a>') == 2
    )
    assert "(key vote)" in html
    trail = html[html.index('id="audit"') :]
    assert "scored_vote.add" in trail and "position.edit" in trail

    # Scores shown on the scorecard page equal the stored exact scores, rounded half up.
    html = _text(client.get(page))
    db.session.expire_all()
    rows = db.session.scalars(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == 0,
            LegislatorScoreRow.has_score.is_(True),
        )
    ).all()
    from fractions import Fraction

    from tracker.scoring import display_score

    for row in rows:
        shown = display_score(Fraction(100 * row.aligned_weight, row.eligible_weight))
        assert f'<th scope="row">{row.person.name}</th>' in html
        assert f'<td class="score">{shown}</td>' in html
    assert "scorecard.create" in html[html.index('id="audit"') :]

    # Staff cannot publish; the admin can.
    assert "Only admins publish scorecards" in html
    assert (
        client.post(
            f"{page}/publish", data={"csrf_token": token, "version": "1", "note": ""}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login("admin@example.org")
    token = csrf_token(client, page)
    html = _text(
        client.post(
            f"{page}/publish",
            data={"csrf_token": token, "version": str(card.version), "note": "First edition"},
            follow_redirects=True,
        )
    )
    assert "Published version 1" in html and "First edition" in html
    assert _count(ScorecardVersion) == 1
    response = client.get(f"/scorecards/{card.public_id}/methodology")
    assert response.status_code == 200
    text = _text(response)
    assert "A yes vote passes it." in text and "A no vote keeps the bill whole." in text
    assert "scorecard.publish" in _text(client.get(page))


def test_publish_refusals_are_shown(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    card = _card(world)
    page = f"/staff/scorecards/{card.public_id}"
    auth.login("admin@example.org")
    token = csrf_token(client, page)
    html = _text(
        client.post(
            f"{page}/publish",
            data={"csrf_token": token, "version": "1", "note": ""},
            follow_redirects=True,
        )
    )
    assert "Not published: a scorecard with no scored votes cannot be published" in html
    rc = _roll_calls(_bill("HF 11"))[0]
    rc.verified = False
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    db.session.commit()
    html = _text(
        client.post(
            f"{page}/publish",
            data={"csrf_token": token, "version": str(card.version), "note": ""},
            follow_redirects=True,
        )
    )
    assert "scored roll call(s) are not verified" in html
    html = _text(
        client.post(
            f"{page}/publish",
            data={"csrf_token": token, "version": "0", "note": ""},
            follow_redirects=True,
        )
    )
    assert "changed by someone else" in html
    assert _count(ScorecardVersion) == 0


def test_remove_scored_vote_keeps_the_row(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    vote = scorecards.score_roll_call(
        card, rc, aligned="yes", weight=1, description="A", actor="test"
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    assert _score_rows(card.id)
    page = f"/staff/scorecards/{card.public_id}"
    auth.login()
    html = _text(
        client.post(
            f"{page}/votes/{vote.id}",
            data={
                "csrf_token": csrf_token(client, page),
                "action": "remove",
                "version": str(vote.version),
            },
            follow_redirects=True,
        )
    )
    assert "Removed the vote from the draft" in html and "No votes scored yet" in html
    assert "scored_vote.remove" in html
    db.session.expire_all()
    assert db.session.get(ScorecardVote, vote.id).active is False
    assert all(e == 0 for _, e in _score_rows(card.id).values())


def test_scorecard_list(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
    card = _card(world)
    auth.login()
    html = _text(client.get("/staff/scorecards"))
    assert "2025 House Scorecard" in html and "Draft — never published" in html
    rc = _roll_calls(_bill("HF 11"))[0]
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    scorecards.publish(card, expected_version=None, note="", actor="test")
    db.session.commit()
    html = _text(client.get("/staff/scorecards"))
    assert "Published: version 1" in html
    assert f"/scorecards/{card.public_id}/methodology" in html
    assert client.get("/staff/scorecards/no-such-card").status_code == 404


# ---------------------------------------------------------------- the scorecard builder


def _publish_position(label: str, position: str = "support") -> Bill:
    bill = _bill(label)
    scorecards.set_position(bill, position, "", [], expected_version=None, actor="test")
    scorecards.publish_position(bill, expected_version=None, actor="test")
    db.session.commit()
    return bill


def _version_on(html: str, action: str) -> str:
    form = html[html.index(f'action="{action}') :]
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def _statements(client: FlaskClient, path: str) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_builder_lists_candidates_with_their_suggestion(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    bill = _publish_position("HF 11")
    passage = next(rc for rc in _roll_calls(bill) if rc.kind == "passage")
    amendment = next(rc for rc in _roll_calls(bill) if rc.kind == "amendment")
    page = f"/staff/scorecards/{card.public_id}/builder"
    assert client.get(page).status_code == 302  # signed in only
    auth.login()
    html = _text(client.get(page))
    house = db.session.scalar(
        select(func.count())
        .select_from(RollCall)
        .join(Bill)
        .where(
            Bill.session_id == world["session"].id,
            RollCall.chamber == "house",
            RollCall.kind != "committee",
        )
    )  # floor votes unless committee votes are chosen
    assert f"{house} roll calls match" in html
    row = html[html.index(f'id="rc-{passage.public_id}"') :]
    row = row[: row.index("</li>")]
    assert "HF 11" in row and bill.title[:40] in row
    assert f"{passage.yeas} yes – {passage.nays} no" in row
    assert "Support" in row and '<option value="yes" selected>Yes (suggested)</option>' in row
    assert "Suggested from our support position and the motion." in row
    row = html[html.index(f'id="rc-{amendment.public_id}"') :]
    row = row[: row.index("</li>")]
    assert '<option value="">Choose…</option>' in row and "selected" not in row
    assert "No suggestion for an amendment or procedural motion" in row
    # Filters: the kind of motion, the position, and a bad value gets a message.
    html = _text(client.get(page + "?kind=amendment"))
    assert amendment.public_id in html and passage.public_id not in html
    html = _text(client.get(page + "?position=oppose"))
    assert "No roll call matches these filters." in html
    response = client.get(page + "?chamber=senate&kind=vote")
    assert response.status_code == 400
    assert "Choose a chamber this scorecard covers." in _text(response)
    assert "Unknown kind of motion &#39;vote&#39;" in _text(response)
    # The page's queries do not grow with its rows.
    assert _statements(client, page + "?kind=amendment") == _statements(client, page)


def test_builder_adds_selected_votes_in_one_step(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    bill = _publish_position("HF 11")
    passage = next(rc for rc in _roll_calls(bill) if rc.kind == "passage")
    amendment = next(rc for rc in _roll_calls(bill) if rc.kind == "amendment")
    page = f"/staff/scorecards/{card.public_id}/builder"
    auth.login()
    html = _text(client.get(page + "?position=support"))
    action = f"{page}?position=support"
    version = _version_on(html, action)
    token = csrf_token(client, page)
    # A checked row without an aligned vote: nothing at all is added.
    response = client.post(
        action,
        data={
            "csrf_token": token,
            "version": version,
            "roll_call": [passage.public_id, amendment.public_id],
            f"aligned-{passage.public_id}": "yes",
            f"aligned-{amendment.public_id}": "",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(action)
    html = _text(client.get(response.headers["Location"]))
    assert (
        f"Nothing was added: choose the aligned vote (yes or no) for HF 11 (House, "
        f"{amendment.date.isoformat()})"
    ) in html
    assert _count(ScorecardVote) == 0
    # Both, with the amendment's aligned vote chosen.
    html = _text(
        client.post(
            action,
            data={
                "csrf_token": token,
                "version": version,
                "roll_call": [passage.public_id, amendment.public_id],
                f"aligned-{passage.public_id}": "yes",
                f"aligned-{amendment.public_id}": "no",
            },
            follow_redirects=True,
        )
    )
    assert "Added 2 votes to &#39;2025 House Scorecard&#39;" in html
    votes = {
        v.roll_call_id: (v.aligned, v.weight, v.active)
        for v in db.session.scalars(select(ScorecardVote))
    }
    assert votes == {passage.id: ("yes", 1, True), amendment.id: ("no", 1, True)}
    assert any(e > 0 for _, e in _score_rows(card.id).values())  # draft scores recomputed
    assert passage.public_id not in html  # the default lists votes not yet scored
    html = _text(client.get(page + "?scored=yes"))
    assert html.count("<strong>Already scored</strong>") == 2
    assert "aligned vote no, weight 1" in html
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "scorecard").order_by(AuditEvent.id)
        )
    ]
    assert actions == ["scorecard.create", "scored_vote.add", "scored_vote.add"]
    # The same form again is stale: the scorecard changed since it was loaded.
    html = _text(
        client.post(
            action,
            data={
                "csrf_token": token,
                "version": version,
                "roll_call": [passage.public_id],
                f"aligned-{passage.public_id}": "yes",
            },
            follow_redirects=True,
        )
    )
    assert (
        "Nothing was added: The scorecard &#39;2025 House Scorecard&#39; was changed by "
        "someone else" in html
    )
    assert _count(ScorecardVote) == 2


def test_builder_needs_csrf_and_a_version(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    rc = _roll_calls(_bill("HF 11"))[0]
    page = f"/staff/scorecards/{card.public_id}/builder"
    auth.login()
    data = {"roll_call": rc.public_id, f"aligned-{rc.public_id}": "yes"}
    assert client.post(page, data={**data, "version": "1"}).status_code == 400  # no token
    html = _text(
        client.post(
            page, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=True
        )
    )
    assert "did not say which version" in html and _count(ScorecardVote) == 0


# ---------------------------------------------------------------- publishing, confirmed first


def _published_card(world: dict[str, Any]) -> tuple[Scorecard, list[ScorecardVote]]:
    card = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="2025 House Scorecard",
            description="",
            session_ids=[world["session"].id],
            chambers=["house"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[(90, "A"), (80, "B"), (0, "F")],
            show_sponsorship=True,
        ),
        actor="test",
    )
    calls = list(
        db.session.scalars(
            select(RollCall)
            .join(Bill)
            .where(
                Bill.session_id == world["session"].id,
                RollCall.chamber == "house",
                RollCall.kind == "passage",
            )
            .order_by(RollCall.date, RollCall.id)
            .limit(3)
        )
    )
    votes = [
        scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
        for rc in calls
    ]
    scorecards.recompute_draft(card)
    scorecards.publish(card, expected_version=None, note="First", actor="test")
    db.session.commit()
    return card, votes


def test_publish_confirmation_lists_what_changes(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    from tracker import snapshots

    card, votes = _published_card(world)
    scorecards.edit_scored_vote(
        votes[0],
        aligned="no",
        weight=2,
        description="Now a key vote.",
        expected_version=votes[0].version,
        actor="test",
    )
    scorecards.recompute_draft(card)
    db.session.commit()
    page = f"/staff/scorecards/{card.public_id}/publish"
    auth.login("admin@example.org")
    assert "Review the changes and publish version 2" in _text(
        client.get(f"/staff/scorecards/{card.public_id}")
    )
    html = _text(client.get(page))
    assert "Publish version 2 of “2025 House Scorecard”?" in html
    assert "What changes against version 1" in html
    assert "0 added, 0 removed, 1 changed, 2 unchanged; 3 in all." in html
    assert "aligned vote: yes → no" in html and "weight: 1 → 2 (now a key vote)" in html
    assert "description: “—” → “Now a key vote.”" in html
    assert "No change to the title, description or methodology." in html
    old, new = snapshots.published(card.public_id), snapshots.draft(card)
    changed = [
        r
        for r in new.rows
        if (r.display, r.grade) != (old.row(r.person.id).display, old.row(r.person.id).grade)
    ]
    assert changed
    assert (
        f"<strong>{len(changed)}</strong> legislators whose displayed score or grade "
        f"changes; <strong>{len(new.rows) - len(changed)}</strong> unchanged."
    ) in html
    for row in changed:
        was = old.row(row.person.id)
        shown = [
            f"{r.display} ({r.grade})" if r.display is not None else "not enough votes"
            for r in (was, row)
        ]
        cells = html[html.index(f'<th scope="row">{row.person.name} ') :]
        cells = cells[: cells.index("</tr>")]
        assert f"<td>{shown[0]}</td>" in cells and f"<td><strong>{shown[1]}</strong></td>" in cells
    # The only published scorecard is everyone's headline until an admin features one.
    assert (
        f"No scorecard is featured for them, so {len(new.rows)} legislators take their "
        "headline from this one"
    ) in html
    assert f"changes the headline of the <strong>{len(changed)}</strong> of them" in html
    assert 'href="/admin/featured"' in html
    # The button posts to the publish route with the version the page was built from.
    assert _version_on(html, f"/staff/scorecards/{card.public_id}/publish") == str(card.version)
    html = _text(
        client.post(
            page,
            data={
                "csrf_token": csrf_token(client, page),
                "version": str(card.version),
                "note": "Reweighted HF vote.",
            },
            follow_redirects=True,
        )
    )
    assert "Published version 2 of &#39;2025 House Scorecard&#39;." in html
    assert "Reweighted HF vote." in html
    assert _count(ScorecardVersion) == 2


def test_publish_confirmation_names_the_headline_effect(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    from tracker import headline

    _published_card(world)  # the oldest published scorecard: everyone's headline by default
    newer = _card(world, "A newer scorecard")
    vote = scorecards.score_roll_call(
        newer, _roll_calls(_bill("HF 11"))[0], aligned="yes", weight=1, description="", actor="test"
    )
    scorecards.recompute_draft(newer)
    scorecards.publish(newer, expected_version=None, note="", actor="test")
    scorecards.edit_scored_vote(
        vote, aligned="no", weight=1, description="", expected_version=vote.version, actor="test"
    )
    scorecards.recompute_draft(newer)
    db.session.commit()
    page = f"/staff/scorecards/{newer.public_id}/publish"
    auth.login("admin@example.org")
    html = _text(client.get(page))
    changing = html.count("<td><strong>")
    assert changing > 0
    assert "Publishing does not change anyone's headline score" in html
    assert 'only if an admin features this scorecard at <a href="/admin/featured">' in html
    headline.feature("all", newer, expected_version=None, actor="test")
    db.session.commit()
    html = _text(client.get(page))
    assert "An admin features this scorecard (every chamber)" in html
    assert f"so publishing changes the headline of the <strong>{changing}</strong>" in html


def test_publish_confirmation_for_staff_refusals_and_stale_pages(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    page = f"/staff/scorecards/{card.public_id}/publish"
    auth.login()
    html = _text(client.get(page))
    assert "Only admins publish scorecards." in html and 'name="note"' not in html
    auth.logout()
    auth.login("admin@example.org")
    html = _text(client.get(page))
    assert (
        "This draft cannot be published yet:</strong> a scorecard with no scored votes "
        "cannot be published." in html
    )
    assert "Publish version 1</button>" not in html
    rc = _roll_calls(_bill("HF 11"))[0]
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    scorecards.recompute_draft(card)
    db.session.commit()
    html = _text(client.get(page))
    assert "This would be the first published version" in html
    assert "Publish version 1</button>" in html
    seen = _version_on(html, page)
    # Someone scores another vote after the page was loaded: the publish is refused and
    # the browser is back on the confirmation, which now lists both votes.
    other = _roll_calls(_bill("HF 11"))[1]
    scorecards.score_roll_call(card, other, aligned="yes", weight=1, description="", actor="test")
    scorecards.recompute_draft(card)
    db.session.commit()
    response = client.post(
        page, data={"csrf_token": csrf_token(client, page), "version": seen, "note": ""}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    html = _text(client.get(page))
    assert (
        "Not published: The scorecard &#39;2025 House Scorecard&#39; was changed by "
        "someone else" in html
    )
    assert "2 votes will be published" in html
    assert _count(ScorecardVersion) == 0


# ---------------------------------------------------------------- the rationale and the audit


def test_staff_bill_page_keeps_rationale_paragraphs_and_links(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    scorecards.set_position(
        _bill("HF 11"),
        "support",
        "First paragraph.\n\nSee https://example.org/fiscal-note now.\nSecond line, café.",
        [],
        expected_version=None,
        actor="test",
    )
    db.session.commit()
    auth.login()
    html = _text(client.get(HF11))
    shown = html[html.index('<div class="rationale">') :]
    shown = shown[: shown.index("</div>")]
    assert re.search(r"<p>\s*First paragraph\.\s*</p>", shown)
    assert 'href="https://example.org/fiscal-note"' in shown
    assert re.search(r"now\.\s*<br>\s*Second line, café\.", shown)


def test_audit_trails_read_as_changes_with_names(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    card = _card(world)
    bill = _bill("HF 11")
    rc = next(r for r in _roll_calls(bill) if r.kind == "passage")
    scorecards.set_position(
        bill,
        "support",
        "Helps renters in Détroit Lakes.",
        ["housing"],
        expected_version=None,
        actor="test",
    )
    row = scorecards.set_position(
        bill,
        "oppose",
        "Hurts renters in Détroit Lakes.",
        ["housing", "labor"],
        expected_version=None,
        actor="test",
    )
    vote = scorecards.score_roll_call(
        card, rc, aligned="yes", weight=1, description="", actor="test"
    )
    scorecards.edit_scored_vote(
        vote,
        aligned="no",
        weight=2,
        description="Key: a no vote.",
        expected_version=vote.version,
        actor="test",
    )
    db.session.commit()
    auth.login()
    html = _text(client.get(HF11))
    trail = html[html.index('id="audit"') :]
    assert "\\u00e9" not in trail and "{&#34;" not in trail and "&#34;:" not in trail
    assert "Edited the draft position" in trail
    assert "<strong>position</strong>: support → oppose" in trail
    assert (
        "<strong>rationale</strong>: Helps renters in Détroit Lakes. → Hurts renters in "
        "Détroit Lakes."
    ) in trail
    assert "<strong>issue areas</strong>: housing → housing, labor" in trail
    assert "Edited a scored vote" in trail
    assert f'href="/staff/scorecards/{card.public_id}">2025 House Scorecard</a>' in trail
    assert f"HF 11, House, {rc.date.isoformat()}" in trail  # the roll call, named
    assert rc.public_id not in trail and f"{bill.id})" not in trail
    assert "<strong>aligned vote</strong>: yes → no" in trail
    assert "<strong>weight</strong>: 1 → 2" in trail
    assert row.version == 2
    html = _text(client.get(f"/staff/scorecards/{card.public_id}"))
    trail = html[html.index('id="audit"') :]
    assert (
        "Created the scorecard" in trail and "<strong>title</strong>: 2025 House Scorecard" in trail
    )
    assert "<strong>absence policy</strong>: Leave absences out (default)" in trail


def test_a_rationale_in_other_languages_is_shown_to_members_who_read_them(
    client: FlaskClient, auth: Any, world: dict[str, Any]
) -> None:
    auth.login("admin@example.org")
    token = csrf_token(client, HF11)
    html = _text(client.get(HF11))
    assert 'name="rationale__es"' in html and 'name="rationale__so"' in html
    client.post(
        f"{HF11}/position",
        data={
            "csrf_token": token,
            "position": "support",
            "rationale": "Helps families.",
            "rationale__es": "  Ayuda a las familias.  ",
            "rationale__so": "",
            "version": "0",
        },
    )
    row = db.session.scalar(select(BillPosition))
    assert row.translations == {"es": {"rationale": "Ayuda a las familias."}}
    client.post(f"{HF11}/position/publish", data={"csrf_token": token, "version": str(row.version)})
    auth.logout()
    public = "/bills/2025-2026/hf11"
    assert "Ayuda a las familias." in _text(client.get(public + "?lang=es"))
    english = _text(client.get(public + "?lang=en"))
    assert "Helps families." in english and "Ayuda" not in english
    # no Somali text given: the English, never an empty rationale
    assert "Helps families." in _text(client.get(public + "?lang=so"))
    # a form without the panel (an older page) keeps the translations it had
    auth.login("admin@example.org")
    db.session.expire_all()
    row = db.session.scalar(select(BillPosition))
    client.post(
        f"{HF11}/position",
        data={
            "csrf_token": csrf_token(client, HF11),
            "position": "support",
            "rationale": "Helps working families.",
            "version": str(row.version),
        },
    )
    db.session.expire_all()
    row = db.session.scalar(select(BillPosition))
    assert (row.rationale, row.translations) == (
        "Helps working families.",
        {"es": {"rationale": "Ayuda a las familias."}},
    )
