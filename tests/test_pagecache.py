"""Public pages are cached until something is published, ingested or changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, Response, flash, make_response, session
from sqlalchemy import select

from tests.conftest import AuthActions, base_config, make_user
from tracker import create_app, scorecards, snapshots
from tracker.extensions import db
from tracker.models import Bill, ScrapeRun
from tracker.pagecache import FLASH_SLOT, cached_page


@pytest.fixture
def cached_app(app: Flask, demo_full: None) -> Flask:
    other = create_app(
        {
            **base_config(
                app.config["SQLALCHEMY_DATABASE_URI"], __import__("pathlib").Path(app.instance_path)
            ),
            "CACHE_TYPE": "SimpleCache",
        }
    )
    other.test_client_class = app.test_client_class
    return other


def test_second_request_is_a_hit_until_data_changes(cached_app: Flask) -> None:
    client = cached_app.test_client()
    first = client.get("/scorecards")
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    second = client.get("/scorecards")
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data
    assert "Content-Security-Policy" in second.headers  # headers still applied
    db.session.add(ScrapeRun(job="bills", status="succeeded"))  # a run that changed nothing
    db.session.commit()
    assert client.get("/scorecards").headers["X-Page-Cache"] == "hit"
    shown = snapshots.latest_versions()[0]
    shown.title = "A retitled scorecard"  # shown data changes
    db.session.commit()
    changed = client.get("/scorecards")
    assert "X-Page-Cache" not in changed.headers
    assert "A retitled scorecard" in changed.get_data(as_text=True)


def test_a_published_position_shows_at_once(cached_app: Flask) -> None:
    client = cached_app.test_client()
    bill = db.session.scalar(select(Bill).where(Bill.bill_type == "HF").limit(1))
    path = f"/bills/{bill.session.identifier}/{bill.key}"
    client.get(path)
    position = scorecards.position_for(bill)
    scorecards.set_position(
        bill,
        "oppose",
        "A freshly published rationale.",
        [],
        expected_version=position.version,
        actor="test",
    )
    scorecards.publish_position(bill, expected_version=None, actor="test")
    db.session.commit()
    assert "A freshly published rationale." in client.get(path).get_data(as_text=True)


def test_signed_in_users_are_never_served_from_the_cache(cached_app: Flask) -> None:
    make_user("staff@example.org")
    anonymous = cached_app.test_client()
    anonymous.get("/")
    staff = cached_app.test_client()
    AuthActions(staff).login()
    page = staff.get("/")
    assert "X-Page-Cache" not in page.headers
    assert "Sign out (staff@example.org)" in page.get_data(as_text=True)
    assert "Sign out" not in anonymous.get("/").get_data(as_text=True)


def test_errors_are_not_cached(cached_app: Flask) -> None:
    client = cached_app.test_client()
    client.get("/bills/2025-2026/HF9999")
    assert "X-Page-Cache" not in client.get("/bills/2025-2026/HF9999").headers


SIGN_IN_FLASH = "Please sign in to see that page."


def test_a_visitors_flash_message_is_never_cached_for_others(cached_app: Flask) -> None:
    visitor_a = cached_app.test_client()
    assert visitor_a.get("/staff/").status_code == 302  # queues A's flash message
    seen_by_a = visitor_a.get("/legislators")  # the miss that fills the cache
    assert "X-Page-Cache" not in seen_by_a.headers
    assert SIGN_IN_FLASH in seen_by_a.get_data(as_text=True)
    visitor_b = cached_app.test_client()
    seen_by_b = visitor_b.get("/legislators")
    assert seen_by_b.headers["X-Page-Cache"] == "hit"
    page = seen_by_b.get_data(as_text=True)
    assert SIGN_IN_FLASH not in page and FLASH_SLOT not in page
    assert "Set-Cookie" not in seen_by_b.headers
    assert "<h1>Legislators</h1>" in page
    # A's message was shown once; A's next view is the plain cached page.
    assert SIGN_IN_FLASH not in visitor_a.get("/legislators").get_data(as_text=True)


def test_a_cache_hit_still_shows_the_visitors_own_flash(cached_app: Flask) -> None:
    cached_app.test_client().get("/scorecards")  # cached by someone else
    visitor = cached_app.test_client()
    visitor.get("/staff/")
    hit = visitor.get("/scorecards")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert f'role="status">{SIGN_IN_FLASH}</p>' in hit.get_data(as_text=True)


def test_per_visitor_responses_are_served_but_never_stored(cached_app: Flask) -> None:
    @cached_app.get("/_test/cookie")
    @cached_page
    def sets_cookie() -> Response:
        response = make_response("cookie page")
        response.set_cookie("seen", "1")
        return response

    @cached_app.get("/_test/session")
    @cached_page
    def reads_session() -> str:
        return f"visits: {session.get('visits', 0)}"

    @cached_app.get("/_test/flash")
    @cached_page
    def flashes_a_message() -> str:
        flash("Only for you.")
        return "flashed"

    client = cached_app.test_client()
    for path, text in [
        ("/_test/cookie", "cookie page"),
        ("/_test/session", "visits: 0"),
        ("/_test/flash", "flashed"),
    ]:
        first, second = client.get(path), cached_app.test_client().get(path)
        assert first.get_data(as_text=True) == text == second.get_data(as_text=True)
        assert "X-Page-Cache" not in first.headers and "X-Page-Cache" not in second.headers


def test_home_is_kept_until_the_first_open_alerts_deadline_passes(
    cached_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home page lists open alerts; a deadline passing changes no data, so the
    cached page is kept only until then (``pagecache.stale_at``)."""
    import datetime as dt

    import cachelib.simple

    from tests.test_pressure import published_alert, world
    from tracker.models.common import utcnow
    from tracker.public import views

    alert = published_alert(
        world()["bill"], title="Call before the hearing", deadline=utcnow() + dt.timedelta(hours=1)
    )
    client = cached_app.test_client()
    first = client.get("/")
    assert "X-Page-Cache" not in first.headers and alert.title in first.get_data(as_text=True)
    assert client.get("/").headers["X-Page-Cache"] == "hit"

    # Nothing is written; an hour and a second pass.
    later = __import__("time").time() + 3601
    monkeypatch.setattr(cachelib.simple, "time", lambda: later)
    monkeypatch.setattr(views, "utcnow", lambda: utcnow() + dt.timedelta(seconds=3601))
    after = client.get("/")
    assert "X-Page-Cache" not in after.headers
    assert alert.title not in after.get_data(as_text=True)


