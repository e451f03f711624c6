"""``tracker export csv|xlsx|pdf|cards --scorecard ID --out DIR``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from tracker.extensions import db

KINDS = ("csv", "xlsx", "pdf", "cards")


@click.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--scorecard", "public_id", required=True, help="The scorecard's public id.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
@click.option(
    "--version",
    "number",
    type=int,
    default=None,
    help="A published version number (default: the latest).",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Export the unpublished draft instead, watermarked (not for publication).",
)
@click.option("--legislators", is_flag=True, help="pdf: also write a one-page PDF per legislator.")
def export_command(
    kind: str, public_id: str, out: Path, number: int | None, draft: bool, legislators: bool
) -> None:
    """Write a scorecard's spreadsheets, PDF or every legislator's share image.

    \b
    csv    <title>-v<N>.csv (one row per legislator) and <title>-v<N>-votes.csv
    xlsx   <title>-v<N>.xlsx (Scores, Votes and Methodology sheets)
    pdf    <title>-v<N>.pdf (and legislators/<name>.pdf with --legislators)
    cards  cards/<district>-<name>.png, 1200x630, one per legislator
    """
    from tracker import snapshots
    from tracker.exports import draft_data, export_data, slug
    from tracker.exports.pdf import legislator_asks
    from tracker.models import Scorecard
    from tracker.scrape_cli import _progress_bar  # the scrape commands' bar: a terminal only

    card = db.session.scalar(select(Scorecard).where(Scorecard.public_id == public_id))
    if card is None:
        raise click.ClickException(f"no scorecard has the id {public_id!r}")
    if draft:
        data = draft_data(card)
        stem = f"DRAFT-{slug(card.title)}"
    else:
        snap = snapshots.published(public_id, number)
        if snap is None:
            raise click.ClickException(
                "that scorecard has no such published version"
                if card.versions
                else "that scorecard is not published (use --draft for a watermarked preview)"
            )
        data = export_data(snap, with_maps=True)
        stem = f"{slug(snap.version.title)}-v{snap.version.number}"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, body: bytes) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        written.append(path)

    if kind == "csv":
        from tracker.exports.spreadsheets import long_csv, wide_csv

        write(f"{stem}.csv", wide_csv(data))
        write(f"{stem}-votes.csv", long_csv(data))
    elif kind == "xlsx":
        from tracker.exports.spreadsheets import to_xlsx

        write(f"{stem}.xlsx", to_xlsx(data))
    elif kind == "pdf":
        from tracker.exports.pdf import legislator_pdf, scorecard_pdf

        write(f"{stem}.pdf", scorecard_pdf(data))
        if legislators:
            asks = legislator_asks([row.person.id for row in data.rows])
            with _progress_bar("legislator PDFs") as progress:
                for done, row in enumerate(data.rows, start=1):
                    data.ask = asks.get(row.person.id)
                    write(f"legislators/{_name(row)}.pdf", legislator_pdf(data, row))
                    progress(done, len(data.rows))
            data.ask = None
    else:
        from tracker.exports.cards import scorecard_image, share_image

        write(f"cards/{stem}.png", scorecard_image(data))
        with _progress_bar("share images") as progress:
            for done, row in enumerate(data.rows, start=1):
                write(f"cards/{_name(row)}.png", share_image(data, row))
                progress(done, len(data.rows))
    db.session.rollback()
    click.echo(f"wrote {len(written)} file(s) to {out}")


def _name(row) -> str:  # type: ignore[no-untyped-def]
    from tracker.exports import slug

    return f"{row.chamber}-{slug(row.district or 'x')}-{slug(row.person.name)}"


def register(app: Flask) -> None:
    app.cli.add_command(export_command)
