"""``tracker scores recompute`` and ``tracker bench-data``."""

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


@click.command("bench-data")
@click.option("--scale", type=click.Choice(["mn", "large", "tiny"]), default="mn",
              show_default=True, help="mn: 201 members, 2,000 roll calls; large: 10 sessions.")
def bench_data_command(scale: str) -> None:
    """Fill this (empty, separate) database with invented benchmark data."""
    from tracker import benchdata

    try:
        counts = benchdata.generate(scale)
    except benchdata.BenchError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo("invented bench data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def register(app: Flask) -> None:
    app.cli.add_command(scores_group)
    app.cli.add_command(bench_data_command)
