"""A member on a phone finds their legislators and sees scores and votes."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pytest_httpserver import HTTPServer

from tests.conftest import FIXTURES
from tracker.settings import override

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_lookup_by_district_on_a_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/")
    page.get_by_label("Your district").fill("3a")
    page.get_by_role("button", name="Look up district").click()
    expect(page.get_by_role("heading", name="Your legislators", exact=True)).to_be_visible()
    expect(page.locator("section[aria-labelledby=result-heading] > p").first).to_contain_text(
        "House district 3A, Senate district 3"
    )
    expect(page.get_by_role("heading", name="State Representative, district 3A")).to_be_visible()
    expect(page.get_by_role("heading", name="State Senator, district 3")).to_be_visible()
    no_horizontal_scroll(page)


def test_lookup_by_address_through_the_geocoder(
    page: Page, live_server: str, live_app: Flask, httpserver: HTTPServer
) -> None:
    body = (FIXTURES / "geocoder" / "reconstructed" / "match_minnesota.json").read_text()
    body = (
        body.replace('"62A"', '"5B"')
        .replace('"062"', '"005"')
        .replace('"BASENAME": "62"', '"BASENAME": "5"')
    )
    httpserver.expect_request("/geocoder").respond_with_data(body, content_type="application/json")
    override(live_app, TRACKER_GEOCODER_URL=httpserver.url_for("/geocoder"))
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/")
    page.get_by_label("Your street address").fill("4321 Invented Lane, Saint Paul, MN 55101")
    page.get_by_role("button", name="Find my legislators").click()
    expect(page.locator("section[aria-labelledby=result-heading] > p").first).to_contain_text(
        "House district 5B, Senate district 5"
    )
    assert "Invented" not in page.url  # the address never goes into a URL
    link = page.locator(".legislator-card .name a").first
    name = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    no_horizontal_scroll(page)


def test_legislator_page_has_votes_with_contact(page: Page, live_server: str) -> None:
    page.goto(live_server + "/find?district=4A")
    page.locator(".legislator-card .name a").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Contact "))).to_be_visible()
    table = page.get_by_role("table").first
    expect(table.get_by_role("columnheader", name="Their vote")).to_be_visible()
    assert table.get_by_role("row").count() > 3


def test_scorecard_sorting(page: Page, live_server: str) -> None:
    page.goto(live_server + "/scorecards")
    page.get_by_role("link", name=re.compile("2025-2026 Legislative Scorecard")).click()
    page.get_by_role("link", name="Score", exact=True).click()
    page.get_by_role("link", name="Score", exact=True).click()  # descending
    scores = [
        int(s)
        for s in page.locator("table.scores [data-score]").evaluate_all(
            "cells => cells.map(c => c.dataset.score).filter(s => s !== '')"
        )
    ]
    assert scores == sorted(scores, reverse=True) and len(scores) > 10
    page.get_by_label("Chamber").select_option("senate")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.scores").get_by_role("cell", name="House")).to_have_count(0)


def test_scorecard_sorting_on_a_phone_without_the_table_header(
    page: Page, live_server: str
) -> None:
    """On a phone the rows are cards (no column headers): the form sorts, the grid too."""
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/scorecards")
    page.get_by_role("link", name=re.compile("2025-2026 Legislative Scorecard")).click()
    expect(page.locator("table.scores thead")).to_be_hidden()
    page.get_by_label("Sort by").select_option("score")
    page.get_by_label("Order").select_option("desc")
    page.get_by_role("button", name="Show").click()
    scores = [
        int(s)
        for s in page.locator("table.scores [data-score]").evaluate_all(
            "cells => cells.map(c => c.dataset.score).filter(s => s !== '')"
        )
    ]
    assert scores == sorted(scores, reverse=True) and len(scores) > 10
    page.get_by_role("link", name="Vote by vote").click()
    expect(page).to_have_url(re.compile(r"sort=score&dir=desc&show=grid"))
    first = page.locator("table.grid tbody tr").first
    expect(first.locator("td.mark").first).to_contain_text("1")  # the vote's number shows
    no_horizontal_scroll(page)


def test_bill_page_lists_roll_calls(page: Page, live_server: str) -> None:
    page.goto(live_server + "/bills?q=HF+11")
    page.get_by_role("link", name="HF 11").first.click()
    expect(page.get_by_role("heading", name="Roll calls")).to_be_visible()
    expect(page.get_by_text("supports this bill")).to_be_visible()
    # each roll call's own page names how every member voted, and leads back
    page.locator("table.roll-calls tbody th a").first.click()
    expect(page).to_have_url(re.compile(r"/roll-calls/"))
    expect(page.get_by_role("heading", name="How each member voted")).to_be_visible()
    expect(page.locator("ul.names li a").first).to_be_visible()
    page.get_by_role("link", name="Every roll call on HF 11").click()
    expect(page.get_by_role("heading", name="Roll calls")).to_be_visible()


def test_mobile_width_public_pages(page: Page, live_server: str) -> None:
    page.set_viewport_size(PHONE)
    for path in ("/", "/scorecards", "/legislators", "/bills", "/find?district=1A"):
        page.goto(live_server + path)
        no_horizontal_scroll(page)
