"""App configuration for moderation: reportable kinds, content scoring hooks, periodic jobs."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haven.moderation"
    label = "moderation"

    def ready(self) -> None:
        pass
