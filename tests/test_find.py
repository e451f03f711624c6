"""The find-your-legislators page: district, name and address (through a local
stand-in for the Census geocoder serving hand-built responses)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from scrapers.vocab import party_name
from tests.conftest import FIXTURES
from tracker.extensions import db
from tracker.models import Person, Term
from tracker.seats import last_term
from tracker.settings import override

GEOCODER = FIXTURES / "geocoder" / "reconstructed"
ADDRESS = "4321 Invented Lane, Saint Paul, MN 55101"


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def seated(chamber: str, district: str) -> Person:
    return db.session.scalar(
        select(Person)
        .join(Term)
        .where(Term.chamber == chamber, Term.district == district, Term.end_date.is_(None))
    )


def geocoder_body(house: str, senate: str) -> str:
    body = (GEOCODER / "match_minnesota.json").read_text()
    return (
        body.replace('"62A"', f'"{house}"')
        .replace('"062"', f'"{senate.zfill(3)}"')
        .replace('"BASENAME": "62"', f'"BASENAME": "{senate}"')
    )


def test_lookup_by_district_shows_both_legislators(client: FlaskClient, loaded: None) -> None:
    page = text(client.get("/find?district=3a"))
    rep, senator = seated("house", "3A"), seated("senate", "3")
    assert "House district <strong>3A</strong>" in page
    assert "Senate district <strong>3</strong>" in page
    assert rep.name in page and senator.name in page
    assert "Not your district?" in page


@pytest.mark.parametrize("query", ["99", "62C", "0", "'; DROP TABLE person; --", "x" * 300])
def test_bad_districts_get_a_helpful_page(client: FlaskClient, loaded: None, query: str) -> None:
    response = client.get("/find", query_string={"district": query})
    assert response.status_code == 400
    page = text(response)
    assert 'role="alert"' in page and "Your street address" in page


def test_lookup_by_name(client: FlaskClient, loaded: None) -> None:
    person = seated("house", "4A")
    page = text(client.get("/find", query_string={"name": person.family_name.lower()}))
    assert person.name in page
    assert client.get("/find?name=a").status_code == 400


def name_results(page: str) -> dict[str, str]:
    """Each name result: the name, and the party and seat line under it."""
    return dict(
        re.findall(
            r'<a class="name" href="/legislators/[^"]+">([^<]+)</a>.*?'
            r'<span class="seat">([^<]+)</span>',
            page,
        )
    )


def test_name_results_say_party_and_district(client: FlaskClient, loaded: None) -> None:
    person = seated("senate", "7")
    term = next(t for t in person.terms if t.end_date is None)
    results = name_results(text(client.get("/find?name=ostergaard")))  # no ø typed
    assert results == {person.name: f"{term.party} · Senate district 7"}
    assert "Østergaardt" in person.name
    former = next(
        t
        for t in db.session.scalars(select(Term).where(Term.end_date.is_not(None)))
        if all(other.end_date is not None for other in t.person.terms)
    )
    former = last_term(former.person)
    results = name_results(
        text(client.get("/find", query_string={"name": former.person.family_name}))
    )
    assert results[former.person.name] == (
        f"{former.party} · {former.chamber.title()} district {former.district} "
        f"(former; served until {former.held_until or former.end_date})"
    )


def test_district_cards_say_party(client: FlaskClient, loaded: None) -> None:
    page = text(client.get("/find?district=3A"))
    for chamber, district in (("house", "3A"), ("senate", "3")):
        person = seated(chamber, district)
        party = next(t.party for t in person.terms if t.end_date is None)
        assert re.search(
            rf'>{re.escape(person.name)}</a></p> <p class="seat">'
            rf"{re.escape(party_name(party))} \({party}\)</p>",
            page,
        )


def test_lookup_by_address(
    client: FlaskClient,
    app: Flask,
    loaded: None,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    override(app, TRACKER_GEOCODER_URL=httpserver.url_for("/geocoder"))
    httpserver.expect_request("/geocoder").respond_with_data(
        geocoder_body("5B", "5"), content_type="application/json"
    )
    caplog.set_level(logging.DEBUG)
    response = client.post("/find", data={"address": ADDRESS})
    page = text(response)
    assert response.status_code == 200
    assert "House district <strong>5B</strong>" in page
    assert "Senate district <strong>5</strong>" in page
    assert seated("house", "5B").name in page
    assert seated("senate", "5").name in page
    request_args = httpserver.log[0][0].args
    assert request_args["address"] == ADDRESS
    app_records = [r for r in caplog.records if not r.name.startswith("werkzeug")]
    assert all("Invented Lane" not in r.getMessage() for r in app_records)


def test_address_outside_minnesota_or_unmatched(
    client: FlaskClient, app: Flask, loaded: None, httpserver: HTTPServer
) -> None:
    override(app, TRACKER_GEOCODER_URL=httpserver.url_for("/geocoder"))
    httpserver.expect_request("/geocoder").respond_with_data(
        (GEOCODER / "no_match.json").read_text(), content_type="application/json"
    )
    page = text(client.post("/find", data={"address": ADDRESS}))
    assert "We could not find that address" in page


def test_geocoder_down_offers_the_other_ways(client: FlaskClient, app: Flask, loaded: None) -> None:
    override(app, TRACKER_GEOCODER_URL="http://127.0.0.1:9/geocoder")
    response = client.post("/find", data={"address": ADDRESS})
    assert response.status_code == 503
    page = text(response)
    assert "The address service is not answering right now" in page
    assert "Your district" in page and "A legislator's name" in page


def test_home_page_offers_all_lookups_without_javascript(client: FlaskClient, loaded: None) -> None:
    page = text(client.get("/"))
    assert 'action="/find" class="card lookup-form"' in page
    assert 'name="address"' in page and 'name="district"' in page and 'name="name"' in page
    assert "never store or log your address" in page
    assert "locate.js" not in page  # no boundaries imported: no location button


def test_address_form_posts_so_the_address_stays_out_of_urls(
    client: FlaskClient, loaded: None
) -> None:
    page = client.get("/").get_data(as_text=True)
    form = re.search(
        r'<form method="(\w+)" action="/find" class="card lookup-form">\s*'
        r'<h2><label for="address">',
        page,
    )
    assert form and form.group(1) == "post"
    assert json.dumps(ADDRESS) not in page
