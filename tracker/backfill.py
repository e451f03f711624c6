"""``tracker backfill --since 2011``: the record session by session, oldest first.

For each session from the 87th Legislature (2011) on, in this order:

1. ``roster`` - the first day's House Journal, whose roll by district says who
   was sworn in for which seat (from the session's start date, else through
   ``Votes/GetPage`` page 1), and the Library records of members whose Open
   States file links one;
2. ``bills`` - the Revisor listing and every bill's status XML (``tracker
   scrape bills``);
3. ``votes`` - House vote pages and Senate journal roll calls, with the journal
   roll (attendance) of every vote day (``tracker scrape votes``).  A session
   without a House vote key gets the Senate only, and says so.

A step is ``done`` when its run succeeded; a step whose run had failed items
(``partial``) or failed is done again by the next backfill, which refetches only
what is still missing.  Every step is idempotent (upserts on natural keys; a
bill fetched in the last ``TRACKER_REFRESH_DAYS`` is not fetched again, a
journal day already read is not read again), so a backfill killed at any point
(``kill -9`` included) resumes where it stopped with nothing duplicated: each step is a
``BackfillStep`` row that is ``done`` once it finished, and the next start
marks the dead process's runs ``abandoned`` and redoes its unfinished step.
Requests go through the scrapers' client at ``TRACKER_REQUESTS_PER_SECOND``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from scrapers import vocab
from scrapers.records import SessionRecord
from scrapers.sessions import KNOWN_SESSIONS
from scrapers.sources import Sources
from tracker import journals, lrl, pipeline, runs
from tracker.demo import refuse_if_demo
from tracker.extensions import db
from tracker.models import BackfillStep, LegislativeSession, Person, ScrapeRun
from tracker.models.common import utcnow
from tracker.sessions import ensure_session
from tracker.settings import current

STEPS = ("roster", "bills", "votes")
FIRST_LEGISLATURE = 87  # 2011-2012


@dataclass(frozen=True)
class Planned:
    session: str
    step: str


Report = Callable[[str], None]


def sessions_since(year: int, only: Sequence[str] | None = None) -> list[SessionRecord]:
    """Known sessions from ``year`` on, oldest first (regular before its specials);
    only those named in ``only`` when given."""
    if year < 2011:
        raise ValueError("the backfill reaches back to 2011 (the 87th Legislature)")
    chosen = [s for s in KNOWN_SESSIONS if s.year >= year and s.legislature >= FIRST_LEGISLATURE]
    if only:
        unknown = set(only) - {s.identifier for s in chosen}
        if unknown:
            raise ValueError(f"unknown session(s) {', '.join(sorted(unknown))} (or before {year})")
        chosen = [s for s in chosen if s.identifier in set(only)]
    return sorted(chosen, key=lambda s: (s.year, s.special_number))


def plan(year: int, only: Sequence[str] | None = None) -> list[Planned]:
    """The steps still to do (``done`` and ``skipped`` ones are left out)."""
    finished = {
        (r.session_identifier, r.step)
        for r in db.session.scalars(
            select(BackfillStep).where(BackfillStep.status.in_(["done", "skipped"]))
        )
    }
    return [
        Planned(s.identifier, step)
        for s in sessions_since(year, only)
        for step in STEPS
        if (s.identifier, step) not in finished
    ]


def _step_row(session: str, step: str) -> BackfillStep:
    row = db.session.scalar(
        select(BackfillStep).where(
            BackfillStep.session_identifier == session, BackfillStep.step == step
        )
    )
    if row is None:
        row = BackfillStep(session_identifier=session, step=step, status="pending", detail="")
        db.session.add(row)
    return row


def _first_day_journal(session: LegislativeSession) -> str | None:
    """The first day's House Journal URL (``cco/journals/2017-18/J0103001.htm``)."""
    if session.special_number or session.start_date is None:
        return None
    start = session.start_date
    folder = f"{session.year}-{str(session.year + 1)[-2:]}"
    return f"{Sources().house}/cco/journals/{folder}/J{start.month:02d}{start.day:02d}001.htm"


