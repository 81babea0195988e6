"""The scaled Following feed: hybrid fan-out into Redis, cap, celebrity merge, rebuild, hydration, paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from haven.feeds import selectors, store
from haven.feeds.tests.factories import MediaImageFactory, UserFactory, block, follow, mute, note_at
from haven.feeds.tests.redis_support import feed_redis
from haven.graph.models import Follow
from haven.notes import services as note_services
from haven.notes.models import Note, Visibility

pytestmark = pytest.mark.django_db
__all__ = ["feed_redis"]  # the fixture, used by name


def ids(page: Any) -> list[int]:
    return [n.pk for n in page.items]


def feed_ids(r: Any, user: Any) -> list[int]:
    return [int(m) for m in r.zrevrange(store.feed_key(user.pk), 0, -1)]


def built(*viewers: Any) -> None:
    """Read each viewer's feed once: built in Redis and marked active, as after a real visit."""
    for viewer in viewers:
        selectors.following_feed(viewer, limit=1)


def test_fanout_reaches_active_followers_with_a_built_feed_only(feed_redis):
    author, active, idle, unbuilt = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for member in (active, idle, unbuilt):
        follow(member, author)
    built(active)
    store.mark_active([unbuilt.pk])  # active but no feed in Redis: rebuilt from SQL when read
    note = note_at(author=author)
    assert store.fanout_note(note.pk) == 1
    assert feed_ids(feed_redis, active) == [note.pk]
    assert not feed_redis.exists(store.feed_key(idle.pk))
    assert not feed_redis.exists(store.feed_key(unbuilt.pk))
    assert feed_redis.zscore(store.author_key(author.pk), str(note.pk)) == store.score_of(note.published_at)
    assert ids(selectors.following_feed(unbuilt)) == [note.pk]  # rebuilt from the database


def test_fanout_skips_private_notes_drafts_and_is_idempotent(feed_redis):
    author, fan = UserFactory(), UserFactory()
    follow(fan, author)
    built(fan)
    assert store.fanout_note(note_at(author=author, visibility=Visibility.PRIVATE).pk) == 0
    draft = note_at(author=author)
    Note.objects.filter(pk=draft.pk).update(status=Note.Status.DRAFT)
    assert store.fanout_note(draft.pk) == 0
    note = note_at(author=author)
    store.fanout_note(note.pk)
    store.fanout_note(note.pk)
    assert feed_ids(feed_redis, fan) == [note.pk]


def test_publishing_through_notes_fans_out_on_commit(feed_redis, django_capture_on_commit_callbacks):
    author, fan = UserFactory(), UserFactory()
    follow(fan, author)
    built(fan)
    image = MediaImageFactory(owner=author)
    with django_capture_on_commit_callbacks(execute=True):
        note = note_services.note_create(author=author, title="hello", image_ids=[image.pk])
    assert feed_ids(feed_redis, fan) == [note.pk]


def test_feed_is_capped_newest_kept(feed_redis, monkeypatch, settings):
    monkeypatch.setattr(settings.HAVEN, "feed_cap", 50)
    fan, author = UserFactory(), UserFactory()
    follow(fan, author)
    built(fan)
    for i in range(60):
        store.push_to_active(1000 + i, 10_000 + i, [fan.pk], r=feed_redis)
    assert feed_redis.zcard(store.feed_key(fan.pk)) == 50
    assert feed_ids(feed_redis, fan)[0] == 1059 and feed_ids(feed_redis, fan)[-1] == 1010


def test_celebrity_notes_are_merged_at_read_time(feed_redis, monkeypatch, settings):
    monkeypatch.setattr(settings.HAVEN, "fanout_threshold", 2)
    star, fan, other = UserFactory(), UserFactory(), UserFactory()
    follow(fan, star)
    follow(other, star)
    ordinary = UserFactory()
    follow(fan, ordinary)
    built(fan, other)
    old = note_at(author=ordinary, hours_ago=2)
    store.fanout_note(old.pk)
    hit = note_at(author=star, hours_ago=1)
    assert store.fanout_note(hit.pk) == 0  # not pushed to anyone ...
    assert hit.pk not in feed_ids(feed_redis, fan)
    assert feed_redis.sismember(store.CELEBS_KEY, str(star.pk))
    assert ids(selectors.following_feed(fan)) == [hit.pk, old.pk]  # ... merged when read
    assert ids(selectors.following_feed(other)) == [hit.pk]


def test_missing_feed_is_rebuilt_from_the_database(feed_redis):
    fan = UserFactory()
    notes = []
    for i in range(3):
        author = UserFactory()
        follow(fan, author)
        notes.append(note_at(author=author, hours_ago=i))
    first = ids(selectors.following_feed(fan))
    assert first == [n.pk for n in notes]
    feed_redis.flushdb()  # Redis lost everything
    assert ids(selectors.following_feed(fan)) == first
    assert feed_ids(feed_redis, fan) == first


