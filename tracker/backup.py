"""Portable whole-database backups: ``tracker backup FILE`` / ``tracker restore FILE``.

The file is gzip-compressed JSON lines: a header naming the format and the
Alembic revision, then for each table a line with its columns followed by one
line per row.  Values are written in JSON-native form (dates and timestamps as
ISO 8601), so a dump from SQLite loads into PostgreSQL and back.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db
from tracker.models.common import UTCDateTime

FORMAT = "mn-tracker-backup"
VERSION = 1
BATCH = 5000


class BackupError(RuntimeError):
    pass


# The data version is the caches' counter, not data: a restore leaves it in place
# and moves it on (``tracker.dataversion``), so nothing cached before is served.
NOT_BACKED_UP = frozenset({"data_version"})


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _revision() -> str | None:
    try:
        revision: str | None = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        return revision
    except SQLAlchemyError:
        db.session.rollback()
        return None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _decoder(column_type: Any) -> Any:
    if isinstance(column_type, UTCDateTime | DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(column_type, Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if isinstance(column_type, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return None


def dump(path: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"format": FORMAT, "version": VERSION, "revision": _revision()}))
        out.write("\n")
        for table in _tables():
            columns = [c.name for c in table.columns]
            out.write(json.dumps({"table": table.name, "columns": columns}) + "\n")
            count = 0
            pk = list(table.primary_key.columns)
            result = db.session.execute(select(table).order_by(*pk)).yield_per(BATCH)
            for row in result:
                out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
                count += 1
            counts[table.name] = count
    db.session.rollback()
    return counts


def _read(path: str) -> Iterator[Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise BackupError(f"{path}: line {number} is not valid JSON") from None
    except (OSError, EOFError) as exc:
        raise BackupError(f"{path}: not a readable backup ({exc})") from None


def load(path: str, *, replace: bool = False) -> dict[str, int]:
    """Load a backup into a migrated database in one transaction; on any error
    nothing is changed."""
    rows = _read(path)
    header = next(rows, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} file")
    if header.get("version") != VERSION:
        raise BackupError(f"{path} has format version {header.get('version')}; expected {VERSION}")
    revision = _revision()
    if header.get("revision") != revision:
        raise BackupError(
            f"{path} was made at migration {header.get('revision')}, this database is at "
            f"{revision}; run `tracker db upgrade` (or restore into a matching version)"
        )
    tables = {t.name: t for t in _tables()}
    if not replace and any(
        db.session.scalar(select(func.count()).select_from(t)) for t in tables.values()
    ):
        raise BackupError("the database already holds data; pass --replace to empty it first")
    counts: dict[str, int] = {}
    try:
        if replace:
            for emptied in reversed(list(tables.values())):
                _clear_self_references(emptied)
                db.session.execute(emptied.delete())
        table: Table | None = None
        columns: list[str] = []
        batch: list[dict[str, Any]] = []
        deferred: list[tuple[Table, dict[str, Any]]] = []
        for item in rows:
            if isinstance(item, dict):
                _flush(table, batch)
                table = tables.get(item.get("table", ""))
                if table is None:
                    raise BackupError(
                        f"{path} has a table this database lacks: {item.get('table')}"
                    )
                columns = item["columns"]
                missing = set(columns) - {c.name for c in table.columns}
                if missing:
                    raise BackupError(f"{table.name} lacks columns {sorted(missing)}")
                counts[table.name] = 0
                continue
            if table is None or len(item) != len(columns):
                raise BackupError(f"{path}: a row does not match its table header")
            values = {}
            for name, value in zip(columns, item, strict=True):
                decode = _decoder(table.c[name].type)
                values[name] = decode(value) if decode else value
            self_refs = _self_reference_columns(table)
            later = {k: values[k] for k in self_refs if values.get(k) is not None}
            if later:
                deferred.append(
                    (
                        table,
                        {**{c.name: values[c.name] for c in table.primary_key.columns}, **later},
                    )
                )
                values.update(dict.fromkeys(later))
            batch.append(values)
            counts[table.name] += 1
            if len(batch) >= BATCH:
                _flush(table, batch)
        _flush(table, batch)
        for deferred_table, values in deferred:
            pk = list(deferred_table.primary_key.columns)
            condition = [c == values[c.name] for c in pk]
            db.session.execute(
                update(deferred_table)
                .where(*condition)
                .values({k: v for k, v in values.items() if k not in {c.name for c in pk}})
            )
        _reset_sequences(list(tables.values()))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return counts


def _self_reference_columns(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _clear_self_references(table: Table) -> None:
    columns = _self_reference_columns(table)
    if columns:
        db.session.execute(update(table).values(dict.fromkeys(columns)))


def _flush(table: Table | None, batch: list[dict[str, Any]]) -> None:
    if table is not None and batch:
        db.session.execute(insert(table), batch)
        batch.clear()


def _reset_sequences(tables: list[Table]) -> None:
    """PostgreSQL's serial counters must continue after the restored ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].type.python_type is int:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "  # noqa: S608
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
