"""The staff data-quality page: staff only, CSRF, mapping names, verifying by hand,
resolving items, and terms with missing dates.  Every legislator is invented."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.factories import derive
from tests.test_votes import hf25_panels, items, make_world, store
from tracker import localtime
from tracker.extensions import db
from tracker.models import AuditEvent, NameMapping, Person, RollCall, Term

PAGE = "/staff/quality"


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    data = make_world()
    panels = hf25_panels()
    store(
        data,
        [
            replace(panels[0], no_names=("Castellanos", "Halvorson", "Johanssen, R.")),
            replace(panels[1], yeas=5),
        ],
    )
    return data


def test_staff_only(client: FlaskClient, world: dict[str, Any]) -> None:
    response = client.get(PAGE)
    assert response.status_code in (302, 401)
    item = items("unmatched_name")[0]
    response = client.post(f"{PAGE}/{item.id}/resolve", data={"resolution": "nope"})
    assert response.status_code in (302, 400, 401)
    assert item.status == "open"


def test_page_lists_items_and_terms(
    client: FlaskClient, auth: Any, staff_user: Any, world: dict[str, Any]
) -> None:
    person = Person(name="Ola Brekkestad", given_name="Ola", family_name="Brekkestad")
    person.terms.append(Term(chamber="house", district="50A", start_date=None))
    db.session.add(person)
    derive()
    db.session.commit()
    auth.login()
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (
        "Unverified roll calls",
        "Unmatched names",
        "Halvorson",
        "Verify by hand",
        "Mark resolved",
        "Erik Halvorsen",
        "Ola Brekkestad",
        "start unknown in every source",
        "https://www.house.mn.gov/Votes/Details",
    ):
        assert text in html, text
    assert "<script" not in html and "style=" not in html
    # only members seated around the date are offered for the March name
    form = html.split("Map name")[0]
    assert "Kari Marit Haugland" in form  # seated in April: within the window
    assert "Sven Lindqvist" not in form  # left in 2019
    assert "Nora Okonkwo" not in form  # the other chamber


def test_mapping_a_name_verifies_the_roll_call(
    client: FlaskClient, auth: Any, staff_user: Any, world: dict[str, Any]
) -> None:
    auth.login()
    item = items("unmatched_name")[0]
    erik = world["people"]["Erik Halvorsen"]
    token = csrf_token(client, PAGE)
    # no CSRF token: refused, nothing changed
    response = client.post(f"{PAGE}/{item.id}/map", data={"person_id": erik.id})
    assert response.status_code == 400
    # bad input: refused with a message
    response = client.post(
        f"{PAGE}/{item.id}/map", data={"person_id": "x", "csrf_token": token}, follow_redirects=True
    )
    assert "Choose the person" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NameMapping)) == 0
    response = client.post(
        f"{PAGE}/{item.id}/map",
        data={"person_id": erik.id, "csrf_token": token},
        follow_redirects=True,
    )
    assert "now verified" in response.get_data(as_text=True)
    db.session.expire_all()
    a5 = db.session.scalar(select(RollCall).where(RollCall.amendment_id == "H0025A5"))
    assert a5.verified
    assert db.session.scalar(select(NameMapping)).person_id == erik.id
    assert items("unmatched_name") == []


def test_verify_by_hand_form(
    client: FlaskClient, auth: Any, admin_user: Any, world: dict[str, Any]
) -> None:
    auth.login("admin@example.org")
    a6 = db.session.scalar(select(RollCall).where(RollCall.amendment_id == "H0025A6"))
    token = csrf_token(client, PAGE)
    url = f"{PAGE}/roll-calls/{a6.public_id}/verify"
    response = client.post(url, data={"reason": "ok", "csrf_token": token}, follow_redirects=True)
    assert "at least 20 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(RollCall, a6.id).verified
    reason = "House Journal p. 746 prints the tally as 3-4; the vote page has a typo."
    response = client.post(url, data={"reason": reason, "csrf_token": token}, follow_redirects=True)
    assert "Verified by hand" in response.get_data(as_text=True)
    db.session.expire_all()
    a6 = db.session.get(RollCall, a6.id)
    assert a6.verified and a6.verified_by_hand and a6.verification_note == reason
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "roll_call.verify_by_hand")
    )
    assert event.actor == "admin@example.org"


def test_mark_resolved(
    client: FlaskClient, auth: Any, staff_user: Any, world: dict[str, Any]
) -> None:
    auth.login()
    item = items("seated_mismatch")[0]
    token = csrf_token(client, PAGE)
    response = client.post(
        f"{PAGE}/{item.id}/resolve",
        data={"resolution": "", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Not resolved" in response.get_data(as_text=True)
    client.post(
        f"{PAGE}/{item.id}/resolve", data={"resolution": "Journal typo, known", "csrf_token": token}
    )
    db.session.expire_all()
    assert items("seated_mismatch", status="resolved")[0].resolution == "Journal typo, known"
    assert localtime.today()  # the page still renders afterwards
    assert client.get(PAGE).status_code == 200
