"""CLI for the lookup layer: ``tracker import-districts FILE [--chamber house|senate]``.

Examples::

    tracker import-districts L2024-shp.zip              # House districts (62A ...)
    tracker import-districts S2024.geojson --chamber senate
"""

from __future__ import annotations

import click
from flask import Flask

from tracker.extensions import db


def register(app: Flask) -> None:
    """Add the lookup commands to ``app.cli`` (called from ``register_commands``)."""
    app.cli.add_command(import_districts_command)


@click.command("import-districts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--chamber",
    type=click.Choice(["house", "senate"]),
    default=None,
    help="Which chamber the file's districts belong to (default: from the values, "
    "62A is House, 62 is Senate).",
)
def import_districts_command(path: str, chamber: str | None) -> None:
    """Import district boundaries from GeoJSON or a shapefile (.shp or .zip),
    reprojected to WGS 84; replaces earlier shapes of the same districts."""
    from tracker import lookup

    try:
        counts = lookup.import_districts(path, chamber)
    except lookup.DistrictImportError as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc}; nothing was imported") from None
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"imported {counts}")
