"""Trending topics: the maths (rising vs steady vs tiny tags), languages, moderation, the snapshot and
its read path, the periodic job, the API contract and the HTML pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.core.errors import InvalidInput
from haven.core.schedule import get_periodic
from haven.feeds import trending
from haven.feeds.models import TrendingTopic
from haven.feeds.tests.factories import UserFactory, note_at, tag
from haven.feeds.trending import TagCounts, compute_trending, rank_trends, trend_score, trending_topics

pytestmark = pytest.mark.django_db


def _notes(
    name: str, count: int, *, hours_ago: float, authors: list[Any] | None = None, **fields: Any
) -> None:
    authors = authors or [UserFactory(), UserFactory()]
    for i in range(count):
        note = note_at(hours_ago=hours_ago, author=authors[i % len(authors)], **fields)
        tag(note, name)


def _baseline(name: str, per_day: int, *, authors: list[Any] | None = None, **fields: Any) -> None:
    """`per_day` notes on each of the 7 baseline days (2..8 days ago)."""
    for day in range(7):
        _notes(name, per_day, hours_ago=24 * (day + 1) + 12, authors=authors, **fields)


def _tags(language: str = "all") -> list[str]:
    return [t["tag"] for t in trending_topics(None, language, limit=30)]


class TestMaths:
    def test_score_is_smoothed_ratio_to_the_baseline_rate(self) -> None:
        assert trend_score(0, 0) == pytest.approx(1 / 3)
        assert trend_score(3, 0) == pytest.approx(4 / 3)
        assert trend_score(30, 14) == pytest.approx(31 / 5)  # 2 a day before, 30 now
        assert trend_score(70, 490) == pytest.approx(71 / 73)  # steady: just under 1

    def test_rising_beats_tiny_and_steady_is_left_out(self) -> None:
        rows = [
            TagCounts(1, "steady", recent=70, baseline=490, authors=40),
            TagCounts(2, "rising", recent=30, baseline=14, authors=12),
            TagCounts(3, "tiny", recent=3, baseline=0, authors=2),
            TagCounts(4, "brandnew", recent=12, baseline=0, authors=6),
        ]
        assert [t.name for t in rank_trends(rows)] == ["rising", "brandnew", "tiny"]

    def test_minimum_support(self) -> None:
        rows = [
            TagCounts(1, "two", recent=2, baseline=0, authors=2),  # too few notes
            TagCounts(2, "onevoice", recent=20, baseline=0, authors=1),  # one author only
        ]
        assert rank_trends(rows) == []

    def test_snapshot_size_is_bounded(self) -> None:
        rows = [TagCounts(i, f"t{i}", recent=10 + i, baseline=0, authors=3) for i in range(100)]
        ranked = rank_trends(rows)
        assert len(ranked) == trending.SNAPSHOT_SIZE
        assert ranked[0].name == "t99"


class TestCompute:
    def test_rising_tag_tops_steady_and_tiny(self) -> None:
        _notes("rising", 12, hours_ago=2)
        _baseline("rising", 1)
        _notes("steady", 10, hours_ago=3)
        _baseline("steady", 10)
        _notes("tiny", 2, hours_ago=1)
        written = compute_trending()
        assert written["all"] == 1
        assert _tags() == ["rising"]
        row = TrendingTopic.objects.get(language="all", position=1)
        assert (row.recent_count, row.baseline_count) == (12, 7)

    def test_languages_are_split(self) -> None:
        _notes("咖啡", 5, hours_ago=1, language="zh-Hans")
        _notes("kafei", 4, hours_ago=1, language="zh-Hant")
        _notes("coffee", 6, hours_ago=1, language="en")
        _notes("cafe", 4, hours_ago=1, language="fr")
        compute_trending()
        assert _tags("zh") == ["咖啡", "kafei"]
        assert _tags("en") == ["coffee"]
        assert set(_tags("all")) == {"咖啡", "kafei", "coffee", "cafe"}
        assert _tags("zh-Hans") == _tags("zh")

    def test_moderated_private_and_suspended_content_is_left_out(self) -> None:
        authors = [UserFactory(), UserFactory()]
        for state in ("held", "limited", "removed"):
            _notes("hidden", 3, hours_ago=1, authors=authors, moderation=state)
        _notes("hidden", 2, hours_ago=1, authors=authors, visibility="followers")
        _notes("hidden", 2, hours_ago=1, authors=[UserFactory(is_private=True), UserFactory(is_private=True)])
        _notes("hidden", 2, hours_ago=1, authors=[UserFactory(is_active=False), UserFactory(is_active=False)])
        _notes("hidden", 2, hours_ago=1, draft=True)
        _notes("hidden", 2, hours_ago=1)  # only 2 countable notes: below the minimum support
        _notes("clean", 3, hours_ago=1)
        compute_trending()
        assert _tags() == ["clean"]

    def test_notes_older_than_the_windows_do_not_count(self) -> None:
        _notes("old", 10, hours_ago=24 * 9)
        _notes("future", 10, hours_ago=-2)  # published_at in the future (clock skew) is ignored
        compute_trending()
        assert _tags() == []

    def test_recompute_replaces_the_snapshot(self) -> None:
        _notes("first", 3, hours_ago=1)
        compute_trending()
        assert _tags() == ["first"]
        compute_trending(now=timezone.now() + dt.timedelta(days=2))
        assert _tags() == []  # "first" is now baseline only, below the minimum support

    def test_a_stale_snapshot_is_not_shown(self) -> None:
        _notes("stale", 3, hours_ago=1)
        compute_trending()
        TrendingTopic.objects.update(
            computed_at=timezone.now() - trending.STALE_AFTER - dt.timedelta(minutes=1)
        )
        assert _tags() == []

    def test_periodic_job_is_registered(self) -> None:
        job = get_periodic("feeds_trending")
        assert job is not None and job.every == trending.EVERY
        _notes("scheduled", 3, hours_ago=1)
        assert job.task.call() == {"all": 1, "zh": 0, "en": 1}


class TestReadPath:
    def test_bad_language_and_bounded_limit(self) -> None:
        with pytest.raises(InvalidInput) as exc:
            trending_topics(None, "fr")
        assert exc.value.code == "invalid_language"
        with pytest.raises(InvalidInput):
            trending_topics(None, "x" * 100)
        _notes("one", 3, hours_ago=1)
        compute_trending()
        assert len(trending_topics(None, None, limit=10_000)) == 1
        assert len(trending_topics(None, None, limit=-5)) == 1

    def test_read_is_one_query(self, django_assert_num_queries: Any) -> None:
        for i in range(12):
            _notes(f"tag{i}", 3 + i, hours_ago=1)
        compute_trending()
        with django_assert_num_queries(1):
            topics = trending_topics(None, "all", limit=10)
        assert len(topics) == 10 and topics[0]["tag"] == "tag11"


class TestApi:
    def test_contract(self, client: Client) -> None:
        _notes("coffee", 4, hours_ago=1)
        compute_trending()
        r = client.get("/api/v1/feeds/trending?lang=en&limit=5")
        assert r.status_code == 200
        body = r.json()
        assert body["language"] == "en"
        item = body["items"][0]
        assert item["tag"] == "coffee" and item["recent_count"] == 4 and item["position"] == 1
        assert set(item) == {"tag", "position", "recent_count", "baseline_count", "score", "computed_at"}
        assert client.get("/api/v1/feeds/trending").json()["language"] == "all"

    @pytest.mark.parametrize(
        ("query", "status", "code"),
        [
            ("lang=fr", 422, "invalid_input"),
            ("lang=" + "z" * 17, 422, "invalid_input"),
            ("limit=0", 422, "invalid_input"),
            ("limit=31", 422, "invalid_input"),
            ("limit=abc", 422, "invalid_input"),
        ],
    )
    def test_bad_input(self, client: Client, query: str, status: int, code: str) -> None:
        r = client.get(f"/api/v1/feeds/trending?{query}")
        assert r.status_code == status
        assert r.json()["code"] == code

    def test_api_query_budget(self, client: Client, django_assert_max_num_queries: Any) -> None:
        _notes("coffee", 4, hours_ago=1)
        compute_trending()
        with django_assert_max_num_queries(2):  # the snapshot, plus at most the session lookup
            assert client.get("/api/v1/feeds/trending").status_code == 200


class TestPages:
    def test_trending_page_tabs_and_links(self, client: Client) -> None:
        _notes("咖啡", 3, hours_ago=1, language="zh-Hans")
        _notes("coffee", 3, hours_ago=1)
        compute_trending()
        body = client.get("/feeds/trending/").content.decode()
        assert 'href="/feeds/topic/coffee/"' in body and "#咖啡" in body
        zh = client.get("/feeds/trending/?lang=zh").content.decode()
        assert "#咖啡" in zh and "#coffee" not in zh
        assert client.get("/feeds/trending/?lang=" + "q" * 500).status_code == 200  # unknown: all

    def test_empty_trending_page(self, client: Client) -> None:
        r = client.get("/feeds/trending/")
        assert r.status_code == 200
        assert "Nothing is trending right now" in r.content.decode()

    def test_discover_shows_the_trending_strip(self, client: Client) -> None:
        _notes("coffee", 3, hours_ago=1)
        compute_trending()
        body = client.get("/").content.decode()
        assert 'class="trending-strip"' in body
        assert 'href="/feeds/topic/coffee/"' in body
        assert 'href="/feeds/places/near/"' in body
