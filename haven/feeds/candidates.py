"""Discover candidates shared by every viewer, cached and refreshed in the background.

Enabled by HAVEN_DISCOVER_CACHE_SECONDS > 0. The cache holds ranking inputs (feeds.ranking.Candidate
columns plus whether the author's account is private) of the newest public notes; each viewer then
filters them (blocks, mutes, private authors they do not follow) and ranks them as before, and the
chosen page is re-checked through notes.access when it is loaded.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, QuerySet, Value
from django.utils import timezone

from haven.core.compiled import CompiledQuery
from haven.core.reportables import ModerationState
from haven.feeds.ranking import Candidate
from haven.graph.models import Block, Follow, Mute
from haven.notes.models import Note, Visibility
from haven.recommend import serving as recommend

CACHE_KEY = "hv:discover:candidates:v3"
STAMP_KEY = "hv:discover:candidates:v3:stamp"
LOCK_KEY = "hv:discover:candidates:refreshing"
DISCOVER_DAYS = 30
DISCOVER_CANDIDATES = 1000
SharedRow = tuple[Candidate, bool]
# feeds.ranking.Candidate's fields, then whether the author's account is private.
_COLUMNS = (
    "id",
    "author_id",
    "published_at",
    "like_count",
    "save_count",
    "comment_count",
    "language",
    "author__date_joined",
    "author__is_private",
)  # (ranking input, author's account is private)


def enabled() -> bool:
    return int(settings.HAVEN.discover_cache_seconds) > 0


def refresh() -> list[SharedRow]:
    """Recompute the shared candidates (one query) and store them; returns them."""
    now = timezone.now()
    rows = (
        Note.objects.filter(
            status=Note.Status.PUBLISHED,
            visibility=Visibility.PUBLIC,
            published_at__gte=now - timedelta(days=DISCOVER_DAYS),
            moderation=ModerationState.OK,
            author__is_active=True,
        )
        .order_by("-published_at", "-id")
        .values_list(*_COLUMNS)[:DISCOVER_CANDIDATES]
    )
    shared = [(Candidate(*row[:8]), bool(row[8])) for row in rows]
    tags = recommend.note_topics([c.id for c, _private in shared])  # for the personal ranking
    store_entry({"at": time.time(), "rows": shared, "tags": tags})
    return shared


# The entry is a thousand rows and their topics that every ranking reads: each process keeps the last
# one it read, with the entry's stamp, and reads it again only when the stamp in the cache (a few bytes)
# is another. Every write of the entry (refresh, erasure) goes through store_entry, under a new stamp.
_memo: tuple[str, dict[str, Any]] | None = None


def store_entry(entry: dict[str, Any]) -> None:
    """Store the shared candidates' entry ({"at", "rows", "tags"}) under a new stamp."""
    global _memo
    ttl = int(settings.HAVEN.discover_cache_seconds)
    stamp = secrets.token_hex(8)
    stored = {**entry, "stamp": stamp}
    cache.set_many({CACHE_KEY: stored, STAMP_KEY: stamp}, timeout=max(ttl * 10, 600))
    _memo = (stamp, stored)


def _entry() -> dict[str, Any] | None:
    global _memo
    stamp = cache.get(STAMP_KEY)
    memo = _memo
    if stamp is not None and memo is not None and memo[0] == stamp:
        return memo[1]
    entry: dict[str, Any] | None = cache.get(CACHE_KEY)
    if entry is not None and isinstance(entry.get("stamp"), str):
        _memo = (entry["stamp"], entry)
    return entry


def shared_tags() -> dict[int, tuple[str, ...]]:
    """The topics of the cached shared candidates (none before the first refresh); no query."""
    entry = _entry()
    return dict(entry.get("tags") or {}) if entry else {}


def shared_candidates() -> list[SharedRow]:
    """The cached candidates; a stale entry is served while one background refresh is enqueued, and only
    a cold cache makes the reader wait for the query."""
    entry = _entry()
    if entry is None:
        return refresh()
    ttl = int(settings.HAVEN.discover_cache_seconds)
    if time.time() - float(entry["at"]) > ttl and cache.add(LOCK_KEY, 1, timeout=ttl):
        from haven.feeds.tasks import refresh_discover_candidates

        refresh_discover_candidates.enqueue()
    return list(entry["rows"])


def _relations(viewer_id: int) -> QuerySet[Any]:
    hide, follow = Value("h", output_field=CharField()), Value("f", output_field=CharField())
    return (
        Block.objects.filter(blocker_id=viewer_id)
        .values_list("blocked_id", hide)
        .union(
            Block.objects.filter(blocked_id=viewer_id).values_list("blocker_id", hide),
            Mute.objects.filter(muter_id=viewer_id).values_list("muted_id", hide),
            Follow.objects.filter(follower_id=viewer_id, followee__is_private=True).values_list(
                "followee_id", follow
            ),
            all=True,
        )
    )


#: Read by every ranking: compiled once per thread (core.compiled, ADR 0013).
_RELATIONS = CompiledQuery("feeds.candidate_relations", _relations, scalars=("viewer_id",))


def for_viewer(viewer_id: int | None) -> list[Candidate]:
    """The shared candidates this viewer may be shown: one query for a signed-in viewer's blocks, mutes
    and followed private accounts; none for anonymous viewers."""
    shared = shared_candidates()
    if viewer_id is None:
        return [c for c, private in shared if not private]
    hidden: set[int] = set()
    followed_private: set[int] = {viewer_id}
    for other_id, kind in _RELATIONS.rows(viewer_id=viewer_id):
        (hidden if kind == "h" else followed_private).add(int(other_id))
    return [
        c
        for c, private in shared
        if c.author_id not in hidden and (not private or c.author_id in followed_private)
    ]
