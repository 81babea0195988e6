"""Background tasks of translation: thin, idempotent wrappers around services."""

from __future__ import annotations

from django.tasks import task

from haven.translation import services


@task()
def translation_cache_prune(older_than_days: int = 90) -> int:
    """Drop cached translations nobody used for a while (safe to run any time, any number of times)."""
    return services.translation_cache_prune(older_than_days=older_than_days)
