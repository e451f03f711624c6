"""Published scorecards, scores and positions in the public API, on the demo.

The demo publishes one scorecard per session; ``world`` adds a second
published version with another methodology, and staff drafts that must never
reach the API: a draft-only scorecard, an edited draft of a published one,
draft positions and the draft (``version_number`` 0) score rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from scrapers.vocab import party_group
from tracker import benchdata, scorecards, snapshots
from tracker.extensions import db
from tracker.models import Bill, LegislatorScoreRow, Person, RollCall, Scorecard
from tracker.scoring import (
    LegislatorScore,
    Methodology,
    ScoredVote,
    display_score,
    medians,
    score_legislator,
)

SECRET = "SECRET-DRAFT"


def _settings(card: Scorecard, **changes: Any) -> scorecards.ScorecardSettings:
    values: dict[str, Any] = {
        "title": card.title,
        "description": card.description,
        "session_ids": [s.id for s in card.sessions],
        "chambers": list(card.chambers),
        "absence_policy": card.absence_policy,
        "min_participation_pct": card.min_participation_pct,
        "grade_bands": [tuple(b) for b in card.grade_bands],
        "show_sponsorship": card.show_sponsorship,
    }
    values.update(changes)
    return scorecards.ScorecardSettings(**values)


def build_world() -> dict[str, Any]:
    """The demo (already loaded), a second published version of one card, and drafts
    everywhere."""
    cards = list(db.session.scalars(select(Scorecard).order_by(Scorecard.id)))
    first, second = cards
    # Version 2 of the first card: count every absence, demand high participation.
    scorecards.update_scorecard(
        first,
        _settings(first, absence_policy="count_all", min_participation_pct=95),
        expected_version=None,
        actor="test",
    )
    row = next(v for v in first.votes if v.active)
    scorecards.edit_scored_vote(
        row,
        aligned=row.aligned,
        weight=3,
        description=row.description,
        expected_version=None,
        actor="test",
    )
    scorecards.publish(first, expected_version=None, note="Second edition.", actor="test")

    # Drafts of published cards: edited but not published.
    scorecards.update_scorecard(
        second,
        _settings(second, title=f"{SECRET} renamed", min_participation_pct=0),
        expected_version=None,
        actor="test",
    )
    for vote in [v for v in second.votes if v.active][:3]:
        scorecards.edit_scored_vote(
            vote,
            aligned="no" if vote.aligned == "yes" else "yes",
            weight=10,
            description=f"{SECRET} description",
            expected_version=None,
            actor="test",
        )
    scorecards.recompute_draft(first)
    scorecards.recompute_draft(second)

    # A scorecard that was never published.
    session = second.sessions[0]
    draft_card = scorecards.create_scorecard(
        _settings(second, title=f"{SECRET} only", min_participation_pct=50), actor="test"
    )
    roll_call = db.session.scalars(
        select(RollCall).join(Bill).where(Bill.session_id == session.id).order_by(RollCall.id)
    ).first()
    assert roll_call is not None
    scorecards.score_roll_call(
        draft_card, roll_call, aligned="yes", weight=4, description=f"{SECRET} vote", actor="test"
    )
    scorecards.recompute_draft(draft_card)

    # Draft positions: an unpublished edit of a published one, and a never-published one.
    tagged = roll_call.bill
    published = scorecards.position_for(tagged)
    assert published is not None and published.published_position is not None
    flipped = "oppose" if published.published_position == "support" else "support"
    scorecards.set_position(
        tagged,
        flipped,
        f"{SECRET} rationale",
        [f"{SECRET} area"],
        expected_version=None,
        actor="test",
    )
    fresh = Bill(session=session, bill_type="HF", number=9999, title="Untagged till now")
    db.session.add(fresh)
    db.session.flush()
    scorecards.set_position(
        fresh, "support", f"{SECRET} fresh", [], expected_version=None, actor="test"
    )
    db.session.commit()
    return {
        "cards": [first.public_id, second.public_id],
        "draft_card": draft_card.public_id,
        "tagged": (session.identifier, tagged.key, published.published_position),
        "fresh": (session.identifier, fresh.key),
    }


@pytest.fixture(autouse=True)
def fresh_snapshots() -> Iterator[None]:
    """Snapshots are cached per process by version id and data version; tests roll
    both back, so another test's (or another database's) snapshot could answer."""
    snapshots.clear()
    yield
    snapshots.clear()


@pytest.fixture
def world(app: Flask, demo_full: None) -> dict[str, Any]:
    return build_world()


def get(client: FlaskClient, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, (path, response.get_data(as_text=True)[:300])
    assert response.is_json
    return response.get_json()


def every_document(client: FlaskClient, world: dict[str, Any]) -> list[Any]:
    docs = [get(client, "/api/v1/"), get(client, "/api/v1/scorecards")]
    for public_id in world["cards"]:
        card = get(client, f"/api/v1/scorecards/{public_id}")
        docs.append(card)
        docs += [
            get(client, f"/api/v1/scorecards/{public_id}?version={c['version']}")
            for c in card["corrections"]
        ]
    people = get(client, "/api/v1/legislators?per_page=200")
    docs.append(people)
    docs += [get(client, f"/api/v1/legislators/{p['id']}") for p in people["items"]]
    bills = get(client, "/api/v1/bills?per_page=200")
    docs.append(bills)
    docs += [get(client, b["url"]) for b in bills["items"]]
    docs += [
        get(client, "/api/v1/bills?tagged=true&per_page=200"),
        get(client, "/api/v1/bills?tagged=false&per_page=200"),
    ]
    return docs


# ------------------------------------------------------------------ drafts


def test_drafts_never_leak(client: FlaskClient, world: dict[str, Any]) -> None:
    text = json.dumps(every_document(client, world))
    assert SECRET not in text
    assert world["draft_card"] not in text
    get(client, f"/api/v1/scorecards/{world['draft_card']}", 404)

    listed = get(client, "/api/v1/scorecards")
    assert sorted(c["id"] for c in listed["items"]) == sorted(world["cards"])

    session, key, published = world["tagged"]
    bill = get(client, f"/api/v1/bills/{session}/{key}")
    assert bill["position"]["position"] == published  # not the flipped draft
    assert SECRET not in bill["position"]["rationale"]

    session, key = world["fresh"]
    assert get(client, f"/api/v1/bills/{session}/{key}")["position"] is None
    tagged = {b["key"] for b in get(client, "/api/v1/bills?tagged=true&per_page=200")["items"]}
    untagged = {b["key"] for b in get(client, "/api/v1/bills?tagged=false&per_page=200")["items"]}
    assert key not in tagged and key in untagged


def test_draft_score_rows_are_not_served(client: FlaskClient, world: dict[str, Any]) -> None:
    """The second card's draft was edited (weights, aligned votes, participation):
    its version-0 rows differ from the published ones, and only the latter show."""
    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == world["cards"][1]))
    assert card is not None

    def rows(number: int) -> dict[str, Fraction | None]:
        found = db.session.scalars(
            select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == card.id,
                LegislatorScoreRow.version_number == number,
            )
        )
        return {
            r.person.public_id: (
                Fraction(100 * r.aligned_weight, r.eligible_weight) if r.has_score else None
            )
            for r in found
        }

    draft, published = rows(scorecards.DRAFT), rows(1)
    assert draft and draft != published
    doc = get(client, f"/api/v1/scorecards/{world['cards'][1]}")
    served = {leg["id"]: leg["score"] for leg in doc["legislators"]}
    assert served == {pid: (float(s) if s is not None else None) for pid, s in published.items()}
    for pid, score in draft.items():
        person = get(client, f"/api/v1/legislators/{pid}")
        mine = [s for s in person["scores"] if s["scorecard"]["id"] == world["cards"][1]]
        assert mine[0]["score"] == served[pid]
        if score != published[pid]:
            assert mine[0]["score"] != (float(score) if score is not None else None)


# ------------------------------------------------------------------ recomputation


def methodology_of(doc: dict[str, Any]) -> Methodology:
    """The scoring methodology, from a document's ``methodology`` alone."""
    method = doc["methodology"]
    minimum = Fraction(method["min_participation_pct"], 100)
    assert float(minimum) == method["min_participation"]
    assert method["rounding"] == "half up"
    return Methodology(
        absence_policy=method["absence_policy"],
        min_participation=minimum,
        grade_bands=tuple((b["min_score"], b["grade"]) for b in method["grade_bands"]),
    )


