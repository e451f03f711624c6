"""The page cache in Redis is one cache for every web worker.

Two apps stand for two gunicorn workers: a page one of them rendered is a hit
in the other, and a change to shown data is a miss in both.  Needs a Redis
server (``TEST_REDIS_URL``; ``tests/run_suites.py`` finds the local one); each
test uses its own key prefix, so workers running in parallel never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import base_config
from tracker import create_app, snapshots
from tracker.extensions import db

pytestmark = pytest.mark.redis


@pytest.fixture
def workers(app: Flask, demo_full: None) -> Iterator[tuple[Flask, Flask]]:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail("TEST_REDIS_URL is not set: run through tests/run_suites.py or set it")
    prefix = f"test-{uuid.uuid4().hex}:"
    config = {
        **base_config(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path)),
        "TRACKER_REDIS_URL": url,
        "CACHE_TYPE": "RedisCache",
        "CACHE_KEY_PREFIX": prefix,
    }
    first, second = create_app(config), create_app(config)
    for worker in (first, second):
        worker.test_client_class = app.test_client_class
    yield first, second
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_a_page_one_worker_rendered_is_a_hit_in_the_other(workers: tuple[Flask, Flask]) -> None:
    first, second = (w.test_client() for w in workers)
    rendered = first.get("/scorecards")
    assert rendered.status_code == 200 and "X-Page-Cache" not in rendered.headers
    served = second.get("/scorecards")
    assert served.headers["X-Page-Cache"] == "hit"
    assert served.data == rendered.data

    version = snapshots.latest_versions()[0]
    version.title = "Retitled in one worker"
    db.session.commit()
    for client in (second, first):
        fresh = client.get("/scorecards")
        assert "Retitled in one worker" in fresh.get_data(as_text=True)
    assert second.get("/scorecards").headers.get("X-Page-Cache") == "hit"


def test_redis_settings_follow_the_one_url(workers: tuple[Flask, Flask]) -> None:
    worker = workers[0]
    assert worker.config["CACHE_TYPE"] == "RedisCache"
    assert worker.config["CACHE_REDIS_URL"] == os.environ["TEST_REDIS_URL"]
