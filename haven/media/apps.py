"""App configuration for media: its periodic clean-up and personal-data registrations."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "haven.media"
    label = "media"

    def ready(self) -> None:
        from datetime import timedelta

        from haven.core.schedule import register_periodic
        from haven.media import tasks

        register_periodic(
            "media_cleanup",
            task=tasks.cleanup_media,
            every=timedelta(hours=6),
            jitter=timedelta(minutes=30),
            description=(
                "Delete unattached photos and videos after a day and expired resumable uploads, "
                "retry stalled processing, remove orphans."
            ),
        )

        register_periodic(
            "media_views_flush",
            task=tasks.flush_video_views,
            every=timedelta(minutes=1),
            description="Apply the video views buffered in Redis to the database (scaled profile).",
        )

        from haven.media import personal_data

        personal_data.register_all()
