"""A pytest fixture pointing the scaled feed path at a private, flushed Redis database (tests only)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

TEST_DBS = (13, 14)  # one per xdist worker pair; never the cache's database


def _test_url(worker_id: str) -> str:
    configured = os.environ.get("HAVEN_REDIS_URL", "")
    host = urlsplit(configured).hostname if configured else None
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    return f"redis://{host or '127.0.0.1'}:6379/{TEST_DBS[index % len(TEST_DBS)]}"


@pytest.fixture
def feed_redis(settings: Any, monkeypatch: pytest.MonkeyPatch, worker_id: str) -> Iterator[redis.Redis]:
    """Enable the Redis feed path against a dedicated database, flushed before and after the test.

    Runs for real in the scaled profile (HAVEN_REDIS_URL set: a missing server is an error) and in the
    embedded profile whenever a server answers on 127.0.0.1:6379; skipped otherwise.
    """
    url = _test_url(worker_id)
    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("HAVEN_REDIS_URL"):
            raise
        pytest.skip("no Redis server on 127.0.0.1:6379 (the scaled feed path needs one)")
    client.flushdb()
    monkeypatch.setattr(settings.HAVEN, "redis_url", url)
    yield client
    client.flushdb()
    client.close()
