"""Column helpers shared by the models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Table, TypeDecorator
from sqlalchemy.engine import Dialect


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_public_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use tracker.models.common.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def one_of(column: str, values: Iterable[str], name: str) -> CheckConstraint:
    """A CHECK constraint restricting ``column`` to the vocabulary ``values``."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class, for Core statements: a model's ``__table__``
    is typed as any ``FromClause``, which has no ``insert()``."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def versioned(version: Any) -> dict[str, Any]:
    """The mapper arguments of a row staff edit: ``version`` is its version counter,
    checked and bumped by every UPDATE (``tracker.edits``)."""
    return {"version_id_col": version}
