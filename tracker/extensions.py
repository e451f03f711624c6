"""Extension objects, created once and bound to an app in ``create_app``."""

from __future__ import annotations

import contextvars
import sqlite3
from typing import TYPE_CHECKING, Any, dataclass_transform

from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    MappedAsDataclass,
    MappedColumn,
    RelationshipProperty,
    mapped_column,
    relationship,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Every model subclasses ``Model``: a dataclass-mapped ``db.Model`` (SQLAlchemy's
# "Declarative Dataclass Mapping"), so constructors take keyword arguments only and
# refuse unknown ones, at runtime and under mypy.  ``eq=False`` keeps identity
# equality and hashing (models go in sets and dict keys); ``repr=False`` keeps the
# models' own ``__repr__`` (a generated one would lazy-load relationships).
#
# ``MappedAsDataclass`` cannot go on ``Base`` itself: Flask-SQLAlchemy 3.1 builds
# ``db.Model`` from a copy of ``Base``'s namespace, and SQLAlchemy 2.1 refuses a
# class that is already a dataclass.  mypy reads ``db.Model`` as a variable, not a
# class, and does not pass ``kw_only`` on to subclasses, so it is shown the same
# transform as a typed base with keyword-only fields by default.
if TYPE_CHECKING:

    @dataclass_transform(
        kw_only_default=True,
        eq_default=False,
        field_specifiers=(MappedColumn, RelationshipProperty, mapped_column, relationship),
    )
    class Model(Base):
        """The base of every model (see above)."""

else:

    class Model(MappedAsDataclass, db.Model, kw_only=True, eq=False, repr=False):
        """The base of every model (see above)."""

        __abstract__ = True


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
talisman = Talisman()
cache = Cache()
compress = Compress()  # gzip, br or zstd for every response, pages and API alike


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked, on every connection; WAL
    lets the scheduler write while web requests read.

    The sqlite3 module's own transaction handling is switched off (it begins
    transactions late and silently commits before some statements), and
    ``_sqlite_begin`` emits BEGIN where SQLAlchemy begins one: the documented
    way to get real transactions and SAVEPOINTs on SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


# Set for a request that may write (``tracker.edits``): its SQLite transactions
# take the writer lock at BEGIN, before they read what they will change.
writes_immediately: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "writes_immediately", default=False
)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes_immediately.get() else "BEGIN")
