from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import PROJECT_ROOT, make_user
from tracker import accounts
from tracker.extensions import db
from tracker.models import AuditEvent, User
from tracker.settings import override


def test_user_create_reads_password_from_stdin(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=["user", "create", "Lead@Example.org", "--role", "admin"],
        input="a long admin passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created admin lead@example.org" in result.output
    user = db.session.query(User).one()
    assert user.role == "admin"
    assert accounts.authenticate("lead@example.org", "a long admin passphrase") is not None
    assert db.session.query(AuditEvent).one().actor == "cli"


def test_user_create_refuses_bad_input(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    short = runner.invoke(
        args=["user", "create", "a@example.org", "--role", "staff"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12" in short.output
    role = runner.invoke(
        args=["user", "create", "a@example.org", "--role", "king"], input="long enough password\n"
    )
    assert role.exit_code == 2
    make_user("b@example.org")
    dup = runner.invoke(
        args=["user", "create", "b@example.org", "--role", "staff"], input="long enough password\n"
    )
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert db.session.query(User).count() == 1


def test_set_password_and_reset_link(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    make_user("s@example.org")
    result = runner.invoke(
        args=["user", "set-password", "s@example.org"], input="another long passphrase\n"
    )
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
    assert result.output.splitlines() == [
        "a@example.org\tadmin\tactive",
        "z@example.org\tstaff\tdeactivated",
    ]


def run_tracker(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    tracker = Path(sys.executable).parent / "tracker"
    return subprocess.run(
        [str(tracker), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
        check=False,
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    import os

    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL"}}
    return {**keep, "TRACKER_INSTANCE_PATH": str(tmp_path), **extra}


@pytest.mark.slow  # runs the installed command in a process of its own
def test_console_script_upgrades_and_loads_demo(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    assert run_tracker("db", "upgrade", env=env).returncode == 0
    first = run_tracker("demo", "--if-empty", env=env)
    assert first.returncode == 0 and "loaded demo data: " in first.stdout
    second = run_tracker("demo", "--if-empty", env=env)
    assert "demo not loaded" in second.stdout
    assert (tmp_path / "tracker.db").exists()


@pytest.mark.slow  # runs the installed command in a process of its own
def test_unreachable_database_is_one_line_naming_database_url(tmp_path: Path) -> None:
    env = clean_env(tmp_path, DATABASE_URL="postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    result = run_tracker("db", "upgrade", env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: cannot use the database at DATABASE_URL")
    assert "secret" not in lines[0] and "***" in lines[0]


@pytest.mark.slow  # runs the installed command in a process of its own
def test_missing_production_secret_is_one_line(tmp_path: Path) -> None:
    result = run_tracker("user", "list", env=clean_env(tmp_path, TRACKER_ENV="production"))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: SECRET_KEY is required when TRACKER_ENV=production"


@pytest.mark.slow  # runs the installed command in a process of its own
def test_flask_app_option_works_too(tmp_path: Path) -> None:
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run(
        [str(flask), "--app", "tracker", "user", "--help"],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert result.returncode == 0 and "set-password" in result.stdout


CONFIG_PROBLEMS = [
    ({"DATABASE_URL": "not a url"}, "error: DATABASE_URL is not a database URL; use one such"),
    (
        {"DATABASE_URL": "mysql://u:secret@db/x"},
        "error: DATABASE_URL needs the database driver 'MySQLdb', which is not installed",
    ),
    (
        {"DATABASE_URL": "postgres://u:secret@db/x"},
        "error: DATABASE_URL names a database this app cannot use (postgres://)",
    ),
    (
        {"TRACKER_INSTANCE_PATH": "/etc/hostname/instance"},
        "error: TRACKER_INSTANCE_PATH: cannot keep the development secret key in "
        "/etc/hostname/instance/secret_key",
    ),
    ({"TRACKER_LOGIN_LIMIT": "lots"}, "error: TRACKER_LOGIN_LIMIT must be a rate limit"),
    (
        {"TRACKER_ENV": "production", "SECRET_KEY": "x" * 40},
        "error: TRACKER_ENV=production runs several web workers, and rate limits kept in memory "
        "would be counted by each apart: set TRACKER_REDIS_URL",
    ),
    ({"TRACKER_PROXY_COUNT": "-1"}, "error: TRACKER_PROXY_COUNT must be 0 or more"),
]
COMMANDS = [
    ["db", "upgrade"],
    ["user", "list"],
    ["serve"],
    ["scheduler", "--list"],
    ["export", "csv", "--help"],
    ["--help"],
]


@pytest.mark.parametrize(("variables", "expected"), CONFIG_PROBLEMS)
def test_configuration_problems_are_one_line_for_every_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variables: dict[str, str],
    expected: str,
) -> None:
    """The console script's entry point, in this process (the next test runs the
    installed script itself)."""
    from tracker.cli import main

    for name in (
        "DATABASE_URL",
        "SECRET_KEY",
        "TRACKER_ENV",
        "TRACKER_LOGIN_LIMIT",
        "TRACKER_REDIS_URL",
        "TRACKER_RATELIMIT_STORAGE_URI",
        "TRACKER_PROXY_COUNT",
        "TRACKER_ALLOW_MEMORY_LIMITS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    for command in COMMANDS:
        with pytest.raises(SystemExit) as stopped:
            main(command)
        out, err = capsys.readouterr()
        assert stopped.value.code == 2, (command, out, err)
        assert err.startswith(expected) and err.count("\n") == 1, (command, err)
        assert "secret" not in err.removeprefix(expected)
        assert "Traceback" not in out + err


@pytest.mark.slow  # runs the installed command in a process of its own
def test_the_installed_script_prints_one_line_for_a_malformed_database_url(
    tmp_path: Path,
) -> None:
    result = run_tracker("db", "upgrade", env=clean_env(tmp_path, DATABASE_URL="nonsense"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: DATABASE_URL is not a database URL; use one such as "
        "postgresql+psycopg://user:pass@host/db or sqlite:////path/tracker.db"
    ]


@pytest.mark.slow  # runs the installed command in a process of its own
def test_serve_with_several_workers_refuses_limits_kept_in_memory(tmp_path: Path) -> None:
    result = run_tracker("serve", "--workers", "2", env=clean_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: tracker serve --workers 2 runs several web workers, and rate limits kept in "
        "memory would be counted by each apart: set TRACKER_REDIS_URL (or "
        "TRACKER_RATELIMIT_STORAGE_URI=redis://...) or, for a single worker, "
        "TRACKER_ALLOW_MEMORY_LIMITS=true"
    ]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float) -> tuple[int, str, dict[str, str]]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local
        return response.status, response.read().decode(), dict(response.headers)


def _processes_with(text: str) -> list[int]:
    """The pids of live processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.slow  # runs the installed command in a process of its own
def test_serve_becomes_gunicorn_outlasts_slow_clients_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    import os
    import signal
    import socket
    import time

    env = clean_env(tmp_path, TRACKER_ALLOW_MEMORY_LIMITS="true")  # the rate limits' store
    port = _free_port()
    bind = f"127.0.0.1:{port}"
    tracker = Path(sys.executable).parent / "tracker"
    server = subprocess.Popen(
        [str(tracker), "serve", "--bind", bind, "--workers", "2"],
        env=env,
        cwd=PROJECT_ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow: list[socket.socket] = []
    try:
        answer = None
        deadline = time.monotonic() + 60  # a loaded machine boots the app slowly
        while time.monotonic() < deadline and answer is None:
            try:
                answer = _get(f"http://{bind}/healthz", timeout=2)
            except OSError:
                time.sleep(0.1)
        assert answer is not None, "gunicorn did not answer"
        status, body, headers = answer
        assert status == 200 and '"database":"ok"' in body.replace(" ", "")
        assert headers["X-Content-Type-Options"] == "nosniff"
        # The process we started is gunicorn's master itself (exec, not a child).
        master = (Path("/proc") / str(server.pid) / "cmdline").read_bytes()
        assert b"gunicorn" in master and b"gthread" in master
        # Eight clients that never finish their headers.
        for _ in range(8):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(client)
        time.sleep(0.5)
        for _ in range(6):
            started = time.monotonic()
            status, body, _ = _get(f"http://{bind}/healthz", timeout=5)
            elapsed = time.monotonic() - started
            assert status == 200 and '"status":"ok"' in body.replace(" ", "")
            assert elapsed < 0.75, f"/healthz took {elapsed:.2f} s beside slow clients"
        assert len(_processes_with(bind)) == 3  # the master and its two workers
        for client in slow:  # else the workers wait out --graceful-timeout for them
            client.close()
        os.kill(server.pid, signal.SIGTERM)
        assert server.wait(timeout=40) == 0
        deadline = time.monotonic() + 10
        while _processes_with(bind) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_with(bind) == [], "gunicorn processes outlived SIGTERM"
    finally:
        for client in slow:
            client.close()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        for pid in _processes_with(bind):  # only ever ours: the command line has our port
            os.kill(pid, signal.SIGKILL)


def test_version_is_the_packages_not_flasks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.cli import main
    from tracker.runs import app_version

    monkeypatch.setenv("DATABASE_URL", "not a url")  # printed before any configuration is read
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    out, err = capsys.readouterr()
    assert stopped.value.code == 0 and err == ""
    assert out == f"mn-tracker {app_version()}\n"
    assert app_version() != "0" and "Flask" not in out


def test_scorecards_list_gives_the_ids_export_takes(
    runner,
    app: Flask,
    demo_full: None,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from sqlalchemy import select

    from tracker import localtime, scorecards
    from tracker.models import LegislativeSession, Scorecard

    session = db.session.scalars(
        select(LegislativeSession).where(LegislativeSession.identifier == "2025-2026")
    ).one()
    draft = scorecards.create_scorecard(
        scorecards.ScorecardSettings(
            title="Senate only, unpublished",
            description="",
            session_ids=[session.id],
            chambers=["senate"],
            absence_policy="exclude",
            min_participation_pct=50,
            grade_bands=[],
            show_sponsorship=True,
        ),
        actor="test",
    )
    db.session.commit()
    result = runner.invoke(args=["scorecards", "list"])
    assert result.exit_code == 0, result.output
    cards = db.session.scalars(select(Scorecard).order_by(Scorecard.id)).all()
    expected = []
    for card in cards:
        latest = card.versions[-1] if card.versions else None
        expected.append(
            "\t".join(
                [
                    card.public_id,
                    card.title,
                    ", ".join(s.identifier for s in card.sessions),
                    ", ".join(card.chambers),
                    f"v{latest.number} published {localtime.iso_day(latest.published_at)}"
                    if latest
                    else "draft only",
                ]
            )
        )
    assert result.output.splitlines() == expected
    assert result.output.splitlines()[-1] == (
        f"{draft.public_id}\tSenate only, unpublished\t2025-2026\tsenate\tdraft only"
    )
    assert "\t2023-2024\thouse, senate\tv1 published " in result.output
    first_id = result.output.splitlines()[0].split("\t")[0]
    export = runner.invoke(args=["export", "csv", "--scorecard", first_id, "--out", str(tmp_path)])
    assert export.exit_code == 0, export.output


def test_scorecards_list_when_there_are_none(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["scorecards", "list"])
    assert result.exit_code == 0
    assert result.output == "no scorecards yet (staff create them at /staff/scorecards)\n"
