"""App configuration for messaging: personal data, reportables, retention, and hooks into lower apps."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "haven.messaging"
    label = "messaging"

    def ready(self) -> None:
        from haven.graph.hooks import on_block
        from haven.media.services import register_attachment
        from haven.messaging import personal_data, reportable, retention, services

        personal_data.register_all()
        reportable.register()
        retention.register()
        register_attachment("message_uses")
        register_attachment("conversation_avatars")
        on_block(services.block_ended)
