"""Feeds' entry in the personal-data registry: seen-marks, and the member's traces in Redis and the cache.

The eraser runs first (order 10), while the member's follows and notes still exist, because it reads
them to find what to purge:
- Redis (scaled profile, feeds.store): the member's own feed, feed meta, author set, their place in
  hv:active and hv:celebs; their note ids in the feeds of every active member (a feed key only lives
  while its owner is in hv:active); their followers' feed meta (it may name the member as a
  high-follower author), so those feeds rebuild from SQL on the next read, as they would anyway once
  the follows are gone.
- The cache: the member's own ranked Discover/topic lists (feeds:ranked:…:{id}:…), and their notes
  in the shared Discover candidates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from itertools import batched
from typing import Any

import redis
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from haven.core import personal_data
from haven.core.personal_data_core import cache_delete_matching
from haven.feeds import candidates, selectors, store
from haven.feeds.models import SeenNote
from haven.graph.models import Follow
from haven.notes.models import Note, Visibility
from haven.notes.personal_data import iso

logger = logging.getLogger(__name__)

BATCH = 500  # member ids per Redis pipeline, note ids per ZREM


def export_seen_notes(user: Any) -> Iterator[dict[str, Any]]:
    rows = SeenNote.objects.filter(user_id=user.pk).order_by("pk").values_list("pk", "note_id", "seen_at")
    for pk, note_id, seen_at in rows.iterator(chunk_size=2000):
        yield {"id": pk, "note_id": note_id, "seen_at": iso(seen_at)}


def purge_redis(user: Any, *, r: redis.Redis | None = None) -> int:
    """Remove the member and their notes from the Redis feeds; returns how many commands ran."""
    r = r or store.client()
    uid = int(user.pk)
    note_ids = [
        str(pk)
        for pk in Note.objects.filter(author_id=uid, status=Note.Status.PUBLISHED)
        .exclude(visibility=Visibility.PRIVATE)
        .values_list("pk", flat=True)
        .iterator(chunk_size=2000)
    ]
    commands = 0
    with r.pipeline(transaction=False) as pipe:
        pipe.delete(store.feed_key(uid), store.meta_key(uid), store.author_key(uid))
        pipe.zrem(store.ACTIVE_KEY, str(uid))
        pipe.srem(store.CELEBS_KEY, str(uid))
        _deleted, _inactive, was_celeb = pipe.execute()
        commands += 3
    if was_celeb:
        r.incr(store.CELEBS_VERSION_KEY)  # readers refresh their list of followed celebrities
    followers = Follow.objects.filter(followee_id=uid).values_list("follower_id", flat=True)
    for chunk in batched(followers.iterator(chunk_size=2000), BATCH):
        r.delete(*[store.meta_key(fid) for fid in chunk])
        commands += 1
    if note_ids:
        for members in _scan_active(r):
            with r.pipeline(transaction=False) as pipe:
                for member in members:
                    for ids in batched(note_ids, BATCH):
                        pipe.zrem(store.feed_key(int(member)), *ids)
                        commands += 1
                pipe.execute()
    return commands


def _scan_active(r: redis.Redis) -> Iterator[list[Any]]:
    """Every member id in hv:active, BATCH at a time (ZSCAN: no snapshot of a large set in memory)."""
    batch: list[Any] = []
    for member, _score in r.zscan_iter(store.ACTIVE_KEY, count=BATCH):
        batch.append(member)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def purge_cache(user: Any) -> None:
    """Drop the member's ranked lists and their notes from the shared Discover candidates."""
    uid = int(user.pk)
    ranked = re.compile(rf"{re.escape(selectors.RANKED_KEY)}:[0-9a-f]{{24}}:{uid}:[01]:[0-9]+:")
    cache_delete_matching(f"{selectors.RANKED_KEY}:*:{uid}:?:*", pattern=ranked)
    cache_delete_matching(f"{selectors.PREPARED_KEY}:{uid}:*")  # rankings made ahead, the pending lock
    cache_delete_matching(f"{selectors.PREPARED_KEY}:lock:{uid}")
    entry: dict[str, Any] | None = cache.get(candidates.CACHE_KEY)
    if entry and any(c.author_id == uid for c, _private in entry.get("rows", [])):
        rows = [(c, private) for c, private in entry["rows"] if c.author_id != uid]
        candidates.store_entry({**entry, "rows": rows})  # a new stamp: no process keeps the old rows


def erase_feeds(user: Any) -> int:
    """Delete the member's seen-marks and others' seen-marks of the member's notes; purge Redis and
    the cache of the member (see the module docstring)."""
    if store.enabled():
        try:
            purge_redis(user)
        except redis.RedisError:
            # Feeds are a cache rebuilt from SQL: entries left behind expire with HAVEN_FEED_ACTIVE_DAYS
            # and never show a deleted note (hydration reads the database).
            logger.warning("erasure: Redis unavailable; feed entries of member %s left to expire", user.pk)
    purge_cache(user)
    with transaction.atomic():
        deleted, _per_model = SeenNote.objects.filter(
            Q(user_id=user.pk) | Q(note__author_id=user.pk)
        ).delete()
    return int(deleted)


def register_all() -> None:
    """Called from FeedsConfig.ready()."""
    personal_data.register(
        SeenNote,
        section="seen_notes",
        owner_fields=("user",),
        exporter=export_seen_notes,
        eraser=erase_feeds,
        order=10,
    )
