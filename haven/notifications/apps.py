"""App configuration for notifications: declares how long read notifications are kept."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"

    def ready(self) -> None:
        from haven.notifications import personal_data

        personal_data.register_all()

        from haven.notifications import retention

        retention.register()
