"""App configuration for notes: plugs the note visibility rule into the notifications inbox and media."""

from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "haven.notes"
    label = "notes"

    def ready(self) -> None:
        from haven.notes import reportable

        reportable.register()
        from haven.notes import searchable

        searchable.register()
        from haven.notes import personal_data

        personal_data.register_all()
        from haven.notes import places

        places.register()

        from haven.media.access import AudienceProvider, register_audience_provider
        from haven.notes.access import (
            filter_visible_notifications,
            rendition_audience,
            rendition_is_public,
            rendition_key_now,
            video_is_public,
            video_key_now,
        )
        from haven.notifications.access import register_filter

        register_filter(filter_visible_notifications)
        register_audience_provider(
            AudienceProvider(
                of_note=rendition_audience,
                key_now=rendition_key_now,
                is_public_image=rendition_is_public,
                video_key_now=video_key_now,
                is_public_video=video_is_public,
            )
        )
