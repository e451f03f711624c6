"""The ``tracker`` command: every operation, also reachable as ``flask --app tracker``.

Each command is a thin wrapper around a function that jobs and tests call too.
"""

from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from config import ConfigError, check_shared_limits
from tracker.extensions import db
from tracker.settings import current


def register_commands(app: Flask) -> None:
    app.cli.add_command(user_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(serve_command)

    from tracker import (
        export_cli,
        lookup_cli,
        roster_cli,
        scheduler,
        scores_cli,
        scrape_cli,
        subscribers_cli,
    )

    scheduler.register(app)
    scores_cli.register(app)
    export_cli.register(app)
    scrape_cli.register(app)
    lookup_cli.register(app)
    roster_cli.register(app)
    subscribers_cli.register(app)


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


class TrackerGroup(FlaskGroup):
    """Flask's group, except that a configuration error stops ``tracker --help`` too
    with its one line (Flask would print a traceback above the help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        ctx.ensure_object(ScriptInfo).load_app()
        return super().list_commands(ctx)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from tracker.runs import app_version

    click.echo(f"mn-tracker {app_version()}")
    ctx.exit()


cli = TrackerGroup(
    create_app=_create_app,
    help="Minnesota bill tracker and legislator scorecard.",
    set_debug_flag=False,
    load_dotenv=False,
    add_version_option=False,  # Flask's prints Flask's version; ours prints the package's
    params=[
        click.Option(
            ["--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_print_version,
            help="Show the version and exit.",
        )
    ],
)


def main(args: list[str] | None = None) -> None:
    """Console-script entry point: configuration and connection problems become
    one line naming the setting, not a traceback.  ``args`` default to the command
    line's."""
    try:
        cli.main(args=args, prog_name="tracker")
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        click.echo(f"error: {database_error(exc)}", err=True)
        sys.exit(1)


def database_error(exc: OperationalError) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
    return f"cannot use the database at DATABASE_URL ({_safe_url()}): {reason}"


def _safe_url() -> str:
    """The database URL in use, password hidden (the settings already checked it)."""
    from sqlalchemy.engine import make_url

    from config import load_settings

    return make_url(load_settings().database_url).render_as_string(hide_password=True)


def check_database() -> None:
    """Fail fast, with the one-line error, when the database is unreachable."""
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


# ---------------------------------------------------------------- users


@click.group("user", help="Staff and admin accounts.")
def user_group() -> None:
    pass


def _read_password(confirm: bool = True) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise click.ClickException("no password on standard input")
        return line.rstrip("\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "staff"]), required=True)
def user_create(email: str, role: str) -> None:
    """Create an account; the password is prompted for (or read from stdin)."""
    from tracker import accounts

    password = _read_password()
    try:
        user = accounts.create_user(email, role, password, actor="cli")
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@user_group.command("set-password")
@click.argument("email")
@click.option("--link", is_flag=True, help="Print a one-time reset link instead of prompting.")
def user_set_password(email: str, link: bool) -> None:
    """Set a user's password (prompted or from stdin), or print a reset link."""
    from flask import url_for

    from tracker import accounts

    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    if link:
        token = accounts.reset_token(user, actor="cli")
        db.session.commit()
        from flask import current_app

        with current_app.test_request_context(base_url=current().public_url):
            click.echo(url_for("auth.reset", token=token, _external=True))
        return
    try:
        accounts.set_password(user, _read_password(), actor="cli")
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"password set for {user.email}; their other sessions are signed out")


@user_group.command("list")
def user_list() -> None:
    """List accounts."""
    from sqlalchemy import select

    from tracker.models import User

    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role}\t{state}")


# ---------------------------------------------------------------- demo data


@click.command("demo")
@click.option(
    "--remove",
    is_flag=True,
    help="Take the demo data out, with everything staff attached to it (listed first).",
)
@click.option("--dry-run", is_flag=True, help="With --remove: only list what would go.")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no data.")
def demo_command(remove: bool, dry_run: bool, if_empty: bool) -> None:
    """Load an invented legislature (invented people, bills and votes)."""
    from tracker import demo

    if dry_run and not remove:
        raise click.UsageError("--dry-run goes with --remove")
    try:
        if remove:
            _remove_demo(dry_run)
            return
        if if_empty and not demo.database_is_empty():
            click.echo("database already holds data; demo not loaded")
            return
        result = demo.load_demo()
    except demo.DemoError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(result)