def recompute(
    doc: dict[str, Any], votes: list[dict[str, Any]], result: dict[str, Any]
) -> LegislatorScore:
    """A legislator's result recomputed by ``tracker.scoring`` from a document alone:
    its methodology, the scored votes (key, aligned vote, weight) and their votes."""
    scored = [ScoredVote(v["key"], v["aligned_vote"], v["weight"]) for v in votes]
    return score_legislator("x", result["votes"], scored, methodology_of(doc))


def assert_recomputes(
    doc: dict[str, Any], votes: list[dict[str, Any]], result: dict[str, Any]
) -> LegislatorScore:
    expected = recompute(doc, votes, result)
    assert result["score"] == (float(expected.score) if expected.score is not None else None)
    assert result["score_display"] == display_score(expected.score)
    assert (result["aligned_weight"], result["eligible_weight"]) == (
        expected.aligned_weight,
        expected.eligible_weight,
    )
    assert result["participation"] == (
        float(expected.participation) if expected.participation is not None else None
    )
    assert result["grade"] == expected.grade
    assert result["attendance"] == {
        "cast": expected.votes_cast,
        "possible": expected.votes_possible,
        "excused": expected.excused,
        "not_voting": expected.not_voting,
        "rate": float(expected.attendance) if expected.attendance is not None else None,
    }
    return expected


