"""Fixed-window rate limits kept in the cache (local memory embedded, Redis scaled).

When Redis is unreachable (haven.core.degrade), counting continues in this process's memory (the
`_local` cache): limits still hold per web process, so nobody gets a 500 and nobody gets unlimited
attempts; with N processes the effective limit is at most N times the configured one until Redis is
back (docs/operator-guide.md).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import gettext as _

from haven.core import degrade
from haven.core.errors import RateLimited

# Counts kept in this process while Redis is unreachable (never used in the embedded profile).
_local = LocMemCache("haven-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 50_000}})


def _count(store: BaseCache, key: str, timeout: int) -> int:
    if store.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add() and incr()
        store.add(key, 1, timeout=timeout)
        return 1


def count(key: str, *, timeout: int) -> int:
    """Increment the counter `key` (created with `timeout` seconds to live); Redis down: local memory."""
    if not degrade.is_down():
        try:
            return _count(caches["default"], key, timeout)
        except redis.RedisError:
            pass  # the breaker is open now; count locally until Redis answers again
    return _count(_local, key, timeout)


def peek(key: str) -> int:
    """The current value of counter `key` (0 when absent); Redis down: the local count."""
    down = degrade.is_down()
    value = None if down else caches["default"].get(key)
    if value is None and (down or degrade.is_down()):
        value = _local.get(key)
    return int(value or 0)


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt; raise RateLimited when `limit` attempts fell in the current window."""
    window = int(time.time() // window_seconds)
    attempts = count(f"rl:{scope}:{key}:{window}", timeout=window_seconds + 1)
    if attempts > limit:
        raise RateLimited(
            _("Too many attempts. Please wait a moment and try again."),
            details={"retry_after_seconds": window_seconds - int(time.time()) % window_seconds},
        )


# ---------------------------------------------------------------------------------------------
# The client's address


@memoize
def _trusted_networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = value.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:443"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: Iterable[object]) -> bool:
    return any(address in net for net in networks)  # type: ignore[operator]


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    """The client's address: the TCP peer, unless that peer is a trusted proxy (HAVEN_TRUSTED_PROXIES).

    Behind trusted proxies, X-Forwarded-For is read right to left, skipping trusted hops; the first
    untrusted address is the client. A peer that is not trusted cannot choose its address by sending
    the header. Run the server without proxy-header rewriting (uvicorn --no-proxy-headers) so that
    REMOTE_ADDR is the real peer.
    """
    peer_text = str(request.META.get("REMOTE_ADDR", "") or "")
    peer = _ip(peer_text)
    if peer is None:
        return peer_text[:64] or "unknown"
    networks = _trusted_networks(tuple(settings.HAVEN.trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    chain = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    client = peer
    for raw in reversed(chain[:64]):
        hop = _ip(raw)
        if hop is None:
            break  # garbage from beyond the trusted proxies: the last good address stands
        client = hop
        if not _is_trusted(hop, networks):
            break
    return str(client)


def network_of(address: str) -> str:
    """The network an address belongs to for back-off keys: /24 for IPv4, /64 for IPv6."""
    ip = _ip(address)
    if ip is None:
        return address[:64]
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


# ---------------------------------------------------------------------------------------------
# Exponential back-off after failures (login): free attempts, then 1 s, 2 s, 4 s ... up to a cap


def _get(key: str) -> object:
    down = degrade.is_down()
    value = None if down else caches["default"].get(key)
    if value is None and (down or degrade.is_down()):
        value = _local.get(key)
    return value


def _set(key: str, value: object, timeout: int) -> None:
    if not degrade.is_down():
        caches["default"].set(key, value, timeout)  # a resilient backend drops it when Redis is down
    if degrade.is_down():
        _local.set(key, value, timeout)


def backoff_delay(failures: int, *, free: int, cap: int) -> int:
    """Seconds to wait after `failures` failures: none for the first `free`, then doubling to `cap`."""
    if failures <= free:
        return 0
    return int(min(cap, 2 ** min(failures - free - 1, 30)))


def backoff_remaining(key: str, *, free: int, cap: int) -> int:
    """Seconds before `key` may try again (0: now)."""
    failures = peek(f"bo:n:{key}")
    if failures <= free:
        return 0
    last = float(_get(f"bo:t:{key}") or 0)  # type: ignore[arg-type]
    return max(0, math.ceil(last + backoff_delay(failures, free=free, cap=cap) - time.time()))


def backoff_fail(key: str, *, window: int) -> int:
    """Record one failure for `key` (forgotten `window` seconds after the first); returns the count."""
    failures = count(f"bo:n:{key}", timeout=window)
    _set(f"bo:t:{key}", time.time(), window)
    return failures


def backoff_clear(key: str) -> None:
    for store in (caches["default"], _local):
        store.delete_many([f"bo:n:{key}", f"bo:t:{key}"])
