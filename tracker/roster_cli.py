"""``tracker roster ...`` and ``tracker quality report``: the roster from the record.

tracker roster explain J0313041.htm --chamber house [--json]
tracker roster explain 20250429041.pdf --chamber senate
tracker roster rebuild
tracker quality report [--session 2025-2026]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from scrapers import house_journal, senate_journal, vocab
from scrapers.parsing import ParseError
from tracker import fidelity, journals, roster
from tracker.extensions import db
from tracker.models import Person


def register(app: Flask) -> None:
    app.cli.add_command(roster_group)
    app.cli.add_command(quality_group)


@click.group("roster", help="Who held each seat, from the journal rolls and the roster sources.")
def roster_group() -> None:
    pass


def read_day(path: Path, chamber: str) -> tuple[str, list[roster.PrintedEntry]]:
    """A saved journal day: its date and its roll (ParseError when it has none)."""
    content = path.read_bytes()
    url = path.resolve().as_uri()
    if chamber == vocab.HOUSE:
        parsed = house_journal.parse_excused(content, source_url=url)
        day = parsed.date or journals.journal_file_date("/" + path.name, 0)
        entries = journals.house_entries(parsed)
    else:
        texts = senate_journal.extract_pages_text(
            content, 1, journals.SENATE_ROLL_PAGES, source_url=url
        )
        senate = senate_journal.parse_day_roll(texts, source_url=url)
        day = senate.date or journals.senate_file_date("/" + path.name)
        entries = journals.senate_entries(senate)
    if day is None:
        raise ParseError("the journal day's date is not printed on it", source_url=url)
    return day.isoformat(), entries


@roster_group.command("explain")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--chamber", type=click.Choice(vocab.CHAMBERS), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def explain_command(file: Path, chamber: str, as_json: bool) -> None:
    """Resolve each printed name of one saved journal day's roll, with the evidence."""
    import datetime as dt

    if not db.session.scalar(select(func.count()).select_from(Person)):
        raise click.ClickException(
            "no legislators are stored; run `tracker import-people` "
            "(and `tracker scrape legislators`) first"
        )
    try:
        day, entries = read_day(file, chamber)
    except ParseError as exc:
        raise click.ClickException(f"cannot read the roll of {file.name}: {exc.reason}") from None
    results = roster.explain(chamber, dt.date.fromisoformat(day), entries)
    people = {
        p.id: p
        for p in db.session.scalars(
            select(Person).where(Person.id.in_({r.person_id for r in results if r.person_id}))
        )
    }
    if as_json:
        click.echo(
            json.dumps(
                {
                    "date": day,
                    "names": [
                        {
                            "printed": r.printed,
                            "status": r.status,
                            "person": people[r.person_id].public_id if r.person_id else None,
                            "reason": r.reason,
                        }
                        for r in results
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    resolved = sum(1 for r in results if r.person_id)
    click.echo(
        f"{chamber} journal roll of {day}: {len(results)} printed names, {resolved} "
        f"resolved ({resolved / len(results):.1%})"
        if results
        else "no names"
    )
    for r in results:
        who = (
            f"{people[r.person_id].name} ({people[r.person_id].public_id})"
            if r.person_id
            else "UNRESOLVED"
        )
        click.echo(f"  {r.printed:28} {r.status:13} {who}\n      {r.reason}")


@roster_group.command("rebuild")
def rebuild_command() -> None:
    """Resolve every stored journal roll again, derive every term's bounds and
    re-verify every roll call (after importing people or fixing mappings)."""
    from tracker import votes

    changed = roster.reresolve_rolls()
    verified = votes.reverify_days()
    db.session.commit()
    click.echo(
        f"roster rebuilt: {changed} journal roll name(s) resolved differently, "
        f"{verified} roll call(s) changed"
    )


@click.group("quality", help="How much of the record reconciles.")
def quality_group() -> None:
    pass


@quality_group.command("report")
@click.option("--session", "identifier", help="One session (2025-2026); all by default.")
def report_command(identifier: str | None) -> None:
    """Per session and chamber: roll calls, member-level, verified, unmatched names,
    journal roll names resolved, vote days without a journal roll."""
    try:
        reports = fidelity.report(identifier)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for line in fidelity.lines(reports):
        click.echo(line)
    sys.stdout.flush()
