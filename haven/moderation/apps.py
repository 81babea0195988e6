"""App configuration for moderation: reportables listeners, notices, periodic jobs, personal data."""

from datetime import timedelta

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "haven.moderation"
    label = "moderation"

    def ready(self) -> None:
        from django.urls import reverse

        from haven.core import reportables
        from haven.core.schedule import register_periodic
        from haven.moderation import personal_data, scoring, tasks
        from haven.notes.services import register_publish_hook
        from haven.notifications.models import Notification
        from haven.notifications.views import register_link

        personal_data.register_all()
        from haven.moderation import surge

        surge.register_all()
        reportables.on_content_created(scoring.on_content_created)
        register_publish_hook(scoring.on_notes_published)
        register_link(Notification.Verb.SAFETY, lambda group: reverse("moderation:mine"))
        register_periodic(
            "moderation_housekeeping",
            task=tasks.moderation_housekeeping,
            every=timedelta(minutes=10),
            jitter=timedelta(minutes=1),
            description="Lift timed suspensions that ended; count overdue moderation cases.",
        )
        from haven.moderation.images import register_image_screening

        register_image_screening()
