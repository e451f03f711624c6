from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_home_says_demo_and_loads_only_local_assets(page: Page, live_server: str) -> None:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server) else outside.append(r.url))
    page.goto(live_server + "/")
    expect(page.get_by_role("note")).to_contain_text("Demo data.")
    expect(page.get_by_role("heading", level=1)).to_have_text("How your Minnesota legislators vote")
    legislators = page.locator("ul.stats li").filter(has_text="legislators")
    expect(legislators).to_have_text("32 legislators")
    assert outside == []


def test_keyboard_sign_in_and_admin_adds_a_user(page: Page, live_server: str) -> None:
    page.goto(live_server + "/admin/users")
    expect(page).to_have_url(live_server + "/auth/login?next=%2Fadmin%2Fusers")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(live_server + "/admin/users")
    page.get_by_label("Email").fill("organizer@example.org")
    page.get_by_label("Role", exact=True).select_option("staff")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_contain_text("Added organizer@example.org")
    link = page.get_by_label("One-time link to set a password:").input_value()
    assert link.startswith(live_server + "/auth/reset/") or "/auth/reset/" in link
    expect(page.get_by_role("cell", name="organizer@example.org", exact=True)).to_be_visible()


def test_wrong_password_message(page: Page, live_server: str) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill("admin@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an account."
    )


def test_skip_link_is_first_and_focus_is_visible(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"


def test_mobile_width_has_no_horizontal_scroll(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/auth/login"):
        page.goto(live_server + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
