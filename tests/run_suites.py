"""Run every test suite this machine can run, and say plainly what it could not.

    python tests/run_suites.py [--require-all] [--only sqlite|postgres|browser|api]

* sqlite   - the whole suite (except browser tests) on SQLite; always runs.  With
             the tests of the shared Redis cache when Redis answers
             (``TEST_REDIS_URL``, or database 15 at 127.0.0.1:6379).
* postgres - the same suite on PostgreSQL, less the tests marked ``nodb`` (they
             touch no database; the sqlite part runs them): ``TEST_DATABASE_URL``,
             or the server at 127.0.0.1:5432 with database ``test`` when one answers.
* browser  - the Playwright tests, driving Debian's Chromium (``/usr/bin/chromium``
             or ``TRACKER_CHROMIUM``); never a downloaded browser.
* api      - "api contract": schemathesis against a live server (``tracker serve``)
             on the demo data in a scratch SQLite database: every check, every
             phase (examples, coverage, fuzzing, stateful through the links),
             ``TRACKER_CONTRACT_EXAMPLES`` examples per operation (default 25);
             ``TRACKER_CONTRACT_SEED`` repeats a run (each run prints its seed).

``--require-all`` (CI) turns a part that cannot run into a failure naming it,
and makes the Open States integration tests fail instead of skipping.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql+psycopg://127.0.0.1:5432/test"


def postgres_url() -> tuple[str | None, str]:
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"no PostgreSQL reachable at {url} ({first})"
    return url, ""


DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def redis_url() -> tuple[str | None, str]:
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return None, f"no Redis reachable at {url} ({type(exc).__name__}: {exc})"
    return url, ""


def chromium_path() -> tuple[str | None, str]:
    candidates = [
        os.environ.get("TRACKER_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate, ""
    return None, "Chromium is not installed (apt-get install chromium)"


def workers() -> list[str]:
    """pytest-xdist: one worker per core (``TRACKER_TEST_WORKERS`` overrides)."""
    count = os.environ.get("TRACKER_TEST_WORKERS") or str(os.cpu_count() or 1)
    return ["-n", count] if count not in ("0", "1") else []


def pytest(args: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "pytest", *args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603 - fixed command


# ------------------------------------------------------------------ api contract

CONTRACT_EXAMPLES = 25  # per operation and phase: about a minute on two cores
CONTRACT_CONFIG = Path(__file__).with_name("schemathesis.toml")  # the checks' settings


def venv_tool(name: str) -> str | None:
    """A console script of this interpreter's environment (else on PATH)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def schemathesis_path() -> tuple[str | None, str]:
    found = venv_tool("schemathesis")
    if found is None:
        return None, "schemathesis is not installed (pip install -e '.[dev]')"
    return found, ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers: ``tracker serve`` becomes gunicorn, the
    leader of its own process group; SIGTERM, then SIGKILL after 20 s."""
    if server.poll() is not None:
        return
    for sent, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            return
        try:
            server.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def api_contract(schemathesis: str, base_env: dict[str, str]) -> int:
    """schemathesis against ``tracker serve`` on the demo data; its exit status."""
    tracker = venv_tool("tracker")
    if tracker is None:
        print("the tracker command is not installed (pip install -e .)", flush=True)
        return 1
    with tempfile.TemporaryDirectory(prefix="tracker-api-contract-") as scratch:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            k: v
            for k, v in base_env.items()
            if not k.startswith("TRACKER_") and k not in ("DATABASE_URL", "SECRET_KEY")
        }
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{scratch}/contract.db",
                "TRACKER_INSTANCE_PATH": scratch,
                "TRACKER_PUBLIC_URL": base,
            }
        )
        for step in (["db", "upgrade"], ["demo"]):
            print("+ tracker", " ".join(step), flush=True)
            done = subprocess.run(
                [tracker, *step],
                env=env,
                cwd=scratch,  # noqa: S603
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(done.stdout[-2000:], done.stderr[-2000:], sep="\n", flush=True)
                return done.returncode
        log_path = Path(scratch) / "server.log"
        with log_path.open("wb") as log:
            print(f"+ tracker serve --bind 127.0.0.1:{port} --workers 1", flush=True)
            server = subprocess.Popen(  # noqa: S603 - fixed command
                [tracker, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                env=env,
                cwd=scratch,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                if not wait_for(f"{base}/healthz", server, 60):
                    print("the server did not answer /healthz:", flush=True)
                    print(log_path.read_text(errors="replace")[-3000:], flush=True)
                    return 1
                examples = os.environ.get("TRACKER_CONTRACT_EXAMPLES") or str(CONTRACT_EXAMPLES)
                seed = os.environ.get("TRACKER_CONTRACT_SEED")
                command = [
                    schemathesis,
                    "--config-file",
                    str(CONTRACT_CONFIG),
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--checks",
                    "all",
                    "--phases",
                    "examples,coverage,fuzzing,stateful",
                    "--max-examples",
                    examples,
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "30",
                    *(["--seed", seed] if seed else []),
                ]
                print("+", " ".join(command), flush=True)
                return subprocess.call(command, env=env, cwd=scratch)  # noqa: S603
            finally:
                stop(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--require-all", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgres", "browser", "api"])
    options, extra = parser.parse_known_args()
    # SIGTERM (a CI timeout) unwinds like Ctrl-C: the running part's child is killed
    # and the api part's server stopped (``finally``), nothing left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.pop("TEST_REDIS_URL", None)
    if options.require_all:
        env["TRACKER_REQUIRE_OPENSTATES"] = "1"
    results: list[tuple[str, str]] = []
    failed = False

    started = time.monotonic()
    clock = [started]

    def record(part: str, code: int | None, reason: str = "", tool: str = "pytest") -> None:
        nonlocal failed
        took = time.monotonic() - clock[0]
        clock[0] = time.monotonic()
        part = f"{part} ({took:.0f} s)" if code is not None else part
        if code is None:
            results.append((part, f"NOT RUN: {reason}"))
            failed = failed or options.require_all
        elif code == 0:
            results.append((part, "passed"))
        else:
            results.append((part, f"FAILED ({tool} exit {code})"))
            failed = True

    if options.only in (None, "sqlite"):
        redis, reason = redis_url()
        if redis is None:
            record("sqlite", pytest(["-m", "not browser and not redis", *workers(), *extra], env))
            record("redis", None, reason)
        else:
            record(
                "sqlite + redis",
                pytest(["-m", "not browser", *workers(), *extra], {**env, "TEST_REDIS_URL": redis}),
            )

    if options.only in (None, "postgres"):
        url, reason = postgres_url()
        if url is None:
            record("postgres", None, reason)
        else:
            record(
                "postgres",
                pytest(
                    ["-m", "not browser and not redis and not nodb", *workers(), *extra],
                    {**env, "TEST_DATABASE_URL": url},
                ),
            )

    if options.only in (None, "browser"):
        chromium, reason = chromium_path()
        if chromium is None:
            record("browser", None, reason)
        else:
            record(
                "browser", pytest(["-m", "browser", *extra], {**env, "TRACKER_CHROMIUM": chromium})
            )

    if options.only in (None, "api"):
        schemathesis, reason = schemathesis_path()
        if schemathesis is None:
            record("api contract", None, reason)
        else:
            record("api contract", api_contract(schemathesis, env), tool="schemathesis")

    print("\nTest parts:")
    for part, outcome in results:
        print(f"  {part:16} {outcome}")
    print(f"  total {time.monotonic() - started:.0f} s")
    if failed and options.require_all and any("NOT RUN" in o for _, o in results):
        print("CI requires every part to run; install what is missing (see above).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
