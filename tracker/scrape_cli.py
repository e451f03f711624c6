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
from flask import Flask, current_app
from sqlalchemy import select
from tqdm import tqdm

from tracker.extensions import db

_SESSION_RE = re.compile(r"^\d{4}(?:-\d{4}|s\d+)$")


def register(app: Flask) -> None:
    """Add the pipeline commands to ``app.cli`` (called from ``register_commands``)."""
    app.cli.add_command(scrape_group)
    app.cli.add_command(import_people_command)
    app.cli.add_command(session_group)


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


@click.group("scrape", help="Scrape sessions, legislators, bills or votes from the Legislature.")
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
    _scrape("bills", "bills", session=session, bill=bill, full=full, record=record,
            replay=replay)


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
    _scrape("votes", "votes", session=session, bill=bill, full=full, record=record,
            replay=replay)


# ---------------------------------------------------------------- import-people


@click.command("import-people")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def import_people_command(directory: str | None) -> None:
    """Import Open States people YAML (default TRACKER_OPENSTATES_DIR)."""
    from tracker import pipeline

    path = directory or current_app.config.get("TRACKER_OPENSTATES_DIR")
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
