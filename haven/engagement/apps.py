"""App configuration for engagement."""

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "haven.engagement"
    label = "engagement"
