"""``tracker scores recompute``, ``tracker scorecards list`` and ``tracker bench-data``."""

from __future__ import annotations

import click
from flask import Flask

from tracker.extensions import db


@click.group("scores", help="Materialised scores.")
def scores_group() -> None:
    pass


@scores_group.command("recompute")
def recompute_command() -> None:
    """Rebuild every draft's scores (published versions are frozen; missing
    ones are rebuilt from their frozen votes)."""
    from tracker import scorecards

    counts = scorecards.recompute_all()
    db.session.commit()
    click.echo(f"recomputed {counts['drafts']} draft(s) and {counts['versions']} version(s)")


@click.group("scorecards", help="Scorecards and their public ids.")
def scorecards_group() -> None:
    pass


@scorecards_group.command("list")
def scorecards_list_command() -> None:
    """One line per scorecard, tab-separated: its public id (what ``tracker export
    --scorecard`` takes), title, sessions, chambers, and the latest published
    version with its date (Minnesota time), or "draft only"."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker import localtime, scorecards
    from tracker.models import Scorecard, ScorecardVersion

    cards = db.session.scalars(
        select(Scorecard)
        .options(selectinload(Scorecard.sessions))
        .order_by(Scorecard.created_at, Scorecard.id)
    ).all()
    latest: dict[int, ScorecardVersion] = {
        v.scorecard_id: v for v in db.session.scalars(scorecards.latest_versions_query())
    }
    if not cards:
        click.echo("no scorecards yet (staff create them at /staff/scorecards)")
    for card in cards:
        version = latest.get(card.id)
        published = (
            f"v{version.number} published {localtime.iso_day(version.published_at)}"
            if version is not None
            else "draft only"
        )
        sessions = ", ".join(sorted(s.identifier for s in card.sessions))
        click.echo(
            "\t".join([card.public_id, card.title, sessions, ", ".join(card.chambers), published])
        )
    db.session.rollback()


@click.command("bench-data")
@click.option(
    "--scale",
    type=click.Choice(["mn", "large", "tiny"]),
    default="mn",
    show_default=True,
    help="mn: 201 members, 2,000 roll calls; large: 10 sessions.",
)
def bench_data_command(scale: str) -> None:
    """Fill this (empty, separate) database with invented benchmark data."""
    from tracker import benchdata, runs

    try:
        counts = benchdata.generate(scale)
    except benchdata.BenchError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    runs.analyze()  # a bulk ingest: PostgreSQL's planner statistics, as after a scrape
    click.echo("invented bench data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def register(app: Flask) -> None:
    app.cli.add_command(scores_group)
    app.cli.add_command(scorecards_group)
    app.cli.add_command(bench_data_command)
