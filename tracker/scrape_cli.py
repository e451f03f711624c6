"""CLI for the data pipeline: ``tracker scrape ...``, ``tracker import-people``,
``tracker session ...``.  Thin wrappers around :mod:`tracker.pipeline`.

Examples::

    tracker scrape sessions
    tracker scrape legislators
    tracker scrape bills --session 2025-2026            # incremental
    tracker scrape bills --session 2025-2026 --full     # refetch every bill
    tracker scrape bills --session 2025-2026 --bill HF2136
    tracker scrape bills --session 2025s1 --record recordings/2025s1
    tracker scrape bills --session 2025s1 --replay recordings/2025s1
    tracker scrape votes --session 2025-2026            # incremental
    tracker scrape votes --session 2025-2026 --bill SF1832
    tracker scrape committees --session 2025-2026
    tracker scrape hearings
    tracker scrape committee-votes --session 2025-2026 [--full]
    tracker import-people ../shared/data/openstates-people-mn
    tracker session set-house-key 2027-2028 306
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask
from sqlalchemy import select
from tqdm import tqdm

from tracker.extensions import db
from tracker.settings import current

_SESSION_RE = re.compile(r"^\d{4}(?:-\d{4}|s\d+)$")


def register(app: Flask) -> None:
    """Add the pipeline commands to ``app.cli`` (called from ``register_commands``)."""
    app.cli.add_command(scrape_group)
    app.cli.add_command(import_people_command)
    app.cli.add_command(session_group)
    app.cli.add_command(sources_group)
    app.cli.add_command(backfill_command)


# ---------------------------------------------------------------- helpers


def _check_session(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _SESSION_RE.match(value):
        raise click.BadParameter("use a session id such as 2025-2026 or 2025s1", ctx, param)
    return value


def _check_bill(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from tracker.pipeline import parse_bill_arg

    try:
        bill_type, number = parse_bill_arg(value)
    except ValueError:
        raise click.BadParameter("use a bill id such as HF2136 or SF 1832", ctx, param) from None
    return f"{bill_type}{number}"


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on a terminal, silent otherwise."""
    bar = tqdm(desc=label, unit="item", disable=not sys.stderr.isatty(), leave=False)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def _report(run: Any) -> None:
    click.echo(
        f"{run.job} run {run.id} {run.status}: fetched {run.fetched}, new {run.new}, "
        f"changed {run.changed}, unchanged {run.unchanged}, failed {run.failed} "
        f"({run.requests} requests)"
    )
    for error in run.errors:
        where = f" {error.url}" if error.url else ""
        click.echo(f"  {error.item}:{where}: {error.reason}", err=True)
    if run.status == "failed":
        click.echo(f"error: {run.error}", err=True)
        sys.exit(1)


def _call(function: Callable[..., Any], **kwargs: Any) -> Any:
    from tracker.demo import DemoError

    try:
        return function(**kwargs)
    except DemoError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # an unknown session, a bad bill id
        db.session.rollback()
        raise click.ClickException(str(exc)) from None


_record = click.option(
    "--record",
    type=click.Path(file_okay=False),
    help="Save every raw response (and an index) in DIR.",
)
_replay = click.option(
    "--replay",
    type=click.Path(file_okay=False, exists=True),
    help="Serve responses from a recorded DIR instead of the network.",
)


# ---------------------------------------------------------------- scrape


@click.group(
    "scrape",
    help="Scrape sessions, legislators, bills, votes, committees, hearings "
    "or committee votes from the Legislature.",
)
def scrape_group() -> None:
    pass


def _scrape(job: str, unit: str | None, **options: Any) -> None:
    """Run ``tracker.pipeline.scrape_<job>`` with a progress bar and report it."""
    from tracker import pipeline

    if options.get("record") and options.get("replay"):
        raise click.UsageError("--record and --replay are mutually exclusive")
    function = getattr(pipeline, f"scrape_{job}")
    if unit is None:
        _report(_call(function, **options))
        return
    with _progress_bar(unit) as progress:
        run = _call(function, progress=progress, **options)
    _report(run)


@scrape_group.command("sessions")
@_record
@_replay
def scrape_sessions_command(record: str | None, replay: str | None) -> None:
    """Discover sessions from the Revisor's session list."""
    _scrape("sessions", None, record=record, replay=replay)


