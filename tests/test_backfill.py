"""``tracker backfill``: three invented sessions from a local site and from a replay
directory; a run killed with SIGKILL mid-step resumes with nothing duplicated; a
network failure resumes cleanly; a killed run is marked abandoned.

The site is tests/fakesite.py (hand-built pages, invented legislators).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug import Request, Response

from tests.conftest import PROJECT_ROOT
from tests.fakesite import FakeLegislature, three_sessions
from tests.sites import point_at
from tracker import backfill, ingest, roster, runs
from tracker.extensions import db
from tracker.models import (
    Authorship,
    BackfillStep,
    Bill,
    BillAction,
    DataQualityItem,
    JournalRoll,
    JournalRollEntry,
    MemberVote,
    Person,
    RollCall,
    ScrapeRun,
)
from tracker.settings import of

SESSIONS = [s.identifier for s in three_sessions()]


@pytest.fixture
def site(app: Flask, httpserver: Any) -> FakeLegislature:
    fake = FakeLegislature(three_sessions())
    httpserver.expect_request(re.compile(".*")).respond_with_handler(
        lambda request: fake.handle(request)
    )  # late-bound: a test may swap the handler
    base = httpserver.url_for("/").rstrip("/")
    point_at(app, base, TRACKER_LRL_URL=base)
    ingest.upsert_people(fake.people())
    db.session.commit()
    return fake


def counts() -> dict[str, int]:
    db.session.commit()  # end the read transaction: see what other processes committed
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (Bill, RollCall, MemberVote, JournalRoll, JournalRollEntry, Person)
    }


def test_three_sessions_from_the_record(site: FakeLegislature) -> None:
    lines: list[str] = []
    rows = backfill.backfill(2021, sessions=SESSIONS, report=lines.append)
    assert [(r.session_identifier, r.step, r.status) for r in rows] == [
        (s, step, "done") for s in SESSIONS for step in backfill.STEPS
    ]
    assert lines[0] == "[1/9] 2021-2022 roster"
    found = counts()
    assert found["Bill"] == 18 and found["RollCall"] == 18 and found["Person"] == 12
    # every roll call verified: the senators' Open States roles have no start date, the
    # journal rolls of their days show them seated
    assert all(rc.verified for rc in db.session.scalars(select(RollCall))), [
        rc.verification_note for rc in db.session.scalars(select(RollCall))
    ]
    first_day = db.session.scalar(
        select(JournalRoll).where(
            JournalRoll.chamber == "house", JournalRoll.day == three_sessions()[0].start
        )
    )
    assert {e.basis for e in first_day.entries} == {"district"}
    assert all(e.district and e.person_id for e in first_day.entries)
    excused = db.session.scalar(
        select(func.count()).select_from(MemberVote).where(MemberVote.option == "excused")
    )
    assert excused == 9  # one member excused on each House vote day
    # a second backfill has nothing to do
    assert backfill.backfill(2021, sessions=SESSIONS) == []
    status = [line for line in backfill.status_lines(2021) if line.startswith("2023-2024")]
    assert len(status) == 3 and all(" done " in line for line in status)


def test_replayed_backfill_equals_the_live_one(
    app: Flask, site: FakeLegislature, tmp_path: Path
) -> None:
    backfill.backfill(2021, sessions=SESSIONS, record=str(tmp_path / "rec"))
    live = counts()
    wipe()
    served = len(site.log)
    rows = backfill.backfill(2021, sessions=SESSIONS, replay=str(tmp_path / "rec"))
    assert all(r.status == "done" for r in rows)
    assert len(site.log) == served  # no request reached the site
    assert counts() == live


def wipe() -> None:
    """Everything the backfill stored, gone; the roster sources stay."""
    db.session.execute(BackfillStep.__table__.delete())
    for model in (
        MemberVote,
        JournalRollEntry,
        JournalRoll,
        DataQualityItem,
        RollCall,
        Authorship,
        BillAction,
        Bill,
        ScrapeRun,
    ):
        db.session.execute(model.__table__.delete())
    roster.derive()  # the bounds the roster sources alone give
    db.session.commit()


def test_network_failure_resumes_cleanly(site: FakeLegislature) -> None:
    healthy = site.handle

    def flaky(request: Request) -> Response:
        if "/bills/v1/93/" in request.path:  # the 2023-2024 bill documents fail
            return Response("unavailable", status=503)
        return healthy(request)

    site.handle = flaky  # type: ignore[method-assign]
    first = backfill.backfill(2021, sessions=SESSIONS)
    by_step = {(r.session_identifier, r.step): r for r in first}
    assert by_step[("2023-2024", "bills")].status == "partial"
    assert "failed 6" in by_step[("2023-2024", "bills")].detail
    assert by_step[("2023-2024", "votes")].status == "partial"  # its bills are missing
    assert by_step[("2025-2026", "votes")].status == "done"  # the rest went on
    assert (
        db.session.scalar(
            select(func.count()).select_from(Bill).where(Bill.session.has(identifier="2023-2024"))
        )
        == 0
    )
    site.handle = healthy  # type: ignore[method-assign]
    site.log.clear()
    second = backfill.backfill(2021, sessions=SESSIONS)
    assert [(r.session_identifier, r.step) for r in second] == [
        ("2023-2024", "bills"),
        ("2023-2024", "votes"),
    ]
    assert [r.status for r in second] == ["done", "done"]
    assert counts()["Bill"] == 18 and counts()["RollCall"] == 18
    assert site.count("/bills/v1/92/") == 0  # the 2021-2022 bills are not fetched again


@pytest.mark.slow  # runs the installed command in a process of its own
def test_dead_run_is_marked_abandoned(app: Flask) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    dead.wait()
    row = ScrapeRun(
        job="bills", status="running", host=socket.gethostname(), pid=dead.pid, triggered_by="cli"
    )
    alive = ScrapeRun(
        job="bills",
        status="running",
        host=socket.gethostname(),
        pid=os.getpid(),
        triggered_by="cli",
    )
    db.session.add_all([row, alive])
    db.session.commit()
    assert runs.mark_abandoned() == 1
    assert row.status == "abandoned" and "stopped without finishing" in (row.error or "")
    assert alive.status == "running"


def _env(app: Flask) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        TRACKER_INSTANCE_PATH=app.instance_path,
        SECRET_KEY="test-secret",
        TRACKER_HTTP_CACHE_DIR=str(Path(app.instance_path) / "cache"),
        TRACKER_OPENSTATES_DIR=str(Path(app.instance_path) / "none"),
    )
    settings = of(app)
    for key in ("revisor_url", "revisor_api_url", "house_url", "senate_url", "leg_url", "lrl_url"):
        env[f"TRACKER_{key.upper()}"] = getattr(settings, key)  # the recording's hosts
    return env


def _tracker() -> str:
    return str(Path(sys.executable).with_name("tracker"))


@pytest.mark.committed
@pytest.mark.slow  # runs the installed command in a process of its own
def test_killed_replayed_backfill_resumes_with_nothing_duplicated(
    app: Flask, site: FakeLegislature, tmp_path: Path
) -> None:
    recording = tmp_path / "rec"
    backfill.backfill(2021, sessions=SESSIONS, record=str(recording))
    expected = counts()
    wipe()  # start again from the roster alone, replaying the recording in a real process
    # One response of the second session's bill documents becomes a FIFO: the replayed
    # process blocks reading it, at a known point in the middle of a step.
    replay = tmp_path / "replay"
    shutil.copytree(recording, replay)
    entries = [json.loads(line) for line in (replay / "index.jsonl").read_text().splitlines()]
    target = next(e for e in entries if "/bills/v1/93/2023/0/SF/2/" in e["url"])
    body = replay / target["body_file"]
    saved = body.read_bytes()
    body.unlink()
    os.mkfifo(body)
    args = [
        _tracker(),
        "backfill",
        "--replay",
        str(replay),
        *[a for s in SESSIONS for a in ("--session", s)],
    ]
    process = subprocess.Popen(
        args,
        env=_env(app),
        cwd=PROJECT_ROOT,  # noqa: S603
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:  # until the process holds the FIFO open for reading
            try:
                os.close(os.open(body, os.O_WRONLY | os.O_NONBLOCK))
                break
            except OSError:
                assert process.poll() is None, process.communicate()[0].decode()
                assert time.monotonic() < deadline, "the backfill never reached the FIFO"
                time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)  # reaps it and closes the pipe
    db.session.commit()
    steps = {
        (r.session_identifier, r.step): r.status for r in db.session.scalars(select(BackfillStep))
    }
    assert steps[("2021-2022", "votes")] == "done"
    assert steps[("2023-2024", "bills")] == "running"
    assert (
        db.session.scalar(
            select(func.count()).select_from(ScrapeRun).where(ScrapeRun.status == "running")
        )
        == 1
    )
    first_runs = {r.id for r in db.session.scalars(select(ScrapeRun))}
    body.unlink()
    body.write_bytes(saved)
    resumed = subprocess.run(
        args,
        env=_env(app),
        cwd=PROJECT_ROOT,
        capture_output=True,  # noqa: S603
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "[1/5] 2023-2024 bills" in resumed.stdout  # the finished steps are not redone
    assert counts() == expected, resumed.stdout
    abandoned = db.session.scalars(select(ScrapeRun).where(ScrapeRun.status == "abandoned")).all()
    assert len(abandoned) == 1 and abandoned[0].id in first_runs
    assert {r.status for r in db.session.scalars(select(BackfillStep))} == {"done"}
    assert (
        db.session.scalar(
            select(func.count()).select_from(ScrapeRun).where(ScrapeRun.status == "running")
        )
        == 0
    )
