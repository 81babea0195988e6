"""App configuration for media."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "haven.media"
    label = "media"
