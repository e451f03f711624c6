"""Staff tag a bill, score its roll calls and an admin publishes, all in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server + "/staff/")


def test_tag_score_and_publish_end_to_end(page: Page, live_server: str) -> None:
    sign_in(page, live_server)
    # A new scorecard covering the 2025-2026 House.
    page.goto(live_server + "/staff/scorecards/new")
    page.get_by_label("Title").fill("Browser Test Scorecard")
    page.get_by_label(re.compile("2025-2026 Regular Session")).check()
    page.get_by_label("House", exact=True).check()
    page.get_by_role("button", name="Create scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser Test Scorecard")
    card_url = page.url

    # Tag a bill and score its House passage vote.
    page.goto(live_server + "/staff/bills?q=HF+18&session=2025-2026")
    page.get_by_role("link", name="HF 18").first.click()
    page.get_by_label("Public rationale", exact=True).fill(
        "Invented rationale written in the browser test."
    )
    page.get_by_role("button", name="Save draft position").click()
    expect(page.get_by_role("status").first).to_be_visible()
    form = (
        page.locator("form.score-form")
        .filter(has_text="Score this vote on “Browser Test Scorecard”")
        .first
    )
    form.get_by_label("One-line public description", exact=True).fill("A yes vote supported HF 18.")
    # and in Spanish, in the form's "Other languages" panel
    form.locator("summary", has_text="Other languages").click()
    form.get_by_label("One-line public description in Español").fill("Un voto a favor apoyó HF 18.")
    if not form.get_by_label("Yes").is_checked():
        form.get_by_label("Yes").check()
    form.get_by_role("button", name="Score this vote").click()
    expect(page.get_by_text("Browser Test Scorecard").first).to_be_visible()

    # The draft scores show at once; the admin publishes.
    page.goto(card_url)
    expect(page.get_by_role("heading", name="Draft scores (staff preview)")).to_be_visible()
    page.get_by_role("link", name="Review the changes and publish version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish version 1 of “Browser Test Scorecard”?"
    )
    page.get_by_label("Note for the public corrections log").fill("First edition.")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", name="Published versions")).to_be_visible()

    # The public sees it, with its methodology.
    page.goto(live_server + "/scorecards")
    page.get_by_role("link", name="Browser Test Scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser Test Scorecard")
    expect(page.get_by_text("1 scored vote").first).to_be_visible()
    page.get_by_role("link", name="How scores are calculated").click()
    expect(page.get_by_text("A yes vote supported HF 18.")).to_be_visible()
    # A Spanish reader sees the staff's Spanish description of the vote.
    page.goto(page.url + "?lang=es")
    expect(page.get_by_text("Un voto a favor apoyó HF 18.")).to_be_visible()
    expect(page.get_by_text("A yes vote supported HF 18.")).to_have_count(0)
