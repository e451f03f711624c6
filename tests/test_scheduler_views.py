"""The admin scheduler page: who may see it, and the "run now" button."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tracker import jobs
from tracker.extensions import db
from tracker.models import AuditEvent, JobRequest, ScrapeError, ScrapeRun

PAGE = "/admin/scheduler"


@pytest.fixture(autouse=True)
def pipeline_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page offers "run now" for jobs whose pipeline exists; pretend all but votes do."""
    monkeypatch.setattr(
        jobs, "available", lambda name: name in {"sessions", "legislators", "bills"}
    )


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_admin_sees_schedule_runs_and_errors(
    client: FlaskClient, auth: Any, admin_user: Any
) -> None:
    run = ScrapeRun(job="bills", status="partial", fetched=7, new=2, failed=1)
    run.errors.append(
        ScrapeError(item="SF 1832", url="https://www.revisor.mn.gov/x", reason="truncated XML")
    )
    db.session.add_all([run, ScrapeRun(job="legislators", status="failed", error="Boom trace")])
    db.session.commit()
    auth.login("admin@example.org")
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (
        "15 5 * * *",
        "20 * * * *",
        "TRACKER_CRON_BILLS_IN_SESSION",
        "Next run",
        "No scheduler is running",
        "truncated XML",
        "https://www.revisor.mn.gov/x",
        "Boom trace",
        "partial",
        "Run legislators now",
    ):
        assert text in html, text
    assert "Run votes now" not in html  # reserved, not available


def test_staff_forbidden(client: FlaskClient, auth: Any, staff_user: Any) -> None:
    auth.login("staff@example.org")
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/run/bills").status_code in (400, 403)
    assert count(JobRequest) == 0


def test_anonymous_redirected(client: FlaskClient, app: Flask) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.post(f"{PAGE}/run/bills").status_code in (302, 400)
    assert count(JobRequest) == 0


def test_run_now_creates_one_request_and_audit(
    client: FlaskClient, auth: Any, admin_user: Any
) -> None:
    auth.login("admin@example.org")
    token = csrf_token(client, PAGE)
    response = client.post(f"{PAGE}/run/bills", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    requests = db.session.scalars(select(JobRequest)).all()
    assert len(requests) == 1
    assert (requests[0].job, requests[0].status) == ("bills", "pending")
    assert requests[0].requested_by == "admin@example.org"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.run_now")).all()
    assert len(events) == 1
    assert events[0].entity_type == "job_request"
    assert events[0].actor == "admin@example.org"
    assert events[0].after == {"job": "bills"}
    html = client.get(PAGE).get_data(as_text=True)
    assert "Recent requests" in html and "waiting" in html


def test_run_now_without_csrf(client: FlaskClient, auth: Any, admin_user: Any) -> None:
    auth.login("admin@example.org")
    response = client.post(f"{PAGE}/run/bills", data={})
    assert response.status_code == 400
    assert count(JobRequest) == 0
    assert (
        count(AuditEvent) == 0
        or not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "job.run_now")
        ).all()
    )


@pytest.mark.parametrize("job", ["nonsense", "votes"])
def test_run_now_unknown_or_unavailable(
    client: FlaskClient, auth: Any, admin_user: Any, job: str
) -> None:
    auth.login("admin@example.org")
    token = csrf_token(client, PAGE)
    response = client.post(f"{PAGE}/run/{job}", data={"csrf_token": token})
    assert response.status_code in (400, 404)
    assert count(JobRequest) == 0
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "job.run_now")
    ).all()


def test_page_survives_bad_cron_setting(
    client: FlaskClient, auth: Any, admin_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_CRON_BILLS", "not a cron")
    auth.login("admin@example.org")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "TRACKER_CRON_BILLS" in page.get_data(as_text=True)
