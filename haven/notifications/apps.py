"""App configuration for notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"
