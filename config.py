"""Configuration, read from the environment with explicit types.

Every setting is declared once in ``SETTINGS``; the README's configuration table
lists the same names (a test checks that they agree).  ``load_config`` turns an
environment mapping into the Flask config dict; ``create_app`` calls it when no
configuration is passed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"


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


def _list(name: str, raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(",", " ").split() if part.strip()]


def _colors(name: str, raw: str) -> list[str]:
    colors = _list(name, raw)
    for color in colors:
        body = color.removeprefix("#")
        if not (color.startswith("#") and len(body) in (3, 6) and _is_hex(body)):
            raise ConfigError(f"{name} takes hex colours such as #1b4f72, not {color!r}")
    if not colors:
        raise ConfigError(f"{name} needs at least one colour")
    return colors


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


@dataclass(frozen=True)
class Setting:
    env: str
    key: str  # the Flask config key
    parse: Callable[[str, str], Any]
    default: Any
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TRACKER_ENV",
        "TRACKER_ENV",
        _str,
        "development",
        "`development` or `production`; production requires `SECRET_KEY` and secure cookies",
    ),
    Setting(
        "DATABASE_URL",
        "SQLALCHEMY_DATABASE_URI",
        _str,
        None,
        "SQLAlchemy URL; default SQLite file `instance/tracker.db`. "
        "PostgreSQL: `postgresql+psycopg://user:pass@host/db`",
    ),
    Setting(
        "SECRET_KEY",
        "SECRET_KEY",
        _str,
        None,
        "signs sessions and reset links; required in production, "
        "generated once and kept in `instance/secret_key` in development",
    ),
    Setting(
        "TRACKER_PUBLIC_URL",
        "TRACKER_PUBLIC_URL",
        _str,
        "http://127.0.0.1:5000",
        "the site's public base URL, for absolute links, reset links and share tags",
    ),
    Setting(
        "TRACKER_ORG_NAME",
        "TRACKER_ORG_NAME",
        _str,
        "Minnesota Scorecard",
        "organization name shown on pages and exports",
    ),
    Setting(
        "TRACKER_ORG_COLORS",
        "TRACKER_ORG_COLORS",
        _colors,
        ["#1b4f72", "#f4d03f"],
        "brand colours, comma-separated hex (primary first)",
    ),
    Setting(
        "TRACKER_CONTACT_EMAIL",
        "TRACKER_CONTACT_EMAIL",
        _str,
        "",
        "contact address shown on pages and sent in the scrapers' User-Agent",
    ),
    Setting(
        "TRACKER_EMBED_ORIGINS",
        "TRACKER_EMBED_ORIGINS",
        _list,
        [],
        "origins allowed to frame the `/embed/` routes (space- or comma-separated)",
    ),
    Setting(
        "TRACKER_BEHIND_TLS",
        "TRACKER_BEHIND_TLS",
        _bool,
        False,
        "set when served over HTTPS (directly or behind a proxy): enables HSTS "
        "and trusts one proxy's X-Forwarded-* headers",
    ),
    Setting(
        "TRACKER_RATELIMIT_STORAGE_URI",
        "RATELIMIT_STORAGE_URI",
        _str,
        "memory://",
        "Flask-Limiter storage for login and form rate limits; use `redis://` "
        "when running several web workers",
    ),
    Setting(
        "TRACKER_LOGIN_LIMIT",
        "TRACKER_LOGIN_LIMIT",
        _str,
        "5 per 15 minutes",
        "failed logins allowed per account and per address",
    ),
    Setting(
        "TRACKER_MAX_CONTENT_LENGTH",
        "MAX_CONTENT_LENGTH",
        _int,
        2 * 1024 * 1024,
        "largest request body accepted, in bytes",
    ),
    Setting(
        "TRACKER_RESET_TOKEN_HOURS",
        "TRACKER_RESET_TOKEN_HOURS",
        _int,
        24,
        "hours a one-time password-reset link stays valid",
    ),
    Setting(
        "TRACKER_OPENSTATES_DIR",
        "TRACKER_OPENSTATES_DIR",
        _str,
        str(PROJECT_ROOT.parent / "shared" / "data" / "openstates-people-mn"),
        "Open States people data for Minnesota (YAML), used by `tracker import-people` "
        "and the integration tests",
    ),
    Setting(
        "TRACKER_REVISOR_URL",
        "TRACKER_REVISOR_URL",
        _str,
        "https://www.revisor.mn.gov",
        "Revisor of Statutes site",
    ),
    Setting(
        "TRACKER_REVISOR_API_URL",
        "TRACKER_REVISOR_API_URL",
        _str,
        "https://api.revisor.mn.gov",
        "Revisor bill-status XML API",
    ),
    Setting(
        "TRACKER_HOUSE_URL",
        "TRACKER_HOUSE_URL",
        _str,
        "https://www.house.mn.gov",
        "Minnesota House site (members, votes)",
    ),
    Setting(
        "TRACKER_SENATE_URL",
        "TRACKER_SENATE_URL",
        _str,
        "https://www.senate.mn",
        "Minnesota Senate site (members, journals)",
    ),
    Setting(
        "TRACKER_LEG_URL",
        "TRACKER_LEG_URL",
        _str,
        "https://www.leg.mn.gov",
        "Legislature's joint site",
    ),
    Setting(
        "TRACKER_LRL_URL",
        "TRACKER_LRL_URL",
        _str,
        "https://www.lrl.mn.gov",
        "Legislative Reference Library (legislator records, `/legdb/`)",
    ),
    Setting(
        "TRACKER_CA_BUNDLE",
        "TRACKER_CA_BUNDLE",
        _str,
        "",
        "extra CA certificates (PEM) for a legislature host with an incomplete chain; "
        "verification is never turned off",
    ),
    Setting(
        "TRACKER_REQUESTS_PER_SECOND",
        "TRACKER_REQUESTS_PER_SECOND",
        _float,
        1.0,
        "scraper rate limit per host",
    ),
    Setting(
        "TRACKER_HTTP_CACHE_DIR",
        "TRACKER_HTTP_CACHE_DIR",
        _str,
        "",
        "directory for the scrapers' conditional-request cache (default `instance/http-cache`)",
    ),
    Setting(
        "TRACKER_SCHEDULER_TIMEZONE",
        "TRACKER_SCHEDULER_TIMEZONE",
        _str,
        "America/Chicago",
        "time zone of the scheduler's cron schedules",
    ),
    Setting(
        "TRACKER_CRON_SESSIONS",
        "TRACKER_CRON_SESSIONS",
        _str,
        "10 5 * * mon",
        "session discovery (crontab; empty or `off` disables)",
    ),
    Setting(
        "TRACKER_CRON_LEGISLATORS",
        "TRACKER_CRON_LEGISLATORS",
        _str,
        "15 5 * * *",
        "legislators scrape (crontab; empty or `off` disables)",
    ),
    Setting(
        "TRACKER_CRON_BILLS_IN_SESSION",
        "TRACKER_CRON_BILLS_IN_SESSION",
        _str,
        "20 * * * *",
        "bills scrape while a session is in progress (between its dates)",
    ),
    Setting(
        "TRACKER_CRON_BILLS",
        "TRACKER_CRON_BILLS",
        _str,
        "20 6 * * *",
        "bills scrape outside sessions",
    ),
    Setting(
        "TRACKER_CRON_VOTES",
        "TRACKER_CRON_VOTES",
        _str,
        "40 6 * * *",
        "roll-call votes scrape, daily after the bills scrape (crontab; empty or `off` disables)",
    ),
    Setting(
        "TRACKER_HTTP_RETRIES",
        "TRACKER_HTTP_RETRIES",
        _int,
        4,
        "scraper retries on connection errors, 429 and 5xx (exponential backoff)",
    ),
    Setting(
        "TRACKER_HTTP_BACKOFF",
        "TRACKER_HTTP_BACKOFF",
        _float,
        1.0,
        "first backoff wait in seconds; doubles on each retry",
    ),
    Setting(
        "TRACKER_HTTP_CONNECT_TIMEOUT",
        "TRACKER_HTTP_CONNECT_TIMEOUT",
        _float,
        10.0,
        "scraper connect timeout in seconds",
    ),
    Setting(
        "TRACKER_HTTP_READ_TIMEOUT",
        "TRACKER_HTTP_READ_TIMEOUT",
        _float,
        60.0,
        "scraper read timeout in seconds",
    ),
    Setting(
        "TRACKER_GEOCODER_URL",
        "TRACKER_GEOCODER_URL",
        _str,
        "https://geocoding.geo.census.gov/geocoder/geographies/onelineaddress",
        "US Census Bureau geocoder (geographies endpoint) for address lookup",
    ),
    Setting(
        "TRACKER_GEOCODER_TIMEOUT",
        "TRACKER_GEOCODER_TIMEOUT",
        _float,
        5.0,
        "seconds to wait for the geocoder before offering the other ways",
    ),
    Setting(
        "TRACKER_GEOCODER_LAYERS",
        "TRACKER_GEOCODER_LAYERS",
        _str,
        "all",
        "the geocoder's `layers` parameter (legislative layers are found by name)",
    ),
    Setting(
        "TRACKER_PAGE_CACHE",
        "CACHE_TYPE",
        _str,
        "SimpleCache",
        "Flask-Caching backend for public pages (`SimpleCache` per process, "
        "`RedisCache` with `CACHE_REDIS_URL`, `NullCache` to turn it off)",
    ),
    Setting(
        "TRACKER_EXPORT_CACHE_DIR",
        "TRACKER_EXPORT_CACHE_DIR",
        _str,
        "",
        "where built exports are cached (default `instance/export-cache`)",
    ),
    Setting(
        "TRACKER_SMTP_URL",
        "TRACKER_SMTP_URL",
        _str,
        "",
        "SMTP server for alert emails: `smtp://user:pass@host:587?starttls=1` or "
        "`smtps://user:pass@host:465`; the mail job is off while empty",
    ),
    Setting(
        "TRACKER_MAIL_FROM",
        "TRACKER_MAIL_FROM",
        _str,
        "",
        "sender address of alert emails (envelope and From)",
    ),
    Setting(
        "TRACKER_CRON_MAIL",
        "TRACKER_CRON_MAIL",
        _str,
        "* * * * *",
        "how often the scheduler sends queued alert emails (crontab)",
    ),
    Setting(
        "TRACKER_MAIL_BATCH_SIZE",
        "TRACKER_MAIL_BATCH_SIZE",
        _int,
        2000,
        "alert emails sent per run at most",
    ),
    Setting(
        "TRACKER_MAIL_TIME_BUDGET",
        "TRACKER_MAIL_TIME_BUDGET",
        _int,
        50,
        "seconds a mail run may take at most",
    ),
    Setting(
        "TRACKER_MAIL_CLAIM_CHUNK",
        "TRACKER_MAIL_CLAIM_CHUNK",
        _int,
        10,
        "messages claimed per commit: the most a crash can leave undelivered",
    ),
    Setting(
        "TRACKER_MAIL_STALE_SECONDS",
        "TRACKER_MAIL_STALE_SECONDS",
        _int,
        600,
        "when a message left in `sending` by a dead sender is marked in doubt",
    ),
    Setting(
        "TRACKER_TALLY_LIMIT_BROWSER",
        "TRACKER_TALLY_LIMIT_BROWSER",
        _str,
        "6 per minute;40 per day",
        '"I called" / "I emailed" clicks per browser',
    ),
    Setting(
        "TRACKER_TALLY_LIMIT_ADDRESS",
        "TRACKER_TALLY_LIMIT_ADDRESS",
        _str,
        "60 per minute;2000 per day",
        "tally clicks per network address (high: rallies share Wi-Fi)",
    ),
    Setting(
        "TRACKER_SIGNUP_LIMIT",
        "TRACKER_SIGNUP_LIMIT",
        _str,
        "5 per hour",
        "alert sign-ups per network address and per email address",
    ),
    Setting(
        "TRACKER_FEED_DAYS",
        "TRACKER_FEED_DAYS",
        _int,
        120,
        "how far back the bill-movement feeds go, in days",
    ),
    Setting(
        "TRACKER_REFRESH_DAYS",
        "TRACKER_REFRESH_DAYS",
        _int,
        7,
        "an incremental run refetches a bill not refreshed for this many days",
    ),
)


def instance_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get("TRACKER_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from ``environ`` (default: the process environment)."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        value = setting.default if raw is None else setting.parse(setting.env, raw)
        if isinstance(value, list):
            value = list(value)
        config[setting.key] = value

    env = config["TRACKER_ENV"]
    if env not in {"development", "production"}:
        raise ConfigError(f"TRACKER_ENV must be development or production, not {env!r}")
    production = env == "production"
    folder = instance_path(environ)
    config["INSTANCE_PATH"] = str(folder)

    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'tracker.db'}"
    if not config["SECRET_KEY"]:
        if production:
            raise ConfigError("SECRET_KEY is required when TRACKER_ENV=production")
        config["SECRET_KEY"] = _development_secret(folder)
    if not config["TRACKER_HTTP_CACHE_DIR"]:
        config["TRACKER_HTTP_CACHE_DIR"] = str(folder / "http-cache")

    secure = production or config["TRACKER_BEHIND_TLS"]
    config.update(
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PREFERRED_URL_SCHEME="https" if secure else "http",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        WTF_CSRF_TIME_LIMIT=None if not production else 8 * 3600,
        CACHE_TYPE=config["CACHE_TYPE"],
        CACHE_DEFAULT_TIMEOUT=3600,
        CACHE_THRESHOLD=2000,
    )
    return config


def _development_secret(folder: Path) -> str:
    """Generate a development secret once and keep it in the instance folder."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
