"""App configuration for engagement: hides notifications about comments that are gone."""

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "haven.engagement"
    label = "engagement"

    def ready(self) -> None:
        from haven.engagement import reportable

        reportable.register()
        from haven.engagement import personal_data

        personal_data.register_all()

        from haven.engagement.access import filter_existing_comments
        from haven.notifications.access import register_filter

        register_filter(filter_existing_comments)
