"""App configuration for people: personal data, the "someone you followed joined" notification, and
former handles in member search."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "haven.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from haven.notifications.models import Notification
        from haven.notifications.selectors import register_text
        from haven.notifications.views import register_link
        from haven.people import notifications, personal_data

        personal_data.register_all()

        from haven.people import searchable

        searchable.register()
        register_text(Notification.Verb.PEOPLE_JOINED, notifications.text)
        register_link(Notification.Verb.PEOPLE_JOINED, notifications.link)