def _roster_step(
    session: LegislativeSession, record: str | None, replay: str | None, triggered_by: str
) -> ScrapeRun:
    src = runs.sources()
    with runs.client(record, replay) as http:
        with runs.running(
            "roster",
            {"session": session.identifier, "record": record, "replay": replay},
            triggered_by,
            http,
        ) as run:
            reader = journals.JournalReader(
                run, http, src, session_id=session.id, house_key=session.house_vote_key or ""
            )
            url = _first_day_journal(session)
            if url is not None:
                reader.house_url(url, session.start_date)
            elif session.house_vote_key and not session.special_number:
                reader.house_day(session.start_date or dt.date(session.year, 1, 1), "1")
            else:
                run.note(
                    "first day",
                    "no start date and no House vote key: the first "
                    "day's roll by district is not read",
                )
            for person in db.session.scalars(
                select(Person).where(Person.lrl_id.is_not(None)).order_by(Person.id)
            ).all():
                lrl.refresh(run, http, src, person)
            run.commit()
    return run.row


def _run_step(
    planned: Planned,
    *,
    record: str | None,
    replay: str | None,
    triggered_by: str,
    progress: runs.Progress | None,
) -> tuple[str, str, int | None]:
    session = ensure_session(planned.session)
    if planned.step == "roster":
        row = _roster_step(session, record, replay, triggered_by)
    elif planned.step == "bills":
        row = pipeline.scrape_bills(
            session=planned.session,
            record=record,
            replay=replay,
            triggered_by=triggered_by,
            progress=progress,
        )
    else:
        chambers: Sequence[str] = vocab.CHAMBERS if session.house_vote_key else (vocab.SENATE,)
        row = pipeline.scrape_votes(
            session=planned.session,
            record=record,
            replay=replay,
            triggered_by=triggered_by,
            progress=progress,
            chambers=chambers,
        )
        if not session.house_vote_key and row.status != "failed":
            return (
                "done" if row.status == "succeeded" else "partial",
                f"{row.summary()} ({row.status}); Senate only: no House vote key (set one "
                f"with `tracker session set-house-key {session.identifier} KEY`)",
                row.id,
            )
    status = {"succeeded": "done", "partial": "partial"}.get(row.status, "failed")
    return (
        status,
        f"{row.summary()} ({row.status})" + (f": {row.error}" if row.error else ""),
        row.id,
    )


def _people_first(report: Report | None) -> None:
    """An empty roster is filled from the Open States data first, when it is at hand."""
    from pathlib import Path

    if db.session.scalar(select(Person.id).limit(1)) is not None:
        return
    folder = Path(current().openstates_dir)
    if not (folder / "legislature").is_dir():
        if report:
            report(
                f"no legislators stored and no Open States data at {folder}: names will not "
                "resolve until `tracker import-people` runs"
            )
        return
    row = pipeline.import_people(folder)
    if report:
        report(f"imported people from {folder}: {row.summary()} ({row.status})")


def backfill(
    since: int = 2011,
    *,
    sessions: Sequence[str] | None = None,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    report: Report | None = None,
    progress: runs.Progress | None = None,
) -> list[BackfillStep]:
    """Run the steps still to do (module docstring); returns their rows."""
    refuse_if_demo("backfilling")
    runs.mark_abandoned()
    todo = plan(since, sessions)
    if todo:
        _people_first(report)
    done: list[BackfillStep] = []
    for index, planned in enumerate(todo, start=1):
        row = _step_row(planned.session, planned.step)
        row.status, row.started_at, row.finished_at = "running", utcnow(), None
        db.session.commit()
        if report:
            report(f"[{index}/{len(todo)}] {planned.session} {planned.step}")
        status, detail, run_id = _run_step(
            planned, record=record, replay=replay, triggered_by=triggered_by, progress=progress
        )
        row = _step_row(planned.session, planned.step)
        row.status, row.detail, row.run_id, row.finished_at = (
            status,
            detail[:2000],
            run_id,
            utcnow(),
        )
        db.session.commit()
        if report:
            report(f"    {status}: {detail}")
        done.append(row)
    return done


def status_lines(since: int = 2011) -> list[str]:
    rows = {(r.session_identifier, r.step): r for r in db.session.scalars(select(BackfillStep))}
    out = []
    for record in sessions_since(since):
        for step in STEPS:
            row = rows.get((record.identifier, step))
            out.append(
                f"{record.identifier:10} {step:7} {row.status if row else 'pending':8} "
                f"{row.detail if row else ''}"
            )
    return out


__all__ = ["STEPS", "backfill", "plan", "sessions_since", "status_lines"]
