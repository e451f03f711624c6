from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import SETTINGS, ConfigError, load_config
from tests.conftest import PROJECT_ROOT
from tracker import create_app


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"TRACKER_INSTANCE_PATH": str(tmp_path), **values}


def test_defaults_use_sqlite_in_instance(tmp_path: Path) -> None:
    config = load_config(env(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert config["TRACKER_ENV"] == "development"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_config(env(tmp_path))["SECRET_KEY"]
    second = load_config(env(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_requires_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        load_config(env(tmp_path, TRACKER_ENV="production"))
    config = load_config(env(tmp_path, TRACKER_ENV="production", SECRET_KEY="s" * 40))
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRACKER_ENV", "staging", "development or production"),
        ("TRACKER_BEHIND_TLS", "maybe", "true or false"),
        ("TRACKER_MAX_CONTENT_LENGTH", "lots", "whole number"),
        ("TRACKER_REQUESTS_PER_SECOND", "fast", "a number"),
        ("TRACKER_ORG_COLORS", "red", "hex colours"),
    ],
)
def test_malformed_settings_name_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_config(env(tmp_path, **{name: value}))
    assert name in str(info.value)


def test_typed_values(tmp_path: Path) -> None:
    config = load_config(
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
    assert config["TRACKER_EMBED_ORIGINS"] == ["https://a.example", "https://b.example"]
    assert config["TRACKER_ORG_COLORS"] == ["#112233", "#abc"]
    assert config["TRACKER_BEHIND_TLS"] is True and config["SESSION_COOKIE_SECURE"] is True
    assert config["TRACKER_REFRESH_DAYS"] == 3


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
    assert app.config["TRACKER_ORG_NAME"] == "North Star Action"
    assert not app.testing


def test_factory_has_no_side_effects(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'untouched.db'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    )
    assert not (tmp_path / "untouched.db").exists()
    blueprints = set(app.blueprints)
    assert {"public", "staff", "admin", "auth", "api"} <= blueprints
