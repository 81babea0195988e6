"""haven.core.degrade: Redis failures become misses, a fast-failing breaker, or 503 + Retry-After."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import redis
from django.http import HttpResponse
from django.test import RequestFactory

from haven.core import degrade, ratelimit
from haven.core.errors import ServiceUnavailable

DEAD = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _breaker() -> Iterator[None]:
    degrade.reset()
    yield
    degrade.reset()


def _through_middleware(path: str, exc: Exception) -> HttpResponse:
    middleware = degrade.ServiceUnavailableMiddleware(lambda r: HttpResponse())
    request = RequestFactory().get(path)
    response = middleware.process_exception(request, exc)
    assert response is not None
    return response


def test_api_redis_failure_is_503_json_with_retry_after() -> None:
    response = _through_middleware("/api/v1/feeds/discover", redis.ConnectionError("refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(degrade.RETRY_AFTER_SECONDS)
    assert json.loads(response.content)["code"] == "service_unavailable"
    assert degrade.is_down()


@pytest.mark.django_db
def test_page_redis_failure_is_503_page() -> None:
    response = _through_middleware("/notes/new/", ServiceUnavailable("later"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"503" in response.content


def test_other_errors_are_left_alone() -> None:
    middleware = degrade.ServiceUnavailableMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_any_503_gets_retry_after() -> None:
    middleware = degrade.ServiceUnavailableMiddleware(lambda r: HttpResponse(status=503))
    assert middleware(RequestFactory().get("/"))["Retry-After"]


def test_cache_misses_and_breaker_fails_fast() -> None:
    backend = degrade.ResilientRedisCache(DEAD, degrade.cache_config(DEAD))
    assert backend.get("k", "default") == "default"
    assert degrade.is_down()
    backend.set("k", 1)  # dropped, no error
    assert backend.add("k", 1) is False
    client = degrade.client_for(DEAD)
    started = time.monotonic()
    with pytest.raises(degrade.RedisUnavailable):
        client.get("k")
    assert time.monotonic() - started < 0.05  # no network while the breaker is open


def test_the_cache_keeps_one_guarded_client_per_pool() -> None:
    """Django's Redis cache makes a new client per call; ours keeps one per connection pool (the
    client's setup cost more than the round trip), and it is still the guarded one."""
    backend = degrade.ResilientRedisCache(DEAD, degrade.cache_config(DEAD))
    client = backend._cache.get_client(write=True)
    assert isinstance(client, degrade.GuardedRedis)
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client


def test_rate_limits_count_locally_while_redis_is_down() -> None:
    degrade.mark_down()
    for _ in range(3):
        ratelimit.hit("degrade-test", "k", limit=3, window_seconds=86400)
    with pytest.raises(Exception) as exc:
        ratelimit.hit("degrade-test", "k", limit=3, window_seconds=86400)
    assert getattr(exc.value, "code", "") == "rate_limited"


def test_an_exhausted_database_pool_is_503_not_500() -> None:
    """Every pooled connection busy past the pool's timeout: psycopg_pool.PoolTimeout, which Django
    re-raises as its own OperationalError. A crowd gets "try again shortly", not a server error."""
    psycopg_pool = pytest.importorskip("psycopg_pool")
    from django.db import utils

    timeout = psycopg_pool.PoolTimeout("couldn't get a connection after 10.00 sec")
    wrapped = utils.OperationalError(*timeout.args)
    wrapped.__cause__ = timeout
    for exc in (timeout, wrapped):
        response = _through_middleware("/api/v1/feeds/following", exc)
        assert response.status_code == 503
        assert json.loads(response.content)["code"] == "service_unavailable"
    assert not degrade.is_down()  # Redis is fine: its breaker stays closed


def test_other_database_errors_are_left_alone() -> None:
    from django.db import utils

    middleware = degrade.ServiceUnavailableMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), utils.OperationalError("x")) is None
