"""Discover candidates cached for everyone and refreshed in the background (HAVEN_DISCOVER_CACHE_SECONDS)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.feeds import candidates, selectors
from haven.feeds.tests.factories import UserFactory, block, follow, mute, note_at
from haven.notes.models import Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings.HAVEN, "discover_cache_seconds", 60)


def ids(page: Any) -> set[int]:
    return {n.pk for n in page.items}


def test_off_by_default(settings):
    assert settings.HAVEN.discover_cache_seconds == 0
    note_at()
    selectors.discover_feed(None)
    assert cache.get(candidates.CACHE_KEY) is None


def test_candidates_are_shared_and_filtered_per_viewer(cached):
    viewer = UserFactory()
    public = note_at(hours_ago=1)
    blocked, muted = note_at(hours_ago=2), note_at(hours_ago=3)
    block(blocked.author, viewer)
    mute(viewer, muted.author)
    secret_author = UserFactory(is_private=True)
    followed_private = note_at(author=secret_author, hours_ago=4)
    stranger_private = note_at(author=UserFactory(is_private=True), hours_ago=5)
    note_at(hours_ago=6, visibility=Visibility.FOLLOWERS)
    follow(viewer, secret_author)
    own = note_at(author=viewer, hours_ago=7)
    assert ids(selectors.discover_feed(viewer, limit=50)) == {public.pk, followed_private.pk}
    assert ids(selectors.discover_feed(None, limit=50)) == {public.pk, blocked.pk, muted.pk, own.pk}
    assert len(cache.get(candidates.CACHE_KEY)["rows"]) == 6  # every public note, once for everyone
    assert stranger_private.pk not in ids(selectors.discover_feed(viewer, limit=50))


def test_a_stale_list_is_served_while_a_refresh_runs(cached, monkeypatch):
    first = note_at(hours_ago=1)
    assert ids(selectors.discover_feed(None)) == {first.pk}
    second = note_at(hours_ago=0)
    assert ids(selectors.discover_feed(UserFactory())) == {first.pk}  # fresh enough: cached
    entry = cache.get(candidates.CACHE_KEY)
    candidates.store_entry(entry | {"at": entry["at"] - 120})
    calls: list[int] = []
    real_refresh = candidates.refresh
    monkeypatch.setattr(candidates, "refresh", lambda: calls.append(1) or real_refresh())
    # The stale list answers this read; the refresh task (inline in tests) replaces it for the next.
    selectors.discover_feed(UserFactory())
    assert calls == [1]
    assert ids(selectors.discover_feed(UserFactory())) == {first.pk, second.pk}
    selectors.discover_feed(UserFactory())
    assert calls == [1]  # one refresh per period


def test_hidden_after_caching_is_dropped_when_the_page_loads(cached):
    viewer = UserFactory()
    note = note_at(hours_ago=1)
    selectors.discover_feed(None)
    note.visibility = Visibility.PRIVATE
    note.save(update_fields=["visibility"])
    assert ids(selectors.discover_feed(viewer)) == set()


@pytest.mark.usefixtures("v0_ranking")
def test_warm_ranking_costs_constant_queries(cached):
    viewer = UserFactory()
    for i in range(30):
        note_at(hours_ago=i)
    selectors.discover_feed(viewer, limit=5)
    with CaptureQueriesContext(connection) as few:
        selectors.discover_feed(viewer, limit=5, record_seen=False)
    with CaptureQueriesContext(connection) as many:
        selectors.discover_feed(viewer, limit=40, record_seen=False)
    assert len(few) == len(many) <= 5


def test_refresh_task(cached):
    from haven.feeds.tasks import refresh_discover_candidates

    note_at()
    assert refresh_discover_candidates.call() == 1


def test_each_process_reads_the_entry_again_only_when_it_changed(cached, monkeypatch):
    """The thousand shared rows are kept in the process under their stamp: a read asks the cache for
    the stamp alone, and a new stamp (a refresh, an erasure's purge) makes the next read take the new
    entry."""
    from haven.feeds.personal_data import purge_cache

    kept, gone = note_at(hours_ago=1), note_at(hours_ago=2)
    assert {c.id for c, _private in candidates.shared_candidates()} == {kept.pk, gone.pk}
    asked: list[str] = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *args, **kwargs: asked.append(key) or real_get(key, *args, **kwargs)
    )
    candidates.shared_candidates()
    candidates.shared_tags()
    assert asked == [candidates.STAMP_KEY, candidates.STAMP_KEY]  # the rows came from the process
    held = candidates._memo  # what another process holds
    purge_cache(gone.author)  # the erased member's notes leave the shared entry, under a new stamp
    monkeypatch.setattr(candidates, "_memo", held)
    asked.clear()
    assert {c.id for c, _private in candidates.shared_candidates()} == {kept.pk}
    assert asked == [candidates.STAMP_KEY, candidates.CACHE_KEY]
