"""Shared by ``bench_pages.py`` and ``bench_load.py``: a scratch database filled with
invented data, the app served by ``tracker serve`` (gunicorn) in a process group of
its own, and a load generator (wrk when installed, else Python threads).

Everything started here is stopped by the context managers, on errors too: the
server's whole process group, then the scratch database (dropped) and its folder.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgresql+psycopg://127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"  # a database of the benchmarks' own
SECRET = "bench-secret"  # noqa: S105 - a throwaway key for a throwaway database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min) / {five:.2f} (5 min) on {os.cpu_count()} cores"


# ---------------------------------------------------------------- the database


@dataclass
class Scratch:
    """A database of its own (PostgreSQL, or SQLite in the folder) and an instance folder."""

    url: str
    folder: Path
    engine_name: str
    version: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "TRACKER_INSTANCE_PATH": str(self.folder),
            "SECRET_KEY": SECRET,
            **extra,
        }

    def app(self, **extra: Any) -> Any:
        from tracker import create_app

        return create_app(
            {
                "SQLALCHEMY_DATABASE_URI": self.url,
                "INSTANCE_PATH": str(self.folder),
                "SECRET_KEY": SECRET,
                "TRACKER_PAGE_CACHE": "SimpleCache",
                **extra,
            }
        )


@contextlib.contextmanager
def scratch_database(
    name: str, *, sqlite: bool, base_url: str = DEFAULT_DATABASE
) -> Iterator[Scratch]:
    """A migrated, empty database named ``name`` (created here, dropped on the way out)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    admin = None
    try:
        if sqlite:
            scratch = Scratch(f"sqlite:///{folder / 'bench.db'}", folder, "SQLite")
            import sqlite3

            scratch.version = sqlite3.sqlite_version
        else:
            admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                version = conn.execute(text("SHOW server_version")).scalar()
            url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
            scratch = Scratch(url, folder, "PostgreSQL", str(version).split()[0])
        subprocess.run(
            [str(BIN / "tracker"), "db", "upgrade"],
            env=scratch.env(),
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        yield scratch
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def populate(scratch: Scratch, scale: str) -> dict[str, int]:
    """``tracker.benchdata`` of ``scale`` with every scorecard published; its counts."""
    import warnings

    from sqlalchemy import func, select

    from tracker import benchdata, runs, scorecards
    from tracker.extensions import db
    from tracker.models import Bill, Scorecard

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = scratch.app()
    with app.app_context():
        started = time.perf_counter()
        counts = benchdata.generate(scale)
        db.session.commit()
        runs.analyze()  # planner statistics, as after a scrape's bulk ingest
        for card in db.session.scalars(select(Scorecard).order_by(Scorecard.id)):
            scorecards.publish(card, expected_version=None, note="bench", actor="bench")
            db.session.commit()
        counts["seconds"] = round(time.perf_counter() - started)
        counts["bills"] = db.session.scalar(select(func.count()).select_from(Bill)) or 0
        db.engine.dispose()
    return counts


def describe(scratch: Scratch, scale: str, counts: dict[str, int]) -> str:
    return (
        f"database {scale!r} ({scratch.engine_name} {scratch.version}): "
        f"{counts['people']} people, {counts['bills']:,} bills, {counts['roll_calls']:,} roll "
        f"calls, {counts['member_votes']:,} member votes, {counts['scored']} scored votes; "
        f"built and published in {counts['seconds']} s"
    )


def clear_redis(url: str) -> None:
    """Delete the app's keys (``tracker:*``) in the benchmarks' Redis database, so that
    no page cached by an earlier run (same data version, same path) is served."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter("tracker:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    finally:
        client.close()


# ---------------------------------------------------------------- the server


class Server:
    """``tracker serve`` (gunicorn, gthread workers) on a free local port, in a process
    group of its own, stopped with its workers on the way out."""

    def __init__(self, scratch: Scratch, *, workers: int = 2, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = scratch.folder / f"server-{self.port}.log"
        self.env = scratch.env(**env)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                [
                    str(BIN / "tracker"),
                    "serve",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )  # its own process group: stopped as one below
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_until_up(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self.process.returncode}):\n"
                    + self.log.read_text()[-2000:]
                )
            try:
                status, _ = get(self.base + "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            "the server did not answer /healthz within 60 s:\n" + self.log.read_text()[-2000:]
        )

    def stop(self) -> None:
        """SIGTERM to the process group (gunicorn finishes what it serves), SIGKILL to
        whatever is left of it after 30 s."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # stray workers, if any
        if process.poll() is None:
            process.wait(timeout=10)


def connections_by_worker(port: int) -> list[int] | None:
    """How many established connections to ``port`` each server process holds, most
    first (``ss`` of iproute2), or None when ``ss`` is not installed."""
    found = shutil.which("ss")
    if found is None:
        return None
    listing = subprocess.run(  # noqa: S603 - a fixed argument list
        [found, "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    counts: dict[str, int] = {}
    for line in listing.splitlines():
        pid = line.rpartition("pid=")[2].split(",")[0]
        if pid.isdigit():
            counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body as sent)."""
    parsed = http.client.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        conn.request(
            "GET", parsed.path + (f"?{parsed.query}" if parsed.query else ""), headers=headers or {}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- load generators


@dataclass
class Result:
    requests: int
    seconds: float
    p50: float  # seconds
    p99: float
    max: float
    bad_status: int  # responses other than 2xx/3xx
    socket_errors: int  # connect, read, write errors and timeouts
    bytes: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.bad_status + self.socket_errors


WRK_SCRIPT = r"""
-- Written by benchmarks/_web.py: cycles through the paths in $WRK_PATHS (one a
-- line) and writes the summary as JSON to $WRK_OUT.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local counter = 0
init = function(args)
  counter = (id or 1) * 7919
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
  out:close()
end
"""


class Wrk:
    """wrk (https://github.com/wg/wrk): keep-alive connections (a new one for each
    request when the request says ``Connection: close``), latency histogram."""

    def __init__(self) -> None:
        found = shutil.which("wrk")
        if found is None:
            raise FileNotFoundError("wrk is not installed")
        self.path = found
        version = subprocess.run([found, "-v"], capture_output=True, text=True, check=False)
        first = (
            (version.stdout or version.stderr).splitlines()[0]
            if (version.stdout or version.stderr)
            else "wrk"
        )
        self.name = first.split(" Copyright")[0].strip()

    def run(
        self,
        base: str,
        paths: Sequence[str],
        *,
        connections: int,
        seconds: float,
        headers: dict[str, str],
    ) -> Result:
        with tempfile.TemporaryDirectory(prefix="wrk-") as folder:
            script, listing, out = (Path(folder) / n for n in ("run.lua", "paths", "out.json"))
            script.write_text(WRK_SCRIPT)
            listing.write_text("\n".join(paths) + "\n")
            command = [
                self.path,
                "-t",
                str(max(1, min(connections, 2))),
                "-c",
                str(connections),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
            ]
            for name, value in headers.items():
                command += ["-H", f"{name}: {value}"]
            env = {**os.environ, "WRK_PATHS": str(listing), "WRK_OUT": str(out)}
            done = subprocess.run(
                command + [base + paths[0]], env=env, capture_output=True, text=True, check=False
            )
            if done.returncode != 0 or not out.exists():
                raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
            data = json.loads(out.read_text())
        return Result(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            p50=data["p50_us"] / 1e6,
            p99=data["p99_us"] / 1e6,
            max=data["max_us"] / 1e6,
            bad_status=data["status"],
            socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
            bytes=data["bytes"],
        )


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    bad_status: int = 0
    socket_errors: int = 0
    bytes: int = 0


class PythonLoad:
    """Python threads, one keep-alive connection each (a new one for each request
    when the server closes it; used when wrk is not installed).
    It shares the machine's cores with the server and is slower than wrk, so its
    throughput figures are lower bounds."""

    def __init__(self, why: str) -> None:
        self.name = f"Python threads (http.client, keep-alive; {why})"

    def run(
        self,
        base: str,
        paths: Sequence[str],
        *,
        connections: int,
        seconds: float,
        headers: dict[str, str],
    ) -> Result:
        parsed = http.client.urlsplit(base)
        tallies = [_Tally() for _ in range(connections)]
        start = time.perf_counter()
        deadline = start + seconds

        def worker(index: int) -> None:
            tally = tallies[index]
            conn: http.client.HTTPConnection | None = None
            n = index * 7919
            while time.perf_counter() < deadline:
                n += 1
                path = paths[n % len(paths)]
                began = time.perf_counter()
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException):
                    tally.socket_errors += 1
                    if conn is not None:
                        conn.close()
                    conn = None
                    continue
                tally.latencies.append(time.perf_counter() - began)
                tally.bytes += len(body)
                if not 200 <= response.status < 400:
                    tally.bad_status += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            if conn is not None:
                conn.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        latencies = sorted(x for t in tallies for x in t.latencies)
        if not latencies:
            latencies = [0.0]

        def pct(p: float) -> float:
            return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

        return Result(
            requests=sum(len(t.latencies) for t in tallies),
            seconds=elapsed,
            p50=pct(0.50),
            p99=pct(0.99),
            max=latencies[-1],
            bad_status=sum(t.bad_status for t in tallies),
            socket_errors=sum(t.socket_errors for t in tallies),
            bytes=sum(t.bytes for t in tallies),
        )


def load_generator(choice: str) -> Wrk | PythonLoad:
    """``auto``: wrk when installed, else Python threads; ``wrk``/``python``: that one."""
    if choice == "python":
        return PythonLoad("asked for")
    try:
        return Wrk()
    except FileNotFoundError:
        if choice == "wrk":
            raise
        return PythonLoad("wrk is not installed")
