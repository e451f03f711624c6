"""One data version for every cache: pages, exports, API documents, snapshots.

A single counter (the ``data_version`` row) is bumped in the same transaction
as any change to data that a page shows; caches key their entries on it, so a
change invalidates them all at once and nothing else does.  A scrape run that
changes nothing writes only bookkeeping (run rows, ``last_seen_at`` and fetch
times) and bumps nothing.

Changes are noticed without each writer having to remember: ORM flushes of
new, deleted or changed rows (bookkeeping-only changes ignored) and bulk
``INSERT``/``UPDATE``/``DELETE`` statements on shown tables mark the session;
``before_commit`` then increments the counter once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar, cast

from flask import g, has_app_context, has_request_context
from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.orm import Session, UOWTransaction

from tracker.extensions import db
from tracker.models import DataVersion

# Tables whose rows no page shows (bookkeeping of runs, the scheduler, the mail
# queue, the backfill; and staff drafts: a scorecard's settings, scored votes and
# draft scores, which the public sees only once published as a frozen version),
# and columns that are bookkeeping in any table.  A staff edit of a draft therefore
# empties no public cache; drafts are cached by the scorecard's own version
# (``tracker.snapshots.draft``).  Published scores are stored in the publish that
# adds their version, or marked by ``tracker.scorecards`` when recomputed.
QUIET_TABLES = frozenset(
    {
        "scrape_run",
        "scrape_error",
        "scheduler_lease",
        "job_request",
        "backfill_step",
        "outbox_message",
        "data_version",
        "tally_receipt",
        "user_account",
        "alembic_version",
        "scorecard",
        "scorecard_session",
        "scorecard_vote",
        "legislator_score",
        "audit_event",
        "subscriber",
        "follow",
        "follow_state",
        "follow_bill_status",
        "follow_digest",
    }
)
QUIET_COLUMNS = frozenset(
    {
        "last_seen_at",
        "last_fetched_at",
        "heartbeat_at",
        "computed_at",
        "fetched_at",
        "updated_at",
    }
)
# Columns no page shows, by table: a position's draft (pages show its published_*).
QUIET_COLUMNS_OF: dict[str, frozenset[str]] = {
    "bill_position": frozenset(
        {"position", "rationale", "issue_areas", "version", "updated_by_id"}
    ),
}
_MARK = "tracker.data_changed"
_MEMO = "data_version"


def mark(session: Session) -> None:
    session.info[_MARK] = True


def _shown(table: Any) -> bool:
    name = getattr(table, "name", None)
    return bool(name) and name not in QUIET_TABLES


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get(_MARK):
        return
    for obj in (*session.new, *session.deleted):
        if _shown(getattr(obj, "__table__", None)):
            mark(session)
            return
    for obj in session.dirty:
        table = getattr(obj, "__table__", None)
        if not _shown(table):
            continue
        quiet = QUIET_COLUMNS | QUIET_COLUMNS_OF.get(getattr(table, "name", ""), frozenset())
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in quiet:
                continue
            if state.attrs[attr.key].history.has_changes():
                mark(session)
                return


@event.listens_for(Session, "do_orm_execute")
def _bulk(execute_state: Any) -> None:
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    table = getattr(execute_state.statement, "table", None)
    if _shown(table):
        mark(execute_state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes after this hook; the counter must see this flush
    if session.info.pop(_MARK, False):
        _forget()
        result = session.execute(
            update(DataVersion).where(DataVersion.id == 1).values(number=DataVersion.number + 1)
        )
        if not result.rowcount:  # type: ignore[attr-defined]  # the row went (a truncate)
            session.execute(insert(DataVersion).values(id=1, number=1))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_MARK, None)


def current() -> int:
    """The data version now: one small query, read once per request (a commit in
    this process forgets it, so a request reads its own writes' version)."""
    memo = g.get(_MEMO) if has_app_context() else None
    if memo is not None:
        return int(memo)
    value = int(
        db.session.execute(text("SELECT number FROM data_version WHERE id = 1")).scalar() or 0
    )
    if has_request_context():
        setattr(g, _MEMO, value)
    return value


def settled() -> bool:
    """Whether this session's transaction holds no change yet to be committed: what
    it reads is then what the data version :func:`current` names (a cache keyed on
    the version may answer for it)."""
    session = db.session()
    return not (session.info.get(_MARK) or session.new or session.dirty or session.deleted)


T = TypeVar("T")
_ABSENT = object()


class Kept(Generic[T]):
    """A value this process reads once per data version (the rows behind a list that
    every request shows, which change only when the version does).  While this
    session's transaction holds changes of its own the value is read again and not
    kept: a cache keyed on the version may answer only for what the version names."""

    _every: ClassVar[list[Kept[Any]]] = []

    def __init__(self) -> None:
        self._kept: dict[int, T] = {}  # only the current version's is worth keeping
        Kept._every.append(self)

    def get(self, read: Callable[[], T]) -> T:
        stamp = current()
        if not settled():
            return read()
        # One step each way: a worker's threads share the keep, and another may
        # replace it with a newer version's between a check and a read.
        found = self._kept.get(stamp, _ABSENT)
        if found is not _ABSENT:
            return cast(T, found)
        value = read()
        self._kept = {stamp: value}
        return value

    def forget(self) -> None:
        self._kept.clear()


def forget_kept() -> None:
    """Forget every kept value (tests: a rolled-back test hands the same data
    version number to the next, over other rows)."""
    for kept in Kept._every:
        kept.forget()


def _forget() -> None:
    if has_app_context():
        g.pop(_MEMO, None)


__all__ = [
    "QUIET_COLUMNS",
    "QUIET_COLUMNS_OF",
    "QUIET_TABLES",
    "Kept",
    "current",
    "forget_kept",
    "mark",
    "settled",
]
