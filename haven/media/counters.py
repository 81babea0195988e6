"""Video view counts: one UPDATE per view in the embedded profile; in the scaled profile (Redis and
HAVEN_COUNTER_BUFFER) absorbed in a Redis hash and flushed in batches by the periodic job
`media_views_flush`, like the notes' counters (haven.notes.counters)."""

from __future__ import annotations

import logging
import secrets
from itertools import batched
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When

from haven.core import degrade
from haven.media.models import MediaVideo

logger = logging.getLogger(__name__)

LIVE_KEY = "hv:counters:video_views"
FLUSH_BATCH = 500


def buffering() -> bool:
    return bool(settings.HAVEN.counter_buffer and settings.HAVEN.redis_url)


def view_add(video_id: int) -> None:
    """Count one view of video `video_id` (buffered when buffering(); straight to SQL otherwise or
    while Redis is unreachable, so no view is lost)."""
    if buffering():
        try:
            degrade.client_for(settings.HAVEN.redis_url).hincrby(LIVE_KEY, str(int(video_id)), 1)
            return
        except (redis.ConnectionError, redis.TimeoutError):
            logger.info("video views: Redis unavailable, counting video %s directly", video_id)
    _apply({int(video_id): 1})


def _apply(deltas: dict[int, int]) -> None:
    for chunk in batched(sorted(deltas.items()), FLUSH_BATCH):
        change = Case(
            *[When(pk=pk, then=Value(delta)) for pk, delta in chunk],
            default=Value(0),
            output_field=IntegerField(),
        )
        MediaVideo.objects.filter(pk__in=[pk for pk, _ in chunk]).update(view_count=F("view_count") + change)


def views_flush() -> int:
    """Apply the buffered views to the database (at-least-once, like notes.counters.counters_flush);
    returns how many videos were updated. A no-op when not buffering."""
    if not buffering():
        return 0
    r = degrade.client_for(settings.HAVEN.redis_url)
    pending = [str(k) for k in r.scan_iter(match=f"{LIVE_KEY}:flushing:*", count=100)]
    fresh = f"{LIVE_KEY}:flushing:{secrets.token_hex(8)}"
    try:
        r.rename(LIVE_KEY, fresh)
        pending.append(fresh)
    except redis.ResponseError:  # nothing buffered since the last flush
        pass
    applied = 0
    for key in pending:
        raw: dict[Any, Any] = r.hgetall(key)  # type: ignore[assignment]
        deltas = {int(k): int(v) for k, v in raw.items() if int(v) > 0}
        if deltas:
            with transaction.atomic():
                _apply(deltas)
            applied += len(deltas)
        r.delete(key)
    return applied
