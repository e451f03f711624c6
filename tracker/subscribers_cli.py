"""``tracker subscribers export|erase EMAIL``: what is kept about an email address
(action-alert sign-up, follows, every email queued to it), and erasing it on request.

    tracker subscribers export member@example.org      # JSON on standard output
    tracker subscribers erase member@example.org [--yes]
"""

from __future__ import annotations

import json
import sys

import click
from flask import Flask

from tracker import follows
from tracker.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(subscribers_group)


@click.group("subscribers", help="What is kept about an email address; erasing it.")
def subscribers_group() -> None:
    pass


@subscribers_group.command("export")
@click.argument("email")
def export_command(email: str) -> None:
    """Print, as JSON, everything kept about EMAIL."""
    subscriber = follows.find(email)
    if subscriber is None:
        click.echo(f"no subscriber has the address {email!r}", err=True)
        sys.exit(1)
    click.echo(json.dumps(follows.export(subscriber), indent=2, ensure_ascii=False))


@subscribers_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, yes: bool) -> None:
    """Delete EMAIL and everything about it: its sign-up, follows and emails."""
    subscriber = follows.find(email)
    if subscriber is None:
        click.echo(f"no subscriber has the address {email!r}", err=True)
        sys.exit(1)
    address = subscriber.email
    if not yes:
        click.confirm(f"Erase {address} and everything kept about it?", abort=True)
    erased = follows.erase(subscriber)
    db.session.commit()
    click.echo(f"erased {address}: {erased['follows']} follows, {erased['emails']} emails")