@scrape_group.command("legislators")
@_record
@_replay
def scrape_legislators_command(record: str | None, replay: str | None) -> None:
    """Senate members JSON and House member list, with photos."""
    _scrape("legislators", "photos", record=record, replay=replay)


@scrape_group.command("bills")
@click.option("--session", callback=_check_session, help="Session id, e.g. 2025-2026 or 2025s1.")
@click.option("--bill", callback=_check_bill, help="Fetch just this bill, e.g. HF2136.")
@click.option("--full", is_flag=True, help="Refetch every bill, not only new or changed ones.")
@_record
@_replay
def scrape_bills_command(
    session: str | None, bill: str | None, full: bool, record: str | None, replay: str | None
) -> None:
    """Walk the Revisor listing and fetch the bills that are new or changed."""
    _scrape("bills", "bills", session=session, bill=bill, full=full, record=record, replay=replay)


@scrape_group.command("votes")
@click.option("--session", callback=_check_session, help="Session id, e.g. 2025-2026 or 2025s1.")
@click.option("--bill", callback=_check_bill, help="Fetch just this bill's votes, e.g. SF1832.")
@click.option("--full", is_flag=True, help="Refetch every vote, not only new tallies.")
@_record
@_replay
def scrape_votes_command(
    session: str | None, bill: str | None, full: bool, record: str | None, replay: str | None
) -> None:
    """House vote pages and Senate journal roll calls, member by member."""
    _scrape("votes", "votes", session=session, bill=bill, full=full, record=record, replay=replay)


def _scrape_with(function: Callable[..., Any], unit: str, **options: Any) -> None:
    """Run a scrape function of the committees modules with a progress bar; report it."""
    if options.get("record") and options.get("replay"):
        raise click.UsageError("--record and --replay are mutually exclusive")
    with _progress_bar(unit) as progress:
        run = _call(function, progress=progress, **options)
    _report(run)


@scrape_group.command("committees")
@click.option("--session", callback=_check_session, help="Session id, e.g. 2025-2026.")
@_record
@_replay
def scrape_committees_command(session: str | None, record: str | None, replay: str | None) -> None:
    """Committees and members: Open States committee files, then each committee's page."""
    from tracker.committees import scrape_committees

    _scrape_with(scrape_committees, "committees", session=session, record=record, replay=replay)


@scrape_group.command("hearings")
@click.option(
    "--session",
    callback=_check_session,
    help="Recorded on the run; each hearing belongs to the session of its day.",
)
@_record
@_replay
def scrape_hearings_command(session: str | None, record: str | None, replay: str | None) -> None:
    """The House and Senate hearing schedules."""
    from tracker.hearings import scrape_hearings

    _scrape_with(scrape_hearings, "schedules", session=session, record=record, replay=replay)


@scrape_group.command("committee-votes")
@click.option("--session", callback=_check_session, help="Session id, e.g. 2025-2026.")
@click.option(
    "--full",
    is_flag=True,
    help="Read the minutes of every past hearing again, not only unread ones.",
)
@_record
@_replay
def scrape_committee_votes_command(
    session: str | None, full: bool, record: str | None, replay: str | None
) -> None:
    """Committee roll calls from the minutes linked from past hearings."""
    from tracker.committee_votes import scrape_committee_votes

    _scrape_with(
        scrape_committee_votes, "minutes", session=session, full=full, record=record, replay=replay
    )


# ---------------------------------------------------------------- import-people


@click.command("import-people")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def import_people_command(directory: str | None) -> None:
    """Import Open States people YAML (default TRACKER_OPENSTATES_DIR)."""
    from tracker import pipeline

    path = directory or current().openstates_dir
    if not path:
        raise click.UsageError("give DIRECTORY or set TRACKER_OPENSTATES_DIR")
    _report(_call(pipeline.import_people, path=path))


# ---------------------------------------------------------------- sessions


@click.group("session", help="Legislative sessions.")
def session_group() -> None:
    pass


@session_group.command("list")
def session_list_command() -> None:
    """List stored sessions with codes, dates and House vote keys."""
    from tracker.models import LegislativeSession

    rows = db.session.scalars(
        select(LegislativeSession).order_by(
            LegislativeSession.year.desc(), LegislativeSession.special_number
        )
    ).all()
    if not rows:
        click.echo("no sessions stored; run `tracker scrape sessions`")
        return
    for row in rows:
        dates = f"{row.start_date or '?'}..{row.end_date or '?'}"
        key = row.house_vote_key or "-"
        demo = " (demo)" if row.is_demo else ""
        click.echo(
            f"{row.identifier}\t{row.revisor_code}\t{dates}\thouse key {key}\t{row.name}{demo}"
        )


