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
