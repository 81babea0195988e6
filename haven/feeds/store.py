"""Following feeds held in Redis (scaled profile): hybrid fan-out, capped candidate ids, rebuilt from SQL.

Redis holds candidate note ids only; the read path (feeds.selectors.following_feed) hydrates them
through notes.access, so visibility, blocks, deletions and edits are always decided by the database.
Keys (prefix "hv:"): docs/scaling-design.md.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import batched
from typing import Any

import redis
from django.conf import settings
from django.db.models import Count, Max

from haven.graph.models import Follow
from haven.notes.counters import redis_client
from haven.notes.models import Note, Visibility

PREFIX = "hv:"
AUTHOR_CAP = 200  # recent note ids kept per author (merged at read time for high-follower authors)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ACTIVE_KEY = f"{PREFIX}active"
CELEBS_KEY = f"{PREFIX}celebs"
CELEBS_VERSION_KEY = f"{PREFIX}celebs:v"

# Push one note id into the feeds of active members whose feed is built (their meta key exists).
# ARGV = score, note id, cap, activity cutoff, member id...; keys are derived from the ids in the script
# (one round trip per chunk; a single Redis instance, not a cluster: docs/scaling-design.md).
_PUSH_LUA = """
local n = 0
local cutoff = tonumber(ARGV[4])
for i = 5, #ARGV do
  local uid = ARGV[i]
  local seen = redis.call('ZSCORE', 'hv:active', uid)
  if seen and tonumber(seen) >= cutoff and redis.call('EXISTS', 'hv:fmeta:' .. uid) == 1 then
    local key = 'hv:feed:' .. uid
    redis.call('ZADD', key, ARGV[1], ARGV[2])
    redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[3]) + 1))
    n = n + 1
  end
end
return n
"""


def enabled() -> bool:
    """True in the scaled profile (HAVEN_REDIS_URL set): Following is read from Redis."""
    return bool(settings.HAVEN.redis_url)


def client() -> redis.Redis:
    return redis_client()


def feed_key(user_id: int) -> str:
    return f"{PREFIX}feed:{user_id}"


def meta_key(user_id: int) -> str:
    return f"{PREFIX}fmeta:{user_id}"


def author_key(author_id: int) -> str:
    return f"{PREFIX}author:{author_id}"


def score_of(published_at: datetime) -> int:
    """Microseconds since the epoch: exact in a Redis score (a double) and in a cursor round trip."""
    return (published_at - EPOCH) // timedelta(microseconds=1)


def time_of(score: float) -> datetime:
    return EPOCH + timedelta(microseconds=int(score))


def _ttl() -> int:
    return int(settings.HAVEN.feed_active_days) * 86400


def _cap() -> int:
    return int(settings.HAVEN.feed_cap)


# ---------------------------------------------------------------------------------------------
# Fan-out on publish.


def fanout_note(note_id: int, *, r: redis.Redis | None = None) -> int:
    """Record a published note in its author's set and push it to recently active followers' feeds.

    Followers are pushed only while the author has fewer than HAVEN_FANOUT_THRESHOLD followers;
    above it the author is a "celebrity" (hv:celebs) and merged at read time instead. Only followers
    in hv:active within HAVEN_FEED_ACTIVE_DAYS whose feed is built get the id (others rebuild from
    SQL when they next read). Idempotent. Returns the number of feeds pushed to.
    """
    r = r or client()
    row = (
        Note.objects.filter(pk=note_id, status=Note.Status.PUBLISHED)
        .exclude(visibility=Visibility.PRIVATE)
        .values_list("author_id", "published_at")
        .first()
    )
    if row is None:
        return 0
    author_id, published_at = row
    if published_at is None:
        return 0
    score = score_of(published_at)
    with r.pipeline(transaction=False) as pipe:
        pipe.zadd(author_key(author_id), {str(note_id): score})
        pipe.zremrangebyrank(author_key(author_id), 0, -(AUTHOR_CAP + 1))
        pipe.execute()
    followers = Follow.objects.filter(followee_id=author_id)
    if followers.count() >= settings.HAVEN.fanout_threshold:
        celebrity_mark(author_id, r=r)
        return 0
    ids = followers.values_list("follower_id", flat=True).iterator(chunk_size=settings.HAVEN.fanout_chunk)
    return push_to_active(note_id, score, ids, r=r)


def celebrity_mark(author_id: int, *, r: redis.Redis) -> None:
    """Add an author to hv:celebs (sticky); a new member bumps the version readers compare against."""
    if r.sadd(CELEBS_KEY, str(author_id)):
        r.incr(CELEBS_VERSION_KEY)


def push_to_active(note_id: int, score: int, follower_ids: Iterable[int], *, r: redis.Redis) -> int:
    """Push (score, note_id) into the built feeds of active members among `follower_ids`: one script
    call per HAVEN_FANOUT_CHUNK ids (activity, built-feed check, ZADD and cap all inside Redis)."""
    cutoff = time.time() - _ttl()
    script = r.register_script(_PUSH_LUA)
    head = [score, note_id, _cap(), cutoff]
    pushed = 0
    for chunk in batched(follower_ids, settings.HAVEN.fanout_chunk):
        pushed += int(script(keys=[], args=[*head, *chunk]))  # type: ignore[arg-type]
    return pushed


def note_forget(note_id: int, author_id: int, *, r: redis.Redis | None = None) -> None:
    """Drop a deleted note from its author's set (feeds drop it at hydration time anyway)."""
    (r or client()).zrem(author_key(author_id), str(note_id))


