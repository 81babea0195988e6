"""Note counters absorbed in Redis (scaled profile, HAVEN_COUNTER_BUFFER) and flushed to SQL in batches."""

from __future__ import annotations

import logging
import secrets
from itertools import batched
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Greatest

from haven.core import degrade
from haven.notes.models import Note

logger = logging.getLogger(__name__)

KEY_PREFIX = "hv:"
COUNTER_FIELDS = ("like_count", "save_count", "comment_count")
FLUSH_BATCH = 500  # notes per UPDATE statement


def redis_client() -> redis.Redis:
    """The process-wide Redis client (one connection pool) for HAVEN_REDIS_URL; feeds shares it.

    Bounded timeouts and a circuit breaker (haven.core.degrade): while Redis is down, calls fail fast.
    """
    url = settings.HAVEN.redis_url
    if not url:
        raise RuntimeError("HAVEN_REDIS_URL is not set")
    return degrade.client_for(url)


def buffering() -> bool:
    """True when note counters go through Redis (HAVEN_COUNTER_BUFFER and HAVEN_REDIS_URL both set)."""
    return bool(settings.HAVEN.counter_buffer and settings.HAVEN.redis_url)


def _live_key(field: str) -> str:
    return f"{KEY_PREFIX}counters:{field}"


def counter_buffer_add(*, note_id: int, field: str, delta: int, client: redis.Redis | None = None) -> None:
    """Add `delta` to the buffered counter of one note (HINCRBY; applied by counters_flush).

    Redis unreachable: the delta goes straight to the database instead (one UPDATE), so none is lost.
    """
    if field not in COUNTER_FIELDS:
        raise ValueError(f"unknown note counter {field!r}")
    if not delta:
        return
    try:
        (client or redis_client()).hincrby(_live_key(field), str(int(note_id)), int(delta))
    except (redis.ConnectionError, redis.TimeoutError):
        logger.info(
            "counter buffer: Redis unavailable, applying %s%+d to note %s directly", field, delta, note_id
        )
        _apply(field, {int(note_id): int(delta)})


def _apply(field: str, deltas: dict[int, int]) -> None:
    """One UPDATE per FLUSH_BATCH notes: field = max(0, field + delta) with a CASE over the ids."""
    for chunk in batched(sorted(deltas.items()), FLUSH_BATCH):
        whens = [When(pk=pk, then=Value(delta)) for pk, delta in chunk]
        change = Case(*whens, default=Value(0), output_field=IntegerField())
        Note.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
            **{field: Greatest(F(field) + change, Value(0), output_field=IntegerField())}
        )


def counters_flush(*, client: redis.Redis | None = None) -> int:
    """Apply every buffered counter to the database; returns how many (note, field) deltas were applied.

    The live hash is swapped out atomically (RENAME to a unique "flushing" key): increments that arrive
    meanwhile land in a fresh hash and wait for the next flush, so none is lost. A flushing hash left by
    a crashed flush is picked up again here. Each field's deltas are applied in one transaction, then
    the flushing key is deleted (a crash between the two would apply that batch twice: at-least-once).
    """
    r = client or redis_client()
    applied = 0
    for field in COUNTER_FIELDS:
        live = _live_key(field)
        pending = [str(k) for k in r.scan_iter(match=f"{live}:flushing:*", count=100)]
        fresh = f"{live}:flushing:{secrets.token_hex(8)}"
        try:
            r.rename(live, fresh)
            pending.append(fresh)
        except redis.ResponseError:  # no such key: nothing buffered since the last flush
            pass
        for key in pending:
            raw: dict[Any, Any] = r.hgetall(key)  # type: ignore[assignment]
            deltas = {int(k): int(v) for k, v in raw.items() if int(v)}
            if deltas:
                with transaction.atomic():
                    _apply(field, deltas)
                applied += len(deltas)
            r.delete(key)
    return applied
