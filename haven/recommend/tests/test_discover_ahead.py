"""Discover ranked ahead (feeds.selectors: request_prepare, discover_prepare, the first page taking it):
the task worker ranks a member's next first page into the cache, so the request only loads the notes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from haven.accounts.models import User
from haven.core.reportables import ModerationState
from haven.feeds import selectors as feeds
from haven.feeds import tasks
from haven.feeds.models import SeenNote
from haven.feeds.tests.factories import block, mute
from haven.notes.models import Note
from haven.recommend import services, serving
from haven.recommend.tests.test_serving import newcomer, page_topics, world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ahead(settings, monkeypatch):
    serving.forget_loaded()
    cache.delete(serving.ACTIVE_VERSION_KEY)
    monkeypatch.setattr(settings.HAVEN, "discover_prepare", True)
    yield
    serving.forget_loaded()


class _NoRanking(AssertionError):
    pass


def _forbid_ranking(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise _NoRanking("the request ranked")

    monkeypatch.setattr(feeds, "_fresh_candidates", fail)


def _stored(member) -> dict | None:
    return cache.get(feeds._prepared_key(member.pk, serving.ranking_generation(member.pk)))


def test_off_unless_the_cache_is_shared_and_a_worker_runs(settings, monkeypatch):
    monkeypatch.setattr(settings.HAVEN, "discover_prepare", None)
    monkeypatch.setattr(settings.HAVEN, "redis_url", "")
    monkeypatch.setattr(settings.HAVEN, "tasks_backend", "database")
    assert not feeds.prepare_enabled()  # embedded: the worker's cache is not the web process's
    monkeypatch.setattr(settings.HAVEN, "redis_url", "redis://127.0.0.1:6379/0")
    assert feeds.prepare_enabled()
    monkeypatch.setattr(settings.HAVEN, "tasks_backend", "immediate")
    assert not feeds.prepare_enabled()  # tasks inline: ranking ahead would rank in the request anyway
    monkeypatch.setattr(settings.HAVEN, "discover_prepare", False)
    monkeypatch.setattr(settings.HAVEN, "tasks_backend", "database")
    assert not feeds.prepare_enabled()


def test_a_first_page_takes_the_ranking_made_ahead_and_asks_for_the_next(monkeypatch):
    world()
    member = newcomer()
    assert feeds.discover_prepare(member.pk) > 0
    made = _stored(member)
    assert made is not None and made["ids"]
    asked: list[int] = []
    monkeypatch.setattr(feeds, "request_prepare", asked.append)
    _forbid_ranking(monkeypatch)

    page = feeds.discover_feed(member, limit=5)
    assert page.prepared
    assert [card.pk for card in page.items] == made["ids"][:5]
    assert page.model_version == made["v"] == serving.PRIOR_VERSION
    assert {page.reasons[card.pk][0] for card in page.items} <= {code for code, *_ in made["why"].values()}
    assert asked == [member.pk]  # the next refresh is ranked in the worker, after these seen-marks
    assert _stored(member) is None  # one ranking serves one first page

    # Later pages of that first page page through the same ranking (the cursor carries its seed).
    second = feeds.discover_feed(member, cursor=page.next_cursor, limit=5)
    assert [card.pk for card in second.items] == made["ids"][5:10]
    assert asked == [member.pk]


def test_without_a_ranking_made_ahead_the_request_ranks_and_the_worker_prepares_the_next():
    world()
    member = newcomer()
    first = feeds.discover_feed(member, limit=5)
    assert not first.prepared
    made = _stored(member)  # tasks run inline in tests: the next one is already there
    assert made is not None and made["ids"]
    served = {card.pk for card in first.items}
    refresh = feeds.discover_feed(member, limit=5)
    assert refresh.prepared
    assert not served & {card.pk for card in refresh.items}  # served notes pushed down, as in the request


def test_notes_served_after_the_ranking_was_made_move_to_its_end(monkeypatch):
    world()
    member = newcomer()
    feeds.discover_prepare(member.pk)
    made = _stored(member)
    assert made is not None
    top = made["ids"][:3]
    later = timezone.now() + dt.timedelta(seconds=1)
    for note_id in top:  # served on another device after the ranking was made
        SeenNote.objects.update_or_create(user=member, note_id=note_id, defaults={})
    SeenNote.objects.filter(user=member).update(seen_at=later)
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    page = feeds.discover_feed(member, limit=5, record_seen=False)
    assert page.prepared
    assert not set(top) & {card.pk for card in page.items}
    assert [card.pk for card in page.items] == made["ids"][3:8]


def test_not_interested_discards_the_ranking_made_ahead(monkeypatch):
    notes = world(per_topic=10)
    member = newcomer()
    feeds.discover_prepare(member.pk)
    made = _stored(member)
    assert made is not None
    services.not_interested_add(user=member, kind="topic", topic="hiking")  # a new ranking generation
    assert _stored(member) is None
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    page = feeds.discover_feed(member, limit=20, record_seen=False)
    assert not page.prepared
    assert page.items and "hiking" not in page_topics(page, notes)


def test_visibility_is_checked_when_the_page_is_loaded(monkeypatch):
    notes = world()
    member = newcomer()
    feeds.discover_prepare(member.pk)
    made = _stored(member)
    assert made is not None and len(made["ids"]) >= 6
    all_notes = {n.pk: n for group in notes.values() for n in group}
    first = [all_notes[i] for i in made["ids"][:6]]
    # After the ranking was made: a block, a mute, a deletion, a limited and a removed note, an author
    # who turned private.
    block(member, first[0].author)
    mute(member, first[1].author)
    first[2].delete()
    Note.objects.filter(pk=first[3].pk).update(moderation=ModerationState.LIMITED)
    Note.objects.filter(pk=first[4].pk).update(moderation=ModerationState.REMOVED)
    User.objects.filter(pk=first[5].author_id).update(is_private=True)
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    _forbid_ranking(monkeypatch)
    page = feeds.discover_feed(member, limit=50, record_seen=False)
    assert page.prepared and page.items
    shown = {card.pk for card in page.items}
    authors = {card.author_id for card in page.items}
    assert not {first[0].author_id, first[1].author_id, first[5].author_id} & authors
    assert not {n.pk for n in first[2:5]} & shown
    assert set(made["ids"][6:]) & shown  # the rest of the ranking is served


def test_a_ranking_made_ahead_expires(monkeypatch, settings):
    world()
    member = newcomer()
    feeds.discover_prepare(member.pk)
    cache.delete(feeds._prepared_key(member.pk, serving.ranking_generation(member.pk)))  # as the TTL would
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    assert not feeds.discover_feed(member, limit=5, record_seen=False).prepared


def test_members_without_a_personal_ranking_get_nothing_made_ahead(monkeypatch):
    world()
    member = newcomer()
    monkeypatch.setattr(feeds, "consent_granted", lambda user_id, purpose: False)
    assert feeds.discover_prepare(member.pk) == 0
    assert _stored(member) is None
    asked: list[int] = []
    monkeypatch.setattr(feeds, "request_prepare", asked.append)
    page = feeds.discover_feed(member, limit=5)
    assert page.model_version == "v0" and not page.prepared
    assert asked == []  # nothing to prepare for a ranking without personal data
    member.is_active = False
    member.save(update_fields=["is_active"])
    monkeypatch.undo()
    assert feeds.discover_prepare(member.pk) == 0
    assert feeds.discover_prepare(10**9) == 0


def test_one_pending_preparation_per_member(monkeypatch):
    member = newcomer()
    enqueued: list[int] = []
    monkeypatch.setattr(tasks, "prepare_discover", SimpleNamespace(enqueue=enqueued.append))
    assert feeds.request_prepare(member.pk)
    assert not feeds.request_prepare(member.pk)
    assert enqueued == [member.pk]
    feeds.discover_prepare(member.pk)  # the task ends: the next request may ask again
    assert feeds.request_prepare(member.pk)
    assert enqueued == [member.pk, member.pk]


def test_signing_in_prepares_the_first_discover():
    world()
    member = newcomer()
    member.set_password("a-long-enough-password-2026")
    member.save()
    assert _stored(member) is None
    response = Client().post(
        "/api/v1/accounts/token",
        {"username_or_email": member.username, "password": "a-long-enough-password-2026", "name": "phone"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert _stored(member) is not None


def test_the_api_says_where_a_first_page_was_ranked():
    world()
    member = newcomer()
    client = Client()
    client.force_login(member)  # a sign-in: prepares the first page
    first = client.get("/api/v1/feeds/discover?limit=5")
    assert first.status_code == 200
    assert first["X-Haven-Ranking"] == "ahead"
    cache.delete(feeds._prepared_key(member.pk, serving.ranking_generation(member.pk)))
    again = client.get("/api/v1/feeds/discover?limit=5")
    assert again["X-Haven-Ranking"] == "request"
    later = client.get("/api/v1/feeds/discover", {"limit": 5, "cursor": again.json()["next_cursor"]})
    assert later.status_code == 200 and "X-Haven-Ranking" not in later


def test_erasure_drops_the_members_rankings(monkeypatch):
    """A member's ranked lists (what they were shown and why) and a ranking made ahead for them are
    personal data: feeds' erasure purge removes them at once, not when they expire."""
    from haven.feeds.personal_data import purge_cache

    world()
    member, other = newcomer(), newcomer()
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    cursors = {}
    for viewer in (member, other):
        page = feeds.discover_feed(viewer, limit=5)
        assert page.items and page.next_cursor
        cursors[viewer.pk] = page.next_cursor
        feeds.discover_prepare(viewer.pk)

    purge_cache(member)

    assert _stored(member) is None
    assert _stored(other) is not None  # only the member's
    _forbid_ranking(monkeypatch)
    feeds.discover_feed(other, cursor=cursors[other.pk], limit=5)  # the other's ranked list is kept
    with pytest.raises(_NoRanking):  # the member's is gone: their next page is ranked again
        feeds.discover_feed(member, cursor=cursors[member.pk], limit=5)


def test_the_first_page_reads_only_the_head_and_later_pages_the_whole(monkeypatch):
    world()
    member = newcomer()
    monkeypatch.setattr(feeds, "PREPARED_HEAD", 3)
    assert feeds.discover_prepare(member.pk) > 3
    head = _stored(member)
    assert head is not None and len(head["ids"]) == 3 and head["n"] > 3
    monkeypatch.setattr(feeds, "request_prepare", lambda user_id: False)
    _forbid_ranking(monkeypatch)
    read: list[str] = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: read.append(key) or real_get(key, *a, **k))

    first = feeds.discover_feed(member, limit=2)
    assert first.prepared and [card.pk for card in first.items] == head["ids"][:2]
    assert not [key for key in read if key.startswith(feeds.RANKED_KEY)]  # the thousand ids stay put
    second = feeds.discover_feed(member, cursor=first.next_cursor, limit=2)
    third = feeds.discover_feed(member, cursor=second.next_cursor, limit=2)
    ids = [card.pk for page in (first, second, third) for card in page.items]
    assert ids[:3] == head["ids"] and len(ids) == len(set(ids)) == min(6, head["n"])
    assert {code for code, *_ in second.reasons.values()}  # reasons come with the whole, too
