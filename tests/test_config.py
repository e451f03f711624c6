from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import SETTINGS, ConfigError, flask_config, load_settings
from tests.conftest import PROJECT_ROOT
from tracker import create_app
from tracker.settings import of


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"TRACKER_INSTANCE_PATH": str(tmp_path), **values}


def load_config(environ: dict[str, str]) -> tuple[object, dict]:
    settings = load_settings(environ)
    return settings, flask_config(settings)


def test_defaults_use_sqlite_in_instance(tmp_path: Path) -> None:
    settings, config = load_config(env(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert settings.database_url == config["SQLALCHEMY_DATABASE_URI"]
    assert settings.env == "development" and not settings.production
    assert config["SESSION_COOKIE_SECURE"] is False
    assert settings.http_cache_dir == str(tmp_path / "http-cache")
    assert settings.export_cache_dir == str(tmp_path / "export-cache")


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_config(env(tmp_path))[1]["SECRET_KEY"]
    second = load_config(env(tmp_path))[1]["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_requires_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        load_config(env(tmp_path, TRACKER_ENV="production"))
    _, config = load_config(
        env(
            tmp_path,
            TRACKER_ENV="production",
            SECRET_KEY="s" * 40,
            TRACKER_REDIS_URL="redis://cache:6379/0",
        )
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_redis_is_the_shared_store_and_production_needs_it(tmp_path: Path) -> None:
    settings, config = load_config(env(tmp_path))
    assert (settings.page_cache, settings.ratelimit_storage_uri) == ("SimpleCache", "memory://")
    url = "redis://cache.internal:6379/2"
    settings, config = load_config(env(tmp_path, TRACKER_REDIS_URL=url))
    assert config["CACHE_TYPE"] == "RedisCache" and config["CACHE_REDIS_URL"] == url
    assert config["RATELIMIT_STORAGE_URI"] == url
    production = {"TRACKER_ENV": "production", "SECRET_KEY": "s" * 40}
    with pytest.raises(ConfigError, match="set TRACKER_REDIS_URL"):
        load_config(env(tmp_path, **production))
    with pytest.raises(ConfigError, match="rate limits kept in memory"):
        load_config(env(tmp_path, **production, TRACKER_PAGE_CACHE="SimpleCache"))
    single, _ = load_config(env(tmp_path, **production, TRACKER_ALLOW_MEMORY_LIMITS="true"))
    assert (single.page_cache, single.ratelimit_storage_uri) == ("SimpleCache", "memory://")
    shared, _ = load_config(env(tmp_path, **production, TRACKER_REDIS_URL=url))
    assert shared.ratelimit_storage_uri == url
    with pytest.raises(ConfigError, match="needs TRACKER_REDIS_URL"):
        load_config(env(tmp_path, TRACKER_PAGE_CACHE="RedisCache"))
    with pytest.raises(ConfigError, match="one of RedisCache"):
        load_config(env(tmp_path, TRACKER_PAGE_CACHE="FileSystemCache"))
    with pytest.raises(ConfigError, match="redis:// URL"):
        load_config(env(tmp_path, TRACKER_REDIS_URL="http://cache:6379"))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRACKER_ENV", "staging", "development or production"),
        ("TRACKER_BEHIND_TLS", "maybe", "true or false"),
        ("TRACKER_MAX_CONTENT_LENGTH", "lots", "whole number"),
        ("TRACKER_REQUESTS_PER_SECOND", "fast", "a number"),
        ("TRACKER_ORG_COLORS", "red", "hex colours"),
        ("TRACKER_LOGIN_LIMIT", "five a minute", "rate limit such as"),
        ("TRACKER_TALLY_LIMIT_BROWSER", "6 per minute;lots", "rate limit such as"),
        ("DATABASE_URL", "not a url", "is not a database URL"),
        ("DATABASE_URL", "postgres://u:secret@db/x", r"cannot use \(postgres://\)"),
        ("DATABASE_URL", "mysql://u:secret@db/x", "driver 'MySQLdb', which is not installed"),
    ],
)
def test_malformed_settings_name_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_config(env(tmp_path, **{name: value}))
    assert name in str(info.value)
    assert "secret" not in str(info.value)  # a URL's password is never echoed


def test_an_unusable_instance_folder_names_it(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(
        ConfigError, match="TRACKER_INSTANCE_PATH: cannot keep the development secret key"
    ) as info:
        load_settings({"TRACKER_INSTANCE_PATH": str(blocker / "instance")})
    assert "set SECRET_KEY" in str(info.value)


def test_a_read_only_database_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    # The tests run as root, whom permissions do not stop: report the folder as read-only.
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == folder else real_access(path, mode)
    )
    with pytest.raises(
        ConfigError, match="DATABASE_URL: the folder of the SQLite database, .* is not writable"
    ):
        load_settings(
            {
                "TRACKER_INSTANCE_PATH": str(tmp_path),
                "SECRET_KEY": "x",
                "DATABASE_URL": f"sqlite:///{folder / 'tracker.db'}",
            }
        )


def test_typed_values(tmp_path: Path) -> None:
    settings, config = load_config(
        env(
            tmp_path,
            DATABASE_URL="postgresql+psycopg://u@db/x",
            TRACKER_EMBED_ORIGINS="https://a.example, https://b.example",
            TRACKER_ORG_COLORS="#112233,#abc",
            TRACKER_BEHIND_TLS="yes",
            TRACKER_REFRESH_DAYS="3",
        )
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert settings.embed_origins == ("https://a.example", "https://b.example")
    assert settings.org_colors == ("#112233", "#abc")
    assert settings.behind_tls is True and config["SESSION_COOKIE_SECURE"] is True
    assert settings.refresh_days == 3


def test_readme_configuration_table_lists_every_setting() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.M))
    declared = {s.env for s in SETTINGS}
    assert declared <= listed, f"missing from README: {sorted(declared - listed)}"


def test_factory_reads_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRACKER_ORG_NAME", "North Star Action")
    app = create_app()
    assert of(app).org_name == "North Star Action"
    assert not app.testing


def test_factory_has_no_side_effects(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'untouched.db'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    )
    assert not (tmp_path / "untouched.db").exists()
    blueprints = set(app.blueprints)
    assert {"public", "staff", "admin", "auth", "api"} <= blueprints


def test_settings_are_frozen_typed_and_read_from_one_place() -> None:
    """One declaration per setting; no module reads a variable with its own default."""
    import dataclasses

    settings = load_settings(
        {"TRACKER_INSTANCE_PATH": "/tmp/tracker-settings-test", "SECRET_KEY": "x"}
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.org_name = "changed"  # type: ignore[misc]
    offenders = []
    names = "|".join(re.escape(s.name) for s in SETTINGS)
    for path in [
        *(PROJECT_ROOT / "tracker").rglob("*.py"),
        *(PROJECT_ROOT / "scrapers").rglob("*.py"),
    ]:
        text = path.read_text()
        for pattern in (
            r"config\.get\(\s*\"TRACKER_",
            r"config\[\"TRACKER_",
            r"environ\.get\(\s*\"TRACKER_",
            r"os\.environ\b",
            r"getenv\(",
            r"current_app\.config(?!\.get\(\"PROPAGATE_UNEXPECTED\")",
            # a setting read with a fallback of its own: current().x or "..."
            rf"\.(?:{names})\s+or\s+[\"'\d]",
            r"\[\"TRACKER_[A-Z_]+\"\]\s+or\s+[\"'\d]",
        ):
            for match in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}")
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        if "config.TRACKER_" in path.read_text():
            offenders.append(f"{path.relative_to(PROJECT_ROOT)}: config.TRACKER_")
    assert offenders == [], offenders
