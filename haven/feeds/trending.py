"""Trending topics: the hashtags rising fastest, per language, computed periodically into a snapshot.

The formula (docs/trending-and-places.md):

    recent   = distinct notes carrying the tag published in the last RECENT_WINDOW (24 h)
    baseline = distinct notes carrying it in the BASELINE_DAYS (7) days before that window
    expected = baseline / BASELINE_DAYS * window_days          (what a steady tag would have now)
    score    = (recent + PRIOR_NOTES) / (expected + PRIOR_EXPECTED)

A tag trends when recent >= MIN_RECENT_NOTES from at least MIN_RECENT_AUTHORS authors and
score >= MIN_SCORE (it is above its own baseline). The priors damp small numbers: 3 notes of a new
tag score (3 + 1) / (0 + 3) = 1.3, 30 notes of a new tag 10.3, a steady tag about 1. Only notes that
may be distributed to anyone count: published, public, from public accounts of members who are not
suspended, moderation "ok" (held, limited and removed notes stay out) — notes.access.distributable_notes
for an anonymous viewer. Languages: "all", "zh" (zh, zh-Hans, zh-Hant) and "en", by the note's
detected language.

The periodic job `feeds_trending` (every 15 minutes) writes at most SNAPSHOT_SIZE rows per language
into feeds.TrendingTopic; `trending_topics` reads them in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput
from haven.feeds.models import TrendingTopic
from haven.notes.access import distributable_notes
from haven.notes.models import NoteHashtag

RECENT_WINDOW = timedelta(hours=24)
BASELINE_DAYS = 7
PRIOR_NOTES = 1.0
PRIOR_EXPECTED = 3.0
MIN_RECENT_NOTES = 3
MIN_RECENT_AUTHORS = 2
MIN_SCORE = 1.0
CANDIDATES = 2000  # tags per language scored at most (those with the most recent notes)
SNAPSHOT_SIZE = 30  # rows kept per language
LIMIT_MAX = SNAPSHOT_SIZE
STALE_AFTER = timedelta(hours=6)  # a snapshot older than this is not shown (the worker stopped)
EVERY = timedelta(minutes=15)
LANGUAGES = ("all", "zh", "en")


@dataclass(frozen=True)
class TagCounts:
    hashtag_id: int
    name: str
    recent: int
    baseline: int
    authors: int


@dataclass(frozen=True)
class Trend:
    hashtag_id: int
    name: str
    recent: int
    baseline: int
    score: float


def trend_score(recent: int, baseline: int, *, window: timedelta = RECENT_WINDOW) -> float:
    """(recent + PRIOR_NOTES) / (expected + PRIOR_EXPECTED), expected being the baseline's daily rate
    over the recent window."""
    expected = baseline / BASELINE_DAYS * (window / timedelta(days=1))
    return (recent + PRIOR_NOTES) / (expected + PRIOR_EXPECTED)


def rank_trends(rows: Iterable[TagCounts], *, size: int = SNAPSHOT_SIZE) -> list[Trend]:
    """The rising tags among `rows`, best first (pure: minimum support, then the score)."""
    trends = []
    for row in rows:
        if row.recent < MIN_RECENT_NOTES or row.authors < MIN_RECENT_AUTHORS:
            continue
        score = trend_score(row.recent, row.baseline)
        if score >= MIN_SCORE:
            trends.append(Trend(row.hashtag_id, row.name, row.recent, row.baseline, round(score, 4)))
    trends.sort(key=lambda t: (-t.score, -t.recent, t.name))
    return trends[:size]


def language_filter(language: str) -> Q:
    """Notes in `language` ("zh" matches zh, zh-Hans, zh-Hant); everything for "all"."""
    if language == "all":
        return Q()
    return Q(language=language) | Q(language__startswith=f"{language}-")


def tag_counts(language: str, *, now: datetime) -> list[TagCounts]:
    """Per hashtag: distinct distributable notes in the recent and baseline windows and recent authors.

    One aggregate query over the notes of the last 1 + BASELINE_DAYS days; only tags with the minimum
    support come back, at most CANDIDATES of them.
    """
    recent_start = now - RECENT_WINDOW
    notes = (
        distributable_notes(None)
        .filter(language_filter(language))
        .filter(published_at__gte=recent_start - timedelta(days=BASELINE_DAYS), published_at__lt=now)
    )
    in_recent = Q(note__published_at__gte=recent_start)
    rows = (
        NoteHashtag.objects.filter(note__in=notes.values("pk"))
        .values("hashtag_id", "hashtag__name")
        .annotate(
            recent=Count("note_id", filter=in_recent, distinct=True),
            baseline=Count("note_id", filter=~in_recent, distinct=True),
            authors=Count("note__author_id", filter=in_recent, distinct=True),
        )
        .filter(recent__gte=MIN_RECENT_NOTES, authors__gte=MIN_RECENT_AUTHORS)
        .order_by("-recent", "hashtag_id")[:CANDIDATES]
    )
    return [
        TagCounts(r["hashtag_id"], r["hashtag__name"], r["recent"], r["baseline"], r["authors"]) for r in rows
    ]


def compute_trending(*, now: datetime | None = None) -> dict[str, int]:
    """Recompute the snapshot of every language (idempotent); returns the rows written per language."""
    now = now or timezone.now()
    written = {}
    for language in LANGUAGES:
        trends = rank_trends(tag_counts(language, now=now))
        with transaction.atomic():
            TrendingTopic.objects.filter(language=language).delete()
            TrendingTopic.objects.bulk_create(
                [
                    TrendingTopic(
                        language=language,
                        position=position,
                        hashtag_id=t.hashtag_id,
                        recent_count=t.recent,
                        baseline_count=t.baseline,
                        score=t.score,
                        computed_at=now,
                    )
                    for position, t in enumerate(trends, start=1)
                ]
            )
        written[language] = len(trends)
    return written


def normalize_language(language: str | None) -> str:
    """ "all" for none; "zh" for zh, zh-Hans, zh-Hant; "en"; InvalidInput `invalid_language` otherwise."""
    raw = (language or "all").strip().lower()
    if len(raw) <= 16:
        base = raw.replace("_", "-").split("-", 1)[0]
        if base in LANGUAGES:
            return base
    raise InvalidInput(
        _("Choose all, zh or en."), code="invalid_language", details={"allowed": list(LANGUAGES)}
    )


def trending_topics(viewer: Any, language: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """The trending snapshot of `language` ("all", "zh", "en"), best first; one query.

    Counts come from notes anyone may see, so every viewer gets the same list (no topic mutes exist
    yet; they would be filtered here). A snapshot older than STALE_AFTER is not shown.
    """
    code = normalize_language(language)
    limit = max(1, min(int(limit), LIMIT_MAX))
    rows = (
        TrendingTopic.objects.filter(language=code, computed_at__gte=timezone.now() - STALE_AFTER)
        .select_related("hashtag")
        .order_by("position")[:limit]
    )
    return [
        {
            "tag": row.hashtag.name,
            "position": row.position,
            "recent_count": row.recent_count,
            "baseline_count": row.baseline_count,
            "score": row.score,
            "computed_at": row.computed_at,
        }
        for row in rows
    ]


def register() -> None:
    """The periodic job (from FeedsConfig.ready())."""
    from haven.core.schedule import register_periodic
    from haven.feeds import tasks

    register_periodic(
        "feeds_trending",
        task=tasks.compute_trending,
        every=EVERY,
        jitter=timedelta(minutes=2),
        description="Recompute trending topics per language (feeds.trending).",
    )
