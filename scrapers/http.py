"""The one HTTP client of a scrape run: polite, retrying, caching, recordable.

* an honest User-Agent naming the product, its version and a contact address;
* at most ``requests_per_second`` requests to any one host (retries included);
* explicit connect and read timeouts on every request;
* retries with exponential backoff on connection errors, timeouts, 429 and 5xx
  (``Retry-After`` honoured when sane), then :class:`FetchError`;
* conditional GETs (ETag / Last-Modified) against an on-disk cache;
* record mode (every final response saved to a directory with a JSON-lines
  index) and replay mode (responses served from such a directory, no network).

TLS certificates are always verified; ``ca_bundle`` only names the bundle to use.
The client is meant for one thread; use one client per scrape run.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlparse

import requests

BACKOFF_CAP: Final = 60.0  # seconds; the longest exponential backoff wait
MAX_RETRY_AFTER: Final = 300.0  # seconds; a longer Retry-After is not "sane"
INDEX_NAME: Final = "index.jsonl"
RETRY_STATUSES: Final = frozenset({429}) | frozenset(range(500, 600))

_CONTENT_SUFFIXES: Final = {
    "xml": ".xml",
    "html": ".html",
    "json": ".json",
    "pdf": ".pdf",
    "plain": ".txt",
}


class FetchError(Exception):
    """A request that failed for good: ``str()`` names the URL and the reason."""

    def __init__(
        self,
        url: str,
        reason: str,
        status: int | None = None,
        *,
        response: Response | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.response = response
        super().__init__(url, reason, status)

    def __str__(self) -> str:
        return f"fetching {self.url} failed: {self.reason}"


@dataclass(frozen=True, kw_only=True)
class HttpSettings:
    """Settings of :class:`HttpClient`; times in seconds."""

    contact_email: str | None
    version: str
    user_agent_product: str = "mn-tracker"
    requests_per_second: float = 1.0  # per host
    connect_timeout: float = 10
    read_timeout: float = 60
    retries: int = 4  # retries after the first attempt
    backoff_base: float = 1.0  # waits base, 2*base, 4*base, ... capped at BACKOFF_CAP
    ca_bundle: str | None = None  # CA bundle file used for TLS verification
    cache_dir: str | None = None
    record_dir: str | None = None
    replay_dir: str | None = None

    def __post_init__(self) -> None:
        if self.record_dir and self.replay_dir:
            raise ValueError("record_dir and replay_dir are mutually exclusive")
        if self.requests_per_second <= 0:
            raise ValueError("requests_per_second must be positive")
        if self.retries < 0:
            raise ValueError("retries must not be negative")
        if self.backoff_base < 0:
            raise ValueError("backoff_base must not be negative")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("timeouts must be positive")
        for name in ("contact_email", "version", "user_agent_product"):
            value = getattr(self, name)
            if value is not None and any(ord(c) < 32 or c in "()" for c in value):
                raise ValueError(f"{name} must not contain control characters or parentheses")

    @property
    def user_agent(self) -> str:
        """``mn-tracker/<version> (+mailto:<email>; Minnesota bill tracker)``."""
        product = f"{self.user_agent_product}/{self.version}"
        if self.contact_email and self.contact_email.strip():
            return f"{product} (+mailto:{self.contact_email.strip()}; Minnesota bill tracker)"
        return f"{product} (no contact email configured; Minnesota bill tracker)"


@dataclass(frozen=True)
class Response:
    """A fully read response.  ``url`` is the final URL after redirects."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    from_cache: bool = False

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header value by case-insensitive name."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def text_utf8(self, errors: str = "replace") -> str:
        """The body decoded as UTF-8 whatever the headers say (a BOM is dropped)."""
        return self.content.decode("utf-8-sig", errors=errors)

    def json(self) -> Any:
        """The body parsed as JSON (decoded as UTF-8)."""
        return json.loads(self.content.decode("utf-8-sig"))


