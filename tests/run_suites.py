"""Run every test suite this machine can run, and say plainly what it could not.

    python tests/run_suites.py [--require-all] [--only sqlite|postgres|browser]

* sqlite   - the whole suite (except browser tests) on SQLite; always runs.  With
             the tests of the shared Redis cache when Redis answers
             (``TEST_REDIS_URL``, or database 15 at 127.0.0.1:6379).
* postgres - the same suite on PostgreSQL: ``TEST_DATABASE_URL``, or the server
             at 127.0.0.1:5432 with database ``test`` when one answers.
* browser  - the Playwright tests, driving Debian's Chromium (``/usr/bin/chromium``
             or ``TRACKER_CHROMIUM``); never a downloaded browser.

``--require-all`` (CI) turns a part that cannot run into a failure naming it,
and makes the Open States integration tests fail instead of skipping.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
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
    candidates = [os.environ.get("TRACKER_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser")]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--require-all", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgres", "browser"])
    options, extra = parser.parse_known_args()

    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.pop("TEST_REDIS_URL", None)
    if options.require_all:
        env["TRACKER_REQUIRE_OPENSTATES"] = "1"
    results: list[tuple[str, str]] = []
    failed = False

    started = time.monotonic()
    clock = [started]

    def record(part: str, code: int | None, reason: str = "") -> None:
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
            results.append((part, f"FAILED (pytest exit {code})"))
            failed = True

    if options.only in (None, "sqlite"):
        redis, reason = redis_url()
        if redis is None:
            record("sqlite", pytest(["-m", "not browser and not redis", *workers(), *extra],
                                    env))
            record("redis", None, reason)
        else:
            record("sqlite + redis", pytest(["-m", "not browser", *workers(), *extra],
                                            {**env, "TEST_REDIS_URL": redis}))

    if options.only in (None, "postgres"):
        url, reason = postgres_url()
        if url is None:
            record("postgres", None, reason)
        else:
            record("postgres", pytest(["-m", "not browser and not redis", *workers(), *extra],
                                      {**env, "TEST_DATABASE_URL": url}))

    if options.only in (None, "browser"):
        chromium, reason = chromium_path()
        if chromium is None:
            record("browser", None, reason)
        else:
            record("browser", pytest(["-m", "browser", *extra],
                                     {**env, "TRACKER_CHROMIUM": chromium}))

    print("\nTest parts:")
    for part, outcome in results:
        print(f"  {part:16} {outcome}")
    print(f"  total {time.monotonic() - started:.0f} s")
    if failed and options.require_all and any("NOT RUN" in o for _, o in results):
        print("CI requires every part to run; install what is missing (see above).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
