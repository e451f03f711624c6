"""Configuration: one frozen, typed ``Settings`` value, read from the environment.

Every setting is declared once, as a field of :class:`Settings` with its
environment variable, default and meaning; the README's configuration table
lists the same variables (a test checks that they agree).  :func:`load_settings`
builds the value at start-up, with one line naming the variable when a value is
malformed; ``create_app`` keeps it on the app and code reads its attributes
(``tracker.settings.current()``), never a raw variable with a default of its own.
:func:`flask_config` derives the keys Flask and its extensions read.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scrapers.http import HttpSettings
from scrapers.sources import PRODUCTION

# The scrapers' own defaults (their politeness and the production hosts) are the
# settings' defaults: declared once, in scrapers/.
HTTP_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(HttpSettings)}

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
_OPENSTATES_DEFAULT = str(PROJECT_ROOT.parent / "shared" / "data" / "openstates-people-mn")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _float(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None


def _str(name: str, raw: str) -> str:
    return raw.strip()


def _tuple(name: str, raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.replace(",", " ").split() if part.strip())


def _colors(name: str, raw: str) -> tuple[str, ...]:
    colors = _tuple(name, raw)
    for color in colors:
        body = color.removeprefix("#")
        if not (color.startswith("#") and len(body) in (3, 6) and _is_hex(body)):
            raise ConfigError(f"{name} takes hex colours such as #1b4f72, not {color!r}")
    if not colors:
        raise ConfigError(f"{name} needs at least one colour")
    return colors


def _hour(name: str, raw: str) -> int:
    hour = _int(name, raw)
    if not 0 <= hour <= 23:
        raise ConfigError(f"{name} must be an hour from 0 to 23, not {raw!r}")
    return hour


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


def _rate_limit(name: str, raw: str) -> str:
    from limits import parse_many

    value = raw.strip()
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(
            f"{name} must be a rate limit such as '5 per 15 minutes' (several "
            f"separated by ';'), not {raw!r}"
        ) from None
    return value


def setting(
    env: str,
    default: Any,
    description: str,
    *,
    parse: Callable[[str, str], Any] | None = None,
    flask: str | None = None,
) -> Any:
    """A field of :class:`Settings`: its environment variable, default and meaning;
    ``flask`` names the Flask config key it also sets."""
    return field(
        default=default,
        metadata={"env": env, "description": description, "parse": parse, "flask": flask},
    )


@dataclass(frozen=True)
class Settings:
    """Every setting, typed.  Build with :func:`load_settings`."""

    env: str = setting(
        "TRACKER_ENV",
        "development",
        "`development` or `production`; production requires `SECRET_KEY` and secure cookies",
    )
    database_url: str = setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL; default SQLite file `instance/tracker.db`. PostgreSQL: "
        "`postgresql+psycopg://user:pass@host/db`",
        flask="SQLALCHEMY_DATABASE_URI",
    )
    secret_key: str = setting(
        "SECRET_KEY",
        "",
        "signs sessions and reset links; required in production, generated once and kept in "
        "`instance/secret_key` in development",
        flask="SECRET_KEY",
    )
    public_url: str = setting(
        "TRACKER_PUBLIC_URL",
        "http://127.0.0.1:5000",
        "the site's public base URL, for absolute links, reset links and share tags",
    )
    org_name: str = setting(
        "TRACKER_ORG_NAME",
        "Minnesota Scorecard",
        "organization name shown on pages and exports",
    )
    org_colors: tuple[str, ...] = setting(
        "TRACKER_ORG_COLORS",
        ("#1b4f72", "#f4d03f"),
        "brand colours, comma-separated hex (primary first)",
        parse=_colors,
    )
    contact_email: str = setting(
        "TRACKER_CONTACT_EMAIL",
        "",
        "contact address shown on pages and sent in the scrapers' User-Agent",
    )
    embed_origins: tuple[str, ...] = setting(
        "TRACKER_EMBED_ORIGINS",
        (),
        "origins allowed to frame the `/embed/` routes (space- or comma-separated)",
    )
    behind_tls: bool = setting(
        "TRACKER_BEHIND_TLS",
        False,
        "set when the site is served over HTTPS (directly or behind a proxy): HSTS and Secure "
        "cookies",
    )
    proxy_count: int = setting(
        "TRACKER_PROXY_COUNT",
        0,
        "how many reverse proxies stand in front of the app; their X-Forwarded-For, -Proto and "
        "-Host are trusted that many hops deep. 0: forwarded headers are ignored (clients "
        "reach the app directly, and could forge them)",
    )
    redis_url: str = setting(
        "TRACKER_REDIS_URL",
        "",
        "Redis shared by every web worker (e.g. `redis://127.0.0.1:6379/0`): holds the page "
        "cache and the rate limits; required in production unless `TRACKER_ALLOW_MEMORY_LIMITS` is "
        "set",
        flask="CACHE_REDIS_URL",
    )
    ratelimit_storage_uri: str = setting(
        "TRACKER_RATELIMIT_STORAGE_URI",
        "",
        "Flask-Limiter storage for login and form rate limits (default: `TRACKER_REDIS_URL` "
        "when set, else `memory://`, which each worker keeps apart)",
        flask="RATELIMIT_STORAGE_URI",
    )
    login_limit: str = setting(
        "TRACKER_LOGIN_LIMIT",
        "5 per 15 minutes",
        "failed sign-ins allowed for one account from one network address; past it, that "
        "address is refused for that account, and every further attempt on the account from "
        "anywhere is slowed down (never refused)",
        parse=_rate_limit,
    )
    login_address_limit: str = setting(
        "TRACKER_LOGIN_ADDRESS_LIMIT",
        "20 per 15 minutes",
        "failed sign-ins allowed from one network address, whatever the accounts",
        parse=_rate_limit,
    )
    allow_memory_limits: bool = setting(
        "TRACKER_ALLOW_MEMORY_LIMITS",
        False,
        "allow rate limits kept in each process's memory (`memory://`) in production or under "
        "`tracker serve --workers` above 1, where every worker would count apart",
    )
    max_content_length: int = setting(
        "TRACKER_MAX_CONTENT_LENGTH",
        2097152,
        "largest request body accepted, in bytes",
        flask="MAX_CONTENT_LENGTH",
    )
    reset_token_hours: int = setting(
        "TRACKER_RESET_TOKEN_HOURS",
        24,
        "hours a one-time password-reset link stays valid",
    )
    openstates_dir: str = setting(
        "TRACKER_OPENSTATES_DIR",
        _OPENSTATES_DEFAULT,
        "Open States people data for Minnesota (YAML), used by `tracker import-people` and the "
        "integration tests",
    )
    revisor_url: str = setting(
        "TRACKER_REVISOR_URL",
        PRODUCTION.revisor,
        "Revisor of Statutes site",
    )
    revisor_api_url: str = setting(
        "TRACKER_REVISOR_API_URL",
        PRODUCTION.revisor_api,
        "Revisor bill-status XML API",
    )
    house_url: str = setting(
        "TRACKER_HOUSE_URL",
        PRODUCTION.house,
        "Minnesota House site (members, votes)",
    )
    senate_url: str = setting(
        "TRACKER_SENATE_URL",
        PRODUCTION.senate,
        "Minnesota Senate site (members, journals)",
    )
    leg_url: str = setting(
        "TRACKER_LEG_URL",
        PRODUCTION.leg,
        "Legislature's joint site",
    )
    lrl_url: str = setting(
        "TRACKER_LRL_URL",
        PRODUCTION.lrl,
        "Legislative Reference Library (legislator records, `/legdb/`)",
    )
    ca_bundle: str = setting(
        "TRACKER_CA_BUNDLE",
        "",
        "extra CA certificates (PEM) for a legislature host with an incomplete chain; "
        "verification is never turned off",
    )
    requests_per_second: float = setting(
        "TRACKER_REQUESTS_PER_SECOND",
        HTTP_DEFAULTS["requests_per_second"],
        "scraper rate limit per host",
    )
    http_cache_dir: str = setting(
        "TRACKER_HTTP_CACHE_DIR",
        "",
        "directory for the scrapers' conditional-request cache (default `instance/http-cache`)",
    )
    scheduler_timezone: str = setting(
        "TRACKER_SCHEDULER_TIMEZONE",
        "America/Chicago",
        "time zone of the scheduler's cron schedules",
    )
    cron_sessions: str = setting(
        "TRACKER_CRON_SESSIONS",
        "10 5 * * mon",
        "session discovery (crontab; empty or `off` disables)",
    )
    cron_legislators: str = setting(
        "TRACKER_CRON_LEGISLATORS",
        "15 5 * * *",
        "legislators scrape (crontab; empty or `off` disables)",
    )
    cron_bills_in_session: str = setting(
        "TRACKER_CRON_BILLS_IN_SESSION",
        "20 * * * *",
        "bills scrape while a session is in progress (between its dates)",
    )
    cron_bills: str = setting(
        "TRACKER_CRON_BILLS",
        "20 6 * * *",
        "bills scrape outside sessions",
    )
    cron_votes: str = setting(
        "TRACKER_CRON_VOTES",
        "40 6 * * *",
        "roll-call votes scrape, daily after the bills scrape (crontab; empty or `off` disables)",
    )
    cron_votes_in_session: str = setting(
        "TRACKER_CRON_VOTES_IN_SESSION",
        "*/15 * * * *",
        "on days the legislature meets (a session in progress and a weekday, a day with a "
        "hearing posted, or the day after a roll call): the bills listing, the bills people "
        "follow or we take a position on, then the votes scrape (crontab; empty or `off` "
        "disables)",
    )
    cron_committees: str = setting(
        "TRACKER_CRON_COMMITTEES",
        "25 5 * * *",
        "committees and their members: the Open States committee files, then each "
        "committee's page (crontab; empty or `off` disables)",
    )
    cron_hearings_in_session: str = setting(
        "TRACKER_CRON_HEARINGS_IN_SESSION",
        "5 * * * *",
        "House and Senate hearing schedules while a session is in progress (between its dates)",
    )
    cron_hearings: str = setting(
        "TRACKER_CRON_HEARINGS",
        "5 7 * * *",
        "hearing schedules outside sessions (interim hearings)",
    )
    cron_committee_votes: str = setting(
        "TRACKER_CRON_COMMITTEE_VOTES",
        "50 6 * * *",
        "committee roll calls from the minutes of past hearings, daily (crontab; empty or "
        "`off` disables)",
    )
    http_retries: int = setting(
        "TRACKER_HTTP_RETRIES",
        HTTP_DEFAULTS["retries"],
        "scraper retries on connection errors, 429 and 5xx (exponential backoff)",
    )
    http_backoff: float = setting(
        "TRACKER_HTTP_BACKOFF",
        HTTP_DEFAULTS["backoff_base"],
        "first backoff wait in seconds; doubles on each retry",
    )
    http_connect_timeout: float = setting(
        "TRACKER_HTTP_CONNECT_TIMEOUT",
        HTTP_DEFAULTS["connect_timeout"],
        "scraper connect timeout in seconds",
    )
    http_read_timeout: float = setting(
        "TRACKER_HTTP_READ_TIMEOUT",
        HTTP_DEFAULTS["read_timeout"],
        "scraper read timeout in seconds",
    )
    geocoder_url: str = setting(
        "TRACKER_GEOCODER_URL",
        "https://geocoding.geo.census.gov/geocoder/geographies/onelineaddress",
        "US Census Bureau geocoder (geographies endpoint) for address lookup",
    )
    geocoder_timeout: float = setting(
        "TRACKER_GEOCODER_TIMEOUT",
        5.0,
        "seconds to wait for the geocoder before offering the other ways",
    )
    geocoder_layers: str = setting(
        "TRACKER_GEOCODER_LAYERS",
        "all",
        "the geocoder's `layers` parameter (legislative layers are found by name)",
    )
    page_cache: str = setting(
        "TRACKER_PAGE_CACHE",
        "",
        "Flask-Caching backend for public pages: `RedisCache` (the default when "
        "`TRACKER_REDIS_URL` is set; one cache for every worker), `SimpleCache` (per process, "
        "the development default) or `NullCache` (off)",
        flask="CACHE_TYPE",
    )
    export_cache_dir: str = setting(
        "TRACKER_EXPORT_CACHE_DIR",
        "",
        "where built exports are cached (default `instance/export-cache`)",
    )
    smtp_url: str = setting(
        "TRACKER_SMTP_URL",
        "",
        "SMTP server for alert emails: `smtp://user:pass@host:587?starttls=1` or "
        "`smtps://user:pass@host:465`; the mail job is off while empty",
    )
    mail_from: str = setting(
        "TRACKER_MAIL_FROM",
        "",
        "sender address of alert emails (envelope and From)",
    )
    cron_mail: str = setting(
        "TRACKER_CRON_MAIL",
        "* * * * *",
        "how often the scheduler sends queued alert emails (crontab)",
    )
    cron_follows: str = setting(
        "TRACKER_CRON_FOLLOWS",
        "*/5 * * * *",
        "how often the scheduler looks for news on followed bills and legislators and queues "
        "the follow emails and digests (crontab; empty or `off` disables)",
    )
    follow_digest_hour: int = setting(
        "TRACKER_FOLLOW_DIGEST_HOUR",
        7,
        "Minnesota hour (0-23) when daily digests, and on Mondays weekly digests, are queued",
        parse=_hour,
    )
    mail_batch_size: int = setting(
        "TRACKER_MAIL_BATCH_SIZE",
        2000,
        "alert emails sent per run at most",
    )
    mail_time_budget: int = setting(
        "TRACKER_MAIL_TIME_BUDGET",
        50,
        "seconds a mail run may take at most",
    )
    mail_claim_chunk: int = setting(
        "TRACKER_MAIL_CLAIM_CHUNK",
        10,
        "messages claimed per commit: the most a crash can leave undelivered",
    )
    mail_stale_seconds: int = setting(
        "TRACKER_MAIL_STALE_SECONDS",
        600,
        "when a message left in `sending` by a dead sender is marked in doubt",
    )
    tally_limit_browser: str = setting(
        "TRACKER_TALLY_LIMIT_BROWSER",
        "6 per minute;40 per day",
        '"I called" / "I emailed" clicks per browser',
        parse=_rate_limit,
    )
    tally_limit_address: str = setting(
        "TRACKER_TALLY_LIMIT_ADDRESS",
        "60 per minute;2000 per day",
        "tally clicks per network address (high: rallies share Wi-Fi)",
        parse=_rate_limit,
    )
    tally_per_address: str = setting(
        "TRACKER_TALLY_PER_ADDRESS",
        "20 per day",
        '"I called" / "I emailed" counted per network address, per legislator, per alert '
        "and kind (clicks past it are thanked and not counted)",
        parse=_rate_limit,
    )
    signup_limit: str = setting(
        "TRACKER_SIGNUP_LIMIT",
        "5 per hour",
        "alert sign-ups per network address and per email address",
        parse=_rate_limit,
    )
    feed_days: int = setting(
        "TRACKER_FEED_DAYS",
        120,
        "how far back the bill-movement feeds go, in days",
    )
    refresh_days: int = setting(
        "TRACKER_REFRESH_DAYS",
        7,
        "an incremental run refetches a bill not refreshed for this many days",
    )

    instance_path: str = ""  # TRACKER_INSTANCE_PATH (where the instance folder is)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.production or self.behind_tls


@dataclass(frozen=True)
class Setting:
    """One declared setting (a field of :class:`Settings`), for docs and tests."""

    env: str
    name: str
    parse: Callable[[str, str], Any]
    default: Any
    description: str
    flask: str | None


_PARSERS: dict[Any, Callable[[str, str], Any]] = {
    str: _str,
    int: _int,
    float: _float,
    bool: _bool,
    tuple[str, ...]: _tuple,
}


def _declared() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(Settings)
    out = []
    for f in fields(Settings):
        if "env" not in f.metadata:
            continue
        parse = f.metadata["parse"] or _PARSERS[hints[f.name]]
        out.append(
            Setting(
                f.metadata["env"],
                f.name,
                parse,
                f.default,
                f.metadata["description"],
                f.metadata["flask"],
            )
        )
    return tuple(out)


SETTINGS: tuple[Setting, ...] = _declared()
BY_ENV = {s.env: s for s in SETTINGS}
BY_FLASK = {s.flask: s for s in SETTINGS if s.flask}


def instance_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get("TRACKER_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Every setting from ``environ`` (default: the process environment), then
    ``overrides`` (already typed values, keyed by variable or Flask key; tests and
    ``create_app(config)`` use them)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = environ.get(s.env)
        values[s.name] = s.default if raw is None else s.parse(s.env, raw)
    folder = instance_path(environ)
    for key, value in (overrides or {}).items():
        declared = BY_ENV.get(key) or BY_FLASK.get(key)
        if declared is not None:
            values[declared.name] = tuple(value) if isinstance(value, list) else value
        elif key == "INSTANCE_PATH":
            folder = Path(value)
    values["instance_path"] = str(folder)
    if values["env"] not in {"development", "production"}:
        raise ConfigError(f"TRACKER_ENV must be development or production, not {values['env']!r}")
    database_variable = "DATABASE_URL" if values["database_url"] else "TRACKER_INSTANCE_PATH"
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{folder / 'tracker.db'}"
    if not values["secret_key"]:
        if values["env"] == "production":
            raise ConfigError("SECRET_KEY is required when TRACKER_ENV=production")
        values["secret_key"] = _development_secret(folder)
    _check_database_url(values["database_url"], database_variable)
    if not values["http_cache_dir"]:
        values["http_cache_dir"] = str(folder / "http-cache")
    if not values["export_cache_dir"]:
        values["export_cache_dir"] = str(folder / "export-cache")
    _shared_stores(values)
    return Settings(**values)


PAGE_CACHES = ("RedisCache", "SimpleCache", "NullCache")


def _shared_stores(values: dict[str, Any]) -> None:
    """The page cache and rate-limit storage follow ``TRACKER_REDIS_URL``; production
    (several workers) must share them or say it runs one worker."""
    redis = values["redis_url"]
    if redis and not redis.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"TRACKER_REDIS_URL must be a redis:// URL, not {redis!r}")
    if not values["page_cache"]:
        values["page_cache"] = "RedisCache" if redis else "SimpleCache"
    if values["page_cache"] not in PAGE_CACHES:
        raise ConfigError(
            f"TRACKER_PAGE_CACHE must be one of {', '.join(PAGE_CACHES)}, "
            f"not {values['page_cache']!r}"
        )
    if values["page_cache"] == "RedisCache" and not redis:
        raise ConfigError("TRACKER_PAGE_CACHE=RedisCache needs TRACKER_REDIS_URL")
    if not values["ratelimit_storage_uri"]:
        values["ratelimit_storage_uri"] = redis or "memory://"
    if values["proxy_count"] < 0:
        raise ConfigError("TRACKER_PROXY_COUNT must be 0 or more")
    if values["env"] == "production":
        check_shared_limits(
            values["ratelimit_storage_uri"], values["allow_memory_limits"], "TRACKER_ENV=production"
        )


def check_shared_limits(storage_uri: str, allowed: bool, why: str) -> None:
    """Several web workers must count rate limits in one store (Redis): limits kept in
    each worker's memory multiply by the number of workers."""
    if storage_uri.startswith("memory://") and not allowed:
        raise ConfigError(
            f"{why} runs several web workers, and rate limits kept in memory would be counted "
            "by each apart: set TRACKER_REDIS_URL (or TRACKER_RATELIMIT_STORAGE_URI=redis://...) "
            "or, for a single worker, TRACKER_ALLOW_MEMORY_LIMITS=true"
        )


