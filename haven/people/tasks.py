"""Background tasks of people: thin, idempotent wrappers that load by id and call a service."""

from __future__ import annotations

from django.tasks import task

from haven.people import services


@task()
def announce_handle(handle_id: int) -> None:
    """Tell members whose imported list holds this newly discoverable handle (opted in) that its
    owner is on Haven; each contact is told once, a bounded number per run (re-enqueues the rest)."""
    services.handle_announce(handle_id=handle_id)
