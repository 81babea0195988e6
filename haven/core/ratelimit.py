"""Fixed-window rate limits kept in the cache (local memory embedded, Redis scaled)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from haven.core.errors import RateLimited


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> None:
    """Count one attempt; raise RateLimited when `limit` attempts fell in the current window."""
    window = int(time.time() // window_seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    added = cache.add(cache_key, 1, timeout=window_seconds + 1)
    count = 1 if added else cache.incr(cache_key)
    if count > limit:
        raise RateLimited(
            _("Too many attempts. Please wait a moment and try again."),
            details={"retry_after_seconds": window_seconds - int(time.time()) % window_seconds},
        )


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:64]
