"""Core's own entries in the personal-data registry (idempotency records), and a cache purge for erasers.

(`haven.core.personal_data` is the registry itself; this module fills it for core's tables.)
"""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Iterator
from itertools import batched
from typing import Any

import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from haven.core import personal_data
from haven.core.models import IdempotencyRecord

logger = logging.getLogger(__name__)

SCAN_COUNT = 1000


def cache_delete_matching(glob: str, *, pattern: re.Pattern[str] | None = None) -> int:
    """Delete the default cache's entries whose key matches `glob` (Redis glob syntax, on the key as
    the code writes it) and, when given, whose stored key also matches `pattern` (re.search).

    Redis (scaled profile): one SCAN over the cache's database. Local memory (embedded profile): this
    process's entries only; other processes' entries expire on their own timeouts. Other backends:
    nothing is deleted. Returns how many entries were deleted.
    """
    cache = caches["default"]
    made = cache.make_key(glob)
    try:
        if isinstance(cache, RedisCache):
            client = cache._cache.get_client(write=True)
            keys = [k for k in _scan(client, made) if pattern is None or pattern.search(_text(k))]
            for chunk in batched(keys, 500):
                client.delete(*chunk)
            return len(keys)
        if isinstance(cache, LocMemCache):
            local: Any = cache  # its private dict and lock: LocMemCache offers no key listing
            with local._lock:
                keys = [
                    k
                    for k in list(local._cache)
                    if fnmatch.fnmatchcase(k, made) and (pattern is None or pattern.search(k))
                ]
                for k in keys:
                    local._delete(k)
            return len(keys)
    except redis.RedisError:
        logger.warning("erasure: cache unavailable; entries matching %s left to expire", glob)
    return 0


def _scan(client: Any, match: str) -> Iterator[Any]:
    yield from client.scan_iter(match=match, count=SCAN_COUNT)


def _text(key: Any) -> str:
    return key.decode() if isinstance(key, bytes) else str(key)


def erase_idempotency_records(user: Any) -> int:
    """Delete the member's stored POST outcomes, and the rate-limit counters kept under their id."""
    deleted, _per_model = IdempotencyRecord.objects.filter(user_id=user.pk).delete()
    uid = int(user.pk)
    cache_delete_matching(f"rl:*:{uid}:*", pattern=re.compile(rf":rl:[^:]+:{uid}:\d+$"))
    return int(deleted)


def export_idempotency_records(user: Any) -> Iterator[dict[str, Any]]:
    """Which non-idempotent requests the member sent with an Idempotency-Key, and how they ended.

    The stored responses are replays of data exported in its own section, so they are not repeated.
    """
    rows = (
        IdempotencyRecord.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("pk", "scope", "key", "status_code", "created_at")
    )
    for pk, scope, key, status_code, created_at in rows.iterator(chunk_size=1000):
        yield {
            "id": pk,
            "scope": scope,
            "key": key,
            "status_code": status_code,
            "created_at": created_at.isoformat(),
        }


def register_all() -> None:
    """Called from CoreConfig.ready()."""
    personal_data.register(
        IdempotencyRecord,
        section="requests",
        owner_fields=("user",),
        personal_fields=("response",),
        exporter=export_idempotency_records,
        eraser=erase_idempotency_records,
        order=90,
    )
