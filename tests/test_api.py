"""The read-only JSON API: bills, legislators, paging and JSON errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import derive
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    LegislativeSession,
    MemberVote,
    Person,
    PersonName,
    RollCall,
    Term,
)

DAY = dt.date(2025, 4, 29)


def make_session(identifier: str = "2025-2026", code: str = "0942025", **kw: Any) -> Any:
    session = LegislativeSession(
        identifier=identifier,
        revisor_code=code,
        name=f"94th Legislature ({identifier})",
        legislature=94,
        year=int(identifier[:4]),
        start_date=kw.pop("start_date", dt.date(2025, 1, 14)),
        end_date=kw.pop("end_date", dt.date(2026, 5, 18)),
        **kw,
    )
    db.session.add(session)
    db.session.flush()
    return session


def make_person(name: str, family: str, **kw: Any) -> Person:
    person = Person(name=name, given_name=name.split()[0], family_name=family, **kw)
    db.session.add(person)
    db.session.flush()
    return person


@pytest.fixture
def data(app: Flask) -> dict[str, Any]:
    session = make_session()
    old = make_session(
        "2023-2024", "0932023", start_date=dt.date(2023, 1, 3), end_date=dt.date(2024, 5, 20)
    )
    ada = make_person(
        "Ada Quillfeather",
        "Quillfeather",
        email="ada@example.org",
        senate_member_id="1234",
        profile_url="https://example.org/ada",
        photo_url="https://example.org/ada.jpg",
        photo_path="photos/secret.jpg",
    )
    ada.terms.append(
        Term(
            chamber="senate",
            district="12",
            party="DFL",
            start_date=dt.date(2023, 1, 3),
            end_date=None,
        )
    )
    ada.names.append(PersonName(name="Quillfeather, A."))
    ada.names.append(PersonName(name="Quillfeather"))
    bo = make_person("Bo Marrowind", "Marrowind")
    bo.terms.append(
        Term(
            chamber="senate",
            district="40",
            party="R",
            start_date=dt.date(2019, 1, 8),
            end_date=dt.date(2023, 1, 2),
        )
    )
    cy = make_person("Cy Pellingham", "Pellingham")
    cy.terms.append(
        Term(
            chamber="house",
            district="12A",
            party="XYZ",
            start_date=dt.date(2025, 1, 14),
            end_date=None,
        )
    )

    sf = Bill(
        session=session,
        bill_type="SF",
        number=1832,
        title="Relating to ducks",
        status="passed_senate",
        source_url="https://www.revisor.mn.gov/bills/sf1832",
        companion_type="HF",
        companion_number=2136,
        content_hash="secret-hash",
    )
    hf = Bill(
        session=session,
        bill_type="HF",
        number=2136,
        title="Relating to ducks",
        companion_type="SF",
        companion_number=1832,
    )
    lone = Bill(
        session=session,
        bill_type="SF",
        number=5,
        title="Unlinked companion",
        companion_type="HF",
        companion_number=99,
    )
    old_bill = Bill(session=old, bill_type="HF", number=1, title="Old bill")
    db.session.add_all([sf, hf, lone, old_bill])
    db.session.flush()
    sf.companion_id = hf.id
    sf.authors.append(
        Authorship(
            printed_name="Quillfeather", person=ada, chamber="senate", chief=True, position=1
        )
    )
    sf.authors.append(Authorship(printed_name="Nobody Matched", chamber="senate", position=2))
    sf.authors.append(
        Authorship(printed_name="Pellingham", person=cy, chamber="house", chief=True, position=1)
    )
    intro = BillAction(
        chamber="senate",
        number=1,
        date=dt.date(2025, 2, 20),
        text="Introduction and first reading",
        journal_page="388",
    )
    passed = BillAction(
        chamber="senate",
        number=2,
        date=DAY,
        text="Third reading Passed",
        journal_page="1798a",
        roll_call_text="35-30",
        yeas=35,
        nays=30,
        classification="passage",
    )
    undated = BillAction(
        chamber="senate", number=3, date=None, text="Returned", missing_from_source=True
    )
    sf.actions.extend([intro, passed, undated])
    db.session.flush()
    roll = RollCall(
        bill=sf,
        action=passed,
        chamber="senate",
        date=DAY,
        motion="Third reading",
        journal_page="1798a",
        yeas=1,
        nays=1,
        outcome="passed",
        source_url="https://www.senate.mn/journal",
        verified=False,
        verification_note="one name unmatched",
    )
    roll.member_votes.append(MemberVote(person=ada, option="yes"))
    roll.member_votes.append(MemberVote(printed_name="Zed Unknown", option="no"))
    db.session.add(roll)
    derive()
    db.session.commit()
    return {"ada": ada.public_id, "bo": bo.public_id, "cy": cy.public_id, "roll": roll.public_id}


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) >= {"error", "message"}
    return body


@pytest.mark.parametrize("bill", ["SF1832", "SF%201832", "sf1832", "SF 1832", "S.F.%201832"])
def test_bill_accepts_every_spelling(client: FlaskClient, data: dict[str, Any], bill: str) -> None:
    response = client.get(f"/api/v1/bills/2025-2026/{bill}")
    assert response.status_code == 200
    assert response.get_json()["key"] == "SF1832"


def test_bill_document(client: FlaskClient, data: dict[str, Any]) -> None:
    doc = client.get("/api/v1/bills/2025-2026/SF1832").get_json()
    assert doc["session"]["identifier"] == "2025-2026"
    assert (doc["key"], doc["label"], doc["title"]) == ("SF1832", "SF 1832", "Relating to ducks")
    assert (doc["status"], doc["status_name"]) == ("passed_senate", "Passed the Senate")
    assert doc["source_url"] == "https://www.revisor.mn.gov/bills/sf1832"
    assert doc["companion"]["key"] == "HF2136"
    assert doc["companion"]["url"].endswith("/api/v1/bills/2025-2026/HF2136")
    assert "content_hash" not in doc and "secret-hash" not in str(doc)

    senate = doc["authors"]["senate"]
    assert [(a["position"], a["chief"], a["printed_name"]) for a in senate] == [
        (1, True, "Quillfeather"),
        (2, False, "Nobody Matched"),
    ]
    assert senate[0]["person"]["id"] == data["ada"]
    assert senate[0]["person"]["name"] == "Ada Quillfeather"
    assert senate[1]["person"] is None
    assert doc["authors"]["house"][0]["person"]["id"] == data["cy"]

    actions = doc["actions"]
    assert [a["number"] for a in actions] == [1, 2, 3]
    assert actions[0]["roll_call"] is None
    assert actions[1]["journal_page"] == "1798a"
    assert actions[1]["roll_call"] == {"tally": "35-30", "yeas": 35, "nays": 30}
    assert actions[1]["date"] == "2025-04-29"
    assert actions[2]["date"] is None and actions[2]["missing_from_source"] is True

    [roll] = doc["roll_calls"]
    assert roll["id"] == data["roll"]
    assert (roll["chamber"], roll["date"], roll["yeas"], roll["nays"]) == (
        "senate",
        "2025-04-29",
        1,
        1,
    )
    assert roll["verified"] is False and roll["verification_note"] == "one name unmatched"
    assert roll["action"] == {"chamber": "senate", "number": 2}
    # the member votes are in the roll call's own document, linked from here
    assert "member_votes" not in roll
    assert roll["url"] == f"http://localhost/api/v1/roll-calls/{data['roll']}"


def test_roll_call_document(client: FlaskClient, data: dict[str, Any]) -> None:
    """Every member's vote on one roll call, its facts and its bill, as the bill's
    document lists it."""
    listed = client.get("/api/v1/bills/2025-2026/SF1832").get_json()["roll_calls"][0]
    response = client.get(f"/api/v1/roll-calls/{data['roll']}")
    assert response.status_code == 200
    doc = response.get_json()
    assert {k: v for k, v in doc.items() if k not in ("bill", "member_votes")} == listed
    assert doc["bill"] == {
        "session": "2025-2026",
        "key": "SF1832",
        "label": "SF 1832",
        "title": "Relating to ducks",
        "url": "http://localhost/api/v1/bills/2025-2026/SF1832",
    }
    votes = {v["name"]: v for v in doc["member_votes"]}
    assert set(votes) == {"Ada Quillfeather", "Zed Unknown"}
    assert votes["Ada Quillfeather"]["person"]["id"] == data["ada"]
    assert votes["Ada Quillfeather"]["option"] == "yes"
    assert votes["Ada Quillfeather"]["printed_name"] is None
    assert votes["Zed Unknown"]["person"] is None and votes["Zed Unknown"]["option"] == "no"
    assert votes["Zed Unknown"]["printed_name"] == "Zed Unknown"
    assert response.headers["Last-Modified"]


@pytest.mark.parametrize("public_id", ["no-such-roll-call", "x" * 65])
def test_unknown_roll_call_is_404(
    client: FlaskClient, data: dict[str, Any], public_id: str
) -> None:
    body = assert_json_error(client.get(f"/api/v1/roll-calls/{public_id}"), 404)
    assert "roll call" in body["message"]


def test_no_internal_ids_in_documents(client: FlaskClient, data: dict[str, Any]) -> None:
    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    documents = [
        client.get("/api/v1/bills/2025-2026/SF1832").get_json(),
        client.get(f"/api/v1/roll-calls/{data['roll']}").get_json(),
        client.get(f"/api/v1/legislators/{data['ada']}").get_json(),
        client.get("/api/v1/legislators").get_json(),
        client.get("/api/v1/bills").get_json(),
    ]
    for doc in documents:
        found = keys(doc)
        # Only ids the legislature itself publishes end in _id.
        public = {"amendment_id", "house_member_id", "senate_member_id"}
        assert not {k for k in found if k.endswith("_id") and k not in public}
        assert "photo_path" not in found
        assert "photos/secret.jpg" not in str(doc)


def test_companion_without_link(client: FlaskClient, data: dict[str, Any]) -> None:
    doc = client.get("/api/v1/bills/2025-2026/SF5").get_json()
    assert doc["companion"] == {"key": "HF99", "label": "HF 99", "url": None}
    assert doc["roll_calls"] == [] and doc["authors"] == {"house": [], "senate": []}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/bills/1999-2000/SF1832",
        "/api/v1/bills/2025-2026/SF9999",
        "/api/v1/bills/2025-2026/XX12",  # not a bill id: names no bill
        "/api/v1/bills/2025-2026/SF0",
        "/api/v1/bills/2025-2026/SF",
        "/api/v1/legislators/no-such-person",
        "/api/v1/bills?session=1999-2000",
        "/api/v1/legislators?session=1999-2000",
        "/api/v1/nothing-here",
    ],
)
def test_unknown_gives_json_404(client: FlaskClient, data: dict[str, Any], path: str) -> None:
    assert_json_error(client.get(path), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/bills?page=0",
        "/api/v1/bills?page=abc",
        "/api/v1/bills?per_page=201",
        "/api/v1/bills?per_page=-1",
        "/api/v1/legislators?per_page=x",
        "/api/v1/legislators?page=99999999999999999999999",
        "/api/v1/legislators?chamber=lords",
        "/api/v1/legislators?chamber=House",  # choices are taken as documented
        "/api/v1/legislators?chamber=",
        "/api/v1/legislators?name=%00",
        "/api/v1/bills/2025-2026/SF1832%00",
    ],
)
def test_malformed_gives_json_400(client: FlaskClient, data: dict[str, Any], path: str) -> None:
    assert_json_error(client.get(path), 400)


def test_legislator_detail(client: FlaskClient, data: dict[str, Any]) -> None:
    doc = client.get(f"/api/v1/legislators/{data['ada']}").get_json()
    assert doc["id"] == data["ada"]
    assert (doc["given_name"], doc["family_name"]) == ("Ada", "Quillfeather")
    assert doc["email"] == "ada@example.org"
    assert doc["profile_url"] == "https://example.org/ada"
    assert doc["photo_source_url"] == "https://example.org/ada.jpg"
    assert doc["photo"].endswith("/photo")
    assert doc["name_forms"] == ["Quillfeather", "Quillfeather, A."]
    assert doc["identifiers"]["senate_member_id"] == "1234"
    assert doc["terms"] == [
        {
            "chamber": "senate",
            "district": "12",
            "party": "DFL",
            "party_name": "Democratic-Farmer-Labor",
            "start_date": "2023-01-03",
            "start_source": "openstates",
            "start_basis": "recorded",
            "end_date": None,
            "end_source": None,
            "end_basis": None,
        }
    ]
    assert doc["current"] is True
    cy = client.get(f"/api/v1/legislators/{data['cy']}").get_json()
    assert cy["terms"][0]["party_name"] == "XYZ"  # unknown codes display as themselves


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["name"] for item in response.get_json()["items"]]


def test_legislator_list_and_filters(client: FlaskClient, data: dict[str, Any]) -> None:
    everyone = client.get("/api/v1/legislators").get_json()
    assert everyone["total"] == 3 and everyone["next"] is None
    assert [p["name"] for p in everyone["items"]] == [
        "Bo Marrowind",
        "Cy Pellingham",
        "Ada Quillfeather",
    ]  # by family name
    bo = everyone["items"][0]
    assert bo["current"] is False and bo["latest_term"]["district"] == "40"

    assert names(client.get("/api/v1/legislators?chamber=senate")) == [
        "Bo Marrowind",
        "Ada Quillfeather",
    ]
    assert names(client.get("/api/v1/legislators?chamber=house")) == ["Cy Pellingham"]
    assert names(client.get("/api/v1/legislators?district=12a")) == ["Cy Pellingham"]
    assert names(client.get("/api/v1/legislators?chamber=senate&district=12")) == [
        "Ada Quillfeather"
    ]
    assert names(client.get("/api/v1/legislators?name=MARROW")) == ["Bo Marrowind"]
    assert names(client.get("/api/v1/legislators?name=Quillfeather,%20A.")) == [
        "Ada Quillfeather"
    ]  # printed name forms match too
    assert names(client.get("/api/v1/legislators?name=%25")) == []  # LIKE wildcards escaped
    assert names(client.get("/api/v1/legislators?session=2025-2026")) == [
        "Cy Pellingham",
        "Ada Quillfeather",
    ]
    assert names(client.get("/api/v1/legislators?session=2023-2024")) == ["Ada Quillfeather"]
    assert names(client.get("/api/v1/legislators?session=2025-2026&chamber=house")) == [
        "Cy Pellingham"
    ]


def test_pagination_links(client: FlaskClient, data: dict[str, Any]) -> None:
    first = client.get("/api/v1/legislators?per_page=2&chamber=senate").get_json()
    assert first["total"] == 2 and first["next"] is None
    first = client.get("/api/v1/legislators?per_page=2").get_json()
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 3)
    assert first["previous"] is None
    assert first["next"].startswith("http://")
    assert "page=2" in first["next"] and "per_page=2" in first["next"]
    second = client.get(first["next"]).get_json()
    assert [p["name"] for p in second["items"]] == ["Ada Quillfeather"]
    assert second["next"] is None and "page=1" in second["previous"]
    beyond = client.get("/api/v1/legislators?page=50").get_json()
    assert beyond["items"] == [] and beyond["next"] is None


def test_bill_list(client: FlaskClient, data: dict[str, Any]) -> None:
    doc = client.get("/api/v1/bills?session=2025-2026").get_json()
    assert doc["total"] == 3
    assert [b["key"] for b in doc["items"]] == ["HF2136", "SF5", "SF1832"]
    assert doc["items"][2]["url"].endswith("/api/v1/bills/2025-2026/SF1832")
    everything = client.get("/api/v1/bills?per_page=1").get_json()
    assert everything["total"] == 4 and "page=2" in everything["next"]
    index = client.get("/api/v1/").get_json()
    assert index["links"]["bills"].endswith("/api/v1/bills")


def test_empty_database_lists(client: FlaskClient, app: Flask) -> None:
    for path in ("/api/v1/bills", "/api/v1/legislators"):
        doc = client.get(path).get_json()
        assert doc["items"] == [] and doc["total"] == 0 and doc["next"] is None
