"""Security headers, error pages, health check and the demo banner."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker import create_app
from tracker.extensions import db
from tracker.settings import override


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for path in ("/", "/auth/login", "/healthz", "/api/v1/", "/missing"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_behind_tls(app: Flask) -> None:
    secure = create_app({**app.config, "TRACKER_BEHIND_TLS": True})
    response = secure.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.fresh_app
def test_embeddable_views_allow_configured_origins(app: Flask) -> None:
    from tracker.security import embeddable

    override(app, TRACKER_EMBED_ORIGINS=["https://partner.example"])

    @embeddable
    def widget() -> str:
        return "widget"

    app.add_url_rule("/embed/test-widget", "embed_test", widget)
    response = app.test_client().get("/embed/test-widget")
    assert "frame-ancestors https://partner.example" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_no_assets_from_other_hosts(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    for marker in ('src="http', 'src="//', 'href="//', "cdn"):
        assert marker not in html
    assert 'href="/static/style.css"' in html


def test_theme_uses_org_colours(client: FlaskClient, app: Flask) -> None:
    override(app, TRACKER_ORG_COLORS=["#123456", "#abcdef"])
    css = client.get("/theme.css").get_data(as_text=True)
    assert "--brand: #123456" in css and "--accent: #abcdef" in css


def test_healthz_checks_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_not_found_pages(client: FlaskClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Not Found" in page.get_data(as_text=True) and "<main" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.get_json()["error"] == "Not Found"


def test_oversized_request_is_refused(client: FlaskClient, app: Flask) -> None:
    override(app, MAX_CONTENT_LENGTH=1024)
    response = client.post("/auth/login", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413


def test_method_not_allowed(client: FlaskClient) -> None:
    assert client.delete("/").status_code == 405


@pytest.mark.fresh_app
def test_unexpected_errors_show_a_page_and_roll_back(app: Flask) -> None:
    app.config["PROPAGATE_UNEXPECTED"] = False

    def boom() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)


def test_demo_banner_only_while_demo_is_loaded(client: FlaskClient, app: Flask) -> None:
    from tracker import demo

    assert "Demo data." not in client.get("/").get_data(as_text=True)
    demo.load_demo()
    db.session.commit()
    assert "Demo data." in client.get("/").get_data(as_text=True)
    assert "Demo data." in client.get("/auth/login").get_data(as_text=True)
    demo.remove_demo()
    db.session.commit()
    assert "Demo data." not in client.get("/").get_data(as_text=True)


def test_times_are_shown_in_minnesota_time() -> None:
    """Stored in UTC; shown as a Minnesotan reads them (daylight time included)."""
    import datetime as dt

    from tracker import localtime

    winter = dt.datetime(2026, 1, 13, 15, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 5, 4, 14, 30, tzinfo=dt.UTC)
    assert localtime.day_and_clock(winter) == "January 13, 2026, 9:00 a.m. CST"
    assert localtime.day_and_clock(summer) == "May 4, 2026, 9:30 a.m. CDT"
    late = dt.datetime(2026, 3, 4, 3, 0, tzinfo=dt.UTC)  # 9 p.m. the evening before
    assert (localtime.iso_day(late), localtime.day(late)) == ("2026-03-03", "March 3, 2026")
    assert localtime.stamp(late) == "2026-03-03 9:00 p.m. CST"


def test_no_template_formats_a_time_itself() -> None:
    """Every time goes through the Minnesota-time filters (tracker.localtime)."""
    from tests.conftest import PROJECT_ROOT

    offenders = [
        str(p.relative_to(PROJECT_ROOT))
        for p in (PROJECT_ROOT / "templates").rglob("*")
        if p.is_file() and ("strftime" in p.read_text() or "UTC" in p.read_text())
    ]
    assert offenders == []


def test_served_workers_tune_the_garbage_collector(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """gunicorn's entry point freezes what start-up made and collects less often
    (tracker/wsgi.py: collections walked the cached snapshots and were the slowest
    requests under load); a fresh interpreter, so the test process keeps CPython's
    defaults."""
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "test-secret",
    }
    probe = (
        "import gc, json; import tracker.wsgi as w; "
        "print(json.dumps([list(gc.get_threshold()), gc.get_freeze_count(), "
        "list(w.SERVING_GC_THRESHOLDS)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    threshold, frozen, wanted = json.loads(done.stdout.strip().splitlines()[-1])
    assert threshold == wanted and wanted[0] > 700  # CPython's default is 700
    assert frozen > 10_000  # the modules and the app, never walked again


def test_links_in_bulk_are_the_links_url_for_makes(app: Flask) -> None:
    """tracker.links fills one url_for pattern per request; for any value it must
    give what url_for itself gives (quoting included), relative or external."""
    from flask import url_for

    from tracker import links

    odd = ["HF1", "a b", "é/ü", "x&y=z", "100%", "LINKSLOT0X", "LINKSLOT1X", "it's(1)", "?#"]
    with app.test_request_context("/"):
        people, roll_calls = links.legislator_pages(), links.roll_call_pages()
        api_people = links.maker("api.legislator", "public_id", external=True)
        for value in odd:
            assert links.legislator_page(value) == url_for("public.legislator", public_id=value)
            assert people(value) == url_for("public.legislator", public_id=value)
            assert roll_calls(value) == url_for("public.roll_call", public_id=value)
            assert api_people(value) == url_for("api.legislator", public_id=value, _external=True)
            assert links.bill_page("2025-2026", value) == url_for(
                "public.bill", session="2025-2026", bill=value
            )
            assert links.link("api.legislator", external=True, public_id=value) == url_for(
                "api.legislator", public_id=value, _external=True
            )
        with pytest.raises(ValueError, match="not a path value"):
            links.maker("public.bills", "q")  # a query argument is quoted otherwise


def test_score_markup_rounds_once_escapes_and_translates(app: Flask) -> None:
    """``score_badge`` and ``score_value`` (template globals): the display rounding
    of tracker.scoring, data-score for scripts, escaped words, the page's language."""
    from fractions import Fraction

    from flask_babel import force_locale

    from tracker.web import score_badge, score_value

    with app.test_request_context("/"):
        assert str(score_badge(Fraction(125, 2), "B<")) == (
            '<span class="score-badge" data-score="63"><span class="score">63</span>'
            ' <span class="grade">grade B&lt;</span></span>'
        )
        assert str(score_badge(None)) == (
            '<span class="score-badge" data-score=""><span class="score score-none">'
            "not enough votes</span></span>"
        )
        assert str(score_value(Fraction(49, 2), "span", 'D"FL')) == (
            '<span data-score="25" data-median="D&#34;FL">25</span>'
        )
        assert str(score_value(None)) == '<strong data-score="">–</strong>'
        with force_locale("es"):
            spanish = str(score_badge(None))
        assert "not enough votes" not in spanish and 'data-score=""' in spanish


def test_a_requests_links_are_freed_without_the_cycle_collector(
    app: Flask,
    demo_full: None,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """tracker.links drops a request's links when its context ends.  A scorecard
    page's template keeps its context, and so ``g``, in a reference cycle; dropped
    first, the links are freed by reference counting, and no collection has to walk
    them (a thousand objects)."""
    import contextvars
    import gc
    import weakref

    from tracker import links

    made: list[weakref.ref[links._Made]] = []

    class Recorded(links._Made):
        def __init__(self) -> None:
            super().__init__()
            made.append(weakref.ref(self))

    monkeypatch.setattr(links, "_Made", Recorded)

    from sqlalchemy import select

    from tracker.models import Scorecard

    card = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).first()
    assert card is not None
    path = f"/scorecards/{card.public_id}"  # its template keeps its context in a cycle

    def serve() -> None:  # as a server's thread does: requests one after another
        client = FlaskClient(app)
        client.get(path)  # warm: whatever is made once per process
        gc.collect()
        gc.disable()
        try:
            made.clear()
            page = client.get(path)
            assert page.status_code == 200 and len(made) == 1
            assert made[0]() is None
        finally:
            gc.enable()

    contextvars.Context().run(serve)  # no app context of the test's around it