def replace(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with some values changed, keyed by field name or variable."""
    named: dict[str, Any] = {}
    for key, value in changes.items():
        declared = BY_ENV.get(key) or BY_FLASK.get(key)
        named[declared.name if declared else key] = (
            tuple(value) if isinstance(value, list) else value
        )
    return dataclasses.replace(settings, **named)


# Page cache limits.  Keys carry the data version, so an entry is never stale, only
# unread after a change; the limits bound memory.  SimpleCache keeps this many pages
# per worker: every page of a full session (6,000 bills, 201 legislators, the
# scorecards and their filters) fits; Redis holds each entry this long.
CACHE_ENTRIES = 12_000
CACHE_SECONDS = 6 * 3600


def flask_config(settings: Settings) -> dict[str, Any]:
    """The keys Flask and its extensions read, derived from ``settings``."""
    secure = settings.secure_cookies
    config: dict[str, Any] = {s.flask: getattr(settings, s.name) for s in SETTINGS if s.flask}
    config.update(
        INSTANCE_PATH=settings.instance_path,
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PREFERRED_URL_SCHEME="https" if secure else "http",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        WTF_CSRF_TIME_LIMIT=None if not settings.production else 8 * 3600,
        CACHE_DEFAULT_TIMEOUT=CACHE_SECONDS,
        CACHE_THRESHOLD=CACHE_ENTRIES,
        CACHE_KEY_PREFIX="tracker:",
        # Flask-Compress would compress streamed bodies (static files) without
        # closing the file it streams; they are small and cached by the browser.
        COMPRESS_STREAMS=False,
    )
    return config


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Flask config of the environment's settings (with every setting under its
    variable name too, for the tests of this module)."""
    settings = load_settings(environ)
    config = flask_config(settings)
    for s in SETTINGS:
        config.setdefault(
            s.env, list(v) if isinstance(v := getattr(settings, s.name), tuple) else v
        )
    return config


def _development_secret(folder: Path) -> str:
    """Generate a development secret once and keep it in the instance folder."""
    path = folder / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    except OSError as exc:
        raise ConfigError(
            f"TRACKER_INSTANCE_PATH: cannot keep the development secret key in {path} "
            f"({exc.strerror or exc}); make the instance folder writable or set SECRET_KEY"
        ) from None
    return key


def _check_database_url(url: str, variable: str) -> None:
    """A database URL SQLAlchemy can parse, whose driver is installed, and, for a
    SQLite file, a folder that can be written (SQLite writes its journal beside the
    file; a folder that does not exist is the database's own one-line error).
    ``variable`` is the setting to name: ``DATABASE_URL``, or ``TRACKER_INSTANCE_PATH``
    for the default SQLite file.  A URL is never echoed: it may hold a password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"{variable} is not a database URL; use one such as "
            "postgresql+psycopg://user:pass@host/db or sqlite:////path/tracker.db"
        ) from None
    try:
        parsed.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise ConfigError(
            f"{variable} names a database this app cannot use "
            f"({parsed.drivername}://); use postgresql+psycopg:// or sqlite:///"
        ) from None
    except ImportError as exc:
        raise ConfigError(
            f"{variable} needs the database driver {exc.name or parsed.drivername!r}"
            f", which is not installed ({parsed.drivername}://); use "
            "postgresql+psycopg:// or sqlite:///"
        ) from None
    database = parsed.database or ""
    if (
        parsed.get_backend_name() != "sqlite"
        or database in ("", ":memory:")
        or database.startswith("file:")
    ):
        return
    where = Path(database).resolve().parent
    if where.is_dir() and not os.access(where, os.W_OK):
        raise ConfigError(
            f"{variable}: the folder of the SQLite database, {where}, is not "
            "writable (SQLite writes its journal there)"
        )
