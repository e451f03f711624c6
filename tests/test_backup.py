"""Backups round-trip between this run's database and a fresh SQLite one.

On the PostgreSQL run this is PostgreSQL -> SQLite -> PostgreSQL.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from tests.conftest import base_config, make_user, truncate_all
from tracker import backup, create_app, dataversion, demo
from tracker.extensions import db
from tracker.models import Bill, MemberVote, Person, RollCall, Term, User


def snapshot() -> dict[str, Any]:
    people = {
        p.public_id: (p.name, p.is_demo, p.created_at.isoformat())
        for p in db.session.scalars(select(Person))
    }
    terms = sorted(
        (t.person.public_id, t.chamber, t.district, str(t.start_date), str(t.end_date))
        for t in db.session.scalars(select(Term))
    )
    bills = sorted(
        (b.session.identifier, b.key, b.title, b.companion.key if b.companion else None)
        for b in db.session.scalars(select(Bill))
    )
    votes = sorted(
        (v.roll_call.public_id, v.person.public_id, v.option)
        for v in db.session.scalars(select(MemberVote))
    )
    users = sorted((u.email, u.password_hash) for u in db.session.scalars(select(User)))
    return {"people": people, "terms": terms, "bills": bills, "votes": votes, "users": users}


@pytest.mark.committed
def test_round_trip_through_another_database(app: Flask, tmp_path: Path) -> None:
    demo.load_demo()
    make_user("admin@example.org", "admin")
    db.session.commit()
    original = snapshot()
    first = tmp_path / "first.jsonl.gz"
    counts = backup.dump(str(first))
    assert counts["member_vote"] == len(original["votes"]) > 500

    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = create_app(base_config(f"sqlite:///{other_dir / 'other.db'}", other_dir))
    second = tmp_path / "second.jsonl.gz"
    with other.app_context():
        upgrade()
        before = dataversion.current()
        backup.load(str(first))
        assert snapshot() == original
        assert "data_version" not in counts and dataversion.current() > before  # caches move on
        backup.dump(str(second))
        db.session.remove()
        db.engine.dispose()

    truncate_all()
    backup.load(str(second))
    assert snapshot() == original
    # New rows get fresh ids after a restore (sequences continue).
    db.session.add(Person(name="Added After Restore"))
    db.session.commit()


def test_restore_refuses_a_database_with_data(app: Flask, tmp_path: Path) -> None:
    make_user()
    path = tmp_path / "b.jsonl.gz"
    backup.dump(str(path))
    with pytest.raises(backup.BackupError, match="--replace"):
        backup.load(str(path))
    assert backup.load(str(path), replace=True)["user_account"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip at all", "not a readable backup"),
        (gzip.compress(b'{"format": "something-else"}\n', mtime=0), "is not a mn-tracker-backup"),
        (gzip.compress(b"{broken\n", mtime=0), "not valid JSON"),
    ],
)
def test_bad_backup_files_change_nothing(
    app: Flask, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.gz"
    path.write_bytes(content)
    with pytest.raises(backup.BackupError, match=message):
        backup.load(str(path))
    assert db.session.scalars(select(RollCall)).first() is None


@pytest.mark.committed
def test_truncated_backup_rolls_back(app: Flask, tmp_path: Path) -> None:
    demo.load_demo()
    db.session.commit()
    good = tmp_path / "good.jsonl.gz"
    backup.dump(str(good))
    lines = gzip.decompress(good.read_bytes()).splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "mn-tracker-backup"
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(b"\n".join(lines[: len(lines) // 2]) + b"\n[1, 2]\n"))
    truncate_all()
    with pytest.raises(backup.BackupError, match="does not match"):
        backup.load(str(bad))
    assert db.session.scalars(select(Person)).first() is None


def test_backup_cli(runner, app: Flask, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_user()
    path = tmp_path / "cli.jsonl.gz"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0 and "wrote 2 rows from" in result.output  # user + audit
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code == 1 and "--replace" in refused.output