@dataclass
class HttpStats:
    """Counters of one client; ``requests_sent`` counts every attempt put on the wire."""

    requests_sent: int = 0
    not_modified: int = 0
    retries: int = 0
    failures: int = 0
    replayed: int = 0
    recorded: int = 0

    def describe(self) -> str:
        return (
            f"{self.requests_sent} requests sent, {self.not_modified} not modified, "
            f"{self.retries} retries, {self.failures} failures, {self.replayed} replayed, "
            f"{self.recorded} recorded"
        )


@dataclass(frozen=True)
class _Prepared:
    method: str
    url: str  # with query string
    body: bytes | None
    content_type: str | None


def combined_ca_bundle(extra: str) -> str:
    """A temporary PEM file holding the default CA store followed by ``extra``."""
    import certifi

    default = Path(certifi.where()).read_bytes()
    added = Path(extra).read_bytes()
    if b"-----BEGIN CERTIFICATE-----" not in added:
        raise ValueError(f"CA bundle {extra} holds no PEM certificate")
    handle, path = tempfile.mkstemp(prefix="tracker-ca-", suffix=".pem")
    with os.fdopen(handle, "wb") as out:
        out.write(default.rstrip(b"\n") + b"\n" + added)
    return path


class HttpClient:
    """One client per scrape run; use as a context manager (closes the session)."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.stats = HttpStats()
        self._sleep = sleep
        self._monotonic = monotonic
        self._next_allowed: dict[str, float] = {}
        if settings.ca_bundle is not None and not os.path.exists(settings.ca_bundle):
            raise ValueError(f"CA bundle not found: {settings.ca_bundle}")
        # TRACKER_CA_BUNDLE *adds* certificates (for a host serving an incomplete
        # chain): requests' ``verify=path`` would replace the default store, so
        # the client verifies against the default store plus the extra file.
        self._combined_bundle: str | None = None
        self._verify: bool | str = True
        if settings.ca_bundle:
            self._combined_bundle = combined_ca_bundle(settings.ca_bundle)
            self._verify = self._combined_bundle
        self._cache_dir = Path(settings.cache_dir) if settings.cache_dir else None
        self._record_dir = Path(settings.record_dir) if settings.record_dir else None
        self._replay: dict[tuple[str, str, str], list[dict[str, Any]]] | None = None
        self._replay_dir = Path(settings.replay_dir) if settings.replay_dir else None
        self._replay_served: dict[tuple[str, str, str], int] = {}
        if self._replay_dir is not None:
            self._replay = _load_index(self._replay_dir)
        if self._record_dir is not None:
            self._record_dir.mkdir(parents=True, exist_ok=True)
            self._record_seq = len(_read_index_lines(self._record_dir / INDEX_NAME))
        self._session = requests.Session()
        self._session.headers["User-Agent"] = settings.user_agent

    # -- lifecycle -------------------------------------------------------

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()
        if self._combined_bundle is not None:
            Path(self._combined_bundle).unlink(missing_ok=True)
            self._combined_bundle = None

    def describe(self) -> str:
        """One-line summary of the counters, for CLI output."""
        return self.stats.describe()

    # -- public requests -------------------------------------------------

    def get(self, url: str, *, params: Mapping[str, Any] | None = None) -> Response:
        return self._request("GET", url, params=params)

    def post(
        self,
        url: str,
        *,
        data: Mapping[str, Any] | str | bytes | None = None,
        json: Any = None,
    ) -> Response:
        return self._request("POST", url, data=data, json_body=json)

    # -- internals -------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        json_body: Any = None,
    ) -> Response:
        try:
            prepared = _prepare(method, url, params=params, data=data, json_body=json_body)
        except (requests.RequestException, ValueError) as exc:
            self.stats.failures += 1
            raise FetchError(url, f"invalid request: {exc}") from exc
        if self._replay is not None:
            return self._replayed(prepared)
        return self._fetch(prepared)

    def _fetch(self, prep: _Prepared) -> Response:
        settings = self.settings
        headers: dict[str, str] = {}
        if prep.content_type:
            headers["Content-Type"] = prep.content_type
        cached = self._cache_load(prep) if self._use_cache(prep) else None
        if cached is not None:
            meta = cached[0]
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]

        attempt = 0
        while True:
            self._throttle(prep.url)
            self.stats.requests_sent += 1
            try:
                with self._session.request(
                    prep.method,
                    prep.url,
                    data=prep.body,
                    headers=headers,
                    timeout=(settings.connect_timeout, settings.read_timeout),
                    verify=self._verify,
                    allow_redirects=True,
                ) as raw:
                    response = Response(
                        url=raw.url,
                        status=raw.status_code,
                        headers=dict(raw.headers),
                        content=raw.content,
                    )
                    reason_phrase = raw.reason or ""
            except requests.exceptions.SSLError as exc:
                self.stats.failures += 1
                raise FetchError(prep.url, f"TLS error: {exc}") from exc
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                reason = _describe_exception(exc)
                if attempt < settings.retries:
                    self._backoff(attempt, None)
                    attempt += 1
                    continue
                self.stats.failures += 1
                raise FetchError(prep.url, f"{reason} (after {attempt + 1} attempts)") from exc
            except requests.RequestException as exc:
                self.stats.failures += 1
                raise FetchError(prep.url, _describe_exception(exc)) from exc

            status = response.status
            if status in RETRY_STATUSES and attempt < settings.retries:
                self._backoff(attempt, response.header("Retry-After"))
                attempt += 1
                continue
            self._record(prep, response)
            status_text = f"HTTP {status} {reason_phrase}".strip()
            if status == 304 and cached is not None:
                self.stats.not_modified += 1
                meta, body = cached
                return Response(
                    url=meta["final_url"],
                    status=meta["status"],
                    headers=meta["headers"],
                    content=body,
                    from_cache=True,
                )
            if status in RETRY_STATUSES:
                self.stats.failures += 1
                raise FetchError(
                    prep.url,
                    f"{status_text} (after {attempt + 1} attempts)",
                    status,
                    response=response,
                )
            if status >= 300:
                self.stats.failures += 1
                raise FetchError(prep.url, status_text, status, response=response)
            if self._use_cache(prep):
                self._cache_store(prep, response)
            return response

    def _throttle(self, url: str) -> None:
        """Wait until this URL's host may be asked again, then book the next slot."""
        host = _host_key(url)
        now = self._monotonic()
        allowed = self._next_allowed.get(host)
        if allowed is not None and now < allowed:
            self._sleep(allowed - now)
            now = max(self._monotonic(), allowed)
        self._next_allowed[host] = now + 1.0 / self.settings.requests_per_second

    def _backoff(self, attempt: int, retry_after: str | None) -> None:
        wait = _parse_retry_after(retry_after)
        if wait is None:
            wait = min(self.settings.backoff_base * (2**attempt), BACKOFF_CAP)
        self.stats.retries += 1
        if wait > 0:
            self._sleep(wait)

    # -- cache -----------------------------------------------------------

    def _use_cache(self, prep: _Prepared) -> bool:
        # Record mode always fetches full bodies so that recordings stand alone.
        return self._cache_dir is not None and prep.method == "GET" and self._record_dir is None

    def _cache_paths(self, prep: _Prepared) -> tuple[Path, Path]:
        assert self._cache_dir is not None
        key = _request_key(prep)
        folder = self._cache_dir / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _cache_load(self, prep: _Prepared) -> tuple[dict[str, Any], bytes] | None:
        meta_path, body_path = self._cache_paths(prep)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != prep.url or len(body) != meta.get("length"):
            return None
        return meta, body

    def _cache_store(self, prep: _Prepared, response: Response) -> None:
        meta_path, body_path = self._cache_paths(prep)
        etag = response.header("ETag")
        last_modified = response.header("Last-Modified")
        if response.status != 200 or not (etag or last_modified):
            meta_path.unlink(missing_ok=True)
            body_path.unlink(missing_ok=True)
            return
        meta = {
            "url": prep.url,
            "final_url": response.url,
            "status": response.status,
            "headers": response.headers,
            "etag": etag,
            "last_modified": last_modified,
            "length": len(response.content),
            "stored": _utc_now(),
        }
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(body_path, response.content)
        _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    # -- record and replay -----------------------------------------------

    def _record(self, prep: _Prepared, response: Response) -> None:
        if self._record_dir is None:
            return
        self._record_seq += 1
        key = _request_key(prep)
        body_name = f"{self._record_seq:06d}-{key[:12]}{_suffix(response)}"
        _write_atomic(self._record_dir / body_name, response.content)
        entry: dict[str, Any] = {
            "method": prep.method,
            "url": prep.url,
            "request_body": _body_text(prep.body),
            "request_content_type": prep.content_type,
            "status": response.status,
            "final_url": response.url,
            "headers": response.headers,
            "time": _utc_now(),
            "body_file": body_name,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with open(self._record_dir / INDEX_NAME, "a", encoding="utf-8") as index:
            index.write(line)
            index.flush()
            os.fsync(index.fileno())
        self.stats.recorded += 1

    def _replayed(self, prep: _Prepared) -> Response:
        assert self._replay is not None and self._replay_dir is not None
        key = (prep.method, prep.url, _body_text(prep.body) or "")
        entries = self._replay.get(key)
        if not entries:
            self.stats.failures += 1
            raise FetchError(
                prep.url, f"not in replay directory {self._replay_dir} ({prep.method})"
            )
        # Repeated requests get the recorded responses in order, then the last one.
        served = self._replay_served.get(key, 0)
        entry = entries[min(served, len(entries) - 1)]
        self._replay_served[key] = served + 1
        try:
            content = (self._replay_dir / entry["body_file"]).read_bytes()
        except OSError as exc:
            self.stats.failures += 1
            raise FetchError(prep.url, f"replay body missing: {exc}") from exc
        self.stats.replayed += 1
        response = Response(
            url=entry.get("final_url") or entry["url"],
            status=int(entry["status"]),
            headers=dict(entry["headers"]),
            content=content,
        )
        if response.status >= 300:
            self.stats.failures += 1
            raise FetchError(
                prep.url, f"HTTP {response.status} (replayed)", response.status, response=response
            )
        return response


# -- helpers -------------------------------------------------------------


def _prepare(
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None,
    data: Mapping[str, Any] | str | bytes | None,
    json_body: Any,
) -> _Prepared:
    request = requests.Request(method, url, params=params, data=data, json=json_body)
    prepared = request.prepare()
    body = prepared.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return _Prepared(
        method=method,
        url=prepared.url or url,
        body=body if body else None,
        content_type=prepared.headers.get("Content-Type"),
    )


def _request_key(prep: _Prepared) -> str:
    digest = hashlib.sha256()
    digest.update(prep.method.encode("ascii") + b"\n" + prep.url.encode("utf-8") + b"\n")
    digest.update(prep.body or b"")
    return digest.hexdigest()


def _host_key(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header, or None when absent or not sane."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    seconds: float
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
    if seconds > MAX_RETRY_AFTER:
        return None
    return seconds


def _describe_exception(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        kind = "connect timeout"
    elif isinstance(exc, requests.exceptions.ReadTimeout):
        kind = "read timeout"
    elif isinstance(exc, requests.Timeout):
        kind = "timeout"
    elif isinstance(exc, requests.ConnectionError):
        kind = "connection error"
        if "timed out" in str(exc).lower():
            kind = "read timeout"
    else:
        kind = type(exc).__name__
    return f"{kind}: {exc}"


def _body_text(body: bytes | None) -> str | None:
    if body is None:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(body).decode("ascii")


def _suffix(response: Response) -> str:
    content_type = (response.header("Content-Type") or "").lower()
    for marker, suffix in _CONTENT_SUFFIXES.items():
        if marker in content_type:
            return suffix
    return ".bin"


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_index_lines(path: Path) -> list[dict[str, Any]]:
    """Entries of an index file; a torn last line from an interrupted run is skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def _load_index(directory: Path) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    index_path = directory / INDEX_NAME
    if not index_path.is_file():
        raise ValueError(f"replay directory has no {INDEX_NAME}: {directory}")
    entries: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entry in _read_index_lines(index_path):
        key = (entry["method"], entry["url"], entry.get("request_body") or "")
        entries.setdefault(key, []).append(entry)
    return entries


__all__ = [
    "BACKOFF_CAP",
    "FetchError",
    "HttpClient",
    "HttpSettings",
    "HttpStats",
    "MAX_RETRY_AFTER",
    "Response",
]
