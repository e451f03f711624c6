"""Published scorecards, scores and positions in the public API, on the demo.

The demo publishes one scorecard per session; ``world`` adds a second
published version with another methodology, and staff drafts that must never
reach the API: a draft-only scorecard, an edited draft of a published one,
draft positions and the draft (``version_number`` 0) score rows.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import scorecards
from tracker.extensions import db
from tracker.models import Bill, LegislatorScoreRow, Person, RollCall, Scorecard
from tracker.scoring import display_score

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
        first, _settings(first, absence_policy="count_all", min_participation_pct=95),
        expected_version=None, actor="test")
    row = next(v for v in first.votes if v.active)
    scorecards.edit_scored_vote(row, aligned=row.aligned, weight=3,
                                description=row.description, expected_version=None,
                                actor="test")
    scorecards.publish(first, expected_version=None, note="Second edition.", actor="test")

    # Drafts of published cards: edited but not published.
    scorecards.update_scorecard(
        second, _settings(second, title=f"{SECRET} renamed", min_participation_pct=0),
        expected_version=None, actor="test")
    for vote in [v for v in second.votes if v.active][:3]:
        scorecards.edit_scored_vote(
            vote, aligned="no" if vote.aligned == "yes" else "yes", weight=10,
            description=f"{SECRET} description", expected_version=None, actor="test")
    scorecards.recompute_draft(first)
    scorecards.recompute_draft(second)

    # A scorecard that was never published.
    session = second.sessions[0]
    draft_card = scorecards.create_scorecard(
        _settings(second, title=f"{SECRET} only", min_participation_pct=50), actor="test")
    roll_call = db.session.scalars(
        select(RollCall).join(Bill).where(Bill.session_id == session.id).order_by(RollCall.id)
    ).first()
    assert roll_call is not None
    scorecards.score_roll_call(draft_card, roll_call, aligned="yes", weight=4,
                               description=f"{SECRET} vote", actor="test")
    scorecards.recompute_draft(draft_card)

    # Draft positions: an unpublished edit of a published one, and a never-published one.
    tagged = roll_call.bill
    published = scorecards.position_for(tagged)
    assert published is not None and published.published_position is not None
    flipped = "oppose" if published.published_position == "support" else "support"
    scorecards.set_position(tagged, flipped, f"{SECRET} rationale", [f"{SECRET} area"],
                            expected_version=None, actor="test")
    fresh = Bill(session=session, bill_type="HF", number=9999, title="Untagged till now")
    db.session.add(fresh)
    db.session.flush()
    scorecards.set_position(fresh, "support", f"{SECRET} fresh", [], expected_version=None,
                            actor="test")
    db.session.commit()
    return {
        "cards": [first.public_id, second.public_id],
        "draft_card": draft_card.public_id,
        "tagged": (session.identifier, tagged.key, published.published_position),
        "fresh": (session.identifier, fresh.key),
    }


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
        docs += [get(client, f"/api/v1/scorecards/{public_id}?version={c['version']}")
                 for c in card["corrections"]]
    people = get(client, "/api/v1/legislators?per_page=200")
    docs.append(people)
    docs += [get(client, f"/api/v1/legislators/{p['id']}") for p in people["items"]]
    bills = get(client, "/api/v1/bills?per_page=200")
    docs.append(bills)
    docs += [get(client, b["url"]) for b in bills["items"]]
    docs += [get(client, "/api/v1/bills?tagged=true&per_page=200"),
             get(client, "/api/v1/bills?tagged=false&per_page=200")]
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
        found = db.session.scalars(select(LegislatorScoreRow).where(
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == number))
        return {r.person.public_id: (Fraction(100 * r.aligned_weight, r.eligible_weight)
                                     if r.has_score else None) for r in found}

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


def recompute(doc: dict[str, Any], legislator: dict[str, Any]) -> Fraction | None:
    """A legislator's score from the scorecard document alone."""
    method = doc["methodology"]
    policy = method["absence_policy"]
    eligible_options = {"exclude": {"yes", "no"},
                        "count_unexcused": {"yes", "no", "not_voting"},
                        "count_all": {"yes", "no", "not_voting", "excused"}}[policy]
    aligned = eligible = cast = possible = 0
    for vote in doc["votes"]:
        option = legislator["votes"][vote["roll_call_id"]]
        weight = vote["weight"]
        if option == "not_seated":
            continue
        possible += weight
        if option in ("yes", "no"):
            cast += weight
        if option in eligible_options:
            eligible += weight
            if option == vote["aligned_vote"]:
                aligned += weight
    minimum = Fraction(method["min_participation_pct"], 100)
    assert float(minimum) == method["min_participation"]
    if not eligible or not possible or Fraction(cast, possible) < minimum:
        return None
    return Fraction(100 * aligned, eligible)


