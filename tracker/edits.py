"""Concurrent staff edits: the one rule that no edit is silently lost.

Every row staff edit carries a ``version`` column declared as SQLAlchemy's
``version_id_col`` (``tracker.models.common.versioned`` in the model's
``__mapper_args__``):
each UPDATE is ``... SET version = v + 1 WHERE id = :id AND version = v``, so
the check and the write are one statement and a writer who read an older
version updates nothing and gets :class:`StaleDataError`.  The forms carry the
version they were rendered from and the services compare it first, so the
usual case is a plain "changed by someone else" refusal; the conditional
UPDATE closes the window between that comparison and the write.  A manual
``row.version += 1`` forces an UPDATE of a row none of whose other columns
changed (a scorecard whose scored votes changed, so that a publish of the old
draft is refused).

Operations that create rows or act on a row's state (publishing, resolving a
data-quality item, a first position on a bill) also :func:`lock` the row they
act on before reading it: ``SELECT ... FOR UPDATE`` on PostgreSQL, so the
second writer waits for the first and then sees its result.  SQLite has one
writer at a time: a request that may write (any POST, PUT, PATCH or DELETE)
opens its transactions with ``BEGIN IMMEDIATE`` (``tracker.extensions``), so
it takes the writer lock before it reads and cannot act on a row another
request is changing.

:func:`register` turns a :class:`StaleDataError` that escapes a view into the
same refusal: the transaction is rolled back (nothing of the request is
saved), the message is flashed and the browser is sent back to the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, flash, redirect, request
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db, writes_immediately

T = TypeVar("T")

CONFLICT = (
    "Someone else saved a change to this at the same moment, so nothing of yours was "
    "saved. Reload the page to see their change, then make yours again."
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def lock(row: T) -> T:
    """Lock ``row`` for the rest of the transaction and reload it (PostgreSQL:
    ``SELECT ... FOR UPDATE``; SQLite already holds its writer lock).  Call it
    before reading the state an operation depends on."""
    model = type(row)
    key = model.id  # type: ignore[attr-defined]
    # The rows must be fetched: the ORM refreshes ``row`` only as it reads them.
    db.session.execute(
        select(model)
        .where(key == row.id)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalars().one()
    return row


@contextmanager
def writing() -> Iterator[None]:
    """Run work outside a request that reads and then writes (a scheduled job) as a
    writing request runs: on SQLite its transactions take the writer lock at BEGIN,
    so two such jobs at once wait for each other instead of failing with
    "database is locked".  Commit any open transaction before entering."""
    token = writes_immediately.set(True)
    try:
        yield
    finally:
        writes_immediately.reset(token)


def _back() -> str:
    """The page the form was on (same host only), else the form's own URL."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if referrer and parts.netloc == request.host and parts.scheme in ("http", "https"):
        return referrer
    return request.path


def register(app: Flask) -> None:
    @app.before_request
    def _writes_take_the_lock() -> None:
        writes_immediately.set(request.method in WRITE_METHODS)

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        writes_immediately.set(False)

    @app.errorhandler(StaleDataError)
    def _conflict(_exc: StaleDataError) -> Response:
        db.session.rollback()
        flash(CONFLICT, "error")
        return redirect(_back(), code=303)  # type: ignore[return-value]


__all__ = ["CONFLICT", "lock", "register", "writing"]
