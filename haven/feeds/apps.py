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

        from haven.accounts.hooks import on_user_logged_in
        from haven.feeds.hooks import prepare_discover_at_sign_in

        on_user_logged_in(prepare_discover_at_sign_in)

        from haven.feeds import retention

        retention.register()

        from haven.feeds import trending

        trending.register()
