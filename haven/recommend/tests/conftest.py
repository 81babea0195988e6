"""Fixtures of recommend's tests: the event buffer off (embedded) or on against the configured Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from haven.core import degrade
from haven.privacy.consent import consent_set
from haven.recommend import events


def _clear(client: redis.Redis) -> None:
    keys = [events.KEY, events.LOCK_KEY, *client.scan_iter(match=f"{events.FLUSHING_PREFIX}*")]
    client.delete(*keys)


@pytest.fixture
def embedded(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Events written straight to the database (no HAVEN_REDIS_URL)."""
    monkeypatch.setattr(settings.HAVEN, "redis_url", "")


@pytest.fixture
def event_redis(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[redis.Redis]:
    """The Redis event buffer on, against HAVEN_REDIS_URL (scaled profile; skipped when it is unset).

    Only recommend's own keys are cleared before and after (the database is shared with the cache).
    """
    url = os.environ.get("HAVEN_REDIS_URL", "")
    if not url:
        pytest.skip("HAVEN_REDIS_URL is not set (the scaled event buffer needs Redis)")
    url = settings.HAVEN.redis_url or url  # the per-worker database chosen by settings_test
    monkeypatch.setattr(settings.HAVEN, "redis_url", url)
    degrade.reset()
    client = redis.Redis.from_url(url, decode_responses=True)
    _clear(client)
    yield client
    _clear(client)
    client.close()


def refuse_personalisation(user: Any) -> None:
    consent_set(user=user, purpose="personalised_recommendations", granted=False)
