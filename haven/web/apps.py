"""App configuration for web."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "haven.web"
    label = "web"

    def ready(self) -> None:
        # The inbox (notifications sits below notes) gets note thumbnails from the web shell,
        # which may read every app.
        from haven.notifications.views import register_note_previews
        from haven.web.views import note_previews

        register_note_previews(note_previews)