def grade(score: Fraction | None, bands: list[dict[str, Any]]) -> str | None:
    if score is None:
        return None
    return next((b["grade"] for b in bands if score >= b["min_score"]), None)


def test_every_score_recomputes_from_the_document(client: FlaskClient,
                                                  world: dict[str, Any]) -> None:
    checked = nulls = 0
    policies = set()
    for public_id in world["cards"]:
        latest = get(client, f"/api/v1/scorecards/{public_id}")
        for number in range(1, latest["latest_version"] + 1):
            doc = get(client, f"/api/v1/scorecards/{public_id}?version={number}")
            assert doc["version"] == number
            policies.add(doc["methodology"]["absence_policy"])
            assert doc["methodology"]["rounding"] == "half up"
            assert len({v["roll_call_id"] for v in doc["votes"]}) == len(doc["votes"])
            for legislator in doc["legislators"]:
                assert set(legislator["votes"]) == {v["roll_call_id"] for v in doc["votes"]}
                expected = recompute(doc, legislator)
                if expected is None:
                    nulls += 1
                    assert legislator["score"] is None
                    assert legislator["score_display"] is None
                else:
                    assert legislator["score"] == float(expected)
                    assert legislator["score_display"] == display_score(expected)
                    assert Fraction(100 * legislator["aligned_weight"],
                                    legislator["eligible_weight"]) == expected
                assert legislator["grade"] == grade(expected, doc["methodology"]["grade_bands"])
                checked += 1
    assert checked > 60 and nulls > 0 and policies == {"exclude", "count_all"}


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
    house = [leg["score"] for leg in doc["legislators"]
             if leg["chamber"] == "house" and leg["score"] is not None]
    median = doc["medians"]["chamber"]["house"]["score"]
    assert median is not None and min(house) <= median <= max(house)

    old = get(client, f"/api/v1/scorecards/{first}?version=1")
    assert old["methodology"]["absence_policy"] == "exclude" and old["latest_version"] == 2


def test_legislator_scores_match_the_scorecard(client: FlaskClient,
                                               world: dict[str, Any]) -> None:
    doc = get(client, f"/api/v1/scorecards/{world['cards'][1]}")
    for legislator in doc["legislators"][:6]:
        person = get(client, f"/api/v1/legislators/{legislator['id']}")
        [entry] = [s for s in person["scores"] if s["scorecard"]["id"] == doc["id"]]
        assert entry["scorecard"]["version"] == doc["version"]
        assert (entry["score"], entry["score_display"], entry["grade"]) == (
            legislator["score"], legislator["score_display"], legislator["grade"])
        assert entry["attendance"] == legislator["attendance"]
        assert {v["roll_call_id"]: v["vote"] for v in entry["votes"]} == legislator["votes"]
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
    house = get(client, "/api/v1/bills?chamber=House&per_page=200")["items"]
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
    ("/api/v1/bills?tagged=false&position=support", 400),
    ("/api/v1/bills?chamber=lords", 400),
    ("/api/v1/bills?q=%00", 400),
    ("/api/v1/bills?q=" + "x" * 201, 400),
    ("/api/v1/legislators/' OR 1=1 --", 404),
    ("/api/v1/bills/2025-2026/'; DROP TABLE bill; --", 400),
]


def test_bad_input_is_json(client: FlaskClient, world: dict[str, Any]) -> None:
    for path, status in BAD_INPUT:
        body = get(client, path.format(card=world["cards"][0]), status)
        assert body["status"] == status and body["message"]


# ------------------------------------------------------------------ HTTP


def test_cors(client: FlaskClient, world: dict[str, Any]) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    for path in ("/api/v1/scorecards", f"/api/v1/scorecards/{world['cards'][0]}",
                 "/api/v1/nothing-here"):
        response = client.get(path, headers=origin)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/v1/bills", headers={
        **origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "If-None-Match"})
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
    assert "public" in first.headers["Cache-Control"] and "max-age=" in first.headers[
        "Cache-Control"]
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
        assert client.get(listing, headers={"If-None-Match": response.headers["ETag"]}
                          ).status_code == 304
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