def test_a_page_whose_moment_has_passed_is_not_kept(cached_app: Flask) -> None:
    import datetime as dt

    from tracker.pagecache import stale_at

    @cached_page
    def view() -> str:
        stale_at(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        return "already stale"

    cached_app.add_url_rule("/stale-now", "stale_now", view)
    client = cached_app.test_client()
    client.get("/stale-now")
    second = client.get("/stale-now")
    assert second.get_data(as_text=True) == "already stale"
    assert "X-Page-Cache" not in second.headers


@pytest.fixture
def server_clock_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the server's time zone (``TZ``) for a test, restored afterwards."""
    import time

    def set_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Chicago"])
def test_a_page_is_kept_until_midnight_in_minnesota(
    server_clock_in: Callable[[str], None], zone: str
) -> None:
    """Today is Minnesota's (``localtime.today``) whatever the server's clock: an
    entry made at 23:30 there is gone half an hour later, at its midnight."""
    import datetime as dt

    from tracker import localtime
    from tracker.pagecache import day_ends

    server_clock_in(zone)
    # 23:30 in Minnesota (CST, UTC-6) is 05:30 UTC on the next day.
    evening = dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)
    assert localtime.today(evening) == dt.date(2026, 2, 28)
    assert day_ends(evening) == dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    # 17:30 there (23:30 UTC): the server's UTC day ends first, Minnesota's does not.
    afternoon = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    assert localtime.today(afternoon) == dt.date(2026, 2, 28)
    assert day_ends(afternoon) == dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    # In summer (CDT, UTC-5) Minnesota's midnight is 05:00 UTC.
    summer = dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC)
    assert day_ends(summer) == dt.datetime(2026, 7, 1, 5, 0, tzinfo=dt.UTC)


def test_a_cached_page_is_not_served_after_midnight(
    cached_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No data changes overnight; once the day ends the page is rendered again."""
    import datetime as dt
    import time

    import cachelib.simple

    from tracker import pagecache

    # The day ends in 90 seconds (day_ends itself is tested above).
    monkeypatch.setattr(
        pagecache, "day_ends", lambda now: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
    )
    client = cached_app.test_client()
    client.get("/legislators")
    assert client.get("/legislators").headers["X-Page-Cache"] == "hit"
    after = time.time() + 91
    monkeypatch.setattr(cachelib.simple, "time", lambda: after)
    assert "X-Page-Cache" not in client.get("/legislators").headers


def test_api_documents_are_cached_until_data_changes(cached_app: Flask) -> None:
    """An API document is a hit on the second request, with the same body, ETag and
    Last-Modified as the render that filled the cache; a change of data shows at once."""
    client = cached_app.test_client()
    card = snapshots.latest_versions()[0].scorecard.public_id
    path = f"/api/v1/scorecards/{card}"
    first = client.get(path)
    assert first.status_code == 200 and "X-Page-Cache" not in first.headers
    second = client.get(path)
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data
    for header in ("ETag", "Last-Modified", "Cache-Control", "Access-Control-Allow-Origin"):
        assert second.headers[header] == first.headers[header]
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    shown = snapshots.latest_versions()[0]
    shown.title = "A retitled scorecard"
    db.session.commit()
    changed = client.get(path)
    assert "X-Page-Cache" not in changed.headers
    assert changed.get_json()["title"] == "A retitled scorecard"
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_an_api_documents_links_are_for_the_host_asked(cached_app: Flask) -> None:
    """Documents link absolutely: a hit for one host never hands out another's links."""
    client = cached_app.test_client()
    one = client.get("/api/v1/", base_url="http://one.example")
    assert one.get_json()["links"]["bills"] == "http://one.example/api/v1/bills"
    other = client.get("/api/v1/", base_url="https://other.example")
    assert "X-Page-Cache" not in other.headers
    assert other.get_json()["links"]["bills"] == "https://other.example/api/v1/bills"
    again = client.get("/api/v1/", base_url="http://one.example")
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.get_json()["links"]["bills"] == "http://one.example/api/v1/bills"


def test_api_errors_are_not_cached(cached_app: Flask) -> None:
    client = cached_app.test_client()
    for path in ("/api/v1/bills?per_page=0", "/api/v1/legislators/nobody"):
        first, second = client.get(path), client.get(path)
        assert first.status_code == second.status_code and first.status_code in (400, 404)
        assert second.get_json()["message"] == first.get_json()["message"]
        assert "X-Page-Cache" not in second.headers
