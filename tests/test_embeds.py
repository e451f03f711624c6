"""Embeds for partners' sites: no cookies, framing only by TRACKER_EMBED_ORIGINS."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import LegislatorScoreRow, Person, Scorecard
from tracker.scoring import display_score
from tracker.settings import override

from .conftest import AuthActions

PARTNERS = ["https://partner.example", "https://news.example"]


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    override(app, TRACKER_EMBED_ORIGINS=PARTNERS)


def person(family: str = "Åkerlund-Vale") -> Person:
    return db.session.scalar(select(Person).where(Person.family_name == family))


def embed_paths() -> list[str]:
    who = person().public_id
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    return [
        f"/embed/legislators/{who}",
        f"/embed/legislators/{who}/badge.svg",
        "/embed/find",
        f"/embed/scorecards/{card.public_id}",
    ]


def assert_embeddable(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    ancestors = re.search(r"frame-ancestors ([^;]+)", policy).group(1)
    assert ancestors.split() == PARTNERS
    assert "script-src 'self'" in policy


def test_embeds_set_no_cookie_and_allow_partner_framing(client: FlaskClient, loaded: None) -> None:
    for path in embed_paths():
        assert_embeddable(client.get(path))
        # in Spanish too: the choice stays in the embed's address, never a cookie
        spanish = client.get(path + ("&" if "?" in path else "?") + "lang=es")
        assert_embeddable(spanish)
        if spanish.mimetype == "text/html":
            assert '<html lang="es">' in spanish.get_data(as_text=True)
    page = client.get(f"/legislators/{person().public_id}")
    assert page.headers.get("X-Frame-Options") == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_embeds_set_no_cookie_for_a_signed_in_visitor(
    client: FlaskClient, loaded: None, staff_user: object, auth: AuthActions
) -> None:
    auth.login()
    for path in embed_paths():
        assert_embeddable(client.get(path))
    assert client.get("/staff/").status_code == 200  # still signed in


def test_without_origins_nobody_may_frame(app: Flask, client: FlaskClient, loaded: None) -> None:
    override(app, TRACKER_EMBED_ORIGINS=[])
    response = client.get("/embed/find")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers


def test_legislator_embed_shows_the_published_score(client: FlaskClient, loaded: None) -> None:
    who = person()
    html = client.get(f"/embed/legislators/{who.public_id}").get_data(as_text=True)
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    row = db.session.scalar(
        select(LegislatorScoreRow).where(
            LegislatorScoreRow.person_id == who.id,
            LegislatorScoreRow.scorecard_id == card.id,
            LegislatorScoreRow.version_number == 1,
        )
    )
    shown = display_score(Fraction(100 * row.aligned_weight, row.eligible_weight))
    assert "Åkerlund-Vale" in html
    assert f"<strong>{shown}</strong>" in html
    assert "<script" not in html and "style=" not in html and "<nav" not in html
    assert 'target="_blank"' in html


def test_find_embed_posts_to_the_main_site_in_a_new_tab(client: FlaskClient, loaded: None) -> None:
    html = client.get("/embed/find").get_data(as_text=True)
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="post"' in form and 'target="_blank"' in form
    assert re.search(r'action="http[^"]*/find"', form)
    assert 'name="address"' in html
    assert "csrf_token" not in html and "<script" not in html


def test_badge_is_valid_svg(client: FlaskClient, loaded: None) -> None:
    response = client.get(f"/embed/legislators/{person('Østergaardt').public_id}/badge.svg")
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert "score" in root.get("aria-label")


def test_embeds_of_unknown_ids_are_404_without_cookies(client: FlaskClient, loaded: None) -> None:
    for path in (
        "/embed/legislators/nobody",
        "/embed/legislators/nobody/badge.svg",
        "/embed/scorecards/nothing",
        "/embed/legislators/" + "x" * 200,
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers


def test_snippets_on_the_pages(client: FlaskClient, loaded: None) -> None:
    who = person()
    page = client.get(f"/legislators/{who.public_id}").get_data(as_text=True)
    snippet = re.search(
        r'<textarea id="embed-card" readonly[^>]*>(.*?)</textarea>', page, re.S
    ).group(1)
    assert snippet.startswith("&lt;iframe src=")
    assert f"/embed/legislators/{who.public_id}" in snippet
    assert "style=" not in snippet


def test_snippets_use_the_public_url_and_say_what_partners_must_do(
    app: Flask, client: FlaskClient, loaded: None
) -> None:
    override(
        app,
        TRACKER_PUBLIC_URL="https://scores.example.org/",
        TRACKER_CONTACT_EMAIL="press@example.org",
    )
    who = person()
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    pages = {
        f"/legislators/{who.public_id}": ("embed-card", "embed-badge"),
        f"/scorecards/{card.public_id}": ("embed-scorecard", "embed-find"),
    }
    for path, ids in pages.items():
        page = client.get(path).get_data(as_text=True)
        block = page.split('<div class="embed-snippets">')[1].split("</div>\n</div>")[0]
        assert "<code>TRACKER_EMBED_ORIGINS</code>" in block
        assert 'href="mailto:press@example.org"' in block
        for textarea in ids:  # each snippet in its own labelled field, on the public URL
            field = re.search(
                rf'<div class="field">\s*<label for="{textarea}">[^<]+</label>\s*'
                rf'<textarea id="{textarea}" readonly[^>]*>(.*?)</textarea>',
                block,
                re.S,
            )
            assert field, textarea
            sources = re.findall(r"(?:src|href)=&#34;([^&]+)&#34;", field.group(1))
            assert sources and all(s.startswith("https://scores.example.org/") for s in sources)


def test_embeds_mark_the_scores_they_show(client: FlaskClient, loaded: None) -> None:
    who = person()
    html = client.get(f"/embed/legislators/{who.public_id}").get_data(as_text=True)
    shown = re.search(r"<strong>(\d+)</strong>", html).group(1)
    assert f'<div class="score" data-score="{shown}">' in html
    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()
    html = client.get(f"/embed/scorecards/{card.public_id}").get_data(as_text=True)
    medians = re.findall(r'<strong data-score="(\d+)" data-median="(\w+)">(\d+)</strong>', html)
    assert medians and all(value == text for value, _, text in medians)
