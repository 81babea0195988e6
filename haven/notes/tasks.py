"""Background tasks of notes: the periodic refresh of place counts (notes.places)."""

from __future__ import annotations

from django.tasks import task

from haven.notes import places


@task()
def refresh_places() -> dict[str, int]:
    """Recount notes per place and prune unused places (idempotent)."""
    return places.places_refresh()