def test_every_score_recomputes_from_the_document(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    checked = nulls = 0
    policies = set()
    for public_id in world["cards"]:
        latest = get(client, f"/api/v1/scorecards/{public_id}")
        for number in range(1, latest["latest_version"] + 1):
            doc = get(client, f"/api/v1/scorecards/{public_id}?version={number}")
            assert doc["version"] == number
            policies.add(doc["methodology"]["absence_policy"])
            keys = [v["key"] for v in doc["votes"]]
            assert len(set(keys)) == len(keys)
            assert all(v["key"] == v["roll_call_id"][:8] for v in doc["votes"])
            exact: dict[str, Fraction | None] = {}
            for legislator in doc["legislators"]:
                assert set(legislator["votes"]) <= set(keys)
                assert "not_seated" not in legislator["votes"].values()  # missing = not seated
                expected = assert_recomputes(doc, doc["votes"], legislator)
                nulls += expected.score is None
                exact[legislator["id"]] = expected.score
                checked += 1
            # the medians too, grouped by chamber and by party (no party: "none")
            legislators = doc["legislators"]
            by_chamber = medians(exact, {leg["id"]: leg["chamber"] for leg in legislators})
            by_party = medians(exact, {leg["id"]: party_group(leg["party"]) for leg in legislators})
            assert doc["medians"]["chamber"] == {
                k: {"score": float(m) if m is not None else None, "score_display": display_score(m)}
                for k, m in by_chamber.items()
            }
            assert {k: v["score"] for k, v in doc["medians"]["party"].items()} == {
                k: float(m) if m is not None else None for k, m in by_party.items()
            }
    assert checked > 60 and nulls > 0 and policies == {"exclude", "count_all"}


def test_the_document_is_compact(client: FlaskClient, world: dict[str, Any]) -> None:
    """Roll-call facts appear once, in ``votes``; a legislator carries only key -> option."""
    doc = get(client, f"/api/v1/scorecards/{world['cards'][1]}")
    facts = {"bill", "motion", "date", "source_url", "description"}
    assert all(facts <= set(v) for v in doc["votes"])
    for legislator in doc["legislators"]:
        assert not facts & set(legislator)
        assert all(isinstance(o, str) for o in legislator["votes"].values())
    house = next(leg for leg in doc["legislators"] if leg["chamber"] == "house")
    senate_votes = {v["key"] for v in doc["votes"] if v["chamber"] == "senate"}
    assert senate_votes and not senate_votes & set(house["votes"])  # never seated there
    text = json.dumps(doc)
    for vote in doc["votes"]:
        assert text.count(vote["roll_call_id"]) == 1


def test_scorecard_document_fields(client: FlaskClient, world: dict[str, Any]) -> None:
    first = world["cards"][0]
    doc = get(client, f"/api/v1/scorecards/{first}")
    assert (doc["id"], doc["version"], doc["latest_version"]) == (first, 2, 2)
    assert doc["methodology"]["absence_policy"] == "count_all"
    assert doc["methodology"]["min_participation"] == 0.95
    assert doc["methodology"]["grade_bands"][0] == {"min_score": 90, "grade": "A"}
    assert set(doc["methodology"]["excused_recorded"]) == {"house", "senate"}
    assert [c["version"] for c in doc["corrections"]] == [1, 2]
    assert any("absence policy" in line for line in doc["corrections"][1]["changes"])
    assert any(v["weight"] == 3 and v["key_vote"] for v in doc["votes"])
    assert all(v["aligned_vote"] in ("yes", "no") for v in doc["votes"])
    vote = doc["votes"][0]
    bill = get(client, vote["bill_url"])
    assert vote["roll_call_id"] in {r["id"] for r in bill["roll_calls"]}
    legislator = doc["legislators"][0]
    assert set(legislator["attendance"]) == {"cast", "possible", "excused", "not_voting", "rate"}
    assert set(doc["medians"]) == {"chamber", "party", "chamber_party"}
    house = [
        leg["score"]
        for leg in doc["legislators"]
        if leg["chamber"] == "house" and leg["score"] is not None
    ]
    median = doc["medians"]["chamber"]["house"]["score"]
    assert median is not None and min(house) <= median <= max(house)

    # the rows in the snapshot's one order: chamber, district, name
    snap = snapshots.published(first)
    assert snap is not None
    assert [leg["id"] for leg in doc["legislators"]] == [r.person.public_id for r in snap.rows]

    old = get(client, f"/api/v1/scorecards/{first}?version=1")
    assert old["methodology"]["absence_policy"] == "exclude" and old["latest_version"] == 2


def test_legislator_scores_match_the_scorecard(client: FlaskClient, world: dict[str, Any]) -> None:
    doc = get(client, f"/api/v1/scorecards/{world['cards'][1]}")
    same = (
        "chamber",
        "party",
        "district",
        "score",
        "score_display",
        "aligned_weight",
        "eligible_weight",
        "participation",
        "grade",
        "attendance",
        "votes",
    )
    for legislator in doc["legislators"][:6] + doc["legislators"][-3:]:
        person = get(client, f"/api/v1/legislators/{legislator['id']}")
        [entry] = [s for s in person["scores"] if s["scorecard"]["id"] == doc["id"]]
        assert entry["scorecard"]["version"] == doc["version"]
        assert {k: entry[k] for k in same} == {k: legislator[k] for k in same}
        assert entry["methodology"] == doc["methodology"]
        # the scored votes they were seated for, each once, as in the scorecard document
        assert {v["key"] for v in entry["scored_votes"]} == set(entry["votes"])
        assert all(v in doc["votes"] for v in entry["scored_votes"])
        assert_recomputes(entry, entry["scored_votes"], entry)  # from the entry alone
        assert person["lifetime_score"] == legislator["lifetime_score"]
        assert person["lifetime_score_display"] == legislator["lifetime_score_display"]


def test_no_internal_ids(client: FlaskClient, world: dict[str, Any]) -> None:
    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    public = {"amendment_id", "house_member_id", "senate_member_id", "roll_call_id"}
    found = keys(every_document(client, world))
    assert not {k for k in found if k.endswith("_id") and k not in public}
    assert "person_id" not in found and "version_number" not in found


# ------------------------------------------------------------------ bills


def test_bill_search_and_filters(client: FlaskClient, world: dict[str, Any]) -> None:
    session, key, published = world["tagged"]
    bill = get(client, f"/api/v1/bills/{session}/{key}")
    assert bill["position"]["issue_areas"] and bill["position"]["published_at"]
    label = bill["label"]
    for q in (key, label, key.lower(), str(bill["number"])):
        keys = [b["key"] for b in get(client, f"/api/v1/bills?session={session}&q={q}")["items"]]
        assert key in keys
    word = bill["title"].split()[0]
    hits = get(client, f"/api/v1/bills?q={word}&per_page=200")["items"]
    assert hits and all(word.lower() in b["title"].lower() or b["key"] == word for b in hits)
    house = get(client, "/api/v1/bills?chamber=house&per_page=200")["items"]
    assert house and all(b["bill_type"].startswith("H") for b in house)
    status = bill["status"]
    same = get(client, f"/api/v1/bills?status={status}&per_page=200")["items"]
    assert same and all(b["status"] == status for b in same)
    tagged = get(client, f"/api/v1/bills?position={published}&per_page=200")["items"]
    assert key in {b["key"] for b in tagged} and all(b["position"] == published for b in tagged)
    assert get(client, "/api/v1/bills?q=%27%20OR%201%3D1%20--")["items"] == []
    assert get(client, "/api/v1/bills?q=%25")["items"] == []  # LIKE wildcards escaped


BAD_INPUT = [
    ("/api/v1/scorecards/no-such-card", 404),
    ("/api/v1/scorecards/{card}?version=0", 400),
    ("/api/v1/scorecards/{card}?version=abc", 400),
    ("/api/v1/scorecards/{card}?version=-1", 400),
    ("/api/v1/scorecards/{card}?version=99", 404),
    ("/api/v1/scorecards/{card}?version=999999999999999999999999", 400),
    ("/api/v1/scorecards/{card}%00", 400),
    ("/api/v1/bills?per_page=100000", 400),
    ("/api/v1/bills?status=bogus", 400),
    ("/api/v1/bills?tagged=maybe", 400),
    ("/api/v1/bills?position=meh", 400),
    ("/api/v1/bills?chamber=lords", 400),
    ("/api/v1/bills?chamber=House", 400),
    ("/api/v1/bills?q=%00", 400),
    ("/api/v1/bills?q=" + "x" * 201, 400),
    ("/api/v1/legislators/' OR 1=1 --", 404),
    ("/api/v1/bills/2025-2026/'; DROP TABLE bill; --", 404),  # names no bill
]


def test_bad_input_is_json(client: FlaskClient, world: dict[str, Any]) -> None:
    for path, status in BAD_INPUT:
        body = get(client, path.format(card=world["cards"][0]), status)
        assert body["status"] == status and body["message"]


# ------------------------------------------------------------------ HTTP


def test_cors(client: FlaskClient, world: dict[str, Any]) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    for path in (
        "/api/v1/scorecards",
        f"/api/v1/scorecards/{world['cards'][0]}",
        "/api/v1/nothing-here",
    ):
        response = client.get(path, headers=origin)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/api/v1/bills",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_etag_and_last_modified(client: FlaskClient, world: dict[str, Any]) -> None:
    path = f"/api/v1/scorecards/{world['cards'][0]}"
    first = client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert (
        "public" in first.headers["Cache-Control"] and "max-age=" in first.headers["Cache-Control"]
    )
    assert first.headers["Last-Modified"].endswith("GMT")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.headers["ETag"] == etag
    assert client.get(path + "?version=1").headers["ETag"] != etag
    for listing in ("/api/v1/bills", "/api/v1/legislators", "/api/v1/scorecards"):
        response = client.get(listing)
        assert (
            client.get(listing, headers={"If-None-Match": response.headers["ETag"]}).status_code
            == 304
        )
    person = db.session.scalars(select(Person)).first()
    assert person is not None
    response = client.get(f"/api/v1/legislators/{person.public_id}")
    assert "Last-Modified" in response.headers
    missing = client.get("/api/v1/scorecards/nope")
    assert missing.status_code == 404 and "ETag" not in missing.headers


def test_published_list(client: FlaskClient, world: dict[str, Any]) -> None:
    listed = get(client, "/api/v1/scorecards")
    assert listed["total"] == 2
    by_id = {c["id"]: c for c in listed["items"]}
    first = by_id[world["cards"][0]]
    assert first["version"] == 2 and first["chambers"] == ["house", "senate"]
    assert first["sessions"] and first["url"].endswith(f"/api/v1/scorecards/{first['id']}")
    assert not first["title"].startswith(SECRET)
    assert get(client, "/api/v1/")["links"]["scorecards"].endswith("/api/v1/scorecards")


def test_empty_database(client: FlaskClient, app: Flask) -> None:
    assert get(client, "/api/v1/scorecards") == {"items": [], "total": 0}


# ------------------------------------------------------------------ pages, exports, API agree

PAGE_ROW = re.compile(
    r'<th scope="row"><a href="/legislators/([^"/]+)">.*?</th>.*?'
    r'data-score="(\d*)"',
    re.S,
)


def page_scores(client: FlaskClient, card: str, version: int) -> dict[str, int | None]:
    response = client.get(f"/scorecards/{card}?version={version}")
    assert response.status_code == 200
    return {
        pid: int(score) if score else None
        for pid, score in PAGE_ROW.findall(response.get_data(as_text=True))
    }


def csv_scores(client: FlaskClient, card: str, version: int) -> dict[str, int | None]:
    response = client.get(f"/scorecards/{card}/scorecard.csv?version={version}")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return {r["Legislator ID"]: int(r["Score"]) if r["Score"] else None for r in rows}


def assert_pages_exports_and_api_agree(client: FlaskClient) -> int:
    """For every legislator of every published version: the score on the scorecard
    page, in the CSV export and in the API document are the same number."""
    compared = 0
    for card in get(client, "/api/v1/scorecards")["items"]:
        for correction in get(client, card["url"])["corrections"]:
            doc = get(client, correction["url"])
            api = {leg["id"]: leg["score_display"] for leg in doc["legislators"]}
            assert {leg["score_display"] for leg in doc["legislators"]} - {None}, "no scores"
            for leg in doc["legislators"]:
                assert leg["score_display"] == display_score(
                    Fraction(leg["score"]) if leg["score"] is not None else None
                )
            page = page_scores(client, doc["id"], doc["version"])
            export = csv_scores(client, doc["id"], doc["version"])
            assert page == api, doc["title"]
            assert export == api, doc["title"]
            compared += len(api)
    return compared


def published_rows() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(LegislatorScoreRow)
            .where(LegislatorScoreRow.version_number != scorecards.DRAFT)
        )
        or 0
    )