def test_follow_and_unfollow_change_the_feed_on_next_read(feed_redis):
    fan, kept, newcomer = UserFactory(), UserFactory(), UserFactory()
    follow(fan, kept)
    a = note_at(author=kept, hours_ago=3)
    b = note_at(author=newcomer, hours_ago=1)
    assert ids(selectors.following_feed(fan)) == [a.pk]
    follow(fan, newcomer)
    assert ids(selectors.following_feed(fan)) == [b.pk, a.pk]
    Follow.objects.filter(follower=fan, followee=kept).delete()
    assert ids(selectors.following_feed(fan)) == [b.pk]


def test_hydration_drops_invisible_blocked_muted_and_deleted_notes(feed_redis):
    fan = UserFactory()
    authors = [UserFactory() for _ in range(6)]
    for author in authors:
        follow(fan, author)
    notes = [note_at(author=author, hours_ago=i) for i, author in enumerate(authors)]
    assert ids(selectors.following_feed(fan)) == [n.pk for n in notes]  # feed built with all six
    Note.objects.filter(pk=notes[0].pk).update(visibility=Visibility.PRIVATE)
    Note.objects.filter(pk=notes[1].pk).delete()
    block(authors[2], fan)  # removes no follow here: the block alone must hide the note
    mute(fan, authors[3])
    assert feed_ids(feed_redis, fan) == [n.pk for n in notes]  # Redis still holds every id
    assert ids(selectors.following_feed(fan, limit=2)) == [notes[4].pk, notes[5].pk]


def test_cursor_paging_has_no_duplicates_and_matches_the_sql_path(feed_redis, monkeypatch, settings):
    monkeypatch.setattr(settings.HAVEN, "fanout_threshold", 3)
    fan, fan2, fan3 = UserFactory(), UserFactory(), UserFactory()
    star = UserFactory()
    for f in (fan, fan2, fan3):
        follow(f, star)
    authors = [UserFactory() for _ in range(4)]
    for author in authors:
        follow(fan, author)
    built(fan)
    for i in range(24):
        note = note_at(author=authors[i % 4] if i % 3 else star, hours_ago=i / 2)
        store.fanout_note(note.pk)
    hidden = note_at(author=authors[1], hours_ago=0.1, visibility=Visibility.PRIVATE)
    store.fanout_note(hidden.pk)
    seen: list[int] = []
    cursor = None
    while True:
        page = selectors.following_feed(fan, cursor=cursor, limit=7)
        seen += ids(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 24
    monkeypatch.setattr(settings.HAVEN, "redis_url", "")  # the embedded (SQL) path
    sql: list[int] = []
    cursor = None
    while True:
        page = selectors.following_feed(fan, cursor=cursor, limit=7)
        sql += ids(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sql


def test_short_pages_are_filled_from_later_candidates(feed_redis):
    fan, author, muted = UserFactory(), UserFactory(), UserFactory()
    follow(fan, author)
    follow(fan, muted)
    kept = [note_at(author=author, hours_ago=100 + i) for i in range(3)]
    for i in range(40):
        note_at(author=muted, hours_ago=i)
    mute(fan, muted)
    assert ids(selectors.following_feed(fan, limit=3)) == [n.pk for n in kept]


def test_anonymous_and_invalid_cursor(feed_redis, client):
    assert selectors.following_feed(None).items == []
    fan = UserFactory()
    client.force_login(fan)
    response = client.get("/api/v1/feeds/following", {"cursor": "nope"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_api_query_count_is_constant_on_the_redis_path(feed_redis, client, django_assert_max_num_queries):
    fan = UserFactory()
    for i in range(30):
        author = UserFactory()
        follow(fan, author)
        note_at(author=author, hours_ago=i, images=2)
    client.force_login(fan)
    client.get("/api/v1/feeds/following", {"limit": 1})  # builds the feed
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/feeds/following", {"limit": 25})
    assert len(response.json()["items"]) == 25


def test_feeds_rebuild_command(feed_redis):
    fan, author = UserFactory(), UserFactory()
    follow(fan, author)
    note = note_at(author=author)
    call_command("feeds_rebuild", "--user", str(fan.pk))
    assert feed_ids(feed_redis, fan) == [note.pk]
    feed_redis.delete(store.feed_key(fan.pk), store.meta_key(fan.pk))
    call_command("feeds_rebuild", "--all-active")
    assert feed_ids(feed_redis, fan) == [note.pk]


def test_prune_inactive_members(feed_redis):
    feed_redis.zadd(store.ACTIVE_KEY, {"1": 1.0, "2": 9e12})
    assert store.prune_inactive() == 1
    assert store.active_member_ids() == [2]


def test_redis_outage_falls_back_to_sql(feed_redis, monkeypatch):
    import redis

    fan, author = UserFactory(), UserFactory()
    follow(fan, author)
    notes = [note_at(author=author, hours_ago=i) for i in range(3)]

    def down(*args: Any, **kwargs: Any) -> Any:
        raise redis.ConnectionError("down")

    monkeypatch.setattr(store, "candidates", down)
    first = selectors.following_feed(fan, limit=2)
    assert ids(first) == [notes[0].pk, notes[1].pk]
    assert ids(selectors.following_feed(fan, cursor=first.next_cursor, limit=2)) == [notes[2].pk]
