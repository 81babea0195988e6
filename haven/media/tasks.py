"""Background tasks of media: thin, idempotent wrappers around services."""

from __future__ import annotations

from django.tasks import task

from haven.media import services


@task()
def process_image(*, image_id: int) -> None:
    """Render an uploaded image into its served renditions (a no-op when already done)."""
    services.image_process(image_id=image_id)


@task()
def cleanup_media() -> dict[str, int]:
    """Delete stale unattached uploads and retry stalled processing runs."""
    return services.image_cleanup()


@task()
def move_media_region(*, user_id: int) -> dict[str, int]:
    """Move a member's media files into their residency region (idempotent; a no-op when done)."""
    return services.media_move_region(user_id=user_id)
