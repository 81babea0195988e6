"""Living without Redis: bounded clients, a circuit breaker, a cache that misses, and 503 for the rest.

The scaled profile keeps caches, rate limits, Following feeds and buffered counters in Redis. When
Redis cannot be reached, Haven degrades instead of failing (docs/operator-guide.md):

- every client has bounded connect and socket timeouts and no retries, so one attempt costs at most
  CONNECT_TIMEOUT (an unreachable host) or SOCKET_TIMEOUT (a hung server);
- the first failure opens a process-wide breaker for BREAKER_SECONDS: meanwhile every Redis call
  fails at once (`RedisUnavailable`) instead of waiting on the network again, so a request stays
  well within 2 s however many Redis calls it would make;
- the cache (`ResilientRedisCache`) treats failures as misses and drops writes, so reads fall back to
  the database path; rate limits count in local memory (haven.core.ratelimit);
- anything else that needs Redis and escapes a view is answered 503 `service_unavailable` with a
  `Retry-After` header by `ServiceUnavailableMiddleware` (JSON under /api/, a page elsewhere).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any, Final

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from redis.backoff import NoBackoff
from redis.retry import Retry

from haven.core.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT: Final = 0.5  # seconds to open a connection
SOCKET_TIMEOUT: Final = 1.0  # seconds to wait for one reply
BREAKER_SECONDS: Final = 5.0  # after a failure, Redis is not tried again for this long
RETRY_AFTER_SECONDS: Final = 30  # what a 503 tells clients


class RedisUnavailable(redis.ConnectionError):
    """Redis is known to be down (the breaker is open); raised without touching the network."""


_lock = threading.Lock()
_down_until = 0.0


def is_down() -> bool:
    """True while the breaker is open (Redis failed less than BREAKER_SECONDS ago)."""
    return time.monotonic() < _down_until


def mark_down(exc: BaseException | None = None) -> None:
    """Open the breaker: Redis failed; callers skip it for BREAKER_SECONDS."""
    global _down_until
    with _lock:
        first = not is_down()
        _down_until = time.monotonic() + BREAKER_SECONDS
    if first:
        logger.warning("Redis unreachable; degrading for %.0fs: %s", BREAKER_SECONDS, exc)


def reset() -> None:
    """Close the breaker and forget cached clients (tests, and after settings change)."""
    global _down_until
    with _lock:
        _down_until = 0.0
    client_for.cache_clear()


def connection_options() -> dict[str, Any]:
    """Keyword arguments for every redis-py client or pool: bounded timeouts, no retries."""
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": SOCKET_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 30,
    }


class GuardedRedis(redis.Redis):
    """redis.Redis that fails fast while the breaker is open and opens it on a connection failure."""

    def execute_command(self, *args: Any, **options: Any) -> Any:
        if is_down():
            raise RedisUnavailable("Redis is unavailable (circuit open)")
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            mark_down(exc)
            raise

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        if is_down():
            raise RedisUnavailable("Redis is unavailable (circuit open)")
        pipe = super().pipeline(transaction=transaction, shard_hint=shard_hint)
        execute = pipe.execute

        def guarded_execute(raise_on_error: bool = True) -> Any:
            try:
                return execute(raise_on_error=raise_on_error)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                mark_down(exc)
                raise

        pipe.execute = guarded_execute  # type: ignore[method-assign]
        return pipe


@cache
def client_for(url: str, *, decode_responses: bool = True) -> redis.Redis:
    """The process-wide guarded client (one connection pool) for `url`."""
    pool = redis.ConnectionPool.from_url(url, decode_responses=decode_responses, **connection_options())
    return GuardedRedis(connection_pool=pool)


# ---------------------------------------------------------------------------------------------
# Django cache backend


class _GuardedCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client = GuardedRedis
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        """One client per connection pool, kept (Django makes a new redis.Redis per call, whose setup
        of ~170 response callbacks cost more than the round trip it is for); clients are thread-safe."""
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _quiet[T](default: T, call: Callable[[], T]) -> T:
    try:
        return call()
    except redis.RedisError as exc:
        if not isinstance(exc, RedisUnavailable):
            mark_down(exc)
        return default


class ResilientRedisCache(RedisCache):
    """Django's RedisCache where an unreachable Redis is a miss: reads return the default, writes are
    dropped (a cache is rebuildable). `incr`/`decr` still raise, so counters can choose a fallback."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _GuardedCacheClient

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return _quiet(default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return _quiet({}, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return _quiet(False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        _quiet(None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        return _quiet(list(data), lambda: super(ResilientRedisCache, self).set_many(data, timeout, version))

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        # False ("already there") is the safe answer: nobody takes a lock Redis cannot hold.
        return _quiet(False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return _quiet(False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return _quiet(False, lambda: super(ResilientRedisCache, self).delete(key, version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        _quiet(None, lambda: super(ResilientRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        _quiet(None, lambda: super(ResilientRedisCache, self).clear())


def cache_config(url: str) -> dict[str, Any]:
    """CACHES["default"] for the scaled profile."""
    return {
        "BACKEND": "haven.core.degrade.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            "retry": Retry(NoBackoff(), 0),
        },
    }


def channel_layer_config(url: str) -> dict[str, Any]:
    """CHANNEL_LAYERS["default"] for the scaled profile (channels_redis with bounded timeouts).

    A receive blocks in Redis for up to `brpop_timeout` seconds at a time, so the socket waits that
    long plus one reply timeout; with SOCKET_TIMEOUT alone every quiet second ended in a TimeoutError
    that closed the member's WebSocket. The pool is bounded and waits when busy
    (haven.core.channel_layer)."""
    from channels_redis.core import RedisChannelLayer

    from haven.core import channel_layer

    return {
        "BACKEND": "haven.core.channel_layer.BoundedRedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": url,
                    "socket_connect_timeout": channel_layer.CONNECT_TIMEOUT,
                    "socket_timeout": RedisChannelLayer.brpop_timeout + SOCKET_TIMEOUT,
                }
            ]
        },
    }


# ---------------------------------------------------------------------------------------------
# The last line: 503 with Retry-After instead of a 500


def unavailable_response(request: HttpRequest, exc: ServiceUnavailable | None = None) -> HttpResponse:
    """503 `service_unavailable` + Retry-After: JSON for the API, a small page for browsers."""
    error = exc or ServiceUnavailable(_("This action is unavailable for a moment. Please try again shortly."))
    retry_after = str(error.details.get("retry_after_seconds", RETRY_AFTER_SECONDS))
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps(error.as_dict()), status=503, content_type="application/json; charset=utf-8"
        )
    else:
        try:
            body: str = render_to_string("503.html", {"message": error.message}, request=request)
        except Exception:  # the page is a nicety; the status and header are what matter
            logger.exception("could not render 503.html")
            body = error.message
        response = HttpResponse(body, status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Turns a Redis failure, an exhausted database pool (or ServiceUnavailable) that escaped a view
    into 503 + Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 503 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, ServiceUnavailable):
            return unavailable_response(request, exc)
        if isinstance(exc, redis.RedisError):
            if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):
                mark_down(exc)
            logger.warning("Redis failed during %s %s: %s", request.method, request.path, exc)
            return unavailable_response(request)
        if _pool_exhausted(exc):
            logger.warning("No database connection free during %s %s: %s", request.method, request.path, exc)
            return unavailable_response(request)
        return None


def _pool_exhausted(exc: BaseException) -> bool:
    """Every pooled PostgreSQL connection stayed busy past the pool's timeout (psycopg_pool's
    PoolTimeout, as raised or as the cause of Django's OperationalError)."""
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # no pool installed: never this
        return False
    return isinstance(exc, PoolTimeout) or isinstance(exc.__cause__, PoolTimeout)
