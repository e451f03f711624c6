"""A partner's page on another origin frames each embed: it renders once the origin
is in ``TRACKER_EMBED_ORIGINS``, and browsers refuse it (``frame-ancestors``)
until then.  The partner page is served by a local stand-in on another port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Person, Scorecard
from tracker.settings import install, of, override

pytestmark = pytest.mark.browser
EMBEDS = ("card", "scorecard", "find", "badge")


@pytest.fixture
def partner(live_server: str, live_app: Flask, httpserver: HTTPServer) -> Iterator[str]:
    """The partner's page (an iframe per embed and the badge snippet's image), and
    the app's settings put back afterwards."""
    with live_app.app_context():
        person = db.session.scalars(
            select(Person).where(Person.family_name == "Åkerlund-Vale")
        ).one()
        card = db.session.scalars(
            select(Scorecard).where(Scorecard.versions.any()).order_by(Scorecard.id)
        ).first()
        who, card_id, name = person.public_id, card.public_id, person.name
        db.session.remove()
    sources = {
        "card": f"/embed/legislators/{who}",
        "scorecard": f"/embed/scorecards/{card_id}",
        "find": "/embed/find",
        "badge": f"/embed/legislators/{who}/badge.svg",
    }
    frames = "".join(
        f'<iframe id="{key}" title="{key}" src="{live_server}{path}" '
        'width="400" height="320"></iframe>'
        for key, path in sources.items()
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Partner</title></head><body><h1>Partner site</h1>"
        f'<p id="name">{name}</p>{frames}'
        f'<a href="{live_server}/legislators/{who}"><img id="badge-img" alt="badge" '
        f'src="{live_server}{sources["badge"]}"></a></body></html>'
    )
    httpserver.expect_request("/partner.html").respond_with_data(
        html, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/favicon.ico").respond_with_data("", status=404)
    saved = of(live_app)
    yield httpserver.url_for("/partner.html")
    install(live_app, saved)


def origin_of(url: str) -> str:
    return url.split("/partner.html")[0]


def test_listed_partner_shows_every_embed(page: Page, live_app: Flask, partner: str) -> None:
    override(live_app, TRACKER_EMBED_ORIGINS=[origin_of(partner)])
    page.goto(partner)
    name = page.locator("#name").inner_text()
    card = page.frame_locator("#card")
    expect(card.get_by_role("heading", level=1)).to_have_text(name)
    expect(card.locator(".score[data-score]")).to_have_count(1)
    expect(card.get_by_role("link", name="See every vote, with sources")).to_be_visible()
    scorecard = page.frame_locator("#scorecard")
    expect(scorecard.get_by_role("heading", level=1)).to_contain_text("Scorecard")
    expect(scorecard.locator("[data-score][data-median]").first).to_be_visible()
    find = page.frame_locator("#find")
    expect(find.get_by_label("Find your Minnesota legislators")).to_be_visible()
    expect(find.get_by_role("button", name="Look up their scores")).to_be_visible()
    expect(page.frame_locator("#badge").locator("svg")).to_have_count(1)
    assert page.evaluate("document.getElementById('badge-img').naturalWidth") > 0
    for key in EMBEDS:
        frame = page.locator(f"#{key}").element_handle().content_frame()
        assert frame is not None and not frame.url.startswith("chrome-error:"), key


def test_unlisted_partner_is_refused(page: Page, live_app: Flask, partner: str) -> None:
    override(live_app, TRACKER_EMBED_ORIGINS=[])
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(partner)
    page.wait_for_load_state("load")
    for key in EMBEDS:
        frame = page.locator(f"#{key}").element_handle().content_frame()
        assert frame is not None and frame.url.startswith("chrome-error:"), key
    assert len(refusals) == len(EMBEDS)
    # an image is not a frame: the badge snippet shows anywhere
    assert page.evaluate("document.getElementById('badge-img').naturalWidth") > 0