def test_pages_exports_and_api_agree_on_the_demo(
    client: FlaskClient, app: Flask, demo_full: None
) -> None:
    compared = assert_pages_exports_and_api_agree(client)
    assert compared == published_rows() and compared > 50


def test_pages_exports_and_api_agree_on_generated_data(client: FlaskClient, app: Flask) -> None:
    """The smallest generated legislature that has both chambers in each scorecard."""
    benchdata.generate("tiny")
    cards = list(db.session.scalars(select(Scorecard).order_by(Scorecard.id)))
    for card in cards:
        scorecards.publish(card, expected_version=None, note="bench", actor="test")
    db.session.commit()
    for card in cards:
        doc = get(client, f"/api/v1/scorecards/{card.public_id}")
        assert {leg["chamber"] for leg in doc["legislators"]} == {"house", "senate"}
        assert {v["chamber"] for v in doc["votes"]} == {"house", "senate"}
        for legislator in doc["legislators"]:
            assert_recomputes(doc, doc["votes"], legislator)
    assert assert_pages_exports_and_api_agree(client) == published_rows() == 2 * 201


# ------------------------------------------------------------------ compression


def test_gzip_with_its_own_etag_and_304(client: FlaskClient, world: dict[str, Any]) -> None:
    path = f"/api/v1/scorecards/{world['cards'][0]}"
    plain = client.get(path)
    assert "Content-Encoding" not in plain.headers
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["Vary"].lower()
    body = gzip.decompress(zipped.get_data())
    assert body == plain.get_data() and len(zipped.get_data()) * 4 < len(body)
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data())
    assert zipped.headers["Access-Control-Allow-Origin"] == "*"
    # the ETag describes what is sent: strong, and not the identity body's
    etag = zipped.headers["ETag"]
    assert etag.startswith('"') and etag != plain.headers["ETag"]
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    identity = client.get(path, headers={"If-None-Match": plain.headers["ETag"]})
    assert identity.status_code == 304 and identity.headers["ETag"] == plain.headers["ETag"]
    stale = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": '"old"'})
    assert stale.status_code == 200 and gzip.decompress(stale.get_data()) == body
    # pages are compressed too; a small JSON body is not worth it
    page = client.get(f"/scorecards/{world['cards'][0]}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"data-score" in gzip.decompress(page.get_data())
    index = client.get("/api/v1/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in index.headers and index.get_json()["version"] == "v1"


def test_a_republished_vote_shows_at_once_in_both_documents(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    """A snapshot's scored votes are serialised once and kept with it; a publish
    makes a new snapshot, so a new description is served at once, never the kept one."""
    card_id = world["cards"][0]
    before = get(client, f"/api/v1/scorecards/{card_id}")
    for legislator in before["legislators"][:3]:  # their documents keep the old snapshot's
        get(client, f"/api/v1/legislators/{legislator['id']}")
    assert get(client, f"/api/v1/scorecards/{card_id}") == before  # kept: the same document
    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == card_id))
    row = next(v for v in card.votes if v.active)
    scorecards.edit_scored_vote(
        row,
        aligned=row.aligned,
        weight=row.weight,
        description="Described again for the third edition",
        expected_version=None,
        actor="test",
    )
    scorecards.publish(card, expected_version=None, note="Third edition.", actor="test")
    db.session.commit()
    after = get(client, f"/api/v1/scorecards/{card_id}")
    assert after["version"] == before["version"] + 1
    described = [v for v in after["votes"] if v["description"] == row.description]
    assert len(described) == 1
    key = described[0]["key"]
    seated = next(p["id"] for p in after["legislators"] if key in p["votes"])
    person = get(client, f"/api/v1/legislators/{seated}")
    [entry] = [s for s in person["scores"] if s["scorecard"]["id"] == card_id]
    assert entry["scorecard"]["version"] == after["version"]
    assert [v for v in entry["scored_votes"] if v["key"] == key] == [described[0]]
