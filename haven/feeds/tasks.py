"""Background tasks of feeds: fan-out of published notes, counter flushes, Discover candidates, trending."""

from __future__ import annotations

from django.tasks import task

from haven.feeds import candidates, store, trending
from haven.notes.counters import counters_flush


@task()
def fanout_note(note_id: int) -> int:
    """Push a published note id into its author's set and active followers' Redis feeds (idempotent)."""
    if not store.enabled():
        return 0
    return store.fanout_note(note_id)


@task()
def flush_counters() -> int:
    """Apply counters buffered in Redis to the database (run every few seconds; docs/scaling-design.md)."""
    if not store.enabled():
        return 0
    return counters_flush()


@task()
def refresh_discover_candidates() -> int:
    """Recompute the shared Discover candidate list in the cache; returns its length."""
    return len(candidates.refresh())


@task()
def compute_trending() -> dict[str, int]:
    """Recompute the trending-topics snapshot (feeds.trending); rows written per language."""
    return trending.compute_trending()


@task()
def prepare_discover(user_id: int) -> int:
    """Rank a member's next Discover first page into the cache (feeds.selectors.request_prepare)."""
    from haven.feeds.selectors import discover_prepare

    return discover_prepare(user_id)
