"""App configuration for feeds: plugs the Redis fan-out into notes' publish hook (docs/adr/0003)."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "haven.feeds"
    label = "feeds"

    def ready(self) -> None:
        from haven.feeds import personal_data

        personal_data.register_all()

        from haven.feeds.hooks import on_notes_published
        from haven.notes.services import register_publish_hook

        register_publish_hook(on_notes_published)

        from haven.feeds import retention

        retention.register()

        from haven.feeds import trending

        trending.register()
