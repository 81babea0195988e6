"""Background tasks of search: index objects after their commit, the periodic refresh and drift repair."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def index_objects(kind: str, pks: list[int]) -> dict[str, int]:
    """(Re-)index objects of `kind` (and their related documents); idempotent: it reads them now."""
    from haven.search import index

    return index.index_objects(kind, pks)


@task()
def search_refresh() -> dict[str, Any]:
    """Refresh boosts of recent notes and of topics and members, then repair drift of every kind."""
    from haven.search import services

    return services.refresh()
