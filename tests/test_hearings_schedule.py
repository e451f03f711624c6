"""Hearing schedules end to end: the House and Senate schedules served by a local
server (the hand-built fixtures of tests/fixtures/mn/reconstructed/committees, and
variants of them built below by editing their text, hand-built too), stored,
re-scraped as hearings move and are cancelled, recorded and replayed.

Every name is invented.  Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug import Request, Response

from tests.conftest import FIXTURES, truncate_all
from tests.factories import make_bill, make_session
from tracker import dataversion, hearings, quality, scrape_cli
from tracker.extensions import db
from tracker.models import Committee, Hearing, HearingChange
from tracker.settings import override

COMMITTEES = FIXTURES / "mn" / "reconstructed" / "committees"
EARLIER = (COMMITTEES / "house_schedule_all_earlier.html").read_text()
NOW_PAGE = (COMMITTEES / "house_schedule_all.html").read_text()
SENATE = (COMMITTEES / "senate_schedule_upcoming.json").read_bytes()
# Minnesota time is UTC-6 in early March.
DAY_BEFORE = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)  # 8 a.m., March 2
MORNING = dt.datetime(2026, 3, 3, 14, 0, tzinfo=dt.UTC)  # 8 a.m., March 3
NOON = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)  # noon, March 3
RULES_1PM = dt.datetime(2026, 3, 3, 19, 0, tzinfo=dt.UTC)
RULES_3PM = dt.datetime(2026, 3, 3, 21, 0, tzinfo=dt.UTC)


def rules_at(page: str, clock: str) -> str:
    """A hand-built variant: the first Rules and Procedure meeting at ``clock``."""
    return page.replace("Tuesday, March 3, 2026 , 3:00 PM", f"Tuesday, March 3, 2026 , {clock}")


class ScheduleSite:
    def __init__(self) -> None:
        self.house: str | None = EARLIER
        self.senate: bytes = SENATE
        self.log: list[str] = []

    def handle(self, request: Request) -> Response:
        self.log.append(request.path)
        if request.path == "/Schedules/All":
            if self.house is None:
                return Response("unavailable", status=500)
            return Response(self.house, content_type="text/html")
        if request.path == "/api/schedule/upcoming":
            return Response(self.senate, content_type="application/json")
        return Response("not found", status=404)


@pytest.fixture
def site(app: Any, httpserver: Any) -> ScheduleSite:
    fake = ScheduleSite()
    httpserver.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    base = httpserver.url_for("/").rstrip("/")
    override(
        app,
        TRACKER_HOUSE_URL=base,
        TRACKER_SENATE_URL=base,
        TRACKER_REQUESTS_PER_SECOND=10000.0,
        TRACKER_HTTP_RETRIES=0,
        TRACKER_HTTP_BACKOFF=0.0,
        TRACKER_HTTP_READ_TIMEOUT=5.0,
    )
    if "scrape" not in app.cli.commands:
        scrape_cli.register(app)
    return fake


@pytest.fixture
def session(app: Any) -> Any:
    row = make_session()
    make_bill(row, "HF", 2210, title="Invented capital projects review resolution")
    db.session.commit()
    return row


def by_committee(name: str) -> list[Hearing]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.committee_name == name)
            .order_by(Hearing.date, Hearing.source_key)
        )
    )


def rules() -> Hearing:
    return next(h for h in by_committee("Rules and Procedure") if h.agenda.startswith("Calendar"))


def state() -> list[tuple[Any, ...]]:
    db.session.expire_all()
    return [
        (
            h.source_key,
            h.chamber,
            h.committee_name,
            h.committee.name if h.committee else None,
            h.date,
            h.starts_at,
            h.time_text,
            h.room,
            h.agenda,
            h.status_notes,
            h.cancelled,
            h.missing_from_source,
            h.source_url,
            [(b.bill_type, b.number, b.bill_id is not None) for b in h.bills],
            [(d.title, d.url) for d in h.documents],
            [c.kind for c in h.changes],
        )
        for h in db.session.scalars(select(Hearing).order_by(Hearing.source_key))
    ]


def test_schedules_are_stored_with_times_in_utc(site: ScheduleSite, session: Any) -> None:
    run = hearings.scrape_hearings(now=DAY_BEFORE)
    assert run.status == "succeeded", run.error
    assert (run.fetched, run.new, run.changed) == (2, 10, 0)  # 6 House and 4 Senate meetings
    capital = by_committee("Capital Projects Review")[0]
    assert capital.starts_at == dt.datetime(2026, 3, 3, 14, 15, tzinfo=dt.UTC)  # 8:15 a.m. CST
    assert capital.room == "Capitol 120" and capital.time_text == "8:15 AM"
    assert capital.source_url == "https://www.house.mn.gov/Schedules/All"  # the real host
    assert [(b.label, b.bill_id is not None) for b in capital.bills] == [
        ("HF 2210", True),
        ("HF 2215", False),
        ("SF 2190", False),
    ]  # linked when stored
    assert capital.documents[0].url == "https://www.house.mn.gov/comm/docs/H2210A2-invented.pdf"
    committee = capital.committee
    assert (committee.name, committee.source_id, committee.sources) == (
        "Capital Projects Review",
        "94003",
        ["schedule"],
    )
    assert committee.session_id == session.id
    senate = by_committee("Civic Process Committee")[0]
    assert senate.source_key == "senate:21907"
    assert senate.starts_at == dt.datetime(2026, 3, 3, 18, 30, tzinfo=dt.UTC)
    assert senate.room == "1200 Minnesota Senate Bldg."
    # one committee per chamber's id: the Senate's ids are the committee's own
    assert (
        db.session.scalar(
            select(func.count()).select_from(Committee).where(Committee.source_id == "3902")
        )
        == 1
    )


def test_a_hearing_without_a_time_keeps_its_date_and_is_flagged(
    site: ScheduleSite, session: Any
) -> None:
    hearings.scrape_hearings(now=DAY_BEFORE)
    broadband = by_committee("Rural Broadband Division")[0]
    assert broadband.starts_at is None and broadband.date == dt.date(2026, 3, 3)
    assert broadband.time_text == "12:00 AM"  # printed, never taken for midnight
    assert broadband.time_note == "Immediately following the floor session"
    items = {i.details["hearing"]: i for i in quality.open_items(["hearing_without_time"])}
    assert broadband.public_id in items
    assert "posted without a time (printed '12:00 AM')" in items[broadband.public_id].message
    assert len(items) == 3  # and the commission's card and the Senate's date-only entry
    # a later schedule with a time settles it
    site.house = NOW_PAGE.replace("March 3, 2026 , 12:00 AM", "March 3, 2026 , 2:00 PM")
    hearings.scrape_hearings(now=MORNING)
    assert by_committee("Rural Broadband Division")[0].starts_at is not None
    assert broadband.public_id not in {
        i.details["hearing"] for i in quality.open_items(["hearing_without_time"])
    }


def test_a_moved_and_a_cancelled_hearing_keep_their_rows(site: ScheduleSite, session: Any) -> None:
    hearings.scrape_hearings(now=DAY_BEFORE)
    before = rules()
    first_id = before.id
    assert before.starts_at == RULES_1PM and before.room == "Capitol 120"
    cancelled_id = by_committee("Capital Projects Review")[1].id
    version = dataversion.current()

    site.house = NOW_PAGE  # the next day: moved to 3 p.m. in G3, March 4 cancelled
    run = hearings.scrape_hearings(now=MORNING)
    assert run.new == 0 and run.changed == 2
    assert dataversion.current() > version
    moved = rules()
    assert moved.id == first_id
    assert moved.starts_at == RULES_3PM and moved.room == "Capitol G3"
    assert moved.status_notes == ["Time Changed", "Location Changed"]
    assert [(c.kind, c.before, c.after) for c in moved.changes] == [
        (
            "moved",
            {"starts_at": RULES_1PM.isoformat(), "time_text": "1:00 PM"},
            {"starts_at": RULES_3PM.isoformat(), "time_text": "3:00 PM"},
        ),
        ("room", {"room": "Capitol 120"}, {"room": "Capitol G3"}),
    ]
    cancelled = db.session.get(Hearing, cancelled_id)
    assert cancelled.cancelled and not cancelled.missing_from_source
    assert [c.kind for c in cancelled.changes] == ["cancelled"]
    assert cancelled.bills == []  # the cancelled card lists no bill any more
    assert quality.open_items(["hearing_moved_twice", "hearing_identity"]) == []

    # the same page again changes nothing (and empties no cache)
    version = dataversion.current()
    run = hearings.scrape_hearings(now=MORNING + dt.timedelta(hours=1))
    assert (run.changed, run.unchanged) == (0, 10)
    assert dataversion.current() == version


def test_a_hearing_moved_twice_in_a_day_is_kept_and_flagged(
    site: ScheduleSite, session: Any
) -> None:
    hearings.scrape_hearings(now=DAY_BEFORE)
    site.house = NOW_PAGE
    hearings.scrape_hearings(now=MORNING)  # 1 p.m. -> 3 p.m.: the first move that day
    site.house = rules_at(NOW_PAGE, "4:00 PM")
    hearings.scrape_hearings(now=NOON)  # -> 4 p.m. the same day
    moved = rules()
    assert moved.starts_at == dt.datetime(2026, 3, 3, 22, 0, tzinfo=dt.UTC)  # the latest
    [item] = quality.open_items(["hearing_moved_twice"])
    assert "moved again on March 3, 2026: now 4:00 PM" in item.message
    assert [c["kind"] for c in item.details["changes"]] == ["moved", "room", "moved"]


def test_meetings_that_trade_places_are_followed_and_flagged(
    site: ScheduleSite, session: Any
) -> None:
    site.house = NOW_PAGE
    hearings.scrape_hearings(now=DAY_BEFORE)
    first, second = by_committee("Rules and Procedure")
    # the 3 p.m. meeting moves to 7 p.m., after the 6:30 p.m. one: in page order
    # each card now carries the other's place, so the keys swap times
    site.house = rules_at(NOW_PAGE, "7:00 PM").replace(
        "Tuesday, March 3, 2026 , 6:30 PM", "Tuesday, March 3, 2026 , 6:29 PM"
    )
    cards = site.house.split('<div class="card my-2 d-print-block">')
    cards[3], cards[4] = cards[4], cards[3]  # the page lists them by time
    site.house = '<div class="card my-2 d-print-block">'.join(cards)
    hearings.scrape_hearings(now=MORNING)
    [item] = quality.open_items(["hearing_identity"])
    assert "can no longer be told apart: 2 moved" in item.message
    assert set(item.details["hearings"]) == {first.public_id, second.public_id}
    # the schedule is shown as posted
    assert sorted(h.starts_at for h in by_committee("Rules and Procedure")) == [
        dt.datetime(2026, 3, 4, 0, 29, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC),
    ]


def test_a_hearing_that_leaves_the_schedule_is_marked_never_deleted(
    site: ScheduleSite, session: Any
) -> None:
    site.house = NOW_PAGE
    hearings.scrape_hearings(now=DAY_BEFORE)
    broadband_id = by_committee("Rural Broadband Division")[0].id
    cards = NOW_PAGE.split('<div class="card my-2 d-print-block">')
    site.house = '<div class="card my-2 d-print-block">'.join(
        c for c in cards if "Rural Broadband" not in c or "Currently Posted" in c
    )
    hearings.scrape_hearings(now=MORNING)
    gone = db.session.get(Hearing, broadband_id)
    assert gone.missing_from_source and not gone.cancelled
    assert [c.kind for c in gone.changes] == ["missing"]
    site.house = NOW_PAGE
    hearings.scrape_hearings(now=NOON)
    back = db.session.get(Hearing, broadband_id)
    db.session.refresh(back)
    assert not back.missing_from_source and [c.kind for c in back.changes] == ["missing", "back"]


def test_a_failed_fetch_changes_nothing_stored(site: ScheduleSite, session: Any) -> None:
    hearings.scrape_hearings(now=DAY_BEFORE)
    before = state()
    site.house = None  # HTTP 500
    run = hearings.scrape_hearings(now=MORNING)
    assert run.status == "partial" and run.failed == 1
    assert [e.item for e in run.errors] == ["house schedule"]
    assert state() == before  # the Senate's schedule is unchanged too
    site.house = "<html><body><h1>Maintenance</h1></body></html>"  # not the schedule
    run = hearings.scrape_hearings(now=MORNING)
    assert "no meeting cards" in run.errors[0].reason
    assert state() == before
    assert db.session.scalar(select(func.count()).select_from(HearingChange)) == 0


@pytest.mark.committed
def test_a_recorded_schedule_replays_to_the_same_hearings(
    site: ScheduleSite, session: Any, tmp_path: Path
) -> None:
    recordings = [tmp_path / "earlier", tmp_path / "now"]
    hearings.scrape_hearings(now=DAY_BEFORE, record=str(recordings[0]))
    site.house = NOW_PAGE
    hearings.scrape_hearings(now=MORNING, record=str(recordings[1]))
    expected = state()
    assert any(row[10] for row in expected)  # a cancelled hearing
    assert any("moved" in row[15] for row in expected)  # a moved one
    db.session.commit()
    db.session.remove()
    truncate_all()
    replayed = make_session()
    make_bill(replayed, "HF", 2210, title="Invented capital projects review resolution")
    db.session.commit()
    served = len(site.log)
    for recording, now in zip(recordings, (DAY_BEFORE, MORNING), strict=True):
        run = hearings.scrape_hearings(now=now, replay=str(recording))
        assert run.status == "succeeded" and run.requests == 0
    assert len(site.log) == served  # nothing fetched
    assert state() == expected


def test_cli_scrape_hearings(site: ScheduleSite, session: Any, runner: Any) -> None:
    result = runner.invoke(args=["scrape", "hearings"])
    assert result.exit_code == 0, result.output
    assert "hearings run" in result.output and "fetched 2" in result.output
    result = runner.invoke(args=["scrape", "hearings", "--session", "2025"])
    assert result.exit_code == 2


def test_the_hearings_job_runs_hourly_in_session_and_daily_outside(
    app: Any, site: ScheduleSite
) -> None:
    from tracker import jobs, scheduler

    entries = {e.id: e for e in scheduler.schedule_entries(scheduler.read_settings(app))}
    assert (entries["hearings_in_session"].cron, entries["hearings_in_session"].when) == (
        "5 * * * *",
        "in_session",
    )
    assert (entries["hearings"].cron, entries["hearings"].when) == ("5 7 * * *", "out_of_session")
    assert entries["committees"].cron == "25 5 * * *"
    assert entries["committee_votes"].cron == "50 6 * * *"
    make_session()  # 2025-01-14 to 2026-05-18
    db.session.commit()
    in_session, interim = dt.date(2026, 3, 3), dt.date(2026, 7, 1)
    assert jobs.scheduled_hearings(in_session_slot=False, today=in_session) is None
    assert jobs.scheduled_hearings(in_session_slot=True, today=interim) is None
    assert site.log == []
    run = jobs.scheduled_hearings(in_session_slot=True, today=in_session)
    assert run is not None and run.job == "hearings" and run.triggered_by == "scheduler"
    assert site.log == ["/Schedules/All", "/api/schedule/upcoming"]