# ---------------------------------------------------------------------------------------------
# The read side: meta, rebuild, candidates.


def follow_fingerprint(user_id: int) -> str:
    """(count, newest follow id) of the member's follows: changes with every follow or unfollow, since
    follow ids only grow. One indexed aggregate query."""
    agg = Follow.objects.filter(follower_id=user_id).aggregate(n=Count("id"), m=Max("id"))
    return f"{agg['n']}:{agg['m'] or 0}"


def _celebs_followed(user_id: int, r: redis.Redis) -> tuple[list[int], int]:
    with r.pipeline(transaction=False) as pipe:
        pipe.smembers(CELEBS_KEY)
        pipe.get(CELEBS_VERSION_KEY)
        members, version = pipe.execute()
    celebs = [int(m) for m in members]
    followed = (
        list(
            Follow.objects.filter(follower_id=user_id, followee_id__in=celebs).values_list(
                "followee_id", flat=True
            )
        )
        if celebs
        else []
    )
    return sorted(followed), int(version or 0)


def rebuild(user_id: int, *, fingerprint: str | None = None, r: redis.Redis | None = None) -> dict[str, Any]:
    """Rebuild a member's feed from SQL: the newest HAVEN_FEED_CAP notes of the authors they follow.

    Stored with a TTL of HAVEN_FEED_ACTIVE_DAYS together with its meta (follow fingerprint, the
    celebrity authors followed and the celebrity-set version). Returns the meta.
    """
    r = r or client()
    fingerprint = fingerprint or follow_fingerprint(user_id)
    rows = (
        Note.objects.filter(
            status=Note.Status.PUBLISHED,
            author_id__in=Follow.objects.filter(follower_id=user_id).values("followee_id"),
        )
        .exclude(visibility=Visibility.PRIVATE)
        .order_by("-published_at", "-id")
        .values_list("id", "published_at")[: _cap()]
    )
    members = {str(pk): score_of(at) for pk, at in rows if at is not None}
    celebs, version = _celebs_followed(user_id, r)
    meta = {"fp": fingerprint, "celebs": celebs, "cv": version}
    ttl = _ttl()
    with r.pipeline(transaction=True) as pipe:
        pipe.delete(feed_key(user_id))
        if members:
            pipe.zadd(feed_key(user_id), members)  # type: ignore[arg-type]
            pipe.expire(feed_key(user_id), ttl)
        pipe.set(meta_key(user_id), json.dumps(meta), ex=ttl)
        pipe.zadd(ACTIVE_KEY, {str(user_id): time.time()})
        pipe.execute()
    return meta


def _range(pipe: Any, key: str, max_score: str, count: int) -> None:
    pipe.zrevrangebyscore(key, max_score, "-inf", start=0, num=count, withscores=True)


