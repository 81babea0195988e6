"""App configuration for notes: plugs the note visibility rule into the notifications inbox."""

from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "haven.notes"
    label = "notes"

    def ready(self) -> None:
        from haven.notes.access import filter_visible_notifications
        from haven.notifications.access import register_filter

        register_filter(filter_visible_notifications)
