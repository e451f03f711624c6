"""The migration chain builds the schema from empty and matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from tracker.extensions import db


def test_migrated_schema_equals_models(app: Flask) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_model_table_exists(app: Flask) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_runs_with_foreign_keys_and_wal(app: Flask) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PRAGMAs are SQLite's; PostgreSQL always enforces foreign keys")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.slow  # runs the installed command
def test_a_database_holding_data_migrates_down_and_up(tmp_path: object) -> None:
    """Altering a table that others refer to (roll_call, which member votes point
    at) copies it on SQLite: a database full of the demo's rows must come through
    both ways, every row and foreign key intact."""
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    url = f"sqlite:///{folder / 'full.db'}"
    env = {"DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(folder), "PATH": "/usr/bin:/bin"}
    tracker = Path(sys.executable).parent / "tracker"

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(tracker), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, (args, done.stderr[-2000:])
        return done.stdout

    run("db", "upgrade")
    run("demo")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)

    def counts() -> tuple[int, int, int]:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT count(*) FROM roll_call")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM member_vote")).scalar_one(),
                len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()),
            )

    before = counts()
    assert before[0] > 0 and before[1] > 0 and before[2] == 0
    run("db", "downgrade", "9a4b6c8d0e13")  # before committees: roll_call is copied
    assert counts() == before
    run("db", "upgrade")
    assert counts() == before
    engine.dispose()
