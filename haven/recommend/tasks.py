"""Background tasks of recommend: thin, idempotent wrappers (the events flush; training adds its own)."""

from __future__ import annotations

from django.tasks import task

from haven.recommend import events


@task()
def recommend_events_flush() -> int:
    """Move interaction events buffered in Redis into the database (every minute; 0 when embedded)."""
    if not events.enabled():
        return 0
    return events.events_flush()
