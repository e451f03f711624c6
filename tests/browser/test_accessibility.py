"""Automated WCAG 2.1 A/AA checks (axe-core, shipped inside axe-playwright-python)
on the members' pages, at desktop and phone widths.  Automated checks catch a
part of WCAG only; they complement the keyboard and layout tests."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.browser
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {[n['target'] for n in v['nodes'][:3]]})"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("width", [1200, 360])
def test_members_pages_have_no_axe_violations(page: Page, live_server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/scorecards")
    card = page.get_by_role("link").filter(has_text="Legislative Scorecard").first
    card_url = card.get_attribute("href")
    paths = [
        "/",
        "/find?district=3A",
        "/find?name=ostergaard",
        "/scorecards",
        card_url,
        card_url + "?show=grid",
        card_url + "/methodology",
        "/legislators",
        "/bills",
        "/bills/2025-2026/HF11",
        "/alerts",
        "/auth/login",
    ]
    page.goto(live_server + "/find?district=3A")
    paths.append(page.locator(".legislator-card .name a").first.get_attribute("href"))
    page.goto(live_server + "/bills/2025-2026/HF11")  # a roll call's page of names
    paths.append(page.locator("table.roll-calls tbody th a").first.get_attribute("href"))
    page.goto(live_server + "/alerts")  # the demo's closed alert and its pressure report
    paths.append(page.locator('[aria-labelledby="past-heading"] a').first.get_attribute("href"))
    # in Spanish and Somali too (lang attributes, the review note, longer words)
    paths += [
        path + ("&" if "?" in path else "?") + f"lang={lang}"
        for path in ("/", card_url, "/find?district=3A")
        for lang in ("es", "so")
    ]
    found = {}
    for path in paths:
        page.goto(live_server + path)
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}