@session_group.command("set-house-key")
@click.argument("session", callback=_check_session)
@click.argument("key")
def set_house_key_command(session: str, key: str) -> None:
    """Set the House vote-system SessionKey of SESSION (audited)."""
    from tracker import pipeline
    from tracker.sessions import SessionError, set_house_key

    try:
        row = pipeline.ensure_session(session)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    before = row.house_vote_key
    try:
        changed = set_house_key(row, key, actor="cli")
    except SessionError as exc:
        raise click.BadParameter(str(exc), param_hint="KEY") from None
    if not changed:
        click.echo(f"{session}: House key already {before}")
        return
    db.session.commit()
    click.echo(f"{session}: House key {before or '(none)'} -> {row.house_vote_key}")


# ---------------------------------------------------------------- sources check, backfill


@click.group("sources", help="The Legislature's sources.")
def sources_group() -> None:
    pass


@sources_group.command("check")
@click.option(
    "--session",
    callback=_check_session,
    help="Session to check (default: the latest with a House vote key).",
)
@click.option("--lrl-id", help="Legislative Reference Library record to fetch.")
@_record
@_replay
def sources_check_command(
    session: str | None, lrl_id: str | None, record: str | None, replay: str | None
) -> None:
    """Fetch and parse one of each document type; one line per source."""
    from tracker.sources_check import run_check

    if record and replay:
        raise click.UsageError("--record and --replay are mutually exclusive")
    failed = 0
    try:
        for line in run_check(session=session, record=record, replay=replay, lrl_id=lrl_id):
            click.echo(str(line))
            failed += line.ok is False
    except KeyError as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None
    if record:
        click.echo(f"responses saved in {record}: replay them with --replay {record}")
    if failed:
        click.echo(f"{failed} source(s) did not parse; see above", err=True)
        sys.exit(1)


@click.command("backfill")
@click.option(
    "--since",
    type=click.IntRange(2011, 2100),
    default=2011,
    show_default=True,
    help="First year (2011 = the 87th Legislature).",
)
@click.option(
    "--session",
    "sessions",
    multiple=True,
    help="Only this session (repeat for several), e.g. 2017-2018.",
)
@click.option("--status", "show_status", is_flag=True, help="Show what is done and stop.")
@_record
@_replay
def backfill_command(
    since: int, sessions: tuple[str, ...], show_status: bool, record: str | None, replay: str | None
) -> None:
    """Sessions, rosters, bills and roll calls from SINCE on, oldest first; resumable."""
    import time

    from tracker import backfill

    if record and replay:
        raise click.UsageError("--record and --replay are mutually exclusive")
    if show_status:
        for line in backfill.status_lines(since):
            click.echo(line)
        return
    for one in sessions:
        _check_session(click.get_current_context(), None, one)  # type: ignore[arg-type]
    todo = _call(backfill.plan, year=since, only=sessions)
    if not todo:
        click.echo("nothing to do: every step is done (see --status)")
        return
    rate = current().requests_per_second
    click.echo(
        f"{len(todo)} step(s) to do at {rate:g} request(s) per second; "
        "interrupt at any time and run again to resume"
    )
    started = time.monotonic()
    finished = [0]

    def report(message: str) -> None:
        if message.startswith("["):
            done = finished[0]
            if done:
                left = (time.monotonic() - started) / done * (len(todo) - done)
                message += f"  (about {left / 60:.0f} min left)"
            finished[0] += 1
        click.echo(message)

    with _progress_bar("items") as progress:
        rows = _call(
            backfill.backfill,
            since=since,
            sessions=sessions,
            record=record,
            replay=replay,
            report=report,
            progress=progress,
        )
    failed = [r for r in rows if r.status == "failed"]
    partial = [r for r in rows if r.status == "partial"]
    click.echo(
        f"backfill: {len(rows) - len(failed) - len(partial)} step(s) done, "
        f"{len(partial)} with failed items (run again to retry them), {len(failed)} "
        f"failed, in {(time.monotonic() - started) / 60:.1f} min"
    )
    if failed:
        sys.exit(1)
