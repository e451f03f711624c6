from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.conftest import PROJECT_ROOT, make_user
from tracker import accounts
from tracker.extensions import db
from tracker.models import AuditEvent, User
from tracker.settings import override


def test_user_create_reads_password_from_stdin(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["user", "create", "Lead@Example.org", "--role", "admin"],
                           input="a long admin passphrase\n")
    assert result.exit_code == 0, result.output
    assert "created admin lead@example.org" in result.output
    user = db.session.query(User).one()
    assert user.role == "admin"
    assert accounts.authenticate("lead@example.org", "a long admin passphrase") is not None
    assert db.session.query(AuditEvent).one().actor == "cli"


def test_user_create_refuses_bad_input(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    short = runner.invoke(args=["user", "create", "a@example.org", "--role", "staff"],
                          input="short\n")
    assert short.exit_code == 1 and "at least 12" in short.output
    role = runner.invoke(args=["user", "create", "a@example.org", "--role", "king"],
                         input="long enough password\n")
    assert role.exit_code == 2
    make_user("b@example.org")
    dup = runner.invoke(args=["user", "create", "b@example.org", "--role", "staff"],
                        input="long enough password\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert db.session.query(User).count() == 1


def test_set_password_and_reset_link(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    make_user("s@example.org")
    result = runner.invoke(args=["user", "set-password", "s@example.org"],
                           input="another long passphrase\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert accounts.authenticate("s@example.org", "another long passphrase") is not None
    override(app, TRACKER_PUBLIC_URL="https://scorecard.example.org")
    link = runner.invoke(args=["user", "set-password", "s@example.org", "--link"])
    assert link.exit_code == 0
    assert link.output.startswith("https://scorecard.example.org/auth/reset/")
    missing = runner.invoke(args=["user", "set-password", "nobody@example.org"], input="x\n")
    assert missing.exit_code == 1 and "no account for nobody@example.org" in missing.output


def test_user_list(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    make_user("a@example.org", "admin")
    make_user("z@example.org", "staff", active=False)
    result = runner.invoke(args=["user", "list"])
    assert result.output.splitlines() == ["a@example.org\tadmin\tactive",
                                          "z@example.org\tstaff\tdeactivated"]


def run_tracker(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    tracker = Path(sys.executable).parent / "tracker"
    return subprocess.run([str(tracker), *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=PROJECT_ROOT, check=False)


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    import os

    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL"}}
    return {**keep, "TRACKER_INSTANCE_PATH": str(tmp_path), **extra}


def test_console_script_upgrades_and_loads_demo(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert run_tracker("db", "upgrade", env=env).returncode == 0
    first = run_tracker("demo", "--if-empty", env=env)
    assert first.returncode == 0 and "loaded demo data: " in first.stdout
    second = run_tracker("demo", "--if-empty", env=env)
    assert "demo not loaded" in second.stdout
    assert (tmp_path / "tracker.db").exists()


def test_unreachable_database_is_one_line_naming_database_url(tmp_path: Path) -> None:
    env = clean_env(tmp_path, DATABASE_URL="postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    result = run_tracker("db", "upgrade", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot use the database at DATABASE_URL")
    assert "secret" not in lines[0] and "***" in lines[0]


def test_missing_production_secret_is_one_line(tmp_path: Path) -> None:
    result = run_tracker("user", "list", env=clean_env(tmp_path, TRACKER_ENV="production"))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: SECRET_KEY is required when TRACKER_ENV=production"


def test_flask_app_option_works_too(tmp_path: Path) -> None:
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run([str(flask), "--app", "tracker", "user", "--help"],
                            env=clean_env(tmp_path), capture_output=True, text=True,
                            timeout=60, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0 and "set-password" in result.stdout


def test_serve_runs_gunicorn_and_answers_healthz(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    env = clean_env(tmp_path)
    assert run_tracker("db", "upgrade", env=env).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tracker = Path(sys.executable).parent / "tracker"
    server = subprocess.Popen([str(tracker), "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1"], env=env, cwd=PROJECT_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = None
        deadline = time.monotonic() + 60  # a loaded machine boots the app slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read().decode()
                    headers = dict(r.headers)
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, "gunicorn did not answer"
        assert '"database":"ok"' in body.replace(" ", "")
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
