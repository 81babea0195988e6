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
    """Delete stale unattached uploads (images, videos, resumable uploads) and retry stalled runs."""
    from haven.media import tus

    return {**services.image_cleanup(), **services.video_cleanup(), "uploads_expired": tus.uploads_cleanup()}


@task()
def move_media_region(*, user_id: int) -> dict[str, int]:
    """Move a member's media files into their residency region (idempotent; a no-op when done)."""
    return services.media_move_region(user_id=user_id)


@task()
def process_video(*, video_id: int) -> None:
    """Probe an uploaded video and render its served files (a no-op unless it is `uploaded`)."""
    services.video_process(video_id=video_id)


@task()
def flush_video_views() -> int:
    """Apply the video views buffered in Redis to the database (scaled profile)."""
    from haven.media import counters

    return counters.views_flush()


@task()
def render_poster(*, video_id: int, at_ms: int) -> bool:
    """Take the poster frame the author chose from a ready video (a no-op when it changed meanwhile)."""
    return services.video_poster_render(video_id=video_id, at_ms=at_ms)