def candidates(
    user_id: int, *, after: tuple[int, int] | None, count: int, r: redis.Redis | None = None
) -> tuple[list[tuple[int, int]], bool]:
    """Up to `count` (score, note_id) candidates for a member's Following feed, newest first, strictly
    after the keyset position `after` = (score, id): the member's own feed merged with the recent ids
    of the celebrity authors they follow. Second value: whether more candidates may follow.

    Reads: one aggregate query (the follow fingerprint), then one pipeline; a feed whose meta is
    missing or stale (follows changed, Redis flushed, member inactive) is rebuilt from SQL first.
    """
    r = r or client()
    fingerprint = follow_fingerprint(user_id)
    max_score = str(after[0]) if after else "+inf"
    fetch = count + 1
    ttl = _ttl()
    with r.pipeline(transaction=False) as pipe:
        pipe.get(meta_key(user_id))
        pipe.get(CELEBS_VERSION_KEY)
        _range(pipe, feed_key(user_id), max_score, fetch)
        pipe.zadd(ACTIVE_KEY, {str(user_id): time.time()})
        pipe.expire(feed_key(user_id), ttl)
        pipe.expire(meta_key(user_id), ttl)
        raw_meta, raw_version, own, *_ = pipe.execute()
    meta = json.loads(raw_meta) if raw_meta else None
    if meta is None or meta.get("fp") != fingerprint:
        meta = rebuild(user_id, fingerprint=fingerprint, r=r)
        own = r.zrevrangebyscore(feed_key(user_id), max_score, "-inf", start=0, num=fetch, withscores=True)
    elif int(raw_version or 0) != meta.get("cv"):  # an author became a celebrity: refresh that list only
        meta["celebs"], meta["cv"] = _celebs_followed(user_id, r)
        r.set(meta_key(user_id), json.dumps(meta), ex=ttl)
    lists: list[list[tuple[Any, float]]] = [own]
    if meta["celebs"]:
        with r.pipeline(transaction=False) as pipe:
            for author_id in meta["celebs"]:
                _range(pipe, author_key(author_id), max_score, fetch)
            lists += pipe.execute()
    merged: dict[int, int] = {}
    more = False
    for found in lists:
        more = more or len(found) >= fetch
        for member, score in found:
            merged[int(member)] = int(score)
    ordered = sorted(((s, pk) for pk, s in merged.items()), reverse=True)
    if after is not None:
        ordered = [c for c in ordered if c < after]
    more = more or len(ordered) > count
    return ordered[:count], more


def mark_active(user_ids: Sequence[int], *, r: redis.Redis | None = None) -> None:
    """Mark members as recently active (tests, bench, imports): fan-out reaches them from now on."""
    if user_ids:
        (r or client()).zadd(ACTIVE_KEY, {str(uid): time.time() for uid in user_ids})


def prune_inactive(*, r: redis.Redis | None = None) -> int:
    """Drop members not seen for HAVEN_FEED_ACTIVE_DAYS from hv:active (their feeds expire by TTL)."""
    return int((r or client()).zremrangebyscore(ACTIVE_KEY, "-inf", time.time() - _ttl()))


def active_member_ids(*, r: redis.Redis | None = None) -> list[int]:
    cutoff = time.time() - _ttl()
    members: Any = (r or client()).zrangebyscore(ACTIVE_KEY, cutoff, "+inf")
    return [int(m) for m in members]


def celebs_recompute(*, r: redis.Redis | None = None) -> int:
    """Recompute hv:celebs from SQL (authors at or above HAVEN_FANOUT_THRESHOLD); returns its size."""
    r = r or client()
    ids = list(
        Follow.objects.values("followee_id")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.HAVEN.fanout_threshold)
        .values_list("followee_id", flat=True)
    )
    with r.pipeline(transaction=True) as pipe:
        pipe.delete(CELEBS_KEY)
        if ids:
            pipe.sadd(CELEBS_KEY, *[str(i) for i in ids])
        pipe.incr(CELEBS_VERSION_KEY)
        pipe.execute()
    return len(ids)