def _remove_demo(dry_run: bool) -> None:
    """List what will go, then (unless ``dry_run``) remove it in one transaction;
    a refusal is one line and exit status 1, nothing changed."""
    from tracker import demo

    plan = demo.removal_plan()
    if plan.refusal:
        db.session.rollback()
        raise click.ClickException(
            f"cannot remove the demo data: {plan.refusal}; nothing was removed"
        )
    lines = plan.lines()
    if not lines:
        db.session.rollback()
        click.echo("no demo data to remove")
        return
    click.echo("would remove:" if dry_run else "removing:")
    for line in lines:
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("dry run: nothing was removed")
        return
    counts = demo.remove_demo(plan)
    db.session.commit()
    kept = {step.key for step, _ in plan.steps if step.clear}
    removed = sum(n for key, n in counts.items() if key not in kept)
    unlinked = sum(n for key, n in counts.items() if key in kept)
    click.echo(
        f"removed demo data: {removed:,} rows"
        + (f"; {unlinked:,} other rows unlinked from it" if unlinked else "")
    )


# ---------------------------------------------------------------- backup


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Dump the whole database to PATH (portable between SQLite and PostgreSQL)."""
    from tracker import backup

    counts = backup.dump(path)
    click.echo(f"wrote {sum(counts.values())} rows from {len(counts)} tables to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Empty a database that already holds data first.")
def restore_command(path: str, replace: bool) -> None:
    """Load a backup made by ``tracker backup`` into this (migrated) database."""
    from tracker import backup

    try:
        counts = backup.load(path, replace=replace)
    except backup.BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {sum(counts.values())} rows into {len(counts)} tables")


# ---------------------------------------------------------------- serving


# gunicorn's settings for ``tracker serve``.  Threaded workers: a connection that is
# slow to send its request holds one thread, not a whole worker, and an idle one holds
# none; a buffering proxy in front (README, Deployment) takes slow clients off the app
# altogether.  Requests run at most ``--timeout`` seconds before the worker is
# restarted; on SIGTERM workers finish what they serve for ``--graceful-timeout``.
SERVE_THREADS = 12  # with 2 workers, 24 requests at once; within the 5 + 10 pooled connections
GUNICORN_SETTINGS: tuple[str, ...] = (
    "--worker-class",
    "gthread",
    "--timeout",
    "30",
    "--graceful-timeout",
    "20",
    "--keep-alive",
    "5",
    "--limit-request-line",
    "4094",
    "--limit-request-fields",
    "60",
    "--limit-request-field_size",
    "8190",
    "--no-control-socket",  # one per machine by default; several apps would share it
    "--access-logfile",
    "-",
)


def gunicorn_command(bind: str, workers: int, threads: int) -> list[str]:
    """The gunicorn command line ``tracker serve`` becomes."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        *GUNICORN_SETTINGS,
        "tracker.wsgi:app",
    ]


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--threads",
    default=SERVE_THREADS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Threads per worker.",
)
def serve_command(bind: str, workers: int, threads: int) -> None:
    """Serve the app with gunicorn (production), in place of this process, so that
    signals (SIGTERM, SIGHUP) reach gunicorn itself.  The scheduler is a separate
    process: ``tracker scheduler``.  Several workers need one shared store for the
    rate limits (Redis), or ``TRACKER_ALLOW_MEMORY_LIMITS``."""
    if workers > 1:
        settings = current()
        check_shared_limits(
            settings.ratelimit_storage_uri,
            settings.allow_memory_limits,
            f"tracker serve --workers {workers}",
        )
    check_database()
    db.session.remove()
    db.engine.dispose()  # no connection of this process lives on in gunicorn
    command = gunicorn_command(bind, workers, threads)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)  # noqa: S606 - a fixed argument list
