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


@task()
def recommend_train() -> str:
    """Train, store and activate a new Discover model (recommend.training); its version, or "" when there
    is too little engagement yet."""
    from haven.recommend import training

    row = training.model_train()
    return row.version if row is not None else ""
