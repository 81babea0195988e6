"""Interaction events written cheaply: a capped Redis list in the scaled profile, flushed to SQL in batches.

Scaled profile (HAVEN_REDIS_URL set): `buffer_rows` RPUSHes one compact JSON array per event to
`hv:rec:events` and LTRIMs the list to LIST_CAP (the newest are kept), so a dead worker cannot fill
Redis. The periodic job `recommend_events_flush` (every minute) calls `events_flush`: under a short
lock it RENAMEs the list to a unique "flushing" key (events recorded meanwhile land in a fresh list),
writes it FLUSH_BATCH at a time with bulk_create, dropping events of notes or members that no longer
exist (the foreign keys), LTRIMs what it wrote and deletes the key. A flushing key left by a crash is
picked up by the next flush: delivery is at least once (a crash between a write and its LTRIM repeats
that batch).
Embedded profile, or Redis unreachable: one bulk_create at once.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import redis
from django.conf import settings

from haven.accounts.models import User
from haven.notes.counters import redis_client
from haven.notes.models import Note
from haven.recommend.models import InteractionEvent

logger = logging.getLogger(__name__)

KEY = "hv:rec:events"
FLUSHING_PREFIX = f"{KEY}:flushing:"
LOCK_KEY = f"{KEY}:lock"
LOCK_SECONDS = 300  # a flush that dies holding the lock blocks the next ones this long at most
LIST_CAP = 500_000  # events held in Redis at most (about 60 bytes each: ~30 MB)
FLUSH_BATCH = 1000  # events per bulk_create


class EventRow(NamedTuple):
    """One validated event, as buffered (created_at is the server's time of recording)."""

    user_id: int
    note_id: int
    kind: int
    value: int
    source: str
    model_version: str
    created_at: datetime


def enabled() -> bool:
    """True in the scaled profile (HAVEN_REDIS_URL set): events go through the Redis list."""
    return bool(settings.HAVEN.redis_url)


def encode(row: EventRow) -> str:
    """Compact JSON: [user, note, kind, value, source, model_version, epoch milliseconds]."""
    millis = int(row.created_at.timestamp() * 1000)
    return json.dumps(
        [row.user_id, row.note_id, row.kind, row.value, row.source, row.model_version, millis],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def decode(raw: str | bytes) -> EventRow | None:
    """The row of one buffered entry; None for an entry that is not one (logged, then dropped)."""
    try:
        user_id, note_id, kind, value, source, version, millis = json.loads(raw)
        return EventRow(
            int(user_id),
            int(note_id),
            int(kind),
            int(value),
            str(source)[:16],
            str(version)[:64],
            datetime.fromtimestamp(int(millis) / 1000, tz=UTC),
        )
    except (ValueError, TypeError, OverflowError):
        logger.warning("recommend events: dropping a malformed buffered entry %.80r", raw)
        return None


def write_rows(rows: Sequence[EventRow]) -> int:
    """Insert `rows` (bulk_create, FLUSH_BATCH at a time), leaving out events of notes or members that are
    gone (a member erased while their events waited in Redis leaves nothing behind)."""
    if not rows:
        return 0
    notes = set(Note.objects.filter(pk__in={r.note_id for r in rows}).values_list("pk", flat=True))
    users = set(User.objects.filter(pk__in={r.user_id for r in rows}).values_list("pk", flat=True))
    objs = [
        InteractionEvent(
            user_id=r.user_id,
            note_id=r.note_id,
            kind=r.kind,
            value=r.value,
            source=r.source,
            model_version=r.model_version,
            created_at=r.created_at,
        )
        for r in rows
        if r.note_id in notes and r.user_id in users
    ]
    InteractionEvent.objects.bulk_create(objs, batch_size=FLUSH_BATCH)
    return len(objs)


def buffer_rows(rows: Sequence[EventRow], *, client: redis.Redis | None = None) -> None:
    """Record `rows`: buffered in Redis in the scaled profile, else written now.

    Redis unreachable: written to the database at once instead, so nothing is lost.
    """
    if not rows:
        return
    if not enabled():
        write_rows(rows)
        return
    try:
        r = client or redis_client()
        with r.pipeline(transaction=False) as pipe:
            pipe.rpush(KEY, *[encode(row) for row in rows])
            pipe.ltrim(KEY, -LIST_CAP, -1)
            pipe.execute()
    except (redis.ConnectionError, redis.TimeoutError):
        logger.info("recommend events: Redis unavailable, writing %d events directly", len(rows))
        write_rows(rows)


def _flush_key(r: redis.Redis, key: str) -> int:
    written = 0
    while True:
        raw: list[Any] = r.lrange(key, 0, FLUSH_BATCH - 1)  # type: ignore[assignment]
        if not raw:
            break
        rows = [row for row in (decode(item) for item in raw) if row is not None]
        written += write_rows(rows)
        r.ltrim(key, len(raw), -1)
    r.delete(key)
    return written


def events_flush(*, client: redis.Redis | None = None) -> int:
    """Move every buffered event into the database; returns how many rows were written.

    One flush at a time (a lock with a timeout); another flush meanwhile returns 0 at once.
    """
    if not enabled() and client is None:
        return 0
    r = client or redis_client()
    token = secrets.token_hex(8)
    if not r.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS):
        return 0
    try:
        pending = [str(k) for k in r.scan_iter(match=f"{FLUSHING_PREFIX}*", count=100)]
        fresh = f"{FLUSHING_PREFIX}{token}"
        try:
            r.rename(KEY, fresh)
            pending.append(fresh)
        except redis.ResponseError:  # no such key: nothing recorded since the last flush
            pass
        return sum(_flush_key(r, key) for key in pending)
    finally:
        if r.get(LOCK_KEY) == token:
            r.delete(LOCK_KEY)


def buffered_count(*, client: redis.Redis | None = None) -> int:
    """Events waiting in Redis (the live list and any flushing lists); 0 in the embedded profile."""
    if not enabled() and client is None:
        return 0
    r = client or redis_client()
    keys: Iterable[Any] = [KEY, *r.scan_iter(match=f"{FLUSHING_PREFIX}*", count=100)]
    return sum(int(r.llen(k)) for k in keys)  # type: ignore[arg-type]
